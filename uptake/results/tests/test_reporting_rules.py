"""When actuals can be reported and periods locked: not before a period starts, and not while
an actual of it awaits a decision."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.errors import ServiceError
from uptake.results import services
from uptake.results.models import ActualState, ActualUpdate, Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    """A second member of the evaluation unit, the other key."""
    from conftest import make_user

    return make_user("colleague", "evaluation_unit")


def upcoming(strategy, by, *, days: int = 1) -> Period:
    """A period starting DAYS after today."""
    start = timezone.localdate() + datetime.timedelta(days=days)
    return services.period_create(
        strategy=strategy, by=by, name="Upcoming", start=start, end=start + datetime.timedelta(365)
    )


def not_started(period: Period) -> str:
    return (
        f"The period {period.name} starts on {period.start.isoformat()}: "
        "its actual can be reported from then."
    )


def report(indicator, period, by, value="20", submit=True, update=None):
    return services.actual_save(
        indicator=indicator, period=period, by=by, value=Decimal(value), submit=submit,
        variance_explanation="", update=update,
    )  # fmt: skip


def options(response) -> dict[str, str]:
    """The period select's options, {value: label}."""
    assert response.status_code == 200
    text = response.content.decode()
    select = re.search(r'<select name="period".*?</select>', text, re.S)
    assert select is not None
    found = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select.group(0))
    return {value: html.unescape(label) for value, label in found}


# Periods that have not started ---------------------------------------------------------------


def test_an_actual_for_a_period_that_has_not_started_is_refused(
    approved, indicator, focal, evaluator
):
    later = upcoming(approved, evaluator)
    for submit in (False, True):
        with pytest.raises(ServiceError) as caught:
            report(indicator, later, focal, "99", submit=submit)
        assert caught.value.message == not_started(later)
    assert not ActualUpdate.objects.exists()


def test_an_actual_can_be_reported_on_the_day_its_period_starts(
    approved, indicator, focal, evaluator
):
    today = upcoming(approved, evaluator, days=0)
    update = report(indicator, today, focal, "20")
    assert ActualUpdate.objects.get().state == ActualState.SUBMITTED
    assert update.period == today


def test_an_actual_whose_period_moved_later_is_not_approved_but_can_be_returned(
    approved, indicator, focal, evaluator, colleague
):
    period = upcoming(approved, evaluator, days=0)
    first = report(indicator, period, focal, "20")
    second = report(indicator, period, focal, "21", submit=False)
    services.period_update(
        period=period, by=evaluator, start=period.start + datetime.timedelta(days=10)
    )
    period.refresh_from_db()

    with pytest.raises(ServiceError) as caught:
        services.actual_approve(update=first, by=colleague)
    assert caught.value.message == not_started(period)
    with pytest.raises(ServiceError, match="can be reported from then"):
        services.actual_submit(update=second, by=focal)
    first.refresh_from_db()
    assert first.state == ActualState.SUBMITTED

    services.actual_return(update=first, by=colleague, comment="Report it once the year starts.")
    first.refresh_from_db()
    assert first.state == ActualState.RETURNED


def test_the_actual_form_leaves_out_periods_that_have_not_started(
    client, approved, indicator, periods, focal, evaluator
):
    later = upcoming(approved, evaluator)
    client.force_login(focal)
    url = reverse("results:actual_create", args=[indicator.pk])

    listed = options(client.get(url))
    assert str(later.pk) not in listed
    assert sorted(listed.values()) == sorted(p.name for p in periods)

    response = client.post(url, {"period": later.pk, "value": "99", "submit": "1"})
    assert response.status_code == 200
    assert "Select a valid choice" in html.unescape(response.content.decode())
    assert not ActualUpdate.objects.exists()


# Locking a period with actuals awaiting approval ---------------------------------------------


@pytest.fixture
def second_indicator(strategy, tree, indicator, evaluator, committee):
    """An indicator on output 1111, with no targets (so no variance to explain), added
    before the strategy is approved."""
    added = services.indicator_create(
        result=tree["o1"], by=evaluator, text_en="Maintenance funds opened", measure="unit"
    )
    services.strategy_approve(strategy=strategy, by=committee)
    return added


def test_locking_is_refused_while_actuals_await_approval_naming_them(
    second_indicator, indicator, periods, focal, evaluator
):
    period = periods[0]
    report(indicator, period, focal, "20")
    report(second_indicator, period, focal, "3")
    report(indicator, periods[1], focal, "30")  # another period: not counted
    report(second_indicator, period, focal, "4", submit=False)  # a draft awaits nothing

    with pytest.raises(ServiceError) as caught:
        services.period_lock(period=period, by=evaluator)

    assert caught.value.message == (
        f"2 actuals of {period.name} await approval (indicators 1110.1, 1111.1): "
        "approve or return them before locking the period."
    )
    period.refresh_from_db()
    assert (period.locked, period.locked_by) == (False, None)


def test_locking_names_one_indicator_once_for_one_actual(
    approved, indicator, periods, focal, evaluator
):
    report(indicator, periods[0], focal, "20")
    with pytest.raises(ServiceError) as caught:
        services.period_lock(period=periods[0], by=evaluator)
    assert caught.value.message == (
        f"1 actual of {periods[0].name} awaits approval (indicator 1110.1): "
        "approve or return it before locking the period."
    )


def test_a_period_locks_once_its_actuals_are_approved_or_returned(
    second_indicator, indicator, periods, focal, evaluator
):
    period = periods[0]
    services.actual_approve(update=report(indicator, period, focal, "20"), by=evaluator)
    services.actual_return(
        update=report(second_indicator, period, focal, "3"), by=evaluator, comment="Source?"
    )
    services.period_lock(period=period, by=evaluator)
    period.refresh_from_db()
    assert period.locked and period.locked_by == evaluator


def test_the_lock_button_shows_why_it_refused_and_the_period_stays_open(
    client, approved, indicator, periods, focal, evaluator
):
    period = periods[1]
    update = report(indicator, period, focal, "30")
    client.force_login(evaluator)

    response = client.post(reverse("results:period_lock", args=[period.pk]), follow=True)

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        f"1 actual of {period.name} awaits approval (indicator 1110.1): "
        "approve or return it before locking the period." in text
    )
    assert f"Period {period.name} locked." not in text
    period.refresh_from_db()
    assert not period.locked
    client.post(reverse("results:actual_approve", args=[update.pk]), {"comment": ""})
    update.refresh_from_db()
    assert update.state == ActualState.APPROVED
