"""The embedded backend ranks every match, however many there are.

It once ranked only the 1 000 newest (or most supported) matches, so a better, older
match could be lost among many new ones. These tests make more than 1 000 matches
cheaply (bulk_create, then the backend's own indexing path) and look for the best one.
Runs on SQLite (FTS5, bm25) by default and on PostgreSQL (tsvector, ts_rank_cd) when
DATABASE_URL says so.
"""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from challenges.models import ChallengeStatus
from ideas.models import Idea, IdeaStatus
from search import content, fulltext
from search.backends import base, get_database_backend
from tests.factories import IdeaFactory, UnitFactory, UserFactory, create_challenge

# More than the 1 000 newest that were once all that was ranked.
MANY = 1100


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def bulk_ideas(count: int, *, title: str, description: str, newest: datetime.datetime):
    """`count` public ideas, one minute apart going back from `newest`, indexed through
    the backend's indexing path (as the index tasks and a rebuild do)."""
    author, unit = UserFactory(), UnitFactory()
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                reference=f"2025-{n:05d}",
                title=f"{title} {n}",
                summary="Et forslag fra innbyggerne.",
                description=description,
                author=author,
                owning_unit=unit,
                municipality=unit.municipality,
            )
            for n in range(count)
        ]
    )
    # auto_now_add stamps "now" on create; bulk_update leaves the dates given.
    for n, idea in enumerate(ideas):
        idea.created_at = newest - datetime.timedelta(minutes=n)
    Idea.objects.bulk_update(ideas, ["created_at"], batch_size=500)
    backend = get_database_backend()
    for batch in content.chunks([i.pk for i in ideas], 500):
        backend.index_documents(content.documents_for_ideas(Idea.objects.filter(pk__in=batch)))
    return ideas


@pytest.fixture
def many_benches(db):
    """An old idea about a bench in its title, then more than a thousand newer ideas
    that mention benches once, in passing, in their descriptions."""
    now = timezone.now()
    best = IdeaFactory(
        title="Benk ved elva",
        summary="Vi trenger en benk å hvile på langs turveien.",
        support_count=0,
    )
    Idea.objects.filter(pk=best.pk).update(created_at=now - datetime.timedelta(days=400))
    get_database_backend().index(Idea.objects.get(pk=best.pk))
    bulk_ideas(
        MANY,
        title="Oppgradering av parken",
        description="Nye lyktestolper, nye søppelkasser, ny asfalt og kanskje en benk.",
        newest=now,
    )
    return best


def test_an_older_better_match_ranks_first_among_more_than_the_limit(many_benches):
    results = get_database_backend().search("benk")
    assert results.total == MANY + 1
    assert titles(results)[0] == "Benk ved elva"
    # The counts beside the filters cover every match too.
    assert results.facet_count("type", "idea") == MANY + 1


def test_beyond_the_count_limit_every_match_is_still_ranked(many_benches, monkeypatch):
    """Past COUNT_LIMIT the count stops ("more than"), but the ranking does not: the
    old, best match among 1 101 still comes first, and the pages go on to the cap."""
    monkeypatch.setattr(base, "COUNT_LIMIT", 500)
    backend = get_database_backend()
    results = backend.search("benk")
    assert results.capped and results.shown_total == 500
    assert results.num_pages == 50
    assert titles(results)[0] == "Benk ved elva"
    # The facet counts cover the best 500, and say so.
    assert results.facets_cover == 500
    assert results.facet_count("type", "idea") == 500
    # The last page that can be reached continues the same ranking.
    last = backend.search("benk", page=50)
    assert len(last.hits) == 10 and last.capped and not last.has_next
    assert titles(last)[0] == "Oppgradering av parken 489"
    newest = backend.search("benk", sort="newest")
    assert newest.capped
    assert titles(newest)[:2] == ["Oppgradering av parken 0", "Oppgradering av parken 1"]
    # Under the limit the count is exact.
    assert not backend.search("elva").capped


def test_every_match_can_be_sorted_by_date_or_support(many_benches):
    backend = get_database_backend()
    newest = backend.search("benk", sort="newest")
    assert newest.total == MANY + 1
    assert titles(newest)[:2] == ["Oppgradering av parken 0", "Oppgradering av parken 1"]
    Idea.objects.filter(pk=many_benches.pk).update(support_count=7)
    backend.index(Idea.objects.get(pk=many_benches.pk))
    assert titles(backend.search("benk", sort="support"))[0] == "Benk ved elva"


def test_later_pages_continue_the_ranking(many_benches):
    backend = get_database_backend()
    first = backend.search("benk", page=1)
    second = backend.search("benk", page=2)
    assert len(second.hits) == 10
    assert not {h.pk for h in first.hits} & {h.pk for h in second.hits}
    # The ties among equally good matches fall to the newer first, on every page.
    assert titles(second)[0] == "Oppgradering av parken 9"
    assert second.total == MANY + 1


def test_the_search_costs_the_same_queries_however_many_match(
    many_benches, django_assert_num_queries
):
    backend = get_database_backend()
    backend.search("benk")  # once, for what is cached after the first search (page tree)
    with django_assert_num_queries(2):  # matches, page, count and facets; the page's rows
        backend.search("benk")
    with django_assert_num_queries(2):
        backend.search("benk", sort="support", page=3)
    with django_assert_num_queries(2):
        backend.search("")
    with django_assert_num_queries(2):  # challenge statuses are derived in the same statement
        backend.search("benk", filters={"status": ["open", "submitted"]})


def test_hidden_and_withdrawn_ideas_never_match_even_before_the_index_catches_up(
    many_benches,
):
    hidden = Idea.objects.get(reference="2025-00000")
    withdrawn = Idea.objects.get(reference="2025-00001")
    # Changed without telling the index (as if the update task had not run yet).
    Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Idea.objects.filter(pk=withdrawn.pk).update(status=IdeaStatus.WITHDRAWN)
    backend = get_database_backend()
    results = backend.search("benk", sort="newest")
    assert hidden.title not in titles(results) and withdrawn.title not in titles(results)
    assert results.total == MANY - 1
    assert results.facet_count("type", "idea") == MANY - 1
    assert backend.search("oppgradering parken 0").total == 0
    assert hidden not in backend.similar_ideas(hidden.title, limit=50)


@pytest.mark.parametrize(
    "margin",
    [
        pytest.param(1, id="too-many-of-the-best-hidden"),  # ranks the public ones alone
        pytest.param(10, id="the-best-checked-after-ranking"),
    ],
)
def test_hidden_ideas_among_the_best_give_their_places_to_the_next_best(
    many_benches, monkeypatch, margin
):
    """The search ranks first and checks publicity on the best matches only (plus
    PUBLIC_MARGIN more): however many of those turn out hidden, the results are the
    best public matches, the old best one first, in the same order and count as when
    every public match is ranked."""
    from search.backends import database

    monkeypatch.setattr(base, "COUNT_LIMIT", 5)
    monkeypatch.setattr(database, "PUBLIC_MARGIN", margin)
    # The four newest of the many, each ranked right after the old best match, hidden
    # without telling the index (as if the update task had not run yet).
    Idea.objects.filter(reference__in=[f"2025-{n:05d}" for n in range(4)]).update(is_hidden=True)
    results = get_database_backend().search("benk")
    assert titles(results)[:4] == [
        "Benk ved elva",
        "Oppgradering av parken 4",
        "Oppgradering av parken 5",
        "Oppgradering av parken 6",
    ]
    assert results.capped and results.shown_total == 5
    assert results.facet_count("type", "idea") == 5
    # Browsing (no words, the newest first) checks the newest the same way.
    browsing = get_database_backend().search("")
    assert titles(browsing)[:2] == ["Oppgradering av parken 4", "Oppgradering av parken 5"]
    assert browsing.capped
    # The old best match hidden too: the next best public ones take its place.
    Idea.objects.filter(pk=many_benches.pk).update(is_hidden=True)
    results = get_database_backend().search("benk")
    assert titles(results)[:2] == ["Oppgradering av parken 4", "Oppgradering av parken 5"]
    assert results.capped
    # Under the limit, the count is exact however many matches are hidden.
    Idea.objects.filter(reference__in=[f"2025-{n:05d}" for n in range(4, MANY)]).update(
        is_hidden=True
    )
    assert get_database_backend().search("benk").total == 0
    Idea.objects.filter(reference__in=["2025-00500", "2025-00007"]).update(is_hidden=False)
    results = get_database_backend().search("benk")
    assert results.total == 2 and not results.capped
    assert titles(results) == ["Oppgradering av parken 7", "Oppgradering av parken 500"]


