"""Exports: the same rows and columns as CSV, XLSX and JSON, from pages and the console."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services
from uptake.evaluations.models import FOLLOWED_STATES, Action, Evaluation
from uptake.followup.models import ProgressUpdate
from uptake.reporting.exports import DATASETS

pytestmark = pytest.mark.django_db

REQUIRED_ACTION_COLUMNS = [
    "evaluation", "recommendation", "unit", "action", "status", "target_date_text",
    "original_due_date", "due_date", "overdue", "days_overdue",
]  # fmt: skip


def _get(client, dataset, **params):
    return client.get(reverse(f"reporting:export_{dataset}"), params)


def _csv(response) -> list[dict[str, str]]:
    body = response.getvalue()  # streamed
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_actions_csv_has_every_action_with_its_dates_and_lateness(client, viewer, world):
    client.force_login(viewer)
    response = _get(client, "actions")
    rows = {int(r["id"]): r for r in _csv(response)}
    assert response["Content-Disposition"].startswith("attachment;")
    assert set(REQUIRED_ACTION_COLUMNS) <= set(next(iter(rows.values())))
    today = timezone.localdate()
    assert set(rows) == set(Action.objects.values_list("id", flat=True))
    for action in Action.objects.all():
        row = rows[action.pk]
        # Lateness counts once the plan is approved: a draft's dates are proposals.
        followed = action.response.recommendation.evaluation.state in FOLLOWED_STATES
        late = action.days_overdue(today) if followed else 0
        assert row["due_date"] == (action.due_date.isoformat() if action.due_date else "")
        assert row["original_due_date"] == (
            action.original_due_date.isoformat() if action.original_due_date else ""
        )
        assert row["overdue"] == ("true" if late > 0 else "false")
        assert int(row["days_overdue"]) == late
        assert row["unit"] == action.responsibility_unit.code
        assert row["action"] == action.text


def test_text_that_a_spreadsheet_would_run_is_escaped(client, viewer, evaluator, units):
    ev = services.evaluation_create(by=evaluator, title_en='=HYPERLINK("http://x")')
    services.evaluation_create(by=evaluator, title_en="-2+3")
    client.force_login(viewer)
    titles = {r["title_en"] for r in _csv(_get(client, "evaluations"))}
    assert titles == {'\'=HYPERLINK("http://x")', "'-2+3"}
    book = openpyxl.load_workbook(io.BytesIO(_get(client, "evaluations", format="xlsx").content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("title_en")
    cells = {row[column].value for row in sheet.iter_rows(min_row=2)}
    assert cells == {'\'=HYPERLINK("http://x")', "'-2+3"}
    data = json.loads(_get(client, "evaluations", format="json").content)
    assert {d["title_en"] for d in data} == {ev.title_en, "-2+3"}  # JSON is data, not a sheet


def test_xlsx_and_json_carry_the_same_values_as_csv(client, viewer, world):
    client.force_login(viewer)
    from_csv = _csv(_get(client, "actions"))
    from_json = json.loads(_get(client, "actions", format="json").content)
    book = openpyxl.load_workbook(io.BytesIO(_get(client, "actions", format="xlsx").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header == list(from_csv[0]) == list(from_json[0])
    assert (
        [r["id"] for r in from_json] == [int(r["id"]) for r in from_csv] == [r[0] for r in rows[1:]]
    )
    for j in from_json:
        assert isinstance(j["overdue"], bool) and isinstance(j["days_overdue"], int)


def test_the_list_filters_apply_to_the_export(client, viewer, world, evaluator):
    client.force_login(viewer)
    rows = _csv(_get(client, "evaluations", state="draft"))
    assert {r["title_en"] for r in rows} == set(
        Evaluation.objects.filter(state="draft").values_list("title_en", flat=True)
    )
    recs = _csv(_get(client, "recommendations", evaluation=world.evaluation.pk))
    assert {r["number"] for r in recs} == {"1", "2", "3"}


def test_my_actions_export_holds_only_my_units_actions(client, world, focal):
    client.force_login(focal)
    page = client.get(reverse("followup:my_actions"), {"show": "all"}).content.decode()
    assert reverse("reporting:export_actions") + "?show=all&amp;mine=1&amp;format=csv" in page
    rows = _csv(_get(client, "actions", mine="1", show="all"))
    expected = {
        a.pk
        for a in Action.objects.filter(response__recommendation__evaluation=world.evaluation)
        if a.responsibility_unit.code in ("HWP", "QTO-DA")
    }
    assert {int(r["id"]) for r in rows} == expected


def test_the_evaluations_list_offers_the_export_with_its_filters(client, viewer, world):
    client.force_login(viewer)
    page = client.get(reverse("evaluations:list"), {"state": "draft"}).content.decode()
    assert reverse("reporting:export_evaluations") + "?state=draft&amp;format=xlsx" in page


def test_the_updates_export_lists_every_update(client, viewer, world):
    client.force_login(viewer)
    rows = _csv(_get(client, "updates"))
    assert sorted(int(r["id"]) for r in rows) == sorted(
        ProgressUpdate.objects.values_list("id", flat=True)
    )


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_an_export_takes_as_many_queries_whatever_the_number_of_rows(
    client, viewer, world, evaluator, units, dataset
):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as few:
        _get(client, dataset)
    for n in range(3):
        ev = services.evaluation_create(by=evaluator, title_en=f"More {n}")
        rec = services.recommendation_create(
            evaluation=ev, by=evaluator, number="1", statement="Z."
        )
        resp = services.response_create(
            recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Y."
        )
        services.action_create(
            response=resp, by=evaluator, text="Act.", target_date_text="June 2021", deliverable="D"
        )
    with CaptureQueriesContext(connection) as many:
        _get(client, dataset)
    assert len(many) == len(few)


def test_the_command_writes_the_same_file_as_the_page(client, viewer, world, tmp_path):
    target = tmp_path / "actions.csv"
    call_command("export", "actions", "--format", "csv", "-o", str(target), "--user", "viewer")
    client.force_login(viewer)
    from_page = _csv(_get(client, "actions"))
    from_file = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert from_file == from_page
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_command_prints_json_and_applies_filters(world):
    state = Evaluation.objects.get(title_en="Draft evaluation").state
    out = io.StringIO()
    call_command(
        "export", "evaluations", "--format", "json", "--filter", f"state={state}", stdout=out
    )
    assert [e["title_en"] for e in json.loads(out.getvalue())] == ["Draft evaluation"]


def test_the_command_refuses_an_unknown_person_and_xlsx_to_the_terminal(world):
    with pytest.raises(CommandError, match="No active person"):
        call_command("export", "actions", "--user", "nobody")
    with pytest.raises(CommandError, match="-o FILE"):
        call_command("export", "actions", "--format", "xlsx")


def test_every_exported_column_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "exports.md").read_text()
    for name, dataset in DATASETS.items():
        section = doc.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
        for column in dataset.columns:
            assert f"| `{column.name}` |" in section, (name, column.name)
