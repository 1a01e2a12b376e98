"""Progress updates, their validation, evidence and revised target dates."""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from uptake.accounts.models import User
from uptake.accounts.permissions import can_decide, can_manage_evaluations, can_update_action
from uptake.errors import ServiceError
from uptake.evaluations.models import Action, ActionStatus, RecommendationStatus, TargetKind
from uptake.evaluations.services import _save, evaluation_mark_in_follow_up
from uptake.evaluations.target_dates import TargetDate, parse_target_date

from .models import DateRevision, Evidence, ProgressUpdate, ReviewState, RevisionDecision

# What a unit may report; "validated" is the evaluation unit's word, never the unit's own.
REPORTABLE_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED)


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    label: str = ""


def safe_filename(name: str) -> str:
    """A file name with no path, no control characters and nothing a shell or browser misreads."""
    name = unicodedata.normalize("NFKD", os.path.basename(name.replace("\\", "/")))
    name = name.encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    stem, dot, ext = name.rpartition(".")
    return (stem[:120] + dot + ext[:10]) if dot else name[:120]


def file_size(size: int, decimals: int = 1) -> str:
    """SIZE in bytes as people read it: "20.0 MB", "512.3 KB", "900 bytes"."""
    for unit_size, text in ((1_048_576, _("%(size)s MB")), (1024, _("%(size)s KB"))):
        if size >= unit_size:
            # Rounded here: number_format cuts the decimals it does not show.
            shown = round(size / unit_size, decimals)
            return text % {"size": number_format(shown, decimal_pos=decimals)}
    return _("%(size)s bytes") % {"size": size}


def _sizes_told_apart(size: int, limit: int) -> tuple[str, str]:
    """SIZE and LIMIT written with as many decimals as it takes for them to differ, so that a
    file just over the limit is not said to be "20.0 MB, larger than the 20.0 MB allowed";
    in bytes when even three decimals cannot tell them apart."""
    for decimals in (1, 2, 3):
        if file_size(size, decimals) != file_size(limit, decimals):
            return file_size(size, decimals), file_size(limit, decimals)

    def in_bytes(n: int) -> str:
        return _("%(size)s bytes") % {"size": number_format(n, force_grouping=True)}

    return in_bytes(size), in_bytes(limit)


def evidence_file_problem(upload: UploadedFile) -> str:
    """Why a file is refused as evidence (forbidden type or over the size limit, naming
    which), or "" when it is accepted."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.EVIDENCE_ALLOWED_EXTENSIONS
    if ext not in allowed:
        return _("“%(name)s” is not an accepted type of evidence. Accepted: %(types)s.") % {
            "name": name,
            "types": ", ".join(allowed),
        }
    if (upload.size or 0) > settings.EVIDENCE_MAX_BYTES:
        size, limit = _sizes_told_apart(upload.size or 0, settings.EVIDENCE_MAX_BYTES)
        return _(
            "“%(name)s” (%(size)s) is larger than the %(limit)s allowed for evidence files."
        ) % {"name": name, "size": size, "limit": limit}
    return ""


def _link_problem(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("“%(url)s” is not a web address (it must start with https:// or http://).") % {
            "url": url
        }
    return ""


@transaction.atomic
def update_submit(
    *,
    action: Action,
    by: User,
    status: str,
    narrative: str,
    files: Sequence[UploadedFile] = (),
    links: Sequence[EvidenceLink] = (),
    revised_date_text: str = "",
    revised_date_justification: str = "",
) -> ProgressUpdate:
    """Record a unit's report on an action; a claim of completion waits for validation."""
    if not can_update_action(by, action):
        raise PermissionDenied(_("You can update only the actions of your own units."))
    return _record_update(
        action=action, by=by, status=status, narrative=narrative, files=files, links=links,
        revised_date_text=revised_date_text,
        revised_date_justification=revised_date_justification,
    )  # fmt: skip


def _local_time(moment: datetime.datetime | None) -> str:
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i") if moment else "?"


def why_no_update_is_taken(action: Action) -> str:
    """Why ACTION takes no progress update now, or "" when it does: also asked by the update
    page before anyone starts writing."""
    if not action.response.recommendation.evaluation.is_in_follow_up:
        return _("Progress is reported only once the response is approved.")
    if action.response.recommendation.status == RecommendationStatus.CLOSED:
        return _("The recommendation of this action is closed: no more updates are taken.")
    if not action.is_open:
        return _("This action is %(status)s: no more updates are taken.") % {
            "status": action.get_status_display().lower()
        }
    return ""


