"""Cached pages never show what has changed since: every write reaches them at once.

The public pages keep counts and rendered fragments in caches (portal.versions); these
tests load a page (filling the cache), change something the way the portal does, and
load the page again as the next visitor would.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import actions, services
from ideas.models import Idea, IdeaStatus
from tests.factories import IdeaFactory, UnitFactory, UserFactory, create_challenge

pytestmark = pytest.mark.django_db


def test_a_new_idea_shows_in_the_list_count_and_home_figures_at_once(client, citizen, settings):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    IdeaFactory.create_batch(2)
    assert "2 ideer funnet" in client.get("/ideas/").content.decode()
    assert client.get("/").context["figures"]["submitted"] == 2

    services.idea_submit(
        author=citizen,
        title="Benker langs turveien",
        summary="Flere benker der eldre går tur.",
        description="Det er langt mellom benkene.",
        tags=["eldre"],
    )

    listing = client.get("/ideas/").content.decode()
    assert "3 ideer funnet" in listing
    assert "Benker langs turveien" in listing
    home = client.get("/")
    assert home.context["figures"]["submitted"] == 3
    assert "Benker langs turveien" in home.content.decode()
    assert "Benker langs turveien" in client.get("/ideas/?tag=eldre").content.decode()


def test_a_hidden_idea_leaves_every_cached_page_at_once(client):
    challenge = create_challenge(title="Trygg skolevei")
    idea = IdeaFactory(title="Lys i undergangen", challenge=challenge, support_count=3)
    for url in ("/ideas/", "/", challenge.url, idea.get_absolute_url()):
        assert "Lys i undergangen" in client.get(url).content.decode()

    actions.idea_hide(idea=idea, by=UserFactory(is_superuser=True), reason="Personopplysninger.")

    for url in ("/ideas/", "/", challenge.url, "/ideas/?sort=supported"):
        assert "Lys i undergangen" not in client.get(url).content.decode(), url
    assert "0 ideer funnet" in client.get("/ideas/").content.decode()
    assert client.get(idea.get_absolute_url()).status_code == 404


def test_support_and_status_changes_show_on_cached_lists(client, citizen):
    challenge = create_challenge(title="Trygg skolevei")
    staff = UserFactory()
    idea = IdeaFactory(title="Lys i undergangen", challenge=challenge)
    challenge.owning_unit.staff.add(staff)
    idea.owning_unit = challenge.owning_unit
    idea.save()
    assert "0 har støttet" in client.get("/ideas/").content.decode()
    assert "0 har støttet" in client.get(challenge.url).content.decode()

    services.vote_cast(idea=idea, voter=citizen)
    actions.idea_transition(idea=idea, to=IdeaStatus.IN_REVIEW, by=staff)

    listing = client.get("/ideas/").content.decode()
    assert "1 har støttet" in listing
    assert "Under behandling" in listing
    page = client.get(challenge.url).content.decode()
    assert "1 har støttet" in page
    assert "1 under arbeid" in page


def test_a_renamed_author_shows_on_cached_pages(client):
    author = UserFactory(display_name="Kari")
    challenge = create_challenge(title="Trygg skolevei")
    IdeaFactory(title="Lys i undergangen", author=author, challenge=challenge)
    assert "Kari" in client.get(challenge.url).content.decode()
    assert "Kari" in client.get("/ideas/").content.decode()

    author.display_name = "Kari Nordmann"
    author.save()

    assert "Kari Nordmann" in client.get(challenge.url).content.decode()
    assert "Kari Nordmann" in client.get("/ideas/").content.decode()


def test_logged_in_people_see_their_own_support_on_the_list(client, citizen):
    idea = IdeaFactory(title="Lys i undergangen")
    anonymous = client.get("/ideas/").content.decode()
    client.force_login(citizen)
    services.vote_cast(idea=idea, voter=citizen)
    mine = client.get("/ideas/").content.decode()
    assert "Du støtter denne" in mine
    client.logout()
    assert "Du støtter denne" not in client.get("/ideas/").content.decode()
    assert "Du støtter denne" not in anonymous


def test_counting_happens_once_until_the_ideas_change(client):
    IdeaFactory.create_batch(3)
    client.get("/ideas/?status=submitted")
    with CaptureQueriesContext(connection) as cached:
        client.get("/ideas/?status=submitted&sort=supported")
    assert not any("COUNT(" in query["sql"].upper() for query in cached.captured_queries)

    caches["local"].clear()  # as after a restart: counted again, and right
    assert "3 ideer funnet" in client.get("/ideas/?status=submitted").content.decode()
    assert Idea.objects.count() == 3
