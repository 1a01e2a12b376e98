"""Property-based tests of the importer: whatever bytes or text arrive, the readers, the
parser, `import_plan`, `uptake import` and the upload page either produce a draft or refuse
with the importer's own error (DocumentError, ServiceError for a refused import, CommandError
on the console, a form error on the page) whose message names the problem. A refused import
writes nothing.

The inputs: arbitrary bytes and text; Word and PDF files built here and then truncated or
with bytes flipped; files with the right extension and the wrong content; and invented
management responses in the layouts the parser knows, mutated line by line, so that the
fuzzer reaches deep into the grammar.

Profiles: `uptake-fuzz` (the default) and `uptake-fuzz-deep` (HYPOTHESIS_PROFILE=deep).
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from uptake.accounts.models import Unit
from uptake.errors import ServiceError
from uptake.evaluations.models import (
    Action,
    Evaluation,
    EvaluationState,
    Recommendation,
    Response,
)
from uptake.importer.errors import DocumentError
from uptake.importer.forms import ReviewForm
from uptake.importer.models import ImportSession
from uptake.importer.parsing import ParsedDocument, parse_text
from uptake.importer.readers import read_bytes
from uptake.importer.services import ImportChoices, ImportReport, import_plan
from uptake.tests.fuzz import FUZZ

# Each example of these writes to the database: fewer of them.
FUZZ_DB = settings(
    FUZZ,
    max_examples=max(25, FUZZ.max_examples // 8),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SUFFIXES = [".txt", ".html", ".htm", ".docx", ".pdf", ".doc", "", ".TXT", ".Docx"]
# The catch-all messages: an exception escaped a reader or the grammar and was only wrapped.
CATCH_ALL = ("could not be parsed",)


# Invented management responses ---------------------------------------------------------

STATEMENTS = [
    "Strengthen the monitoring of licence compliance in remote regions.",
    "Publish the results of the program every year.",
    "Review the eligibility criteria of the equipment grant.",
    "Train regional staff on the new intake checklist.",
    "Clarify the roles of headquarters and the regions in grant approval.",
]
ACTIONS = [
    "Design a shared compliance dashboard with territorial partners.",
    "Post regional coverage targets on the web page.",
    "Issue a directive on disposal procedures.",
    "Brief applicants on the revised priorities.",
    "Commission an affordability study for two pilot regions.",
]
UNITS = [
    ("Highland Water Program", "HWP"),
    ("Results and Strategic Planning Division", "PRS"),
    ("Coastal Operations Branch", "COB"),
    ("Grants and Contributions Centre", "GCC"),
    ("Laboratory Services Directorate", "LSD"),
]
ROLES = ["Director", "Director General", "Manager", "Chief Audit Executive", ""]
AGREEMENTS = [
    "{code} agrees with this recommendation.",
    "Management agrees.",
    "Agreed.",
    "Agree - the work has started.",
    "{code} partially agrees with this recommendation.",
    "Management agrees in part.",
    "Management disagrees. The provinces already do this.",
    "Noted.",
]
DATES = ["June 2027", "Q3 2024-25", "2025-26", "March 31, 2026", "Fall 2025", "Ongoing",
         "Completed", "FY2025/2026", "31 mars 2026", "TBD", "2099-13-45", ""]  # fmt: skip
FR_AGREEMENTS = ["La direction est d'accord avec cette recommandation.",
                 "La direction accepte en partie cette recommandation.",
                 "La direction n'est pas d'accord : les données suffisent."]  # fmt: skip


# What a well-formed response writes: an agreement stated, a date the parser reads.
CLEAR_AGREEMENTS = [a for a in AGREEMENTS if a != "Noted."]
CLEAR_DATES = [d for d in DATES if d not in ("TBD", "2099-13-45", "")]


@st.composite
def recommendation_parts(draw: st.DrawFn, well_formed: bool = False) -> dict[str, str]:
    unit, code = draw(st.sampled_from(UNITS))
    role = draw(st.sampled_from(ROLES))
    agreements = CLEAR_AGREEMENTS if well_formed else AGREEMENTS
    return {
        "statement": draw(st.sampled_from(STATEMENTS)),
        "action": draw(st.sampled_from(ACTIONS)),
        "unit": unit,
        "code": code,
        "centre": (f"{role}, " if role else "") + f"{unit} ({code})",
        "agreement": draw(st.sampled_from(agreements)).format(code=code),
        "fr_agreement": draw(st.sampled_from(FR_AGREEMENTS)),
        "date": draw(st.sampled_from(CLEAR_DATES if well_formed else DATES)),
    }


def narrative(number: str, p: dict[str, str]) -> list[str]:
    return [
        f"Recommendation {number}: {p['statement']}", "", "Management response", "",
        f"{p['unit']} ({p['code']})", "", p["agreement"], "", "Actions", "", p["action"], "",
        f"Responsibility centre: {p['centre']}", "", f"Target completion date: {p['date']}", "",
    ]  # fmt: skip


def french(number: str, p: dict[str, str]) -> list[str]:
    return [
        f"Recommandation {number} : {p['statement']}", "",
        f"Réponse de la direction : {p['fr_agreement']}", "", f"Mesures : {p['action']}", "",
        f"Responsable : {p['centre']}", "", f"Échéance : {p['date']}", "",
    ]  # fmt: skip


def one_cell_per_line(number: str, p: dict[str, str]) -> list[str]:
    return [f"Recommendation {number}", p["statement"], p["agreement"], p["action"],
            p["centre"], p["date"], ""]  # fmt: skip


def table_row(number: str, p: dict[str, str], sep: str) -> list[str]:
    cells = [number, p["statement"], p["agreement"], f"{number}.1 {p['action']}", p["centre"],
             p["date"]]  # fmt: skip
    return [sep.join(cells) + (" |" if sep == " | " else "")]


TABLE_HEADER = ["Recommendation", "Management response", "Action plan", "Responsibility",
                "Target date"]  # fmt: skip


@st.composite
def mrap_lines(draw: st.DrawFn, well_formed: bool = False) -> tuple[list[str], list[str]]:
    """The lines of an invented management response, and the recommendation numbers it has.
    WELL_FORMED: every response states its agreement and a date the parser reads."""
    layout = draw(st.sampled_from(["narrative", "french", "cells", "pipe", "tab"]))
    count = draw(st.integers(min_value=1, max_value=4))
    numbering = draw(st.sampled_from(["plain", "sub"]))
    numbers = [str(i) if numbering == "plain" else f"1.{i}" for i in range(1, count + 1)]
    lines = [draw(st.sampled_from([
        "Management Response and Action Plan: Evaluation of the Northern Support Program",
        "Réponse et plan d'action de la direction – Évaluation du Programme des parcs",
        "Audit of Laboratory Inventory Controls - Management Action Plan", "",
    ]))]  # fmt: skip
    if layout in ("pipe", "tab"):
        sep = " | " if layout == "pipe" else "\t"
        numbers = [str(i) for i in range(1, count + 1)]
        lines.append(sep.join(TABLE_HEADER) + (" |" if layout == "pipe" else ""))
        if layout == "pipe":
            lines.append("---|" * len(TABLE_HEADER))
    for number in numbers:
        parts = draw(recommendation_parts(well_formed))
        if layout == "narrative":
            lines += narrative(number, parts)
        elif layout == "french":
            lines += french(number, parts)
        elif layout == "cells":
            lines += one_cell_per_line(number, parts)
        else:
            lines += table_row(number, parts, " | " if layout == "pipe" else "\t")
    return lines, numbers


ODD_LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "Recommendation",
            "Recommendation 1:",
            "Recommendation 0:",
            "Recommendation 99999999999:",
            "1.",
            "1)",
            "a)",
            "- ",
            "|",
            "| | | |",
            "\t\t\t",
            "Actions",
            "Key Actions:",
            "Responsibility centre",
            "Target completion date",
            "Target completion date:",
            "Agreed.",
            "Management response",
            "Commitments",
            "(FCD)",
            "()",
            "Director,",
            "Q3 2021-22",
            "[Added: 2019/03/02]",
            "Ã©",
            "\u00a0",
            "\u200b",
            "\x00",
            "\x0c",
            "\r",
            "Recommandation 2 :",
            "Recommendation 1: " + "x" * 3000,
            "(" + "A" * 300 + ")",
            "A" * 200 + " agrees.",
            "1 | " + "word " * 400 + "| Agreed. | | |",
        ]
    ),  # fmt: skip
)


@st.composite
def mutated(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """LINES after a few random edits: lines dropped, repeated, swapped, replaced, inserted,
    cut short, or the whole document cut off."""
    lines = list(lines)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            lines.append(draw(ODD_LINES))
            continue
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "repeat", "swap", "replace", "insert", "cut", "end",
                                     "splice"]))  # fmt: skip
        if edit == "drop":
            del lines[i]
        elif edit == "repeat":
            lines.insert(i, lines[i])
        elif edit == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif edit == "replace":
            lines[i] = draw(ODD_LINES)
        elif edit == "insert":
            lines.insert(i, draw(ODD_LINES))
        elif edit == "cut":
            lines[i] = lines[i][: draw(st.integers(min_value=0, max_value=len(lines[i])))]
        elif edit == "end":
            lines = lines[:i]
        elif edit == "splice":
            at = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=10)) + lines[i][at:]
    return lines


@st.composite
def mrap_text(draw: st.DrawFn) -> str:
    lines, _numbers = draw(mrap_lines())
    if draw(st.booleans()):
        lines = draw(mutated(lines))
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


any_document_text = st.one_of(st.text(), mrap_text())


# Files built here, then damaged -----------------------------------------------------------


def _python_docx(lines: list[str]) -> bytes:
    """A Word file as python-docx writes one: LINES as paragraphs, then a small table."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    grid = document.add_table(rows=2, cols=len(TABLE_HEADER))
    for c, text in enumerate(TABLE_HEADER):
        grid.cell(0, c).text = text
    for c, text in enumerate(["3", STATEMENTS[0], "Agreed.", ACTIONS[0], "Director, COB"]):
        grid.cell(1, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _docx(lines: list[str]) -> bytes:
    """The sample Word file with LINES as its first paragraphs (quicker than python-docx)."""
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as zf:
        body = zf.read("word/document.xml")
    # Word keeps only characters that XML allows.
    kept = ("".join(c for c in line if c >= " " and c not in "\ufffe\uffff") for line in lines)
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>' for text in kept
    )
    return _rezip(sample_docx(), "word/document.xml",
                  body.replace(b"<w:body>", b"<w:body>" + paragraphs.encode("utf-8"), 1))  # fmt: skip