def update_problems(
    action: Action,
    *,
    status: str,
    narrative: str,
    files: Sequence[UploadedFile],
    links: Sequence[EvidenceLink],
    revised_date_text: str,
    revised_date_justification: str,
) -> tuple[list[tuple[str | None, str]], TargetDate | None]:
    """Every problem with what was typed for an update, in the order of the form's fields,
    so that one submission tells the person all there is to fix; and the revised date as
    read, when one was typed."""
    problems: list[tuple[str | None, str]] = []
    revised = None
    if status not in REPORTABLE_STATUSES:
        problems.append(("status", _("Choose not started, in progress or completed.")))
    if not narrative.strip():
        problems.append(("narrative", _("Describe the progress made since the last update.")))
    for upload in files:
        problem = evidence_file_problem(upload)
        if problem:
            problems.append(("files", problem))
    for link in links:
        problem = _link_problem(link.url)
        if problem:
            problems.append(("links", problem))
    if revised_date_text.strip():
        revised = parse_target_date(revised_date_text, dates_only=True)
        if revised.kind != TargetKind.DATE or revised.due_date is None:
            problems.append(
                (
                    "revised_date_text",
                    revised.problem
                    or _("A revised date must be a date, not “%(text)s”.")
                    % {"text": revised_date_text},
                )
            )
        elif revised.due_date < timezone.localdate():
            problems.append(
                (
                    "revised_date_text",
                    _("“%(text)s” has already passed: a revised date must be in the future.")
                    % {"text": revised_date_text.strip()},
                )
            )
        if action.date_revisions.filter(decision=RevisionDecision.PENDING).exists():
            problems.append(
                (
                    "revised_date_text",
                    _("A revised date for this action already awaits a decision."),
                )
            )
        if not revised_date_justification.strip():
            problems.append(
                ("revised_date_justification", _("Explain why the target date must move."))
            )
    elif revised_date_justification.strip():
        # A reason with no date would be dropped without a word; ask which was meant.
        problems.append(
            (
                "revised_date_text",
                _(
                    "You gave a reason for a new date but no new date: enter the revised "
                    "date, or clear the reason."
                ),
            )
        )
    return problems, revised


def _record_update(
    *,
    action: Action,
    by: User,
    status: str,
    narrative: str,
    files: Sequence[UploadedFile] = (),
    links: Sequence[EvidenceLink] = (),
    revised_date_text: str = "",
    revised_date_justification: str = "",
) -> ProgressUpdate:
    """Validate and record an update written by BY. No permission check: the caller made it
    (`update_submit` for people who sign in, the update-link service for people without an
    account, whose single-use link is their permission)."""
    action = (
        Action.objects.select_for_update()
        .select_related("response__recommendation__evaluation")
        .get(pk=action.pk)
    )
    refusal = why_no_update_is_taken(action)
    if refusal:
        raise ServiceError(refusal)
    problems, revised = update_problems(
        action,
        status=status,
        narrative=narrative,
        files=files,
        links=links,
        revised_date_text=revised_date_text,
        revised_date_justification=revised_date_justification,
    )
    if problems:
        raise ServiceError.several(problems)

    update = _save(
        ProgressUpdate(
            action=action,
            author=by,
            status=status,
            previous_status=action.status,
            narrative=narrative.strip(),
        ),
        by=by,
    )
    # Only the newest report is reviewed: older ones still pending leave the queue, each
    # recording which update replaced it, so no stale claim can be accepted as current.
    for stale in ProgressUpdate.objects.filter(
        action=action, review_state=ReviewState.PENDING
    ).exclude(pk=update.pk):
        stale.review_state = ReviewState.SUPERSEDED
        stale.superseded_by = update
        _save(stale, by=by)
    for link in links:
        _save(Evidence(update=update, url=link.url, label=link.label.strip()), by=by)
    if revised is not None and revised.due_date is not None:
        _save(
            DateRevision(
                action=action,
                update=update,
                requested_text=revised_date_text.strip(),
                requested_due_date=revised.due_date,
                justification=revised_date_justification.strip(),
                requested_by=by,
            ),
            by=by,
        )
    # Files last, and removed again if anything fails: a rollback undoes rows, not the disk.
    stored: list[Evidence] = []
    try:
        for upload in files:
            upload.name = safe_filename(upload.name or "file")
            evidence = Evidence(update=update, original_name=upload.name, size=upload.size or 0)
            evidence.file.save(upload.name, upload, save=False)
            stored.append(evidence)
            _save(evidence, by=by)
        if action.status != status:
            action.status = status
            action.version += 1
            _save(action, by=by)
        evaluation_mark_in_follow_up(evaluation=action.response.recommendation.evaluation, by=by)
    except BaseException:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


def _require_another_person(asked_by_id: int | None, by: User, refusal: str) -> None:
    """Two keys: whoever reported an update or asked for a date never decides on it, not even
    an administrator, who holds every role."""
    if asked_by_id == by.pk:
        raise ServiceError(refusal)


