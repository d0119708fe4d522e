"""A word in most entries is ranked from its own, already scored rows (PostgreSQL).

Scoring every match of such a word at search time is what made a common-word search
slow at 100 000 ideas. `refresh_common_terms` gives the commonest stems ranking rows of
their own, which triggers keep in step with the index; a one-word search reads them in
order. These tests hold both paths to the same results: each search is also run with no
stem common (every match scored at search time) and must agree in every hit, score,
count and facet count. On SQLite no stem is ever common, and the same searches are
ranked by bm25 from the FTS table.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Idea
from search import content, fulltext
from search.backends import get_database_backend
from search.models import CommonTerm, CommonTermRank, IndexEntry
from tests.factories import IdeaFactory

# Low enough that the word of these tests counts as common among a dozen ideas.
MINIMUM = 4
POSTGRES = connection.vendor == "postgresql"


def outcome(results) -> tuple:
    return (
        [(hit.title, round(hit.score or 0, 6)) for hit in results.hits],
        results.total,
        sorted((name, v.key, v.count) for name, values in results.facets.items() for v in values),
    )


def scored_at_search_time(search):
    """`search()`'s outcome with no stem common, then with them common again."""
    stems = list(CommonTerm.objects.values_list("stem", flat=True))
    rows = list(CommonTermRank.objects.all())
    CommonTerm.objects.all().delete()
    CommonTermRank.objects.all().delete()
    try:
        return outcome(search())
    finally:
        CommonTerm.objects.bulk_create([CommonTerm(stem=s) for s in stems])
        CommonTermRank.objects.bulk_create(rows)


def read_from_term_rows(search) -> tuple:
    """`search()`'s outcome, and whether its statement read the stem's own rows."""
    with CaptureQueriesContext(connection) as queries:
        results = search()
    used = any(fulltext.TERM in q["sql"] for q in queries.captured_queries)
    return outcome(results), used


def same_both_ways(search) -> tuple:
    """Run `search` both ways and check they agree; its outcome."""
    fast, used = read_from_term_rows(search)
    assert used == POSTGRES
    assert fast == scored_at_search_time(search)
    return fast


def term_rows(stem: str) -> dict[int, int]:
    """The stem's ranking rows: {idea id: support}."""
    entries = dict(IndexEntry.objects.values_list("pk", "object_id"))
    return {
        entries[entry_id]: support
        for entry_id, support in CommonTermRank.objects.filter(stem=stem).values_list(
            "entry_id", "support_count"
        )
    }


@pytest.fixture
def benches(db):
    """A dozen ideas mentioning benches in every part, with different support."""
    made = [
        IdeaFactory(title="Benk ved elva", summary="Hvile langs turveien.", support_count=1),
        IdeaFactory(title="Sitteplass i parken", summary="En benk og et bord.", support_count=9),
        IdeaFactory(
            title="Lys i lysløypa", description="Og kanskje en benk ved starten.", support_count=3
        ),
        IdeaFactory(title="Benk, benk og benk", summary="Benker overalt.", support_count=0),
    ]
    made += [
        IdeaFactory(title=f"Benk nummer {n}", summary="Enda en benk.", support_count=n % 3)
        for n in range(8)
    ]
    made.append(IdeaFactory(title="Gatelys ved skolen", summary="Tryggere skolevei."))
    backend = get_database_backend()
    backend.rebuild()
    fulltext.refresh_common_terms(connection, minimum=MINIMUM)
    return made


def test_a_common_word_ranks_the_same_from_its_own_rows(benches):
    backend = get_database_backend()
    titles, total, facets = same_both_ways(lambda: backend.search("benk"))
    assert total == 12 and len(titles) == 10
    assert titles[0][0] == "Benk, benk og benk"  # in the title, the summary, three times
    assert ("type", "idea", 12) in facets
    same_both_ways(lambda: backend.search("benk", page=2))
    same_both_ways(lambda: backend.search("benk", filters={"type": ["idea"]}))
    if POSTGRES:
        assert set(CommonTerm.objects.values_list("stem", flat=True)) >= {"benk"}
        assert "gatelys" not in set(CommonTerm.objects.values_list("stem", flat=True))
        assert term_rows("benk") == {idea.pk: idea.support_count for idea in benches[:12]}


