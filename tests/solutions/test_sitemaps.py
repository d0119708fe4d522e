"""/sitemap-solutions.xml: published solutions in both languages; never a draft or a
withdrawn one."""

from __future__ import annotations

import pytest

from solutions import actions
from tests.factories import UnitFactory
from tests.ideas.test_sitemaps import BASE, entries, index_locations
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import draft_from, editor_of, published_from, put_into_use_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE


def test_only_published_solutions_are_listed(client):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    editor = editor_of(unit.municipality)
    project = put_into_use_project(unit, by=staff)
    shown = published_from(project, by=staff, reviewer=editor)
    draft_from(project, by=staff, title="Utkast")
    gone = published_from(project, by=staff, reviewer=editor, title="Borte")
    actions.solution_step(solution=gone, by=staff, step="withdraw", comment="Utgått")

    assert f"{BASE}/sitemap-solutions.xml" in index_locations(client)
    path = shown.get_absolute_url()
    locations = [entry.location for entry in entries(client, "/sitemap-solutions.xml")]
    assert locations == [f"{BASE}{path}", f"{BASE}/en{path}"]
