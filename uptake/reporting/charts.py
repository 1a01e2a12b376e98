"""Bar charts drawn as SVG by a template: the geometry is computed here, once, in Python.

Each chart on a page is followed by a table with the same numbers, so the picture is never
the only way to read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format

ROW_HEIGHT = 28
LABEL_WIDTH = 200
BAR_AREA = 360
VALUE_WIDTH = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as shown beside the bar, in the page's language: "60.0 %", "12"
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA


def bar_chart(
    title: str,
    items: list[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    suffix: str = "",
) -> BarChart:
    """Horizontal bars for ITEMS (label, value); a value of None draws no bar and reads "—"."""
    top = maximum if maximum is not None else max([v or 0 for _, v in items] + [0])
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(BAR_AREA * (value or 0) / top) if top else 0
        # In the page's language, as the figures beside the charts are: "66,7 %" in French.
        text = "—" if value is None else f"{number_format(value)}{suffix}"
        bars.append(
            Bar(label=label[:32], value=value, text=text, y=index * ROW_HEIGHT, width=width)
        )
    return BarChart(title=title, bars=bars, height=max(1, len(bars)) * ROW_HEIGHT)
