"""Gain services: what they write, the audit trail, and the rules they and the database
keep."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gains import actions
from gains.models import ECONOMIC_UNIT, Gain, GainEvent, GainStatus, GainType, add_months
from portal.actions import ActionNotAllowed
from tests.factories import UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(_default_language):
    """The refusals are matched by their English words (the Bokmål ones are tested by
    the staff screens)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    return {"staff": staff, "project": started_project(unit, by=staff)}


def kinds(gain):
    return list(GainEvent.objects.filter(gain=gain).values_list("kind", flat=True))


def test_a_gain_with_baseline_and_measurements_leaves_an_audit_trail(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff)
    assert gain.status == GainStatus.PLANNED and gain.baseline_value == Decimal("120")
    actions.gain_record_measurement(
        gain=gain, by=staff, value=Decimal("110"), measured_on=days_ago(100), source="Turnus"
    )
    gain.refresh_from_db()
    # The first measurement starts the realisation.
    assert gain.status == GainStatus.REALISING
    actions.gain_change_status(gain=gain, by=staff, status=GainStatus.REALISED)
    assert kinds(gain) == ["added", "baseline", "measured", "status", "status"]
    assert GainEvent.objects.filter(gain=gain, kind="measured").get().actor == staff


def test_economic_gains_are_always_in_nok_per_year(world):
    gain = quality_gain(world["project"], by=world["staff"], type=GainType.ECONOMIC, unit="timer")
    assert gain.unit == ECONOMIC_UNIT
    with pytest.raises(IntegrityError), transaction.atomic():
        Gain.objects.filter(pk=gain.pk).update(unit="timer")


def test_a_measurement_needs_a_baseline_and_comes_after_it(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff, baseline=False)
    with pytest.raises(ActionNotAllowed, match="baseline"):
        actions.gain_record_measurement(
            gain=gain, by=staff, value=Decimal("1"), measured_on=days_ago(1), source="X"
        )
    actions.gain_record_baseline(
        gain=gain, by=staff, value=Decimal("5"), measured_on=days_ago(10), source="X"
    )
    with pytest.raises(ActionNotAllowed, match="after the baseline"):
        actions.gain_record_measurement(
            gain=gain, by=staff, value=Decimal("1"), measured_on=days_ago(20), source="X"
        )
    assert not gain.measurements.exists()


def test_the_baseline_is_fixed_once_measured_against(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff)
    actions.gain_record_baseline(
        gain=gain, by=staff, value=Decimal("130"), measured_on=days_ago(210), source="Rettet"
    )
    actions.gain_record_measurement(
        gain=gain, by=staff, value=Decimal("100"), measured_on=days_ago(5), source="Turnus"
    )
    with pytest.raises(ActionNotAllowed, match="fixed"):
        actions.gain_record_baseline(
            gain=gain, by=staff, value=Decimal("1"), measured_on=days_ago(300), source="Y"
        )
    gain.refresh_from_db()
    assert gain.baseline_value == Decimal("130")


def test_not_realised_needs_an_explanation_in_the_service_and_the_database(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff)
    with pytest.raises(ActionNotAllowed, match="Explain"):
        actions.gain_change_status(gain=gain, by=staff, status=GainStatus.NOT_REALISED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Gain.objects.filter(pk=gain.pk).update(status=GainStatus.NOT_REALISED, deviation="")
    actions.gain_change_status(
        gain=gain, by=staff, status=GainStatus.NOT_REALISED, deviation="Bilene kom ikke."
    )
    gain.refresh_from_db()
    assert gain.deviation == "Bilene kom ikke."


def test_status_follows_the_transition_table(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff)
    with pytest.raises(ActionNotAllowed):
        actions.gain_change_status(gain=gain, by=staff, status=GainStatus.REALISED)
    no_baseline = quality_gain(world["project"], by=staff, baseline=False, indicator="B")
    with pytest.raises(ActionNotAllowed, match="baseline"):
        actions.gain_change_status(gain=no_baseline, by=staff, status=GainStatus.REALISING)


def test_the_database_keeps_the_target_after_the_baseline_and_the_baseline_whole(world):
    gain = quality_gain(world["project"], by=world["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Gain.objects.filter(pk=gain.pk).update(target_on=gain.baseline_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        Gain.objects.filter(pk=gain.pk).update(baseline_source="")
    with pytest.raises(ActionNotAllowed, match="target date"):
        actions.gain_edit(gain=gain, by=world["staff"], target_on=days_ago(300))


def test_type_and_unit_stay_once_measured(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff)
    actions.gain_record_measurement(
        gain=gain, by=staff, value=Decimal("100"), measured_on=days_ago(5), source="Turnus"
    )
    with pytest.raises(ActionNotAllowed, match="unit"):
        actions.gain_edit(gain=gain, by=staff, unit="minutter")
    edited = actions.gain_edit(gain=gain, by=staff, stakeholders="Alle")
    assert edited.stakeholders == "Alle"
    assert GainEvent.objects.get(gain=gain, kind="edited").data == {"stakeholders": "Alle"}


def test_next_measurement_is_an_interval_after_the_latest(world):
    staff = world["staff"]
    gain = quality_gain(world["project"], by=staff, measurement_interval_months=2)
    assert gain.next_measurement_on(None) == add_months(gain.baseline_on, 2)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    actions.gain_change_status(gain=gain, by=staff, status=GainStatus.NOT_REALISED, deviation="x")
    gain.refresh_from_db()
    assert gain.next_measurement_on(timezone.localdate()) is None
