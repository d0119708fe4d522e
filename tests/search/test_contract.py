"""One contract, every backend: embedded (SQLite or PostgreSQL) and Elasticsearch.

`search_backend` (tests/search/conftest.py) runs each test against each available
backend. The tests go through the public surface: services that change ideas, Wagtail
page operations, the tasks they enqueue on commit, and the backend's answers.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_comments_xtd.models import XtdComment

from challenges.models import ChallengePage, ChallengeStatus
from ideas import actions, comment_services, services
from ideas.models import IdeaStatus
from search import content
from search.backends import get_database_backend
from tests.factories import (
    IdeaFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
)


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def idea(*, tags=(), **fields):
    made = IdeaFactory(**fields)
    if tags:
        made.tags.add(*tags)
    return made


@pytest.fixture
def corpus(search_backend):
    oppvekst = ThemeFactory(name="Oppvekst", slug="oppvekst")
    klima = ThemeFactory(name="Klima", slug="klima")
    helse = ThemeFactory(name="Helse", slug="helse")
    unit_oppvekst = UnitFactory(name="Oppvekst", slug="oppvekst")
    teknisk = UnitFactory(name="Teknisk", slug="teknisk")
    omsorg = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
    eldre = create_challenge(
        title="Ensomhet blant eldre",
        summary="Mange eldre bor alene og savner noen å snakke med.",
        theme=helse,
        owning_unit=omsorg,
    )
    klimatilpasning = create_challenge(
        title="Klimatilpasning i sentrum",
        summary="Kraftig regn gir mer overvann i gatene.",
        theme=klima,
        owning_unit=teknisk,
    )
    data = {
        "eldre": eldre,
        "klimatilpasning": klimatilpasning,
        "barnehage": idea(
            title="Flere plasser i barnehagen",
            summary="Foreldre venter for lenge på plass til barna sine.",
            description="Kommunen bør bygge ut i nye boligfelt.",
            theme=oppvekst,
            owning_unit=unit_oppvekst,
            tags=["barn", "plass"],
        ),
        "tjenester": idea(
            title="Digitale tjenester for innbyggere",
            summary="Søknader bør kunne sendes på nett.",
            owning_unit=teknisk,
            tags=["digitalt"],
        ),
        "soppel": idea(
            title="Søppelet i parken",
            summary="Flere søppelkasser ved lekeplassen.",
            owning_unit=teknisk,
        ),
        "regnbed": idea(
            title="Regnbed i gatene",
            summary="Regnbed tar unna overvannet fra takene.",
            challenge=klimatilpasning,
            theme=klima,
            owning_unit=teknisk,
            support_count=3,
        ),
        "besok": idea(
            title="Besøksvenn for eldre",
            summary="Frivillige kan besøke dem som bor alene.",
            challenge=eldre,
            theme=helse,
            owning_unit=omsorg,
            support_count=12,
        ),
        "lekeplass": idea(
            title="Ny lekeplass på Sandvik",
            summary="Ungene trenger et sted å leke.",
            description="Den kan ligge ved siden av barnehagen.",
            owning_unit=unit_oppvekst,
        ),
        "hidden": idea(title="Skjult barnehage", summary="Barnehage skjult", is_hidden=True),
        "withdrawn": idea(
            title="Trukket barnehage", summary="Barnehage trukket", status=IdeaStatus.WITHDRAWN
        ),
        "draft": create_challenge(title="Barnehage i utkast", live=False),
    }
    search_backend.rebuild()
    get_database_backend().rebuild()
    return data


# --- language ------------------------------------------------------------------------


def test_norwegian_stemming_and_letters_as_typed(search_backend, corpus):
    expectations = {
        "barnehage": "Flere plasser i barnehagen",
        "barnehagen": "Flere plasser i barnehagen",
        "barnehager": "Flere plasser i barnehagen",
        "eldre": "Ensomhet blant eldre",
        "overvann": "Regnbed i gatene",
        "tjenester": "Digitale tjenester for innbyggere",
        "tjeneste": "Digitale tjenester for innbyggere",
        "søppel": "Søppelet i parken",
        "Søppel": "Søppelet i parken",
    }
    for query, expected in expectations.items():
        found = titles(search_backend.search(query))
        assert expected in found, (query, found)
    assert "Regnbed i gatene" not in titles(search_backend.search("barnehage"))
    # Only stop words: nothing to look for, and no error.
    assert search_backend.search("og i på").total == 0


def test_title_outweighs_body(search_backend, corpus):
    found = titles(search_backend.search("barnehagen"))
    assert found.index("Flere plasser i barnehagen") < found.index("Ny lekeplass på Sandvik")


def test_all_words_must_match(search_backend, corpus):
    assert titles(search_backend.search("eldre alene")) == [
        "Ensomhet blant eldre",
        "Besøksvenn for eldre",
    ] or set(titles(search_backend.search("eldre alene"))) == {
        "Ensomhet blant eldre",
        "Besøksvenn for eldre",
    }
    assert search_backend.search("eldre regnbed").total == 0


# --- facets, sorting, paging --------------------------------------------------------


def test_facets_and_counts(search_backend, corpus):
    everything = search_backend.search("")
    assert everything.total == 8  # 6 public ideas + 2 live challenges
    assert everything.facet_count("type", "idea") == 6
    assert everything.facet_count("type", "challenge") == 2
    assert everything.facet_count("unit", "teknisk") == 4
    assert everything.facet_count("theme", "klima") == 2
    assert everything.facet_count("tag", "barn") == 1
    assert everything.facet_count("status", "submitted") == 6
    assert everything.facet_count("status", "open") == 2
    eldre = str(corpus["eldre"].pk)
    assert everything.facet_count("challenge", eldre) == 2  # the challenge and its idea

    filtered = search_backend.search("", filters={"unit": ["teknisk"], "type": ["idea"]})
    assert set(titles(filtered)) == {
        "Digitale tjenester for innbyggere",
        "Søppelet i parken",
        "Regnbed i gatene",
    }
    assert filtered.facet_count("theme", "klima") == 1
    assert [v.selected for v in filtered.facets["unit"] if v.key == "teknisk"] == [True]

    either = search_backend.search("", filters={"theme": ["klima", "helse"]})
    assert either.total == 4

    assert search_backend.search("eldre", filters={"type": ["challenge"]}).total == 1
    assert search_backend.search("", filters={"nonsense": ["x"]}).total == 8


def test_sorting_and_paging(search_backend, corpus):
    supported = search_backend.search("", sort="support")
    assert titles(supported)[:2] == ["Besøksvenn for eldre", "Regnbed i gatene"]
    newest = search_backend.search("", filters={"type": ["idea"]}, sort="newest")
    assert titles(newest)[0] == "Ny lekeplass på Sandvik"
    first = search_backend.search("", page=1, page_size=3)
    second = search_backend.search("", page=2, page_size=3)
    third = search_backend.search("", page=3, page_size=3)
    assert first.num_pages == 3 and first.has_next and not first.has_previous
    seen = titles(first) + titles(second) + titles(third)
    assert len(seen) == 8 and len(set(seen)) == 8


def test_past_the_count_limit_the_count_is_more_than(search_backend, corpus, monkeypatch):
    """Every backend shows "more than COUNT_LIMIT" past it and pages to the cap (the
    embedded one stops counting there; Elasticsearch's exact total is capped alike)."""
    from search.backends import base

    monkeypatch.setattr(base, "COUNT_LIMIT", 5)
    everything = search_backend.search("", sort="support", page_size=2)
    assert everything.capped and everything.shown_total == 5
    assert everything.num_pages == 3
    assert titles(everything) == ["Besøksvenn for eldre", "Regnbed i gatene"]
    assert len(search_backend.search("", sort="support", page=3, page_size=2).hits) == 2
    assert not search_backend.search("barnehage").capped


# --- highlights, suggestions, did you mean ----------------------------------------------


def test_highlights_mark_matches_and_escape_content(search_backend, corpus):
    hit = next(h for h in search_backend.search("barnehager").hits if h.type == "idea")
    assert "<mark>barnehagen</mark>" in hit.title_html
    sneaky = idea(
        title="Skole <script>alert(1)</script>",
        summary='Skolegården trenger <b onmouseover="x">benker</b> og skygge.',
    )
    search_backend.index(sneaky)
    hit = search_backend.search("benker").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<b " not in hit.snippet and "&lt;b" in hit.snippet
    assert "<mark>benker</mark>" in hit.snippet


def test_suggestions_while_typing(search_backend, corpus):
    assert "Flere plasser i barnehagen" in [s.text for s in search_backend.suggest("barneh")]
    suggestions = search_backend.suggest("ensom")
    assert [(s.text, s.type) for s in suggestions] == [("Ensomhet blant eldre", "challenge")]
    assert suggestions[0].url == corpus["eldre"].url
    assert [s.text for s in search_backend.suggest("Søppel")] == ["Søppelet i parken"]
    assert "Skjult barnehage" not in [s.text for s in search_backend.suggest("skjult")]
    assert search_backend.suggest("") == []


def test_did_you_mean(search_backend, corpus):
    results = search_backend.search("barnehgen")
    assert results.total == 0
    assert results.did_you_mean == "barnehagen"


def test_similar_ideas(search_backend, corpus):
    similar = search_backend.similar_ideas("Vi trenger flere barnehageplasser, barnehagen er full")
    assert similar and similar[0] == corpus["barnehage"]
    assert corpus["hidden"] not in similar and corpus["withdrawn"] not in similar
    assert all(type(i).__name__ == "Idea" for i in similar)
    assert search_backend.similar_ideas("eldre som bor alene", limit=1) == [corpus["besok"]]
    assert search_backend.similar_ideas("") == []
    assert corpus["besok"] not in search_backend.similar_ideas(
        "eldre som bor alene", exclude=corpus["besok"].pk
    )


# --- what is public -----------------------------------------------------------------------


def test_hidden_withdrawn_and_unpublished_are_never_indexed(search_backend, corpus):
    found = titles(search_backend.search("barnehage"))
    assert "Skjult barnehage" not in found
    assert "Trukket barnehage" not in found
    assert "Barnehage i utkast" not in found
    assert not search_backend.is_indexable(corpus["hidden"])
    assert not search_backend.is_indexable(corpus["draft"])


def test_stale_index_entries_are_filtered_at_query_time(search_backend, corpus):
    """Defence in depth: even if the index still holds it, private content is not shown."""
    from ideas.models import Idea

    for name in ("hidden", "withdrawn"):
        search_backend.index_documents(
            content.documents_for_ideas(Idea.objects.filter(pk=corpus[name].pk))
        )
    from challenges.models import ChallengePage

    search_backend.index_documents(
        content.documents_for_challenges(ChallengePage.objects.filter(pk=corpus["draft"].pk))
    )
    found = titles(search_backend.search("barnehage"))
    assert found == ["Flere plasser i barnehagen", "Ny lekeplass på Sandvik"]
    assert search_backend.search("barnehage", filters={"type": ["idea"]}).hits
    assert "Skjult barnehage" not in [s.text for s in search_backend.suggest("skjult")]
    assert corpus["hidden"] not in search_backend.similar_ideas("skjult barnehage")


# --- challenge status follows the dates -----------------------------------------------------


def test_a_challenge_closes_in_search_when_its_deadline_passes_without_reindexing(
    search_backend,
):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    create_challenge(title="Ensomhet blant eldre", closes_on=today)
    search_backend.rebuild()

    results = search_backend.search("ensomhet", today=today)
    assert results.hits[0].status == ChallengeStatus.OPEN
    assert results.facet_count("status", ChallengeStatus.OPEN) == 1
    assert search_backend.search("", filters={"status": ["open"]}, today=today).total == 1

    # The next day, with nothing written to the index in between:
    results = search_backend.search("ensomhet", today=tomorrow)
    assert results.hits[0].status == ChallengeStatus.EVALUATION
    assert results.facet_count("status", ChallengeStatus.OPEN) == 0
    assert results.facet_count("status", ChallengeStatus.EVALUATION) == 1
    assert search_backend.search("", filters={"status": ["open"]}, today=tomorrow).total == 0
    evaluated = search_backend.search("", filters={"status": ["evaluation"]}, today=tomorrow)
    assert titles(evaluated) == ["Ensomhet blant eldre"]


def test_challenge_status_in_the_index_agrees_with_the_database(search_backend):
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
    search_backend.rebuild()

    for offset in (-12, -3, 0, 3, 5, 10):
        day = today + days(offset)
        results = search_backend.search("", page_size=50, today=day)
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
            found = search_backend.search("", filters={"status": [status]}, page_size=50, today=day)
            assert set(titles(found)) == expected, (status, day)
            assert results.facet_count("status", status) == len(expected), (status, day)
    both = search_backend.search("", filters={"status": ["submitted", "concluded"]}, today=today)
    assert set(titles(both)) == {"En idé", "Avsluttet"}


def test_the_search_page_shows_the_status_of_the_day_it_is_asked(
    search_backend, site_settings, client, monkeypatch
):
    """Anonymous result pages are cached until the index changes; the day is part of
    what they depend on, so the page cached yesterday is not shown today."""
    today = timezone.localdate()
    create_challenge(title="Ensomhet blant eldre", closes_on=today)
    search_backend.rebuild()
    with translation.override("nb"):
        open_label = str(ChallengeStatus.OPEN.label)
        evaluation_label = str(ChallengeStatus.EVALUATION.label)

    html = client.get(reverse("search:search"), {"q": "ensomhet"}).content.decode()
    assert open_label in html and evaluation_label not in html

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=1))
    html = client.get(reverse("search:search"), {"q": "ensomhet"}).content.decode()
    assert evaluation_label in html and open_label not in html


