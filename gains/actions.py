"""Every write to gains, through `portal.actions`' pipeline (lock, check, write, audit
event, side effects on commit), as `projects.actions` does for projects.

Each action records a `GainEvent`; refusals raise `ActionNotAllowed` or
`GainPermissionDenied` with a message for the person, and change nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from gains import permissions
from gains.models import (
    ECONOMIC_UNIT,
    Gain,
    GainEvent,
    GainStatus,
    GainType,
    Measurement,
)
from portal.actions import Action, ActionNotAllowed, ActionPermissionDenied
from portal.models import User
from projects.models import Project

R = TypeVar("R")
E = GainEvent.Kind

# Which status may follow which. Settled gains may be reopened if measuring resumes.
TRANSITIONS: dict[str, set[str]] = {
    GainStatus.PLANNED: {GainStatus.REALISING, GainStatus.NOT_REALISED},
    GainStatus.REALISING: {GainStatus.REALISED, GainStatus.NOT_REALISED},
    GainStatus.REALISED: {GainStatus.REALISING},
    GainStatus.NOT_REALISED: {GainStatus.REALISING, GainStatus.PLANNED},
}

# What a gain's definition holds; the baseline and status have their own actions.
DEFINITION_FIELDS = (
    "description",
    "type",
    "indicator",
    "unit",
    "stakeholders",
    "target_value",
    "target_on",
    "owner",
    "measurement_interval_months",
)


class GainPermissionDenied(ActionPermissionDenied):
    """The person may not do this to this gain."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ActionNotAllowed(message)


def _plain(value: Any) -> Any:
    """A value as the audit trail's JSON keeps it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, User):
        return value.pk
    return value


def _clean_definition(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: values[key] for key in DEFINITION_FIELDS if key in values}
    for key in ("description", "indicator", "unit", "stakeholders"):
        if key in cleaned:
            cleaned[key] = _text(cleaned[key])
    if cleaned.get("type") == GainType.ECONOMIC:
        cleaned["unit"] = ECONOMIC_UNIT  # one unit, so economic gains always add up
    return cleaned


def _check_definition(gain: Gain) -> None:
    _require(bool(gain.description), _("Describe the gain."))
    _require(bool(gain.indicator), _("Name the indicator that shows the gain."))
    _require(bool(gain.unit), _("Give the unit of measure."))
    _require(gain.owner.is_active, _("The gain owner must be an active user."))
    _require(
        1 <= gain.measurement_interval_months <= 60,
        _("Measure at least every 60 months and at most every month."),
    )
    _require(
        gain.target_on is None or gain.baseline_on is None or gain.target_on > gain.baseline_on,
        _("The target date must come after the baseline date."),
    )


def record(gain: Gain, actor: User | None, kind: str, **data: Any) -> None:
    """Append one event to the gain's trail, in the transaction of the change."""
    GainEvent.objects.create(
        gain=gain, actor=actor, kind=kind, data={k: _plain(v) for k, v in data.items()}
    )


# --- Adding a gain to a project -------------------------------------------------------------


class AddGainAction(Action[Project, Gain]):
    """Add an expected gain to a project; by those who manage the project. It starts as
    planned, without a baseline (recorded before effects start, `RecordBaselineAction`)."""

    model = Project
    lock_touch_field = "updated_at"
    lock_select_related = ("owning_unit",)
    permission_denied = GainPermissionDenied
    updates_caller = False

    def __init__(self, project: Project, *, by: User, **values: Any) -> None:
        super().__init__(project, by=by)
        self.values = _clean_definition(values)
        self.gain: Gain | None = None

    def check(self) -> None:
        if not permissions.can_define(self.by, self.locked):
            raise GainPermissionDenied(
                _("Only staff of %(unit)s or the project owner may define its gains.")
                % {"unit": self.locked.owning_unit}
            )
        _check_definition(Gain(project=self.locked, **self.values))

    def perform(self) -> None:
        self.gain = Gain.objects.create(project=self.locked, **self.values)

    def record(self) -> None:
        assert self.gain is not None
        record(self.gain, self.by, E.ADDED, indicator=self.gain.indicator, type=self.gain.type)

    def result(self) -> Gain:
        assert self.gain is not None
        return self.gain


