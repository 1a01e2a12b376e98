"""Each unit's response to a recommendation and the actions it commits to."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from uptake.errors import ConflictError, ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import (
    Action,
    ActionStatus,
    EvaluationState,
    Recommendation,
    Response,
    TargetKind,
)
from uptake.evaluations.selectors import actions_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(evaluator) -> Recommendation:
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of roads")
    return services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Maintain the roads."
    )


@pytest.fixture
def response(rec, evaluator, units) -> Response:
    return services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="Yes."
    )


def _response_and_actions(evaluation):
    return (
        Response.objects.filter(recommendation__evaluation=evaluation).get(),
        list(Action.objects.filter(response__recommendation__evaluation=evaluation)),
    )


# Responses -------------------------------------------------------------------------------


def test_a_response_is_recorded_and_starts_the_drafting(rec, evaluator, units):
    assert rec.evaluation.state == EvaluationState.DRAFT

    response = services.response_create(
        recommendation=rec,
        by=evaluator,
        unit=units["WSB"],
        agreement="partially_agree",
        commitment=" The bureau will analyse. ",
        rationale=" A separate objective would duplicate policy. ",
    )

    response.refresh_from_db()
    assert response.unit == units["WSB"]
    assert response.agreement == "partially_agree"
    assert response.commitment == "The bureau will analyse."
    assert response.rationale == "A separate objective would duplicate policy."
    assert response.history.first().history_user == evaluator
    rec.evaluation.refresh_from_db()
    assert rec.evaluation.state == EvaluationState.RESPONSE_IN_PREPARATION


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_nobody_but_the_evaluation_unit_drafts_a_response(request, rec, units, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.response_create(
            recommendation=rec, by=user, unit=units["HWP"], agreement="agree", commitment="x"
        )

    assert not Response.objects.exists()


def test_a_unit_responds_only_once_to_a_recommendation(response, rec, evaluator, units):
    with pytest.raises(ServiceError) as exc:
        services.response_create(
            recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree"
        )

    assert "HWP" in exc.value.message
    assert exc.value.field == "unit"
    assert Response.objects.filter(recommendation=rec).count() == 1


def test_two_units_may_respond_to_the_same_recommendation(response, rec, evaluator, units):
    services.response_create(recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree")

    assert set(rec.responses.values_list("unit__code", flat=True)) == {"HWP", "PRS"}


def test_moving_a_response_onto_a_unit_that_already_responded_is_refused(
    response, rec, evaluator, units
):
    other = services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree"
    )

    with pytest.raises(ServiceError) as exc:
        services.response_update(response=other, by=evaluator, unit=units["HWP"], agreement="agree")

    assert "HWP" in exc.value.message
    other.refresh_from_db()
    assert other.unit == units["PRS"]


@pytest.mark.parametrize("agreement", ["partially_agree", "disagree"])
@pytest.mark.parametrize("rationale", ["", "   "])
def test_a_response_that_does_not_fully_agree_needs_its_reasons(
    rec, evaluator, units, agreement, rationale
):
    with pytest.raises(ServiceError) as exc:
        services.response_create(
            recommendation=rec,
            by=evaluator,
            unit=units["HWP"],
            agreement=agreement,
            commitment="Something.",
            rationale=rationale,
        )

    assert exc.value.field == "rationale"
    assert "reasons" in exc.value.message
    assert not Response.objects.exists()


def test_a_response_that_agrees_needs_no_reasons(rec, evaluator, units):
    services.response_create(recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree")

    assert Response.objects.get().rationale == ""


def test_editing_a_response_to_disagree_without_reasons_is_refused(response, evaluator, units):
    with pytest.raises(ServiceError) as exc:
        services.response_update(
            response=response, by=evaluator, unit=units["HWP"], agreement="disagree"
        )

    assert exc.value.field == "rationale"
    response.refresh_from_db()
    assert response.agreement == "agree"
    assert response.version == 1


def test_an_unknown_agreement_is_refused(rec, evaluator, units):
    with pytest.raises(ServiceError) as exc:
        services.response_create(
            recommendation=rec, by=evaluator, unit=units["HWP"], agreement="maybe"
        )

    assert exc.value.field == "agreement"
    assert not Response.objects.exists()


def test_a_stale_response_form_conflicts_and_saves_nothing(response, evaluator, units):
    opened_at = response.version
    services.response_update(
        response=Response.objects.get(pk=response.pk),
        by=evaluator,
        expected_version=opened_at,
        unit=units["HWP"],
        agreement="agree",
        commitment="First editor.",
    )

    with pytest.raises(ConflictError):
        services.response_update(
            response=response,
            by=evaluator,
            expected_version=opened_at,
            unit=units["PRS"],
            agreement="disagree",
            commitment="Second editor.",
            rationale="Because.",
        )

    response.refresh_from_db()
    assert response.commitment == "First editor."
    assert response.unit == units["HWP"]
    assert response.agreement == "agree"
    assert response.version == opened_at + 1


# Actions ---------------------------------------------------------------------------------


def test_an_action_reads_its_target_date_and_defaults_to_the_response_unit(response, evaluator):
    action = services.action_create(
        response=response,
        by=evaluator,
        text=" Revise the template. ",
        target_date_text=" Q3 2021-22 ",
        deliverable=" Template ",
        role=" Program Director ",
    )

    action.refresh_from_db()
    assert action.text == "Revise the template."
    assert action.target_date_text == "Q3 2021-22"
    assert action.target_kind == TargetKind.DATE
    assert action.original_due_date == datetime.date(2021, 12, 31)
    assert action.due_date == datetime.date(2021, 12, 31)
    assert action.unit == response.unit
    assert action.role == "Program Director"
    assert action.deliverable == "Template"
    assert action.status == ActionStatus.NOT_STARTED
    assert action.history.first().history_user == evaluator


def test_an_action_may_name_another_unit(response, evaluator, units):
    action = services.action_create(
        response=response,
        by=evaluator,
        text="Train boards.",
        target_date_text="June 2021",
        unit=units["QTO-DA"],
    )

    action.refresh_from_db()
    assert action.unit == units["QTO-DA"]
    assert action.due_date == datetime.date(2021, 6, 30)


def test_actions_are_numbered_in_the_order_they_are_written(response, evaluator):
    for text in ("first", "second", "third"):
        services.action_create(response=response, by=evaluator, text=text, target_date_text="2030")

    assert list(response.actions.values_list("position", "text")) == [
        (0, "first"),
        (1, "second"),
        (2, "third"),
    ]


def test_an_ongoing_action_has_no_due_date(response, evaluator):
    action = services.action_create(
        response=response, by=evaluator, text="Consult.", target_date_text="Ongoing"
    )

    action.refresh_from_db()
    assert action.target_kind == TargetKind.ONGOING
    assert action.original_due_date is None
    assert action.due_date is None


def test_an_action_written_as_completed_starts_completed(response, evaluator):
    action = services.action_create(
        response=response, by=evaluator, text="Hire an officer.", target_date_text="Completed"
    )

    action.refresh_from_db()
    assert action.target_kind == TargetKind.COMPLETED
    assert action.due_date is None
    assert action.status == ActionStatus.COMPLETED


def test_an_unreadable_target_date_is_kept_as_written_and_flagged(response, evaluator):
    action = services.action_create(
        response=response, by=evaluator, text="Do it.", target_date_text="when funds allow"
    )

    action.refresh_from_db()
    assert action.target_date_text == "when funds allow"
    assert action.target_kind == TargetKind.UNPARSED
    assert action.due_date is None
    assert action.original_due_date is None


def test_editing_the_target_date_recomputes_the_due_date(response, evaluator):
    action = services.action_create(
        response=response, by=evaluator, text="Do it.", target_date_text="June 2021"
    )

    services.action_update(
        action=action, by=evaluator, expected_version=1, text="Do it.", target_date_text="2021-22"
    )

    action.refresh_from_db()
    assert action.target_date_text == "2021-22"
    assert action.original_due_date == datetime.date(2022, 3, 31)
    assert action.due_date == datetime.date(2022, 3, 31)
    assert action.version == 2


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_nobody_but_the_evaluation_unit_drafts_actions(request, response, evaluator, persona):
    user = request.getfixturevalue(persona)
    action = services.action_create(
        response=response, by=evaluator, text="Original.", target_date_text="2030"
    )

    with pytest.raises(PermissionDenied):
        services.action_create(response=response, by=user, text="x", target_date_text="2030")
    with pytest.raises(PermissionDenied):
        services.action_update(action=action, by=user, text="Changed.", target_date_text="2031")
    with pytest.raises(PermissionDenied):
        services.action_delete(action=action, by=user)

    assert list(Action.objects.values_list("text", flat=True)) == ["Original."]


def test_a_stale_action_form_conflicts_and_saves_nothing(response, evaluator):
    action = services.action_create(
        response=response, by=evaluator, text="Original.", target_date_text="June 2021"
    )
    services.action_update(
        action=Action.objects.get(pk=action.pk),
        by=evaluator,
        expected_version=1,
        text="First editor.",
        target_date_text="June 2022",
    )

    with pytest.raises(ConflictError) as exc:
        services.action_update(
            action=action,
            by=evaluator,
            expected_version=1,
            text="Second editor.",
            target_date_text="June 2023",
        )

    assert "action" in exc.value.message
    action.refresh_from_db()
    assert action.text == "First editor."
    assert action.due_date == datetime.date(2022, 6, 30)
    assert action.version == 2


# Locked once submitted -------------------------------------------------------------------


def test_responses_and_actions_cannot_change_once_submitted(draft_evaluation, evaluator, units):
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    response, actions = _response_and_actions(draft_evaluation)
    rec = response.recommendation

    attempts = [
        lambda: services.response_create(
            recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree"
        ),
        lambda: services.response_update(
            response=response, by=evaluator, unit=units["HWP"], agreement="agree", commitment="x"
        ),
        lambda: services.response_delete(response=response, by=evaluator),
        lambda: services.action_create(
            response=response, by=evaluator, text="Late.", target_date_text="2030"
        ),
        lambda: services.action_update(
            action=actions[0], by=evaluator, text="Changed.", target_date_text="June 2040"
        ),
        lambda: services.action_delete(action=actions[0], by=evaluator),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as exc:
            attempt()
        assert "can no longer be changed" in exc.value.message

    response.refresh_from_db()
    assert response.commitment == "The program agrees."
    assert Response.objects.count() == 1
    assert Action.objects.count() == 2
    actions[0].refresh_from_db()
    assert actions[0].text == "Revise the design template."
    assert actions[0].due_date == datetime.date(2021, 6, 30)


def test_the_approved_plan_cannot_change_either(approved_evaluation, evaluator):
    response, actions = _response_and_actions(approved_evaluation)

    with pytest.raises(ServiceError):
        services.action_update(
            action=actions[0], by=evaluator, text="Changed.", target_date_text="June 2040"
        )

    actions[0].refresh_from_db()
    assert actions[0].original_due_date == datetime.date(2021, 6, 30)


# Withdrawing an approved action ----------------------------------------------------------


@pytest.mark.parametrize("status", ["cancelled", "superseded"])
def test_the_evaluation_unit_withdraws_an_action_with_a_reason(action, evaluator, status):
    services.action_withdraw(action=action, by=evaluator, status=status, reason=" Replaced. ")

    action.refresh_from_db()
    assert action.status == status
    assert action.status_reason == "Replaced."
    assert action.days_overdue(datetime.date(2030, 1, 1)) == 0


def test_withdrawing_needs_a_reason_and_a_withdrawn_status(action, evaluator):
    with pytest.raises(ServiceError) as exc:
        services.action_withdraw(action=action, by=evaluator, status="cancelled", reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        services.action_withdraw(action=action, by=evaluator, status="validated", reason="x")
    assert exc.value.field == "status"

    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_only_the_evaluation_unit_withdraws_an_action(request, action, persona):
    with pytest.raises(PermissionDenied):
        services.action_withdraw(
            action=action, by=request.getfixturevalue(persona), status="cancelled", reason="x"
        )

    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_a_withdrawn_action_cannot_be_withdrawn_again(action, evaluator):
    services.action_withdraw(action=action, by=evaluator, status="cancelled", reason="First.")

    with pytest.raises(ServiceError) as exc:
        services.action_withdraw(action=action, by=evaluator, status="superseded", reason="Again.")

    assert "already closed" in exc.value.message
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    assert action.status_reason == "First."


def test_starting_the_response_keeps_an_edit_made_meanwhile(evaluator, units):
    evaluation = services.evaluation_create(by=evaluator, title_en="Original title")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="S."
    )
    # Someone renames the evaluation while this recommendation (and its evaluation) is in memory.
    services.evaluation_update(
        evaluation=type(evaluation).objects.get(pk=evaluation.pk),
        by=evaluator,
        expected_version=1,
        title_en="Renamed meanwhile",
    )

    services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="C."
    )

    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.RESPONSE_IN_PREPARATION
    assert evaluation.title_en == "Renamed meanwhile"
    assert evaluation.version == 3  # created 1, renamed 2, drafting started 3


def test_an_action_validated_since_the_page_was_opened_cannot_be_withdrawn(
    action, focal, evaluator
):
    from uptake.followup import services as followup

    opened = Action.objects.get(pk=action.pk)  # the page's copy: not started
    claim = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=claim, by=evaluator)

    with pytest.raises(ServiceError) as exc:
        services.action_withdraw(action=opened, by=evaluator, status="cancelled", reason="x")

    assert "already closed" in exc.value.message
    action.refresh_from_db()
    assert action.status == ActionStatus.VALIDATED
    assert action.status_reason == ""


def test_moving_a_response_to_another_unit_moves_the_actions_that_had_its_unit(
    response, evaluator, units, focal
):
    defaulted = services.action_create(
        response=response, by=evaluator, text="Train staff.", target_date_text="March 2031"
    )
    elsewhere = services.action_create(
        response=response,
        by=evaluator,
        text="Map the district roads.",
        target_date_text="March 2031",
        unit=units["QTO-DA"],
    )
    version = Action.objects.get(pk=defaulted.pk).version

    services.response_update(
        response=Response.objects.get(pk=response.pk),
        by=evaluator,
        unit=units["PRS"],
        agreement="agree",
    )

    moved, kept = Action.objects.get(pk=defaulted.pk), Action.objects.get(pk=elsewhere.pk)
    assert moved.unit == units["PRS"] and moved.version == version + 1
    assert moved.history.first().history_user == evaluator
    assert kept.unit == units["QTO-DA"]
    # HWP's focal point no longer answers for the moved action.
    assert set(actions_for_user(focal)) == {kept}