def _pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    for line in lines:
        pdf.cell(0, 5, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN",
                 new_y="NEXT")  # fmt: skip
    return bytes(pdf.output())


SAMPLE_LINES = [
    "Management Response and Action Plan: Evaluation of the Northern Support Program",
    *narrative(
        "1",
        {
            "statement": STATEMENTS[0],
            "unit": UNITS[2][0],
            "code": UNITS[2][1],
            "agreement": "COB agrees with this recommendation.",
            "action": ACTIONS[0],
            "centre": "Director, Coastal Operations Branch (COB)",
            "date": "Q3 2024-25",
        },
    ),  # fmt: skip
]


@functools.cache
def sample_docx() -> bytes:
    return _python_docx(SAMPLE_LINES)


@functools.cache
def sample_pdf() -> bytes:
    return _pdf(SAMPLE_LINES)


def _rezip(data: bytes, member: str, content: bytes) -> bytes:
    """DATA (a zip) with MEMBER's content replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        dst.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


DOCX_MEMBERS = ["word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels",
                "_rels/.rels", "word/styles.xml", "docProps/core.xml"]  # fmt: skip
XML_JUNK = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.sampled_from(
        [
            b"",
            b"<",
            b"<?xml version='1.0'?><w:document/>",
            b"<a><b></a>",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
            b'&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;</d>',
        ]
    ),  # fmt: skip
)


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """DATA cut short, with bytes flipped, or with a zip member replaced by junk."""
    edit = draw(
        st.sampled_from(["cut", "flip", "member"] if data[:2] == b"PK" else ["cut", "flip"])
    )
    if edit == "cut":
        return data[: draw(st.integers(min_value=1, max_value=len(data) - 1))]
    if edit == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            i = draw(st.integers(min_value=0, max_value=len(out) - 1))
            out[i] = draw(st.integers(min_value=0, max_value=255))
        return bytes(out)
    return _rezip(data, draw(st.sampled_from(DOCX_MEMBERS)), draw(XML_JUNK))


def any_file() -> st.SearchStrategy[tuple[str, bytes]]:
    """A file name and content: random bytes, documents as text, damaged Word and PDF files,
    and files whose extension does not match their content."""
    name = st.sampled_from(["plan", "MRAP 2024", "réponse", "a"]).flatmap(
        lambda stem: st.sampled_from(SUFFIXES).map(lambda suffix: stem + suffix)
    )
    content = st.one_of(
        st.binary(max_size=2048),
        any_document_text.flatmap(
            lambda t: st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]).map(
                lambda enc: t.encode(enc, "replace")
            )
        ),
        st.just(None).flatmap(lambda _: damaged(sample_docx())),
        st.just(None).flatmap(lambda _: damaged(sample_pdf())),
        st.sampled_from(
            [
                b"%PDF-1.7\n",
                b"PK\x03\x04",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 4,
                b"<html><body><table><tr><td>1</td>",
            ]
        ),  # fmt: skip
        mrap_text().map(lambda t: _docx(t.split("\n")[:60])),
    )
    return st.tuples(name, content)


def assert_clear(exc: DocumentError, name: str) -> None:
    """The importer's error names the file and says what is wrong, in words."""
    assert str(exc).startswith(f"{name}: ")
    assert exc.problem.strip()
    assert not any(phrase in exc.problem for phrase in CATCH_ALL), exc.problem


