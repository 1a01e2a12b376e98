"""The committee approves or returns a submitted response from its page."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation, EvaluationState

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def submitted(draft_evaluation, evaluator) -> Evaluation:
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    draft_evaluation.refresh_from_db()
    return draft_evaluation


def test_the_committee_sees_the_decision_buttons(client, committee, submitted):
    client.force_login(committee)

    text = page(client.get(reverse("evaluations:detail", args=[submitted.pk])))

    assert "Approve the response" in text
    assert "Return for changes" in text
    assert f'formaction="{reverse("evaluations:approve", args=[submitted.pk])}"' in text
    assert f'formaction="{reverse("evaluations:return", args=[submitted.pk])}"' in text


def test_others_do_not_see_the_decision_buttons(client, evaluator, viewer, submitted):
    for user in (evaluator, viewer):
        client.force_login(user)
        text = page(client.get(reverse("evaluations:detail", args=[submitted.pk])))
        assert "Approve the response" not in text


def test_the_committee_approves_with_a_comment(client, committee, submitted):
    client.force_login(committee)

    response = client.post(
        reverse("evaluations:approve", args=[submitted.pk]),
        {"comment": "Sound plan."},
        follow=True,
    )

    text = page(response)
    assert "Response approved: its actions are now followed up." in text
    assert "Committee's comment" in text
    assert "Sound plan." in text
    submitted.refresh_from_db()
    assert submitted.state == EvaluationState.RESPONSE_APPROVED
    assert submitted.approval_comment == "Sound plan."


def test_the_committee_returns_with_a_comment(client, committee, submitted):
    client.force_login(committee)

    response = client.post(
        reverse("evaluations:return", args=[submitted.pk]),
        {"comment": "Name a deliverable for the training."},
        follow=True,
    )

    assert "Response returned to the evaluation unit." in page(response)
    assert "Name a deliverable for the training." in page(response)
    submitted.refresh_from_db()
    assert submitted.state == EvaluationState.RESPONSE_IN_PREPARATION


def test_returning_without_a_comment_is_refused(client, committee, submitted):
    client.force_login(committee)

    response = client.post(
        reverse("evaluations:return", args=[submitted.pk]), {"comment": "  "}, follow=True
    )

    text = page(response)
    assert "Say what must change before the response can be approved." in text
    assert "Response returned" not in text
    submitted.refresh_from_db()
    assert submitted.state == EvaluationState.RESPONSE_SUBMITTED


def test_approving_twice_says_it_is_no_longer_awaiting(client, committee, approved_evaluation):
    client.force_login(committee)

    response = client.post(
        reverse("evaluations:approve", args=[approved_evaluation.pk]), follow=True
    )

    # Who approved it first, and when, from its history: here the same member, earlier.
    approved_at = approved_evaluation.history.order_by("-history_date").first().history_date
    when = timezone.localtime(approved_at).strftime("%Y-%m-%d %H:%M")
    assert (
        "Only a response awaiting approval can be approved: this one has been "
        f"“Response approved” since {when} ({committee})."
    ) in page(response)
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.RESPONSE_APPROVED