def test_similar_ideas_find_the_best_match_among_many(many_benches):
    backend = get_database_backend()
    assert backend.similar_ideas("En benk ved elva", limit=1) == [many_benches]
    assert backend.similar_ideas("En benk ved elva", limit=1, exclude=many_benches.pk) != [
        many_benches
    ]
    # Descriptions do not count: the many that mention benches there are not similar.
    assert backend.similar_ideas("Benk", limit=5) == [many_benches]


def test_similar_ideas_look_past_words_that_nearly_every_idea_has(many_benches):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does: the lexeme statistics
            cursor.execute(f"ANALYZE {fulltext.ENTRY}")
    backend = get_database_backend()
    # Over a thousand ideas are called "Oppgradering av parken": those words say
    # nothing, the bench does.
    assert backend.similar_ideas("Oppgradering av parken med en benk", limit=1) == [many_benches]
    # Nothing but common words: an idea must then have them all.
    similar = backend.similar_ideas("Oppgradering av parken", limit=3)
    assert len(similar) == 3 and all(i.title.startswith("Oppgradering") for i in similar)


def test_facet_counts_cover_the_best_matches_when_there_are_very_many(many_benches, monkeypatch):
    from search.backends import database

    monkeypatch.setattr(database, "FACET_LIMIT", 100)
    results = get_database_backend().search("benk")
    assert results.total == MANY + 1
    assert results.facets_cover == 100
    assert results.facet_count("type", "idea") == 100
    assert titles(results)[0] == "Benk ved elva"
    assert get_database_backend().search("elva").facets_cover == 0


def test_did_you_mean_picks_a_public_title_word(db):
    IdeaFactory(title="Gatelys ved skolen")
    IdeaFactory(title="Hemmelig prosjektnavn", is_hidden=True)
    hidden_then = IdeaFactory(title="Kodenavn sommerfugl")
    backend = get_database_backend()
    backend.rebuild()
    # Hidden after the rebuild: its title's words stay in the vocabulary until the next.
    Idea.objects.filter(pk=hidden_then.pk).update(is_hidden=True)
    backend.index(Idea.objects.get(pk=hidden_then.pk))
    assert backend.search("gatelyss").did_you_mean == "gatelys"
    assert backend.search("skoolen gatelyss").did_you_mean == "skolen gatelys"
    assert backend.search("prosjektnav").did_you_mean == ""
    assert backend.search("somerfugl").did_you_mean == ""


def test_the_full_text_can_be_written_again_from_the_index_rows(db):
    """What the migration does: it changes what is stored, without a rebuild."""
    idea = IdeaFactory(title="Regnbed i gatene", summary="Mindre overvann.")
    idea.tags.add("klimatilpasning")
    backend = get_database_backend()
    backend.rebuild()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {fulltext.ENTRY} SET document = '', headline = ''")
            cursor.execute(f"UPDATE {fulltext.RANK} SET document = ''")
        else:
            cursor.execute(f"DELETE FROM {fulltext.FTS}")
        cursor.execute(f"DELETE FROM {fulltext.WORD}")
    assert backend.search("klimatilpasning").total == 0
    fulltext.populate(connection)
    assert titles(backend.search("klimatilpasning")) == ["Regnbed i gatene"]
    assert backend.similar_ideas("klimatilpasning") == [idea]
    assert backend.search("regnbedd").did_you_mean == "regnbed"


def test_challenge_entries_indexed_with_a_status_get_their_dates_from_the_migration(db):
    """Entries written before the dates were kept stored the status of the day they were
    indexed; the migration gives them their pages' dates, so they need no rebuild."""
    from search.models import IndexEntry, IndexFacet

    migration = importlib.import_module("search.migrations.0005_challenge_status_dates")
    today = timezone.localdate()
    page = create_challenge(
        title="Ensomhet blant eldre", opens_on=today - datetime.timedelta(days=9), closes_on=today
    )
    IdeaFactory(title="Besøksvenn for eldre", status=IdeaStatus.SUBMITTED)
    backend = get_database_backend()
    backend.rebuild()
    # As 0004 left them: the status stored, as a column and as a facet row.
    entry = IndexEntry.objects.get(object_type=content.CHALLENGE, object_id=page.pk)
    IndexEntry.objects.filter(pk=entry.pk).update(
        status=ChallengeStatus.OPEN, opens_on=None, closes_on=None
    )
    IndexFacet.objects.create(entry=entry, facet="status", key=ChallengeStatus.OPEN)

    migration.fill_challenge_dates(django_apps, SimpleNamespace(connection=connection))

    entry.refresh_from_db()
    assert (entry.opens_on, entry.closes_on, entry.status) == (page.opens_on, page.closes_on, "")
    tomorrow = today + datetime.timedelta(days=1)
    results = backend.search("eldre", today=tomorrow)
    assert {h.title: h.status for h in results.hits} == {
        "Ensomhet blant eldre": ChallengeStatus.EVALUATION,
        "Besøksvenn for eldre": IdeaStatus.SUBMITTED,
    }
    assert results.facet_count("status", ChallengeStatus.OPEN) == 0
    assert results.facet_count("status", ChallengeStatus.EVALUATION) == 1
    assert results.facet_count("status", IdeaStatus.SUBMITTED) == 1


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


