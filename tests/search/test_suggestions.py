"""Connect before building (issue 16): a citizen writing an idea and staff starting a
project are shown published solutions like it ("Fjordvik kommune solved this in 2026"),
staff with a link to adopt; never a draft, one in review or a withdrawn one. On both
backends, and at a fixed cost however many solutions match."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.backends import get_database_backend
from solutions import actions
from tests.factories import MunicipalityFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import accepted_idea
from tests.solutions.helpers import draft_from, editor_of, published_from, put_into_use_project

TITLE = "Digitalt tilsyn om natten"


@pytest.fixture
def fjordvik(db, django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Fjordvik kommune", slug="fjordvik")
    unit = UnitFactory(municipality=municipality)
    staff = admin_staff_of(unit)
    editor = editor_of(municipality)
    with django_capture_on_commit_callbacks(execute=True):
        project = put_into_use_project(unit, by=staff)
        solution = published_from(
            project,
            by=staff,
            reviewer=editor,
            title=TITLE,
            problem="Nattevakter vekker eldre for å se til dem.",
        )
        draft_from(project, by=staff, title="Nattevakter med kladd")
        withdrawn = published_from(
            project, by=staff, reviewer=editor, title="Nattevakter som gikk ut"
        )
        actions.solution_step(solution=withdrawn, by=editor, step="withdraw", comment="Utgått")
    return {"solution": solution, "unit": unit, "staff": staff, "project": project}


@pytest.fixture
def havbygd(db):
    unit = UnitFactory(municipality=MunicipalityFactory(name="Havbygd kommune", slug="havbygd"))
    return {"unit": unit, "staff": admin_staff_of(unit)}


def test_similar_solutions_are_published_ones_only(search_backend, fjordvik):
    found = search_backend.similar_solutions("Nattevakter som vekker de eldre")
    assert [solution.title for solution in found] == [TITLE]
    assert found[0].municipality.name == "Fjordvik kommune"
    assert search_backend.similar_solutions("Sykkelparkering ved skolen") == []


def test_a_citizen_writing_an_idea_is_shown_the_solution(search_backend, client, fjordvik):
    year = fjordvik["solution"].published_at.year
    response = client.get(reverse("ideas:similar"), {"title": "Nattevakter vekker eldre"})
    html = response.content.decode()
    assert f"Fjordvik kommune løste dette i {year}" in html
    assert fjordvik["solution"].get_absolute_url() in html
    assert "se løsningen «Digitalt tilsyn om natten»" in html
    assert "kladd" not in html and "gikk ut" not in html
    english = client.get("/en" + reverse("ideas:similar"), {"title": "Nattevakter vekker eldre"})
    assert f"Fjordvik kommune solved this in {year}" in english.content.decode()


def test_no_hint_for_an_unrelated_idea(client, fjordvik):
    html = client.get(reverse("ideas:similar"), {"title": "Sykkelparkering"}).content.decode()
    assert "Fjordvik" not in html


def test_the_idea_hint_costs_the_same_however_many_solutions_match(
    client, fjordvik, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    counts = []
    for extra in (0, 6):
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(extra):
                published_from(
                    fjordvik["project"],
                    by=fjordvik["staff"],
                    reviewer=editor_of(fjordvik["unit"].municipality),
                    title=f"Nattevakter i turnus {n}",
                )
        url = reverse("ideas:similar")
        client.get(url, {"title": "Nattevakter vekker eldre"})  # the site's cached parts
        # The similar ideas' queries, then three for the solutions: the index's size and
        # vocabulary, the match, and the solutions with their municipalities.
        with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"title": "Nattevakter vekker eldre"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_starting_a_project_are_shown_the_solution_to_adopt(
    search_backend, client, fjordvik, havbygd
):
    idea = accepted_idea(
        havbygd["unit"], title="Tilsyn om natten", summary="Nattevakter vekker eldre."
    )
    client.force_login(havbygd["staff"])
    html = client.get(reverse("projects_staff:start") + f"?idea={idea.pk}").content.decode()
    assert "Fjordvik kommune løste dette i" in html
    assert reverse("solutions_staff:adopt", args=[fjordvik["solution"].pk]) in html
    assert "kladd" not in html and "gikk ut" not in html


def test_staff_of_the_owning_municipality_get_no_adopt_link(client, fjordvik):
    idea = accepted_idea(fjordvik["unit"], title="Tilsyn om natten", summary="Nattevakter.")
    client.force_login(fjordvik["staff"])
    html = client.get(reverse("projects_staff:start") + f"?idea={idea.pk}").content.decode()
    assert TITLE in html
    assert reverse("solutions_staff:adopt", args=[fjordvik["solution"].pk]) not in html


def test_bad_input_keeps_the_suggestions_for_what_was_typed(client, fjordvik, havbygd):
    idea = accepted_idea(havbygd["unit"], title="Noe annet")
    client.force_login(havbygd["staff"])
    response = client.post(
        reverse("projects_staff:start"),
        {"ideas": [idea.pk], "name": "", "summary": "Nattevakter vekker eldre om natten."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nattevakter vekker eldre om natten." in html
    assert reverse("solutions_staff:adopt", args=[fjordvik["solution"].pk]) in html


def test_the_start_page_costs_the_same_however_many_solutions_match(
    client,
    fjordvik,
    havbygd,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    idea = accepted_idea(havbygd["unit"], title="Tilsyn om natten", summary="Nattevakter.")
    client.force_login(havbygd["staff"])
    url = reverse("projects_staff:start") + f"?idea={idea.pk}"
    counts = []
    # Suggestions stop at three (each asks whether the user may adopt it): from the
    # three a first batch gives to the nine a second one does, the cost stays put.
    for extra in (2, 6):
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(extra):
                published_from(
                    fjordvik["project"],
                    by=fjordvik["staff"],
                    reviewer=editor_of(fjordvik["unit"].municipality),
                    title=f"Nattevakter i turnus {extra}-{n}",
                )
        get_database_backend().rebuild()
        client.get(url)  # warm the admin's caches
        with django_assert_max_num_queries(40), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
