"""`manage.py send_measurement_reminders`: gain owners whose measurement is due get one
e-mail per due date."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from gains import actions
from gains.models import GainStatus, MeasurementReminder
from tests.factories import UnitFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of
from tests.projects.helpers import started_project

pytestmark = pytest.mark.django_db


def test_due_owners_are_reminded_once_per_due_date(django_capture_on_commit_callbacks):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    owner = admin_staff_of(unit, email="leder@kommune.no")
    project = started_project(unit, by=staff, name="Kaffebussen")
    # Baseline 200 days ago, measured every 3 months: due.
    due = quality_gain(project, by=staff, owner=owner)
    # Measured 10 days ago: not due.
    fresh = quality_gain(project, by=staff, owner=staff, indicator="Fersk")
    actions.gain_record_measurement(
        gain=fresh, by=staff, value=Decimal("1"), measured_on=days_ago(10), source="S"
    )
    # Settled: never reminded.
    settled = quality_gain(project, by=staff, owner=staff, indicator="Avsluttet")
    actions.gain_change_status(
        gain=settled, by=staff, status=GainStatus.NOT_REALISED, deviation="x"
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_measurement_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["leder@kommune.no"]]
    assert "Timer kjøring per uke" in mail.outbox[0].subject
    assert f"/admin/gains/{due.pk}/" in mail.outbox[0].body
    assert MeasurementReminder.objects.filter(gain=due).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_measurement_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # not twice for the same due date

    # Once measured, the next due date lies ahead: nothing until then.
    actions.gain_record_measurement(
        gain=due, by=owner, value=Decimal("100"), measured_on=days_ago(1), source="S"
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_measurement_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
