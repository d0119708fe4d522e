"""A gain's series drawn as an SVG line chart, computed on the server: measured values
against the baseline and the target over time. No JavaScript; the colours come from
Designsystemet's variables through gains.css (classes, no inline styles).

The geometry is plain data for the template (gains/includes/chart.html); the same
points feed the table beside the chart, so both always show the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from gains.selectors import GainSummary

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class PlotPoint:
    x: float
    y: float
    on: datetime.date
    value: Decimal
    kind: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[PlotPoint]
    line: str  # the polyline's points attribute
    baseline_y: float
    target: PlotPoint | None
    y_ticks: list[tuple[float, Decimal]]
    x_ticks: list[tuple[float, datetime.date]]
    plot_left: int
    plot_right: int
    plot_bottom: int


def chart_for(summary: GainSummary) -> Chart | None:
    """The chart of a gain, or None before its baseline is taken (nothing to draw)."""
    points = summary.points
    if not points:
        return None
    gain = summary.gain
    target_given = gain.target_value is not None and gain.target_on is not None
    days = [p.on for p in points] + ([gain.target_on] if target_given else [])
    values = [p.value for p in points] + ([gain.target_value] if target_given else [])
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if low == high:  # a flat series still needs some height
        low, high = low - 1, high + 1
    span_days = max((last - first).days, 1)
    span_values = high - low

    def x(day: datetime.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span_days, 1)

    def y(value: Decimal) -> float:
        share = float((value - low) / span_values)
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share), 1)

    plotted = [PlotPoint(x(p.on), y(p.value), p.on, p.value, p.kind) for p in points]
    target = (
        PlotPoint(
            x(gain.target_on), y(gain.target_value), gain.target_on, gain.target_value, "target"
        )
        if target_given
        else None
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=plotted,
        line=" ".join(f"{p.x},{p.y}" for p in plotted),
        baseline_y=y(gain.baseline_value),
        target=target,
        y_ticks=[(y(low), low), (y(high), high)],
        x_ticks=[(x(first), first), (x(last), last)] if first != last else [(x(first), first)],
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
    )
