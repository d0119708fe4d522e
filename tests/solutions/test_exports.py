"""The open-data export: published solutions only, the same figures as the pages, and
nothing internal."""

from __future__ import annotations

import csv
import io

import pytest

from solutions import actions
from tests.factories import MunicipalityFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import (
    draft_from,
    editor_of,
    published_from,
    put_into_use_project,
    realised_gain,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = put_into_use_project(unit, by=staff)
    realised_gain(project, by=staff)
    solution = published_from(project, by=staff, reviewer=editor_of(unit.municipality))
    draft_from(project, by=staff, title="Hemmelig utkast")
    neighbour = UnitFactory(municipality=MunicipalityFactory(name="Havbygd kommune"))
    actions.solution_adopt(solution=solution, by=admin_staff_of(neighbour), owning_unit=neighbour)
    return {"solution": solution}


def test_json_lists_published_solutions_with_their_figures(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/losninger.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = response.json()["solutions"]
    assert [row["title"] for row in rows] == ["Digitalt tilsyn om natten"]
    row = rows[0]
    assert row["url"].endswith("/losninger/digitalt-tilsyn-om-natten/")
    assert row["adopted_by"] == ["Havbygd kommune"]
    assert (row["realised_in"], row["realised_gains"]) == (0, 1)
    assert row["reuse_terms"] == "call_us" and row["cost"] == "400 000 kr"
    text = response.content.decode()
    assert "Hemmelig utkast" not in text and "review_comment" not in text


def test_csv_has_the_same_rows(client, world):
    response = client.get("/losninger.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Digitalt tilsyn om natten"]
    assert rows[0]["adopted_by"] == "Havbygd kommune"
    assert "Hemmelig utkast" not in response.content.decode()
