"""The files each published response can be downloaded as: PDF and Word (the layout of the
page, in the reader's language) and open data (JSON and CSV, both languages)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt
from fpdf import FPDF, XPos, YPos

from uptake.core.pdf import PDF_ENCODING, pdf_text

from .languages import as_pair
from .models import Publication
from .presenter import PublicResponse

# Described in docs/open-data.md. 2: the program is in both languages, as the title is.
OPEN_DATA_SCHEMA = "uptake.publication/2"


def licence() -> str:
    return str(getattr(settings, "UPTAKE_OPEN_DATA_LICENCE", ""))


# PDF -----------------------------------------------------------------------------------------


class _ResponsePDF(FPDF):
    """Letter pages with the title as a running header and "Page N of M" at the foot."""

    def __init__(self, running_title: str) -> None:
        super().__init__(format="letter")
        self.core_fonts_encoding = PDF_ENCODING
        self.running_title = pdf_text(running_title)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 85, 96)
        self.cell(0, 5, self.running_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        # {nb} becomes the page count once the document is complete.
        label = _("Page %(page)s of %(total)s") % {"page": self.page_no(), "total": "{nb}"}
        self.cell(0, 10, pdf_text(label), align="R")

    def heading(self, text: str, level: int) -> None:
        size = {1: 16, 2: 13, 3: 11, 4: 10}[level]
        self.ln(3 if level > 2 else 5)
        self.set_font("Helvetica", "BI" if level == 4 else "B", size)
        self.multi_cell(0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, *, indent: float = 0, size: int = 10) -> None:
        self.set_font("Helvetica", "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, 5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)


def render_pdf(doc: PublicResponse, page_url: str) -> bytes:
    """The public page's layout for print, in the reader's language."""
    pdf = _ResponsePDF(doc.title.text)
    pdf.set_title(pdf_text(doc.title.text))
    pdf.set_subject(pdf_text(_("Management response and action plan")))
    pdf.set_author(pdf_text(doc.evaluation_unit or "Uptake"))
    pdf.set_lang(doc.language)
    pdf.add_page()
    pdf.para(_("Management response and action plan"), size=9)
    pdf.heading(_gap(doc.title, doc), 1)
    for line in _front_matter(doc):
        pdf.para(line)
    pdf.para(_("Published version: %(url)s") % {"url": page_url}, size=8)
    if doc.status_as_of:
        pdf.para(_("Implementation status as of %(date)s") % {"date": _date(doc.status_as_of)})
    for rec in doc.recommendations:
        pdf.heading(_recommendation_heading(rec, doc), 2)
        if rec.body:
            pdf.para(_gap(rec.body, doc))
        for label, text in rec.sub_points:
            pdf.para(f"{label + ') ' if label else '- '}{_gap(text, doc)}", indent=6)
        for response in rec.responses:
            pdf.heading(f"{_gap(response.unit_name, doc)} ({response.unit_code})", 3)
            # As on the page: a unit that disagrees may have no commitment and no actions.
            if response.commitment:
                pdf.heading(_("Commitments"), 4)
            pdf.para(response.agreement)
            if response.commitment:
                pdf.para(_gap(response.commitment, doc))
            if response.rationale:
                pdf.para(_rationale(response, doc))
            if not response.actions:
                continue
            pdf.heading(_("Actions"), 4)
            for action in response.actions:
                pdf.para(f"{action.number}. {_action_line(action, doc)}", indent=4)
            pdf.heading(_("Responsibility centre"), 4)
            for action in response.responsibilities:
                pdf.para(_responsibility(action, doc), indent=4)
            pdf.heading(_("Target completion date"), 4)
            for action in response.actions:
                prefix = f"{action.number}. " if len(response.actions) > 1 else ""
                pdf.para(f"{prefix}{action.target}", indent=4)
    return bytes(pdf.output())


def _recommendation_heading(rec: Any, doc: PublicResponse) -> str:
    return _("Recommendation %(number)s: %(statement)s") % {
        "number": rec.number,
        "statement": _gap(rec.statement, doc),
    }


def _front_matter(doc: PublicResponse) -> list[str]:
    """The facts the page lists under the title, each "Label: value" as the reader's language
    punctuates it (the catalogue's French puts a space before the colon, as on the page),
    dated so that a printed copy can be tied to its version."""
    published = _("%(date)s (version %(version)s)") % {
        "date": _date(doc.publication.published_at),
        "version": doc.publication.version,
    }
    facts = [
        (_("Program or country"), _gap(doc.program, doc)),
        (_("Period covered"), doc.period),
        (_("Type"), doc.type_label),
        (_("Evaluation unit"), doc.evaluation_unit),
        (_("Approved"), _date(doc.approval_date) if doc.approval_date else ""),
        (_("Published"), published),
        *doc.links,
    ]
    return [_label_value(label, value) for label, value in facts if value]


def _label_value(label: str, value: str) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def _rationale(response: Any, doc: PublicResponse) -> str:
    return " ".join((_("Rationale:"), _gap(response.rationale, doc)))


def _action_line(action: Any, doc: PublicResponse) -> str:
    """The action's text, with its status when the publication shows one."""
    text = _gap(action.text, doc)
    if not action.status:
        return text
    status = _("Status: %(status)s") % {"status": action.status}
    return f"{text} ({status})"


def _responsibility(action: Any, doc: PublicResponse) -> str:
    text = f"{_gap(action.unit_name, doc)} ({action.unit_code})"
    return f"{text}, {_gap(action.role, doc)}" if action.role.text else text


def _gap(value: Any, doc: PublicResponse) -> str:
    """A localized value's text, with the missing-translation marker where it applies."""
    if value.fell_back and doc.mark_gaps:
        marker = _("Translation not available")
        return f"{value.text} [{marker}]"
    return str(value.text)


def _date(value: Any) -> str:
    """VALUE as the page shows it: the date in the reader's language (a moment in local time,
    as the template's date filter gives it)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(formats.date_format(value, "DATE_FORMAT"))


# Word ----------------------------------------------------------------------------------------


def render_docx(doc: PublicResponse, page_url: str) -> bytes:
    """An editable Word document in the public page's layout, with real headings."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = doc.title.text
    document.core_properties.language = doc.language
    document.core_properties.subject = _("Management response and action plan")
    document.add_paragraph(_("Management response and action plan"))
    document.add_heading(_gap(doc.title, doc), level=1)
    for line in _front_matter(doc):
        document.add_paragraph(line)
    document.add_paragraph(_("Published version: %(url)s") % {"url": page_url})
    if doc.status_as_of:
        document.add_paragraph(
            _("Implementation status as of %(date)s") % {"date": _date(doc.status_as_of)}
        )
    for rec in doc.recommendations:
        document.add_heading(_recommendation_heading(rec, doc), level=2)
        if rec.body:
            document.add_paragraph(_gap(rec.body, doc))
        for label, text in rec.sub_points:
            document.add_paragraph(
                f"{label + ') ' if label else ''}{_gap(text, doc)}", style="List Bullet"
            )
        for response in rec.responses:
            document.add_heading(f"{_gap(response.unit_name, doc)} ({response.unit_code})", 3)
            if response.commitment:
                document.add_heading(_("Commitments"), level=4)
            document.add_paragraph(response.agreement)
            if response.commitment:
                document.add_paragraph(_gap(response.commitment, doc))
            if response.rationale:
                document.add_paragraph(_rationale(response, doc))
            if not response.actions:
                continue
            document.add_heading(_("Actions"), level=4)
            for action in response.actions:
                document.add_paragraph(_action_line(action, doc), style="List Number")
            document.add_heading(_("Responsibility centre"), level=4)
            for action in response.responsibilities:
                document.add_paragraph(_responsibility(action, doc))
            document.add_heading(_("Target completion date"), level=4)
            for action in response.actions:
                prefix = f"{action.number}. " if len(response.actions) > 1 else ""
                document.add_paragraph(f"{prefix}{action.target}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Open data -----------------------------------------------------------------------------------


def open_data(publication: Publication, page_url: str) -> dict[str, Any]:
    """The publication as open data: its snapshot, with where, when and under what licence."""
    snap = publication.snapshot
    return {
        "schema": OPEN_DATA_SCHEMA,
        "licence": licence(),
        "url": page_url,
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "languages": publication.languages,
        "status_as_of": snap["status_as_of"],
        # Publications made before the program was bilingual give it in English only.
        "evaluation": {**snap["evaluation"], "program": as_pair(snap["evaluation"]["program"])},
        "recommendations": snap["recommendations"],
    }


def render_json(publication: Publication, page_url: str) -> bytes:
    return json.dumps(open_data(publication, page_url), ensure_ascii=False, indent=2).encode()


CSV_COLUMNS = [
    "evaluation_title_en",
    "evaluation_title_fr",
    "program",
    "program_fr",
    "period",
    "recommendation_number",
    "recommendation_statement_en",
    "recommendation_statement_fr",
    "unit_code",
    "unit_name_en",
    "unit_name_fr",
    "agreement",
    "commitment_en",
    "commitment_fr",
    "action_number",
    "action_en",
    "action_fr",
    "deliverable_en",
    "deliverable_fr",
    "responsibility_code",
    "responsibility_name_en",
    "responsibility_name_fr",
    "role_en",
    "role_fr",
    "target_date",
    "revised_target_date",
    "due_date",
    "status",
    "status_as_of",
    "version",
    "published_at",
    "url",
    "licence",
]


def _cell(value: Any) -> str:
    """Text as a spreadsheet shows it: a leading = + - @ would make it a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(publication: Publication, page_url: str) -> bytes:
    """One row per action (a response without actions still gets one row)."""
    snap = publication.snapshot
    ev = snap["evaluation"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    common = {
        "evaluation_title_en": ev["title"]["en"],
        "evaluation_title_fr": ev["title"]["fr"],
        "program": as_pair(ev["program"])["en"],
        "program_fr": as_pair(ev["program"])["fr"],
        "period": ev["period"],
        "status_as_of": snap["status_as_of"] or "",
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "url": page_url,
        "licence": licence(),
    }
    for rec in snap["recommendations"]:
        for response in rec["responses"]:
            row = {
                **common,
                "recommendation_number": rec["number"],
                "recommendation_statement_en": rec["statement"]["en"],
                "recommendation_statement_fr": rec["statement"]["fr"],
                "unit_code": response["unit"]["code"],
                "unit_name_en": response["unit"]["name"]["en"],
                "unit_name_fr": response["unit"]["name"]["fr"],
                "agreement": response["agreement"],
                "commitment_en": response["commitment"]["en"],
                "commitment_fr": response["commitment"]["fr"],
            }
            for number, action in enumerate(response["actions"] or [None], start=1):
                if action is not None:
                    row = {
                        **row,
                        "action_number": number,
                        "action_en": action["text"]["en"],
                        "action_fr": action["text"]["fr"],
                        "deliverable_en": action["deliverable"]["en"],
                        "deliverable_fr": action["deliverable"]["fr"],
                        "responsibility_code": action["responsibility"]["code"],
                        "responsibility_name_en": action["responsibility"]["name"]["en"],
                        "responsibility_name_fr": action["responsibility"]["name"]["fr"],
                        "role_en": action["role"]["en"],
                        "role_fr": action["role"]["fr"],
                        "target_date": action["target_date"],
                        "revised_target_date": action["revised_target_date"],
                        "due_date": action["due_date"] or "",
                        "status": action["status"] or "",
                    }
                writer.writerow([_cell(row.get(column, "")) for column in CSV_COLUMNS])
    # A byte-order mark so that spreadsheet programs read the accents as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
