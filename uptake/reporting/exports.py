"""One export mechanism for pages and the console: a column spec per dataset, three formats.

Every dataset is a list of `Column`s over the rows its selector returns; CSV, XLSX and JSON
are written from the same values. Text that a spreadsheet would run as a formula (it starts
with = + - @, a tab or a carriage return) gets a leading apostrophe in CSV and XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from uptake.accounts.models import User
from uptake.evaluations.models import Action

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
    value: Callable[[Any], Any]
    description: str


@dataclass(frozen=True)
class Dataset:
    rows: Callable[..., Iterable[Any]]
    columns: tuple[Column, ...]


def _date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # type: ignore[return-value]
    return value


def _days_overdue(action: Action) -> int:
    return action.days_overdue() if getattr(action, "overdue", False) else 0


def _action_unit(action: Action) -> str:
    return action.unit.code if action.unit else action.response.unit.code


EVALUATION_COLUMNS = (
    Column("id", lambda e: e.pk, "Uptake's number for the evaluation."),
    Column("title_en", lambda e: e.title_en, "Title in English."),
    Column("title_fr", lambda e: e.title_fr, "Title in French."),
    Column("program", lambda e: e.program, "Program or country evaluated."),
    Column("period", lambda e: e.period, "Period covered, as written (fiscal years)."),
    Column("type", lambda e: e.evaluation_type, "Type: program, country, thematic, …"),
    Column("evaluation_unit", lambda e: e.evaluation_unit, "Who conducted it."),
    Column("approval_date", lambda e: e.approval_date, "Approval date (ISO)."),
    Column("state", lambda e: e.state, "draft, response_in_preparation, …, closed."),
    Column("recommendations", lambda e: e.recommendation_count, "Number of recommendations."),
    Column("open_recommendations", lambda e: e.open_recommendation_count, "Still open."),
    Column("actions", lambda e: e.action_count, "Number of actions."),
    Column("overdue_actions", lambda e: e.overdue_count, "Actions overdue today."),
    Column("report_url", lambda e: e.report_url, "Link to the report."),
)

RECOMMENDATION_COLUMNS = (
    Column("id", lambda r: r.pk, "Uptake's number for the recommendation."),
    Column("evaluation_id", lambda r: r.evaluation_id, "The evaluation's id."),
    Column("evaluation", lambda r: r.evaluation.title_en, "The evaluation's English title."),
    Column("number", lambda r: r.number, "Its number in the report: 3, 3.1 …"),
    Column("statement", lambda r: r.statement, "The one-sentence recommendation."),
    Column(
        "units",
        lambda r: "; ".join(resp.unit.code for resp in r.responses.all()),
        "Codes of the units that respond to it, separated by semicolons.",
    ),
    Column("status", lambda r: r.status, "open or closed."),
    Column("closure_reason", lambda r: r.closure_reason, "implemented, not_accepted, …"),
    Column("closed_at", lambda r: _date(r.closed_at), "When it was closed (local time)."),
    Column("actions", lambda r: r.action_count, "Number of actions under it."),
    Column("validated_actions", lambda r: r.validated_count, "Of which validated."),
)

ACTION_COLUMNS = (
    Column("id", lambda a: a.pk, "Uptake's number for the action."),
    Column(
        "evaluation", lambda a: a.response.recommendation.evaluation.title_en, "Evaluation title."
    ),
    Column("recommendation", lambda a: a.response.recommendation.number, "Recommendation number."),
    Column("unit", _action_unit, "Code of the responsibility centre."),
    Column("role", lambda a: a.role, "Role within the unit, if named."),
    Column("action", lambda a: a.text, "The action, as committed."),
    Column("deliverable", lambda a: a.deliverable, "What will show that it is done."),
    Column("status", lambda a: a.status, "not_started, in_progress, completed, validated, …"),
    Column("target_date_text", lambda a: a.target_date_text, "Target date as written."),
    Column(
        "revised_target_text", lambda a: a.revised_target_text, "Approved revision, as written."
    ),
    Column("original_due_date", lambda a: a.original_due_date, "Due date first approved (ISO)."),
    Column("due_date", lambda a: a.due_date, "Current due date, revised if approved (ISO)."),
    Column("overdue", lambda a: bool(getattr(a, "overdue", False)), "true when overdue today."),
    Column("days_overdue", _days_overdue, "Days past the current due date; 0 if not overdue."),
)

UPDATE_COLUMNS = (
    Column("id", lambda u: u.pk, "Uptake's number for the update."),
    Column("action_id", lambda u: u.action_id, "The action's id."),
    Column(
        "evaluation",
        lambda u: u.action.response.recommendation.evaluation.title_en,
        "Evaluation title.",
    ),
    Column(
        "recommendation",
        lambda u: u.action.response.recommendation.number,
        "Recommendation number.",
    ),
    Column("unit", lambda u: _action_unit(u.action), "Code of the responsibility centre."),
    Column("submitted_at", lambda u: _date(u.created_at), "When it was submitted (local time)."),
    Column("author", lambda u: u.author.username, "Who submitted it."),
    Column("status", lambda u: u.status, "Status reported."),
    Column("previous_status", lambda u: u.previous_status, "Status before the update."),
    Column("narrative", lambda u: u.narrative, "Progress narrative."),
    Column("review_state", lambda u: u.review_state, "pending, accepted or returned."),
    Column(
        "reviewed_by",
        lambda u: u.reviewed_by.username if u.reviewed_by else "",
        "Who reviewed it.",
    ),
    Column("reviewed_at", lambda u: _date(u.reviewed_at), "When (local time)."),
    Column("review_comment", lambda u: u.review_comment, "The reviewer's comment."),
    Column("evidence", lambda u: u.evidence_count, "Number of evidence files and links."),
)

DATASETS: dict[str, Dataset] = {
    "evaluations": Dataset(selectors.export_evaluations, EVALUATION_COLUMNS),
    "recommendations": Dataset(selectors.export_recommendations, RECOMMENDATION_COLUMNS),
    "actions": Dataset(selectors.export_actions, ACTION_COLUMNS),
    "updates": Dataset(selectors.export_updates, UPDATE_COLUMNS),
}


def dataset_rows(dataset: str, *, user: User | None, params: Mapping[str, str]) -> list[list[Any]]:
    """The rows of DATASET as lists of plain values, in column order."""
    spec = DATASETS[dataset]
    return [
        [column.value(obj) for column in spec.columns]
        for obj in spec.rows(user=user, params=params)
    ]


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


def render(dataset: str, rows: list[list[Any]], fmt: str) -> tuple[bytes, str]:
    """The file's bytes and content type."""
    names = [column.name for column in DATASETS[dataset].columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8"), FORMATS[fmt]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(dataset)
        sheet.append(names)
        for row in rows:
            sheet.append([escape_formula(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), FORMATS[fmt]
    if fmt == "json":
        objects = [dict(zip(names, row, strict=True)) for row in rows]
        text = json.dumps(objects, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        return text.encode("utf-8"), FORMATS[fmt]
    raise ValueError(fmt)


def filename(dataset: str, fmt: str) -> str:
    return f"uptake-{dataset}-{timezone.localdate().isoformat()}.{fmt}"
