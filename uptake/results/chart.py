"""An indicator's trend across periods, drawn as SVG on the server: the baseline, the targets
(dashed) and the approved actuals (solid). The page shows the same numbers as a table."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .diagram import _esc
from .selectors import PmfRow

W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 20, 48
TARGET, ACTUAL, BASELINE = "#8a5300", "#0b5cad", "#4d5560"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(value)


def _fmt(value: Decimal | float) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def trend_svg(row: PmfRow, *, title: str) -> str:
    """A line chart of ROW's targets and actuals; empty when the indicator is qualitative."""
    indicator = row.indicator
    if indicator.is_qualitative or not row.cells:
        return ""
    targets = [
        c.target.value if c.target and c.target.value is not None else None for c in row.cells
    ]
    actuals = [
        c.actual.value if c.actual and c.actual.value is not None else None for c in row.cells
    ]
    values = [float(v) for v in (*targets, *actuals) if v is not None]
    if indicator.baseline_value is not None:
        values.append(float(indicator.baseline_value))
    top = _nice_max(max(values, default=1.0))
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    count = len(row.cells)

    def x(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / count)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'role="img" aria-labelledby="trend-title" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="trend-title">{_esc(title)}</title>',
        f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        out.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{W - RIGHT}" y2="{y(value):.1f}" '
            'stroke="#d0d5db" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{y(value):.1f}" font-size="11" text-anchor="end" '
            f'dominant-baseline="middle" fill="#4d5560">{_fmt(round(value, 2))}</text>'
        )
    for index, cell in enumerate(row.cells):
        out.append(
            f'<text x="{x(index):.1f}" y="{H - BOTTOM + 18}" font-size="11" text-anchor="middle" '
            f'fill="#1b1f24">{_esc(cell.period.name)}</text>'
        )
    if indicator.baseline_value is not None:
        base_y = y(float(indicator.baseline_value))
        out.append(
            f'<line x1="{LEFT}" y1="{base_y:.1f}" x2="{W - RIGHT}" y2="{base_y:.1f}" '
            f'stroke="{BASELINE}" stroke-width="1" stroke-dasharray="2 3"/>'
        )

    def series(points: list[Decimal | None], colour: str, dash: str, kind: str) -> None:
        known = [(x(i), y(float(v))) for i, v in enumerate(points) if v is not None]
        if len(known) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in known)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-dasharray="{dash}"/>'
            )
        for px, py in known:
            out.append(
                f'<circle class="trend-{kind}" cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
            )

    series(targets, TARGET, "6 4", "target")
    series(actuals, ACTUAL, "none", "actual")
    legend_y = H - 12
    out.append(
        f'<line x1="{LEFT}" y1="{legend_y}" x2="{LEFT + 24}" y2="{legend_y}" stroke="{TARGET}" '
        'stroke-width="2.5" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<text x="{LEFT + 30}" y="{legend_y + 4}" font-size="11" fill="#1b1f24">{_esc(_("Target"))}</text>'
    )
    out.append(
        f'<line x1="{LEFT + 110}" y1="{legend_y}" x2="{LEFT + 134}" y2="{legend_y}" '
        f'stroke="{ACTUAL}" stroke-width="2.5"/>'
    )
    out.append(
        f'<text x="{LEFT + 140}" y="{legend_y + 4}" font-size="11" fill="#1b1f24">{_esc(_("Actual"))}</text>'
    )
    if indicator.baseline_value is not None:
        out.append(
            f'<line x1="{LEFT + 220}" y1="{legend_y}" x2="{LEFT + 244}" y2="{legend_y}" '
            f'stroke="{BASELINE}" stroke-width="1" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{LEFT + 250}" y="{legend_y + 4}" font-size="11" fill="#1b1f24">{_esc(_("Baseline"))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
