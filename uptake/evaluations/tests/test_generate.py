"""`uptake generate`: synthetic data in bulk that the app can use like real data."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Role, Unit, User
from uptake.evaluations import services
from uptake.evaluations.models import (
    Action,
    ActionStatus,
    Evaluation,
    EvaluationState,
    Recommendation,
    RecommendationStatus,
    Response,
    SubPoint,
    TargetKind,
)
from uptake.evaluations.synthetic import DEFAULT_PASSWORD, generate
from uptake.evaluations.target_dates import parse_target_date
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate, ReviewState
from uptake.reporting.models import ActionSnapshot, FollowUpRound

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]
TODAY = datetime.date(2026, 6, 15)


def fingerprint() -> str:
    """A digest of the generated content in insertion order, without primary keys."""
    digest = hashlib.sha256()
    for queryset in (
        Evaluation.objects.values_list("title_en", "state", "approval_date", "created_at"),
        Recommendation.objects.values_list("number", "statement", "status", "closure_reason"),
        Response.objects.values_list("unit__code", "agreement", "commitment", "rationale"),
        Action.objects.values_list(
            "text", "unit__code", "target_date_text", "due_date", "status", "updated_at"
        ),
        ProgressUpdate.objects.values_list(
            "action__text", "author__username", "created_at", "status", "review_state"
        ),
        DateRevision.objects.values_list("requested_text", "decision", "requested_at"),
        Evidence.objects.values_list("url", "label"),
    ):
        for row in queryset.order_by("pk"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def sign_in(client, username: str, password: str) -> None:
    """Through the sign-in page, as a person would (throttling included)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def test_it_creates_rows_in_the_ratios_asked_for():
    n = 20
    counts = generate(evaluations=n, seed=3, today=TODAY, rounds=False)

    assert Evaluation.objects.count() == counts.evaluations == n
    per_evaluation = Evaluation.objects.annotate(n=Count("recommendations")).values_list(
        "n", flat=True
    )
    assert all(3 <= k <= 9 for k in per_evaluation)  # about 6 each
    recommendations = Recommendation.objects.count()
    assert counts.recommendations == recommendations
    assert 4.5 * n <= recommendations <= 7.5 * n
    # One response per recommendation and unit, sometimes two units; drafts may lack one.
    responses = Response.objects.count()
    assert counts.responses == responses
    assert 0.7 * recommendations <= responses <= 1.3 * recommendations
    actions = Action.objects.count()
    assert counts.actions == actions
    assert 2.2 * responses <= actions <= 3.8 * responses  # about 3 per recommendation
    updates = ProgressUpdate.objects.count()
    assert counts.updates == updates
    assert 3 * actions <= updates <= 8 * actions  # about 5.5 per action
    assert counts.evidence == Evidence.objects.count() > 0
    assert counts.date_revisions == DateRevision.objects.count()
    # The organisation: ~10 branches, ~150 units, two focal points per unit.
    assert Unit.objects.filter(parent=None).count() == 10
    assert 130 <= Unit.objects.count() == counts.units <= 170
    focal_points = User.objects.filter(role=Role.FOCAL_POINT)
    assert focal_points.count() == 2 * Unit.objects.count()
    assert not focal_points.annotate(n=Count("units")).filter(n=0).exists()
    assert User.objects.filter(role=Role.EVALUATION_UNIT).exists()
    assert User.objects.filter(role=Role.COMMITTEE).exists()