def test_the_rows_follow_votes_edits_and_hiding(benches):
    """The triggers keep a common stem's rows with the index through every write."""
    backend = get_database_backend()
    least = benches[4]  # "Benk nummer 0", no support
    Idea.objects.filter(pk=least.pk).update(support_count=50)
    backend.index(Idea.objects.get(pk=least.pk))
    edited = benches[1]
    Idea.objects.filter(pk=edited.pk).update(summary="Et bord i skyggen.")
    backend.index(Idea.objects.get(pk=edited.pk))
    hidden = benches[5]
    Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
    backend.index(Idea.objects.get(pk=hidden.pk))
    added = IdeaFactory(title="Benk ved sjøen", support_count=2)
    backend.index(added)

    titles, total, _ = same_both_ways(lambda: backend.search("benk"))
    assert total == 11
    names = [title for title, _ in titles]
    assert edited.title not in names and hidden.title not in names
    assert "Benk ved sjøen" in names
    # Equally good matches (the same words but a digit): the more supported first.
    assert names.index("Benk nummer 0") < names.index("Benk nummer 2")
    if POSTGRES:
        expected = {idea.pk: idea.support_count for idea in benches[:12]}
        expected.update({least.pk: 50, added.pk: 2})
        del expected[edited.pk], expected[hidden.pk]
        assert term_rows("benk") == expected


def test_a_refresh_drops_stems_no_longer_common_and_the_search_stays_the_same(benches):
    backend = get_database_backend()
    before = outcome(backend.search("benk"))
    changed = fulltext.refresh_common_terms(connection, minimum=100)
    if POSTGRES:
        assert "benk" in changed.removed and not changed.stems
    assert not CommonTermRank.objects.exists()
    found, used = read_from_term_rows(lambda: backend.search("benk"))
    assert found == before and not used


def test_a_search_still_finds_a_stem_that_stopped_being_common_meanwhile(benches):
    """Searches remember which stems are common; a refresh may remove one's rows just
    after. The search then ranks the word as any other instead of finding nothing."""
    backend = get_database_backend()
    before = outcome(backend.search("benk"))
    CommonTermRank.objects.filter(stem="benk").delete()  # as that refresh would
    assert outcome(backend.search("benk")) == before


def test_a_rebuild_makes_the_common_stems_again(benches, monkeypatch):
    monkeypatch.setattr(fulltext, "COMMON_TERM_MIN", MINIMUM)
    backend = get_database_backend()
    CommonTerm.objects.all().delete()
    CommonTermRank.objects.all().delete()
    IdeaFactory(title="Benk ved biblioteket")
    assert backend.rebuild() == 14
    if POSTGRES:
        assert "benk" in set(CommonTerm.objects.values_list("stem", flat=True))
        assert len(term_rows("benk")) == 13
    same_both_ways(lambda: backend.search("benk"))


def test_the_search_page_shows_the_same_results_either_way(benches, client, site_settings):
    """What a visitor sees: the page's hits in the same order."""

    def page() -> str:
        html = client.get("/search/", {"q": "benk"}).content.decode()
        return "".join(html.split()).split("<main", 1)[1]

    fast = page()
    # The index changes (a new idea), so the page is rendered again, now scored at
    # search time.
    IdeaFactory(title="Gatelys i parken")
    get_database_backend().index_documents(content.documents_for_ideas(Idea.objects.all()))
    CommonTerm.objects.all().delete()
    CommonTermRank.objects.all().delete()
    slow = page()
    assert fast == slow and benches[3].get_absolute_url() in fast