# --- re-indexing on every kind of change --------------------------------------------------------


def test_submit_indexes_on_commit(search_backend, corpus, django_capture_on_commit_callbacks):
    UnitFactory(name="Strategi og utvikling", slug="strategi-og-utvikling")
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.idea_submit(
            author=author,
            title="Gatelys på skoleveien",
            summary="Mørkt om vinteren.",
            description="Barna går i mørket til skolen.",
            kind="idea",
            tags=["trafikk"],
        )
    results = search_backend.search("gatelys")
    assert titles(results) == ["Gatelys på skoleveien"]
    assert results.hits[0].published_at == submitted.created_at
    assert results.hits[0].url == submitted.get_absolute_url()
    assert results.facet_count("tag", "trafikk") == 1


def test_edit_reindexes(search_backend, corpus, django_capture_on_commit_callbacks):
    target = corpus["soppel"]
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_edit(
            idea=target,
            by=target.author,
            title="Avfallsdunker i parken",
            summary="Flere dunker ved lekeplassen.",
            description="Det flyter over i helgene.",
        )
    assert titles(search_backend.search("avfallsdunker")) == ["Avfallsdunker i parken"]
    assert search_backend.search("søppelet").total == 0


def test_transitions_reindex(search_backend, corpus, django_capture_on_commit_callbacks):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_transition(idea=corpus["regnbed"], to=IdeaStatus.IN_REVIEW, by=admin)
    results = search_backend.search("regnbed")
    assert results.hits[0].status == IdeaStatus.IN_REVIEW
    assert results.facet_count("status", "in_review") == 1

    withdrawn = corpus["tjenester"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_transition(idea=withdrawn, to=IdeaStatus.WITHDRAWN, by=withdrawn.author)
    assert search_backend.search("tjenester").total == 0


def test_votes_reindex(search_backend, corpus, django_capture_on_commit_callbacks):
    voters = [UserFactory() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            services.vote_cast(idea=corpus["soppel"], voter=voter)
    hit = search_backend.search("søppel").hits[0]
    assert hit.support_count == 4
    assert titles(search_backend.search("", filters={"unit": ["teknisk"]}, sort="support"))[0] == (
        "Søppelet i parken"
    )


def test_comments_are_searchable_until_hidden(
    search_backend, corpus, django_capture_on_commit_callbacks
):
    commenter = UserFactory()
    moderator = UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.comment_post(
            idea=corpus["soppel"], author=commenter, text="Måkene river opp posene hver natt."
        )
    assert titles(search_backend.search("måkene")) == ["Søppelet i parken"]
    comment = XtdComment.objects.get(pk=comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_hide(comment=comment, by=moderator)
    assert search_backend.search("måkene").total == 0


def test_challenge_publish_unpublish_move_delete(
    search_backend, corpus, django_capture_on_commit_callbacks
):
    draft = corpus["draft"]
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert titles(search_backend.search("utkast")) == ["Barnehage i utkast"]

    from challenges.models import ChallengePage

    with django_capture_on_commit_callbacks(execute=True):
        ChallengePage.objects.get(pk=draft.pk).unpublish()
    assert search_backend.search("utkast").total == 0

    # Moving changes the URL that search links to.
    from cms.models import HomePage

    challenge = corpus["klimatilpasning"]
    old_url = challenge.url
    home = HomePage.objects.get()
    new_parent = challenge.get_parent().specific.copy(
        to=home, update_attrs={"title": "Flere utfordringer", "slug": "flere"}, recursive=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        challenge.move(new_parent, pos="last-child")
    hit = search_backend.search("klimatilpasning").hits[0]
    challenge.refresh_from_db()
    assert hit.url == challenge.url != old_url

    with django_capture_on_commit_callbacks(execute=True):
        corpus["eldre"].delete()
    assert search_backend.search("ensomhet").total == 0


# --- rebuilding ---------------------------------------------------------------------------


def test_rebuild_catches_up_and_counts(search_backend, corpus):
    late = idea(title="Sykkelparkering ved stasjonen", summary="Trygg parkering.")
    assert search_backend.search("sykkelparkering").total == 0  # nobody indexed it
    assert search_backend.rebuild() == 9
    assert search_backend.count() == 9
    assert titles(search_backend.search("sykkelparkering")) == [late.title]


def test_failed_rebuild_leaves_the_old_index_answering(search_backend, corpus):
    idea(title="Sykkelparkering ved stasjonen", summary="Trygg parkering.")

    def explode(loaded):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        search_backend.rebuild(progress=explode)
    assert "Flere plasser i barnehagen" in titles(search_backend.search("barnehager"))
    assert search_backend.search("sykkelparkering").total == 0
    assert search_backend.count() == 8


def test_alias_swap_during_rebuild(engine_backend, db):
    """The alias keeps answering from the old index until the new one is complete."""
    early = idea(title="Benker langs elva", summary="Steder å hvile.")
    engine_backend.rebuild()
    old_indices = engine_backend._indices_behind_alias()
    late = idea(title="Sykkelparkering ved stasjonen", summary="Trygg parkering.")
    seen_during = []

    def during(loaded):
        seen_during.append(
            (
                titles(engine_backend.search("benker")),
                titles(engine_backend.search("sykkelparkering")),
            )
        )
        assert engine_backend._indices_behind_alias() == old_indices

    engine_backend.rebuild(progress=during)
    assert seen_during and all(seen == ([early.title], []) for seen in seen_during)
    new_indices = engine_backend._indices_behind_alias()
    assert len(new_indices) == 1 and new_indices != old_indices
    assert titles(engine_backend.search("sykkelparkering")) == [late.title]
    # The old index is gone.
    response = engine_backend.client.options(ignore_status=404).indices.exists(index=old_indices[0])
    assert not response
