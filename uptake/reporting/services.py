"""Writes for follow-up rounds and reminders."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.accounts.models import User
from uptake.accounts.permissions import can_manage_evaluations
from uptake.errors import ServiceError

from . import selectors
from .models import ActionSnapshot, FollowUpRound, ReminderLog

ONE_OPEN_ROUND = "A round is already open (“%(name)s”): close it before opening another."


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
    ActionSnapshot.objects.bulk_create(selectors.snapshot_rows(round_, now), batch_size=1000)
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
