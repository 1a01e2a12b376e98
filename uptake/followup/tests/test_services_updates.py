"""Progress updates: who may report on which action, what they may report, and the two-key
closure (a unit claims completion; only the evaluation unit validates it or returns it)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action, ActionStatus, EvaluationState
from uptake.followup import services
from uptake.followup.models import ProgressUpdate, ReviewState
from uptake.followup.selectors import validation_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission_action(approved_evaluation) -> Action:
    """The second action: answered for by QTO-DA, a mission under HWP."""
    return Action.objects.get(
        response__recommendation__evaluation=approved_evaluation, unit__code="QTO-DA"
    )


def _submit(action, by, status="in_progress", narrative="Work under way.", **kwargs):
    return services.update_submit(
        action=action, by=by, status=status, narrative=narrative, **kwargs
    )


# Who may report --------------------------------------------------------------------------


def test_a_focal_point_reports_on_their_own_units_action(action, focal):
    update = _submit(action, focal, narrative=" Drafting the template. ")

    update.refresh_from_db()
    action.refresh_from_db()
    assert update.action == action
    assert update.author == focal
    assert update.status == ActionStatus.IN_PROGRESS
    assert update.previous_status == ActionStatus.NOT_STARTED
    assert update.narrative == "Drafting the template."
    assert update.review_state == ReviewState.PENDING
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.history.first().history_user == focal
    assert update.history.first().history_user == focal


def test_a_focal_point_reports_on_a_child_units_action(mission_action, focal):
    # focal answers for HWP; QTO-DA sits under HWP.
    _submit(mission_action, focal)

    mission_action.refresh_from_db()
    assert mission_action.status == ActionStatus.IN_PROGRESS
    assert ProgressUpdate.objects.get().author == focal


def test_a_focal_point_of_a_parent_unit_reports_on_a_grandchild_units_action(mission_action, units):
    branch_focal = make_user("branch-focal", "focal_point", [units["GPB"]])

    _submit(mission_action, branch_focal)

    assert ProgressUpdate.objects.get().author == branch_focal


def test_a_focal_point_of_a_child_unit_does_not_report_on_the_parent_units_action(action, units):
    mission_focal = make_user("mission-focal", "focal_point", [units["QTO-DA"]])

    with pytest.raises(PermissionDenied):
        _submit(action, mission_focal)

    assert not ProgressUpdate.objects.exists()


def test_the_action_unit_decides_not_the_response_unit(action, units, focal):
    # The response is HWP's, but this action now names PRS as its responsibility centre.
    prs_focal = make_user("prs-focal", "focal_point", [units["PRS"]])
    Action.objects.filter(pk=action.pk).update(unit=units["PRS"])
    action.refresh_from_db()

    _submit(action, prs_focal)

    assert ProgressUpdate.objects.get().author == prs_focal
    with pytest.raises(PermissionDenied):
        _submit(action, focal)
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "viewer", "committee"])
def test_nobody_else_reports_on_an_action(request, action, persona):
    with pytest.raises(PermissionDenied):
        _submit(action, request.getfixturevalue(persona))

    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_an_inactive_focal_point_reports_on_nothing(action, focal):
    focal.is_active = False
    focal.save()

    with pytest.raises(PermissionDenied):
        _submit(action, focal)

    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("persona", ["evaluator", "admin_user"])
def test_the_evaluation_unit_reports_on_behalf_of_a_unit(request, action, persona):
    user = request.getfixturevalue(persona)

    _submit(action, user)

    assert ProgressUpdate.objects.get().author == user


# What may be reported --------------------------------------------------------------------


def test_no_update_before_the_response_is_approved(draft_evaluation, focal, evaluator):
    action = Action.objects.filter(response__recommendation__evaluation=draft_evaluation).first()

    with pytest.raises(ServiceError) as exc:
        _submit(action, focal)
    assert "approved" in exc.value.message

    evaluations.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    with pytest.raises(ServiceError):
        _submit(action, focal)

    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize("closed_status", ["cancelled", "superseded"])
def test_no_update_on_a_withdrawn_action(action, focal, evaluator, closed_status):
    evaluations.action_withdraw(action=action, by=evaluator, status=closed_status, reason="x")

    with pytest.raises(ServiceError) as exc:
        _submit(action, focal)

    assert "no more updates" in exc.value.message
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == closed_status


def test_no_update_on_a_validated_action(action, focal, evaluator):
    claim = _submit(action, focal, status="completed")
    services.update_validate(update=claim, by=evaluator)

    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, status="in_progress")

    assert "validated" in exc.value.message
    assert ProgressUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.VALIDATED


@pytest.mark.parametrize("status", ["validated", "cancelled", "superseded", "done", ""])
def test_a_unit_cannot_report_a_status_it_does_not_own(action, focal, status):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, status=status)

    assert exc.value.field == "status"
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize("narrative", ["", "   \n "])
def test_an_update_needs_a_narrative(action, focal, narrative):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, narrative=narrative)

    assert exc.value.field == "narrative"
    assert not ProgressUpdate.objects.exists()


def test_the_first_update_starts_the_follow_up(action, approved_evaluation, focal):
    assert approved_evaluation.state == EvaluationState.RESPONSE_APPROVED

    _submit(action, focal)

    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP
    assert approved_evaluation.history.first().history_user == focal


def test_a_published_response_also_enters_follow_up(action, approved_evaluation, focal):
    approved_evaluation.state = EvaluationState.PUBLISHED
    approved_evaluation.save()

    _submit(action, focal)

    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP


def test_an_update_reporting_the_same_status_leaves_the_action_alone(action, focal):
    _submit(action, focal, status="in_progress")
    action.refresh_from_db()
    version = action.version

    _submit(action, focal, status="in_progress", narrative="More progress.")

    action.refresh_from_db()
    assert action.version == version
    assert ProgressUpdate.objects.count() == 2


# Two-key closure -------------------------------------------------------------------------


def test_claiming_completion_makes_the_action_completed_awaiting_validation(action, focal):
    _submit(action, focal, status="in_progress")

    claim = _submit(action, focal, status="completed", narrative="Template published.")

    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert claim.previous_status == ActionStatus.IN_PROGRESS
    # The claim replaces the progress report before it: only the claim awaits review.
    assert list(validation_queue().filter(action=action)) == [claim]


def test_the_evaluation_unit_validates_a_completion_claim(action, focal, evaluator):
    claim = _submit(action, focal, status="completed")

    services.update_validate(update=claim, by=evaluator, comment=" Checked. ")

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.ACCEPTED
    assert claim.reviewed_by == evaluator
    assert claim.reviewed_at is not None
    assert claim.review_comment == "Checked."
    assert action.status == ActionStatus.VALIDATED
    assert action.history.first().history_user == evaluator
    assert not validation_queue().exists()


def test_validating_a_progress_report_does_not_close_the_action(action, focal, evaluator):
    update = _submit(action, focal, status="in_progress")

    services.update_validate(update=update, by=evaluator)

    update.refresh_from_db()
    action.refresh_from_db()
    assert update.review_state == ReviewState.ACCEPTED
    assert action.status == ActionStatus.IN_PROGRESS


@pytest.mark.parametrize("before", ["not_started", "in_progress"])
def test_returning_a_completion_claim_restores_the_previous_status(
    action, focal, evaluator, before
):
    if before == "in_progress":
        _submit(action, focal, status="in_progress")
    claim = _submit(action, focal, status="completed")

    services.update_return(update=claim, by=evaluator, comment=" Attach the template. ")

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.RETURNED
    assert claim.review_comment == "Attach the template."
    assert claim.reviewed_by == evaluator
    assert action.status == before
    assert action.history.first().history_user == evaluator


def test_returning_a_repeated_completion_claim_puts_the_action_back_in_progress(
    action, focal, evaluator
):
    _submit(action, focal, status="completed")
    second = _submit(action, focal, status="completed", narrative="Still done.")
    assert second.previous_status == ActionStatus.COMPLETED

    services.update_return(update=second, by=evaluator, comment="Where is the evidence?")

    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


@pytest.mark.parametrize("comment", ["", "  "])
def test_returning_needs_a_comment(action, focal, evaluator, comment):
    claim = _submit(action, focal, status="completed")

    with pytest.raises(ServiceError) as exc:
        services.update_return(update=claim, by=evaluator, comment=comment)

    assert exc.value.field == "comment"
    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.PENDING
    assert action.status == ActionStatus.COMPLETED


@pytest.mark.parametrize("persona", ["focal", "committee", "viewer", "outsider"])
def test_only_the_evaluation_unit_reviews(request, action, focal, persona):
    claim = _submit(action, focal, status="completed")
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.update_validate(update=claim, by=user)
    with pytest.raises(PermissionDenied):
        services.update_return(update=claim, by=user, comment="No.")

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.PENDING
    assert claim.reviewed_by is None
    assert action.status == ActionStatus.COMPLETED


@pytest.mark.parametrize("first", ["validate", "return"])
def test_only_a_pending_update_can_be_reviewed(action, focal, evaluator, first):
    claim = _submit(action, focal, status="completed")
    if first == "validate":
        services.update_validate(update=claim, by=evaluator)
    else:
        services.update_return(update=claim, by=evaluator, comment="Missing evidence.")
    action.refresh_from_db()
    status_after_first = action.status

    with pytest.raises(ServiceError) as exc:
        services.update_validate(update=claim, by=evaluator)
    assert "already been reviewed" in exc.value.message
    with pytest.raises(ServiceError):
        services.update_return(update=claim, by=evaluator, comment="Changed my mind.")

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == (
        ReviewState.ACCEPTED if first == "validate" else ReviewState.RETURNED
    )
    assert action.status == status_after_first


def test_updates_are_history_the_newest_first(action, focal, evaluator):
    first = _submit(action, focal, status="in_progress", narrative="One.")
    second = _submit(action, focal, status="completed", narrative="Two.")
    services.update_return(update=second, by=evaluator, comment="Not yet.")
    third = _submit(action, focal, status="completed", narrative="Three.")
    services.update_validate(update=third, by=evaluator)

    assert list(action.updates.all()) == [third, second, first]
    assert [u.review_state for u in action.updates.all()] == [
        ReviewState.ACCEPTED,
        ReviewState.RETURNED,
        ReviewState.SUPERSEDED,
    ]
    action.refresh_from_db()
    assert action.status == ActionStatus.VALIDATED


def _claimed_at(update: ProgressUpdate, when: datetime.datetime) -> None:
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
    update.refresh_from_db()


def test_validation_dates_the_completion_by_the_local_day_of_the_claim(action, focal, evaluator):
    claim = _submit(action, focal, status="completed")
    # 02:30 UTC on 1 April is still 31 March in Toronto (the settings' time zone).
    _claimed_at(claim, datetime.datetime(2025, 4, 1, 2, 30, tzinfo=datetime.UTC))

    services.update_validate(update=claim, by=evaluator)

    action.refresh_from_db()
    assert action.completed_on == datetime.date(2025, 3, 31)


def test_a_returned_claim_leaves_no_completion_date(action, focal, evaluator):
    claim = _submit(action, focal, status="completed")
    services.update_return(update=claim, by=evaluator, comment="Attach the report.")
    action.refresh_from_db()
    assert action.completed_on is None


# Two keys, two people ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["evaluator", "admin_user"])
def test_nobody_validates_or_returns_an_update_they_reported(request, action, persona):
    # The evaluation unit may report on a unit's behalf, but not then accept its own report.
    author = request.getfixturevalue(persona)
    claim = _submit(action, author, status="completed", narrative="Done on the unit's behalf.")

    with pytest.raises(ServiceError) as exc:
        services.update_validate(update=claim, by=author)
    assert exc.value.message == (
        "You reported this update yourself: another member of the evaluation unit must review it."
    )
    with pytest.raises(ServiceError) as exc:
        services.update_return(update=claim, by=author, comment="Attach the template.")
    assert "another member of the evaluation unit" in exc.value.message

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.PENDING
    assert claim.reviewed_by is None
    assert action.status == ActionStatus.COMPLETED
    assert list(validation_queue()) == [claim]


def test_another_member_of_the_evaluation_unit_validates_their_colleagues_report(action, evaluator):
    colleague = make_user("colleague", "evaluation_unit")
    claim = _submit(action, evaluator, status="completed", narrative="Done on the unit's behalf.")

    services.update_validate(update=claim, by=colleague)

    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.author == evaluator
    assert claim.reviewed_by == colleague
    assert claim.review_state == ReviewState.ACCEPTED
    assert action.status == ActionStatus.VALIDATED
