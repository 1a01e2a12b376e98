"""Evaluations, their recommendations, and each unit's response and actions."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from uptake.accounts.models import Unit
from uptake.core.i18n import localized
from uptake.core.models import SearchableModel
from uptake.core.search import fold


class VersionedModel(models.Model):
    """A row that carries a version number, bumped on every save through a service.

    Forms send the version they were rendered with; a service refuses to save over a newer
    one (optimistic concurrency), so two people editing at once never overwrite each other.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RESPONSE_IN_PREPARATION = "response_in_preparation", _("Response in preparation")
    RESPONSE_SUBMITTED = "response_submitted", _("Response awaiting approval")
    RESPONSE_APPROVED = "response_approved", _("Response approved")
    PUBLISHED = "published", _("Published")
    IN_FOLLOW_UP = "in_follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed")


# Evaluations whose response is approved: their actions are followed up, can be overdue and
# are reported on. Before approval an action's date is a proposal, not a commitment.
FOLLOWED_STATES = (
    EvaluationState.RESPONSE_APPROVED,
    EvaluationState.PUBLISHED,
    EvaluationState.IN_FOLLOW_UP,
    EvaluationState.CLOSED,
)


_SHORT_FISCAL_YEAR = re.compile(r"\b(\d{4})-(\d{2})\b")


class EvaluationType(models.TextChoices):
    PROGRAM = "program", _("Program evaluation")
    COUNTRY = "country", _("Country program evaluation")
    THEMATIC = "thematic", _("Thematic evaluation")
    HORIZONTAL = "horizontal", _("Horizontal evaluation")
    AUDIT = "audit", _("Audit")
    OTHER = "other", _("Other")


