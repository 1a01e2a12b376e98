"""The API applies the evaluation form's rules: a period of years, no approval date to come."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Evaluation


def test_creating_with_a_period_that_is_not_years_is_a_400_on_that_field(api_as, evaluator):
    response = api_as(evaluator).post(
        "/api/v1/evaluations/",
        {"title_en": "Evaluation of a school program", "period": "last year-ish"},
        format="json",
    )

    assert response.status_code == 400
    [message] = response.json()["errors"]["period"]
    assert "“last year-ish” is not a period Uptake understands" in message
    assert not Evaluation.objects.filter(title_en="Evaluation of a school program").exists()


def test_creating_with_a_future_approval_date_is_a_400_on_that_field(api_as, evaluator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_as(evaluator).post(
        "/api/v1/evaluations/",
        {"title_en": "Evaluation of a school program", "approval_date": tomorrow.isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["approval_date"] == [
        f"The approval date {tomorrow.isoformat()} is in the future: give the day the "
        "evaluation was approved."
    ]
    assert not Evaluation.objects.filter(title_en="Evaluation of a school program").exists()


def test_a_patch_is_checked_too_and_a_refused_one_changes_nothing(
    api_as, evaluator, draft_evaluation
):
    client = api_as(evaluator)
    url = f"/api/v1/evaluations/{draft_evaluation.pk}/"
    version = draft_evaluation.version

    refused = client.patch(url, {"version": version, "period": "2019-20 to 2015-16"}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["period"]
    fresh = Evaluation.objects.get(pk=draft_evaluation.pk)
    assert (fresh.period, fresh.version) == (draft_evaluation.period, version)

    saved = client.patch(url, {"version": version, "period": " 2015-16 – 2019-20 "}, format="json")

    assert saved.status_code == 200
    assert Evaluation.objects.get(pk=draft_evaluation.pk).period == "2015-16 – 2019-20"


def test_the_service_refuses_for_every_caller_naming_the_field(evaluator):
    with pytest.raises(ServiceError) as period:
        services.evaluation_create(by=evaluator, title_en="An evaluation", period="soon")
    with pytest.raises(ServiceError) as approval:
        services.evaluation_create(
            by=evaluator, title_en="An evaluation", approval_date=datetime.date(2099, 1, 1)
        )

    assert (period.value.field, approval.value.field) == ("period", "approval_date")
    assert not Evaluation.objects.filter(title_en="An evaluation").exists()
