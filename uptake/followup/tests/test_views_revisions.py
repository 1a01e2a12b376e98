"""The committee's approval queue: submitted responses and revised dates awaiting a decision."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, RevisionDecision

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

QUEUE = reverse("followup:approval_queue")


def page(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def revision(action, focal) -> DateRevision:
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut for months.",
    )  # fmt: skip
    return DateRevision.objects.get()


def test_it_lists_submitted_responses(client, committee, evaluator, units, approved_evaluation):
    submitted = services.evaluation_create(by=evaluator, title_en="Evaluation of a road program")
    rec = services.recommendation_create(
        evaluation=submitted, by=evaluator, number="1", statement="Fix roads."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Yes."
    )
    services.action_create(
        response=response, by=evaluator, text="Fix.", target_date_text="2030", deliverable="Road"
    )
    services.evaluation_submit_for_approval(evaluation=submitted, by=evaluator)
    client.force_login(committee)

    text = page(client.get(QUEUE))

    assert f'<a href="{submitted.get_absolute_url()}">Evaluation of a road program</a>' in text
    # Already approved: not awaiting anything.
    assert "Evaluation of a water program" not in text


def test_it_lists_pending_revised_dates(client, committee, revision):
    client.force_login(committee)

    text = visible(client.get(QUEUE))

    assert "Revise the design template." in text
    assert "Evaluation of a water program · HWP" in text
    assert "focal asks to move “June 2021” to “March 2027”." in text
    assert "Roads were cut for months." in text


def test_a_second_delay_names_the_date_in_force_not_the_first_one(
    client, committee, focal, revision, action
):
    followup.revision_approve(revision=revision, by=committee)
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Still cut.",
        revised_date_text="December 2027", revised_date_justification="A second flood.",
    )  # fmt: skip
    client.force_login(committee)

    text = visible(client.get(QUEUE))

    assert (
        "focal asks to move the date again: from “March 2027” (first planned as “June 2021”) "
        "to “December 2027”."
    ) in text
    assert "to move “June 2021”" not in text


def test_each_request_is_a_named_group_its_buttons_refer_to(client, committee, revision):
    """A screen reader reaches "Refuse" with the action it decides, not a bare button."""
    client.force_login(committee)

    text = page(client.get(QUEUE))

    name = f"revision-{revision.pk}"
    assert f'<article class="queue-item" aria-labelledby="{name}">' in text
    assert re.search(rf'<a id="{name}" href="[^"]+">Revise the design template.</a>', text)
    # The buttons are described by the action and by the sentence naming the dates decided.
    move = re.search(rf'<p id="{name}-move">([^<]*)</p>', text)
    assert move and "asks to move “June 2021” to “March 2027”." in move.group(1)
    for button in ("Approve the new date", "Refuse"):
        assert re.search(
            rf'<button [^>]*aria-describedby="{name} {name}-move">{button}</button>', text
        )


def test_an_empty_queue_says_so(client, committee):
    client.force_login(committee)

    text = page(client.get(QUEUE))

    assert "No response awaits approval." in text
    assert "No revised date awaits a decision." in text


def test_approving_moves_the_due_date_and_keeps_the_original(
    client, committee, viewer, revision, action
):
    client.force_login(committee)

    response = client.post(
        reverse("followup:revision_approve", args=[revision.pk]),
        {"comment": "Agreed."},
        follow=True,
    )

    assert "Revised date approved." in page(response)
    assert "No revised date awaits a decision." in page(response)
    action.refresh_from_db()
    revision.refresh_from_db()
    assert str(action.due_date) == "2027-03-31"
    assert str(action.original_due_date) == "2021-06-30"
    assert action.target_date_text == "June 2021"
    assert revision.decision == RevisionDecision.APPROVED
    assert revision.decided_by == committee

    client.force_login(viewer)
    text = visible(client.get(reverse("followup:action", args=[action.pk])))
    assert "Target completion date (approved) June 2021 (2021-06-30)" in text
    assert "Current due date 2027-03-31 revised" in text
    assert "March 2027 (2027-03-31) focal," in text


def test_refusing_needs_a_comment(client, committee, revision, action):
    client.force_login(committee)

    response = client.post(
        reverse("followup:revision_reject", args=[revision.pk]), {"comment": ""}, follow=True
    )

    assert "Say why the revised date is refused." in page(response)
    assert "Revised date refused." not in page(response)
    revision.refresh_from_db()
    assert revision.decision == RevisionDecision.PENDING


def test_refusing_with_a_comment_keeps_the_date(client, committee, viewer, revision, action):
    client.force_login(committee)

    response = client.post(
        reverse("followup:revision_reject", args=[revision.pk]),
        {"comment": "The roads reopened in May."},
        follow=True,
    )

    assert "Revised date refused." in page(response)
    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == RevisionDecision.REJECTED
    assert str(action.due_date) == "2021-06-30"
    client.force_login(viewer)
    text = visible(client.get(reverse("followup:action", args=[action.pk])))
    assert "Rejected — committee," in text
    assert "The roads reopened in May." in text
    assert "Current due date 2021-06-30" in text
    assert "Current due date 2021-06-30 revised" not in text


def test_a_long_list_of_submitted_responses_shows_the_oldest_and_links_to_all(
    client, committee, evaluator, units, monkeypatch
):
    from uptake.followup import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    titles = [f"Evaluation number {i}" for i in range(3)]
    for title in titles:
        evaluation = services.evaluation_create(by=evaluator, title_en=title)
        rec = services.recommendation_create(
            evaluation=evaluation, by=evaluator, number="1", statement="Do."
        )
        response = services.response_create(
            recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Y"
        )
        services.action_create(
            response=response, by=evaluator, text="Act.", target_date_text="2030",
            deliverable="Report",
        )  # fmt: skip
        services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    client.force_login(committee)

    text = visible(client.get(QUEUE))

    # Submitted first, shown first; the third waits behind the link.
    assert titles[0] in text and titles[1] in text
    assert titles[2] not in text
    assert "All 3 responses awaiting approval" in text
    link = reverse("evaluations:list") + "?state=response_submitted"
    assert f'href="{link}"' in client.get(QUEUE).content.decode()
    listed = visible(client.get(link))
    assert all(title in listed for title in titles)


def _request_block(text: str, action_text: str) -> str:
    """The queue item of the request about the action ACTION_TEXT."""
    items = re.split(r'<article class="queue-item"[^>]*>', text)[1:]
    return next(part for part in items if action_text in part)


def test_a_refusal_without_a_reason_is_shown_at_the_request_it_concerns(
    client, committee, focal, revision, action
):
    from uptake.evaluations.models import Action

    other = Action.objects.get(unit__code="QTO-DA")
    followup.update_submit(
        action=other, by=focal, status="in_progress", narrative="Boats broke down.",
        revised_date_text="June 2032", revised_date_justification="No river transport.",
    )  # fmt: skip
    second = DateRevision.objects.get(action=other)
    client.force_login(committee)

    response = client.post(
        reverse("followup:revision_reject", args=[second.pk]), {"comment": "   "}
    )

    assert response.status_code == 200
    text = page(response)
    concerned = _request_block(text, "Train water boards.")
    untouched = _request_block(text, "Revise the design template.")
    assert "Say why the revised date is refused." in concerned
    assert 'aria-invalid="true"' in concerned
    assert "Say why the revised date is refused." not in untouched
    # Under the comment box and in the summary at the top of that request's form: nowhere else.
    assert text.count("Say why the revised date is refused.") == 2
    assert concerned.count("Say why the revised date is refused.") == 2
    second.refresh_from_db()
    assert second.decision == RevisionDecision.PENDING


def test_deciding_a_request_already_decided_says_so_on_the_page(
    client, committee, revision, action
):
    followup.revision_approve(revision=revision, by=committee)
    client.force_login(committee)

    response = client.post(
        reverse("followup:revision_reject", args=[revision.pk]), {"comment": "Too late."}
    )

    assert response.status_code == 200
    decided_at = timezone.localtime(DateRevision.objects.get().decided_at)
    assert (
        "This revised date has already been decided: approved by "
        f"{committee} on {decided_at:%Y-%m-%d %H:%M}."
    ) in page(response)
    revision.refresh_from_db()
    assert revision.decision == RevisionDecision.APPROVED


def test_a_request_whose_date_has_passed_since_is_flagged(client, committee, revision):
    queue = reverse("followup:approval_queue")
    client.force_login(committee)
    flag = "has passed since it was asked for"

    assert flag not in page(client.get(queue))

    # Months went by before the committee met: the date asked for is now behind us.
    DateRevision.objects.filter(pk=revision.pk).update(
        requested_due_date=datetime.date(2026, 10, 31)
    )

    assert f"This date (2026-10-31) {flag}" in page(client.get(queue))


def test_the_queue_offers_no_decision_on_ones_own_request(client, admin_user, revision, action):
    from uptake.evaluations.models import Action

    other = Action.objects.get(unit__code="QTO-DA")
    followup.update_submit(
        action=other, by=admin_user, status="in_progress", narrative="Asked for the mission.",
        revised_date_text="June 2032", revised_date_justification="No river transport.",
    )  # fmt: skip
    mine = DateRevision.objects.get(action=other)
    client.force_login(admin_user)

    text = page(client.get(QUEUE))

    own = _request_block(text, "Train water boards.")
    assert "another member of the committee must decide it." in own
    assert reverse("followup:revision_approve", args=[mine.pk]) not in own
    assert "<button" not in own
    others = _request_block(text, "Revise the design template.")
    assert reverse("followup:revision_approve", args=[revision.pk]) in others

    refused = client.post(reverse("followup:revision_approve", args=[mine.pk]), follow=True)
    assert "another member of the committee must decide it." in page(refused)
    mine.refresh_from_db()
    assert mine.decision == RevisionDecision.PENDING