def test_it_covers_every_state_and_status_with_coherent_dates():
    generate(evaluations=150, seed=11, rounds=False)
    now = timezone.now()

    states = set(Evaluation.objects.values_list("state", flat=True))
    assert states == set(EvaluationState.values)
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    years = Evaluation.objects.exclude(approval_date=None).values_list("approval_date", flat=True)
    assert min(years).year == 2012 and max(years).year == timezone.localdate().year
    kinds = set(Action.objects.values_list("target_kind", flat=True))
    assert {TargetKind.DATE, TargetKind.ONGOING, TargetKind.COMPLETED} <= kinds

    # The due date is what the parser reads in the text as written.
    for text, kind, original in Action.objects.values_list(
        "target_date_text", "target_kind", "original_due_date"
    ):
        parsed = parse_target_date(text)
        assert (parsed.kind, parsed.due_date) == (kind, original), text
    # A closed evaluation has every recommendation closed; one in follow-up has one open.
    for evaluation in Evaluation.objects.filter(state=EvaluationState.CLOSED):
        assert not evaluation.recommendations.filter(status=RecommendationStatus.OPEN).exists()
    for evaluation in Evaluation.objects.filter(state=EvaluationState.IN_FOLLOW_UP):
        assert evaluation.recommendations.filter(status=RecommendationStatus.OPEN).exists()
    assert not ProgressUpdate.objects.filter(
        action__response__recommendation__evaluation__state__in=[
            EvaluationState.DRAFT,
            EvaluationState.RESPONSE_IN_PREPARATION,
            EvaluationState.RESPONSE_SUBMITTED,
        ]
    ).exists()
    # Updates: by a focal point of the action's unit, in order, none in the future, and the
    # action's status is where its last reviewed update left it.
    focal_units = {
        (user_id, unit_id) for user_id, unit_id in User.units.through.objects.values_list(
            "user_id", "unit_id"
        )
    }  # fmt: skip
    sample = Action.objects.annotate(n=Count("updates")).filter(n__gt=0).order_by("pk")[:400]
    for action in sample.prefetch_related("updates"):
        updates = sorted(action.updates.all(), key=lambda u: u.pk)
        times = [u.created_at for u in updates]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert times[-1] < now and times[0] >= action.created_at
        assert all((u.author_id, action.unit_id) in focal_units for u in updates)
        for update in updates:
            if update.review_state != ReviewState.PENDING:
                assert update.created_at < update.reviewed_at <= now
        last = updates[-1]
        if action.status == ActionStatus.VALIDATED:
            assert (last.status, last.review_state) == ("completed", ReviewState.ACCEPTED)
        if action.status == ActionStatus.COMPLETED:
            assert (last.status, last.review_state) == ("completed", ReviewState.PENDING)
        assert [u.review_state for u in updates[:-1]].count(ReviewState.PENDING) == 0
    # An approved revised date became the action's due date and its text.
    approved = DateRevision.objects.filter(decision="approved").select_related("action")
    assert approved.exists()
    for revision in approved:
        assert revision.action.due_date == revision.requested_due_date
        assert revision.action.revised_target_text == revision.requested_text
        assert parse_target_date(revision.requested_text).due_date == revision.requested_due_date


def test_the_same_seed_gives_the_same_data_whatever_the_batch_size():
    generate(evaluations=8, seed=5, today=TODAY, batch_size=100, rounds=False)
    first = fingerprint()
    Evaluation.objects.all().delete()
    generate(evaluations=8, seed=5, today=TODAY, batch_size=5000, rounds=False)
    assert fingerprint() == first
    Evaluation.objects.all().delete()
    generate(evaluations=8, seed=6, today=TODAY, rounds=False)
    assert fingerprint() != first


def test_it_refuses_a_database_that_already_holds_evaluations(draft_evaluation):
    out = io.StringIO()
    with pytest.raises(CommandError, match="already holds 1 evaluation"):
        call_command("generate", evaluations=3, stdout=out)
    assert Evaluation.objects.count() == 1

    call_command("generate", evaluations=3, add=True, no_rounds=True, stdout=out)
    assert Evaluation.objects.count() == 4


def test_every_kind_of_generated_row_passes_full_clean():
    generate(evaluations=15, seed=2)
    for model in (
        Unit, User, Evaluation, Recommendation, SubPoint, Response, Action, ProgressUpdate,
        Evidence, DateRevision, FollowUpRound, ActionSnapshot,
    ):  # fmt: skip
        sample = list(model.objects.order_by("?")[:25])
        assert sample, model.__name__
        for obj in sample:
            obj.full_clean()


