"""XLSX export, the import template, importing a logic model and PMF, and the DOCX report."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from conftest import field_errors
from uptake.results import services
from uptake.results.models import Indicator, Period, Result, Target
from uptake.results.spreadsheets import (
    INDICATOR_COLUMNS,
    PERIOD_COLUMNS,
    RESULT_COLUMNS,
    TARGET_COLUMNS,
    FrameworkImportError,
    export_docx,
    export_xlsx,
    template_xlsx,
)

pytestmark = pytest.mark.django_db


def workbook(results, periods=(), indicators=(), targets=()) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in (
        ("Results", RESULT_COLUMNS, results),
        ("Periods", PERIOD_COLUMNS, periods),
        ("Indicators", INDICATOR_COLUMNS, indicators),
        ("Targets", TARGET_COLUMNS, targets),
    ):
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD_RESULTS = [
    (1, "Ultimate outcome", None, "Healthier households", "Ménages en meilleure santé"),
    (2, "Intermediate outcome", 1, "Safe water used", ""),
    (3, "Immediate outcome", 2, "Boards maintain systems", ""),
    (4, "Output", 3, "Board members trained", ""),
    (5, "Output", 3, "Funds set up", ""),
]
GOOD_PERIODS = [("2024-25", datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))]


def indicator_row(code, text, measure="unit", baseline=5, year=2023):
    row = dict.fromkeys(INDICATOR_COLUMNS)
    row.update({"Result code": code, "Indicator (English)": text, "Measure": measure,
                "Baseline": baseline, "Baseline year": year})  # fmt: skip
    return [row[c] for c in INDICATOR_COLUMNS]


def test_a_valid_workbook_creates_the_whole_framework(strategy, evaluator):
    file = workbook(
        GOOD_RESULTS,
        GOOD_PERIODS,
        [
            indicator_row(4, "Members trained"),
            indicator_row(3, "Boards", "qualitative", "Few", 2022),
        ],
        [(4, 1, "2024-25", 40), (3, 1, "2024-25", "Most boards")],
    )
    counts = services.framework_import(strategy=strategy, file=file, by=evaluator)
    assert counts == {
        "results": 5, "periods": 1, "indicators": 2, "targets": 2, "actuals_left": 0
    }  # fmt: skip
    assert sorted(Result.objects.filter(strategy=strategy).values_list("code", flat=True)) == [
        1000,
        1100,
        1110,
        1111,
        1112,
    ]
    trained = Indicator.objects.get(text_en="Members trained")
    assert trained.result.code == 1111
    assert Target.objects.get(indicator=trained).value == Decimal(40)
    assert Target.objects.get(indicator__measure="qualitative").text == "Most boards"
    assert (
        Result.objects.get(code=1000, strategy=strategy).statement_fr
        == "Ménages en meilleure santé"
    )


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(strategy, evaluator):
    file = workbook(
        [
            *GOOD_RESULTS,
            (6, "Output", 99, "Orphan", ""),  # row 7: unknown parent
            (7, "Output", 2, "Wrong level", ""),  # row 8: an output under an intermediate
            (8, "Sideways", None, "", ""),  # row 9: bad level, no statement
        ],
        [("2025-26", datetime.date(2026, 4, 1), datetime.date(2025, 4, 1))],  # row 2: reversed
        [indicator_row(4, "Members", baseline="many")],  # row 2: words in a numeric baseline
        [(4, 1, "2030-31", 10), (4, 2, "2025-26", 5)],  # unknown period; no indicator 2
    )
    with pytest.raises(FrameworkImportError) as caught:
        services.framework_import(strategy=strategy, file=file, by=evaluator)
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("Results", 7, "Parent code"),
        ("Results", 8, "Parent code"),
        ("Results", 9, "Level"),
        ("Results", 9, "Statement (English)"),
        ("Periods", 2, "End"),
        ("Indicators", 2, "Baseline"),
        ("Targets", 2, "Period"),
        ("Targets", 3, "Indicator number"),
    }
    assert not Result.objects.exists()
    assert not Period.objects.exists()
    assert not Indicator.objects.exists()


def test_a_missing_column_is_named(strategy, evaluator):
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(["Code", "Level", "Statement (English)"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(FrameworkImportError) as caught:
        services.framework_import(strategy=strategy, file=buffer, by=evaluator)
    assert {(p.row, p.column) for p in caught.value.problems} >= {(1, "Parent code")}


def test_a_file_that_is_not_a_workbook_is_refused(strategy, evaluator):
    with pytest.raises(FrameworkImportError, match="nothing was saved"):
        services.framework_import(strategy=strategy, file=io.BytesIO(b"not excel"), by=evaluator)


def test_importing_over_an_existing_logic_model_is_refused(strategy, tree, evaluator):
    with pytest.raises(services.ServiceError, match="already has a logic model"):
        services.framework_import(strategy=strategy, file=workbook(GOOD_RESULTS), by=evaluator)


def test_the_import_page_puts_that_refusal_under_the_file_field(strategy, tree, evaluator, client):
    client.force_login(evaluator)
    upload = SimpleUploadedFile("framework.xlsx", workbook(GOOD_RESULTS).getvalue())
    response = client.post(
        reverse("results:framework_import", args=[strategy.pk]), {"file": upload}
    )
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), "file")
    assert any("already has a logic model" in error for error in errors), errors
    assert Result.objects.filter(strategy=strategy).count() == len(tree)


def test_the_template_has_every_sheet_and_column():
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["Instructions", "Results", "Periods", "Indicators", "Targets"]
    assert [c.value for c in book["Indicators"][1]] == INDICATOR_COLUMNS


def test_an_export_imports_into_another_strategy_as_it_is(
    strategy, indicator, qualitative, evaluator
):
    data = export_xlsx(strategy)
    other = services.strategy_create(
        by=evaluator,
        kind="sector",
        title_en="Copy",
        subject="Water",
        start_year=2024,
        end_year=2026,
    )
    services.framework_import(strategy=other, file=io.BytesIO(data), by=evaluator)

    def shape(s):
        return sorted(
            (t.indicator.result.code, t.indicator.text_en, t.period.name, t.value, t.text)
            for t in Target.objects.filter(indicator__result__strategy=s)
        )

    assert shape(other) == shape(strategy)
    assert sorted(
        Result.objects.filter(strategy=other).values_list("code", "statement_en")
    ) == sorted(Result.objects.filter(strategy=strategy).values_list("code", "statement_en"))


def test_the_docx_report_carries_the_logic_model_and_indicators(strategy, indicator):
    document = Document(io.BytesIO(export_docx(strategy)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Country strategy for testing" in text
    assert "1110 Immediate outcome: Immediate one" in text
    assert "Number of boards trained" in cells
    assert len(document.inline_shapes) == 1  # the diagram


def _problems(strategy, evaluator, file) -> dict[tuple[str, int, str], str]:
    with pytest.raises(FrameworkImportError) as caught:
        services.framework_import(strategy=strategy, file=file, by=evaluator)
    assert not Result.objects.exists()
    assert not Indicator.objects.exists()
    return {(p.sheet, p.row, p.column): p.message for p in caught.value.problems}


def test_yes_no_columns_take_only_yes_or_no(strategy, evaluator):
    flags = dict(zip(INDICATOR_COLUMNS, indicator_row(4, "Members"), strict=True))
    row = [{**flags, "Cumulative": "x", "Higher is better": "maybe"}[c] for c in INDICATOR_COLUMNS]
    found = _problems(strategy, evaluator, workbook(GOOD_RESULTS, GOOD_PERIODS, [row]))
    assert found == {
        ("Indicators", 2, "Cumulative"): "Write yes or no.",
        ("Indicators", 2, "Higher is better"): "Write yes or no.",
    }


def test_a_target_row_reports_each_of_its_bad_cells(strategy, evaluator):
    file = workbook(
        GOOD_RESULTS,
        GOOD_PERIODS,
        [indicator_row(4, "Members trained")],
        [
            (4, 7, "2030-31", "lots"),  # row 2: no indicator 7, no such period, not a number
            (4, 1, "2030-31", "lots"),  # row 3: the indicator is right; period and target not
        ],
    )
    found = _problems(strategy, evaluator, file)
    assert set(found) == {
        ("Targets", 2, "Indicator number"),
        ("Targets", 2, "Period"),
        ("Targets", 2, "Target"),
        ("Targets", 3, "Period"),
        ("Targets", 3, "Target"),
    }
    assert found[("Targets", 2, "Period")] == "No period is named 2030-31."
    assert found[("Targets", 3, "Target")].startswith("Give a number")


def test_a_result_under_the_wrong_level_is_told_where_it_goes(strategy, evaluator):
    file = workbook(
        [
            (1, "Ultimate outcome", None, "Healthier households", ""),
            (2, "Output", 1, "Board members trained", ""),  # row 3: an output under an ultimate
            (3, "Immediate outcome", 1, "Boards maintain systems", ""),  # row 4
        ]
    )
    found = _problems(strategy, evaluator, file)
    assert found == {
        ("Results", 3, "Parent code"): "An output goes under an immediate outcome.",
        ("Results", 4, "Parent code"): "An immediate outcome goes under an intermediate outcome.",
    }
