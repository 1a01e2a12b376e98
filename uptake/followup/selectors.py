"""Reads for follow-up: the queues and an action's record."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from uptake.evaluations.models import Evaluation, EvaluationState

from .models import DateRevision, Evidence, ProgressUpdate, ReviewState, RevisionDecision


def validation_queue() -> QuerySet[ProgressUpdate]:
    """Updates awaiting the evaluation unit's review, oldest first."""
    return (
        ProgressUpdate.objects.filter(review_state=ReviewState.PENDING)
        .select_related(
            "author",
            "action__unit",
            "action__response__unit",
            "action__response__recommendation__evaluation",
        )
        .prefetch_related("evidence")
        .order_by("created_at", "id")
    )


def revisions_awaiting_decision() -> QuerySet[DateRevision]:
    return (
        DateRevision.objects.filter(decision=RevisionDecision.PENDING)
        .select_related(
            "requested_by",
            "action__unit",
            "action__response__unit",
            "action__response__recommendation__evaluation",
        )
        .order_by("requested_at", "id")
    )


def responses_awaiting_approval() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(state=EvaluationState.RESPONSE_SUBMITTED).order_by(
        "updated_at"
    )


def action_updates(action_id: int, limit: int | None = None) -> QuerySet[ProgressUpdate]:
    """The action's updates, newest first; only the newest LIMIT when given (LIMIT in SQL)."""
    updates = (
        ProgressUpdate.objects.filter(action_id=action_id)
        .select_related("author", "reviewed_by", "superseded_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )
    return updates if limit is None else updates[:limit]


def action_update_count(action_id: int) -> int:
    return ProgressUpdate.objects.filter(action_id=action_id).count()


def action_revisions(action_id: int) -> QuerySet[DateRevision]:
    return (
        DateRevision.objects.filter(action_id=action_id)
        .select_related("requested_by", "decided_by")
        .order_by("requested_at", "id")
    )
