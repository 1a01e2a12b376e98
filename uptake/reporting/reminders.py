"""The daily digest e-mail: one message per focal point, at most one a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uptake.accounts.models import User

from . import selectors, services
from .models import UpdateLink
from .selectors import Digest


@dataclass
class ReminderResult:
    sent: list[str]
    skipped_already_sent: list[str]
    nothing_to_say: list[str]


def recipient_language(user: User | None) -> str:
    """The language to write to USER in: their own, or the site's when they chose none."""
    return (user.language if user is not None else "") or settings.LANGUAGE_CODE


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest as plain text with an HTML alternative, links pointing at the site, in the
    recipient's language."""
    context = {"digest": digest, "base_url": settings.UPTAKE_BASE_URL.rstrip("/")}
    with translation.override(recipient_language(digest.user)):
        subject = ngettext(
            "Uptake: %(count)d action needs your attention",
            "Uptake: %(count)d actions need your attention",
            digest.action_count,
        ) % {"count": digest.action_count}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("reporting/email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[digest.user.email],
        )
        message.attach_alternative(
            render_to_string("reporting/email/digest.html", context), "text/html"
        )
    return message


def send_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> ReminderResult:
    """Send each focal point with something to act on one digest, unless they already had
    one today. With DRY_RUN nothing is sent or recorded."""
    today = today or timezone.localdate()
    result = ReminderResult([], [], [])
    connection = None if dry_run else get_connection()
    try:
        for user in selectors.focal_points_to_remind():
            digest = selectors.reminder_digest(user, today)
            if digest.is_empty:
                result.nothing_to_say.append(user.username)
                continue
            if dry_run:
                if selectors.reminded_on(user, today):
                    result.skipped_already_sent.append(user.username)
                else:
                    result.sent.append(user.username)
                continue
            if not services.reminder_claim(user=user, day=today, action_count=digest.action_count):
                result.skipped_already_sent.append(user.username)
                continue
            message = digest_message(digest)
            message.connection = connection
            try:
                message.send()
            except Exception:
                # Not sent, so not counted: the next run tries again today.
                services.reminder_release(user=user, day=today)
                raise
            result.sent.append(user.username)
    finally:
        if connection is not None:
            connection.close()
    return result


def send_update_link(*, link: UpdateLink, url: str) -> None:
    """E-mail LINK's address (URL, which holds the secret) to its recipient, in the language
    chosen for the link."""
    context = {"link": link, "action": link.action, "url": url}
    with translation.override(link.language or settings.LANGUAGE_CODE):
        message = EmailMultiAlternatives(
            subject=_("Uptake: please send an update on an action"),
            body=render_to_string("reporting/email/update_link.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[link.submitter_email],
        )
    message.send()
