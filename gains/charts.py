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

from gains.selectors import GainSummary, Point

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


@dataclass(frozen=True)
class _Scale:
    """Dates and values to positions in the plot area."""

    first: datetime.date
    span_days: int
    low: Decimal
    span_values: Decimal

    @classmethod
    def around(cls, days: list[datetime.date], values: list[Decimal]) -> _Scale:
        low, high = min(values), max(values)
        if low == high:  # a flat series still needs some height
            low, high = low - 1, high + 1
        return cls(min(days), max((max(days) - min(days)).days, 1), low, high - low)

    def x(self, day: datetime.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first).days / self.span_days, 1)

    def y(self, value: Decimal) -> float:
        share = float((value - self.low) / self.span_values)
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share), 1)

    def plot(self, on: datetime.date, value: Decimal, kind: str) -> PlotPoint:
        return PlotPoint(self.x(on), self.y(value), on, value, kind)


def _target(summary: GainSummary) -> Point | None:
    gain = summary.gain
    if gain.target_value is None or gain.target_on is None:
        return None
    return Point(gain.target_on, gain.target_value, "target")


def _x_ticks(scale: _Scale, days: list[datetime.date]) -> list[tuple[float, datetime.date]]:
    first, last = min(days), max(days)
    return [(scale.x(day), day) for day in ([first, last] if first != last else [first])]


def chart_for(summary: GainSummary) -> Chart | None:
    """The chart of a gain, or None before its baseline is taken (nothing to draw)."""
    points = summary.points
    if not points:
        return None
    target = _target(summary)
    everything = points + ([target] if target else [])
    days = [p.on for p in everything]
    scale = _Scale.around(days, [p.value for p in everything])
    plotted = [scale.plot(p.on, p.value, p.kind) for p in points]
    high = scale.low + scale.span_values
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=plotted,
        line=" ".join(f"{p.x},{p.y}" for p in plotted),
        baseline_y=scale.y(summary.gain.baseline_value),
        target=scale.plot(target.on, target.value, "target") if target else None,
        y_ticks=[(scale.y(scale.low), scale.low), (scale.y(high), high)],
        x_ticks=_x_ticks(scale, days),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
    )
