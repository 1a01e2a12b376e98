"""The logic model and PMF as files: XLSX export, the XLSX import template and its reader,
and a DOCX report. The export and the template share their columns, so an exported workbook
can be imported into another strategy as it is."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uptake.errors import ServiceError

from .models import Measure, Period, ResultLevel, Strategy, placement_rule
from .selectors import flatten, logic_model, pmf

RESULT_COLUMNS = ["Code", "Level", "Parent code", "Statement (English)", "Statement (French)"]
PERIOD_COLUMNS = ["Name", "Start", "End"]
INDICATOR_COLUMNS = [
    "Result code",
    "Indicator (English)",
    "Indicator (French)",
    "Measure",
    "Higher is better",
    "Cumulative",
    "Baseline",
    "Baseline year",
    "Data sources",
    "Data collection method",
    "Frequency",
    "Responsibility",
]
TARGET_COLUMNS = ["Result code", "Indicator number", "Period", "Target"]
ACTUAL_COLUMNS = ["Result code", "Indicator number", "Period", "Actual", "Variance explanation"]
SHEETS = {
    "Results": RESULT_COLUMNS,
    "Periods": PERIOD_COLUMNS,
    "Indicators": INDICATOR_COLUMNS,
    "Targets": TARGET_COLUMNS,
}
LEVEL_NAMES = {
    "ultimate outcome": 1,
    "ultimate": 1,
    "intermediate outcome": 2,
    "intermediate": 2,
    "immediate outcome": 3,
    "immediate": 3,
    "output": 4,
}
LEVEL_LABELS = {
    1: "Ultimate outcome",
    2: "Intermediate outcome",
    3: "Immediate outcome",
    4: "Output",
}
YES = {"yes", "y", "true", "1", "oui"}
NO = {"no", "n", "false", "0", "non"}


# Export ------------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _number(value: Decimal | None) -> Decimal | int | None:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


def _workbook(strategy: Strategy | None) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    sheets = dict(SHEETS)
    if strategy is not None:
        sheets["Actuals"] = ACTUAL_COLUMNS
    for name, columns in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = max(14, min(48, len(column) + 6))
        sheet.freeze_panes = "A2"
    levels = DataValidation(type="list", formula1='"' + ",".join(LEVEL_LABELS.values()) + '"')
    book["Results"].add_data_validation(levels)
    levels.add("B2:B500")
    measures = DataValidation(type="list", formula1='"' + ",".join(Measure.values) + '"')
    book["Indicators"].add_data_validation(measures)
    measures.add("D2:D2000")
    return book


def _save_book(book: Any) -> bytes:
    # openpyxl stores text starting with "=" as a formula, which Excel would run: our cells
    # never hold formulas, so each is stored as text (and reads back unchanged on import).
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """An empty workbook with the import's sheets, columns and the choices each column takes."""
    book = _workbook(None)
    notes = book.create_sheet("Instructions", 0)
    for line in (
        ["How to fill this workbook"],
        ["Results: one row per expected result. Code is any number you choose, used only to "
         "link rows; Uptake numbers results itself (1000, 1100, 1110, 1111)."],
        ["Level: Ultimate outcome, Intermediate outcome, Immediate outcome or Output. Every "
         "result but an ultimate outcome names its parent's code, one level up."],
        ["Periods: a name (2025-26) and its first and last days (2025-04-01, 2026-03-31)."],
        ["Indicators: Result code, then the indicator. Measure: unit, percentage, nominal, "
         "ordinal or qualitative. Higher is better and Cumulative: yes or no."],
        ["Baseline: a number, or words for a qualitative indicator, with its year."],
        ["Targets: Result code, the indicator's number under that result (1 for its first "
         "indicator row), the period's name and the target."],
        ["Nothing is saved unless every row is valid: errors are listed by sheet, row and column."],
    ):  # fmt: skip
        notes.append(line)
    notes.column_dimensions["A"].width = 120
    return _save_book(book)


def export_xlsx(strategy: Strategy) -> bytes:
    book = _workbook(strategy)
    nodes = flatten(logic_model(strategy))
    by_id = {n.result.pk: n.result for n in nodes}
    for node in nodes:
        result = node.result
        parent = by_id.get(result.parent_id) if result.parent_id else None
        book["Results"].append(
            [
                result.code,
                LEVEL_LABELS[result.level],
                parent.code if parent else None,
                result.statement_en,
                result.statement_fr,
            ]
        )
    table = pmf(strategy)
    for period in table.periods:
        book["Periods"].append([period.name, period.start, period.end])
    for node in nodes:
        for indicator in node.result.indicators.all():
            book["Indicators"].append(
                [
                    node.result.code,
                    indicator.text_en,
                    indicator.text_fr,
                    indicator.measure,
                    _yes_no(indicator.ascending),
                    _yes_no(indicator.cumulative),
                    indicator.baseline_text
                    if indicator.is_qualitative
                    else _number(indicator.baseline_value),
                    indicator.baseline_year,
                    indicator.data_sources,
                    indicator.collection_method,
                    indicator.frequency,
                    indicator.responsibility,
                ]
            )
    for row in table.rows:
        for cell in row.cells:
            key = [row.indicator.result.code, row.indicator.position, cell.period.name]
            if cell.target:
                value = cell.target.text or _number(cell.target.value)
                book["Targets"].append([*key, value])
            if cell.actual:
                value = cell.actual.text or _number(cell.actual.value)
                book["Actuals"].append([*key, value, cell.actual.variance_explanation])
    return _save_book(book)


