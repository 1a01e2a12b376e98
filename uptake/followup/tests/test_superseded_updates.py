"""An update that a newer one has replaced before review: it leaves the queue, it cannot be
validated or returned as if it were current, and the action's record says what happened."""

from __future__ import annotations

import datetime
import html
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from uptake.api.tests.conftest import client_for
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action, ActionStatus
from uptake.followup import services
from uptake.followup.models import ProgressUpdate, ReviewState
from uptake.followup.selectors import validation_queue

pytestmark = pytest.mark.django_db

QUEUE = reverse("followup:validation_queue")
# 15:00 UTC in June is 11:00 in Toronto (EDT, UTC-4), the settings' time zone.
NEWER_AT = datetime.datetime(2025, 6, 10, 15, 0, tzinfo=datetime.UTC)
NEWER_SHOWN = "2025-06-10 11:00"


def page(response) -> str:
    return html.unescape(response.content.decode())


def _submit(action, by, status, narrative):
    return services.update_submit(action=action, by=by, status=status, narrative=narrative)


def _recorded_at(update: ProgressUpdate, when: datetime.datetime) -> None:
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
    update.refresh_from_db()


@pytest.fixture
def named_focal(focal):
    focal.first_name, focal.last_name = "Amina", "Diallo"
    focal.save()
    return focal


@pytest.fixture
def stale_claim(action, named_focal) -> ProgressUpdate:
    """HWP claims completion, then reports the action is in progress after all."""
    claim = _submit(action, named_focal, "completed", "Template adopted.")
    _recorded_at(claim, NEWER_AT - datetime.timedelta(days=3))
    newer = _submit(action, named_focal, "in_progress", "Adoption postponed by the board.")
    _recorded_at(newer, NEWER_AT)
    claim.refresh_from_db()
    return claim


def _newer(claim: ProgressUpdate) -> ProgressUpdate:
    return ProgressUpdate.objects.exclude(pk=claim.pk).get(action=claim.action)


REFUSAL = (
    f"A newer update (recorded {NEWER_SHOWN} by Amina Diallo) has replaced this one: "
    "review that one instead."
)


# The service -------------------------------------------------------------------------------


def test_a_newer_update_replaces_the_pending_one_and_only_it_awaits_review(
    action, named_focal, stale_claim
):
    newer = _newer(stale_claim)

    assert stale_claim.review_state == ReviewState.SUPERSEDED
    assert stale_claim.superseded_by == newer
    assert stale_claim.reviewed_by is None
    assert list(validation_queue()) == [newer]
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    record = stale_claim.history.first()
    assert record.review_state == ReviewState.SUPERSEDED
    assert record.history_user == named_focal


@pytest.mark.parametrize("review", ["validate", "return"])
def test_a_replaced_claim_is_refused_review_naming_the_newer_update(
    action, evaluator, stale_claim, review
):
    with pytest.raises(ServiceError) as exc:
        if review == "validate":
            services.update_validate(update=stale_claim, by=evaluator)
        else:
            services.update_return(update=stale_claim, by=evaluator, comment="Not enough.")

    assert exc.value.message == REFUSAL
    stale_claim.refresh_from_db()
    action.refresh_from_db()
    assert stale_claim.review_state == ReviewState.SUPERSEDED
    assert stale_claim.reviewed_by is None
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.completed_on is None


def test_the_refusal_names_the_update_that_stands_after_several_replacements(
    action, named_focal, evaluator, stale_claim
):
    latest = _submit(action, named_focal, "in_progress", "Board meets in July.")
    _recorded_at(latest, NEWER_AT + datetime.timedelta(days=1))

    with pytest.raises(ServiceError) as exc:
        services.update_validate(update=stale_claim, by=evaluator)

    assert "(recorded 2025-06-11 11:00 by Amina Diallo)" in exc.value.message
    assert list(validation_queue()) == [latest]


def test_the_newer_update_is_reviewed_as_usual(action, evaluator, stale_claim):
    newer = _newer(stale_claim)

    services.update_validate(update=newer, by=evaluator)

    newer.refresh_from_db()
    stale_claim.refresh_from_db()
    action.refresh_from_db()
    assert newer.review_state == ReviewState.ACCEPTED
    assert stale_claim.review_state == ReviewState.SUPERSEDED
    assert action.status == ActionStatus.IN_PROGRESS
    assert not validation_queue().exists()


def test_a_newer_completion_claim_is_the_one_validated(action, focal, evaluator):
    first = _submit(action, focal, "completed", "Done.")
    second = _submit(action, focal, "completed", "Done, with the signed template.")

    services.update_validate(update=second, by=evaluator)

    first.refresh_from_db()
    action.refresh_from_db()
    assert first.review_state == ReviewState.SUPERSEDED
    assert first.superseded_by == second
    assert action.status == ActionStatus.VALIDATED