def _review(update: ProgressUpdate, *, by: User, state: str, comment: str) -> ProgressUpdate:
    """Record the evaluation unit's review on a still-pending update, under row locks: the
    action's first, in the order recording an update takes them, so that a review and a newer
    update on the same action never cross."""
    action = Action.objects.select_for_update().get(pk=update.action_id)
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    update.action = action
    if update.review_state == ReviewState.SUPERSEDED and update.superseded_by_id is not None:
        # Name the update that stands now, at the end of the chain of replacements.
        newer = ProgressUpdate.objects.select_related("author").get(pk=update.superseded_by_id)
        while newer.review_state == ReviewState.SUPERSEDED and newer.superseded_by_id:
            newer = ProgressUpdate.objects.select_related("author").get(pk=newer.superseded_by_id)
        raise ServiceError(
            _(
                "A newer update (recorded %(when)s by %(who)s) has replaced this one: "
                "review that one instead."
            )
            % {
                "when": _local_time(newer.created_at),
                "who": str(newer.author),
            }
        )
    if update.review_state != ReviewState.PENDING:
        raise ServiceError(_("This update has already been reviewed."))
    _require_another_person(
        update.author_id,
        by,
        _(
            "You reported this update yourself: another member of the evaluation unit must "
            "review it."
        ),
    )
    update.review_state = state
    update.reviewed_by = by
    update.reviewed_at = timezone.now()
    update.review_comment = comment.strip()
    return _save(update, by=by)


def _set_action_status(action: Action, status: str, *, by: User) -> None:
    action.status = status
    action.version += 1
    _save(action, by=by)


@transaction.atomic
def update_validate(*, update: ProgressUpdate, by: User, comment: str = "") -> ProgressUpdate:
    """The evaluation unit accepts an update; a completion claim makes the action validated."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit validates updates."))
    update = _review(update, by=by, state=ReviewState.ACCEPTED, comment=comment)
    action = update.action
    if update.status == ActionStatus.COMPLETED and action.status != ActionStatus.COMPLETED:
        # An accepted completion claim and an action that is not validated must never meet.
        raise ServiceError(
            _(
                "This action is %(status)s now, so this completion claim cannot be "
                "validated: return it to the unit instead."
            )
            % {"status": action.get_status_display().lower()}
        )
    if update.status == ActionStatus.COMPLETED:
        # Only the newest update is reviewed, so the accepted claim dates the completion.
        action.completed_on = timezone.localdate(update.created_at)
        _set_action_status(action, ActionStatus.VALIDATED, by=by)
    return update


@transaction.atomic
def update_return(*, update: ProgressUpdate, by: User, comment: str) -> ProgressUpdate:
    """The evaluation unit sends an update back, saying why; a refused completion claim
    puts the action back where it was."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit returns updates."))
    if not comment.strip():
        raise ServiceError(_("Say what is missing so the unit can fix it."), field="comment")
    update = _review(update, by=by, state=ReviewState.RETURNED, comment=comment)
    action = update.action
    if update.status == ActionStatus.COMPLETED and action.status == ActionStatus.COMPLETED:
        previous = update.previous_status
        _set_action_status(
            action,
            previous if previous != ActionStatus.COMPLETED else ActionStatus.IN_PROGRESS,
            by=by,
        )
    return update


def _decide(revision: DateRevision, *, by: User, decision: str, comment: str) -> DateRevision:
    """Record the committee's decision on a still-pending revised date, under a row lock."""
    revision = DateRevision.objects.select_for_update().select_related("action").get(pk=revision.pk)
    if revision.decision != RevisionDecision.PENDING:
        # Usually two members of the committee deciding at once: say who came first, and how.
        raise ServiceError(
            _("This revised date has already been decided: %(decision)s by %(who)s on %(when)s.")
            % {
                "decision": revision.get_decision_display().lower(),
                "who": revision.decided_by or _("someone"),
                "when": _local_time(revision.decided_at),
            }
        )
    _require_another_person(
        revision.requested_by_id,
        by,
        _(
            "You asked for this revised date yourself: another member of the committee must "
            "decide it."
        ),
    )
    revision.decision = decision
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.decision_comment = comment.strip()
    return _save(revision, by=by)


@transaction.atomic
def revision_approve(*, revision: DateRevision, by: User, comment: str = "") -> DateRevision:
    """The committee accepts a revised date: it becomes the action's due date; the original stays."""
    if not can_decide(by):
        raise PermissionDenied(_("Only the committee decides revised dates."))
    revision = _decide(revision, by=by, decision=RevisionDecision.APPROVED, comment=comment)
    action = revision.action
    action.due_date = revision.requested_due_date
    action.revised_target_text = revision.requested_text
    action.version += 1
    _save(action, by=by)
    return revision


@transaction.atomic
def revision_reject(*, revision: DateRevision, by: User, comment: str) -> DateRevision:
    if not can_decide(by):
        raise PermissionDenied(_("Only the committee decides revised dates."))
    if not comment.strip():
        raise ServiceError(_("Say why the revised date is refused."), field="comment")
    return _decide(revision, by=by, decision=RevisionDecision.REJECTED, comment=comment)
