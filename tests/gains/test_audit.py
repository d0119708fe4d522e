"""An audit of the gains screens' query budgets: the realisation plan, a gain's page and
the exports cost the same for many gains and measurements as for few, so an N+1 shows
here. (tests/gains/test_staff_views.py holds a fixed ceiling; this compares sizes.)
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gains import actions
from tests.factories import UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client, site_settings):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    project = started_project(unit, by=staff)
    client.force_login(staff)
    return {"project": project, "staff": staff}


def _add_gains(world, count: int, start: int = 0, measurements: int = 2):
    for number in range(start, start + count):
        gain = quality_gain(world["project"], by=world["staff"], indicator=f"Indikator {number}")
        for age in range(measurements):
            actions.gain_record_measurement(
                gain=gain,
                by=world["staff"],
                value=Decimal(number + age),
                measured_on=days_ago(100 - age * 10),
                source="Turnus",
            )
    return gain


def _costs_the_same(client, url, grow, django_assert_max_num_queries, shows):
    client.get(url)  # the admin's own first-visit reads, as on a live site
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if shows:
        assert shows.encode() in response.content


def test_the_plan_costs_the_same_for_many_gains(client, world, django_assert_max_num_queries):
    _add_gains(world, 2)
    url = reverse("gains_staff:plan", args=[world["project"].pk])
    _costs_the_same(
        client,
        url,
        lambda: _add_gains(world, 10, start=2),
        django_assert_max_num_queries,
        "Indikator 11",
    )


def test_a_gains_page_costs_the_same_for_many_measurements(
    client, world, django_assert_max_num_queries
):
    gain = _add_gains(world, 1, measurements=1)
    url = reverse("gains_staff:gain", args=[gain.pk])

    def more_measurements():
        for age in range(1, 12):
            actions.gain_record_measurement(
                gain=gain,
                by=world["staff"],
                value=Decimal(age),
                measured_on=days_ago(99 - age),
                source=f"Kilde {age}",
            )

    _costs_the_same(client, url, more_measurements, django_assert_max_num_queries, "Kilde 11")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_cost_the_same_for_many_gains(
    client, world, fmt, django_assert_max_num_queries
):
    _add_gains(world, 2)
    url = reverse("gains_staff:export", args=[world["project"].pk, fmt])
    _costs_the_same(
        client,
        url,
        lambda: _add_gains(world, 10, start=2, measurements=3),
        django_assert_max_num_queries,
        "Indikator 11" if fmt == "csv" else "",
    )
