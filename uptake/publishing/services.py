"""Publishing a management response, and withdrawing it. Both keep every version."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from uptake.accounts.models import User
from uptake.accounts.permissions import can_manage_evaluations
from uptake.core.search import folded_fields
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Evaluation, EvaluationState

from .languages import CONTENT_LANGUAGES
from .models import Publication
from .selectors import publication_snapshot

# A response can go public only once the committee has approved it.
PUBLISHABLE_STATES = (
    EvaluationState.RESPONSE_APPROVED,
    EvaluationState.PUBLISHED,
    EvaluationState.IN_FOLLOW_UP,
    EvaluationState.CLOSED,
)


def _save(publication: Publication) -> Publication:
    try:
        publication.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=None if field == "__all__" else field) from exc
    publication.save()
    return publication


def _slug(evaluation: Evaluation) -> str:
    """The public address: the previous version's, else one made from the English title."""
    previous = (
        Publication.objects.filter(evaluation=evaluation)
        .order_by("-version")
        .values_list("slug", flat=True)
        .first()
    )
    if previous:
        return previous
    slug = slugify(evaluation.title_en)[:80].strip("-") or "evaluation"
    # Digits alone would read as an evaluation's id in the address.
    if slug.isdigit():
        slug = f"evaluation-{slug}"
    if Publication.objects.filter(slug=slug).exclude(evaluation=evaluation).exists():
        slug = f"{slug}-{evaluation.pk}"
    return slug


def _search_text(snapshot: dict[str, Any]) -> str:
    ev = snapshot["evaluation"]
    parts: list[str] = [*ev["title"].values(), *ev["program"].values(), ev["period"]]
    for rec in snapshot["recommendations"]:
        parts += [rec["number"], *rec["statement"].values(), *rec["body"].values()]
        for response in rec["responses"]:
            parts += [response["unit"]["code"], *response["unit"]["name"].values()]
            parts += [*response["commitment"].values()]
            for action in response["actions"]:
                parts += [*action["text"].values()]
    return folded_fields(parts)


def _unit_codes(snapshot: dict[str, Any]) -> str:
    codes = {
        unit["code"].upper()
        for rec in snapshot["recommendations"]
        for response in rec["responses"]
        for unit in (response["unit"], *(a["responsibility"] for a in response["actions"]))
    }
    return f" {' '.join(sorted(codes))} " if codes else ""


@transaction.atomic
def publication_publish(
    *,
    evaluation: Evaluation,
    by: User,
    languages: Iterable[str] = CONTENT_LANGUAGES,
    show_status: bool = False,
    status_as_of: datetime.date | None = None,
) -> Publication:
    """Make the approved response public as a new version, frozen as it stands now.

    With SHOW_STATUS, each action's implementation status as of STATUS_AS_OF (default: today)
    is published with it.
    """
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit publishes management responses."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state not in PUBLISHABLE_STATES:
        raise ServiceError(
            _(
                "The response is “%(state)s”: only a response approved by the committee can "
                "be published."
            )
            % {"state": evaluation.get_state_display()}
        )
    chosen = [code for code in CONTENT_LANGUAGES if code in set(languages)]
    unknown = set(languages) - set(CONTENT_LANGUAGES)
    if "en" not in chosen or unknown:
        raise ServiceError(_("Publish in English, or in English and French."), field="languages")
    today = timezone.localdate()
    if show_status:
        status_as_of = status_as_of or today
        if status_as_of > today:
            raise ServiceError(
                _("The status cannot be shown as of a date still to come."), field="status_as_of"
            )
        if evaluation.approval_date and status_as_of < evaluation.approval_date:
            raise ServiceError(
                _(
                    "The status cannot be shown as of a date before the response was approved "
                    "(%(approved)s): nothing was being implemented yet."
                )
                % {"approved": evaluation.approval_date.isoformat()},
                field="status_as_of",
            )
    else:
        status_as_of = None
    snapshot = publication_snapshot(evaluation, languages=chosen, status_as_of=status_as_of)
    last = Publication.objects.filter(evaluation=evaluation).aggregate(v=Max("version"))["v"]
    year_from = evaluation.approval_date or today
    publication = _save(
        Publication(
            evaluation=evaluation,
            version=(last or 0) + 1,
            slug=_slug(evaluation),
            languages=chosen,
            show_status=show_status,
            status_as_of=status_as_of,
            snapshot=snapshot,
            title_en=evaluation.title_en,
            title_fr=evaluation.title_fr if "fr" in chosen else "",
            program=evaluation.program,
            program_fr=evaluation.program_fr if "fr" in chosen else "",
            year=year_from.year,
            unit_codes=_unit_codes(snapshot),
            search_text=_search_text(snapshot),
            published_at=timezone.now(),
            published_by=by,
        )
    )
    evaluations.evaluation_mark_published(evaluation=evaluation, by=by)
    return publication


@transaction.atomic
def publication_unpublish(*, publication: Publication, by: User, reason: str = "") -> Publication:
    """Withdraw a publication from the public site; it stays in the history."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit withdraws publications."))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.is_withdrawn:
        raise ServiceError(_("This publication was already withdrawn."))
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = by
    publication.unpublish_reason = reason.strip()
    return _save(publication)
