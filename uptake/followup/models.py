"""What happens to actions after the response is approved: updates, evidence, revised dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from uptake.evaluations.models import Action, ActionStatus


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Validated")
    RETURNED = "returned", _("Returned")
    # A newer update on the same action was recorded before this one was reviewed: the
    # newer one is what the evaluation unit reviews, and this one stays as history.
    SUPERSEDED = "superseded", _("Replaced by a newer update")


class ProgressUpdate(models.Model):
    """A responsibility centre's report on one action. Never edited once written; only the
    evaluation unit's review of it is recorded afterwards."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    previous_status = models.CharField(max_length=20, choices=ActionStatus.choices, editable=False)
    narrative = models.TextField(_("progress narrative"))
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        # Updates go only with their action, and then all together.
        on_delete=models.RESTRICT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["review_state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(review_state="returned") | ~models.Q(review_comment=""),
                name="returned_update_has_comment",
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state="superseded")
                | models.Q(superseded_by__isnull=False),
                name="superseded_update_names_its_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.created_at:%Y-%m-%d})"


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.update.action_id}/{instance.update_id}/{filename}"


class Evidence(models.Model):
    """A file or a link attached to a progress update to show what was done."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_upload_path, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("link"), blank=True, max_length=1000)
    label = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="evidence_is_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.original_name or self.url

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class RevisionDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DateRevision(models.Model):
    """One entry in an action's ledger of revised target dates."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="date_revisions")
    update = models.OneToOneField(
        ProgressUpdate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="date_revision",
    )
    requested_text = models.CharField(_("requested date"), max_length=100)
    requested_due_date = models.DateField(_("requested due date"))
    justification = models.TextField(_("justification"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=RevisionDecision.choices,
        default=RevisionDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("revised date")
        verbose_name_plural = _("revised dates")
        indexes = [models.Index(fields=["decision", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(decision="pending"),
                name="one_pending_revision_per_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_text} ({self.get_decision_display()})"
