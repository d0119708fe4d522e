"""Reads for the gains: the public project page, the realisation plan and the reminders
share them, so they agree. Selectors return data, never HTML."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from gains.models import MEASURED_STATUSES, Gain, GainEvent, Measurement
from projects.models import Project


@dataclass(frozen=True)
class Point:
    on: datetime.date
    value: Decimal
    kind: str  # "baseline" or "measurement"


@dataclass
class GainSummary:
    """A gain with its series: the baseline first, then its measurements by date."""

    gain: Gain
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def next_measurement_on(self) -> datetime.date | None:
        latest = self.latest
        return self.gain.next_measurement_on(latest.measured_on if latest else None)

    @property
    def points(self) -> list[Point]:
        gain = self.gain
        if not gain.has_baseline:
            return []
        baseline = Point(gain.baseline_on, gain.baseline_value, "baseline")
        return [
            baseline,
            *(Point(m.measured_on, m.value, "measurement") for m in self.measurements),
        ]


def _gains(project_id: int) -> QuerySet[Gain]:
    return (
        Gain.objects.filter(project_id=project_id)
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("recorded_by").order_by(
                    "measured_on", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )


def public_gains(project_id: int) -> list[GainSummary]:
    """The gains as the public page shows them (two queries). The page shows no names
    of people; the gain owner is not even read."""
    gains = _gains(project_id).defer("owner")
    return [GainSummary(gain, list(gain.measurements.all())) for gain in gains]


def municipality_slug_of(project_id: int) -> str | None:
    """The slug of the project's municipality (its gains pages' address)."""
    return (
        Project.objects.filter(pk=project_id).values_list("municipality__slug", flat=True).first()
    )


def realisation_plan(project_id: int) -> list[GainSummary]:
    """All gains of a project with owners, baselines, targets and measurements."""
    gains = _gains(project_id).select_related("owner")
    return [GainSummary(gain, list(gain.measurements.all())) for gain in gains]


def staff_gain(pk: int) -> Gain:
    return Gain.objects.select_related("project", "project__owning_unit", "owner").get(pk=pk)


def gain_measurements(gain: Gain) -> list[Measurement]:
    return list(gain.measurements.select_related("recorded_by").order_by("measured_on", "pk"))


def gain_history(gain: Gain) -> QuerySet[GainEvent]:
    return gain.events.select_related("actor").order_by("created_at", "pk")


def due_for_measurement(today: datetime.date) -> list[tuple[GainSummary, datetime.date]]:
    """Gains still measured whose next measurement is due on or before `today`, with
    that due date."""
    gains = (
        _gains_measured()
        .select_related("owner", "project")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))
        )
    )
    due = []
    for gain in gains:
        summary = GainSummary(gain, list(gain.measurements.all()))
        next_on = summary.next_measurement_on
        if next_on is not None and next_on <= today:
            due.append((summary, next_on))
    return due


def _gains_measured() -> QuerySet[Gain]:
    return Gain.objects.filter(status__in=MEASURED_STATUSES, baseline_on__isnull=False).order_by(
        "pk"
    )
