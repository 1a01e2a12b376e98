"""Closing recommendations (as implemented or by decision), closing the evaluation, reopening,
and the database constraints that hold the closure rules even outside the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import (
    Action,
    ActionStatus,
    ClosureReason,
    Evaluation,
    EvaluationState,
    Recommendation,
    RecommendationStatus,
    Response,
)
from uptake.followup import services as followup

pytestmark = pytest.mark.django_db


def _actions(evaluation: Evaluation) -> list[Action]:
    return list(
        Action.objects.filter(response__recommendation__evaluation=evaluation).order_by("id")
    )


def _validate(action: Action, focal, evaluator) -> None:
    update = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=update, by=evaluator)


@pytest.fixture
def rec(approved_evaluation) -> Recommendation:
    return approved_evaluation.recommendations.get()


@pytest.fixture
def done_rec(rec, approved_evaluation, focal, evaluator) -> Recommendation:
    """Every action of the recommendation is validated."""
    for action in _actions(approved_evaluation):
        _validate(action, focal, evaluator)
    return rec


# As implemented ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["evaluator", "committee"])
def test_a_recommendation_whose_actions_are_all_validated_closes_as_implemented(
    request, done_rec, persona
):
    user = request.getfixturevalue(persona)

    services.recommendation_close(recommendation=done_rec, by=user, reason="implemented")

    done_rec.refresh_from_db()
    assert done_rec.status == RecommendationStatus.CLOSED
    assert done_rec.closure_reason == ClosureReason.IMPLEMENTED
    assert done_rec.closed_by == user
    assert done_rec.closed_at is not None
    assert done_rec.history.first().history_user == user


def test_cancelled_and_superseded_actions_count_as_finished(
    rec, approved_evaluation, focal, evaluator
):
    first, second = _actions(approved_evaluation)
    services.action_withdraw(action=first, by=evaluator, status="cancelled", reason="Dropped.")
    services.action_withdraw(action=second, by=evaluator, status="superseded", reason="Replaced.")

    services.recommendation_close(recommendation=rec, by=evaluator, reason="implemented")

    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED


@pytest.mark.parametrize("unfinished_status", ["not_started", "in_progress", "completed"])
def test_an_unfinished_action_blocks_closure_as_implemented(
    rec, approved_evaluation, focal, evaluator, unfinished_status
):
    first, second = _actions(approved_evaluation)
    _validate(first, focal, evaluator)
    if unfinished_status != "not_started":
        followup.update_submit(
            action=second, by=focal, status=unfinished_status, narrative="Working on it."
        )

    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(recommendation=rec, by=evaluator, reason="implemented")

    assert "1 action is not yet validated. Validate or cancel it," in exc.value.message
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN
    assert rec.closure_reason == ""
    assert rec.closed_by is None


def test_a_recommendation_without_actions_cannot_close_as_implemented(
    approved_evaluation, evaluator, committee
):
    Action.objects.all().delete()
    rec = approved_evaluation.recommendations.get()

    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(recommendation=rec, by=evaluator, reason="implemented")

    assert "no actions" in exc.value.message
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


@pytest.mark.parametrize("persona", ["focal", "viewer", "outsider"])
def test_nobody_else_closes_a_recommendation_as_implemented(request, done_rec, persona):
    with pytest.raises(PermissionDenied):
        services.recommendation_close(
            recommendation=done_rec, by=request.getfixturevalue(persona), reason="implemented"
        )

    done_rec.refresh_from_db()
    assert done_rec.status == RecommendationStatus.OPEN


def test_a_recommendation_of_a_draft_response_cannot_be_closed(draft_evaluation, committee):
    rec = draft_evaluation.recommendations.get()

    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(
            recommendation=rec, by=committee, reason="no_longer_applicable", note="Moot."
        )

    assert "approved" in exc.value.message
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_an_unknown_closure_reason_is_refused(rec, committee):
    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(recommendation=rec, by=committee, reason="bored", note="x")

    assert exc.value.field == "reason"
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


# By decision -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason", ["partly_implemented", "no_longer_applicable", "superseded", "not_accepted"]
)
def test_the_committee_closes_by_decision_with_a_note(rec, committee, reason):
    services.recommendation_close(
        recommendation=rec, by=committee, reason=reason, note=" Overtaken by a new policy. "
    )

    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED
    assert rec.closure_reason == reason
    assert rec.closure_note == "Overtaken by a new policy."
    assert rec.closed_by == committee
    assert rec.history.first().history_user == committee


@pytest.mark.parametrize("persona", ["evaluator", "focal", "viewer"])
def test_only_the_committee_closes_by_decision(request, rec, persona):
    with pytest.raises(PermissionDenied):
        services.recommendation_close(
            recommendation=rec,
            by=request.getfixturevalue(persona),
            reason="no_longer_applicable",
            note="Moot.",
        )

    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


@pytest.mark.parametrize("note", ["", "  "])
def test_a_decision_needs_a_note(rec, committee, note):
    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(
            recommendation=rec, by=committee, reason="superseded", note=note
        )

    assert exc.value.field == "note"
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_a_closed_recommendation_cannot_be_closed_again(rec, committee):
    services.recommendation_close(recommendation=rec, by=committee, reason="superseded", note="A")

    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(
            recommendation=rec, by=committee, reason="not_accepted", note="B"
        )

    assert "already closed" in exc.value.message
    rec.refresh_from_db()
    assert rec.closure_reason == "superseded"
    assert rec.closure_note == "A"


# The evaluation closes with its last recommendation ------------------------------------------


def test_the_evaluation_closes_when_its_last_recommendation_closes(
    approved_evaluation, evaluator, committee, focal
):
    first = approved_evaluation.recommendations.get()
    second = Recommendation.objects.create(
        evaluation=approved_evaluation, number="2", sort_key="000002", statement="Second."
    )
    for action in _actions(approved_evaluation):
        _validate(action, focal, evaluator)

    services.recommendation_close(recommendation=first, by=evaluator, reason="implemented")
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP

    services.recommendation_close(
        recommendation=second, by=committee, reason="no_longer_applicable", note="Moot."
    )
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.CLOSED
    assert approved_evaluation.history.first().history_user == committee


def test_closing_the_only_recommendation_of_an_approved_response_closes_the_evaluation(
    rec, approved_evaluation, committee
):
    services.recommendation_close(recommendation=rec, by=committee, reason="superseded", note="x")

    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.CLOSED


# Reopening -----------------------------------------------------------------------------------


@pytest.fixture
def closed_rec(rec, committee) -> Recommendation:
    services.recommendation_close(recommendation=rec, by=committee, reason="superseded", note="x")
    rec.refresh_from_db()
    return rec


def test_the_committee_reopens_a_closed_recommendation(closed_rec, committee, approved_evaluation):
    services.recommendation_reopen(recommendation=closed_rec, by=committee, note=" New facts. ")

    closed_rec.refresh_from_db()
    assert closed_rec.status == RecommendationStatus.OPEN
    assert closed_rec.closure_reason == ""
    assert closed_rec.closed_by is None
    assert closed_rec.closed_at is None
    assert closed_rec.closure_note == "New facts."
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP
    # The closure stays in the history.
    reasons = list(closed_rec.history.values_list("closure_reason", flat=True))
    assert reasons[:2] == ["", "superseded"]
    assert closed_rec.history.first().history_user == committee


@pytest.mark.parametrize("persona", ["evaluator", "focal", "viewer"])
def test_only_the_committee_reopens(request, closed_rec, persona):
    with pytest.raises(PermissionDenied):
        services.recommendation_reopen(
            recommendation=closed_rec, by=request.getfixturevalue(persona), note="Why not."
        )

    closed_rec.refresh_from_db()
    assert closed_rec.status == RecommendationStatus.CLOSED


def test_reopening_needs_a_note(closed_rec, committee):
    with pytest.raises(ServiceError) as exc:
        services.recommendation_reopen(recommendation=closed_rec, by=committee, note=" ")

    assert exc.value.field == "note"
    closed_rec.refresh_from_db()
    assert closed_rec.status == RecommendationStatus.CLOSED


def test_an_open_recommendation_cannot_be_reopened(rec, committee):
    with pytest.raises(ServiceError) as exc:
        services.recommendation_reopen(recommendation=rec, by=committee, note="x")

    assert "open" in exc.value.message


# Constraints in the database -----------------------------------------------------------------


def test_a_closed_recommendation_without_a_reason_is_refused_by_the_model(rec):
    rec.status = RecommendationStatus.CLOSED
    rec.closure_reason = ""

    with pytest.raises(ValidationError):
        rec.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rec.save()

    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.OPEN


def test_an_open_recommendation_with_a_closure_reason_is_refused_by_the_database(rec):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=rec.pk).update(closure_reason="implemented")

    assert Recommendation.objects.get(pk=rec.pk).closure_reason == ""


def test_a_duplicate_recommendation_number_is_refused_by_the_database(rec):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(
            evaluation=rec.evaluation, number=rec.number, statement="Copy."
        )

    assert Recommendation.objects.filter(evaluation=rec.evaluation).count() == 1


def test_a_second_response_from_the_same_unit_is_refused_by_the_database(rec, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(recommendation=rec, unit=units["HWP"], agreement="agree")

    assert rec.responses.count() == 1


def test_a_disagreement_without_a_reason_is_refused_by_the_database(rec, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(recommendation=rec, unit=units["PRS"], agreement="disagree")

    assert rec.responses.count() == 1


def test_a_dated_action_without_its_original_due_date_is_refused_by_the_database(
    approved_evaluation,
):
    action = _actions(approved_evaluation)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(original_due_date=None)

    action.refresh_from_db()
    assert action.original_due_date is not None
    assert action.status == ActionStatus.NOT_STARTED


def test_reopening_through_a_copy_loaded_before_the_closure_reopens_the_evaluation(
    rec, approved_evaluation, committee
):
    assert rec.evaluation.state == EvaluationState.RESPONSE_APPROVED  # cached on this copy
    services.recommendation_close(recommendation=rec, by=committee, reason="superseded", note="x")
    assert Evaluation.objects.get(pk=approved_evaluation.pk).state == EvaluationState.CLOSED

    services.recommendation_reopen(recommendation=rec, by=committee, note="New facts.")

    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.OPEN
