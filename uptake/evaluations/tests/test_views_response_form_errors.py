"""The response form reports every problem at once and keeps what was typed."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from uptake.evaluations.models import Response

pytestmark = pytest.mark.django_db

UNKNOWN_UNIT = "No unit matches “Nonexistent Unit XYZ”."
NO_REASON = "A unit that agrees only in part or disagrees must give its reasons."


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def new_response_url(draft_evaluation) -> str:
    rec = draft_evaluation.recommendations.get(number="1")
    return reverse("evaluations:response_create", args=[rec.pk])


def test_an_unknown_unit_and_a_missing_reason_are_reported_together(
    client, evaluator, new_response_url
):
    client.force_login(evaluator)
    before = Response.objects.count()

    response = client.post(
        new_response_url,
        {
            "unit": "Nonexistent Unit XYZ",
            "agreement": "partially_agree",
            "commitment": "The unit will fund half.",
            "rationale": "",
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert UNKNOWN_UNIT in text
    assert NO_REASON in text
    assert 'value="Nonexistent Unit XYZ"' in text
    assert "The unit will fund half.</textarea>" in text
    assert Response.objects.count() == before


@pytest.mark.parametrize("agreement", ["partially_agree", "disagree"])
def test_a_missing_reason_is_reported_on_the_rationale_for_a_known_unit(
    client, evaluator, new_response_url, agreement
):
    client.force_login(evaluator)
    before = Response.objects.count()

    response = client.post(new_response_url, {"unit": "PRS", "agreement": agreement})

    assert response.status_code == 200
    assert NO_REASON in page(response)
    assert Response.objects.count() == before


def test_a_unit_that_agrees_is_saved_without_a_reason(client, evaluator, new_response_url):
    client.force_login(evaluator)

    response = client.post(
        new_response_url, {"unit": "PRS", "agreement": "agree", "commitment": "It agrees."}
    )

    assert response.status_code == 302
    assert Response.objects.get(unit__code="PRS").rationale == ""