def test_the_command_prints_counts_and_a_login_that_works(client):
    out = io.StringIO()
    call_command("generate", evaluations=6, seed=4, password="bench-pw", stdout=out)
    text = out.getvalue()

    assert f"evaluations: {Evaluation.objects.count()}" in text
    assert f"updates: {ProgressUpdate.objects.count():,}" in text
    assert "seconds" in text
    username = text.split("Sign in as ", 1)[1].split(" ", 1)[0]
    assert User.objects.get(username=username).role == Role.FOCAL_POINT
    assert "'bench-pw'" in text
    sign_in(client, username, "bench-pw")
    assert client.get(reverse("followup:my_actions")).status_code == 200
    sign_in(client, "eval-01", "bench-pw")


def test_the_pages_render_for_a_generated_focal_point_evaluator_and_committee(client):
    generate(evaluations=12, seed=8)
    evaluation = (
        Evaluation.objects.filter(state=EvaluationState.IN_FOLLOW_UP).order_by("pk").first()
    )
    action = Action.objects.filter(
        response__recommendation__evaluation=evaluation, updates__isnull=False
    ).first()
    focal = action.updates.first().author

    sign_in(client, focal.username, DEFAULT_PASSWORD)
    for url in (
        reverse("evaluations:list"),
        reverse("evaluations:detail", args=[evaluation.pk]),
        reverse("followup:my_actions"),
        reverse("followup:action", args=[action.pk]),
        reverse("reporting:dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert action.text in client.get(reverse("followup:action", args=[action.pk])).content.decode()

    sign_in(client, "eval-01", DEFAULT_PASSWORD)
    for url in (
        reverse("evaluations:list"),
        reverse("evaluations:detail", args=[evaluation.pk]),
        reverse("followup:validation_queue"),
        reverse("reporting:dashboard"),
        reverse("reporting:rounds"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert evaluation.title_en in client.get(reverse("evaluations:list")).content.decode()

    sign_in(client, "committee-01", DEFAULT_PASSWORD)
    assert client.get(reverse("followup:approval_queue")).status_code == 200


def test_new_rows_can_be_created_through_the_services_afterwards():
    generate(evaluations=10, seed=9)
    highest = {
        model: model.objects.aggregate(m=Max("pk"))["m"]
        for model in (Evaluation, Recommendation, Response, Action, ProgressUpdate)
    }
    evaluator = User.objects.get(username="eval-01")
    action = (
        Action.objects.filter(
            response__recommendation__evaluation__state=EvaluationState.IN_FOLLOW_UP,
            response__recommendation__status=RecommendationStatus.OPEN,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
        )
        .exclude(date_revisions__decision="pending")
        .first()
    )
    focal = User.objects.filter(units=action.unit, role=Role.FOCAL_POINT).first()

    evaluation = services.evaluation_create(by=evaluator, title_en="A new evaluation")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Do better."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=action.unit, agreement="agree", commitment="Yes."
    )
    new_action = services.action_create(
        response=response, by=evaluator, text="Act.", target_date_text="June 2031"
    )
    update = followup.update_submit(
        action=action,
        by=focal,
        status="in_progress",
        narrative="Moving.",
        links=[followup.EvidenceLink("https://example.org/new", "New")],
        revised_date_text="March 2032",
        revised_date_justification="Later.",
    )

    for obj in (evaluation, rec, response, new_action, update):
        assert obj.pk > highest[type(obj)]
    assert update.evidence.get().url == "https://example.org/new"
    assert DateRevision.objects.get(update=update).requested_text == "March 2032"


def test_completion_dates_are_those_the_validation_service_would_record():
    generate(evaluations=20, seed=5)
    accepted_claims: dict[int, datetime.date] = {}
    for action_id, created_at in ProgressUpdate.objects.filter(
        status="completed", review_state="accepted"
    ).values_list("action_id", "created_at"):
        day = timezone.localdate(created_at)
        accepted_claims[action_id] = max(day, accepted_claims.get(action_id, day))
    recorded = dict(
        Action.objects.filter(completed_on__isnull=False).values_list("pk", "completed_on")
    )
    assert accepted_claims  # the sample has validated completions to compare
    assert recorded == accepted_claims
