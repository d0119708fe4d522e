"""403, 404 and 500 pages: the site's look, the visitor's language and a way on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ideas.models import Idea, IdeaStatus
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

NB = {"home": 'href="/"', "search": 'action="/search/"', "lang": '<html lang="nb">'}
EN = {"home": 'href="/en/"', "search": 'action="/en/search/"', "lang": '<html lang="en">'}


def assert_has_a_way_on(content: str, language: dict) -> None:
    assert language["lang"] in content
    assert language["home"] in content
    assert language["search"] in content  # a search form
    assert 'class="portal-header' in content  # the site's own header, not a bare page


@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [("", NB, "Vi fant ikke siden"), ("/en", EN, "We could not find that page")],
)
def test_404_in_the_layout_and_language_with_links_home_and_to_search(
    client, prefix, language, heading
):
    response = client.get(f"{prefix}/finnes-ikke/")

    assert response.status_code == 404
    content = response.content.decode()
    assert heading in content
    assert_has_a_way_on(content, language)


@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [("", NB, "Du har ikke tilgang til denne siden"), ("/en", EN, "You do not have access")],
)
def test_403_in_the_layout_and_language_with_links_home_and_to_search(
    client, prefix, language, heading
):
    idea = IdeaFactory()
    client.force_login(UserFactory())  # not the author

    response = client.get(f"{prefix}/ideas/{idea.reference}/edit/")

    assert response.status_code == 403
    content = response.content.decode()
    assert heading in content
    assert "403 Forbidden" not in content
    assert_has_a_way_on(content, language)


@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [("", NB, "Skjemaet er utløpt"), ("/en", EN, "The form has expired")],
)
def test_a_failed_csrf_check_explains_itself_in_the_visitors_language(prefix, language, heading):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{prefix}/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    content = response.content.decode()
    assert heading in content
    assert_has_a_way_on(content, language)


@pytest.mark.urls("tests.portal.error_urls")
@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [("", NB, "Noe gikk galt hos oss"), ("/en", EN, "Something went wrong on our side")],
)
def test_500_in_the_sites_look_and_language_with_links_home_and_to_search(
    prefix, language, heading
):
    client = Client(raise_request_exception=False)

    response = client.get(f"{prefix}/feil-til-test/")

    assert response.status_code == 500
    content = response.content.decode()
    assert heading in content
    assert_has_a_way_on(content, language)
    assert "<style>" not in content  # the site's style sheets, nothing inline


def test_the_500_page_needs_no_database(rf, django_assert_num_queries):
    from portal.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500


def test_an_author_who_opens_edit_after_review_began_is_told_why_on_the_idea_page(client):
    author = UserFactory()
    idea = IdeaFactory(author=author)
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.IN_REVIEW)
    client.force_login(author)

    response = client.get(reverse("ideas:edit", args=[idea.reference]), follow=True)

    assert response.redirect_chain == [(idea.get_absolute_url(), 302)]
    content = response.content.decode()
    assert "Kommunen har begynt å behandle ideen, så den kan ikke endres lenger." in content
