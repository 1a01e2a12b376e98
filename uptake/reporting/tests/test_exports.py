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
        assert row["unit"] == action.unit.code
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
        if a.unit.code in ("HWP", "QTO-DA")
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
    with pytest.raises(CommandError, match="There is no active user named"):
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


# ---------------------------------------------------------------------------------------------
# The evaluation filters choose the rows of every dataset; bad filter values are refused.


def _action_ids(**evaluation_filter) -> set[int]:
    return set(
        Action.objects.filter(
            **{
                f"response__recommendation__evaluation__{k}": v
                for k, v in evaluation_filter.items()
            }
        ).values_list("id", flat=True)
    )


def _update_ids(action_ids: set[int]) -> set[int]:
    return set(ProgressUpdate.objects.filter(action_id__in=action_ids).values_list("id", flat=True))


@pytest.mark.parametrize(
    ("params", "kept"),
    [
        ({"q": "sante"}, {}),
        ({"q": "draft"}, {"title_en": "Draft evaluation"}),
        ({"state": "draft"}, {"state": "draft"}),
        ({"state": "in_follow_up"}, {"state": "in_follow_up"}),
        ({"program": "peru"}, {"program": "Perú – agua"}),
    ],
)
def test_the_evaluation_filters_choose_the_actions_and_updates_exported(
    client, viewer, world, evaluator, params, kept
):
    world.evaluation.refresh_from_db()
    services.evaluation_update(evaluation=world.evaluation, by=evaluator, program="Perú – agua")
    client.force_login(viewer)
    actions = _action_ids(**kept) if kept else set()
    updates = _update_ids(actions)
    assert {int(r["id"]) for r in _csv(_get(client, "actions", **params))} == actions
    assert {int(r["id"]) for r in _csv(_get(client, "updates", **params))} == updates
    # The same evaluations as the evaluations export and the list page keep.
    titles = {r["title_en"] for r in _csv(_get(client, "evaluations", **params))}
    assert {r["evaluation"] for r in _csv(_get(client, "actions", **params))} <= titles


def test_the_filters_combine_with_my_actions(client, world, focal):
    client.force_login(focal)
    mine = {int(r["id"]) for r in _csv(_get(client, "actions", mine="1", show="all"))}
    assert mine  # the focal point has actions under the approved evaluation
    assert not {int(r["id"]) for r in _csv(_get(client, "actions", mine="1", state="draft"))}


def test_the_evaluation_filters_reach_the_actions_as_a_subquery(client, viewer, world):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        _csv(_get(client, "actions", state="response_approved"))
    action_table = Action._meta.db_table
    main = [q["sql"] for q in queries if f'FROM "{action_table}"' in q["sql"]]
    assert main and all("IN (SELECT" in sql for sql in main), main


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_a_filtered_export_takes_as_many_queries_whatever_the_number_of_rows(
    client, viewer, world, evaluator, units, dataset
):
    def add(n):
        ev = services.evaluation_create(by=evaluator, title_en=f"More {n}", program=f"Peru {n}")
        rec = services.recommendation_create(
            evaluation=ev, by=evaluator, number="1", statement="Z."
        )
        resp = services.response_create(
            recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Y."
        )
        services.action_create(
            response=resp, by=evaluator, text="Act.", target_date_text="June 2021", deliverable="D"
        )

    client.force_login(viewer)
    add(0)
    with CaptureQueriesContext(connection) as few:
        _csv(_get(client, dataset, program="peru", q="more"))
    for n in range(1, 4):
        add(n)
    with CaptureQueriesContext(connection) as many:
        rows = _csv(_get(client, dataset, program="peru", q="more"))
    assert len(rows) == (0 if dataset == "updates" else 4)
    assert len(many) == len(few)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit": "abc"}, "unit: “abc” is not a unit number."),
        ({"evaluation": "1x"}, "evaluation: “1x” is not an evaluation number."),
        ({"state": "bogus"}, "state: “bogus” is not a state; use one of draft, "),
        ({"status": "done"}, "status: “done” is not an action status; use one of not_started, "),
        ({"mine": "1", "show": "late"}, "show: “late” is not a choice; use one of open, "),
    ],
)
def test_a_bad_filter_value_is_refused_with_the_parameter_and_the_problem(
    client, viewer, world, dataset, params, message
):
    client.force_login(viewer)
    response = _get(client, dataset, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_state_refusal_lists_every_state(client, viewer, world):
    client.force_login(viewer)
    text = _get(client, "actions", state="bogus").content.decode()
    for state in (
        "draft", "response_in_preparation", "response_submitted", "response_approved",
        "published", "in_follow_up", "closed",
    ):  # fmt: skip
        assert state in text


def test_the_command_refuses_a_bad_filter_value_with_the_same_message(world):
    with pytest.raises(CommandError, match="unit: “abc” is not a unit number."):
        call_command("export", "actions", "--filter", "unit=abc", stdout=io.StringIO())
    with pytest.raises(CommandError, match="state: “bogus” is not a state; use one of draft"):
        call_command("export", "updates", "--filter", "state=bogus", stdout=io.StringIO())


def test_a_good_unit_filter_still_keeps_the_unit_and_its_sub_units(client, viewer, world, units):
    client.force_login(viewer)
    rows = _csv(_get(client, "actions", unit=units["HWP"].pk))
    expected = {a.pk for a in Action.objects.all() if a.unit.code in ("HWP", "QTO-DA")}
    assert {int(r["id"]) for r in rows} == expected


def test_the_updates_export_names_a_link_submitter_as_the_api_does(
    client, viewer, world, evaluator, focal
):
    from uptake.reporting import services as reporting

    _link, secret = reporting.update_link_issue(
        action=world.a["a4"], by=evaluator, recipient_name="Ana Quispe",
        recipient_email="ana@example.org",
    )  # fmt: skip
    update = reporting.update_link_submit(secret=secret, status="in_progress", narrative="Going.")
    client.force_login(viewer)
    rows = {int(r["id"]): r for r in _csv(_get(client, "updates"))}
    # The person's name, marked as sent through a link; never the stand-in account's name.
    assert rows[update.pk]["author"].startswith("Ana Quispe")
    assert not rows[update.pk]["author"].startswith("external-")
    api = client.get(reverse("api:update_detail", args=[update.pk])).json()
    assert rows[update.pk]["author"] == api["author"]["name"]
    # People with an account keep their username, as before.
    theirs = ProgressUpdate.objects.filter(author=focal).values_list("id", flat=True)
    assert theirs and {rows[pk]["author"] for pk in theirs} == {focal.username}
