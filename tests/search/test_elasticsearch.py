"""What only the Elasticsearch backend has to get right: writes made while a rebuild runs
reach the index it swaps in, and a challenge's status follows its dates without
re-indexing. Against the stand-in (osmem-server) and, when ELASTICSEARCH_URL is set, a
real cluster (`engine_backend`, tests/search/conftest.py).

A rebuild is driven step by step (`begin_rebuild`, `load`, `finish`) so that the tests
can put writes exactly where a slow rebuild would meet them.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from challenges.models import ChallengePage, ChallengeStatus
from ideas import actions, services
from ideas.models import IdeaStatus
from search import content
from tests.factories import IdeaFactory, UnitFactory, UserFactory, create_challenge


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def indexed(engine_backend):
    UnitFactory(name="Strategi og utvikling", slug="strategi-og-utvikling")  # intake
    ideas = {
        "benker": IdeaFactory(title="Benker langs elva", summary="Steder å hvile."),
        "lys": IdeaFactory(title="Gatelys på skoleveien", summary="Mørkt om vinteren."),
    }
    engine_backend.rebuild()
    return ideas


# --- writes during a rebuild --------------------------------------------------------------


def test_a_write_between_load_and_swap_is_in_the_swapped_in_index(
    engine_backend, indexed, django_capture_on_commit_callbacks
):
    build = engine_backend.begin_rebuild()
    assert build.load(content.all_public_documents()) == 2
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(
            author=author,
            title="Sykkelparkering ved stasjonen",
            summary="Trygg parkering under tak.",
            description="Mange sykler står ute i regnet.",
            kind="idea",
        )
        actions.idea_transition(
            idea=indexed["lys"], to=IdeaStatus.IN_REVIEW, by=UserFactory(is_superuser=True)
        )
    # Readers still get the old index, which has the write too.
    assert titles(engine_backend.search("sykkelparkering")) == ["Sykkelparkering ved stasjonen"]

    build.finish()

    assert titles(engine_backend.search("sykkelparkering")) == ["Sykkelparkering ved stasjonen"]
    assert engine_backend.search("gatelys").hits[0].status == IdeaStatus.IN_REVIEW
    assert engine_backend.count() == 3
    assert engine_backend._indices_behind_alias() == [build.index]
    assert engine_backend._indices_behind(engine_backend.building_alias) == []


def test_a_batch_read_before_a_write_does_not_overwrite_it(
    engine_backend, indexed, django_capture_on_commit_callbacks
):
    stale_batches = list(content.all_public_documents())  # read before the edit below
    build = engine_backend.begin_rebuild()
    target = indexed["benker"]
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_edit(
            idea=target,
            by=target.author,
            title="Benker og bord langs elva",
            summary="Steder å hvile og spise.",
            description="Gjerne med tak.",
        )
    build.load(stale_batches)
    build.finish()

    assert titles(engine_backend.search("bord")) == ["Benker og bord langs elva"]
    assert engine_backend.search("hvile").hits[0].title == "Benker og bord langs elva"


def test_what_was_hidden_while_a_rebuild_loaded_is_not_brought_back(
    engine_backend, indexed, django_capture_on_commit_callbacks
):
    stale_batches = list(content.all_public_documents())  # the idea is public here
    build = engine_backend.begin_rebuild()
    withdrawn = indexed["lys"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_transition(idea=withdrawn, to=IdeaStatus.WITHDRAWN, by=withdrawn.author)
    build.load(stale_batches)
    build.finish()

    assert engine_backend.search("gatelys").total == 0
    assert engine_backend.search("").total == 1
    assert engine_backend.count() == 1


def test_a_failed_rebuild_stops_taking_writes_and_leaves_the_live_index(
    engine_backend, indexed, django_capture_on_commit_callbacks
):
    live = engine_backend._indices_behind_alias()
    build = engine_backend.begin_rebuild()
    build.load(content.all_public_documents())
    build.abort()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(
            author=UserFactory(),
            title="Sykkelparkering ved stasjonen",
            summary="Trygg parkering.",
            description="Under tak.",
            kind="idea",
        )
    assert engine_backend._indices_behind_alias() == live
    assert engine_backend._indices_behind(engine_backend.building_alias) == []
    assert titles(engine_backend.search("sykkelparkering")) == ["Sykkelparkering ved stasjonen"]


def test_a_rebuild_clears_what_a_killed_one_left_behind(engine_backend, indexed):
    killed = engine_backend.begin_rebuild()  # never finished nor aborted: the process died
    killed.load(content.all_public_documents())

    assert engine_backend.rebuild() == 2

    client = engine_backend.client.options(ignore_status=404)
    assert not client.indices.exists(index=killed.index)
    assert engine_backend._indices_behind(engine_backend.building_alias) == []
    assert engine_backend.count() == 2


# --- challenge status follows the dates -----------------------------------------------------


def test_a_challenge_closes_in_search_when_its_deadline_passes_without_reindexing(
    engine_backend, db
):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    create_challenge(title="Ensomhet blant eldre", closes_on=today)
    engine_backend.rebuild()

    results = engine_backend.search("ensomhet", today=today)
    assert results.hits[0].status == ChallengeStatus.OPEN
    assert results.facet_count("status", ChallengeStatus.OPEN) == 1
    assert engine_backend.search("", filters={"status": ["open"]}, today=today).total == 1

    # The next day, with nothing written to the index in between:
    results = engine_backend.search("ensomhet", today=tomorrow)
    assert results.hits[0].status == ChallengeStatus.EVALUATION
    assert results.facet_count("status", ChallengeStatus.OPEN) == 0
    assert results.facet_count("status", ChallengeStatus.EVALUATION) == 1
    assert engine_backend.search("", filters={"status": ["open"]}, today=tomorrow).total == 0
    evaluated = engine_backend.search("", filters={"status": ["evaluation"]}, today=tomorrow)
    assert titles(evaluated) == ["Ensomhet blant eldre"]


def test_challenge_status_in_the_index_agrees_with_the_database(engine_backend, db):
    """Filters and facet counts give, day by day, what `ChallengePage.status_on` and
    `ChallengePageQuerySet.with_status` give."""
    today = timezone.localdate()
    days = datetime.timedelta
    create_challenge(title="Kommer snart", opens_on=today + days(3), closes_on=today + days(9))
    create_challenge(title="Åpen nå", opens_on=today - days(2), closes_on=today + days(2))
    create_challenge(title="Frist i går", opens_on=today - days(9), closes_on=today - days(1))
    create_challenge(title="Avsluttet", status_override=ChallengeStatus.CONCLUDED)
    create_challenge(
        title="Holdt åpen",
        opens_on=today - days(30),
        closes_on=today - days(20),
        status_override=ChallengeStatus.OPEN,
    )
    IdeaFactory(title="En idé", summary="Ideer har sin egen status.")
    engine_backend.rebuild()

    for offset in (-12, -3, 0, 3, 5, 10):
        day = today + days(offset)
        results = engine_backend.search("", page_size=50, today=day)
        by_title = {hit.title: hit.status for hit in results.hits}
        for page in ChallengePage.objects.live():
            assert by_title[page.title] == page.status_on(day), (page.title, day)
        assert by_title["En idé"] == IdeaStatus.SUBMITTED
        for status in ChallengeStatus.values:
            expected = set(
                ChallengePage.objects.live()
                .with_status(status, day)
                .values_list("title", flat=True)
            )
            found = engine_backend.search("", filters={"status": [status]}, page_size=50, today=day)
            assert set(titles(found)) == expected, (status, day)
            assert results.facet_count("status", status) == len(expected), (status, day)
    both = engine_backend.search("", filters={"status": ["submitted", "concluded"]}, today=today)
    assert set(titles(both)) == {"En idé", "Avsluttet"}


def test_the_search_page_shows_the_status_of_the_day_it_is_asked(
    engine_backend, site_settings, client, monkeypatch
):
    """Anonymous result pages are cached until the index changes; the day is part of
    what they depend on, so the page cached yesterday is not shown today."""
    today = timezone.localdate()
    create_challenge(title="Ensomhet blant eldre", closes_on=today)
    engine_backend.rebuild()
    with translation.override("nb"):
        open_label = str(ChallengeStatus.OPEN.label)
        evaluation_label = str(ChallengeStatus.EVALUATION.label)

    html = client.get(reverse("search:search"), {"q": "ensomhet"}).content.decode()
    assert open_label in html and evaluation_label not in html

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=1))
    html = client.get(reverse("search:search"), {"q": "ensomhet"}).content.decode()
    assert evaluation_label in html and open_label not in html
