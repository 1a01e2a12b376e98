"""One export mechanism for pages and the console: a column spec per dataset, three formats.

Every dataset is a list of `Column`s over the rows its selector returns as plain values (no
model instances), read in chunks; CSV, XLSX and JSON are written from the same values, CSV
and JSON as a stream. Text that a spreadsheet would run as a formula (it starts
with = + - @, a tab or a carriage return) gets a leading apostrophe in CSV and XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from uptake.accounts.models import User

from . import selectors

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Mapping[str, Any]], Any]  # from one row of the dataset's values
    description: str


@dataclass(frozen=True)
class Dataset:
    rows: Callable[..., Iterable[Mapping[str, Any]]]
    columns: tuple[Column, ...]


def _date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # type: ignore[return-value]
    return value


def _days_overdue(action: Mapping[str, Any]) -> int:
    """Days past the due date for an action the query marked overdue today; 0 otherwise."""
    return (timezone.localdate() - action["due_date"]).days if action["overdue"] else 0


def _author(update: Mapping[str, Any]) -> str:
    """The username of the person who submitted UPDATE; for an update sent through an update
    link, the person's name as the API shows it (their stand-in account's username means
    nothing to a reader)."""
    if update["by_link"]:
        name = f"{update['author_first_name']} {update['author_last_name']}".strip()
        return name or str(update["author_username"])
    return str(update["author_username"])


def _field(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return operator.itemgetter(name)


EVALUATION_COLUMNS = (
    Column("id", _field("id"), "Uptake's number for the evaluation."),
    Column("title_en", _field("title_en"), "Title in English."),
    Column("title_fr", _field("title_fr"), "Title in French."),
    Column("program", _field("program"), "Program or country evaluated."),
    Column("program_fr", _field("program_fr"), "Program or country in French."),
    Column("period", _field("period"), "Period covered, as written (fiscal years)."),
    Column("type", _field("evaluation_type"), "Type: program, country, thematic, …"),
    Column("evaluation_unit", _field("evaluation_unit"), "Who conducted it."),
    Column("approval_date", _field("approval_date"), "Approval date (ISO)."),
    Column("state", _field("state"), "draft, response_in_preparation, …, closed."),
    Column("recommendations", _field("recommendation_count"), "Number of recommendations."),
    Column("open_recommendations", _field("open_recommendation_count"), "Still open."),
    Column("actions", _field("action_count"), "Number of actions."),
    Column("overdue_actions", _field("overdue_count"), "Actions overdue today."),
    Column("report_url", _field("report_url"), "Link to the report."),
)

RECOMMENDATION_COLUMNS = (
    Column("id", _field("id"), "Uptake's number for the recommendation."),
    Column("evaluation_id", _field("evaluation_id"), "The evaluation's id."),
    Column("evaluation", _field("evaluation_title"), "The evaluation's English title."),
    Column("number", _field("number"), "Its number in the report: 3, 3.1 …"),
    Column("statement", _field("statement"), "The one-sentence recommendation."),
    Column(
        "units", _field("units"), "Codes of the units that respond to it, separated by semicolons."
    ),
    Column("status", _field("status"), "open or closed."),
    Column("closure_reason", _field("closure_reason"), "implemented, not_accepted, …"),
    Column("closed_at", lambda r: _date(r["closed_at"]), "When it was closed (local time)."),
    Column("actions", _field("action_count"), "Number of actions under it."),
    Column("validated_actions", _field("validated_count"), "Of which validated."),
)


ACTION_COLUMNS = (
    Column("id", _field("id"), "Uptake's number for the action."),
    Column("evaluation", _field("evaluation_title"), "Evaluation title."),
    Column("recommendation", _field("recommendation_number"), "Recommendation number."),
    Column("unit", _field("unit_code"), "Code of the responsibility centre."),
    Column("role", _field("role"), "Role within the unit, if named."),
    Column("action", _field("text"), "The action, as committed."),
    Column("deliverable", _field("deliverable"), "What will show that it is done."),
    Column("status", _field("status"), "not_started, in_progress, completed, validated, …"),
    Column("target_date_text", _field("target_date_text"), "Target date as written."),
    Column("revised_target_text", _field("revised_target_text"), "Approved revision, as written."),
    Column("original_due_date", _field("original_due_date"), "Due date first approved (ISO)."),
    Column("due_date", _field("due_date"), "Current due date, revised if approved (ISO)."),
    Column("overdue", lambda a: bool(a["overdue"]), "true when overdue today."),
    Column("days_overdue", _days_overdue, "Days past the current due date; 0 if not overdue."),
)

UPDATE_COLUMNS = (
    Column("id", _field("id"), "Uptake's number for the update."),
    Column("action_id", _field("action_id"), "The action's id."),
    Column("evaluation", _field("evaluation_title"), "Evaluation title."),
    Column("recommendation", _field("recommendation_number"), "Recommendation number."),
    Column("unit", _field("unit_code"), "Code of the responsibility centre."),
    Column("submitted_at", lambda u: _date(u["created_at"]), "When it was submitted (local time)."),
    Column("author", _author, "Who submitted it: username, or name if sent by update link."),
    Column("status", _field("status"), "Status reported."),
    Column("previous_status", _field("previous_status"), "Status before the update."),
    Column("narrative", _field("narrative"), "Progress narrative."),
    Column("review_state", _field("review_state"), "pending, accepted, returned or superseded."),
    Column("reviewed_by", lambda u: u["reviewer_username"] or "", "Who reviewed it."),
    Column("reviewed_at", lambda u: _date(u["reviewed_at"]), "When (local time)."),
    Column("review_comment", _field("review_comment"), "The reviewer's comment."),
    Column("evidence", _field("evidence_count"), "Number of evidence files and links."),
)


def _stream(rows: QuerySet[Any]) -> Iterator[Mapping[str, Any]]:
    """Rows read in chunks: a large export never holds every model instance in memory."""
    return rows.iterator(chunk_size=selectors.EXPORT_CHUNK)


def _recommendation_rows(
    *, user: User | None, params: Mapping[str, str]
) -> Iterator[Mapping[str, Any]]:
    rows = selectors.export_recommendations(user=user, params=params)
    units = selectors.export_recommendation_units(user=user, params=params)
    return ({**row, "units": "; ".join(units.get(row["id"], ()))} for row in _stream(rows))


def _rows(
    select: Callable[..., QuerySet[Any]],
) -> Callable[..., Iterator[Mapping[str, Any]]]:
    return lambda *, user, params: _stream(select(user=user, params=params))


DATASETS: dict[str, Dataset] = {
    "evaluations": Dataset(_rows(selectors.export_evaluations), EVALUATION_COLUMNS),
    "recommendations": Dataset(_recommendation_rows, RECOMMENDATION_COLUMNS),
    "actions": Dataset(_rows(selectors.export_actions), ACTION_COLUMNS),
    "updates": Dataset(_rows(selectors.export_updates), UPDATE_COLUMNS),
}


def dataset_rows(
    dataset: str, *, user: User | None, params: Mapping[str, str]
) -> Iterator[list[Any]]:
    """The rows of DATASET as lists of plain values, in column order, read as they are used.
    The permission check and the filters apply at once; the rows are read in chunks."""
    spec = DATASETS[dataset]
    values = [column.value for column in spec.columns]
    source = spec.rows(user=user, params=params)
    return ([value(row) for value in values] for row in source)


def escape_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(escape_formula(value))


CSV_BATCH = 1000  # rows a chunk of the streamed file


def csv_chunks(dataset: str, rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The CSV file (UTF-8 with a BOM) in pieces of CSV_BATCH rows, for streaming."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(column.name for column in DATASETS[dataset].columns)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(v) for v in row])
        if n % CSV_BATCH == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def json_chunks(dataset: str, rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The JSON array, one object a row, written as `json.dumps(list, indent=1)` writes it."""
    names = [column.name for column in DATASETS[dataset].columns]
    first = True
    for row in rows:
        text = json.dumps(
            dict(zip(names, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1
        )
        yield ("[\n " if first else ",\n ").encode("utf-8")
        yield text.replace("\n", "\n ").encode("utf-8")
        first = False
    yield b"[]" if first else b"\n]"


def write_xlsx(dataset: str, rows: Iterable[list[Any]], target: IO[bytes]) -> None:
    """The workbook, written row by row (openpyxl's write-only mode keeps no cells in memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset)
    sheet.append([column.name for column in DATASETS[dataset].columns])
    for row in rows:
        sheet.append([escape_formula(v) for v in row])
    book.save(target)


def chunks(dataset: str, rows: Iterable[list[Any]], fmt: str) -> Iterator[bytes]:
    """The file in pieces: CSV and JSON as they are written, XLSX once the workbook is done."""
    if fmt == "csv":
        return csv_chunks(dataset, rows)
    if fmt == "json":
        return json_chunks(dataset, rows)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(dataset, rows, buffer)
        return iter([buffer.getvalue()])
    raise ValueError(fmt)


def render(dataset: str, rows: Iterable[list[Any]], fmt: str) -> tuple[bytes, str]:
    """The whole file's bytes and content type."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return b"".join(chunks(dataset, rows, fmt)), FORMATS[fmt]


def filename(dataset: str, fmt: str) -> str:
    return f"uptake-{dataset}-{timezone.localdate().isoformat()}.{fmt}"