# Import ------------------------------------------------------------------------------------


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("%(sheet)s, row %(row)d, column “%(column)s”: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FrameworkImportError(ServiceError):
    """The workbook has problems; nothing was saved. Each problem names its row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            ngettext(
                "The workbook has %(count)d problem; nothing was saved.",
                "The workbook has %(count)d problems; nothing was saved.",
                len(problems),
            )
            % {"count": len(problems)},
            field="file",
        )
        self.problems = problems


@dataclass
class ResultRow:
    row: int
    code: str
    level: int
    parent_code: str
    statement_en: str
    statement_fr: str


@dataclass
class IndicatorRow:
    row: int
    result_code: str
    number: int
    fields: dict[str, Any]


@dataclass
class TargetRow:
    row: int
    result_code: str
    number: int
    period: str
    value: Decimal | None
    text: str


@dataclass
class Framework:
    """A workbook read and checked: what the import service will create, in order."""

    results: list[ResultRow] = field(default_factory=list)
    periods: list[tuple[str, datetime.date, datetime.date]] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    # Rows of the Actuals sheet (an export has one): counted so the import can say it left them.
    actuals_left: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    return datetime.date.fromisoformat(text)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def rows(self, book: Any, name: str, required: bool) -> list[tuple[int, dict[str, Any]]]:
        """The sheet's non-empty rows as {column name: value}, found by their headings."""
        if name not in book.sheetnames:
            if required:
                self.problem(name, 1, "—", _("The sheet is missing."))
            return []
        sheet = book[name]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(h).lower() for h in next(rows, ())]
        columns = SHEETS[name]
        index: dict[str, int] = {}
        for column in columns:
            if column.lower() in header:
                index[column] = header.index(column.lower())
            else:
                self.problem(name, 1, column, _("The column is missing."))
        out = []
        for number, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            out.append(
                (
                    number,
                    {c: values[i] if i < len(values) else None for c, i in index.items()},
                )
            )
        return out


