"""/sitemap-projects.xml: every project's public page in both languages, with lastmod;
nothing internal (staff pages, internal documents)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import actions
from tests.factories import UnitFactory
from tests.ideas.test_sitemaps import BASE, entries, index_locations
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE


def test_the_index_names_the_projects_section(client):
    assert f"{BASE}/sitemap-projects.xml" in index_locations(client)


def test_every_project_page_is_listed_in_both_languages_with_lastmod(client):
    unit = UnitFactory()
    first = started_project(unit, name="Kaffebussen")
    second = started_project(unit, name="Turbussen")

    found = entries(client, "/sitemap-projects.xml")

    expected = []
    for project in (first, second):
        path = reverse("projects:detail", kwargs={"slug": project.slug})
        expected += [f"{BASE}{path}", f"{BASE}/en{path}"]
    assert [entry.location for entry in found] == expected
    path = first.get_absolute_url()
    assert found[0].alternates == {
        "nb": f"{BASE}{path}",
        "en": f"{BASE}/en{path}",
        "x-default": f"{BASE}{path}",
    }
    first.refresh_from_db()
    assert found[0].lastmod == first.updated_at.isoformat(timespec="seconds")


def test_a_change_moves_lastmod_and_a_deleted_project_leaves(client):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = started_project(unit, by=staff, name="Kaffebussen")
    actions.project_edit(project=project, by=staff, summary="Ny tekst for alle.")
    project.refresh_from_db()
    found = entries(client, "/sitemap-projects.xml")
    assert found[0].lastmod == project.updated_at.isoformat(timespec="seconds")

    project.delete()
    assert entries(client, "/sitemap-projects.xml") == []


def test_nothing_internal_is_listed(client):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = started_project(unit, by=staff, name="Kaffebussen")
    actions.project_add_document(
        project=project,
        by=staff,
        title="Intern plan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
        is_public=False,
    )
    listed = [
        entry.location
        for section in ("pages", "lists", "ideas", "projects")
        for entry in entries(client, f"/sitemap-{section}.xml")
    ]
    path = project.get_absolute_url()
    project_addresses = [location for location in listed if "/prosjekter/" in location]
    # Only the public page: no document, no staff screen.
    assert project_addresses == [f"{BASE}{path}", f"{BASE}/en{path}"]
    assert not any("/documents/" in location or "/staff/" in location for location in listed)


@pytest.mark.parametrize("count", [2, 8])
def test_a_page_of_projects_costs_the_same_queries_at_any_size(
    client, count, django_assert_max_num_queries
):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    for n in range(count):
        started_project(unit, by=staff, name=f"Prosjekt {n}")
    entries(client, "/sitemap-projects.xml")  # the cached sites, as for ideas
    # How many there are, and one page of them.
    with django_assert_max_num_queries(2):
        listed = entries(client, "/sitemap-projects.xml")
    assert len(listed) == 2 * count
