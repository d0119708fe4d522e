"""The gains staff screens: the realisation plan, adding a gain, recording a baseline and
measurements, changing status; bad input keeps what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gains import actions
from gains.models import Gain, GainStatus, Measurement
from tests.factories import UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = started_project(unit, by=staff)
    client.force_login(staff)
    return {"project": project, "staff": staff}


def test_staff_add_a_gain_record_baseline_and_measurements(client, world):
    project, staff = world["project"], world["staff"]
    response = client.post(
        reverse("gains_staff:plan", args=[project.pk]),
        {
            "gain-description": "Spart kjøring",
            "gain-type": "economic",
            "gain-indicator": "Kroner spart på bil",
            "gain-unit": "",
            "gain-target_value": "50000",
            "gain-target_on": "2030-01-01",
            "gain-owner": staff.pk,
            "gain-measurement_interval_months": "6",
        },
    )
    gain = Gain.objects.get(project=project)
    assert response.status_code == 302 and gain.unit == "NOK/år"
    for action, data in (
        ("baseline", {"value": "100000", "measured_on": days_ago(300), "source": "Regnskap"}),
        ("measurement", {"value": "90000", "measured_on": days_ago(100), "source": "Regnskap"}),
        ("measurement", {"value": "70000", "measured_on": days_ago(10), "source": "Regnskap"}),
    ):
        posted = {f"{action}-{key}": str(value) for key, value in data.items()}
        response = client.post(reverse("gains_staff:action", args=[gain.pk, action]), posted)
        assert response.status_code == 302, response.content.decode()[:500]
    assert Measurement.objects.filter(gain=gain).count() == 2
    page = client.get(reverse("gains_staff:plan", args=[project.pk])).content.decode()
    assert "Kroner spart på bil" in page and "70\xa0000" in page
    # The project's staff page links to the plan.
    project_page = client.get(reverse("projects_staff:project", args=[project.pk])).content.decode()
    assert reverse("gains_staff:plan", args=[project.pk]) in project_page


def test_a_refused_measurement_keeps_what_was_typed(client, world):
    gain = quality_gain(world["project"], by=world["staff"], baseline=False)
    response = client.post(
        reverse("gains_staff:action", args=[gain.pk, "measurement"]),
        {
            "measurement-value": "42",
            "measurement-measured_on": days_ago(3).isoformat(),
            "measurement-source": "Min egen telling",
            "measurement-comment": "Første uke",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "baseline" in html.lower() or "nullpunkt" in html
    assert 'value="Min egen telling"' in html and "Første uke" in html


def test_an_invalid_gain_form_keeps_what_was_typed(client, world):
    response = client.post(
        reverse("gains_staff:plan", args=[world["project"].pk]),
        {"gain-description": "Noe skrevet", "gain-type": "quality", "gain-indicator": "Besøk"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Noe skrevet" in html and 'value="Besøk"' in html
    assert not Gain.objects.exists()


def test_not_realised_without_explanation_is_refused_in_the_form(client, world):
    gain = quality_gain(world["project"], by=world["staff"])
    response = client.post(
        reverse("gains_staff:action", args=[gain.pk, "status"]),
        {"status-status": GainStatus.NOT_REALISED, "status-deviation": ""},
    )
    assert response.status_code == 400
    gain.refresh_from_db()
    assert gain.status == GainStatus.PLANNED


def test_plan_and_gain_page_query_budget(client, world, django_assert_max_num_queries):
    staff = world["staff"]
    for number in range(5):
        gain = quality_gain(world["project"], by=staff, indicator=f"Indikator {number}")
        actions.gain_record_measurement(
            gain=gain, by=staff, value=Decimal(number), measured_on=days_ago(9), source="S"
        )
    with django_assert_max_num_queries(45):
        response = client.get(reverse("gains_staff:plan", args=[world["project"].pk]))
    assert response.status_code == 200 and "Indikator 4" in response.content.decode()
    with django_assert_max_num_queries(45):
        assert client.get(reverse("gains_staff:gain", args=[gain.pk])).status_code == 200
