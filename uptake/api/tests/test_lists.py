"""Filtering, ordering and pagination; query counts that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_user
from uptake.accounts.models import Role
from uptake.evaluations import services
from uptake.evaluations.models import Action

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _add_evaluation(by, units, title: str, actions: int = 1):
    evaluation = services.evaluation_create(by=by, title_en=title)
    rec = services.recommendation_create(
        evaluation=evaluation, by=by, number="1", statement="Do it."
    )
    response = services.response_create(
        recommendation=rec, by=by, unit=units["PRS"], agreement="agree", commitment="Yes."
    )
    for i in range(actions):
        services.action_create(
            response=response, by=by, text=f"Step {i}", target_date_text="June 2020",
            deliverable="Report",
        )  # fmt: skip
    return evaluation


def test_evaluations_filter_by_state(api_as, viewer, evaluator, units, approved_evaluation):
    draft = _add_evaluation(evaluator, units, "Another")
    client = api_as(viewer)
    approved = _results(client.get("/api/v1/evaluations/?state=response_approved"))
    assert [e["id"] for e in approved] == [approved_evaluation.pk]
    in_preparation = _results(client.get("/api/v1/evaluations/?state=response_in_preparation"))
    assert [e["id"] for e in in_preparation] == [draft.pk]


def test_actions_filter_by_evaluation_unit_status_and_overdue(
    api_as, viewer, evaluator, units, approved_evaluation
):
    other = _add_evaluation(evaluator, units, "Other", actions=2)
    client = api_as(viewer)
    mine = Action.objects.filter(response__recommendation__evaluation=approved_evaluation)
    listed = _results(client.get(f"/api/v1/actions/?evaluation={approved_evaluation.pk}"))
    assert {a["id"] for a in listed} == set(mine.values_list("id", flat=True))
    # The second fixture action names QTO-DA; the first falls to its response's unit, HWP.
    qto = _results(client.get(f"/api/v1/actions/?unit={units['QTO-DA'].pk}"))
    assert [a["text"] for a in qto] == ["Train water boards."]
    prs = _results(client.get(f"/api/v1/actions/?unit={units['PRS'].pk}"))
    assert {a["evaluation"] for a in prs} == {other.pk}
    today = timezone.localdate()
    overdue = _results(client.get("/api/v1/actions/?overdue=true"))
    # June 2021 and June 2020 have passed; Q3 2030-31 has not. The two June 2020 actions
    # are in a plan still in preparation: their dates are proposals, not yet late.
    approved = Action.objects.filter(response__recommendation__evaluation=approved_evaluation)
    expected = {a.pk for a in approved if a.due_date and a.due_date < today}
    assert {a["id"] for a in overdue} == expected and len(expected) == 1
    assert all(a["overdue"] and a["days_overdue"] > 0 for a in overdue)
    not_overdue = _results(client.get("/api/v1/actions/?overdue=false"))
    assert {a["id"] for a in not_overdue} == set(
        Action.objects.exclude(pk__in=expected).values_list("id", flat=True)
    )
    in_draft = [a for a in not_overdue if a["evaluation"] == other.pk]
    assert len(in_draft) == 2 and all(a["days_overdue"] == 0 for a in in_draft)
    assert _results(client.get("/api/v1/actions/?status=validated")) == []


def test_recommendations_order_by_number_as_numbers(api_as, viewer, evaluator, draft_evaluation):
    for number in ("10", "2", "3.1"):
        services.recommendation_create(
            evaluation=draft_evaluation, by=evaluator, number=number, statement="S."
        )
    client = api_as(viewer)
    url = f"/api/v1/recommendations/?evaluation={draft_evaluation.pk}"
    assert [r["number"] for r in _results(client.get(url))] == ["1", "2", "3.1", "10"]
    reverse = _results(client.get(url + "&ordering=-number"))
    assert [r["number"] for r in reverse] == ["10", "3.1", "2", "1"]


def test_an_unknown_ordering_is_refused(api_as, viewer):
    response = api_as(viewer).get("/api/v1/actions/?ordering=password")
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]


def test_pagination_with_limit_and_offset(api_as, viewer, units):
    for i in range(7):
        units["GPB"].children.create(code=f"X{i}", name_en=f"Extra {i}")
    client = api_as(viewer)
    first = client.get("/api/v1/units/?limit=3").json()
    assert first["count"] == 12
    assert len(first["results"]) == 3 and first["previous"] is None
    assert "offset=3" in first["next"]
    codes = [u["code"] for u in first["results"]]
    seen = list(codes)
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [u["code"] for u in page["results"]]
    assert seen == sorted(u.code for u in units["GPB"].__class__.objects.all())


LISTS = [
    "/api/v1/units/",
    "/api/v1/evaluations/",
    "/api/v1/recommendations/",
    "/api/v1/responses/",
    "/api/v1/actions/",
    "/api/v1/updates/",
    "/api/v1/revisions/",
]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _follow_up(evaluation, reviewer, evaluator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from uptake.followup import services as followup

    for action in Action.objects.filter(response__recommendation__evaluation=evaluation):
        update = followup.update_submit(
            action=action, by=evaluator, status="in_progress", narrative="Going.",
            files=[SimpleUploadedFile("r.pdf", b"%PDF-1.4", "application/pdf")],
            links=[followup.EvidenceLink(url="https://example.org/x", label="x")],
            revised_date_text="March 2031", revised_date_justification="Later.",
        )  # fmt: skip
        # Two keys: someone other than the author reviews the update.
        followup.update_validate(update=update, by=reviewer)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(api_as, viewer, evaluator, committee, units, url):
    client = api_as(viewer)
    reviewer = make_user("reviewer", Role.EVALUATION_UNIT)

    def add(title: str) -> None:
        evaluation = _add_evaluation(evaluator, units, title, actions=2)
        services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
        services.evaluation_approve_response(evaluation=evaluation, by=committee)
        _follow_up(evaluation, reviewer, evaluator)
        units["PRS"].children.create(code=f"U{title}", name_en=title)

    add("one")
    client.get(url)  # the token's first use is recorded once; count the calls after it
    few = _queries(client, url)
    for title in ("two", "three", "four"):
        add(title)
    many = _queries(client, url)
    assert len(client.get(url).json()["results"]) > 1
    assert many == few, f"{url}: {few} queries for few rows, {many} for many"


def test_updates_are_paged_by_cursor_without_repeats_or_gaps(
    api_as, viewer, evaluator, committee, units
):
    """The update list is a log: pages follow a cursor, carry no count, and an update
    submitted between two pages neither shifts the next page nor appears twice."""
    from uptake.followup import services as followup
    from uptake.followup.models import ProgressUpdate

    evaluation = _add_evaluation(evaluator, units, "Logged", actions=3)
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    actions = list(Action.objects.filter(response__recommendation__evaluation=evaluation))
    for i in range(7):
        followup.update_submit(
            action=actions[i % 3], by=evaluator, status="in_progress", narrative=f"Step {i}."
        )
    client = api_as(viewer)

    first = client.get("/api/v1/updates/?limit=3").json()
    assert "count" not in first and first["previous"] is None
    assert "cursor=" in first["next"] and "offset=" not in first["next"]
    seen = [u["id"] for u in first["results"]]
    late = followup.update_submit(
        action=actions[0], by=evaluator, status="in_progress", narrative="Arrived late."
    )
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        assert 0 < len(page["results"]) <= 3
        seen += [u["id"] for u in page["results"]]

    # Newest first, as the list was when the first page was read: the late update is
    # before the cursor, so it is on no later page, and no row repeats.
    expected = list(
        ProgressUpdate.objects.exclude(pk=late.pk)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    assert seen == expected
    assert len(set(seen)) == len(seen) == 7

    oldest_first = client.get("/api/v1/updates/?ordering=created&limit=4").json()
    assert [u["id"] for u in oldest_first["results"]] == sorted(expected + [late.pk])[:4]


def test_a_forged_update_cursor_is_refused(api_as, viewer):
    response = api_as(viewer).get("/api/v1/updates/?cursor=bz1hYmM%3D")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
