"""Published solutions in search, on every backend (`search_backend`: embedded and
Elasticsearch): found by their title, problem, what was done, themes and municipality; in
the type facet; never while a draft, in review or withdrawn (not even after a rebuild);
kept up to date through portal.invalidation on publish, edit, withdrawal and adoption;
and the search page's card and cost with solution hits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from search import content
from search.backends import get_database_backend
from solutions import actions
from tests.factories import MunicipalityFactory, ThemeFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import draft_from, editor_of, published_from, put_into_use_project

# Words only a solution's non-public parts hold: the reviewer's comment, the contact.
SECRET_COMMENT = "Returkommentaren"


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def world(search_backend, django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Fjordvik kommune", slug="fjordvik")
    unit = UnitFactory(municipality=municipality)
    staff = admin_staff_of(unit)
    editor = editor_of(municipality)
    theme = ThemeFactory(name="Eldre", slug="eldre")
    with django_capture_on_commit_callbacks(execute=True):
        project = put_into_use_project(unit, by=staff, name="Nattprosjektet")
        solution = published_from(
            project,
            by=staff,
            reviewer=editor,
            title="Digitalt tilsyn om natten",
            problem="Nattevakter vekker eldre for å se til dem.",
            what_was_done="Sensorer varsler når noen trenger hjelp.",
            themes=[theme],
        )
    solution.refresh_from_db()
    return {
        "solution": solution,
        "project": project,
        "staff": staff,
        "editor": editor,
        "unit": unit,
        "theme": theme,
        "municipality": municipality,
    }


def test_a_published_solution_is_found_by_its_words(search_backend, world):
    solution = world["solution"]
    for query in ("tilsyn natten", "nattevakter", "sensorer varsler", "fjordvik tilsyn"):
        results = search_backend.search(query, filters={"type": [content.SOLUTION]})
        assert titles(results) == ["Digitalt tilsyn om natten"], query
    hit = search_backend.search("sensorer").hits[0]
    assert hit.type == content.SOLUTION
    assert hit.url == solution.get_absolute_url()
    with translation.override("en"):
        url = search_backend.search("sensorer").hits[0].url
    assert url == f"/en{solution.get_absolute_url()}"


def test_a_solution_has_its_themes_and_municipality_as_facets(search_backend, world):
    results = search_backend.search("sensorer")
    assert results.facet_count("type", content.SOLUTION) == 1
    assert results.facet_count("theme", "eldre") == 1
    assert results.facet_count("municipality", "fjordvik") == 1
    only = search_backend.search("", filters={"type": [content.SOLUTION]})
    assert titles(only) == ["Digitalt tilsyn om natten"]
    assert "Digitalt tilsyn om natten" in titles(
        search_backend.search("", filters={"theme": ["eldre"], "municipality": ["fjordvik"]})
    )


def test_drafts_and_solutions_in_review_are_never_indexed(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_from(world["project"], by=world["staff"], title="Kladdeløsningen")
        in_review = draft_from(world["project"], by=world["staff"], title="Vurderingsløsningen")
        actions.solution_step(solution=in_review, by=world["staff"], step="submit")
        actions.solution_step(
            solution=in_review, by=world["editor"], step="return", comment=SECRET_COMMENT
        )
        actions.solution_step(solution=in_review, by=world["staff"], step="submit")
    for word in ("kladdeløsningen", "vurderingsløsningen", SECRET_COMMENT):
        assert search_backend.search(word).total == 0, word
    search_backend.rebuild()
    for word in ("kladdeløsningen", "vurderingsløsningen", SECRET_COMMENT):
        assert search_backend.search(word).total == 0, word
    stored = {(doc.type, doc.pk) for doc in search_backend.stored_documents()}
    assert (content.SOLUTION, draft.pk) not in stored
    assert (content.SOLUTION, in_review.pk) not in stored


def test_a_withdrawn_solution_leaves_the_index_and_stays_out_after_a_rebuild(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_step(
            solution=world["solution"], by=world["editor"], step="withdraw", comment="Utgått"
        )
    assert search_backend.search("sensorer").total == 0
    assert search_backend.search("", filters={"type": [content.SOLUTION]}).total == 0
    search_backend.rebuild()
    assert search_backend.search("sensorer").total == 0
    assert content.SOLUTION not in {doc.type for doc in search_backend.stored_documents()}


def test_publishing_and_editing_reach_the_index_at_once(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        solution = draft_from(
            world["project"],
            by=world["staff"],
            title="Matombringing",
            problem="Eldre får ikke handlet.",
            what_was_done="Frivillige kjører ut varer.",
        )
        actions.solution_step(solution=solution, by=world["staff"], step="submit")
    assert search_backend.search("matombringing").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_step(solution=solution, by=world["editor"], step="publish")
    assert titles(search_backend.search("matombringing")) == ["Matombringing"]
    # Only a draft is edited: withdrawn, reopened, changed and published again.
    solution, staff, editor = world["solution"], world["staff"], world["editor"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_step(solution=solution, by=editor, step="withdraw", comment="Endres")
        actions.solution_step(solution=solution, by=staff, step="reopen")
        actions.solution_edit(solution=solution, by=staff, what_was_done="Kameraer i gangen.")
    assert search_backend.search("kameraer").total == 0  # a draft again
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_step(solution=solution, by=staff, step="submit")
        actions.solution_step(solution=solution, by=editor, step="publish")
    assert search_backend.search("sensorer").total == 0
    assert titles(search_backend.search("kameraer")) == ["Digitalt tilsyn om natten"]
    # An editor's correction to the published solution is searchable at once.
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_edit(solution=solution, by=editor, what_was_done="Radar i gangen.")
    assert search_backend.search("kameraer").total == 0
    assert titles(search_backend.search("radar")) == ["Digitalt tilsyn om natten"]


def test_an_adoption_counts_on_the_document(
    search_backend, world, django_capture_on_commit_callbacks
):
    neighbour = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    unit = UnitFactory(municipality=neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        actions.solution_adopt(
            solution=world["solution"], by=admin_staff_of(unit), owning_unit=unit
        )
    hit = search_backend.search("sensorer", filters={"type": [content.SOLUTION]}).hits[0]
    assert hit.support_count == 1


def test_a_renamed_theme_or_municipality_slug_reaches_the_solution(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world["theme"].slug = "seniorer"
        world["theme"].save()
        world["municipality"].slug = "fjordvika"
        world["municipality"].save()
    results = search_backend.search("sensorer", filters={"type": [content.SOLUTION]})
    assert results.facet_count("theme", "seniorer") == 1
    assert results.facet_count("municipality", "fjordvika") == 1


def test_rebuild_includes_published_solutions(search_backend, world):
    search_backend.rebuild()
    assert titles(search_backend.search("sensorer")) == ["Digitalt tilsyn om natten"]
    assert search_backend.count() == content.count_public()
    assert (content.SOLUTION, world["solution"].pk) in content.public_keys()


def test_the_search_page_shows_a_solution_card(client, world, site_settings):
    get_database_backend().rebuild()
    html = client.get(reverse("search:search"), {"q": "sensorer"}).content.decode()
    assert ">Løsning</span>" in html
    assert world["solution"].get_absolute_url() in html
    assert "Fjordvik kommune" in html
    assert "gjenbrukt 0 ganger" in html
    html = client.get("/en" + reverse("search:search"), {"q": "sensorer"}).content.decode()
    assert ">Solution</span>" in html
    assert "reused 0 times" in html


def test_search_page_queries_with_solution_hits_do_not_grow(
    client, db, site_settings, django_assert_max_num_queries
):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    editor = editor_of(unit.municipality)
    project = put_into_use_project(unit, by=staff)
    counts = []
    for size in (3, 12):
        for n in range(size - len(counts) * 3):
            published_from(project, by=staff, reviewer=editor, title=f"Parkløsning {size}-{n}")
        get_database_backend().rebuild()
        for _warm_up in range(2):  # the layout's cached site and menus
            client.get(reverse("search:search"), {"q": "parkløsning"})
        with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search:search"), {"q": "parkløsning"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert "12 treff" in response.content.decode()
    assert counts[0] == counts[1]


def test_the_librarys_search_box_ranks_with_the_search_engine(client, search_backend, world):
    """The library finds what the words as typed would miss: another form of a word
    ("sensorene" for "Sensorer"), words from different fields; never a draft."""
    staff = world["staff"]
    project = put_into_use_project(world["unit"], by=staff, name="Utkastprosjektet")
    draft_from(project, by=staff, title="Sensorer i utkast", problem="Sensorene er ikke klare.")

    def listed(query: str) -> str:
        return client.get(reverse("solutions:library"), {"q": query}).content.decode()

    for query in ("sensorene", "tilsyn nattevakter"):
        html = listed(query)
        assert "Digitalt tilsyn om natten" in html, query
        assert "Sensorer i utkast" not in html, query
    assert "Digitalt tilsyn om natten" not in listed("parkering")