# Reading and parsing (no database) ---------------------------------------------------------


@FUZZ
@given(any_file())
def test_a_reader_gives_text_or_the_importers_error(file: tuple[str, bytes]) -> None:
    name, data = file
    try:
        text = read_bytes(data, name)
    except DocumentError as exc:
        event("refused")
        assert_clear(exc, name)
    else:
        event("read")
        assert isinstance(text, str) and text.strip()


@FUZZ
@given(any_document_text)
def test_the_parser_gives_recommendations_or_the_importers_error(text: str) -> None:
    try:
        doc = parse_text(text, source_name="plan.txt")
    except DocumentError as exc:
        event("refused")
        assert_clear(exc, "plan.txt")
        return
    event("parsed")
    assert doc.recommendations
    # The review page keeps the structure as JSON and reads it back: nothing is lost.
    stored = json.loads(json.dumps(doc.to_dict()))
    again = ParsedDocument.from_dict(stored, doc.source_lines)
    assert again.to_dict() == doc.to_dict()


@FUZZ
@given(mrap_lines(well_formed=True))
def test_a_well_formed_response_gives_each_recommendation_its_number(
    generated: tuple[list[str], list[str]],
) -> None:
    lines, numbers = generated

    doc = parse_text("\n".join(lines))

    assert [r.number for r in doc.recommendations] == numbers
    assert all(r.responses for r in doc.recommendations)


