"""Overdue is computed, never stored: days late on the row and in SQL must agree with the
calendar, and follow the action's status and its approved revised dates."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action
from uptake.evaluations.selectors import evaluation_list, my_actions, overdue_q, with_overdue
from uptake.followup import services
from uptake.followup.models import DateRevision

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

D = datetime.date
JUNE_30_2021 = D(2021, 6, 30)  # the fixture action's due date ("June 2021")
DEC_31_2030 = D(2030, 12, 31)  # the mission action's due date ("Q3 2030-31")


@pytest.fixture
def mission_action(approved_evaluation) -> Action:
    return Action.objects.get(
        response__recommendation__evaluation=approved_evaluation, unit__code="QTO-DA"
    )


def _overdue_ids(today: datetime.date) -> set[int]:
    return set(Action.objects.filter(overdue_q(today)).values_list("id", flat=True))


def _annotated(action: Action, today: datetime.date) -> bool:
    return with_overdue(Action.objects.filter(pk=action.pk), today).get().overdue


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (D(2021, 6, 29), 0),
        (D(2021, 6, 30), 0),  # due today: not late yet
        (D(2021, 7, 1), 1),
        (D(2021, 7, 10), 10),
        (D(2021, 12, 31), 184),  # Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31
        (D(2022, 6, 30), 365),
        (D(2024, 6, 30), 1096),  # three years, one of them with 29 February 2024
    ],
)
def test_days_overdue_and_the_sql_filter_agree_with_the_calendar(action, today, days):
    assert action.due_date == JUNE_30_2021

    assert action.days_overdue(today) == days
    assert (action.id in _overdue_ids(today)) is (days > 0)
    assert _annotated(action, today) is (days > 0)


def test_an_action_due_later_is_not_overdue(action, mission_action):
    today = D(2025, 1, 15)

    assert mission_action.days_overdue(today) == 0
    assert _overdue_ids(today) == {action.id}
    assert _annotated(mission_action, today) is False
    assert mission_action.days_overdue(D(2031, 1, 1)) == 1
    assert _overdue_ids(D(2031, 1, 1)) == {action.id, mission_action.id}


def test_an_action_in_progress_is_still_overdue(action, focal):
    services.update_submit(action=action, by=focal, status="in_progress", narrative="Started.")
    action.refresh_from_db()

    assert action.days_overdue(D(2021, 7, 10)) == 10
    assert action.id in _overdue_ids(D(2021, 7, 10))


def test_a_completion_claim_stops_the_clock_and_a_return_restarts_it(action, focal, evaluator):
    claim = services.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    action.refresh_from_db()

    assert action.days_overdue(D(2022, 6, 30)) == 0
    assert action.id not in _overdue_ids(D(2022, 6, 30))
    assert _annotated(action, D(2022, 6, 30)) is False

    services.update_return(update=claim, by=evaluator, comment="No evidence.")
    action.refresh_from_db()

    assert action.days_overdue(D(2022, 6, 30)) == 365
    assert action.id in _overdue_ids(D(2022, 6, 30))


def test_a_validated_action_is_never_overdue(action, focal, evaluator):
    claim = services.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    services.update_validate(update=claim, by=evaluator)
    action.refresh_from_db()

    assert action.days_overdue(D(2030, 1, 1)) == 0
    assert action.id not in _overdue_ids(D(2030, 1, 1))


@pytest.mark.parametrize("status", ["cancelled", "superseded"])
def test_a_withdrawn_action_is_never_overdue(action, evaluator, status):
    evaluations.action_withdraw(action=action, by=evaluator, status=status, reason="x")
    action.refresh_from_db()

    assert action.days_overdue(D(2030, 1, 1)) == 0
    assert action.id not in _overdue_ids(D(2030, 1, 1))


def test_an_approved_revised_date_moves_the_clock(action, focal, committee):
    update = services.update_submit(
        action=action,
        by=focal,
        status="in_progress",
        narrative="Delayed.",
        revised_date_text="March 2032",
        revised_date_justification="Partner delays.",
    )
    # A pending request changes nothing yet.
    assert action.id in _overdue_ids(D(2021, 7, 10))

    services.revision_approve(revision=DateRevision.objects.get(update=update), by=committee)
    action.refresh_from_db()

    assert action.days_overdue(D(2021, 7, 10)) == 0
    assert action.id not in _overdue_ids(D(2021, 7, 10))
    assert action.days_overdue(D(2032, 4, 10)) == 10  # 31 March 2032 + 10 days
    assert action.id in _overdue_ids(D(2032, 4, 10))


def test_an_ongoing_action_is_never_overdue(draft_evaluation, evaluator):
    response = draft_evaluation.recommendations.get().responses.get()
    ongoing = evaluations.action_create(
        response=response, by=evaluator, text="Consult.", target_date_text="Ongoing"
    )

    assert ongoing.days_overdue(D(2099, 1, 1)) == 0
    assert ongoing.id not in _overdue_ids(D(2099, 1, 1))


def test_the_lists_count_overdue_actions_as_of_today(action, mission_action, focal):
    today = timezone.localdate()
    # By hand: the June 2021 action is late; the December 2030 one is late only after it.
    expected = {action.id} | ({mission_action.id} if today > DEC_31_2030 else set())

    row = evaluation_list().get(pk=action.response.recommendation.evaluation_id)
    assert row.action_count == 2
    assert row.overdue_count == len(expected)
    assert set(my_actions(focal, show="overdue").values_list("id", flat=True)) == expected
    assert {a.id for a in my_actions(focal, show="all") if a.overdue} == expected


def test_a_plan_not_yet_approved_has_no_overdue_action(
    client, draft_evaluation, evaluator, committee
):
    today = timezone.localdate()
    page = reverse("evaluations:detail", args=[draft_evaluation.pk])
    late = Action.objects.filter(
        response__recommendation__evaluation=draft_evaluation, due_date__lt=today
    )
    assert late.exists()  # a date already passed, proposed in a plan still in preparation
    client.force_login(evaluator)

    assert not Action.objects.filter(overdue_q(today)).exists()
    assert not any(a.overdue for a in with_overdue(Action.objects.all(), today))
    assert evaluation_list().get(pk=draft_evaluation.pk).overdue_count == 0
    assert "days late" not in client.get(page).content.decode()

    evaluations.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    evaluations.evaluation_approve_response(evaluation=draft_evaluation, by=committee)

    assert set(Action.objects.filter(overdue_q(today)).values_list("id", flat=True)) == set(
        late.values_list("id", flat=True)
    )
    assert evaluation_list().get(pk=draft_evaluation.pk).overdue_count == late.count()
    assert "days late" in client.get(page).content.decode()
