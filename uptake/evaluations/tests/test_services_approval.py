"""The quality check, submission, the committee's approval or return, and the history left."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation, EvaluationState, Response
from uptake.evaluations.selectors import response_plan_problems

pytestmark = pytest.mark.django_db


def _state(evaluation: Evaluation) -> str:
    evaluation.refresh_from_db()
    return evaluation.state


@pytest.fixture
def evaluation(evaluator) -> Evaluation:
    return services.evaluation_create(by=evaluator, title_en="Evaluation of clinics")


# The quality check -------------------------------------------------------------------------


def test_a_complete_plan_has_no_problems(draft_evaluation):
    assert response_plan_problems(draft_evaluation) == []


def test_an_evaluation_without_recommendations_is_a_problem(evaluation):
    problems = response_plan_problems(evaluation)

    assert [p.message for p in problems] == ["The evaluation has no recommendations."]


def test_a_recommendation_no_unit_answered_is_a_problem(draft_evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="Unanswered."
    )

    problems = response_plan_problems(draft_evaluation)

    assert [(p.where, p.message, p.anchor) for p in problems] == [
        ("Recommendation 2", "No unit has responded to it.", f"rec-{rec.pk}")
    ]


def test_a_response_with_no_action_and_no_commitment_is_named(draft_evaluation, evaluator, units):
    rec = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="S."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree"
    )

    problems = response_plan_problems(draft_evaluation)

    assert {(p.where, p.message, p.anchor) for p in problems} == {
        ("Recommendation 2, PRS", "The response commits to no action.", f"response-{response.pk}"),
        ("Recommendation 2, PRS", "The response states no commitment.", f"response-{response.pk}"),
    }


def test_a_disagreeing_response_need_not_commit_to_an_action(draft_evaluation, evaluator, units):
    rec = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="S."
    )
    services.response_create(
        recommendation=rec,
        by=evaluator,
        unit=units["PRS"],
        agreement="disagree",
        commitment="The division will not do this.",
        rationale="It is out of its mandate.",
    )

    assert response_plan_problems(draft_evaluation) == []


def test_a_non_agreeing_response_whose_reason_is_blank_is_named(draft_evaluation, evaluator):
    # The services refuse it, but an import or an admin edit can leave whitespace behind.
    response = Response.objects.get(recommendation__evaluation=draft_evaluation)
    Response.objects.filter(pk=response.pk).update(agreement="partially_agree", rationale="   ")

    problems = response_plan_problems(draft_evaluation)

    assert [(p.where, p.message) for p in problems] == [
        ("Recommendation 1, HWP", "The unit does not fully agree but gives no reason.")
    ]


def test_each_incomplete_action_is_named_with_what_it_lacks(draft_evaluation, evaluator):
    response = Response.objects.get(recommendation__evaluation=draft_evaluation)
    vague = services.action_create(
        response=response, by=evaluator, text="Do more.", target_date_text="when funds allow"
    )
    problems = response_plan_problems(draft_evaluation)

    assert [(p.where, p.message, p.anchor) for p in problems] == [
        (
            "Recommendation 1, HWP, action 3",
            "The target date “when funds allow” is not a date Uptake can follow.",
            f"action-{vague.pk}",
        ),
        (
            "Recommendation 1, HWP, action 3",
            "No deliverable or evidence is named.",
            f"action-{vague.pk}",
        ),
    ]


def test_problems_are_listed_in_recommendation_order(evaluation, evaluator):
    for number in ("10", "2"):
        services.recommendation_create(
            evaluation=evaluation, by=evaluator, number=number, statement="S."
        )

    problems = response_plan_problems(evaluation)

    assert [p.where for p in problems] == ["Recommendation 2", "Recommendation 10"]


# Submission ------------------------------------------------------------------------------


def test_submission_is_refused_while_problems_remain(draft_evaluation, evaluator, units):
    rec = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="S."
    )

    with pytest.raises(ServiceError) as exc:
        services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    assert "1 problem remains." in exc.value.message
    assert _state(draft_evaluation) == EvaluationState.RESPONSE_IN_PREPARATION

    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="C."
    )
    with pytest.raises(ServiceError) as exc:
        services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    assert "1 problem remains." in exc.value.message  # still no action
    assert _state(draft_evaluation) == EvaluationState.RESPONSE_IN_PREPARATION

    services.action_create(
        response=response, by=evaluator, text="A.", target_date_text="2030", deliverable="D."
    )
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)

    assert _state(draft_evaluation) == EvaluationState.RESPONSE_SUBMITTED


def test_an_evaluation_with_no_recommendations_cannot_be_submitted(evaluation, evaluator):
    with pytest.raises(ServiceError):
        services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)

    assert _state(evaluation) == EvaluationState.DRAFT


def test_submission_records_the_evaluator_in_the_history(draft_evaluation, evaluator):
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)

    latest = draft_evaluation.history.first()
    assert latest.state == EvaluationState.RESPONSE_SUBMITTED
    assert latest.history_user == evaluator


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_only_the_evaluation_unit_submits(request, draft_evaluation, persona):
    with pytest.raises(PermissionDenied):
        services.evaluation_submit_for_approval(
            evaluation=draft_evaluation, by=request.getfixturevalue(persona)
        )

    assert _state(draft_evaluation) == EvaluationState.RESPONSE_IN_PREPARATION


def test_a_submitted_response_cannot_be_submitted_again(draft_evaluation, evaluator):
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    version = Evaluation.objects.get(pk=draft_evaluation.pk).version

    with pytest.raises(ServiceError):
        services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)

    draft_evaluation.refresh_from_db()
    assert draft_evaluation.state == EvaluationState.RESPONSE_SUBMITTED
    assert draft_evaluation.version == version


# Approval --------------------------------------------------------------------------------


@pytest.fixture
def submitted(draft_evaluation, evaluator) -> Evaluation:
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    draft_evaluation.refresh_from_db()
    return draft_evaluation


@pytest.mark.parametrize("persona", ["committee", "admin_user"])
def test_the_committee_approves_a_submitted_response(request, submitted, persona):
    user = request.getfixturevalue(persona)

    services.evaluation_approve_response(evaluation=submitted, by=user, comment="Fine.")

    submitted.refresh_from_db()
    assert submitted.state == EvaluationState.RESPONSE_APPROVED
    assert submitted.approval_comment == "Fine."
    latest = submitted.history.first()
    assert latest.history_user == user
    assert latest.state == EvaluationState.RESPONSE_APPROVED


@pytest.mark.parametrize("persona", ["evaluator", "focal", "viewer", "outsider"])
def test_nobody_else_approves(request, submitted, persona):
    with pytest.raises(PermissionDenied):
        services.evaluation_approve_response(
            evaluation=submitted, by=request.getfixturevalue(persona)
        )

    assert _state(submitted) == EvaluationState.RESPONSE_SUBMITTED


def test_only_a_submitted_response_can_be_approved(draft_evaluation, committee):
    with pytest.raises(ServiceError) as exc:
        services.evaluation_approve_response(evaluation=draft_evaluation, by=committee)

    assert "awaiting approval" in exc.value.message
    assert _state(draft_evaluation) == EvaluationState.RESPONSE_IN_PREPARATION


def test_an_approved_response_cannot_be_approved_again(approved_evaluation, committee):
    with pytest.raises(ServiceError):
        services.evaluation_approve_response(evaluation=approved_evaluation, by=committee)

    assert _state(approved_evaluation) == EvaluationState.RESPONSE_APPROVED


# Return ----------------------------------------------------------------------------------


def test_the_committee_returns_a_response_with_a_comment(submitted, committee, evaluator):
    services.evaluation_return_response(
        evaluation=submitted, by=committee, comment=" Dates are too far off. "
    )

    submitted.refresh_from_db()
    assert submitted.state == EvaluationState.RESPONSE_IN_PREPARATION
    assert submitted.approval_comment == "Dates are too far off."
    assert submitted.history.first().history_user == committee
    # Back in preparation: the plan can be edited again.
    rec = submitted.recommendations.get()
    services.recommendation_update(
        recommendation=rec, by=evaluator, number="1", statement="Fund maintenance better."
    )
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance better."


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_needs_a_comment(submitted, committee, comment):
    with pytest.raises(ServiceError) as exc:
        services.evaluation_return_response(evaluation=submitted, by=committee, comment=comment)

    assert exc.value.field == "comment"
    assert _state(submitted) == EvaluationState.RESPONSE_SUBMITTED


@pytest.mark.parametrize("persona", ["evaluator", "focal", "viewer"])
def test_only_the_committee_returns_a_response(request, submitted, persona):
    with pytest.raises(PermissionDenied):
        services.evaluation_return_response(
            evaluation=submitted, by=request.getfixturevalue(persona), comment="No."
        )

    assert _state(submitted) == EvaluationState.RESPONSE_SUBMITTED


def test_only_a_submitted_response_can_be_returned(approved_evaluation, committee):
    with pytest.raises(ServiceError):
        services.evaluation_return_response(
            evaluation=approved_evaluation, by=committee, comment="Too late."
        )

    assert _state(approved_evaluation) == EvaluationState.RESPONSE_APPROVED


# The whole history -------------------------------------------------------------------------


def test_the_history_names_who_made_each_step(approved_evaluation, evaluator, committee):
    states_and_people = [
        (h.state, h.history_user) for h in approved_evaluation.history.order_by("history_id")
    ]

    assert states_and_people == [
        (EvaluationState.DRAFT, evaluator),
        (EvaluationState.RESPONSE_IN_PREPARATION, evaluator),
        (EvaluationState.RESPONSE_SUBMITTED, evaluator),
        (EvaluationState.RESPONSE_APPROVED, committee),
    ]
    for action in Action.objects.all():
        assert action.history.first().history_user == evaluator
        assert action.history.count() == 1
