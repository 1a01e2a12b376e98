"""Every change to evaluations, recommendations, responses and actions goes through here.

Pages, the console and the importer call these functions; each checks who is asking, runs
the model's validation, saves, and leaves a history entry naming the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uptake.accounts.models import Unit, User
from uptake.accounts.permissions import can_decide, can_manage_evaluations
from uptake.core.versions import claim_version as _claim_version
from uptake.errors import ServiceError

from .checks import approval_date_problem, period_problem, rationale_problem
from .models import (
    CLOSED_ACTION_STATUSES,
    Action,
    ActionStatus,
    Agreement,
    ClosureReason,
    Evaluation,
    EvaluationState,
    Recommendation,
    RecommendationStatus,
    Response,
    SubPoint,
    TargetKind,
)
from .selectors import response_plan_problems
from .target_dates import parse_target_date

M = TypeVar("M", bound=models.Model)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _save(obj: M, *, by: User | None) -> M:
    """Validate, then save with the person recorded in the history entry."""
    obj._history_user = by  # type: ignore[attr-defined]
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=None if field == "__all__" else field) from exc
    obj.save()
    return obj


def _apply(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def _require_editable(evaluation: Evaluation) -> None:
    # Read the state from the database (locked), not from the caller's copy: the response may
    # have gone for approval since that copy was loaded.
    state = (
        Evaluation.objects.select_for_update()
        .filter(pk=evaluation.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state is not None:
        evaluation.state = state
    if not evaluation.response_is_editable:
        raise ServiceError(
            _(
                "The response to this evaluation is “%(state)s”: recommendations, responses "
                "and actions can no longer be changed."
            )
            % {"state": evaluation.get_state_display()}
        )


# Evaluations -------------------------------------------------------------------------------

EVALUATION_FIELDS = (
    "title_en",
    "title_fr",
    "program",
    "program_fr",
    "period",
    "evaluation_type",
    "evaluation_unit",
    "approval_date",
    "report_url",
    "summary_url",
    "pdf_url",
)


def _check_evaluation(evaluation: Evaluation) -> None:
    """The period reads as years and the approval date is not in the future (uptake.evaluations
    .checks): the same rules as the evaluation form's, for the API and the console too."""
    evaluation.period = (evaluation.period or "").strip()
    problem = period_problem(evaluation.period)
    if problem:
        raise ServiceError(problem, field="period")
    problem = approval_date_problem(evaluation.approval_date)
    if problem:
        raise ServiceError(problem, field="approval_date")


@transaction.atomic
def evaluation_create(*, by: User, **fields: Any) -> Evaluation:
    _require(can_manage_evaluations(by), _("Only the evaluation unit records evaluations."))
    evaluation = Evaluation()
    _apply(evaluation, {k: v for k, v in fields.items() if k in EVALUATION_FIELDS})
    _check_evaluation(evaluation)
    return _save(evaluation, by=by)


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, by: User, expected_version: int | None = None, **fields: Any
) -> Evaluation:
    _require(can_manage_evaluations(by), _("Only the evaluation unit edits evaluations."))
    _claim_version(evaluation, expected_version, _("evaluation"))
    _apply(evaluation, {k: v for k, v in fields.items() if k in EVALUATION_FIELDS})
    _check_evaluation(evaluation)
    return _save(evaluation, by=by)


def _reload(evaluation: Evaluation) -> None:
    """Bring the caller's copy up to date (and lock the row) before deciding from its state:
    saving a stale copy would undo someone else's edit and move the version backwards."""
    evaluation.refresh_from_db(from_queryset=Evaluation.objects.select_for_update())


def _set_state(evaluation: Evaluation, state: str, *, by: User, comment: str | None = None) -> None:
    _reload(evaluation)
    evaluation.state = state
    if comment is not None:
        evaluation.approval_comment = comment
    evaluation.version += 1
    _save(evaluation, by=by)