@FUZZ
@given(st.data())
def test_a_damaged_word_or_pdf_file_is_refused_by_name_or_read(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["docx", "pdf"]))
    content = data.draw(damaged(sample_docx() if kind == "docx" else sample_pdf()))
    name = f"plan.{kind}"
    try:
        text = read_bytes(content, name)
    except DocumentError as exc:
        assert_clear(exc, name)
    else:
        assert text.strip()


# The import, the console command and the upload page (database) ---------------------------


def _rows() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Evaluation, Recommendation, Response, Action, Unit, ImportSession)
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each example starts from the same database: its writes are undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@FUZZ_DB
@given(mrap_text(), st.sampled_from([None, "agree", "disagree"]), st.booleans())
def test_an_import_makes_a_whole_draft_or_writes_nothing(
    evaluator, units, text: str, default: str | None, create_units: bool
) -> None:
    try:
        parsed = parse_text(text)
    except DocumentError:
        event("not a management response")
        return
    with rolled_back():
        before = _rows()
        report = ImportReport()
        choices = ImportChoices(default_agreement=default, create_units=create_units)
        try:
            evaluation = import_plan(parsed=parsed, by=evaluator, choices=choices, report=report)
        except ServiceError as exc:
            event("refused")
            assert exc.message.strip().endswith(".")
            # Django's field messages ("Ensure this value has at most 40 characters") do not
            # say which value: the import must not reach them.
            assert not exc.message.startswith("Ensure this value"), exc.message
            assert _rows() == before
            return
        event("imported")
        after = _rows()
        assert evaluation.recommendations.count() == report.recommendations > 0
        assert after[0] == before[0] + 1
        assert after[1:4] == (
            before[1] + report.recommendations,
            before[2] + report.responses,
            before[3] + report.actions,
        )
        assert after[4] == before[4] + len(report.units_created)


