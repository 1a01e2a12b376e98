"""The update form: a unit reports progress, claims completion, adds links, asks for a date."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from conftest import field_errors
from uptake.evaluations.models import ActionStatus, EvaluationState
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate, ReviewState

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def update_url(action) -> str:
    return reverse("followup:update_create", args=[action.pk])


def test_the_form_shows_the_action_and_its_current_state(client, focal, action):
    client.force_login(focal)

    response = client.get(update_url(action))

    assert response.status_code == 200
    text = page(response)
    assert "Report progress" in text
    assert "Revise the design template." in text
    assert "Not started" in text
    assert 'enctype="multipart/form-data"' in text


def test_a_progress_report_is_recorded_and_shown(client, focal, action, approved_evaluation):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {"status": "in_progress", "narrative": "Consultant hired."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("followup:action", args=[action.pk])
    text = page(response)
    assert "Update recorded. The evaluation unit will review it." in text
    assert "Consultant hired." in text
    update = ProgressUpdate.objects.get()
    assert update.author == focal
    assert update.review_state == ReviewState.PENDING
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == EvaluationState.IN_FOLLOW_UP


def test_a_completion_claim_awaits_validation(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {"status": "completed", "narrative": "Template revised and adopted."},
        follow=True,
    )

    text = page(response)
    assert "Completed (awaiting validation)" in text
    assert "days late" not in text  # a claimed action stops the overdue clock
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED


def test_evidence_links_are_saved_and_shown(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {
            "status": "in_progress",
            "narrative": "Draft shared.",
            "links": "https://example.org/draft First draft\nhttps://example.org/minutes",
        },
        follow=True,
    )

    text = page(response)
    assert '<a href="https://example.org/draft" rel="noopener noreferrer">First draft</a>' in text
    assert (
        '<a href="https://example.org/minutes" rel="noopener noreferrer">'
        "https://example.org/minutes</a>" in text
    )
    saved = list(Evidence.objects.order_by("id").values_list("url", "label"))
    assert saved == [
        ("https://example.org/draft", "First draft"),
        ("https://example.org/minutes", ""),
    ]


def test_a_link_that_is_not_a_web_address_is_named_and_the_narrative_kept(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {"status": "in_progress", "narrative": "Draft shared.", "links": "shared-drive/draft.docx"},
    )

    assert response.status_code == 200
    text = page(response)
    assert "“shared-drive/draft.docx” is not a web address" in text
    assert "Draft shared.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_missing_narrative_is_refused(client, focal, action):
    client.force_login(focal)

    response = client.post(update_url(action), {"status": "completed", "narrative": ""})

    assert response.status_code == 200
    assert "This field is required." in page(response)
    assert ProgressUpdate.objects.count() == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_a_revised_date_request_is_recorded(client, focal, action, asked_on_written_day):
    client.force_login(focal)

    client.post(
        update_url(action),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "revised_date_text": "March 2027",
            "revised_date_justification": "Roads were cut.",
        },
    )

    revision = DateRevision.objects.get()
    assert revision.requested_text == "March 2027"
    assert str(revision.requested_due_date) == "2027-03-31"
    assert revision.requested_by == focal
    action.refresh_from_db()
    assert str(action.due_date) == "2021-06-30"  # unchanged until the committee decides


def test_a_revised_date_without_justification_is_refused_and_kept(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {"status": "in_progress", "narrative": "Floods.", "revised_date_text": "March 2027"},
    )

    text = page(response)
    assert "Explain why the target date must move." in text
    assert 'value="March 2027"' in text
    assert "Floods.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    assert DateRevision.objects.count() == 0


def test_an_unreadable_revised_date_is_named(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "revised_date_text": "February 30, 2027",
            "revised_date_justification": "Roads were cut.",
        },
    )

    assert "“February 30, 2027” is not a real calendar date." in page(response)
    assert DateRevision.objects.count() == 0


def test_a_validated_action_takes_no_more_updates(client, focal, evaluator, action):
    client.force_login(focal)
    client.post(update_url(action), {"status": "completed", "narrative": "Done."})
    client.force_login(evaluator)
    client.post(reverse("followup:update_validate", args=[ProgressUpdate.objects.get().pk]))
    client.force_login(focal)

    response = client.post(update_url(action), {"status": "in_progress", "narrative": "More."})

    assert "This action is validated: no more updates are taken." in page(response)
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (ActionStatus.CANCELLED, "This action is cancelled: no more updates are taken."),
        (ActionStatus.SUPERSEDED, "This action is superseded: no more updates are taken."),
    ],
)
def test_a_closed_action_says_so_when_the_update_page_opens_not_after_writing(
    client, focal, evaluator, action, status, said
):
    from uptake.evaluations import services as evaluations

    evaluations.action_withdraw(action=action, by=evaluator, status=status, reason="Replaced.")
    client.force_login(focal)

    response = client.get(update_url(action))

    assert response.status_code == 200
    text = page(response)
    assert said in text
    assert "<form" not in text.split("<main", 1)[1]  # nothing to fill in
    assert f'href="{action.get_absolute_url()}">Back to the action</a>' in text


def _error_of(text: str, field: str) -> str:
    """The error shown under FIELD, as the form template ties it to the field."""
    return " ".join(field_errors(text, field))


def test_a_revised_date_already_passed_is_refused_on_its_field_and_kept(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "revised_date_text": "January 2020",
            "revised_date_justification": "Roads were cut.",
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert _error_of(text, "revised_date_text") == (
        "“January 2020” has already passed: a revised date must be in the future."
    )
    assert 'value="January 2020"' in text
    assert "Roads were cut.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    assert DateRevision.objects.count() == 0


def test_a_reason_without_a_revised_date_is_refused_and_kept(client, focal, action):
    client.force_login(focal)

    response = client.post(
        update_url(action),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "revised_date_justification": "Roads were cut for months.",
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert _error_of(text, "revised_date_text") == (
        "You gave a reason for a new date but no new date: enter the revised date, "
        "or clear the reason."
    )
    assert "Roads were cut for months.</textarea>" in text
    assert "Floods.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def _card(text: str, update: ProgressUpdate) -> str:
    return text.split(f'id="update-{update.pk}"', 1)[1].split("</article>", 1)[0]


def _card_heading(text: str, update: ProgressUpdate) -> str:
    return re.search(r"<strong>([^<]*)</strong>", _card(text, update)).group(1)


@pytest.mark.parametrize(
    ("review", "state", "badge"),
    [("validate", "accepted", "Validated"), ("return", "returned", "Returned")],
)
def test_a_reviewed_completion_claim_no_longer_says_awaiting_validation(
    client, focal, evaluator, action, review, state, badge
):
    claim = followup.update_submit(
        action=action, by=focal, status="completed", narrative="Template adopted."
    )
    client.force_login(focal)
    pending = page(client.get(reverse("followup:action", args=[action.pk])))
    assert _card_heading(pending, claim) == "Completed (awaiting validation)"

    if review == "validate":
        followup.update_validate(update=claim, by=evaluator)
    else:
        followup.update_return(update=claim, by=evaluator, comment="Attach the template.")
    text = page(client.get(reverse("followup:action", args=[action.pk])))

    assert _card_heading(text, claim) == "Completed"
    assert f'<span class="badge review-{state}">{badge}</span>' in _card(text, claim)
    # The card only: the action's history rightly keeps the status the action had then.
    assert "awaiting validation" not in _card(text, claim)