@transaction.atomic
def evaluation_start_response(*, evaluation: Evaluation, by: User) -> Evaluation:
    """Move a recorded evaluation into drafting its management response."""
    _require(can_manage_evaluations(by), _("Only the evaluation unit drafts responses."))
    _reload(evaluation)
    if evaluation.state == EvaluationState.DRAFT:
        _set_state(evaluation, EvaluationState.RESPONSE_IN_PREPARATION, by=by)
    return evaluation


@transaction.atomic
def evaluation_submit_for_approval(*, evaluation: Evaluation, by: User) -> Evaluation:
    """Send the whole response to the committee, once the quality check finds nothing missing."""
    _require(can_manage_evaluations(by), _("Only the evaluation unit submits responses."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require_editable(evaluation)
    problems = response_plan_problems(evaluation)
    if problems:
        raise ServiceError(
            ngettext(
                "The response cannot go for approval yet: %(count)d problem remains.",
                "The response cannot go for approval yet: %(count)d problems remain.",
                len(problems),
            )
            % {"count": len(problems)}
        )
    _set_state(evaluation, EvaluationState.RESPONSE_SUBMITTED, by=by)
    return evaluation


def _no_longer_awaiting(evaluation: Evaluation, *, returning: bool) -> str:
    """Why a response not awaiting approval cannot be approved (or returned): its state and,
    from its history, since when and through whom; usually another member of the committee."""
    last = Evaluation.history.filter(id=evaluation.pk).order_by("-history_date").first()
    values = {
        "state": evaluation.get_state_display(),
        "when": dateformat.format(
            timezone.localtime(last.history_date if last else evaluation.updated_at), "Y-m-d H:i"
        ),
        "who": (last.history_user if last else None) or _("someone"),
    }
    if returning:
        return (
            _(
                "Only a response awaiting approval can be returned: this one has been “%(state)s” "
                "since %(when)s (%(who)s)."
            )
            % values
        )
    return (
        _(
            "Only a response awaiting approval can be approved: this one has been “%(state)s” "
            "since %(when)s (%(who)s)."
        )
        % values
    )


@transaction.atomic
def evaluation_approve_response(
    *, evaluation: Evaluation, by: User, comment: str = ""
) -> Evaluation:
    """The committee approves the response: its target dates become the originals for good."""
    _require(can_decide(by), _("Only the committee approves management responses."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state != EvaluationState.RESPONSE_SUBMITTED:
        raise ServiceError(_no_longer_awaiting(evaluation, returning=False))
    _set_state(evaluation, EvaluationState.RESPONSE_APPROVED, by=by, comment=comment.strip())
    return evaluation


@transaction.atomic
def evaluation_return_response(*, evaluation: Evaluation, by: User, comment: str) -> Evaluation:
    """The committee sends the response back for changes, saying what to change."""
    _require(can_decide(by), _("Only the committee returns management responses."))
    if not comment.strip():
        raise ServiceError(
            _("Say what must change before the response can be approved."), field="comment"
        )
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state != EvaluationState.RESPONSE_SUBMITTED:
        raise ServiceError(_no_longer_awaiting(evaluation, returning=True))
    _set_state(evaluation, EvaluationState.RESPONSE_IN_PREPARATION, by=by, comment=comment.strip())
    return evaluation


def evaluation_mark_in_follow_up(*, evaluation: Evaluation, by: User) -> None:
    """The first progress report on an approved response starts its follow-up."""
    _reload(evaluation)
    if evaluation.state in (EvaluationState.RESPONSE_APPROVED, EvaluationState.PUBLISHED):
        _set_state(evaluation, EvaluationState.IN_FOLLOW_UP, by=by)


def evaluation_mark_published(*, evaluation: Evaluation, by: User) -> None:
    """Publishing an approved response moves it to "published"; a response already in
    follow-up or closed keeps its state (publishing again does not turn the clock back)."""
    _reload(evaluation)
    if evaluation.state == EvaluationState.RESPONSE_APPROVED:
        _set_state(evaluation, EvaluationState.PUBLISHED, by=by)


def _close_evaluation_if_done(evaluation: Evaluation, *, by: User) -> None:
    # Lock the evaluation before counting its open recommendations: two closures of the last
    # two would otherwise each still see the other open, and neither would close it.
    _reload(evaluation)
    if (
        evaluation.is_in_follow_up
        and not evaluation.recommendations.filter(status=RecommendationStatus.OPEN).exists()
    ):
        _set_state(evaluation, EvaluationState.CLOSED, by=by)


# Recommendations ---------------------------------------------------------------------------


def recommendation_sort_key(number: str) -> str:
    """A key that sorts 2 before 10 and 3 before 3.1 before 3.2 before 4."""
    parts = re.findall(r"\d+|[A-Za-z]+", number)
    return ".".join(p.zfill(6) if p.isdigit() else p.lower().rjust(6) for p in parts)[:60]


_SUB_POINT_LABEL = re.compile(r"^\(?([a-z]|[ivx]+|\d+)[\).]\s+(.*)$", re.S)


def _replace_sub_points(
    recommendation: Recommendation,
    sub_points: Iterable[str],
    by: User,
    sub_points_fr: Iterable[str] = (),
) -> None:
    """Set the sub-points. A French line pairs with the English point of the same label
    ("b) …" with "b) …"), or, unlabelled, with the English point in the same position.

    Points are kept by position and saved only when they change: an unchanged point keeps its
    row, version and history, so a French version page opened meanwhile still saves its text.
    """
    points = []
    for raw in (p.strip() for p in sub_points if p.strip()):
        match = _SUB_POINT_LABEL.match(raw)
        points.append((match.group(1), match.group(2)) if match else ("", raw))
    labels = [label for label, _text in points]
    french: dict[int, str] = {}
    for index, raw in enumerate(p.strip() for p in sub_points_fr if p.strip()):
        match = _SUB_POINT_LABEL.match(raw)
        if match and match.group(1) in labels:
            french[labels.index(match.group(1))] = match.group(2)
        else:
            french.setdefault(index, match.group(2) if match else raw)
    existing = list(recommendation.sub_points.order_by("position")) if recommendation.pk else []
    for position, (label, text) in enumerate(points):
        wanted = {"label": label, "text": text, "text_fr": french.get(position, "")}
        if position >= len(existing):
            _save(SubPoint(recommendation=recommendation, position=position, **wanted), by=by)
            continue
        point = existing[position]
        if all(getattr(point, name) == value for name, value in wanted.items()):
            continue
        _claim_version(point, None, _("sub-point"))
        _apply(point, wanted)
        _save(point, by=by)
    for point in existing[len(points) :]:
        point._history_user = by  # type: ignore[attr-defined]
        point.delete()


def _check_number_free(evaluation: Evaluation, number: str, exclude_pk: int | None = None) -> None:
    clash = evaluation.recommendations.filter(number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ServiceError(
            _("This evaluation already has a recommendation numbered %(number)s.")
            % {"number": number},
            field="number",
        )


@transaction.atomic
def recommendation_create(
    *,
    evaluation: Evaluation,
    by: User,
    number: str,
    statement: str,
    body: str = "",
    sub_points: Iterable[str] = (),
    statement_fr: str = "",
    body_fr: str = "",
    sub_points_fr: Iterable[str] = (),
) -> Recommendation:
    _require(can_manage_evaluations(by), _("Only the evaluation unit records recommendations."))
    _require_editable(evaluation)
    number = number.strip()
    _check_number_free(evaluation, number)
    recommendation = Recommendation(
        evaluation=evaluation,
        number=number,
        sort_key=recommendation_sort_key(number),
        statement=statement.strip(),
        body=body.strip(),
        statement_fr=statement_fr.strip(),
        body_fr=body_fr.strip(),
    )
    _save(recommendation, by=by)
    _replace_sub_points(recommendation, sub_points, by, sub_points_fr)
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    by: User,
    expected_version: int | None = None,
    number: str,
    statement: str,
    body: str = "",
    sub_points: Iterable[str] = (),
    statement_fr: str = "",
    body_fr: str = "",
    sub_points_fr: Iterable[str] = (),
) -> Recommendation:
    _require(can_manage_evaluations(by), _("Only the evaluation unit edits recommendations."))
    _require_editable(recommendation.evaluation)
    number = number.strip()
    _check_number_free(recommendation.evaluation, number, exclude_pk=recommendation.pk)
    _claim_version(recommendation, expected_version, _("recommendation"))
    recommendation.number = number
    recommendation.sort_key = recommendation_sort_key(number)
    recommendation.statement = statement.strip()
    recommendation.body = body.strip()
    recommendation.statement_fr = statement_fr.strip()
    recommendation.body_fr = body_fr.strip()
    _save(recommendation, by=by)
    _replace_sub_points(recommendation, sub_points, by, sub_points_fr)
    return recommendation


@transaction.atomic
def recommendation_delete(
    *, recommendation: Recommendation, by: User, expected_version: int | None = None
) -> None:
    _require(can_manage_evaluations(by), _("Only the evaluation unit removes recommendations."))
    _require_editable(recommendation.evaluation)
    _claim_version(recommendation, expected_version, _("recommendation"))
    recommendation._history_user = by  # type: ignore[attr-defined]
    recommendation.delete()


# Closure by decision needs the committee; "implemented" is a fact the evaluation unit records.
DECISION_REASONS = (
    ClosureReason.PARTLY_IMPLEMENTED,
    ClosureReason.NO_LONGER_APPLICABLE,
    ClosureReason.SUPERSEDED,
    ClosureReason.NOT_ACCEPTED,
)


@transaction.atomic
def recommendation_close(
    *, recommendation: Recommendation, by: User, reason: str, note: str = ""
) -> Recommendation:
    """Close a recommendation: as implemented once every action is validated, or by a decision
    of the committee, with its reason."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    evaluation = recommendation.evaluation
    if reason not in ClosureReason.values:
        raise ServiceError(_("Choose a closure reason from the list."), field="reason")
    if recommendation.status == RecommendationStatus.CLOSED:
        raise ServiceError(_("This recommendation is already closed."))
    if not evaluation.is_in_follow_up:
        raise ServiceError(_("Only a recommendation whose response is approved can be closed."))
    if reason == ClosureReason.IMPLEMENTED:
        _require(
            can_manage_evaluations(by) or can_decide(by),
            _("Only the evaluation unit or the committee closes recommendations."),
        )
        actions = Action.objects.filter(response__recommendation=recommendation)
        if not actions.exists():
            raise ServiceError(
                _("A recommendation with no actions cannot be closed as implemented.")
            )
        unfinished = actions.exclude(status__in=CLOSED_ACTION_STATUSES).count()
        if unfinished:
            raise ServiceError(
                ngettext(
                    "%(count)d action is not yet validated. Validate or cancel it, or ask the "
                    "committee to close the recommendation by decision.",
                    "%(count)d actions are not yet validated. Validate or cancel them, or ask "
                    "the committee to close the recommendation by decision.",
                    unfinished,
                )
                % {"count": unfinished}
            )
    else:
        _require(can_decide(by), _("Only the committee closes a recommendation by decision."))
        if not note.strip():
            raise ServiceError(_("Record the reason for this decision."), field="note")
    recommendation.status = RecommendationStatus.CLOSED
    recommendation.closure_reason = reason
    recommendation.closure_note = note.strip()
    recommendation.closed_by = by
    recommendation.closed_at = timezone.now()
    recommendation.version += 1
    _save(recommendation, by=by)
    _close_evaluation_if_done(evaluation, by=by)
    return recommendation


@transaction.atomic
def recommendation_reopen(*, recommendation: Recommendation, by: User, note: str) -> Recommendation:
    """Undo a closure (a decision of the committee), keeping the old one in the history."""
    _require(can_decide(by), _("Only the committee reopens recommendations."))
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.CLOSED:
        raise ServiceError(_("This recommendation is open."))
    if not note.strip():
        raise ServiceError(_("Record why the recommendation is reopened."), field="note")
    recommendation.status = RecommendationStatus.OPEN
    recommendation.closure_reason = ""
    recommendation.closure_note = note.strip()
    recommendation.closed_by = None
    recommendation.closed_at = None
    recommendation.version += 1
    _save(recommendation, by=by)
    evaluation = recommendation.evaluation
    _reload(evaluation)
    if evaluation.state == EvaluationState.CLOSED:
        _set_state(evaluation, EvaluationState.IN_FOLLOW_UP, by=by)
    return recommendation


# Responses ---------------------------------------------------------------------------------


def _check_response(agreement: str, rationale: str) -> None:
    if agreement not in Agreement.values:
        raise ServiceError(
            _("Choose whether the unit agrees, agrees in part or disagrees."), field="agreement"
        )
    problem = rationale_problem(agreement, rationale)
    if problem:
        raise ServiceError(problem, field="rationale")


@transaction.atomic
def response_create(
    *,
    recommendation: Recommendation,
    by: User,
    unit: Unit,
    agreement: str,
    commitment: str = "",
    rationale: str = "",
    commitment_fr: str = "",
    rationale_fr: str = "",
) -> Response:
    _require(can_manage_evaluations(by), _("Only the evaluation unit drafts responses."))
    evaluation = recommendation.evaluation
    _require_editable(evaluation)
    _check_response(agreement, rationale)
    if recommendation.responses.filter(unit=unit).exists():
        raise ServiceError(
            _("%(unit)s has already responded to this recommendation.") % {"unit": unit.code},
            field="unit",
        )
    response = _save(
        Response(
            recommendation=recommendation,
            unit=unit,
            agreement=agreement,
            commitment=commitment.strip(),
            rationale=rationale.strip(),
            commitment_fr=commitment_fr.strip(),
            rationale_fr=rationale_fr.strip(),
        ),
        by=by,
    )
    evaluation_start_response(evaluation=evaluation, by=by)
    return response


@transaction.atomic
def response_update(
    *,
    response: Response,
    by: User,
    expected_version: int | None = None,
    unit: Unit,
    agreement: str,
    commitment: str = "",
    rationale: str = "",
    commitment_fr: str = "",
    rationale_fr: str = "",
) -> Response:
    _require(can_manage_evaluations(by), _("Only the evaluation unit edits responses."))
    _require_editable(response.recommendation.evaluation)
    _check_response(agreement, rationale)
    if response.recommendation.responses.filter(unit=unit).exclude(pk=response.pk).exists():
        raise ServiceError(
            _("%(unit)s has already responded to this recommendation.") % {"unit": unit.code},
            field="unit",
        )
    _claim_version(response, expected_version, _("response"))
    previous_unit_id = response.unit_id
    response.unit = unit
    response.agreement = agreement
    response.commitment = commitment.strip()
    response.rationale = rationale.strip()
    response.commitment_fr = commitment_fr.strip()
    response.rationale_fr = rationale_fr.strip()
    _save(response, by=by)
    if previous_unit_id != unit.pk:
        # The actions that had the response's unit (the default when drafted) follow it to
        # the new one; an action given another unit, a sub-unit say, keeps it. A form open on
        # one of them would save the old unit back: its version moves on, so it conflicts.
        for action in response.actions.filter(unit_id=previous_unit_id):
            _claim_version(action, None, _("action"))
            action.unit = unit
            _save(action, by=by)
    return response


@transaction.atomic
def response_delete(*, response: Response, by: User, expected_version: int | None = None) -> None:
    _require(can_manage_evaluations(by), _("Only the evaluation unit removes responses."))
    _require_editable(response.recommendation.evaluation)
    _claim_version(response, expected_version, _("response"))
    response._history_user = by  # type: ignore[attr-defined]
    response.delete()


# Actions -----------------------------------------------------------------------------------


def _set_target(action: Action, target_date_text: str) -> None:
    """Read the target date as written; an unreadable one is kept and flagged by the quality check."""
    target = parse_target_date(target_date_text)
    action.target_date_text = target_date_text.strip()
    action.target_kind = target.kind
    action.original_due_date = target.due_date
    action.due_date = target.due_date
    if target.kind == TargetKind.COMPLETED and action.status == ActionStatus.NOT_STARTED:
        action.status = ActionStatus.COMPLETED


@transaction.atomic
def action_create(
    *,
    response: Response,
    by: User,
    text: str,
    target_date_text: str,
    deliverable: str = "",
    unit: Unit | None = None,
    role: str = "",
    text_fr: str = "",
    deliverable_fr: str = "",
    role_fr: str = "",
) -> Action:
    _require(can_manage_evaluations(by), _("Only the evaluation unit drafts actions."))
    _require_editable(response.recommendation.evaluation)
    position = response.actions.count()
    action = Action(
        response=response,
        position=position,
        text=text.strip(),
        deliverable=deliverable.strip(),
        unit=unit or response.unit,
        role=role.strip(),
        text_fr=text_fr.strip(),
        deliverable_fr=deliverable_fr.strip(),
        role_fr=role_fr.strip(),
    )
    _set_target(action, target_date_text)
    return _save(action, by=by)


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: User,
    expected_version: int | None = None,
    text: str,
    target_date_text: str,
    deliverable: str = "",
    unit: Unit | None = None,
    role: str = "",
    text_fr: str = "",
    deliverable_fr: str = "",
    role_fr: str = "",
) -> Action:
    _require(can_manage_evaluations(by), _("Only the evaluation unit edits actions."))
    _require_editable(action.response.recommendation.evaluation)
    _claim_version(action, expected_version, _("action"))
    action.text = text.strip()
    action.deliverable = deliverable.strip()
    action.unit = unit or action.response.unit
    action.role = role.strip()
    action.text_fr = text_fr.strip()
    action.deliverable_fr = deliverable_fr.strip()
    action.role_fr = role_fr.strip()
    _set_target(action, target_date_text)
    return _save(action, by=by)


@transaction.atomic
def action_delete(*, action: Action, by: User, expected_version: int | None = None) -> None:
    _require(can_manage_evaluations(by), _("Only the evaluation unit removes actions."))
    _require_editable(action.response.recommendation.evaluation)
    _claim_version(action, expected_version, _("action"))
    action._history_user = by  # type: ignore[attr-defined]
    action.delete()


@transaction.atomic
def action_withdraw(*, action: Action, by: User, status: str, reason: str) -> Action:
    """Cancel an approved action, or mark it superseded by another, with the reason."""
    _require(can_manage_evaluations(by), _("Only the evaluation unit cancels actions."))
    if status not in (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED):
        raise ServiceError(_("An action can only be cancelled or superseded."), field="status")
    if not reason.strip():
        raise ServiceError(_("Record why the action is withdrawn."), field="reason")
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not action.is_open:
        raise ServiceError(_("This action is already closed."))
    action.status = status
    action.status_reason = reason.strip()
    action.version += 1
    return _save(action, by=by)


# Translations --------------------------------------------------------------------------------

# The French fields that may be filled in at any stage, even after approval: a translation does
# not change what the committee approved, and is often commissioned only once it is approved.
TRANSLATABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Evaluation: ("title_fr", "program_fr"),
    Recommendation: ("statement_fr", "body_fr"),
    SubPoint: ("text_fr",),
    Response: ("commitment_fr", "rationale_fr"),
    Action: ("text_fr", "deliverable_fr", "role_fr"),
}


@transaction.atomic
def translation_update(
    *,
    obj: M,
    by: User,
    expected_version: int | None = None,
    **fields: str,
) -> M:
    """Set the French version of OBJ's content (only its *_fr fields), whatever its state.
    EXPECTED_VERSION is the version the translation form was opened on."""
    _require(can_manage_evaluations(by), _("Only the evaluation unit edits translations."))
    allowed = TRANSLATABLE_FIELDS.get(type(obj), ())
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ServiceError(
            _("Only the French version of the content can be changed here, not %(fields)s.")
            % {"fields": ", ".join(unknown)}
        )
    changes = {
        name: value.strip() for name, value in fields.items() if getattr(obj, name) != value.strip()
    }
    if not changes:
        return obj
    _claim_version(obj, expected_version, _("translation"))
    _apply(obj, changes)
    return _save(obj, by=by)