@FUZZ_DB
@given(any_file())
def test_the_import_command_imports_or_names_the_problem(
    tmp_path_factory, evaluator, units, file: tuple[str, bytes]
) -> None:
    name, data = file
    path = tmp_path_factory.mktemp("fuzz") / (name or "plan")
    path.write_bytes(data)
    with rolled_back():
        before = _rows()
        out = io.StringIO()
        try:
            call_command("import", str(path), "--default-agreement", "agree", stdout=out)
        except CommandError as exc:
            event("refused")
            assert str(exc).startswith(str(path))
            assert _rows() == before
        else:
            event("imported")
            assert _rows()[0] == before[0] + 1
            created = Evaluation.objects.order_by("-pk").first()
            label = dict(EvaluationState.choices)[created.state]
            assert f"Evaluation created as “{label}”: " in out.getvalue()


def _review_data(session: ImportSession) -> dict[str, Any]:
    """What the review form holds before the reviewer changes anything."""
    form = ReviewForm(document=ParsedDocument.from_dict(session.parsed, session.source_lines))
    return {
        name: field.initial
        for name, field in form.fields.items()
        if field.initial is not None and field.initial is not False
    }


@FUZZ_DB
@given(any_file(), st.sampled_from(["", "en", "fr"]))
def test_the_upload_page_never_fails_on_a_file(
    client, evaluator, units, file: tuple[str, bytes], language: str
) -> None:
    name, data = file
    client.force_login(evaluator)
    with rolled_back():
        before = _rows()
        upload = SimpleUploadedFile(name or "upload", data)
        response = client.post(reverse("importer:upload"), {"file": upload, "language": language})
        if response.status_code == 200:
            event("refused")
            form = response.context["form"]
            assert form.errors["file"]
            html = response.content.decode()
            assert all(escape(error) in html for error in form.errors["file"])
            assert _rows() == before
            return
        assert response.status_code == 302
        session = ImportSession.objects.get()
        review = reverse("importer:review", args=[session.pk])
        assert client.get(review).status_code == 200
        confirmed = client.post(review, _review_data(session))
        assert confirmed.status_code in (200, 302)
        event(f"review answered {confirmed.status_code}")
        if confirmed.status_code == 302:
            assert Evaluation.objects.count() == before[0] + 1
        else:
            assert Evaluation.objects.count() == before[0]
            assert confirmed.context["form"].errors


# What the fuzzing found, each as an explicit example ---------------------------------------


