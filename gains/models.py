"""Gains (gevinster) as DFØ's benefit realisation defines them.

A project carries its expected gains. Each has a type (economic: kroner per year to the
municipality's own budget; quality: a physical unit; for others: citizens, businesses,
other public bodies), an indicator and unit, a baseline (nullpunktsmåling) taken before
effects start, a target, a gain owner (gevinsteier) and a status. Measurements are
recorded over time against the baseline.

Rules kept here, in the database:
- the baseline is all or nothing (value, date and source together);
- a gain is "being realised" or "realised" only with a baseline;
- "not realised" carries an explanation of the deviation;
- the target date comes after the baseline date;
- economic gains are counted in one unit, NOK per year, so sums never mix units.
Rules that span rows (a measurement needs a baseline and comes after it; the baseline is
fixed once measurements start) are kept by `gains.actions`, with the rows locked.

Everything is written through `gains.actions`, each change with a `GainEvent`.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent

# The one unit of economic gains (DFØ: kroner per year to the own budget).
ECONOMIC_UNIT = "NOK/år"


class GainType(models.TextChoices):
    ECONOMIC = "economic", _("Economic (NOK per year to the municipality's budget)")
    QUALITY = "quality", _("Quality (a physical unit: hours, visits, percent …)")
    OTHERS = "others", _("For others (citizens, businesses, other public bodies)")


class GainStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REALISING = "realising", _("Being realised")
    REALISED = "realised", _("Realised")
    NOT_REALISED = "not_realised", _("Not realised")


# Statuses in which measurements go on, and reminders are sent.
MEASURED_STATUSES = (GainStatus.PLANNED, GainStatus.REALISING)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` on, on the last day of the month when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Gain(models.Model):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="gains",
    )
    description = models.TextField(_("description"), max_length=2000)
    type = models.CharField(_("type of gain"), max_length=20, choices=GainType)
    indicator = models.CharField(
        _("indicator"),
        max_length=200,
        help_text=_("What is measured, e.g. “hours spent on home visits per week”."),
    )
    unit = models.CharField(
        _("unit of measure"),
        max_length=40,
        help_text=_("E.g. hours, visits, percent satisfied, tonnes CO₂. Economic gains: NOK/år."),
    )
    stakeholders = models.CharField(
        _("stakeholders affected"),
        max_length=300,
        blank=True,
        help_text=_("Who notices the gain, e.g. “home care staff, elderly living at home”."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gain owner"),
        on_delete=models.PROTECT,
        related_name="owned_gains",
        help_text=_("The line manager responsible for realising the gain (gevinsteier)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GainStatus, default=GainStatus.PLANNED
    )
    # Public: DFØ asks that deviations be explained openly, and the explanation is
    # about the gain, not about people (decided for the public project page).
    deviation = models.TextField(_("explanation of the deviation"), blank=True)
    measurement_interval_months = models.PositiveSmallIntegerField(
        _("measure every (months)"), default=3
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gain")
        verbose_name_plural = _("gains")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="gains_described"),
            models.CheckConstraint(condition=~Q(indicator=""), name="gains_has_indicator"),
            models.CheckConstraint(condition=~Q(unit=""), name="gains_has_unit"),
            models.CheckConstraint(
                condition=~Q(type=GainType.ECONOMIC) | Q(unit=ECONOMIC_UNIT),
                name="gains_economic_in_nok_per_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(baseline_value__isnull=True)
                    & Q(baseline_on__isnull=True)
                    & Q(baseline_source="")
                )
                | (
                    Q(baseline_value__isnull=False)
                    & Q(baseline_on__isnull=False)
                    & ~Q(baseline_source="")
                ),
                name="gains_baseline_complete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[GainStatus.PLANNED, GainStatus.NOT_REALISED])
                | Q(baseline_on__isnull=False),
                name="gains_realising_needs_baseline",
            ),
            models.CheckConstraint(
                condition=~Q(status=GainStatus.NOT_REALISED) | ~Q(deviation=""),
                name="gains_not_realised_explained",
            ),
            models.CheckConstraint(
                condition=Q(target_on__isnull=True)
                | Q(baseline_on__isnull=True)
                | Q(target_on__gt=models.F("baseline_on")),
                name="gains_target_after_baseline",
            ),
            models.CheckConstraint(
                condition=Q(measurement_interval_months__gte=1)
                & Q(measurement_interval_months__lte=60),
                name="gains_interval_1_to_60_months",
            ),
        ]

    def __str__(self) -> str:
        return self.indicator

    @property
    def has_baseline(self) -> bool:
        return self.baseline_on is not None

    def next_measurement_on(self, latest: datetime.date | None) -> datetime.date | None:
        """When the next measurement is due: an interval after the latest measurement
        (or the baseline). None without a baseline, or once the gain is settled."""
        if self.baseline_on is None or self.status not in MEASURED_STATUSES:
            return None
        return add_months(latest or self.baseline_on, self.measurement_interval_months)


class Measurement(models.Model):
    gain = models.ForeignKey(Gain, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(_("source"), max_length=300)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="gains_measurement_sourced"),
        ]
        indexes = [models.Index(fields=["gain", "measured_on"], name="gains_measurement_series")]

    def __str__(self) -> str:
        return f"{self.gain_id}: {self.value} ({self.measured_on})"


class GainEvent(AuditEvent):
    """The audit trail of a project's gains. Internal: never on a public page.

    Its own table rather than `projects.ProjectEvent`: projects may not know gains
    (imports run one way), so its event kinds cannot name them, and gain definitions
    will be copied between municipalities with their own history.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Gain added")
        EDITED = "edited", _("Gain changed")
        BASELINE = "baseline", _("Baseline recorded")
        MEASURED = "measured", _("Measurement recorded")
        STATUS = "status", _("Status changed")
        REMINDED = "reminded", _("Reminder sent")

    gain = models.ForeignKey(Gain, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)

    class Meta(AuditEvent.Meta):
        verbose_name = _("gain event")
        verbose_name_plural = _("gain events")

    def __str__(self) -> str:
        return f"{self.gain_id}: {self.kind}"


class MeasurementReminder(models.Model):
    """A reminder sent to the gain owner for one due date: at most one per due date."""

    gain = models.ForeignKey(Gain, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement reminder")
        verbose_name_plural = _("measurement reminders")
        constraints = [
            models.UniqueConstraint(fields=["gain", "due_on"], name="gains_reminded_once"),
        ]

    def __str__(self) -> str:
        return f"{self.gain_id}: {self.due_on}"
