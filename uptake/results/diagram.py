"""The logic model drawn as a diagram: one row per level, a box per result (code and
statement), an arrow from each result to the result it contributes to.

One layout feeds both drawings: SVG for the page and PNG (drawn with Pillow) for documents.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ResultLevel
from .selectors import Node, flatten

BOX_W, BOX_H = 200, 84
H_GAP, V_GAP = 24, 56
LABEL_W = 130
MARGIN = 16
WRAP = 30
MAX_LINES = 3
FILL = {1: "#12263f", 2: "#0b5cad", 3: "#dbe9f7", 4: "#f3f5f7"}
INK = {1: "#ffffff", 2: "#ffffff", 3: "#1b1f24", 4: "#1b1f24"}
LINE = "#4d5560"


@dataclass
class Box:
    code: int
    level: int
    lines: list[str]
    x: float
    y: float
    parent: Box | None = None

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2


@dataclass
class Layout:
    boxes: list[Box]
    width: int
    height: int
    levels: list[tuple[str, float]]  # row label and its vertical middle


def _lines(statement: str) -> list[str]:
    lines = textwrap.wrap(" ".join(statement.split()), WRAP) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return lines


def layout(roots: list[Node]) -> Layout:
    """Leaves take the next free column; a parent sits centred above its children."""
    boxes: list[Box] = []
    slot = 0

    def place(node: Node, parent: Box | None) -> Box:
        nonlocal slot
        level = node.result.level
        box = Box(
            node.result.code,
            level,
            _lines(node.result.statement_en),
            0.0,
            MARGIN + (level - 1) * (BOX_H + V_GAP),
            parent,
        )
        boxes.append(box)
        children = [place(child, box) for child in node.children]
        if children:
            box.x = (children[0].x + children[-1].x) / 2
        else:
            box.x = LABEL_W + MARGIN + slot * (BOX_W + H_GAP)
            slot += 1
        return box

    for root in roots:
        place(root, None)
    depth = max((b.level for b in boxes), default=1)
    width = int(LABEL_W + MARGIN * 2 + max(slot, 1) * (BOX_W + H_GAP) - H_GAP)
    height = int(MARGIN * 2 + depth * BOX_H + (depth - 1) * V_GAP)
    levels = [
        (str(ResultLevel(level).label), MARGIN + (level - 1) * (BOX_H + V_GAP) + BOX_H / 2)
        for level in range(1, depth + 1)
    ]
    return Layout(boxes, width, height, levels)


def _arrow_path(box: Box) -> list[tuple[float, float]]:
    """From the top of BOX up to the bottom of its parent, with one elbow between the rows."""
    assert box.parent is not None  # noqa: S101 - only called for boxes with a parent
    mid = box.y - V_GAP / 2
    parent_bottom = box.parent.y + BOX_H
    return [(box.cx, box.y), (box.cx, mid), (box.parent.cx, mid), (box.parent.cx, parent_bottom)]


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def svg(roots: list[Node], *, title: str) -> str:
    """A standalone SVG document (presentation attributes only, no style attributes)."""
    plan = layout(roots)
    count = len(flatten(roots))
    desc = _("Logic model with %(count)d expected results.") % {"count": count}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{plan.width}" height="{plan.height}" '
        f'viewBox="0 0 {plan.width} {plan.height}" role="img" '
        'aria-labelledby="lm-title lm-desc" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="lm-title">{_esc(title)}</title>',
        f'<desc id="lm-desc">{_esc(desc)}</desc>',
        '<defs><marker id="lm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{LINE}"/></marker></defs>',
        f'<rect x="0" y="0" width="{plan.width}" height="{plan.height}" fill="#ffffff"/>',
    ]
    for label, middle in plan.levels:
        out.append(
            f'<text x="{MARGIN}" y="{middle:.0f}" font-size="13" font-weight="bold" '
            f'fill="#4d5560" dominant-baseline="middle">{_esc(label)}</text>'
        )
    for box in plan.boxes:
        if box.parent is not None:
            points = " ".join(f"{x:.0f},{y:.0f}" for x, y in _arrow_path(box))
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.5" '
                'marker-end="url(#lm-arrow)"/>'
            )
    for box in plan.boxes:
        ink = INK[box.level]
        out.append(f'<g class="lm-result" data-code="{box.code}">')
        out.append(
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{FILL[box.level]}" stroke="#12263f" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{box.x + 10:.0f}" y="{box.y + 20:.0f}" font-size="13" font-weight="bold" '
            f'fill="{ink}">{box.code}</text>'
        )
        for n, line in enumerate(box.lines):
            out.append(
                f'<text x="{box.x + 10:.0f}" y="{box.y + 40 + n * 15:.0f}" font-size="11.5" '
                f'fill="{ink}">{_esc(line)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def png(roots: list[Node], *, scale: int = 2) -> bytes:
    """The same diagram as a PNG, drawn with Pillow (no system libraries needed)."""
    from PIL import Image, ImageDraw, ImageFont

    plan = layout(roots)
    image = Image.new("RGB", (plan.width * scale, plan.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11.5 * scale)
    bold = ImageFont.load_default(size=13 * scale)

    def s(value: float) -> float:
        return value * scale

    for label, middle in plan.levels:
        draw.text((s(MARGIN), s(middle)), label, fill="#4d5560", font=bold, anchor="lm")
    for box in plan.boxes:
        if box.parent is None:
            continue
        points = [(s(x), s(y)) for x, y in _arrow_path(box)]
        draw.line(points, fill=LINE, width=max(1, int(1.5 * scale)), joint="curve")
        tip_x, tip_y = points[-1]
        head = 5 * scale
        draw.polygon(
            [
                (tip_x, tip_y),
                (tip_x - head, tip_y + head * 1.6),
                (tip_x + head, tip_y + head * 1.6),
            ],
            fill=LINE,
        )
    for box in plan.boxes:
        draw.rounded_rectangle(
            [s(box.x), s(box.y), s(box.x + BOX_W), s(box.y + BOX_H)],
            radius=6 * scale,
            fill=FILL[box.level],
            outline="#12263f",
            width=scale,
        )
        ink = INK[box.level]
        draw.text((s(box.x + 10), s(box.y + 20)), str(box.code), fill=ink, font=bold, anchor="ls")
        for n, line in enumerate(box.lines):
            draw.text(
                (s(box.x + 10), s(box.y + 40 + n * 15)), line, fill=ink, font=font, anchor="ls"
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
