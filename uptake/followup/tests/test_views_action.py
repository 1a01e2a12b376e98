"""An action's page: its updates, their evidence, the ledger of dates, and who may report."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.followup import services as followup
from uptake.followup.models import DateRevision

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def action_url(action) -> str:
    return reverse("followup:action", args=[action.pk])


def test_it_shows_the_action_and_its_responsibility_centre(client, viewer, action):
    client.force_login(viewer)

    response = client.get(action_url(action))

    assert response.status_code == 200
    text = visible(response)
    assert "Revise the design template." in text
    assert "Responsibility centre Highland Water Program (HWP)" in text
    assert "Deliverable or evidence Template" in text
    assert "Target completion date (approved) June 2021 (2021-06-30)" in text


def test_it_shows_updates_with_their_evidence_links(client, viewer, focal, action):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Drafted the template.",
        links=[followup.EvidenceLink(url="https://example.org/draft", label="First draft")],
    )  # fmt: skip
    client.force_login(viewer)

    response = client.get(action_url(action))

    text = page(response)
    assert "Drafted the template." in text
    assert "reported by focal on" in text
    assert "Awaiting review" in text
    assert '<a href="https://example.org/draft" rel="noopener noreferrer">First draft</a>' in text


def test_the_ledger_shows_the_original_and_the_revised_date(
    client, viewer, focal, committee, action, asked_on_written_day
):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut for months.",
    )  # fmt: skip
    followup.revision_approve(
        revision=DateRevision.objects.get(), by=committee, comment="Agreed, given the floods."
    )
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    assert "June 2021 Approved plan — Original" in text
    assert "March 2027 (2027-03-31) focal," in text
    assert "Roads were cut for months. Approved — committee," in text
    assert "Agreed, given the floods." in text
    assert "Target completion date (approved) June 2021 (2021-06-30)" in text
    assert "Current due date 2027-03-31 revised" in text


def test_a_pending_revision_shows_as_awaiting_a_decision(
    client, viewer, focal, action, asked_on_written_day
):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut.",
    )  # fmt: skip
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    assert "March 2027 (2027-03-31)" in text
    assert "Awaiting decision" in text
    assert "Current due date 2021-06-30" in text


@pytest.mark.parametrize(
    ("who", "sees_button"),
    [
        ("focal", True),
        ("evaluator", True),
        ("admin_user", True),
        ("outsider", False),
        ("viewer", False),
        ("committee", False),
    ],
)
def test_the_report_progress_button_shows_only_for_those_who_may(
    client, request, action, who, sees_button
):
    client.force_login(request.getfixturevalue(who))

    text = page(client.get(action_url(action)))

    button = reverse("followup:update_create", args=[action.pk])
    assert (f'href="{button}"' in text) is sees_button
    assert ("Report progress" in text) is sees_button


def test_the_report_progress_button_is_hidden_on_a_validated_action(
    client, focal, evaluator, action
):
    update = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=update, by=evaluator)
    client.force_login(focal)

    text = page(client.get(action_url(action)))

    assert "Validated" in text
    assert "Report progress" not in text


def test_the_report_progress_button_is_hidden_before_approval(client, focal, draft_evaluation):
    action = draft_evaluation.recommendations.get().responses.get().actions.order_by("id").first()
    client.force_login(focal)

    text = page(client.get(action_url(action)))

    assert "Report progress" not in text


def test_it_shows_days_late(client, viewer, action):
    days = (timezone.localdate() - datetime.date(2021, 6, 30)).days
    client.force_login(viewer)

    assert f"{days} days late" in page(client.get(action_url(action)))