def read_framework(file: IO[bytes], strategy: Strategy) -> Framework:
    """Read and check the whole workbook; raise FrameworkImportError listing every problem."""
    from openpyxl import load_workbook

    reader = _Reader()
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FrameworkImportError(
            [Problem("—", 0, "—", _("This file is not an Excel workbook (.xlsx)."))]
        ) from exc
    framework = Framework()
    p = reader.problem

    # Results
    levels: dict[str, int] = {}
    children: dict[str, int] = {}
    result_rows = reader.rows(book, "Results", required=True)
    for row, values in result_rows:
        code = _text(values.get("Code"))
        level_text = _text(values.get("Level")).lower()
        level = LEVEL_NAMES.get(level_text) or (
            int(level_text) if level_text in {"1", "2", "3", "4"} else 0
        )
        statement = _text(values.get("Statement (English)"))
        if not code:
            p("Results", row, "Code", _("Give the result a code, so that other rows can name it."))
        elif code in levels:
            p("Results", row, "Code", _("The code %(code)s is used twice.") % {"code": code})
        if not level:
            p(
                "Results",
                row,
                "Level",
                _("Write Ultimate outcome, Intermediate outcome, Immediate outcome or Output."),
            )
        if not statement:
            p("Results", row, "Statement (English)", _("Write the expected result in English."))
        if code and code not in levels:
            levels[code] = level
        framework.results.append(
            ResultRow(row, code, level, _text(values.get("Parent code")), statement,
                      _text(values.get("Statement (French)")))
        )  # fmt: skip
    for result in framework.results:
        if not result.level:
            continue
        if result.level == ResultLevel.ULTIMATE:
            if result.parent_code:
                p("Results", result.row, "Parent code", _("An ultimate outcome has no parent."))
            key = ""
        else:
            key = result.parent_code
            if not key:
                p(
                    "Results",
                    result.row,
                    "Parent code",
                    _("Name the result this one contributes to."),
                )
                continue
            if key not in levels:
                p("Results", result.row, "Parent code",
                  _("No result has the code %(code)s.") % {"code": key})  # fmt: skip
                continue
            if levels[key] and levels[key] != result.level - 1:
                p("Results", result.row, "Parent code", placement_rule(result.level))
                continue
        children[key] = children.get(key, 0) + 1
        if children[key] == 10:
            p(
                "Results",
                result.row,
                "Parent code",
                _("At most 9 results can sit under one result."),
            )

    # Periods
    existing = {period.name: period for period in Period.objects.filter(strategy=strategy)}
    period_names: set[str] = set(existing)
    for row, values in reader.rows(book, "Periods", required=False):
        name = _text(values.get("Name"))
        dates: list[datetime.date | None] = []
        for column in ("Start", "End"):
            try:
                dates.append(_date(values.get(column)))
            except ValueError:
                p("Periods", row, column, _("Write the date as 2025-04-01."))
                dates.append(None)
            else:
                if dates[-1] is None:
                    p("Periods", row, column, _("Give the date."))
        if not name:
            p("Periods", row, "Name", _("Give the period a name, for example 2025-26."))
            continue
        if name in {n for n, _s, _e in framework.periods}:
            p("Periods", row, "Name", _("The period %(name)s is listed twice.") % {"name": name})
            continue
        start, end = dates
        if start and end:
            if end < start:
                p("Periods", row, "End", _("A period cannot end before it starts."))
            elif name in existing and (existing[name].start, existing[name].end) != (start, end):
                p("Periods", row, "Name",
                  _("The strategy already has a period %(name)s with other dates.") % {"name": name})  # fmt: skip
            elif name not in existing:
                framework.periods.append((name, start, end))
        period_names.add(name)

    # Indicators
    measures: dict[tuple[str, int], str] = {}
    counts: dict[str, int] = {}
    for row, values in reader.rows(book, "Indicators", required=False):
        code = _text(values.get("Result code"))
        if code not in levels:
            p("Indicators", row, "Result code",
              _("No result has the code %(code)s.") % {"code": code or "—"})  # fmt: skip
        counts[code] = counts.get(code, 0) + 1
        fields: dict[str, Any] = {
            "text_en": _text(values.get("Indicator (English)")),
            "text_fr": _text(values.get("Indicator (French)")),
            "data_sources": _text(values.get("Data sources")),
            "collection_method": _text(values.get("Data collection method")),
            "frequency": _text(values.get("Frequency")),
            "responsibility": _text(values.get("Responsibility")),
        }
        if not fields["text_en"]:
            p("Indicators", row, "Indicator (English)", _("Write the indicator in English."))
        measure = _text(values.get("Measure")).lower() or Measure.UNIT
        if measure not in Measure.values:
            p("Indicators", row, "Measure",
              _("Write unit, percentage, nominal, ordinal or qualitative."))  # fmt: skip
            measure = Measure.UNIT
        fields["measure"] = measure
        for column, name, default in (
            ("Higher is better", "ascending", True),
            ("Cumulative", "cumulative", False),
        ):
            flag = _text(values.get(column)).lower()
            if flag in YES:
                fields[name] = True
            elif flag in NO:
                fields[name] = False
            elif not flag:
                fields[name] = default
            else:
                p("Indicators", row, column, _("Write yes or no."))
        baseline = values.get("Baseline")
        if measure == Measure.QUALITATIVE:
            fields["baseline_text"], fields["baseline_value"] = _text(baseline), None
        else:
            fields["baseline_text"] = ""
            try:
                fields["baseline_value"] = _decimal(baseline)
            except ValueError:
                p(
                    "Indicators",
                    row,
                    "Baseline",
                    _("Give a number (this indicator is not qualitative)."),
                )
                fields["baseline_value"] = None
            value = fields["baseline_value"]
            if measure == Measure.PERCENTAGE and value is not None and not (0 <= value <= 100):
                p("Indicators", row, "Baseline", _("A percentage lies between 0 and 100."))
        year_text = _text(values.get("Baseline year"))
        fields["baseline_year"] = None
        if year_text:
            if year_text.isdigit() and 1900 <= int(year_text) <= 2100:
                fields["baseline_year"] = int(year_text)
            else:
                p(
                    "Indicators",
                    row,
                    "Baseline year",
                    _("Write the year as four digits, for example 2023."),
                )
        elif fields["baseline_value"] is not None or fields["baseline_text"]:
            p("Indicators", row, "Baseline year", _("Say in which year the baseline was measured."))
        measures[(code, counts[code])] = measure
        framework.indicators.append(IndicatorRow(row, code, counts[code], fields))

    # Targets
    seen: set[tuple[str, int, str]] = set()
    for row, values in reader.rows(book, "Targets", required=False):
        code = _text(values.get("Result code"))
        number_text = _text(values.get("Indicator number"))
        number = int(number_text) if number_text.isdigit() else 0
        period = _text(values.get("Period"))
        # Each cell is checked on its own, so that one row reports all of its problems.
        known = (code, number) in measures
        if not known:
            p("Targets", row, "Indicator number",
              _("Result %(code)s has no indicator number %(number)s in the Indicators sheet.")
              % {"code": code or "—", "number": number_text or "—"})  # fmt: skip
        if period not in period_names:
            p("Targets", row, "Period", _("No period is named %(name)s.") % {"name": period or "—"})
        elif known and (code, number, period) in seen:
            p("Targets", row, "Period", _("This indicator already has a target for this period."))
        seen.add((code, number, period))
        # An unknown indicator's target is judged by the measures it could have: those of the
        # result's indicators (or of every indicator when the result is unknown too).
        candidates = {m for (c, _n), m in measures.items() if c == code or code not in levels}
        if known:
            candidates = {measures[(code, number)]}
        raw = values.get("Target")
        if candidates == {Measure.QUALITATIVE}:
            if not _text(raw):
                p("Targets", row, "Target", _("Write the target in words."))
            framework.targets.append(TargetRow(row, code, number, period, None, _text(raw)))
            continue
        try:
            value = _decimal(raw)
        except ValueError:
            value = None
        if Measure.QUALITATIVE in candidates:
            pass  # maybe words, maybe a number: nothing to say until the indicator is known
        elif value is None:
            p("Targets", row, "Target", _("Give a number (this indicator is not qualitative)."))
        elif candidates == {Measure.PERCENTAGE} and not (0 <= value <= 100):
            p("Targets", row, "Target", _("A percentage lies between 0 and 100."))
        framework.targets.append(TargetRow(row, code, number, period, value, ""))

    # Actuals are reported and approved in Uptake one by one, never imported.
    if "Actuals" in book.sheetnames:
        rows = book["Actuals"].iter_rows(min_row=2, values_only=True)
        framework.actuals_left = sum(
            1 for values in rows if any(v not in (None, "") for v in values)
        )

    if reader.problems:
        raise FrameworkImportError(reader.problems)
    return framework


