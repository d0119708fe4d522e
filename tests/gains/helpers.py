"""Builders shared by the gains tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from gains import actions
from gains.models import GainType


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def quality_gain(project, *, by, owner=None, baseline=True, **values):
    """A quality gain on `project` (target in a year), with a baseline 200 days ago."""
    gain = actions.gain_add(
        project=project,
        by=by,
        description=values.pop("description", "Færre timer i bil for hjemmetjenesten."),
        type=values.pop("type", GainType.QUALITY),
        indicator=values.pop("indicator", "Timer kjøring per uke"),
        unit=values.pop("unit", "timer"),
        stakeholders="Hjemmetjenesten",
        target_value=values.pop("target_value", Decimal("80")),
        target_on=values.pop("target_on", timezone.localdate() + datetime.timedelta(days=365)),
        owner=owner or by,
        measurement_interval_months=values.pop("measurement_interval_months", 3),
        **values,
    )
    if baseline:
        actions.gain_record_baseline(
            gain=gain, by=by, value=Decimal("120"), measured_on=days_ago(200), source="Turnus"
        )
        gain.refresh_from_db()
    return gain
