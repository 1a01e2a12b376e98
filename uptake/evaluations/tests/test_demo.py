"""The demo data: loads once, and shows every state the issue asks a newcomer to see.

Everything is counted from the database, not copied from the demo's own lists.
"""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from uptake.accounts.models import Role, Unit, User
from uptake.accounts.selectors import unit_ids_within
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import (
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
