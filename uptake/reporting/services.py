"""Writes for follow-up rounds and reminders."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import secrets
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from uptake.accounts.models import Role, Unit, User
from uptake.accounts.permissions import can_manage_evaluations
from uptake.accounts.services import require_offered_language
from uptake.errors import ServiceError
from uptake.evaluations.models import Action, RecommendationStatus
from uptake.evaluations.services import _save
from uptake.followup.models import ProgressUpdate
from uptake.followup.services import EvidenceLink, _record_update

from . import selectors
from .models import ActionSnapshot, CalendarFeed, FollowUpRound, ReminderLog, UpdateLink

ONE_OPEN_ROUND = gettext_noop(
    "A round is already open (“%(name)s”): close it before opening another."
)


def _clean(obj: FollowUpRound | ReminderLog) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=None if name == "__all__" else name) from exc


@transaction.atomic
def round_open(*, by: User, name: str, deadline: datetime.date, period: str = "") -> FollowUpRound:
    """Open a round: from now on every open action owes one update. One round at a time."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit opens follow-up rounds."))
    current = FollowUpRound.objects.select_for_update().filter(is_open=True).first()
    if current is not None:
        raise ServiceError(_(ONE_OPEN_ROUND) % {"name": current.name})
    now = timezone.now()
    if deadline < timezone.localdate(now):
        raise ServiceError(_("The deadline must not be in the past."), field="deadline")
    round_ = FollowUpRound(
        name=name.strip(), period=period.strip(), deadline=deadline, opened_at=now, opened_by=by
    )
    _clean(round_)
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError as exc:  # another round opened at the same moment
        raise ServiceError(_("Another round was opened at the same time.")) from exc
    return round_


@transaction.atomic
def round_close(*, round_: FollowUpRound, by: User) -> FollowUpRound:
    """Close the round and freeze a snapshot of every followed action, in bulk."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit closes follow-up rounds."))
    round_ = FollowUpRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ServiceError(_("This round is already closed."))
    now = timezone.now()
    round_.is_open = False
    round_.closed_at = now
    round_.closed_by = by
    _clean(round_)
    round_.save(update_fields=["is_open", "closed_at", "closed_by"])
    # In slices: bulk_create would hold every snapshot of a large portfolio in memory at once.
    rows = selectors.snapshot_rows(round_, now)
    while batch := list(itertools.islice(rows, 2000)):
        ActionSnapshot.objects.bulk_create(batch)
    return round_


def reminder_claim(*, user: User, day: datetime.date, action_count: int) -> bool:
    """Record that USER gets their digest on DAY; False when they already had one that day.

    The reminder job runs without a person behind it (cron), so there is no `by` here: the
    unique (person, day) row is what keeps it to one e-mail a day, even when two jobs race.
    """
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=user, day=day, action_count=action_count)
    except IntegrityError:
        return False
    return True


def reminder_release(*, user: User, day: datetime.date) -> None:
    """Forget DAY's reminder for USER: the message could not be sent."""
    ReminderLog.objects.filter(user=user, day=day).delete()


# ---------------------------------------------------------------------------------------------
# Update links: one update on one action from someone without an account.

UPDATE_LINK_MAX_DAYS = 90


class UpdateLinkUnknown(ServiceError):
    """No link has this address."""


class UpdateLinkGone(ServiceError):
    """The link existed but can no longer be used: expired, used or revoked."""


UPDATE_LINK_GONE = {
    "expired": gettext_noop("This link has expired. Ask the evaluation unit for a new one."),
    "used": gettext_noop(
        "This link has already been used to send an update: each link works once."
    ),
    "revoked": gettext_noop(
        "This link was withdrawn by the evaluation unit. Ask them for a new one."
    ),
}


