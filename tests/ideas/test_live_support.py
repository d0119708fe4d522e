"""Support counts are live figures: a vote shows everywhere at once, and re-renders nothing.

Every cached idea page, list and challenge page shows an idea's support. Were the count
part of the cached HTML, each vote would make all of them stale (with votes arriving
several times a second, every reader would pay for a fresh page). The count is written
into each response as it is now (portal.figures); only what is ordered by support
(the list sorted by it, a challenge's ideas, the home page's most supported) is cached
under the votes' version.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ideas import services
from ideas.models import Vote
from portal import figures
from tests.factories import IdeaFactory, UserFactory, create_challenge

pytestmark = pytest.mark.django_db


def count_on_idea_page(html: str) -> str:
    found = re.search(r'<strong class="ideas-count">([\d\s\xa0]+)</strong>', html)
    assert found, "the idea page shows its support count"
    return found.group(1)


def test_a_vote_shows_on_a_cached_idea_page_at_the_cost_of_one_query(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    idea, other = IdeaFactory(), IdeaFactory()
    voter, neighbour = UserFactory.create_batch(2)  # (a new person's name is shown: IDEAS)
    url = idea.get_absolute_url()
    for _warm_up in range(2):  # the site, menus and page routes are cached on first use
        client.get(url)
    with django_assert_num_queries(0):
        assert count_on_idea_page(client.get(url).content.decode()) == "0"

    services.vote_cast(idea=idea, voter=voter)
    # The page is not rendered again: only the support counts are read afresh.
    with django_assert_num_queries(1):
        assert count_on_idea_page(client.get(url).content.decode()) == "1"
    with django_assert_num_queries(0):
        assert count_on_idea_page(client.get(url).content.decode()) == "1"

    # A vote for another idea changes nothing on this page, but is one read too.
    services.vote_cast(idea=other, voter=neighbour)
    with django_assert_max_num_queries(1):
        assert count_on_idea_page(client.get(url).content.decode()) == "1"


def test_a_logged_in_citizen_sees_the_new_count_and_their_own_support(
    django_assert_max_num_queries,
):
    idea, citizen = IdeaFactory(), UserFactory()
    browser = Client()
    browser.force_login(citizen)
    url = idea.get_absolute_url()
    for _warm_up in range(2):  # the site, menus and page routes are cached on first use
        assert count_on_idea_page(browser.get(url).content.decode()) == "0"

    services.vote_cast(idea=idea, voter=citizen)
    with django_assert_max_num_queries(2):  # the counts, and what is theirs: no render
        html = browser.get(url).content.decode()
    assert count_on_idea_page(html) == "1"
    assert "Du støtter denne ideen" in html


def test_cards_on_the_list_the_challenge_page_and_the_home_page_show_the_new_count(client):
    challenge = create_challenge()
    idea = IdeaFactory(challenge=challenge, theme=challenge.theme, title="Lesestund for eldre")
    pages = [reverse("ideas:list"), challenge.url, "/"]
    for page in pages:
        assert "0 har støttet" in client.get(page).content.decode(), page

    for voter in UserFactory.create_batch(2):
        services.vote_cast(idea=idea, voter=voter)

    for page in pages:
        html = client.get(page).content.decode()
        assert "2 har støttet" in html, page
        assert "0 har støttet" not in html, page


def test_search_results_show_the_new_count_before_the_index_catches_up(client):
    """The index keeps the count it had when the idea was last indexed (re-indexing
    follows a vote as a task); the results show the count as it is now."""
    from search.backends import get_database_backend

    idea = IdeaFactory(title="Lesestund for eldre")
    get_database_backend().rebuild()
    assert "0 har støttet" in client.get("/search/", {"q": "lesestund"}).content.decode()

    for voter in UserFactory.create_batch(3):
        services.vote_cast(idea=idea, voter=voter)  # (the index task never runs here)

    html = client.get("/search/", {"q": "lesestund"}).content.decode()
    assert "3 har støttet" in html and "0 har støttet" not in html


def test_what_is_ordered_by_support_follows_the_votes(client):
    challenge = create_challenge()
    first = IdeaFactory(challenge=challenge, theme=challenge.theme, title="Først med støtte")
    second = IdeaFactory(challenge=challenge, theme=challenge.theme, title="Snart forbi")
    services.vote_cast(idea=first, voter=UserFactory())
    by_support = reverse("ideas:list") + "?sort=supported"

    def order(url: str) -> list[str]:
        html = client.get(url).content.decode()
        return re.findall(r"Først med støtte|Snart forbi", html)

    assert order(by_support)[0] == "Først med støtte"
    assert order(challenge.url)[0] == "Først med støtte"
    popular = client.get("/").content.decode().split('id="popular-title"')[1]
    assert "Først med støtte" in popular and "Snart forbi" not in popular

    for voter in UserFactory.create_batch(2):
        services.vote_cast(idea=second, voter=voter)

    assert order(by_support)[0] == "Snart forbi"
    assert order(challenge.url)[0] == "Snart forbi"
    popular = client.get("/").content.decode().split('id="popular-title"')[1]
    assert popular.index("Snart forbi") < popular.index("Først med støtte")


def test_the_count_is_written_in_the_language_of_the_page(client):
    idea = IdeaFactory()
    Vote.objects.create(idea=idea, voter=UserFactory())
    with translation.override("en"):
        english_url = idea.get_absolute_url()
    html = client.get(english_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1</strong> supporter" in html and "supporters" not in html.split("ideas-count")[1][:60]


def test_no_mark_of_a_live_figure_reaches_the_visitor(client):
    challenge = create_challenge()
    IdeaFactory(challenge=challenge, theme=challenge.theme)
    for url in (reverse("ideas:list"), challenge.url, "/"):
        assert figures.MARK_BYTES not in client.get(url).content, url
