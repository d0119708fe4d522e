"""Projects in search, on every backend (`search_backend`: embedded and Elasticsearch):
found by their public words, never by their internal ones, in the type facet, kept up to
date on every change, and in the rebuild; and the search page's cost with project hits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ideas import actions as idea_actions
from projects import actions
from projects.models import Phase
from search import content
from search.backends import get_database_backend
from tests.factories import ThemeFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import accepted_idea, started_project

# Words that are only in a project's internal parts: none may ever find it.
SECRETS = {
    "budget": "987654",
    "log": "Hemmeliglogg",
    "document": "Internplanfil",
    "member": "Tormodsensen",
    "contact": "Kontaktersen",
    "member role": "Vaktmesterrolle",
}


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def world(search_backend, django_capture_on_commit_callbacks):
    theme = ThemeFactory(name="Eldre", slug="eldre")
    unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
    staff = admin_staff_of(unit)
    with django_capture_on_commit_callbacks(execute=True):
        idea = accepted_idea(unit, title="Skyss til frivilligsentralen", theme=theme)
        project = started_project(
            unit,
            by=staff,
            ideas=[idea],
            name="Kaffebussen",
            summary="En minibuss henter eldre til formiddagskaffe.",
        )
        actions.project_edit(project=project, by=staff, budget=int(SECRETS["budget"]))
        actions.project_log(project=project, by=staff, text=f"{SECRETS['log']} notat")
        actions.project_add_document(
            project=project,
            by=staff,
            title=SECRETS["document"],
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
            is_public=False,
        )
        actions.project_add_member(
            project=project,
            by=staff,
            user=UserFactory(display_name=SECRETS["member"]),
            role=SECRETS["member role"],
        )
        actions.project_add_unit(
            project=project,
            by=staff,
            unit=UnitFactory(name="Kultur"),
            contact=UserFactory(display_name=SECRETS["contact"]),
        )
    project.refresh_from_db()
    return {"project": project, "staff": staff, "unit": unit, "theme": theme, "idea": idea}


def test_a_project_is_found_by_its_name_and_summary(search_backend, world):
    project = world["project"]
    for query in ("kaffebussen", "minibuss", "formiddagskaffe eldre"):
        results = search_backend.search(query)
        assert titles(results) == ["Kaffebussen"], query
        hit = results.hits[0]
        assert hit.type == content.PROJECT
        assert hit.url == project.get_absolute_url()
    path = project.get_absolute_url()
    with translation.override("en"):
        assert search_backend.search("kaffebussen").hits[0].url == f"/en{path}"


def test_a_project_carries_phase_municipality_unit_and_its_ideas_theme(search_backend, world):
    project = world["project"]
    # The first phase of KS' roadmap, in either language.
    assert titles(search_backend.search("kaffebussen forberede")) == ["Kaffebussen"]
    assert titles(search_backend.search("kaffebussen prepare")) == ["Kaffebussen"]
    results = search_backend.search("kaffebussen")
    assert results.facet_count("type", content.PROJECT) == 1
    assert results.facet_count("unit", "helse-og-omsorg") == 1
    assert results.facet_count("theme", "eldre") == 1
    assert results.facet_count("municipality", project.municipality.slug) == 1
    assert titles(search_backend.search("", filters={"theme": ["eldre"]})).count("Kaffebussen") == 1


def test_the_type_facet_counts_projects_and_filters_to_them(search_backend, world):
    everything = search_backend.search("")
    assert everything.facet_count("type", content.PROJECT) == 1
    assert everything.facet_count("type", content.IDEA) == 1  # the idea it carries on
    only = search_backend.search("", filters={"type": [content.PROJECT]})
    assert titles(only) == ["Kaffebussen"]
    assert titles(search_backend.search("skyss", filters={"type": [content.IDEA]})) == [
        "Skyss til frivilligsentralen"
    ]


def test_internal_parts_are_never_searchable_or_stored(search_backend, world):
    for where, word in SECRETS.items():
        assert search_backend.search(word).total == 0, where
    stored = [doc for doc in search_backend.stored_documents() if doc.type == content.PROJECT]
    assert len(stored) == 1
    text = " ".join([stored[0].title, stored[0].summary, stored[0].body, stored[0].comments])
    for where, word in SECRETS.items():
        assert word.lower() not in text.lower(), where
    # Not even after a rebuild from scratch.
    search_backend.rebuild()
    for where, word in SECRETS.items():
        assert search_backend.search(word).total == 0, where


def test_a_rename_is_found_by_the_new_name_at_once(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.project_edit(
            project=world["project"],
            by=world["staff"],
            name="Turbussen",
            summary="Bussen kjører eldre på tur.",
        )
    assert titles(search_backend.search("turbussen")) == ["Turbussen"]
    assert search_backend.search("kaffebussen").total == 0
    assert search_backend.search("formiddagskaffe").total == 0


def test_a_phase_change_and_a_renamed_phase_reach_the_index(
    search_backend, world, django_capture_on_commit_callbacks
):
    phase = Phase.objects.get(slug="teste")
    with django_capture_on_commit_callbacks(execute=True):
        actions.project_change_phase(project=world["project"], by=world["staff"], phase=phase)
    assert titles(search_backend.search("kaffebussen teste")) == ["Kaffebussen"]
    assert search_backend.search("kaffebussen forberede").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        phase.name = "Prøvekjøre"
        phase.save()
    assert titles(search_backend.search("kaffebussen prøvekjøre")) == ["Kaffebussen"]


def test_put_into_use_makes_the_result_searchable(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.project_put_into_use(
            project=world["project"],
            by=world["staff"],
            public_text="Bussen går hver tirsdag fra sentrum.",
            origin="first",
        )
    assert "Kaffebussen" in titles(search_backend.search("tirsdag"))


def test_a_hidden_idea_lends_the_project_no_theme(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea_actions.idea_hide(idea=world["idea"], by=world["staff"], reason="Personopplysninger")
    results = search_backend.search("kaffebussen")
    assert titles(results) == ["Kaffebussen"]  # the project stays
    assert results.facet_count("theme", "eldre") == 0


def test_a_renamed_unit_or_theme_reaches_the_project(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world["theme"].slug = "seniorer"
        world["theme"].save()
        world["unit"].slug = "velferd"
        world["unit"].save()
    results = search_backend.search("kaffebussen")
    assert results.facet_count("theme", "seniorer") == 1
    assert results.facet_count("unit", "velferd") == 1


def test_a_deleted_project_leaves_the_index(
    search_backend, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world["project"].delete()
    assert search_backend.search("kaffebussen").total == 0


def test_rebuild_includes_projects(search_backend, world):
    search_backend.rebuild()
    assert titles(search_backend.search("kaffebussen")) == ["Kaffebussen"]
    assert search_backend.count() == content.count_public() == 2


def test_the_search_page_labels_project_hits(client, world):
    get_database_backend().rebuild()
    html = client.get(reverse("search:search"), {"q": "kaffebussen"}).content.decode()
    assert ">Prosjekt</span>" in html
    assert world["project"].get_absolute_url() in html
    html = client.get("/en" + reverse("search:search"), {"q": "kaffebussen"}).content.decode()
    assert ">Project</span>" in html


def test_search_page_queries_with_project_hits_do_not_grow(
    client, db, site_settings, django_assert_max_num_queries
):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    theme = ThemeFactory()
    counts = []
    for size in (3, 12):
        for n in range(size - len(counts) * 3):
            idea = accepted_idea(unit, title=f"Idé om parken {n}", theme=theme)
            started_project(unit, by=staff, ideas=[idea], name=f"Parkprosjekt {len(counts)}-{n}")
        get_database_backend().rebuild()
        for _warm_up in range(2):  # the layout's cached site and menus
            client.get(reverse("search:search"), {"q": "parkprosjekt"})
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search:search"), {"q": "parkprosjekt"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert "12 treff" in response.content.decode()
    assert counts[0] == counts[1]