def ranking_rows() -> dict[int, int]:
    """The ranking rows' (object id, support), by idea."""
    from search.models import IndexRank

    return dict(IndexRank.objects.values_list("object_id", "support_count"))


def test_ranking_rows_follow_the_entries(db):
    """Both databases rank from rows holding only what ranking needs (`IndexRank`):
    they are written, replaced and deleted with their entries, and the ranking reads
    them (two equally good matches fall to the more supported)."""
    from search.models import IndexEntry

    backend = get_database_backend()
    text = {"summary": "Sitteplass langs turveien.", "description": "Til hvile."}
    elva = IdeaFactory(title="Benk ved elva", support_count=1, **text)
    sjoen = IdeaFactory(title="Benk ved sjøen", support_count=2, **text)
    gone = IdeaFactory(title="Benk i parken")
    backend.rebuild()
    assert ranking_rows() == {elva.pk: 1, sjoen.pk: 2, gone.pk: 0}
    assert titles(backend.search("benk ved"))[:2] == ["Benk ved sjøen", "Benk ved elva"]

    Idea.objects.filter(pk=elva.pk).update(support_count=5)
    backend.index(Idea.objects.get(pk=elva.pk))
    Idea.objects.filter(pk=gone.pk).update(is_hidden=True)
    backend.index(Idea.objects.get(pk=gone.pk))
    assert ranking_rows() == {elva.pk: 5, sjoen.pk: 2}
    assert titles(backend.search("benk")) == ["Benk ved elva", "Benk ved sjøen"]

    # An entry deleted by any path takes its ranking row with it (the foreign key).
    IndexEntry.objects.filter(object_type=content.IDEA, object_id=sjoen.pk).delete()
    assert ranking_rows() == {elva.pk: 5}
    assert titles(backend.search("benk")) == ["Benk ved elva"]


def test_a_rebuild_writes_every_ranking_row_again(db):
    from search.models import IndexEntry, IndexRank

    backend = get_database_backend()
    ideas = [IdeaFactory(title=f"Lys i lysløypa {n}", support_count=n) for n in range(3)]
    backend.rebuild()
    IndexRank.objects.filter(object_id=ideas[0].pk).delete()
    IndexRank.objects.filter(object_id=ideas[1].pk).update(support_count=40)
    assert backend.rebuild() == 3
    assert ranking_rows() == {idea.pk: n for n, idea in enumerate(ideas)}
    assert set(IndexRank.objects.values_list("pk", flat=True)) == set(
        IndexEntry.objects.values_list("pk", flat=True)
    )
    assert titles(backend.search("lysløypa"))[0] == "Lys i lysløypa 2"


def test_the_migration_writes_ranking_rows_for_entries_indexed_before_them(db):
    """SQLite's ranking rows came after its entries (0007): the migration writes them
    from the entries, so searches need no rebuild (PostgreSQL's came in 0006)."""
    from search.models import IndexRank

    migration = importlib.import_module("search.migrations.0007_sqlite_ranking_rows")
    older = IdeaFactory(title="Gatelys på skoleveien", support_count=4)
    get_database_backend().rebuild()
    if connection.vendor == "sqlite":
        # As 0006 left them: no ranking rows on SQLite.
        IndexRank.objects.all().delete()
        with connection.cursor() as cursor:
            editor = SimpleNamespace(connection=connection, execute=cursor.execute)
            migration._run(migration.SQLITE_FORWARD)(django_apps, editor)
    assert ranking_rows() == {older.pk: 4}
    assert titles(get_database_backend().search("gatelys")) == ["Gatelys på skoleveien"]