def gain_add(*, project: Project, by: User, **values: Any) -> Gain:
    """Add a gain to a project (see `AddGainAction`)."""
    return AddGainAction(project, by=by, **values).execute()


# --- Actions on one gain ----------------------------------------------------------------------


class GainAction(Action[Gain, R]):
    """A change to one gain by those who manage its project (`check()` asks first)."""

    model = Gain
    lock_touch_field = "updated_at"
    lock_select_related = ("project", "project__owning_unit", "owner")
    permission_denied = GainPermissionDenied

    def check(self) -> None:
        if not permissions.can_define(self.by, self.locked.project):
            raise GainPermissionDenied(
                _("Only staff of %(unit)s or the project owner may change its gains.")
                % {"unit": self.locked.project.owning_unit}
            )

    def record_event(self, kind: str, **data: Any) -> None:
        record(self.locked, self.by, kind, **data)


class EditGainAction(GainAction[Gain]):
    """Change a gain's definition: description, type, indicator, unit, stakeholders,
    target, owner, measurement interval. The type and unit stay once measured: a
    series in one unit must not turn into another."""

    def __init__(self, gain: Gain, *, by: User, **values: Any) -> None:
        super().__init__(gain, by=by)
        self.values = _clean_definition(values)
        self.changed: dict[str, Any] = {}

    def check(self) -> None:
        super().check()
        gain = self.locked
        self.changed = {k: v for k, v in self.values.items() if getattr(gain, k) != v}
        if {"type", "unit"} & set(self.changed) and gain.measurements.exists():
            raise ActionNotAllowed(
                _("The type and unit cannot change once measurements are recorded.")
            )
        for key, value in self.changed.items():
            setattr(gain, key, value)
        _check_definition(gain)

    def changes_anything(self) -> bool:
        return bool(self.changed)

    def perform(self) -> None:
        self.locked.save(update_fields=[*self.changed, "updated_at"])

    def record(self) -> None:
        self.record_event(E.EDITED, **self.changed)


def gain_edit(*, gain: Gain, by: User, **values: Any) -> Gain:
    return EditGainAction(gain, by=by, **values).execute()


class RecordBaselineAction(GainAction[Gain]):
    """Record the baseline (nullpunktsmåling): value, date and source.

    It may be corrected until the first measurement; after that it is fixed, because
    every measurement is read against it. Its date may not be in the future.
    """

    def __init__(
        self, gain: Gain, *, by: User, value: Decimal, measured_on: datetime.date, source: str
    ) -> None:
        super().__init__(gain, by=by)
        self.value, self.measured_on, self.source = value, measured_on, _text(source)

    def clean(self) -> None:
        super().clean()
        _require(bool(self.source), _("Say where the baseline figure comes from."))
        _require(
            self.measured_on <= timezone.localdate(),
            _("The baseline is a measurement taken; its date cannot be in the future."),
        )

    def check(self) -> None:
        super().check()
        gain = self.locked
        _require(
            not gain.measurements.exists(),
            _("The baseline is fixed once measurements are recorded against it."),
        )
        _require(
            gain.target_on is None or gain.target_on > self.measured_on,
            _("The baseline must be taken before the target date."),
        )

    def perform(self) -> None:
        gain = self.locked
        gain.baseline_value, gain.baseline_on, gain.baseline_source = (
            self.value,
            self.measured_on,
            self.source,
        )
        gain.save(update_fields=["baseline_value", "baseline_on", "baseline_source", "updated_at"])

    def record(self) -> None:
        self.record_event(E.BASELINE, value=self.value, on=self.measured_on, source=self.source)


def gain_record_baseline(
    *, gain: Gain, by: User, value: Decimal, measured_on: datetime.date, source: str
) -> Gain:
    return RecordBaselineAction(
        gain, by=by, value=value, measured_on=measured_on, source=source
    ).execute()


