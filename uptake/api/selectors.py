"""Reads for the API: each list as a queryset shaped so that its size does not change the
number of queries, filtered by keyword arguments that the query-string serializers validate."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from uptake.accounts.models import Unit, User
from uptake.core.search import matching_ids
from uptake.evaluations.models import Action, Recommendation, Response
from uptake.evaluations.selectors import in_units, overdue_q, with_overdue
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate

from .models import ApiToken
from .services import token_hash


def unit_list(
    *, search: str = "", kind: str = "", parent: int | None = None, active: bool | None = None
) -> QuerySet[Unit]:
    units = Unit.objects.all()
    if search:
        rows = Unit.objects.values_list("pk", "code", "name_en", "name_fr")
        units = units.filter(pk__in=matching_ids(rows, search))
    if kind:
        units = units.filter(kind=kind)
    if parent is not None:
        units = units.filter(parent_id=parent)
    if active is not None:
        units = units.filter(active=active)
    return units


def recommendation_list(
    *, evaluation: int | None = None, status: str = ""
) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.select_related("closed_by").prefetch_related(
        "sub_points"
    )
    if evaluation is not None:
        recommendations = recommendations.filter(evaluation_id=evaluation)
    if status:
        recommendations = recommendations.filter(status=status)
    return recommendations


def response_list(
    *,
    evaluation: int | None = None,
    recommendation: int | None = None,
    unit: int | None = None,
    agreement: str = "",
) -> QuerySet[Response]:
    responses = Response.objects.select_related("unit", "recommendation")
    if evaluation is not None:
        responses = responses.filter(recommendation__evaluation_id=evaluation)
    if recommendation is not None:
        responses = responses.filter(recommendation_id=recommendation)
    if unit is not None:
        responses = responses.filter(unit_id=unit)
    if agreement:
        responses = responses.filter(agreement=agreement)
    return responses


def action_list(
    *,
    evaluation: int | None = None,
    recommendation: int | None = None,
    response: int | None = None,
    unit: int | None = None,
    status: str = "",
    overdue: bool | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Action]:
    """Actions with their `overdue` flag. UNIT is the responsibility centre."""
    today = today or timezone.localdate()
    actions = with_overdue(
        Action.objects.select_related("unit", "response__unit", "response__recommendation"),
        today,
    )
    if evaluation is not None:
        actions = actions.filter(response__recommendation__evaluation_id=evaluation)
    if recommendation is not None:
        actions = actions.filter(response__recommendation_id=recommendation)
    if response is not None:
        actions = actions.filter(response_id=response)
    if unit is not None:
        actions = actions.filter(in_units([unit]))
    if status:
        actions = actions.filter(status=status)
    if overdue is True:
        actions = actions.filter(overdue_q(today))
    elif overdue is False:
        actions = actions.exclude(overdue_q(today))
    return actions


def update_list(
    *,
    action: int | None = None,
    evaluation: int | None = None,
    unit: int | None = None,
    review_state: str = "",
) -> QuerySet[ProgressUpdate]:
    updates = ProgressUpdate.objects.select_related(
        "author", "reviewed_by", "date_revision"
    ).prefetch_related("evidence")
    if action is not None:
        updates = updates.filter(action_id=action)
    if evaluation is not None:
        updates = updates.filter(action__response__recommendation__evaluation_id=evaluation)
    if unit is not None:
        updates = updates.filter(in_units([unit], via="action__"))
    if review_state:
        updates = updates.filter(review_state=review_state)
    return updates


def revision_list(
    *, action: int | None = None, evaluation: int | None = None, decision: str = ""
) -> QuerySet[DateRevision]:
    revisions = DateRevision.objects.select_related("requested_by", "decided_by")
    if action is not None:
        revisions = revisions.filter(action_id=action)
    if evaluation is not None:
        revisions = revisions.filter(action__response__recommendation__evaluation_id=evaluation)
    if decision:
        revisions = revisions.filter(decision=decision)
    return revisions


def evidence_files() -> QuerySet[Evidence]:
    """Evidence that is a stored file (links have nothing to download)."""
    return Evidence.objects.exclude(file="")


def token_list(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_find(raw: str) -> ApiToken | None:
    """The unrevoked token whose hash matches RAW, with its user; None if there is none."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
