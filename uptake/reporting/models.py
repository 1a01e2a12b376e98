"""Follow-up rounds, the snapshot each closed round freezes, and the reminder log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from uptake.accounts.models import Unit, language_choices
from uptake.evaluations.models import Action, ActionStatus, Evaluation, Recommendation


class FollowUpRound(models.Model):
    """A call for one update on every open action, opened and later closed by the evaluation
    unit. Closing it freezes a snapshot of every action: the basis of trends and of "what
    changed since the last round"."""

    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(
        _("period"), max_length=100, blank=True, help_text=_("For example: Fall 2025.")
    )
    deadline = models.DateField(_("deadline for updates"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Redundant with closed_at, but it lets the database itself refuse a second open round.
    is_open = models.BooleanField(default=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"], condition=models.Q(is_open=True), name="one_open_round"
            ),
            models.CheckConstraint(
                condition=models.Q(is_open=True, closed_at__isnull=True)
                | models.Q(is_open=False, closed_at__isnull=False),
                name="round_open_iff_not_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reporting:round", args=[self.pk])


class ActionSnapshot(models.Model):
    """One action as it stood when a round closed. Written once, in bulk, never changed."""

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="snapshots")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    original_due_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # Cancelled, superseded, or under a recommendation closed as not accepted, no longer
    # applicable or superseded: never counted as due.
    excluded = models.BooleanField(default=False)
    # Counted, with a due date on or before the day the round closed.
    due = models.BooleanField(default=False)
    validated = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    days_overdue = models.PositiveIntegerField(default=0)
    # Whether the action owed an update in this round, and whether one came.
    owed = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "action"]
        verbose_name = _("action snapshot")
        verbose_name_plural = _("action snapshots")
        constraints = [
            models.UniqueConstraint(fields=["round", "action"], name="one_snapshot_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.action_id}: {self.status}"


class ReminderLog(models.Model):
    """One digest e-mail sent to one person on one day: at most one a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_logs"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_reminder_per_person_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class UpdateLinkState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    USED = "used", _("Used")
    # "Withdrawn", as the button and the messages say.
    REVOKED = "revoked", pgettext_lazy("the state of an update link", "Withdrawn")


class UpdateLink(models.Model):
    """An expiring, single-use address that lets one person without an account report
    progress on one action. Only a hash of its secret is kept: the address is shown once."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="update_links")
    # sha256 of the secret, hex: enough to recognise the link, useless to whoever reads it.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_update = models.ForeignKey(
        "followup.ProgressUpdate",
        verbose_name=_("update submitted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitter_name = models.CharField(_("recipient's name"), max_length=150)
    submitter_email = models.EmailField(_("recipient's e-mail"), blank=True)
    # Blank for links made before it was asked: their page follows the visitor's browser.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=language_choices)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("update link")
        verbose_name_plural = _("update links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_update__isnull=True) | models.Q(used_at__isnull=False),
                name="update_link_used_update_when_used",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.submitter_name}"

    def state(self, now: datetime.datetime | None = None) -> str:
        """Revoked, used, expired or active, in that order of precedence."""
        if self.revoked_at is not None:
            return UpdateLinkState.REVOKED
        if self.used_at is not None:
            return UpdateLinkState.USED
        if self.expires_at <= (now or timezone.now()):
            return UpdateLinkState.EXPIRED
        return UpdateLinkState.ACTIVE

    def get_state_display(self) -> str:
        return str(UpdateLinkState(self.state()).label)


class CalendarFeed(models.Model):
    """A secret calendar address with the due dates of one person's units or of one unit.
    Only a hash of the secret is kept; revoking it stops the address working for good."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, unit__isnull=True)
                | models.Q(user__isnull=True, unit__isnull=False),
                name="calendar_feed_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True, user__isnull=False),
                name="one_live_calendar_feed_per_user",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(revoked_at__isnull=True, unit__isnull=False),
                name="one_live_calendar_feed_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or ''}{self.unit_id or ''}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
