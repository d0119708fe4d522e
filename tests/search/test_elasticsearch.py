"""What only the Elasticsearch backend has to get right: writes made while a rebuild runs
reach the index it swaps in. (A challenge's status following its dates is in the contract,
tests/search/test_contract.py.) Against the stand-in (osmem-server) and, when
ELASTICSEARCH_URL is set, a real cluster (`engine_backend`, tests/search/conftest.py).

A rebuild is driven step by step (`begin_rebuild`, `load`, `finish`) so that the tests
can put writes exactly where a slow rebuild would meet them.
"""

from __future__ import annotations

import pytest

from ideas import actions, services
from ideas.models import IdeaStatus
from search import content
from tests.factories import IdeaFactory, UnitFactory, UserFactory


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
