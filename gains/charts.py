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


# --- Bar charts: the funnel and the sums on the gains page --------------------------------

BAR_WIDTH = 640
BAR_ROW = 48  # each row: its label above, the bar below
BAR_THICKNESS = 18
BAR_LEFT, BAR_RIGHT = 8, 96  # room on the right for the value beside the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float  # where the bar starts (the zero line, or left of it for a negative value)
    width: float
    label_y: float
    bar_y: float
    value_x: float  # where the value is written, just past the bar's end


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    zero_x: float
    thickness: int


def bar_chart(rows: list[tuple[str, Decimal]]) -> BarChart | None:
    """Horizontal bars, one per (label, value), drawn from a zero line; negative values
    go left of it. The same rows feed the table beside the chart. None without rows."""
    if not rows:
        return None
    values = [Decimal(value) for _label, value in rows]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    span = high - low or Decimal(1)
    inner = BAR_WIDTH - BAR_LEFT - BAR_RIGHT

    def position(value: Decimal) -> float:
        return round(BAR_LEFT + inner * float((value - low) / span), 1)

    zero_x = position(Decimal(0))
    bars = []
    for index, (label, value) in enumerate(zip((r[0] for r in rows), values, strict=True)):
        end = position(value)
        start, stop = min(zero_x, end), max(zero_x, end)
        top = index * BAR_ROW
        bars.append(
            Bar(
                label=label,
                value=value,
                x=start,
                width=max(round(stop - start, 1), 1.0),  # a zero still shows as a hairline
                label_y=top + 14,
                bar_y=top + 20,
                value_x=round(stop + 6, 1),
            )
        )
    return BarChart(BAR_WIDTH, len(rows) * BAR_ROW, bars, zero_x, BAR_THICKNESS)