def test_reviewed_updates_stay_as_they_were_when_a_newer_one_comes(action, focal, evaluator):
    accepted = _submit(action, focal, "in_progress", "Drafting.")
    services.update_validate(update=accepted, by=evaluator)
    returned = _submit(action, focal, "completed", "Done.")
    services.update_return(update=returned, by=evaluator, comment="Attach the template.")

    _submit(action, focal, "in_progress", "Template being signed.")

    accepted.refresh_from_db()
    returned.refresh_from_db()
    assert (accepted.review_state, accepted.superseded_by) == (ReviewState.ACCEPTED, None)
    assert (returned.review_state, returned.superseded_by) == (ReviewState.RETURNED, None)


def test_the_migration_replaces_updates_left_pending_under_a_newer_one(action, focal):
    older = ProgressUpdate.objects.create(
        action=action, author=focal, status="completed", previous_status="not_started",
        narrative="Done.",
    )  # fmt: skip
    _recorded_at(older, NEWER_AT - datetime.timedelta(days=3))
    newest = ProgressUpdate.objects.create(
        action=action, author=focal, status="in_progress", previous_status="completed",
        narrative="Not quite.",
    )  # fmt: skip
    migration = importlib.import_module("uptake.followup.migrations.0002_update_superseded")

    migration.supersede_stale_pending_updates(apps, None)

    older.refresh_from_db()
    newest.refresh_from_db()
    assert (older.review_state, older.superseded_by) == (ReviewState.SUPERSEDED, newest)
    assert newest.review_state == ReviewState.PENDING


def test_a_claim_on_an_action_withdrawn_meanwhile_cannot_be_validated(action, focal, evaluator):
    claim = _submit(action, focal, "completed", "Done.")
    evaluations.action_withdraw(
        action=action, by=evaluator, status="cancelled", reason="Replaced by a new policy."
    )

    with pytest.raises(ServiceError) as exc:
        services.update_validate(update=claim, by=evaluator)

    assert exc.value.message == (
        "This action is cancelled now, so this completion claim cannot be validated: "
        "return it to the unit instead."
    )
    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.PENDING
    assert action.status == ActionStatus.CANCELLED


# The pages ---------------------------------------------------------------------------------


def test_the_queue_does_not_offer_the_replaced_claim(client, evaluator, stale_claim):
    client.force_login(evaluator)

    response = client.get(QUEUE)

    text = page(response)
    assert "Adoption postponed by the board." in text
    assert "Template adopted." not in text
    assert reverse("followup:update_validate", args=[stale_claim.pk]) not in text
    assert "1 update waiting" in text


def test_validating_the_replaced_claim_from_the_page_says_why_not(
    client, evaluator, action, stale_claim
):
    client.force_login(evaluator)

    response = client.post(reverse("followup:update_validate", args=[stale_claim.pk]))

    assert response.status_code == 200
    text = page(response)
    assert REFUSAL in text
    assert "Update validated." not in text
    stale_claim.refresh_from_db()
    action.refresh_from_db()
    assert stale_claim.review_state == ReviewState.SUPERSEDED
    assert action.status == ActionStatus.IN_PROGRESS


def test_the_action_page_shows_the_claim_as_replaced(client, viewer, action, stale_claim):
    client.force_login(viewer)

    text = page(client.get(reverse("followup:action", args=[action.pk])))

    claim_item = text.split(f'id="update-{stale_claim.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Replaced by a newer update" in claim_item
    assert f"Not reviewed: the update reported on {NEWER_SHOWN} replaced it." in claim_item
    assert "Reviewed by" not in claim_item


# The API -----------------------------------------------------------------------------------


def test_the_api_scenario_of_the_qa_report(named_focal, evaluator, action):
    claim = client_for(named_focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "completed", "narrative": "Template adopted."},
        format="json",
    )
    newer = client_for(named_focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "in_progress", "narrative": "Adoption postponed by the board."},
        format="json",
    )
    assert (claim.status_code, newer.status_code) == (201, 201)
    shown = ProgressUpdate.objects.get(pk=newer.json()["id"]).created_at

    response = client_for(evaluator).post(
        f"/api/v1/updates/{claim.json()['id']}/validate/", {}, format="json"
    )

    assert response.status_code == 400
    when = shown.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert response.json()["message"] == (
        f"A newer update (recorded {when:%Y-%m-%d %H:%M} by Amina Diallo) has replaced this "
        "one: review that one instead."
    )
    detail = client_for(evaluator).get(f"/api/v1/updates/{claim.json()['id']}/").json()
    assert detail["review_state"] == "superseded"
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


@pytest.mark.parametrize("persona", ["focal", "committee", "viewer"])
def test_only_the_evaluation_unit_may_try_through_the_api(request, persona, stale_claim):
    user = request.getfixturevalue(persona)

    response = client_for(user).post(f"/api/v1/updates/{stale_claim.pk}/validate/", {})

    assert response.status_code == 403
    stale_claim.refresh_from_db()
    assert stale_claim.review_state == ReviewState.SUPERSEDED
    assert Action.objects.get(pk=stale_claim.action_id).status == ActionStatus.IN_PROGRESS
