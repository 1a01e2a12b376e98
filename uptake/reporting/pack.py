"""The committee pack of a round: the same content as one PDF (fpdf2) and one Word file.

`pack_data` gathers everything through the selectors; the two writers only lay it out.
Charts are drawn once as PNG (Pillow) and placed in both files.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.core.pdf import PDF_ENCODING, pdf_text
from uptake.evaluations.models import Action, Recommendation
from uptake.followup.models import DateRevision

from . import selectors
from .models import FollowUpRound
from .selectors import Change, Completeness, Figures


@dataclass
class OverdueRow:
    evaluation: str
    recommendation: str
    unit: str
    action: str
    due_date: datetime.date | None
    days_late: int
    reason: str


@dataclass
class PackData:
    round: FollowUpRound
    as_of: datetime.date
    overall: Figures
    by_unit: list[Figures]
    completeness: Completeness
    recommendations_implemented: int
    recommendations_counted: int
    overdue: list[OverdueRow]
    revisions: list[DateRevision]
    closures: list[Recommendation]
    previous: FollowUpRound | None
    changes: list[Change]


def pack_data(round_: FollowUpRound) -> PackData:
    as_of = selectors.round_as_of(round_)
    if round_.is_open:
        board = selectors.dashboard(selectors.DashboardFilters(report_date=as_of))
        overall, by_unit = board.overall, board.by_unit
    else:
        overall, by_unit = selectors.snapshot_figures(round_)
    recs = selectors.recommendation_figures(selectors.DashboardFilters())
    overdue_actions: list[Action] = list(selectors.overdue_actions(round_))
    reasons = selectors.latest_narratives(a.pk for a in overdue_actions)
    overdue = [
        OverdueRow(
            evaluation=a.response.recommendation.evaluation.title_en,
            recommendation=a.response.recommendation.number,
            unit=a.unit.code,
            action=a.text,
            due_date=a.due_date,
            days_late=getattr(a, "frozen_days", None)
            or ((as_of - a.due_date).days if a.due_date else 0),
            reason=reasons.get(a.pk, _("No update received.")),
        )
        for a in overdue_actions
    ]
    previous = selectors.previous_closed_round(round_)
    return PackData(
        round=round_,
        as_of=as_of,
        overall=overall,
        by_unit=by_unit,
        completeness=selectors.round_completeness(round_).overall,
        recommendations_implemented=recs.implemented,
        recommendations_counted=recs.counted,
        overdue=overdue,
        revisions=list(selectors.revisions_pending()),
        closures=list(selectors.closures_proposed()),
        previous=previous,
        changes=selectors.changes_between(previous, round_) if previous else [],
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g} %"


def summary_rows(data: PackData) -> list[tuple[str, str]]:
    o = data.overall
    c = data.completeness
    return [
        (_("Actions due"), str(o.due)),
        (_("Validated (of those due)"), str(o.validated_due)),
        (_("Implementation rate"), _pct(o.implementation_rate)),
        (_("Overdue actions"), str(o.overdue)),
        (_("Overdue 0–6 months"), str(o.age_0_6)),
        (_("Overdue 6–12 months"), str(o.age_6_12)),
        (_("Overdue 12–24 months"), str(o.age_12_24)),
        (_("Overdue 24+ months"), str(o.age_24_plus)),
        (
            _("Recommendations fully implemented"),
            f"{data.recommendations_implemented} / {data.recommendations_counted}",
        ),
        (_("Updates received in the round"), f"{c.answered} / {c.owed}"),
    ]


def chart_png(title: str, items: list[tuple[str, float | None]], maximum: float | None) -> bytes:
    """A horizontal bar chart as PNG, for the PDF and the Word file."""
    from PIL import Image, ImageDraw, ImageFont

    row, label_w, bar_w, pad = 34, 260, 520, 16
    height = pad * 2 + 40 + row * max(1, len(items))
    image = Image.new("RGB", (label_w + bar_w + 140, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    draw.text((pad, pad), title, fill="#1b1f24", font=font)
    top = maximum if maximum is not None else max([v or 0 for _, v in items] + [0])
    for index, (label, value) in enumerate(items):
        y = pad + 40 + index * row
        draw.text((pad, y + 4), label[:24], fill="#1b1f24", font=font)
        draw.rectangle((label_w, y + 4, label_w + bar_w, y + 26), fill="#eef1f4")
        width = round(bar_w * (value or 0) / top) if top else 0
        if width:
            draw.rectangle((label_w, y + 4, label_w + width, y + 26), fill="#1f5fa8")
        text = "—" if value is None else f"{value:g}"
        draw.text((label_w + bar_w + 8, y + 4), text, fill="#1b1f24", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def charts(data: PackData) -> list[tuple[str, bytes]]:
    titles = (_("Implementation rate by unit (%)"), _("Overdue actions by months late"))
    return [
        (
            titles[0],
            chart_png(
                titles[0], [(f.label, f.implementation_rate) for f in data.by_unit], maximum=100
            ),
        ),
        (titles[1], chart_png(titles[1], list(data.overall.ages), maximum=None)),
    ]


def _title(data: PackData) -> str:
    return _("Committee pack: %(name)s") % {"name": data.round.name}


def _subtitle(data: PackData) -> str:
    if data.round.is_open:
        return _("Round open; figures as of %(day)s.") % {"day": data.as_of.isoformat()}
    return _("Round closed on %(day)s; figures as frozen that day.") % {
        "day": data.as_of.isoformat()
    }


def _revision_line(r: DateRevision) -> str:
    return _("%(unit)s, “%(action)s”: from “%(old)s” to “%(new)s”. %(why)s") % {
        "unit": r.action.unit.code,
        "action": r.action.text,
        "old": r.action.target_date_text,
        "new": r.requested_text,
        "why": r.justification,
    }


def _closure_line(r: Recommendation) -> str:
    return _("%(evaluation)s, recommendation %(number)s: %(statement)s") % {
        "evaluation": r.evaluation.title_en,
        "number": r.number,
        "statement": r.statement,
    }


def _change_line(c: Change) -> str:
    return _("%(unit)s, “%(action)s”: %(before)s → %(after)s (due %(due)s)") % {
        "unit": c.unit,
        "action": c.action,
        "before": c.before_status or _("new"),
        "after": c.after_status,
        "due": c.after_due.isoformat() if c.after_due else "—",
    }


def _overdue_line(o: OverdueRow) -> str:
    return _(
        "%(unit)s, recommendation %(number)s: “%(action)s”, due %(due)s, %(days)d days late."
    ) % {
        "unit": o.unit,
        "number": o.recommendation,
        "action": o.action,
        "due": o.due_date.isoformat() if o.due_date else "—",
        "days": o.days_late,
    }


def sections(data: PackData) -> list[tuple[str, list[str], str]]:
    """The pack's list sections: heading, lines, and what to say when there are none."""
    return [
        (
            _("Overdue actions, with the latest reason given"),
            [
                " ".join((_overdue_line(o), _("Reason: %(reason)s") % {"reason": o.reason}))
                for o in data.overdue
            ],
            _("No action is overdue."),
        ),
        (
            _("Revised dates awaiting the committee's decision"),
            [_revision_line(r) for r in data.revisions],
            _("No revised date awaits a decision."),
        ),
        (
            _("Closures proposed (every action validated, recommendation still open)"),
            [_closure_line(r) for r in data.closures],
            _("No recommendation is ready to close."),
        ),
        (
            _("Changes since the last round")
            + (f" ({data.previous.name})" if data.previous else ""),
            [_change_line(c) for c in data.changes],
            _("No change since the last round.")
            if data.previous
            else _("There is no earlier closed round to compare with."),
        ),
    ]