class Evaluation(VersionedModel, SearchableModel):
    SEARCHED_FIELDS = ("title_en", "title_fr", "program", "program_fr")

    title_en = models.CharField(_("title (English)"), max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    program = models.CharField(_("program or country"), max_length=300, blank=True)
    program_fr = models.CharField(_("program or country (French)"), max_length=300, blank=True)
    period = models.CharField(
        _("period covered"),
        max_length=100,
        blank=True,
        help_text=_("Fiscal years as written, for example 2016-17 to 2021-22."),
    )
    evaluation_type = models.CharField(
        _("type"), max_length=20, choices=EvaluationType.choices, default=EvaluationType.PROGRAM
    )
    evaluation_unit = models.CharField(
        _("evaluation unit"), max_length=300, blank=True, help_text=_("Who conducted it.")
    )
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    report_url = models.URLField(_("report link"), blank=True)
    summary_url = models.URLField(_("summary link"), blank=True)
    pdf_url = models.URLField(_("PDF link"), blank=True)
    state = models.CharField(
        _("state"), max_length=30, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    approval_comment = models.TextField(_("approval comment"), blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-approval_date", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [
            models.Index(fields=["state"]),
            # Lists page through evaluations in this order: the index hands over the first
            # page without sorting every evaluation.
            models.Index(fields=["approval_date", "id"], name="evaluation_list_order"),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("evaluations:detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.title_en

    @property
    def period_beside_title(self) -> str:
        """The period to show after the title in a list, or "" when the title already says it
        ("Evaluation of … (2017-18 to 2022-23)"), whatever its case, accents or dashes."""

        def key(text: str) -> str:
            text = " ".join(fold(text).replace("–", "-").replace("—", "-").split())
            # A fiscal year's second year in full: "2019-20" and "2019-2020" say the same.
            return _SHORT_FISCAL_YEAR.sub(lambda m: f"{m[1]}-{m[1][:2]}{m[2]}", text)

        period = self.period.strip()
        shown = localized(self, "title_en")  # the title the page shows, in its language
        return "" if key(period) in key(shown) else period

    @property
    def response_is_editable(self) -> bool:
        """Recommendations, responses and actions change only until the response goes for approval."""
        return self.state in (EvaluationState.DRAFT, EvaluationState.RESPONSE_IN_PREPARATION)

    @property
    def is_in_follow_up(self) -> bool:
        return self.state in (
            EvaluationState.RESPONSE_APPROVED,
            EvaluationState.PUBLISHED,
            EvaluationState.IN_FOLLOW_UP,
        )


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY_IMPLEMENTED = "partly_implemented", _("Closed by decision: partly implemented")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("Closed by decision: no longer applicable")
    SUPERSEDED = "superseded", _("Closed by decision: superseded")
    NOT_ACCEPTED = "not_accepted", _("Closed by decision: not accepted")


class Recommendation(VersionedModel, SearchableModel):
    SEARCHED_FIELDS = ("statement", "statement_fr")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.CharField(
        _("number"), max_length=20, help_text=_("As the report numbers it: 3, 3.1, 2 a).")
    )
    sort_key = models.CharField(max_length=60, editable=False, default="")
    statement = models.TextField(_("statement"))
    body = models.TextField(_("body"), blank=True)
    # French versions of the content: empty until translated; public pages mark the gap.
    statement_fr = models.TextField(_("statement (French)"), blank=True)
    body_fr = models.TextField(_("body (French)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["evaluation", "sort_key", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="recommendation_number_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=RecommendationStatus.OPEN, closure_reason="")
                    | (models.Q(status=RecommendationStatus.CLOSED) & ~models.Q(closure_reason=""))
                ),
                name="recommendation_closed_iff_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Recommendation')} {self.number}"


class SubPoint(VersionedModel):
    """One of the lettered points under a recommendation ("should focus on: a) … b) …")."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="sub_points"
    )
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("label"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "position", "id"]
        verbose_name = _("sub-point")
        verbose_name_plural = _("sub-points")

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}".strip()


class Agreement(models.TextChoices):
    AGREES = "agree", _("Agrees")
    AGREES_IN_PART = "partially_agree", _("Agrees in part")
    DISAGREES = "disagree", _("Disagrees")


class Response(VersionedModel):
    """One unit's answer to one recommendation: its agreement, commitment and actions."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="responses"
    )
    agreement = models.CharField(_("agreement"), max_length=20, choices=Agreement.choices)
    commitment = models.TextField(_("commitment"), blank=True)
    rationale = models.TextField(
        _("rationale"),
        blank=True,
        help_text=_("Required when the unit agrees only in part or disagrees."),
    )
    commitment_fr = models.TextField(_("commitment (French)"), blank=True)
    rationale_fr = models.TextField(_("rationale (French)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "id"]
        verbose_name = _("management response")
        verbose_name_plural = _("management responses")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "unit"], name="one_response_per_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(agreement="agree") | ~models.Q(rationale=""),
                name="response_rationale_unless_agrees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.get_agreement_display()}"


class TargetKind(models.TextChoices):
    DATE = "date", _("Date")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    UNPARSED = "unparsed", _("Not understood")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed (awaiting validation)")
    VALIDATED = "validated", _("Validated")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")


# Statuses after which an action is no longer owed: neither open nor overdue.
CLOSED_ACTION_STATUSES = (ActionStatus.VALIDATED, ActionStatus.CANCELLED, ActionStatus.SUPERSEDED)
# Statuses that stop the overdue clock: the unit has claimed completion, or it is closed.
NOT_OVERDUE_STATUSES = (ActionStatus.COMPLETED, *CLOSED_ACTION_STATUSES)


class Action(VersionedModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("action"))
    deliverable = models.TextField(
        _("deliverable or evidence"),
        blank=True,
        help_text=_("What will show that the action is done."),
    )
    text_fr = models.TextField(_("action (French)"), blank=True)
    deliverable_fr = models.TextField(_("deliverable or evidence (French)"), blank=True)
    # Always set (the response's unit unless another is named), so that "the actions a unit
    # answers for" is one indexed column rather than a condition across two tables.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    role = models.CharField(
        _("role"), max_length=300, blank=True, help_text=_("For example: Program Director.")
    )
    role_fr = models.CharField(_("role (French)"), max_length=300, blank=True)
    target_date_text = models.CharField(
        _("target completion date"),
        max_length=100,
        help_text=_("As written: June 2021, Q3 2021-22, 2021-22, March 31, 2022, Ongoing."),
    )
    target_kind = models.CharField(
        max_length=10, choices=TargetKind.choices, default=TargetKind.UNPARSED, editable=False
    )
    original_due_date = models.DateField(_("original due date"), null=True, blank=True)
    # The last approved revision's date, or the original one. Derived, but kept on the row
    # so that "overdue" can be filtered and counted in SQL over hundreds of thousands of actions;
    # only the services that approve a revision or set the target date write it.
    due_date = models.DateField(_("current due date"), null=True, blank=True, editable=False)
    # The approved revision's date as its requester wrote it ("March 2027"), so that reports
    # read "June 2021, revised to March 2027"; empty while the original date stands.
    revised_target_text = models.CharField(
        _("revised target date"), max_length=100, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    # The day (local time) of the latest completion claim that the evaluation unit accepted:
    # what "completed on time" is measured by. Derived from the updates like due_date, and kept
    # on the row for the same reason: the dashboard counts it over every action at once. Only
    # the service that validates an update writes it.
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "position", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["unit", "status"]),
            # The default order: lists of actions page through it without sorting them all.
            models.Index(fields=["response", "position", "id"], name="action_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_kind="date", original_due_date__isnull=False)
                | (~models.Q(target_kind="date") & models.Q(original_due_date__isnull=True)),
                name="action_due_date_iff_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("followup:action", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_ACTION_STATUSES

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Days past the current due date; 0 when completed or not yet due. Whether the action
        counts as overdue also depends on its plan being approved: see `overdue_q`."""
        if self.due_date is None or self.status in NOT_OVERDUE_STATUSES:
            return 0
        today = today or timezone.localdate()
        return max(0, (today - self.due_date).days)

    @property
    def has_revised_date(self) -> bool:
        return bool(self.revised_target_text)
