"""The admin repairs data but cannot do what the workflow decides: statuses, states, dates and
closures stay with the services, and progress updates and date requests stay append-only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from uptake.evaluations.models import ActionStatus, Response
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, ProgressUpdate
from uptake.reporting import services as reporting
from uptake.reporting.models import FollowUpRound, ReminderLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_an_action_s_status_and_dates_cannot_be_changed_in_the_admin(client, admin_user, action):
    client.force_login(admin_user)
    before_status, before_due = action.status, action.due_date
    url = _change_url(action)
    form = client.get(url).content.decode()
    assert 'name="text"' in form  # a typo can still be mended
    for field in ("status", "due_date", "original_due_date", "target_date_text"):
        assert f'name="{field}"' not in form

    response = client.post(
        url,
        {
            "response": action.response_id, "position": action.position,
            "text": "Revise the design template (typo mended).", "unit": action.unit_id or "",
            "status": ActionStatus.VALIDATED, "original_due_date": "2030-01-01",
            "due_date": "2030-01-01", "target_date_text": "2030",
        },
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.text == "Revise the design template (typo mended)."
    assert (action.status, action.due_date) == (before_status, before_due)


def test_progress_updates_and_date_requests_are_read_only_in_the_admin(
    client, admin_user, action, focal
):
    update = followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut.",
    )  # fmt: skip
    revision = DateRevision.objects.get(update=update)
    client.force_login(admin_user)

    for obj in (update, revision):
        page = client.get(_change_url(obj)).content.decode()
        assert "Floods." in page or "March 2027" in page  # shown
        assert 'name="_save"' not in page
        assert client.post(_change_url(obj), {"narrative": "Rewritten."}).status_code == 403
    meta = ProgressUpdate._meta
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    update.refresh_from_db()
    assert update.narrative == "Floods."


def test_a_unit_s_agreement_and_what_it_answers_cannot_be_changed_in_the_admin(
    client, admin_user, approved_evaluation
):
    response = Response.objects.filter(recommendation__evaluation=approved_evaluation).first()
    before = (response.agreement, response.recommendation_id, response.unit_id)
    client.force_login(admin_user)
    form = client.get(_change_url(response)).content.decode()
    for field in ("agreement", "recommendation", "unit"):
        assert f'name="{field}"' not in form
    assert 'name="commitment"' in form  # a typo can still be mended

    client.post(
        _change_url(response),
        {"agreement": "disagree", "rationale": "Changed by hand.", "commitment": "Mended."},
    )

    response.refresh_from_db()
    assert (response.agreement, response.recommendation_id, response.unit_id) == before


def test_rounds_their_snapshots_and_reminder_logs_are_read_only_in_the_admin(
    client, admin_user, evaluator
):
    round_ = reporting.round_open(
        by=evaluator, name="Spring round", deadline=datetime.date.today() + datetime.timedelta(30)
    )
    reporting.round_close(round_=round_, by=evaluator)
    client.force_login(admin_user)

    page = client.get(_change_url(round_)).content.decode()
    assert 'name="_save"' not in page
    assert client.post(_change_url(round_), {"name": "Renamed"}).status_code == 403
    meta = FollowUpRound._meta
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[round_.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    for model in (FollowUpRound, ReminderLog):
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert client.get(add).status_code == 403
    round_.refresh_from_db()
    assert round_.name == "Spring round"


@pytest.mark.parametrize("page", ["admin:index", "admin:evaluations_action_changelist"])
def test_admin_pages_name_uptakes_icon_so_browsers_do_not_ask_for_a_missing_one(
    client, admin_user, page
):
    client.force_login(admin_user)
    html = client.get(reverse(page)).content.decode()
    assert '<link rel="icon" href="/static/uptake/favicon.svg" type="image/svg+xml">' in html
