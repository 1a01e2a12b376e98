"""A period locked while someone edits an indicator's targets: the page saves all periods or
none, says which periods were locked, and loses nothing the person typed.

Each case is the sequential form of the race: A opens the targets page, B locks a period, then
A sends the form A was shown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from uptake.accounts.models import Role
from uptake.errors import ServiceError
from uptake.results import services
from uptake.results.models import Indicator, Period, Result, Target

from .test_concurrent_edits import CONFLICT, edit_form, forms_on, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return make_user("colleague", Role.EVALUATION_UNIT)


def _url(indicator: Indicator) -> str:
    return reverse("results:targets_edit", args=[indicator.pk])


def _lock(period: Period, by: Any) -> None:
    services.period_lock(period=Period.objects.get(pk=period.pk), by=by)


def _saved(indicator: Indicator) -> dict[int, Decimal | None]:
    return dict(Target.objects.filter(indicator=indicator).values_list("period_id", "value"))


def _typed(periods: list[Period], values: tuple[str, ...]) -> dict[str, str]:
    return {f"period_{p.pk}": v for p, v in zip(periods, values, strict=True)}


def test_a_page_opened_before_a_lock_saves_nothing_names_the_period_and_keeps_the_typing(
    client: Client, evaluator, colleague, indicator, periods
):
    before = _saved(indicator)
    client.force_login(evaluator)
    data = edit_form(client, _url(indicator))
    _lock(periods[1], colleague)

    typed = _typed(periods, ("21", "31", "41"))
    response = client.post(_url(indicator), {**data, **typed})

    assert response.status_code == 200
    shown = text(response)
    assert (
        f"The period {periods[1].name} has been locked, so its target can no longer change: "
        "nothing was saved."
    ) in shown
    assert _saved(indicator) == before
    form = forms_on(response)[""]
    assert form[f"period_{periods[0].pk}"] == "21"
    assert form[f"period_{periods[2].pk}"] == "41"
    # The locked period's typing is shown beside its (read-only) field, for copying.
    assert f"You typed “31” for {periods[1].name}, which was locked meanwhile" in shown
    assert Decimal(form[f"period_{periods[1].pk}"]) == before[periods[1].pk]


def test_every_period_locked_meanwhile_is_named(
    client: Client, evaluator, colleague, indicator, periods
):
    before = _saved(indicator)
    client.force_login(evaluator)
    data = edit_form(client, _url(indicator))
    _lock(periods[0], colleague)
    _lock(periods[2], colleague)

    response = client.post(_url(indicator), {**data, **_typed(periods, ("1", "2", "3"))})

    assert response.status_code == 200
    assert (
        f"The periods {periods[0].name}, {periods[2].name} have been locked, so their targets "
        "can no longer change: nothing was saved."
    ) in text(response)
    assert _saved(indicator) == before


def test_the_refused_page_sent_again_saves_the_open_periods(
    client: Client, evaluator, colleague, indicator, periods
):
    client.force_login(evaluator)
    data = edit_form(client, _url(indicator))
    _lock(periods[1], colleague)
    refused = client.post(_url(indicator), {**data, **_typed(periods, ("21", "31", "41"))})

    response = client.post(_url(indicator), forms_on(refused)[""])

    assert response.status_code == 302
    assert _saved(indicator) == {
        periods[0].pk: Decimal("21"),
        periods[1].pk: Decimal("30"),
        periods[2].pk: Decimal("41"),
    }


def test_an_untouched_locked_period_does_not_stop_the_others(
    client: Client, evaluator, colleague, indicator, periods
):
    client.force_login(evaluator)
    data = edit_form(client, _url(indicator))
    _lock(periods[1], colleague)

    data[f"period_{periods[0].pk}"] = "22"
    response = client.post(_url(indicator), data)

    assert response.status_code == 302
    assert _saved(indicator)[periods[0].pk] == Decimal("22")
    assert _saved(indicator)[periods[1].pk] == Decimal("30")


def test_a_page_opened_after_the_lock_shows_the_period_read_only_and_saves_the_others(
    client: Client, evaluator, colleague, indicator, periods
):
    _lock(periods[1], colleague)
    client.force_login(evaluator)
    page = client.get(_url(indicator))
    data = forms_on(page)[""]
    field = f'name="period_{periods[1].pk}"'
    tag = next(t for t in page.content.decode().split("<") if field in t)
    assert "readonly" in tag
    assert "This period is locked." in text(page)

    data[f"period_{periods[2].pk}"] = "44"
    response = client.post(_url(indicator), data)

    assert response.status_code == 302
    assert _saved(indicator)[periods[2].pk] == Decimal("44")
    assert _saved(indicator)[periods[1].pk] == Decimal("30")


def test_a_locked_period_left_out_of_the_post_keeps_its_target(
    client: Client, evaluator, colleague, indicator, periods
):
    """A browser does not send a disabled field (pages rendered before read-only fields)."""
    client.force_login(evaluator)
    data = edit_form(client, _url(indicator))
    _lock(periods[1], colleague)
    del data[f"period_{periods[1].pk}"]
    data[f"period_{periods[0].pk}"] = "23"

    response = client.post(_url(indicator), data)

    assert response.status_code == 302
    assert _saved(indicator)[periods[0].pk] == Decimal("23")
    assert _saved(indicator)[periods[1].pk] == Decimal("30")


def test_targets_set_refuses_a_change_to_a_locked_period_and_saves_none(
    evaluator, colleague, indicator, periods
):
    before = _saved(indicator)
    _lock(periods[0], colleague)
    entries = [
        services.TargetEntry(period=periods[0], value=Decimal("25")),
        services.TargetEntry(period=periods[1], value=Decimal("35")),
    ]

    with pytest.raises(ServiceError) as refused:
        services.targets_set(indicator=indicator, by=evaluator, entries=entries)

    assert periods[0].name in refused.value.message
    assert _saved(indicator) == before


def test_targets_set_accepts_a_locked_period_given_its_stored_target(
    evaluator, colleague, indicator, periods
):
    _lock(periods[0], colleague)
    entries = [
        services.TargetEntry(period=periods[0], value=Decimal("20")),
        services.TargetEntry(period=periods[1], value=Decimal("35")),
    ]

    services.targets_set(indicator=indicator, by=evaluator, entries=entries)

    assert _saved(indicator)[periods[1].pk] == Decimal("35")
    assert _saved(indicator)[periods[0].pk] == Decimal("20")


def test_targets_set_refuses_words_changed_for_a_locked_period(
    evaluator, colleague, qualitative, periods
):
    stored = Target.objects.get(indicator=qualitative, period=periods[0]).text
    _lock(periods[0], colleague)
    same = services.TargetEntry(period=periods[0], text=f"  {stored} ")
    services.targets_set(indicator=qualitative, by=evaluator, entries=[same])

    with pytest.raises(ServiceError):
        services.targets_set(
            indicator=qualitative,
            by=evaluator,
            entries=[services.TargetEntry(period=periods[0], text=f"{stored} and more")],
        )
    assert Target.objects.get(indicator=qualitative, period=periods[0]).text == stored


# Renumbering: a result whose code changed refuses a form opened on its old code ------------


def test_a_form_opened_before_a_sibling_was_deleted_conflicts(
    client: Client, evaluator, colleague, tree
):
    second = tree["o2"]
    client.force_login(evaluator)
    url = reverse("results:result_edit", args=[second.pk])
    data = edit_form(client, url)
    services.result_delete(result=Result.objects.get(pk=tree["o1"].pk), by=colleague)
    assert Result.objects.get(pk=second.pk).code != second.code  # it was renumbered

    data["statement_en"] = "Reworded by A"
    response = client.post(url, data)

    assert CONFLICT % "result" in text(response)
    assert Result.objects.get(pk=second.pk).statement_en == second.statement_en


def test_a_form_opened_before_a_move_renumbered_its_result_conflicts(
    client: Client, evaluator, colleague, tree
):
    child = tree["m2"]  # under the second intermediate outcome
    client.force_login(evaluator)
    url = reverse("results:result_edit", args=[child.pk])
    data = edit_form(client, url)
    services.result_move(
        result=Result.objects.get(pk=tree["i2"].pk), new_parent=tree["u"], position=1, by=colleague
    )
    assert Result.objects.get(pk=child.pk).code != child.code

    data["statement_en"] = "Reworded by A"
    response = client.post(url, data)

    assert CONFLICT % "result" in text(response)
    assert Result.objects.get(pk=child.pk).statement_en == child.statement_en