def update_link_gone_message(state: str) -> str:
    return _(UPDATE_LINK_GONE[state])


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def update_link_issue(
    *,
    action: Action,
    by: User,
    recipient_name: str,
    recipient_email: str = "",
    days: int = 14,
    language: str = "",
) -> tuple[UpdateLink, str]:
    """A link that lets RECIPIENT send one update on ACTION within DAYS days, written to them
    in LANGUAGE (the e-mail, and the page until they choose another; without it, the page
    follows their browser). Returns the row and the secret, which is never stored: the caller
    shows it once (or e-mails it)."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit sends update links."))
    action = Action.objects.select_related("response__recommendation__evaluation").get(pk=action.pk)
    if not action.response.recommendation.evaluation.is_in_follow_up:
        raise ServiceError(_("Progress is reported only once the response is approved."))
    if action.response.recommendation.status == RecommendationStatus.CLOSED or not action.is_open:
        raise ServiceError(_("This action takes no more updates: a link would be of no use."))
    recipient_name = recipient_name.strip()
    recipient_email = recipient_email.strip()
    if not recipient_name:
        raise ServiceError(_("Name the person who will use the link."), field="recipient_name")
    if recipient_email:
        try:
            validate_email(recipient_email)
        except ValidationError as exc:
            raise ServiceError(
                _("“%(email)s” is not an e-mail address.") % {"email": recipient_email},
                field="recipient_email",
            ) from exc
    if not 1 <= days <= UPDATE_LINK_MAX_DAYS:
        raise ServiceError(
            _("A link stays valid from 1 to %(max)d days.") % {"max": UPDATE_LINK_MAX_DAYS},
            field="days",
        )
    if language:
        require_offered_language(language)
    secret = _new_secret()
    link = _save(
        UpdateLink(
            action=action,
            token_hash=selectors.secret_hash(secret),
            created_by=by,
            expires_at=timezone.now() + datetime.timedelta(days=days),
            submitter_name=recipient_name,
            submitter_email=recipient_email,
            language=language,
        ),
        by=by,
    )
    return link, secret


@transaction.atomic
def update_link_revoke(*, link: UpdateLink, by: User) -> UpdateLink:
    """Stop LINK working before it expires."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit withdraws update links."))
    link = UpdateLink.objects.select_for_update().get(pk=link.pk)
    if link.state() != "active":
        raise ServiceError(_("This link can no longer be used: there is nothing to withdraw."))
    link.revoked_at = timezone.now()
    return _save(link, by=by)


def external_submitter(*, name: str, email: str, link: UpdateLink) -> User:
    """The account that stands for a person without one: one per e-mail address (or per link
    when no address was given), never able to sign in. It makes the update's author and the
    history name who wrote it."""
    if email:
        digest = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
        username = f"external-{digest}"
    else:
        username = f"external-link-{link.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email, role=Role.VIEWER, is_active=False)
        user.set_unusable_password()
    user.first_name = name[:150]
    user.last_name = _("(by update link)")[:150]
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def update_link_submit(
    *,
    secret: str,
    status: str,
    narrative: str,
    files: Sequence[UploadedFile] = (),
    links: Sequence[EvidenceLink] = (),
    revised_date_text: str = "",
    revised_date_justification: str = "",
) -> ProgressUpdate:
    """Record the one update the link at SECRET allows, checked exactly as a focal point's
    update is; it waits for the evaluation unit's validation. The link is locked and marked
    used in the same transaction, so two submissions at once cannot both succeed."""
    link = (
        UpdateLink.objects.select_for_update()
        .filter(token_hash=selectors.secret_hash(secret))
        .first()
    )
    if link is None:
        raise UpdateLinkUnknown(_("This link does not exist. Check that it was copied whole."))
    now = timezone.now()
    state = link.state(now)
    if state != "active":
        raise UpdateLinkGone(update_link_gone_message(state))
    # Claimed before anything is written: a second transaction that got past the lock (a
    # database without row locks) finds the row changed and fails here.
    if not UpdateLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        raise UpdateLinkGone(update_link_gone_message("used"))
    author = external_submitter(name=link.submitter_name, email=link.submitter_email, link=link)
    update = _record_update(
        action=link.action, by=author, status=status, narrative=narrative, files=files,
        links=links, revised_date_text=revised_date_text,
        revised_date_justification=revised_date_justification,
    )  # fmt: skip
    link.used_at = now
    link.used_update = update
    _save(link, by=author)
    return update


# ---------------------------------------------------------------------------------------------
# Calendar feeds.


@transaction.atomic
def calendar_feed_create(
    *, by: User, user: User | None = None, unit: Unit | None = None
) -> tuple[CalendarFeed, str]:
    """A new secret feed address for USER (a person's own) or for UNIT (the evaluation unit's
    to give out). Any live feed of the same owner stops working: there is one at a time.
    Returns the row and the secret, which is never stored."""
    if (user is None) == (unit is None):
        raise ServiceError(_("A calendar feed belongs to one person or to one unit."))
    if user is not None:
        if by.pk != user.pk and not by.is_administrator:
            raise PermissionDenied(_("You can create a calendar feed only for yourself."))
        if not user.is_active:
            raise ServiceError(_("Only active people have calendar feeds."))
        live = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    else:
        if not can_manage_evaluations(by):
            raise PermissionDenied(_("Only the evaluation unit creates calendar feeds for units."))
        live = CalendarFeed.objects.select_for_update().filter(unit=unit, revoked_at__isnull=True)
    now = timezone.now()
    for old in live:
        old.revoked_at = now
        _save(old, by=by)
    secret = _new_secret()
    feed = _save(
        CalendarFeed(user=user, unit=unit, token_hash=selectors.secret_hash(secret), created_by=by),
        by=by,
    )
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """Stop FEED's address working, for good."""
    if feed.user_id is not None:
        if by.pk != feed.user_id and not by.is_administrator:
            raise PermissionDenied(_("You can revoke only your own calendar feed."))
    elif not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit revokes calendar feeds for units."))
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.is_revoked:
        raise ServiceError(_("This calendar feed is already revoked."))
    feed.revoked_at = timezone.now()
    return _save(feed, by=by)