def _stored_docx(members: dict[str, bytes]) -> bytes:
    """The sample Word file with MEMBERS' contents replaced, each streamed into the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in members:
                dst.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        for member, content in members.items():
            dst.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


BODY = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'


def test_a_word_file_that_unzips_to_more_than_100_mb_is_refused_before_it_is_unzipped() -> None:
    # 101 MB of spaces in the body squeeze into a few hundred kilobytes: a "zip bomb".
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                squeezed = zipfile.ZipInfo(info.filename)
                squeezed.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(squeezed, "w", force_zip64=True) as fh:
                    fh.write(BODY + b"<w:body>")
                    for _ in range(101):
                        fh.write(b" " * (1024 * 1024))
                    fh.write(b"</w:body></w:document>")
            else:
                dst.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    bomb = out.getvalue()
    assert len(bomb) < 2 * 1024 * 1024

    with pytest.raises(DocumentError) as info:
        read_bytes(bomb, "bomb.docx")

    assert str(info.value).startswith("bomb.docx: the Word document unzips to 101 MB")
    assert "more than the 100 MB" in str(info.value)


def test_a_word_file_does_not_expand_nested_entities() -> None:
    entities = b'<!ENTITY e0 "ha">' + b"".join(
        b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, 9)
    )
    laughs = b"<?xml version='1.0'?><!DOCTYPE w:document [" + entities + b"]>" + BODY
    laughs += b"<w:body><w:p><w:r><w:t>&e8;</w:t></w:r></w:p></w:body></w:document>"

    with pytest.raises(DocumentError) as info:
        read_bytes(_stored_docx({"word/document.xml": laughs}), "laughs.docx")

    assert str(info.value).startswith("laughs.docx: could not be read as docx")


def test_a_word_file_cannot_pull_in_a_file_of_the_server(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the-server-secret", encoding="utf-8")
    xxe = b"<?xml version='1.0'?><!DOCTYPE w:document [<!ENTITY s SYSTEM '%s'>]>" % (
        secret.as_uri().encode()
    )
    xxe += BODY + b"<w:body><w:p><w:r><w:t>Recommendation 1: &s; here</w:t></w:r></w:p>"
    xxe += b"</w:body></w:document>"

    try:
        text = read_bytes(_stored_docx({"word/document.xml": xxe}), "xxe.docx")
    except DocumentError as exc:
        assert str(exc).startswith("xxe.docx: ")
    else:
        assert "Recommendation 1:" in text
        assert "the-server-secret" not in text


def _pdf_lines(count: int) -> bytes:
    from .documents import make_pdf

    return make_pdf([f"Line {i}" for i in range(count)], per_page=count)


def test_a_pdf_page_with_too_many_drawing_instructions_is_refused_by_name(monkeypatch) -> None:
    # Each line is three instructions ("(text) Tj T*"); the real limit is 250,000 a page.
    monkeypatch.setattr("uptake.importer.readers.PDF_MAX_TOKENS_PER_PAGE", 600)
    assert "Line 99" in read_bytes(_pdf_lines(100), "short.pdf")

    with pytest.raises(DocumentError) as info:
        read_bytes(_pdf_lines(400), "crowded.pdf")

    assert str(info.value).startswith(
        "crowded.pdf: the PDF holds more data than a management response ever needs"
    )


def test_a_capitalised_word_too_long_for_a_unit_code_does_not_stop_the_import(
    evaluator, units
) -> None:
    shout = "ENVIRONMENTALSUSTAINABILITYCOORDINATIONOFFICE"  # 45 capitals, no parentheses
    assert len(shout) > 40
    parsed = parse_text("\n".join(narrative("1", {
        "statement": STATEMENTS[0], "unit": "Highland Water Program", "code": "HWP",
        "agreement": "HWP agrees with this recommendation.", "action": ACTIONS[0],
        "centre": f"Director, {shout}", "date": "June 2027"})))  # fmt: skip

    import_plan(parsed=parsed, by=evaluator)

    action = Action.objects.get()
    # No acronym fits and a single word has no initials: a short code, never the name cut
    # at 40 letters.
    assert action.unit.code == shout[:3]
    assert action.unit.name_en == shout
    assert action.role == "Director"
