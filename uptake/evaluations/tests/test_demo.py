"""The demo data: loads once, and shows every state the issue asks a newcomer to see.

Everything is counted from the database, not copied from the demo's own lists.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Role, Unit, User
from uptake.accounts.selectors import unit_ids_within
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import (
    FOLLOWED_STATES,
    Action,
    ActionStatus,
    Evaluation,
    EvaluationState,
    Recommendation,
    RecommendationStatus,
    Response,
    SubPoint,
)
from uptake.evaluations.selectors import overdue_q, response_plan_problems
from uptake.followup.models import (
    DateRevision,
    Evidence,
    ProgressUpdate,
    ReviewState,
    RevisionDecision,
)

pytestmark = pytest.mark.django_db

MODELS = (
    Unit,
    User,
    Evaluation,
    Recommendation,
    SubPoint,
    Response,
    Action,
    ProgressUpdate,
    Evidence,
    DateRevision,
)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.delenv("UPTAKE_DEMO_PASSWORD", raising=False)
    assert load_demo() is True


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _depth(unit: Unit) -> int:
    depth = 0
    while unit.parent_id is not None:
        unit = unit.parent
        depth += 1
    return depth


def test_loading_twice_changes_nothing(demo):
    before = _counts()
    history_before = Action.history.count()

    assert load_demo() is False

    assert _counts() == before
    assert Action.history.count() == history_before


def test_an_evaluation_has_at_least_five_recommendations(demo):
    most = max(e.recommendations.count() for e in Evaluation.objects.all())

    assert most >= 5


def test_at_least_four_units_form_a_hierarchy(demo):
    roots = Unit.objects.filter(parent__isnull=True)
    biggest_tree = max(len(unit_ids_within({root.id})) for root in roots)

    assert biggest_tree >= 4
    assert max(_depth(u) for u in Unit.objects.all()) >= 2  # branch > bureau > division


def test_there_are_about_fifteen_actions(demo):
    assert 12 <= Action.objects.count() <= 20


def test_an_action_is_overdue(demo):
    assert Action.objects.filter(overdue_q(timezone.localdate())).exists()


def test_an_approved_revised_date_moved_an_action(demo):
    approved = DateRevision.objects.filter(decision=RevisionDecision.APPROVED)

    assert approved.exists()
    for revision in approved:
        action = revision.action
        assert action.original_due_date is not None
        assert action.due_date != action.original_due_date
        assert revision.decided_by.role == Role.COMMITTEE


def test_an_update_was_returned_with_a_comment(demo):
    returned = ProgressUpdate.objects.filter(review_state=ReviewState.RETURNED)

    assert returned.exists()
    assert all(u.review_comment.strip() for u in returned)


def test_a_recommendation_is_closed_with_its_reason(demo):
    closed = Recommendation.objects.filter(status=RecommendationStatus.CLOSED)

    assert closed.exists()
    assert all(r.closure_reason and r.closed_by_id for r in closed)


def test_work_awaits_each_reviewer(demo):
    assert ProgressUpdate.objects.filter(review_state=ReviewState.PENDING).exists()
    assert DateRevision.objects.filter(decision=RevisionDecision.PENDING).exists()
    assert Evaluation.objects.filter(state=EvaluationState.RESPONSE_SUBMITTED).exists()


def test_a_draft_response_shows_what_the_quality_check_finds(demo):
    drafts = Evaluation.objects.filter(state=EvaluationState.RESPONSE_IN_PREPARATION)

    assert any(response_plan_problems(e) for e in drafts)


@pytest.mark.parametrize(
    "status",
    ActionStatus.values,
)
def test_every_action_status_is_shown(demo, status):
    assert Action.objects.filter(status=status).exists()


def test_the_demo_logins_use_the_demo_password(demo):
    usernames = ["admin", "evaluator", "committee", "viewer"] + [
        f"focal-{code.lower()}" for code in Unit.objects.values_list("code", flat=True)
    ]

    for username in usernames:
        assert User.objects.get(username=username).check_password("demo"), username
    assert User.objects.get(username="admin").is_superuser
    for unit in Unit.objects.all():
        focal = User.objects.get(username=f"focal-{unit.code.lower()}")
        assert focal.role == Role.FOCAL_POINT
        assert list(focal.units.all()) == [unit]


def test_the_demo_password_can_be_chosen(monkeypatch):
    monkeypatch.setenv("UPTAKE_DEMO_PASSWORD", "another-secret")

    load_demo()

    assert User.objects.get(username="evaluator").check_password("another-secret")
    assert not User.objects.get(username="evaluator").check_password("demo")


def test_the_history_names_the_demo_people(demo):
    validated = Action.objects.filter(status=ActionStatus.VALIDATED).first()

    assert validated.history.first().history_user.username == "evaluator"
    assert all(u.author.role == Role.FOCAL_POINT for u in ProgressUpdate.objects.all())


def test_the_closed_demo_round_had_its_deadline_before_it_closed(demo):
    from uptake.reporting.models import FollowUpRound

    closed = FollowUpRound.objects.get(is_open=False)
    assert closed.opened_at.date() < closed.deadline < closed.closed_at.date()


def test_the_french_public_page_names_the_evaluation_unit_in_french(demo, client):
    from django.urls import reverse
    from django.utils import translation

    from uptake.publishing.models import Publication

    publication = Publication.objects.get()
    with translation.override("fr"):
        address = reverse("public:response", args=[publication.slug])
    page = html.unescape(client.get(address).content.decode())
    assert "Direction de l'évaluation" in page
    assert "Evaluation Division" not in page


# The demo tells its story over the years, not all on the day it is loaded.


def test_no_follow_up_event_is_dated_after_today_and_an_action_history_spans_days(demo):
    now, today = timezone.now(), timezone.localdate()
    stamps = [
        *ProgressUpdate.objects.values_list("created_at", flat=True),
        *ProgressUpdate.objects.exclude(reviewed_at=None).values_list("reviewed_at", flat=True),
        *DateRevision.objects.values_list("requested_at", flat=True),
        *DateRevision.objects.exclude(decided_at=None).values_list("decided_at", flat=True),
        *ProgressUpdate.history.values_list("history_date", flat=True),
        *Action.history.values_list("history_date", flat=True),
    ]
    assert stamps and max(stamps) <= now

    completed = Action.objects.exclude(completed_on=None)
    assert completed.exists()
    for action in completed:
        claim = action.updates.filter(status="completed", review_state=ReviewState.ACCEPTED)
        claimed_on = timezone.localdate(claim.latest("created_at").created_at)
        assert action.completed_on == claimed_on < today

    spans = [
        max(dates) - min(dates)
        for dates in (
            list(a.history.values_list("history_date", flat=True)) for a in Action.objects.all()
        )
    ]
    assert max(spans) > datetime.timedelta(days=1)


def test_the_dashboard_shows_an_on_time_rate_between_none_and_all(demo, client):
    today = timezone.localdate()
    followed = Action.objects.filter(
        response__recommendation__evaluation__state__in=FOLLOWED_STATES
    ).exclude(status__in=[ActionStatus.CANCELLED, ActionStatus.SUPERSEDED])
    counted = [
        a
        for a in followed.select_related("response__recommendation")
        if a.response.recommendation.closure_reason
        not in ("not_accepted", "no_longer_applicable", "superseded")
    ]
    past_original = [a for a in counted if a.original_due_date and a.original_due_date <= today]
    on_time = [
        a
        for a in past_original
        if a.status == ActionStatus.VALIDATED and a.completed_on <= a.original_due_date
    ]
    assert 0 < len(on_time) < len(past_original)

    client.force_login(User.objects.get(username="viewer"))
    page = client.get(reverse("reporting:dashboard")).content.decode()

    shown = re.search(r'data-figure="on_time_original_rate">([\d.,]+) %', page)
    assert shown is not None
    assert float(shown[1].replace(",", ".")) == round(100 * len(on_time) / len(past_original), 1)


def test_each_closed_round_counts_the_updates_made_between_its_opening_and_closing(demo):
    from uptake.reporting.models import ActionSnapshot, FollowUpRound
    from uptake.reporting.selectors import round_completeness

    closed = FollowUpRound.objects.filter(is_open=False)
    assert closed.exists()
    for round_ in closed:
        assert round_.opened_at < round_.closed_at <= timezone.now()
        owed = ActionSnapshot.objects.filter(round=round_, owed=True)
        within = {
            u.action_id
            for u in ProgressUpdate.objects.exclude(review_state=ReviewState.RETURNED)
            if round_.opened_at <= u.created_at <= round_.closed_at
        }
        answered = {s.action_id for s in owed if s.answered}
        assert answered == {s.action_id for s in owed} & within
        completeness = round_completeness(round_).overall
        assert (completeness.owed, completeness.answered) == (owed.count(), len(answered))
        assert 0 < completeness.answered < completeness.owed
