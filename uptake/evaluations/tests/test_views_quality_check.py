"""The quality check lists what is missing and blocks submission until the list is clear."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation, EvaluationState

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def flawed_evaluation(draft_evaluation, evaluator, units) -> Evaluation:
    """The draft, plus a recommendation nobody answered and an action with a vague date and
    no deliverable."""
    services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="Publish budgets."
    )
    response = draft_evaluation.recommendations.get(number="1").responses.get()
    services.action_create(
        response=response, by=evaluator, text="Visit every board.",
        target_date_text="when funds allow",
    )  # fmt: skip
    return draft_evaluation


def test_it_lists_each_problem(client, evaluator, flawed_evaluation):
    client.force_login(evaluator)

    response = client.get(reverse("evaluations:quality_check", args=[flawed_evaluation.pk]))

    assert response.status_code == 200
    text = page(response)
    assert "3 problems must be fixed before the response can go for approval" in text
    assert "Recommendation 2</a>: No unit has responded to it." in text
    assert (
        "Recommendation 1, HWP, action 3</a>: The target date “when funds allow” is not a date"
        in text
    )
    assert "Recommendation 1, HWP, action 3</a>: No deliverable or evidence is named." in text


def test_the_submit_button_is_disabled_while_problems_remain(client, evaluator, flawed_evaluation):
    client.force_login(evaluator)

    text = page(client.get(reverse("evaluations:quality_check", args=[flawed_evaluation.pk])))

    assert (
        '<button type="button" disabled aria-disabled="true">Submit for approval</button>' in text
    )
    assert reverse("evaluations:submit", args=[flawed_evaluation.pk]) not in text


def test_submitting_with_problems_changes_nothing_and_says_why(
    client, evaluator, flawed_evaluation
):
    client.force_login(evaluator)

    response = client.post(reverse("evaluations:submit", args=[flawed_evaluation.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "evaluations:quality_check", args=[flawed_evaluation.pk]
    )
    assert "The response cannot go for approval yet: 3 problems remain." in page(response)
    flawed_evaluation.refresh_from_db()
    assert flawed_evaluation.state == EvaluationState.RESPONSE_IN_PREPARATION


def test_a_clean_response_offers_the_submit_button(client, evaluator, draft_evaluation):
    client.force_login(evaluator)

    text = page(client.get(reverse("evaluations:quality_check", args=[draft_evaluation.pk])))

    assert "Nothing is missing." in text
    assert f'action="{reverse("evaluations:submit", args=[draft_evaluation.pk])}"' in text
    assert "disabled" not in text


def test_submitting_a_clean_response_sends_it_to_the_committee(client, evaluator, draft_evaluation):
    client.force_login(evaluator)

    response = client.post(reverse("evaluations:submit", args=[draft_evaluation.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "evaluations:detail", args=[draft_evaluation.pk]
    )
    assert "The response was sent to the committee for approval." in page(response)
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.state == EvaluationState.RESPONSE_SUBMITTED


def test_the_detail_page_shows_the_same_problems(client, evaluator, flawed_evaluation):
    client.force_login(evaluator)

    text = page(client.get(reverse("evaluations:detail", args=[flawed_evaluation.pk])))

    assert "3 problems must be fixed" in text
    assert "No unit has responded to it." in text
