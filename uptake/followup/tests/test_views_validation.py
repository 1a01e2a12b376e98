"""The evaluation unit's validation queue: validate an update, or return it with a comment."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_approved_evaluation
from uptake.evaluations.models import Action, ActionStatus
from uptake.followup import services as followup
from uptake.followup.models import ProgressUpdate, ReviewState

pytestmark = pytest.mark.django_db

QUEUE = reverse("followup:validation_queue")


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def claim(action, focal) -> ProgressUpdate:
    """HWP claims the template action is done."""
    return followup.update_submit(
        action=action, by=focal, status="completed", narrative="Template adopted in May."
    )


def test_it_lists_pending_updates_with_their_evaluation(client, evaluator, claim):
    client.force_login(evaluator)

    response = client.get(QUEUE)

    assert response.status_code == 200
    text = page(response)
    assert "Revise the design template." in text
    assert "Evaluation of a water program · Recommendation 1 · HWP" in text
    assert "Template adopted in May." in text
    assert "Validate completion" in text


def test_each_update_is_a_named_group_its_buttons_refer_to(client, evaluator, claim):
    """A screen reader reaches "Return to the unit" with the action it concerns."""
    client.force_login(evaluator)

    text = page(client.get(QUEUE))

    name = f"update-{claim.pk}"
    assert f'<section class="queue-item" aria-labelledby="{name}">' in text
    assert f'<h2 id="{name}">' in text
    for button in ("Validate completion", "Return to the unit"):
        assert re.search(rf'<button [^>]*aria-describedby="{name}">{button}</button>', text)
    assert re.search(rf'<textarea id="comment-{claim.pk}" [^>]*aria-describedby="{name}"', text)


def test_reviewed_updates_leave_the_queue(client, evaluator, claim):
    followup.update_validate(update=claim, by=evaluator)
    client.force_login(evaluator)

    text = page(client.get(QUEUE))

    assert "Template adopted in May." not in text
    assert "No update is waiting." in text


def test_validating_a_completion_claim_validates_the_action(client, evaluator, claim, action):
    client.force_login(evaluator)

    response = client.post(reverse("followup:update_validate", args=[claim.pk]), follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assert "Update validated." in page(response)
    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.ACCEPTED
    assert claim.reviewed_by == evaluator
    assert action.status == ActionStatus.VALIDATED


def test_returning_with_a_comment_shows_on_the_action_page(client, evaluator, focal, claim, action):
    client.force_login(evaluator)
    client.post(
        reverse("followup:update_return", args=[claim.pk]),
        {"comment": "Attach the adopted template."},
    )
    client.force_login(focal)

    text = page(client.get(reverse("followup:action", args=[action.pk])))

    assert '<span class="badge review-returned">Returned</span>' in text
    assert "Reviewed by evaluator on" in text
    assert "Attach the adopted template." in text
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED  # the claim is undone
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.RETURNED


def test_returning_without_a_comment_is_refused(client, evaluator, claim, action):
    client.force_login(evaluator)

    response = client.post(
        reverse("followup:update_return", args=[claim.pk]), {"comment": " "}, follow=True
    )

    text = page(response)
    assert "Say what is missing so the unit can fix it." in text
    assert "Update returned" not in text
    claim.refresh_from_db()
    action.refresh_from_db()
    assert claim.review_state == ReviewState.PENDING
    assert action.status == ActionStatus.COMPLETED


def test_a_return_without_a_comment_is_shown_at_the_update_it_concerns(
    client, evaluator, focal, claim, action
):
    other = Action.objects.get(unit__code="QTO-DA")
    second = followup.update_submit(
        action=other, by=focal, status="in_progress", narrative="Boats are being repaired."
    )
    client.force_login(evaluator)

    response = client.post(reverse("followup:update_return", args=[second.pk]), {"comment": "  "})

    assert response.status_code == 200
    items = re.split(r'<section class="queue-item"[^>]*>', page(response))[1:]
    concerned = next(item for item in items if "Boats are being repaired." in item)
    untouched = next(item for item in items if "Template adopted in May." in item)
    assert "Say what is missing so the unit can fix it." in concerned
    assert 'aria-invalid="true"' in concerned
    assert "Say what is missing so the unit can fix it." not in untouched
    second.refresh_from_db()
    assert second.review_state == ReviewState.PENDING


def test_reviewing_twice_says_it_was_already_reviewed(client, evaluator, claim):
    client.force_login(evaluator)
    client.post(reverse("followup:update_validate", args=[claim.pk]))

    response = client.post(
        reverse("followup:update_return", args=[claim.pk]), {"comment": "Oops."}, follow=True
    )

    assert "This update has already been reviewed." in page(response)
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.ACCEPTED


def test_it_goes_back_to_a_page_of_ours_only(client, evaluator, claim, action):
    client.force_login(evaluator)

    response = client.post(
        reverse("followup:update_validate", args=[claim.pk]),
        {"next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_updates(
    client, evaluator, committee, units, focal, claim
):
    client.force_login(evaluator)
    client.get(QUEUE)
    with_one = _queries(client)

    for n, other in enumerate(_more_actions(evaluator, committee, units, 5)):
        update = followup.update_submit(
            action=other, by=focal, status="in_progress", narrative=f"Step {n}.",
            links=[followup.EvidenceLink(url=f"https://example.org/{n}")],
        )  # fmt: skip
        assert update.review_state == ReviewState.PENDING
    with_six = _queries(client)

    assert "Step 4." in page(client.get(QUEUE))
    assert with_one == with_six


def _more_actions(evaluator, committee, units, count: int) -> list[Action]:
    """COUNT more open actions for HWP or its mission (two to an evaluation)."""
    actions: list[Action] = []
    while len(actions) < count:
        evaluation = build_approved_evaluation(evaluator, committee, units)
        actions += Action.objects.filter(response__recommendation__evaluation=evaluation)
    return actions[:count]


def test_the_queue_is_paged_oldest_first(client, evaluator, committee, units, focal, monkeypatch):
    from uptake.followup import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    narratives = [f"Step {n} done." for n in range(5)]
    for narrative, each in zip(narratives, _more_actions(evaluator, committee, units, 5)):
        followup.update_submit(action=each, by=focal, status="in_progress", narrative=narrative)
    client.force_login(evaluator)

    first, third = page(client.get(QUEUE)), page(client.get(QUEUE, {"page": 3}))

    assert "5 updates waiting" in first
    assert narratives[0] in first and narratives[1] in first and narratives[2] not in first
    assert "Page 1 of 3" in first
    assert narratives[4] in third and narratives[3] not in third


def _item(text: str, narrative: str) -> str:
    """The queue item that shows NARRATIVE."""
    return next(
        part for part in re.split(r'<section class="queue-item"[^>]*>', text) if narrative in part
    )


def test_the_queue_offers_no_review_of_ones_own_update(client, evaluator, focal, claim):
    mine = followup.update_submit(
        action=Action.objects.get(unit__code="QTO-DA"), by=evaluator, status="in_progress",
        narrative="Reported for the mission by phone.",
    )  # fmt: skip
    client.force_login(evaluator)

    text = page(client.get(QUEUE))

    own = _item(text, "Reported for the mission by phone.")
    assert "another member of the evaluation unit must review it." in own
    assert reverse("followup:update_validate", args=[mine.pk]) not in own
    assert reverse("followup:update_return", args=[mine.pk]) not in own
    assert "<button" not in own
    others = _item(text, "Template adopted in May.")
    assert reverse("followup:update_validate", args=[claim.pk]) in others
    assert "Validate completion" in others


def test_validating_ones_own_update_is_refused_with_the_reason(client, evaluator, action):
    mine = followup.update_submit(
        action=action, by=evaluator, status="completed", narrative="Done, says the unit."
    )
    client.force_login(evaluator)

    response = client.post(reverse("followup:update_validate", args=[mine.pk]), follow=True)

    text = page(response)
    assert (
        "You reported this update yourself: another member of the evaluation unit must "
        "review it." in text
    )
    assert "Update validated." not in text
    mine.refresh_from_db()
    action.refresh_from_db()
    assert mine.review_state == ReviewState.PENDING
    assert mine.reviewed_by is None
    assert action.status == ActionStatus.COMPLETED
