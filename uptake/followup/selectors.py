"""Reads for follow-up: the queues and an action's record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from uptake.accounts.models import User
from uptake.accounts.selectors import user_unit_ids
from uptake.evaluations.models import (
    CLOSED_ACTION_STATUSES,
    FOLLOWED_STATES,
    Action,
    Evaluation,
    EvaluationState,
    RecommendationStatus,
)
from uptake.evaluations.selectors import in_units

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


# How long a refused revised date stays in front of the unit: older refusals are history.
REFUSAL_SHOWN_DAYS = 60


@dataclass(frozen=True)
class SentBack:
    """Something the evaluation unit or the committee sent back to a unit, which still waits
    for it: a returned update (`requested_text` empty) or a refused revised date."""

    action: Action
    comment: str
    decided_by: User | None
    decided_at: datetime.datetime | None
    requested_text: str = ""

    @property
    def is_returned_update(self) -> bool:
        return not self.requested_text


_ACTION_RELATED = (
    "action__unit",
    "action__response__unit",
    "action__response__recommendation__evaluation",
)


def _still_open(*, via: str) -> Q:
    """Open actions (not validated, cancelled or superseded) of open recommendations of plans
    still taking updates."""
    return ~Q(**{f"{via}status__in": CLOSED_ACTION_STATUSES}) & Q(
        **{
            f"{via}response__recommendation__status": RecommendationStatus.OPEN,
            f"{via}response__recommendation__evaluation__state__in": FOLLOWED_STATES[:3],
        }
    )


def sent_back_to(user: User, *, now: datetime.datetime | None = None) -> list[SentBack]:
    """What was sent back to USER's units (and sub-units) and still waits for them, newest
    first: their open actions' returned updates with no newer update since, and their
    revised dates refused in the last 60 days with no newer request since. Five queries at
    most, however many items."""
    now = now or timezone.now()
    # From the person's open actions to the newest update and request of each: a unit has a
    # few thousand actions at most, while the returned updates of all units run to tens of
    # thousands. The ids are read first and the rows fetched by id: with the ids as a
    # subquery, PostgreSQL joined every update of every action before matching (5 s).
    newest_update = ProgressUpdate.objects.filter(action_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    newest_request = DateRevision.objects.filter(action_id=OuterRef("pk")).order_by(
        "-requested_at", "-pk"
    )
    waiting = (
        Action.objects.filter(in_units(user_unit_ids(user)), _still_open(via=""))
        .annotate(
            update_id=Subquery(newest_update.values("pk")[:1]),
            update_state=Subquery(newest_update.values("review_state")[:1]),
            request_id=Subquery(newest_request.values("pk")[:1]),
            request_decision=Subquery(newest_request.values("decision")[:1]),
        )
        .filter(
            Q(update_state=ReviewState.RETURNED) | Q(request_decision=RevisionDecision.REJECTED)
        )
        .values_list("update_id", "update_state", "request_id", "request_decision")
    )
    returned_ids, refused_ids = [], []
    for update_id, update_state, request_id, request_decision in waiting:
        if update_state == ReviewState.RETURNED:
            returned_ids.append(update_id)
        if request_decision == RevisionDecision.REJECTED:
            refused_ids.append(request_id)
    returned = (
        ProgressUpdate.objects.filter(pk__in=returned_ids).select_related(
            "reviewed_by", *_ACTION_RELATED
        )
        if returned_ids
        else ProgressUpdate.objects.none()
    )
    refused = (
        DateRevision.objects.filter(
            pk__in=refused_ids,
            decided_at__gte=now - datetime.timedelta(days=REFUSAL_SHOWN_DAYS),
        ).select_related("decided_by", *_ACTION_RELATED)
        if refused_ids
        else DateRevision.objects.none()
    )
    items = [
        SentBack(u.action, u.review_comment, u.reviewed_by, u.reviewed_at) for u in returned
    ] + [
        SentBack(r.action, r.decision_comment, r.decided_by, r.decided_at, r.requested_text)
        for r in refused
    ]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: (item.decided_at or oldest, item.action.pk), reverse=True)
    return items