class RecordMeasurementAction(GainAction[Measurement]):
    """Record one measurement: after the baseline (which must exist), not in the future.
    By those who manage the project, its participating units' contacts and the gain
    owner. A first measurement of a planned gain starts its realisation."""

    def __init__(
        self,
        gain: Gain,
        *,
        by: User,
        value: Decimal,
        measured_on: datetime.date,
        source: str,
        comment: str = "",
    ) -> None:
        super().__init__(gain, by=by)
        self.value, self.measured_on = value, measured_on
        self.source, self.comment = _text(source), _text(comment)
        self.measurement: Measurement | None = None
        self.started = False

    def clean(self) -> None:
        super().clean()
        _require(bool(self.source), _("Say where the figure comes from."))
        _require(
            self.measured_on <= timezone.localdate(),
            _("A measurement's date cannot be in the future."),
        )

    def check(self) -> None:
        gain = self.locked
        if not permissions.can_record(self.by, gain):
            raise GainPermissionDenied(
                _(
                    "Only the project's staff, its units' contacts and the gain owner may "
                    "record measurements."
                )
            )
        _require(
            gain.has_baseline,
            _("Record the baseline (nullpunktsmåling) before the first measurement."),
        )
        _require(
            self.measured_on > gain.baseline_on,
            _("A measurement must be taken after the baseline date (%(day)s).")
            % {"day": gain.baseline_on},
        )

    def perform(self) -> None:
        gain = self.locked
        self.measurement = Measurement.objects.create(
            gain=gain,
            value=self.value,
            measured_on=self.measured_on,
            source=self.source,
            comment=self.comment,
            recorded_by=self.by,
        )
        if gain.status == GainStatus.PLANNED:
            self.started = True
            gain.status = GainStatus.REALISING
        gain.save(update_fields=["status", "updated_at"])

    def record(self) -> None:
        self.record_event(E.MEASURED, value=self.value, on=self.measured_on, source=self.source)
        if self.started:
            self.record_event(E.STATUS, status=GainStatus.REALISING, automatic=True)

    def result(self) -> Measurement:
        assert self.measurement is not None
        return self.measurement


def gain_record_measurement(
    *,
    gain: Gain,
    by: User,
    value: Decimal,
    measured_on: datetime.date,
    source: str,
    comment: str = "",
) -> Measurement:
    return RecordMeasurementAction(
        gain, by=by, value=value, measured_on=measured_on, source=source, comment=comment
    ).execute()


class ChangeStatusAction(GainAction[Gain]):
    """Move a gain along `TRANSITIONS`. "Not realised" needs an explanation of the
    deviation; "being realised" and "realised" need a baseline."""

    def __init__(self, gain: Gain, *, by: User, status: str, deviation: str = "") -> None:
        super().__init__(gain, by=by)
        self.status, self.deviation = status, _text(deviation)

    def clean(self) -> None:
        super().clean()
        _require(
            self.status != GainStatus.NOT_REALISED or bool(self.deviation),
            _("Explain why the gain is not realised (the deviation)."),
        )

    def check(self) -> None:
        super().check()
        gain = self.locked
        _require(
            self.status in TRANSITIONS.get(gain.status, set()),
            _("A gain that is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": gain.get_status_display(),
                "wanted": GainStatus(self.status).label
                if self.status in GainStatus.values
                else self.status,
            },
        )
        _require(
            self.status not in (GainStatus.REALISING, GainStatus.REALISED) or gain.has_baseline,
            _("Record the baseline first: a gain is measured against it."),
        )

    def perform(self) -> None:
        gain = self.locked
        gain.status = self.status
        if self.deviation or self.status == GainStatus.NOT_REALISED:
            gain.deviation = self.deviation
        gain.save(update_fields=["status", "deviation", "updated_at"])

    def record(self) -> None:
        self.record_event(E.STATUS, status=self.status, deviation=self.deviation)


def gain_change_status(*, gain: Gain, by: User, status: str, deviation: str = "") -> Gain:
    return ChangeStatusAction(gain, by=by, status=status, deviation=deviation).execute()
