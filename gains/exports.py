"""A project's gains and measurements as CSV and XLSX, for staff (the realisation plan's
export). Built from the same selector as the plan, so the figures agree with it.

What is in it: each gain's definition, baseline, target, status and deviation, owner, and
every measurement with its source and comment. Not in it: the project's budget and log.
Texts that a spreadsheet would run as a formula (starting with = + - @) are kept as text.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gains.selectors import GainSummary, realisation_plan
from projects.models import Project

Cell = str | Decimal | datetime.date | int | None


def _safe(value: Cell) -> Cell:
    """A text a spreadsheet would read as a formula, kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def gain_header() -> list[str]:
    return [
        _("Gain"),
        _("Description"),
        _("Type"),
        _("Unit of measure"),
        _("Stakeholders affected"),
        _("Gain owner"),
        _("Baseline"),
        _("Baseline date"),
        _("Baseline source"),
        _("Target"),
        _("Target date"),
        _("Status"),
        _("Explanation of the deviation"),
        _("Latest measurement"),
        _("Next measurement"),
    ]


def gain_row(summary: GainSummary) -> list[Cell]:
    gain, latest = summary.gain, summary.latest
    return [
        _safe(cell)
        for cell in (
            gain.indicator,
            gain.description,
            gain.get_type_display(),
            gain.unit,
            gain.stakeholders,
            str(gain.owner),
            gain.baseline_value,
            gain.baseline_on,
            gain.baseline_source,
            gain.target_value,
            gain.target_on,
            gain.get_status_display(),
            gain.deviation,
            latest.value if latest else None,
            summary.next_measurement_on,
        )
    ]


def measurement_header() -> list[str]:
    return [
        _("Gain"),
        _("Unit of measure"),
        _("Figure"),
        _("Date"),
        _("Value"),
        _("Source"),
        _("Comment"),
    ]


def measurement_rows(plan: list[GainSummary]) -> Iterator[list[Cell]]:
    """Every figure of every gain: its baseline, then its measurements by date."""
    for summary in plan:
        gain = summary.gain
        if gain.has_baseline:
            yield [
                _safe(c)
                for c in (
                    gain.indicator,
                    gain.unit,
                    _("Baseline"),
                    gain.baseline_on,
                    gain.baseline_value,
                    gain.baseline_source,
                    "",
                )
            ]
        for m in summary.measurements:
            yield [
                _safe(c)
                for c in (
                    gain.indicator,
                    gain.unit,
                    _("Measurement"),
                    m.measured_on,
                    m.value,
                    m.source,
                    m.comment,
                )
            ]


def as_csv(project: Project) -> str:
    """One table: every figure, one row each (the gains' definitions are in the XLSX)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(measurement_header())
    for row in measurement_rows(realisation_plan(project.pk)):
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def as_xlsx(project: Project) -> bytes:
    """Two sheets: the gains (the realisation plan) and every figure measured."""
    plan = realisation_plan(project.pk)
    workbook = Workbook()
    gains_sheet = workbook.active
    gains_sheet.title = _("Gains")[:31]
    gains_sheet.append(gain_header())
    for summary in plan:
        gains_sheet.append(gain_row(summary))
    figures = workbook.create_sheet(_("Measurements")[:31])
    figures.append(measurement_header())
    for row in measurement_rows(plan):
        figures.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
