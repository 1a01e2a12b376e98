"""The quality check asks each response for what its agreement calls for, and warns, without
blocking, about target dates that have already passed."""

from __future__ import annotations

import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation, EvaluationState
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db

REVIEW_HEADING = "To review before approval"
NO_COMMITMENT = "The response states no commitment."


def page(response) -> str:
    return html.unescape(response.content.decode())


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def plan(evaluator, units, *target_dates: str) -> Evaluation:
    """One recommendation that HWP agrees with, one complete action per date in TARGET_DATES."""
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of road upkeep")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Fund road upkeep."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
        commitment="The program will fund upkeep.",
    )  # fmt: skip
    for index, text in enumerate(target_dates, start=1):
        services.action_create(
            response=response, by=evaluator, text=f"Step {index} of the upkeep plan.",
            target_date_text=text, deliverable="Report",
        )  # fmt: skip
    return evaluation


def quality_check(client, evaluation) -> str:
    response = client.get(reverse("evaluations:quality_check", args=[evaluation.pk]))
    assert response.status_code == 200
    return page(response)


# Agreement ---------------------------------------------------------------------------------


def add_response(evaluator, units, evaluation, agreement, commitment="", rationale=""):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="2", statement="Close the old depot."
    )
    return services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement=agreement,
        commitment=commitment, rationale=rationale,
    )  # fmt: skip


def test_a_disagreeing_response_with_its_reason_needs_no_commitment_nor_actions(
    client, evaluator, units
):
    future = f"March {timezone.localdate().year + 3}"
    evaluation = plan(evaluator, units, future)
    add_response(
        evaluator, units, evaluation, "disagree", rationale="The depot serves two regions."
    )
    client.force_login(evaluator)

    text = quality_check(client, evaluation)

    assert "Nothing is missing." in text
    assert NO_COMMITMENT not in text
    submitted = client.post(reverse("evaluations:submit", args=[evaluation.pk]))
    assert submitted.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.RESPONSE_SUBMITTED


def test_a_response_agreeing_in_part_needs_both_its_reason_and_a_commitment(
    client, evaluator, units
):
    evaluation = plan(evaluator, units, "Ongoing")
    response = add_response(
        evaluator, units, evaluation, "partially_agree", rationale="Only one depot can close."
    )
    services.action_create(
        response=response, by=evaluator, text="Close the northern depot.",
        target_date_text="Ongoing", deliverable="Closure notice",
    )  # fmt: skip
    client.force_login(evaluator)

    text = quality_check(client, evaluation)

    assert f"Recommendation 2, PRS</a>: {NO_COMMITMENT}" in text
    assert "gives no reason" not in text


def _published_with_a_disagreement(evaluator, committee, units) -> str:
    """The address (slug) of a published response whose second recommendation PRS disagrees
    with, giving its reason, without commitment or actions."""
    future = f"March {timezone.localdate().year + 3}"
    evaluation = plan(evaluator, units, future)
    add_response(
        evaluator, units, evaluation, "disagree", rationale="The depot serves two regions."
    )
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    return publication_publish(evaluation=evaluation, by=evaluator).slug


@pytest.mark.parametrize("name", ["public:response", "public:pdf", "public:docx"])
def test_the_published_response_shows_a_disagreement_without_empty_headings(
    client, evaluator, committee, units, name
):
    slug = _published_with_a_disagreement(evaluator, committee, units)
    with translation.override("en"):
        address = reverse(name, args=[slug])

    response = client.get(address)

    assert response.status_code == 200
    if name == "public:pdf":
        pages = PdfReader(io.BytesIO(response.content)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
    elif name == "public:docx":
        text = " ".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    else:
        text = text_of(response.content.decode())
    agreeing, disagreeing = text.split("Recommendation 2: Close the old depot.")
    assert "Commitments" in agreeing and "Actions" in agreeing
    assert "Disagrees" in disagreeing
    assert "The depot serves two regions." in disagreeing
    for heading in ("Commitments", "Actions", "Responsibility centre", "Target completion date"):
        assert heading not in disagreeing, heading


# Past target dates -------------------------------------------------------------------------


def test_a_past_target_date_is_a_warning_naming_the_action_and_its_date(client, evaluator, units):
    year = timezone.localdate().year - 2
    evaluation = plan(evaluator, units, f"March {year}")
    client.force_login(evaluator)

    text = quality_check(client, evaluation)

    assert REVIEW_HEADING in text
    assert (
        f"Recommendation 1, HWP, action 1</a>: The target date “March {year}” "
        f"({datetime.date(year, 3, 31).isoformat()}) has already passed: approving the response "
        "makes this action overdue at once."
    ) in text
    # A warning, not a problem: the response can still go for approval.
    assert "Nothing is missing." in text
    assert f'action="{reverse("evaluations:submit", args=[evaluation.pk])}"' in text
    assert "disabled" not in text


def test_a_past_target_date_does_not_block_the_submission(client, evaluator, units):
    evaluation = plan(evaluator, units, f"March {timezone.localdate().year - 2}")
    client.force_login(evaluator)

    response = client.post(reverse("evaluations:submit", args=[evaluation.pk]), follow=True)

    assert "The response was sent to the committee for approval." in page(response)
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.RESPONSE_SUBMITTED


def test_the_warning_is_shown_beside_the_problems_on_the_response_page(client, evaluator, units):
    year = timezone.localdate().year - 2
    evaluation = plan(evaluator, units, f"March {year}", "when funds allow")
    client.force_login(evaluator)

    text = page(client.get(reverse("evaluations:detail", args=[evaluation.pk])))

    assert "1 problem must be fixed" in text
    assert REVIEW_HEADING in text
    assert f"The target date “March {year}”" in text
    assert "The target date “when funds allow” is not a date Uptake can follow." in text


def test_future_and_ongoing_target_dates_raise_no_warning(client, evaluator, units):
    evaluation = plan(evaluator, units, f"March {timezone.localdate().year + 3}", "Ongoing")
    client.force_login(evaluator)

    text = quality_check(client, evaluation)

    assert "Nothing is missing." in text
    assert REVIEW_HEADING not in text
    assert "has already passed" not in text


def test_an_approved_response_is_no_longer_warned_about(client, evaluator, committee, units):
    evaluation = plan(evaluator, units, f"March {timezone.localdate().year - 2}")
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    client.force_login(evaluator)

    for name in ("evaluations:quality_check", "evaluations:detail"):
        text = page(client.get(reverse(name, args=[evaluation.pk])))
        assert REVIEW_HEADING not in text, name