# DOCX --------------------------------------------------------------------------------------


def export_docx(strategy: Strategy) -> bytes:
    """A readable report: narrative, investment plan, the diagram, the logic model and PMF."""
    from docx import Document
    from docx.shared import Inches

    from .diagram import png

    roots = logic_model(strategy)
    nodes = flatten(roots)
    table_data = pmf(strategy)
    doc = Document()
    doc.add_heading(strategy.title_en, level=0)
    if strategy.title_fr:
        doc.add_paragraph(strategy.title_fr)
    doc.add_paragraph(
        f"{strategy.get_kind_display()} · {strategy.subject} · {strategy.period_label} · "
        f"{strategy.get_state_display()}"
    )
    for section in strategy.sections.order_by("position", "id"):
        doc.add_heading(section.heading_en, level=1)
        for text in section.body_en.split("\n\n"):
            doc.add_paragraph(text.strip())
    investments = list(strategy.investments.all())
    if investments:
        doc.add_heading(_("Investment plan"), level=1)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, [_("Fiscal year"), _("Description"), _("Amount")], strict=True
        ):
            cell.text = text
        for line in investments:
            cells = table.add_row().cells
            cells[0].text = line.fiscal_year_label
            cells[1].text = line.description
            cells[2].text = f"{line.amount:,.2f} {line.currency}"
    doc.add_heading(_("Logic model"), level=1)
    if nodes:
        doc.add_picture(io.BytesIO(png(roots)), width=Inches(6.5))
    for node in nodes:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Inches(0.3 * node.depth)
        paragraph.add_run(f"{node.result.code} ").bold = True
        paragraph.add_run(f"{node.result.get_level_display()}: {node.result.statement_en}")
    doc.add_heading(_("Performance measurement framework"), level=1)
    headings = [_("Code"), _("Indicator"), _("Baseline")] + [p.name for p in table_data.periods]
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
    for row in table_data.rows:
        indicator = row.indicator
        baseline = indicator.baseline_text or (
            f"{_number(indicator.baseline_value)}" if indicator.baseline_value is not None else "—"
        )
        if indicator.baseline_year:
            baseline += f" ({indicator.baseline_year})"
        values = [indicator.label, indicator.text_en, baseline]
        for c in row.cells:
            target = (c.target.text or str(_number(c.target.value))) if c.target else "—"
            actual = (c.actual.text or str(_number(c.actual.value))) if c.actual else "—"
            values.append(
                _("target %(target)s, actual %(actual)s") % {"target": target, "actual": actual}
            )
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
