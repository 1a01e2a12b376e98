"""The evaluation form refuses a period that is not years and an approval date to come,
naming the problem on its field and keeping what was typed."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def new_evaluation(**typed: str) -> dict[str, str]:
    return {
        "title_en": "Evaluation of a school meals program",
        "evaluation_type": "program",
    } | typed


def test_a_period_that_is_not_years_is_refused_on_its_field_and_kept(client, evaluator):
    client.force_login(evaluator)

    response = client.post(reverse("evaluations:create"), new_evaluation(period="last year-ish"))

    assert response.status_code == 200
    assert not Evaluation.objects.filter(title_en__contains="school meals").exists()
    [error] = field_errors(response, "period")
    assert "“last year-ish” is not a period Uptake understands" in error
    assert error in page(response)
    assert 'value="last year-ish"' in page(response)
    assert 'value="Evaluation of a school meals program"' in page(response)


def test_an_approval_date_in_the_future_is_refused_and_kept(client, evaluator):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:create"), new_evaluation(approval_date="2099-01-01")
    )

    assert response.status_code == 200
    assert not Evaluation.objects.filter(title_en__contains="school meals").exists()
    assert field_errors(response, "approval_date") == [
        "The approval date 2099-01-01 is in the future: give the day the evaluation was approved."
    ]
    assert 'value="2099-01-01"' in page(response)


def test_both_problems_are_named_at_once(client, evaluator):
    client.force_login(evaluator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("evaluations:create"),
        new_evaluation(period="2018-19 to 2013-14", approval_date=tomorrow.isoformat()),
    )

    assert response.status_code == 200
    assert field_errors(response, "period") == [
        "The period ends before it starts: give the earlier year first."
    ]
    assert "is in the future" in field_errors(response, "approval_date")[0]


def test_a_period_of_fiscal_years_is_stored_as_typed_only_trimmed(client, evaluator):
    client.force_login(evaluator)
    today = timezone.localdate()

    response = client.post(
        reverse("evaluations:create"),
        new_evaluation(period="  2013-2014 à 2018-2019 ", approval_date=today.isoformat()),
    )

    evaluation = Evaluation.objects.get(title_en="Evaluation of a school meals program")
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    assert evaluation.period == "2013-2014 à 2018-2019"
    assert evaluation.approval_date == today


def test_editing_applies_the_same_rules_and_changes_nothing_when_refused(
    client, evaluator, draft_evaluation
):
    client.force_login(evaluator)
    url = reverse("evaluations:edit", args=[draft_evaluation.pk])
    before = Evaluation.objects.values("title_en", "period", "approval_date", "version").get(
        pk=draft_evaluation.pk
    )

    response = client.post(
        url,
        {
            "title_en": "A new title",
            "evaluation_type": "program",
            "period": "2015-17",
            "approval_date": "2099-01-01",
            "version": before["version"],
        },
    )

    assert response.status_code == 200
    assert "2015-17 is not a fiscal year" in field_errors(response, "period")[0]
    assert field_errors(response, "approval_date")
    assert 'value="2015-17"' in page(response)
    after = Evaluation.objects.values("title_en", "period", "approval_date", "version").get(
        pk=draft_evaluation.pk
    )
    assert after == before

    saved = client.post(
        url,
        {
            "title_en": "A new title",
            "evaluation_type": "program",
            "period": "2015 to 2020",
            "approval_date": "2021-03-31",
            "version": before["version"],
        },
    )

    assert saved.status_code == 302
    draft_evaluation.refresh_from_db()
    assert (draft_evaluation.title_en, draft_evaluation.period) == ("A new title", "2015 to 2020")
    assert draft_evaluation.approval_date == datetime.date(2021, 3, 31)
