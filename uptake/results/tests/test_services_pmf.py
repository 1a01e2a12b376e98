"""The PMF: actuals' workflow, variance explanations, locked periods, qualitative values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from uptake.errors import ServiceError
from uptake.results import selectors, services
from uptake.results.models import ActualState, ActualUpdate, Target

pytestmark = pytest.mark.django_db


def report(indicator, period, by, value, explanation="", submit=True, **kw):
    return services.actual_save(
        indicator=indicator, period=period, by=by, value=Decimal(value) if value is not None else None,
        variance_explanation=explanation, submit=submit, **kw,
    )  # fmt: skip


def test_an_actual_goes_draft_submitted_approved(approved, indicator, periods, focal, evaluator):
    update = report(indicator, periods[0], focal, "20", submit=False)
    assert update.state == ActualState.DRAFT
    services.actual_submit(update=update, by=focal)
    update.refresh_from_db()
    assert (update.state, update.submitted_by) == (ActualState.SUBMITTED, focal)
    services.actual_approve(update=update, by=evaluator)
    update.refresh_from_db()
    assert (update.state, update.decided_by) == (ActualState.APPROVED, evaluator)
    assert update.decided_at is not None


def test_a_returned_actual_can_be_corrected_and_resubmitted(
    approved, indicator, periods, focal, evaluator
):
    update = report(indicator, periods[0], focal, "20")
    services.actual_return(update=update, by=evaluator, comment="Check the source.")
    update.refresh_from_db()
    assert (update.state, update.decision_comment) == (ActualState.RETURNED, "Check the source.")
    report(indicator, periods[0], focal, "20", update=update)
    update.refresh_from_db()
    assert update.state == ActualState.SUBMITTED


def test_returning_needs_a_comment(approved, indicator, periods, focal, evaluator):
    update = report(indicator, periods[0], focal, "20")
    with pytest.raises(ServiceError, match="Say what must change"):
        services.actual_return(update=update, by=evaluator, comment=" ")


def test_an_approved_actual_cannot_be_approved_again_or_edited(
    approved, indicator, periods, focal, evaluator
):
    update = report(indicator, periods[0], focal, "20")
    services.actual_approve(update=update, by=evaluator)
    with pytest.raises(ServiceError):
        services.actual_approve(update=update, by=evaluator)
    with pytest.raises(ServiceError, match="Only a draft or returned"):
        report(indicator, periods[0], focal, "21", update=update)


def test_a_variance_needs_an_explanation_to_be_submitted(approved, indicator, periods, focal):
    # Target 20, actual 17: a shortfall of 3.
    with pytest.raises(ServiceError, match="differs from the target by -3"):
        report(indicator, periods[0], focal, "17")
    assert not ActualUpdate.objects.exists()
    update = report(indicator, periods[0], focal, "17", explanation="Two sessions were cancelled.")
    assert update.state == ActualState.SUBMITTED


def test_a_draft_with_a_variance_is_kept_but_cannot_be_submitted(
    approved, indicator, periods, focal
):
    update = report(indicator, periods[0], focal, "25", submit=False)
    with pytest.raises(ServiceError, match="explain the variance"):
        services.actual_submit(update=update, by=focal)
    update.refresh_from_db()
    assert update.state == ActualState.DRAFT


def test_no_target_means_no_variance_to_explain(approved, indicator, periods, focal, evaluator):
    services.target_set(indicator=indicator, period=periods[1], by=evaluator)  # clears it
    assert not Target.objects.filter(indicator=indicator, period=periods[1]).exists()
    assert report(indicator, periods[1], focal, "99").state == ActualState.SUBMITTED


def test_a_locked_period_takes_no_actual_and_no_target(
    approved, indicator, periods, focal, evaluator
):
    services.period_lock(period=periods[0], by=evaluator)
    with pytest.raises(ServiceError, match="locked"):
        report(indicator, periods[0], focal, "20")
    with pytest.raises(ServiceError, match="locked"):
        services.target_set(indicator=indicator, period=periods[0], by=evaluator, value=Decimal(5))
    services.period_unlock(period=periods[0], by=evaluator)
    assert report(indicator, periods[0], focal, "20").state == ActualState.SUBMITTED


def test_a_period_is_not_locked_while_an_actual_of_it_awaits_approval(
    approved, indicator, periods, focal, evaluator
):
    update = report(indicator, periods[0], focal, "20")
    with pytest.raises(ServiceError, match="approve or return it before locking"):
        services.period_lock(period=periods[0], by=evaluator)
    periods[0].refresh_from_db()
    assert not periods[0].locked
    services.actual_approve(update=update, by=evaluator)
    services.period_lock(period=periods[0], by=evaluator)
    periods[0].refresh_from_db()
    assert periods[0].locked


def test_only_the_evaluation_unit_locks_and_approves(
    approved, indicator, periods, focal, committee
):
    update = report(indicator, periods[0], focal, "20")
    with pytest.raises(PermissionDenied):
        services.period_lock(period=periods[0], by=focal)
    with pytest.raises(PermissionDenied):
        services.actual_approve(update=update, by=committee)


def test_viewers_do_not_report_actuals(approved, indicator, periods, viewer):
    with pytest.raises(PermissionDenied):
        report(indicator, periods[0], viewer, "20")


def test_actuals_wait_for_the_strategy_approval(strategy, indicator, periods, focal):
    with pytest.raises(ServiceError, match="once the strategy is approved"):
        report(indicator, periods[0], focal, "20")


def test_qualitative_indicators_take_words(
    strategy, qualitative, periods, focal, committee, evaluator
):
    services.strategy_approve(strategy=strategy, by=committee)
    with pytest.raises(ServiceError, match="write the value in words"):
        report(qualitative, periods[0], focal, "3")
    update = services.actual_save(
        indicator=qualitative, period=periods[0], by=focal, text="Consulted in five of six designs.",
        submit=True,
    )  # fmt: skip
    services.actual_approve(update=update, by=evaluator)
    row = selectors.pmf(strategy, indicator=qualitative).rows[0]
    assert row.cells[0].actual.text == "Consulted in five of six designs."
    assert row.cells[0].variance is None


def test_numeric_targets_refuse_words(indicator, periods, evaluator):
    with pytest.raises(ServiceError, match="give a number"):
        services.target_set(indicator=indicator, period=periods[0], by=evaluator, text="many")


def test_percentages_stay_between_0_and_100(tree, evaluator):
    with pytest.raises(ServiceError, match="between 0 and 100"):
        services.indicator_create(
            result=tree["u"], by=evaluator, text_en="Share", measure="percentage",
            baseline_value=Decimal("140"), baseline_year=2023,
        )  # fmt: skip


def test_a_baseline_needs_its_year(tree, evaluator):
    with pytest.raises(ServiceError, match="which year"):
        services.indicator_create(
            result=tree["u"], by=evaluator, text_en="Count", baseline_value=Decimal("3")
        )


def test_pmf_shows_the_latest_approved_actual_and_its_variance(
    approved, indicator, periods, focal, evaluator
):
    first = report(indicator, periods[0], focal, "18", explanation="Late start.")
    services.actual_approve(update=first, by=evaluator)
    second = report(indicator, periods[0], focal, "22", explanation="Late reports came in.")
    services.actual_approve(update=second, by=evaluator)
    report(indicator, periods[1], focal, "30")  # submitted, not approved: not shown
    row = selectors.pmf(approved).rows[0]
    assert row.cells[0].actual.pk == second.pk
    assert row.cells[0].variance == Decimal("22") - Decimal("20")
    assert row.cells[1].actual is None


SELF_REVIEW = "another member of the evaluation unit must review it"


@pytest.fixture
def colleague(db):
    """A second member of the evaluation unit, the other key."""
    from conftest import make_user

    return make_user("colleague", "evaluation_unit")


def test_whoever_records_and_submits_an_actual_cannot_approve_or_return_it(
    approved, indicator, periods, evaluator, colleague
):
    update = report(indicator, periods[0], evaluator, "20")
    with pytest.raises(ServiceError, match=SELF_REVIEW):
        services.actual_approve(update=update, by=evaluator)
    with pytest.raises(ServiceError, match=SELF_REVIEW):
        services.actual_return(update=update, by=evaluator, comment="Check the source.")
    update.refresh_from_db()
    assert (update.state, update.decided_by) == (ActualState.SUBMITTED, None)
    services.actual_approve(update=update, by=colleague)
    update.refresh_from_db()
    assert (update.state, update.decided_by) == (ActualState.APPROVED, colleague)


def test_submitting_someone_elses_draft_also_takes_away_the_approval(
    approved, indicator, periods, focal, evaluator, colleague
):
    update = report(indicator, periods[0], focal, "20", submit=False)
    services.actual_submit(update=update, by=evaluator)
    with pytest.raises(ServiceError, match=SELF_REVIEW):
        services.actual_approve(update=update, by=evaluator)
    services.actual_return(update=update, by=colleague, comment="Which reports?")
    update.refresh_from_db()
    assert (update.state, update.decided_by) == (ActualState.RETURNED, colleague)


def test_recording_a_draft_that_another_submits_also_takes_away_the_approval(
    approved, indicator, periods, focal, evaluator
):
    update = report(indicator, periods[0], evaluator, "20", submit=False)
    services.actual_submit(update=update, by=focal)
    with pytest.raises(ServiceError, match=SELF_REVIEW):
        services.actual_approve(update=update, by=evaluator)
    update.refresh_from_db()
    assert update.state == ActualState.SUBMITTED
