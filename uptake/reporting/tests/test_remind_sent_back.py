"""The daily digest tells a focal point what was sent back to their units, even when nothing
is due: a returned update, a refused revised date."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action
from uptake.followup import services as followup
from uptake.followup.models import DateRevision
from uptake.reporting.tests.test_remind import (
    _parts,
    smtp,  # noqa: F401 (a fixture, read by `inbox`)
)

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

BASE = "https://uptake.example.org"  # the smtp fixture's UPTAKE_BASE_URL


@pytest.fixture
def inbox(request):
    """The messages the real SMTP listener of `test_remind` (its `smtp` fixture) receives."""
    return request.getfixturevalue("smtp")


@pytest.fixture
def prs_action(outsider, evaluator, committee, units) -> Action:
    """The one action of the PRS unit (outsider's), due in 2030: nothing due soon, nothing
    overdue, and no round open."""
    outsider.email = "outsider@example.org"
    outsider.save()
    evaluation = evaluations.evaluation_create(by=evaluator, title_en="Evaluation of planning")
    rec = evaluations.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Plan better."
    )
    response = evaluations.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Yes."
    )
    action = evaluations.action_create(
        response=response, by=evaluator, text="Publish the planning guide.",
        target_date_text="June 2030", deliverable="Guide",
    )  # fmt: skip
    evaluations.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    evaluations.evaluation_approve_response(evaluation=evaluation, by=committee)
    return action


def _remind() -> None:
    call_command("remind", stdout=io.StringIO())


def test_a_returned_update_alone_brings_a_digest_naming_the_comment(
    inbox, prs_action, outsider, evaluator
):
    update = followup.update_submit(
        action=prs_action, by=outsider, status="in_progress", narrative="Drafted."
    )
    followup.update_return(update=update, by=evaluator, comment="Attach the draft guide.")

    _remind()

    [message] = inbox.messages
    assert message["To"] == "outsider@example.org"
    text, html = _parts(message)
    link = f"{BASE}{reverse('followup:update_create', args=[prs_action.pk])}"
    for part in (text, html):
        assert "Publish the planning guide." in part
        assert "Attach the draft guide." in part
        assert link in part
    assert "SENT BACK TO YOU" in text
    assert "<h2>Sent back to you (1)</h2>" in html


def test_a_refused_date_alone_brings_a_digest_with_the_date_asked_and_the_comment(
    inbox, prs_action, outsider, committee
):
    update = followup.update_submit(
        action=prs_action, by=outsider, status="in_progress", narrative="Slow.",
        revised_date_text="2031", revised_date_justification="Printing delays.",
    )  # fmt: skip
    followup.revision_reject(
        revision=DateRevision.objects.get(update=update), by=committee, comment="Print fewer."
    )

    _remind()

    [message] = inbox.messages
    text, html = _parts(message)
    for part in (text, html):
        assert "“2031”" in part
        assert "Print fewer." in part
        assert f"{BASE}{prs_action.get_absolute_url()}" in part


def test_nothing_sent_back_and_nothing_due_sends_no_digest(inbox, prs_action, outsider):
    followup.update_submit(action=prs_action, by=outsider, status="in_progress", narrative="Ok.")

    _remind()

    assert inbox.messages == []
