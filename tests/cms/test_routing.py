"""Pages are found from cached routes and restrictions, and every edit reaches them.

`cms.routing` caches the route table, the sites and the view restrictions until pages
change; these tests serve a page first (filling the caches), then edit the way editors
do, and check what the next visitor gets.
"""

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction, Site

from cms import routing
from tests.factories import challenge_index, create_challenge

pytestmark = pytest.mark.django_db


def test_unpublishing_a_page_takes_it_offline_at_once(client):
    challenge = create_challenge(title="Trygg skolevei")
    url = challenge.url
    assert client.get(url).status_code == 200

    challenge.unpublish()

    assert client.get(url).status_code == 404
    assert "Trygg skolevei" not in client.get(challenge_index().url).content.decode()


def test_a_new_page_and_a_changed_slug_are_reachable_at_once(client):
    first = create_challenge(title="Trygg skolevei")
    assert client.get(first.url).status_code == 200
    old_url = first.url

    second = create_challenge(title="Rent vann")
    first.slug = "tryggere-skolevei"
    first.save_revision().publish()

    assert client.get(second.url).status_code == 200
    assert client.get("/utfordringer/tryggere-skolevei/").status_code == 200
    assert client.get(old_url).status_code == 404


def test_a_view_restriction_added_later_protects_the_page_at_once(client):
    challenge = create_challenge(title="Intern utfordring")
    assert client.get(challenge.url).status_code == 200
    assert "Intern utfordring" in client.get(challenge_index().url).content.decode()

    PageViewRestriction.objects.create(page=challenge, restriction_type="login")

    response = client.get(challenge.url)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert "Intern utfordring" not in client.get(challenge_index().url).content.decode()
    assert "Intern utfordring" not in client.get("/").content.decode()

    PageViewRestriction.objects.filter(page=challenge).delete()
    assert client.get(challenge.url).status_code == 200


def test_a_restriction_on_an_ancestor_protects_the_pages_below(client):
    challenge = create_challenge(title="Intern utfordring")
    client.get(challenge.url)
    PageViewRestriction.objects.create(page=challenge_index(), restriction_type="login")
    assert client.get(challenge.url).status_code == 302
    assert client.get(challenge_index().url).status_code == 302


def test_feeds_below_pages_are_still_routed(client):
    challenge = create_challenge(title="Trygg skolevei")
    assert client.get(challenge_index().url + "rss/")["Content-Type"].startswith(
        "application/rss+xml"
    )
    assert client.get(challenge.url + "feed/").status_code == 200
    assert client.get(challenge.url + "no-such-thing/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404


def test_a_challenge_page_costs_few_queries_however_deep(client, django_assert_max_num_queries):
    challenge = create_challenge(title="Trygg skolevei")
    client.get(challenge.url)  # creates the site's navigation settings: pages change
    client.get(challenge.url)
    with django_assert_max_num_queries(2):
        assert client.get(challenge.url).status_code == 200


def test_the_site_is_chosen_by_wagtails_rules():
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="ideer.kommune.example", port=443, root_page=default.root_page
    )
    factory = RequestFactory()
    assert (
        routing.site_for_request(
            factory.get("/", HTTP_HOST="ideer.kommune.example", SERVER_PORT="443")
        )
        == other
    )
    assert routing.site_for_request(factory.get("/", HTTP_HOST="unknown.example")) == default

    other.delete()
    assert (
        routing.site_for_request(
            factory.get("/", HTTP_HOST="ideer.kommune.example", SERVER_PORT="443")
        )
        == default
    )
