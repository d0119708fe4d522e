"""Who the process reaches, drawn as SVG bar charts computed on the server: public
inputs by meeting kind and by participant group. No JavaScript; colours come from
Designsystemet's variables through cocreation.css (classes, no inline styles), as in
`gains.charts`.

The geometry is plain data for the template (cocreation/includes/bar_chart.html); the
same rows feed the table beside each chart, so both always show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 230  # room for "Conversation, written down by staff" and the like
VALUE_WIDTH = 48
BAR_HEIGHT = 20
BAR_GAP = 10
TOP = 4


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    share: int  # whole per cent of the chart's total
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    bars: list[Bar]
    total: int


def bar_chart(rows: list[tuple[str, str, int]]) -> BarChart:
    """Horizontal bars for (key, label, count) rows, in their order; the longest bar
    fills the plot, and a row with none keeps its place with no bar, so a group the
    process missed stands out."""
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    highest = max((value for _key, _label, value in rows), default=0)
    total = sum(value for _key, _label, value in rows)
    bars = []
    for index, (key, label, value) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        width = round(plot_width * value / highest, 1) if highest else 0.0
        bars.append(
            Bar(
                key=key,
                label=str(label),
                value=value,
                share=round(100 * value / total) if total else 0,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT / 2,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    return BarChart(WIDTH, height, LABEL_WIDTH, bars, total)
