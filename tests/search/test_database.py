"""The embedded backend when a search matches more than it can page through.

It then looks at a bounded set of candidates only (the first RESULT_LIMIT matches in the
sort order), ranks and counts those, and says so with `SearchResults.capped`. The limit is
made small here so a handful of ideas exceed it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ideas.models import Idea
from search.backends import database, get_database_backend
from tests.factories import IdeaFactory

LIMIT = 3


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(database, "RESULT_LIMIT", LIMIT)


def make_ideas(specs: list[tuple[str, str, int]]) -> list[Idea]:
    """Ideas from (title, summary, supporters), oldest first, one day apart."""
    ideas = []
    now = timezone.now()
    for age, (title, summary, support) in enumerate(reversed(specs)):
        made = IdeaFactory(title=title, summary=summary, support_count=support)
        Idea.objects.filter(pk=made.pk).update(created_at=now - datetime.timedelta(days=age))
        ideas.append(made)
    get_database_backend().rebuild()
    return list(reversed(ideas))


@pytest.fixture
def benches(db, small_limit):
    return make_ideas(
        [
            ("Benk ved elva", "Vi trenger en benk.", 1),  # oldest
            ("Sitteplass i parken", "En benk i parken.", 50),
            ("Benk ved dammen", "Vi trenger en benk.", 2),
            ("Sitteplass ved skolen", "En benk ved skolen.", 3),
            ("Sitteplass på torget", "En benk på torget.", 4),  # newest
        ]
    )


def test_more_matches_than_the_limit_are_capped_and_said_so(benches):
    results = get_database_backend().search("benk", sort="newest")
    assert results.capped
    assert results.total == LIMIT
    assert titles(results) == ["Sitteplass på torget", "Sitteplass ved skolen", "Benk ved dammen"]
    # Facet counts cover the same candidates as the results.
    assert results.facet_count("type", "idea") == LIMIT


def test_relevance_ranks_the_newest_candidates(benches):
    results = get_database_backend().search("benk")
    # The title match wins among the three newest; the older title match is not looked at.
    assert titles(results)[0] == "Benk ved dammen"
    assert "Benk ved elva" not in titles(results)
    assert results.capped


def test_most_supported_are_the_candidates_when_sorting_by_support(benches):
    results = get_database_backend().search("benk", sort="support")
    assert titles(results) == [
        "Sitteplass i parken",
        "Sitteplass på torget",
        "Sitteplass ved skolen",
    ]
    assert results.capped


def test_as_many_matches_as_the_limit_are_not_capped(db, small_limit):
    make_ideas([(f"Benk nummer {n}", "En benk.", 0) for n in range(LIMIT)])
    results = get_database_backend().search("benk")
    assert not results.capped
    assert results.total == LIMIT


def test_stale_entries_take_no_candidate_place(db, small_limit):
    ideas = make_ideas([(f"Benk nummer {n}", "En benk.", 0) for n in range(LIMIT + 1)])
    # Hidden without telling the index (as if the update task had not run yet).
    Idea.objects.filter(pk=ideas[0].pk).update(is_hidden=True)
    results = get_database_backend().search("benk")
    assert not results.capped
    assert results.total == LIMIT
    assert ideas[0].title not in titles(results)
    assert results.facet_count("type", "idea") == LIMIT


@pytest.mark.django_db
def test_a_search_during_an_index_write_does_not_keep_old_results(client, site_settings):
    """Issue #11, item 13: the version was bumped before the index was written.

    A visitor searching while the index is being rewritten sees the old results; they
    must be cached under the old version, so the next visitor gets the new ones.
    """
    from django.db.models.signals import pre_delete

    from search.models import IndexEntry

    idea = IdeaFactory(title="Gatelys ved skolen")
    get_database_backend().rebuild()
    seen_during_write = []

    def visitor_searches(**kwargs) -> None:
        # The old entry is about to be replaced: the moment between bump and write.
        seen_during_write.append(client.get("/search/", {"q": "benker"}).content.decode())

    Idea.objects.filter(pk=idea.pk).update(title="Benker ved skolen")
    pre_delete.connect(visitor_searches, sender=IndexEntry, dispatch_uid="test_visitor")
    try:
        # What the index task does after the commit (the test's transaction never
        # commits, so only the bumps made at once count, as for a reader elsewhere).
        get_database_backend().index(Idea.objects.get(pk=idea.pk))
    finally:
        pre_delete.disconnect(dispatch_uid="test_visitor", sender=IndexEntry)

    found = idea.get_absolute_url()
    assert seen_during_write and found not in seen_during_write[0]
    assert found in client.get("/search/", {"q": "benker"}).content.decode()