# ---------------------------------------------------------------------------------------------
# PDF


def render_pdf(data: PackData) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = PDF_ENCODING
    pdf.set_title(pdf_text(_title(data)))
    pdf.set_creator("Uptake")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    heading(_title(data), 16)
    pdf.multi_cell(width, 5, pdf_text(_subtitle(data)), new_x="LMARGIN", new_y="NEXT")
    heading(_("Summary figures"))
    with pdf.table(col_widths=(3, 1), text_align=("LEFT", "RIGHT")) as table:
        for label, value in summary_rows(data):
            cells = table.row()
            cells.cell(pdf_text(label))
            cells.cell(pdf_text(value))
    heading(_("Charts"))
    for title, png in charts(data):
        pdf.image(io.BytesIO(png), w=width * 0.9, alt_text=pdf_text(title))
        pdf.ln(2)
    for title, lines, empty in sections(data):
        heading(title)
        for line in lines or [empty]:
            pdf.multi_cell(
                width, 5, pdf_text(("- " if lines else "") + line), new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(1)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        width,
        4,
        pdf_text(_("Generated by Uptake on %(day)s.") % {"day": timezone.localdate().isoformat()}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------
# Word


def render_docx(data: PackData) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = _title(data)
    doc.add_heading(_title(data), level=0)
    doc.add_paragraph(_subtitle(data))
    doc.add_heading(_("Summary figures"), level=1)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in summary_rows(data):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    doc.add_heading(_("Charts"), level=1)
    for title, png in charts(data):
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.add_paragraph(title)
    for title, lines, empty in sections(data):
        doc.add_heading(title, level=1)
        if not lines:
            doc.add_paragraph(empty)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
