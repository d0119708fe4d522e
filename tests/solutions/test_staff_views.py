"""The staff screens cost the same for few rows as for many, and the project's staff
page links to sharing it once it is put into use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from solutions import actions
from tests.factories import MunicipalityFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import draft_from, editor_of, published_from, put_into_use_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = put_into_use_project(unit, by=staff)
    return {"unit": unit, "staff": staff, "project": project}


def test_list_and_page_query_budgets(client, world, django_assert_max_num_queries):
    staff, project = world["staff"], world["project"]
    editor = editor_of(world["unit"].municipality)
    solution = published_from(project, by=staff, reviewer=editor)
    for n in range(5):
        draft_from(project, by=staff, title=f"Utkast {n}")
    for name in ("Havbygd", "Nordvik", "Sørvik"):
        unit = UnitFactory(municipality=MunicipalityFactory(name=name))
        actions.solution_adopt(solution=solution, by=admin_staff_of(unit), owning_unit=unit)
    client.force_login(staff)
    client.get(reverse("solutions_staff:list"))  # the admin's own first-visit setup
    with django_assert_max_num_queries(20):
        assert client.get(reverse("solutions_staff:list")).status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("solutions_staff:solution", args=[solution.pk]))
    assert response.status_code == 200
    assert "Realisert i 0 av 3 kommuner som tok den i bruk" in response.content.decode()


def test_the_project_page_offers_sharing(client, world):
    client.force_login(world["staff"])
    url = reverse("projects_staff:project", args=[world["project"].pk])
    html = client.get(url).content.decode()
    assert f"{reverse('solutions_staff:create')}?project={world['project'].pk}" in html
