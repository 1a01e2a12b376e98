"""Closing a recommendation: as implemented once its actions are validated, or by decision."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from uptake.evaluations.models import Action, Recommendation, RecommendationStatus
from uptake.followup import services as followup
from uptake.followup.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def rec(approved_evaluation) -> Recommendation:
    return approved_evaluation.recommendations.get()


def close_url(rec) -> str:
    return reverse("evaluations:recommendation_close", args=[rec.pk])


def validate_every_action(rec, focal, evaluator) -> None:
    for action in Action.objects.filter(response__recommendation=rec):
        followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    for update in ProgressUpdate.objects.all():
        followup.update_validate(update=update, by=evaluator)


def test_the_page_lists_the_actions_and_their_status(client, evaluator, rec):
    client.force_login(evaluator)

    text = page(client.get(close_url(rec)))

    assert "Close recommendation 1" in text
    assert "Revise the design template." in text
    assert "Train water boards." in text
    assert "Not started" in text


def test_implemented_is_refused_while_actions_are_open(client, evaluator, rec):
    client.force_login(evaluator)

    response = client.post(close_url(rec), {"reason": "implemented"})

    assert response.status_code == 200
    assert "2 actions are not yet validated." in page(response)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_implemented_is_accepted_once_every_action_is_validated(
    client, evaluator, focal, rec, approved_evaluation
):
    validate_every_action(rec, focal, evaluator)
    client.force_login(evaluator)

    response = client.post(close_url(rec), {"reason": "implemented"}, follow=True)

    assert "Recommendation 1 closed." in page(response)
    assert '<span class="badge closed">Implemented</span>' in page(response)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED
    assert rec.closure_reason == "implemented"
    assert rec.closed_by == evaluator


def test_the_committee_closes_by_decision_with_a_note(client, committee, rec):
    client.force_login(committee)

    response = client.post(
        close_url(rec),
        {"reason": "partly_implemented", "note": "Funding ended; the template was revised."},
        follow=True,
    )

    text = page(response)
    assert "Closed by decision: partly implemented" in text
    assert "Funding ended; the template was revised." in text
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED
    assert rec.closure_reason == "partly_implemented"
    assert rec.closed_by == committee


def test_a_decision_without_a_note_is_refused(client, committee, rec):
    client.force_login(committee)

    response = client.post(close_url(rec), {"reason": "superseded", "note": ""})

    assert response.status_code == 200
    assert "Record the reason for this decision." in page(response)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_an_evaluator_choosing_a_decision_gets_the_error_on_the_form(client, evaluator, rec):
    client.force_login(evaluator)

    response = client.post(
        close_url(rec), {"reason": "no_longer_applicable", "note": "The program ended."}
    )

    assert response.status_code == 200
    text = page(response)
    assert "Only the committee closes a recommendation by decision." in text
    assert "The program ended.</textarea>" in text
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_the_committee_reopens_with_a_reason(client, committee, rec):
    client.force_login(committee)
    client.post(close_url(rec), {"reason": "superseded", "note": "A new plan replaces it."})

    response = client.post(
        reverse("evaluations:recommendation_reopen", args=[rec.pk]),
        {"comment": "The new plan was cancelled."},
        follow=True,
    )

    assert "Recommendation 1 reopened." in page(response)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN
