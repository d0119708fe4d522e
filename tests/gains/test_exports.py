"""The realisation plan's export: CSV and XLSX with the same figures as the plan, for
those who may read the plan only, and nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gains import actions
from projects import actions as project_actions
from tests.factories import UnitFactory, UserFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = started_project(unit, by=staff)
    project_actions.project_edit(project=project, by=staff, budget=987654)
    gain = quality_gain(project, by=staff)
    actions.gain_record_measurement(
        gain=gain,
        by=staff,
        value=Decimal("95.5"),
        measured_on=days_ago(20),
        source='=HYPERLINK("x")',
        comment="Første måling",
    )
    return {"project": project, "staff": staff, "gain": gain}


def _url(project, fmt):
    return reverse("gains_staff:export", args=[project.pk, fmt])


def test_csv_has_every_figure_and_no_formula(client, world):
    client.force_login(world["staff"])
    response = client.get(_url(world["project"], "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3  # header, baseline, one measurement
    assert rows[1][2:5] == ["Nullpunktsmåling", days_ago(200).isoformat(), "120.00"]
    assert rows[2][4] == "95.50" and rows[2][5] == '\'=HYPERLINK("x")'
    assert "987654" not in response.content.decode()  # the budget stays out


def test_xlsx_has_the_plan_and_the_measurements(client, world):
    client.force_login(world["staff"])
    response = client.get(_url(world["project"], "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    gains, figures = workbook.worksheets
    assert gains.title == "Gevinster" and figures.title == "Målinger"
    plan_row = [cell.value for cell in gains[2]]
    assert plan_row[0] == "Timer kjøring per uke" and plan_row[6] == 120
    assert [row[4] for row in figures.iter_rows(min_row=2, values_only=True)] == [120, 95.5]


@pytest.mark.parametrize("who", ["citizen", "other_staff"])
def test_others_cannot_export(client, world, who):
    user = UserFactory() if who == "citizen" else admin_staff_of(UnitFactory())
    client.force_login(user)
    for fmt in ("csv", "xlsx"):
        response = client.get(_url(world["project"], fmt))
        assert response.status_code in (302, 403)
        assert b"Timer" not in response.content


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(_url(world["project"], "csv"))
    assert response.status_code == 302 and "login" in response["Location"]
