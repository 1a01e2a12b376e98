"""Country and sector strategies: their logic model (a tree of expected results), the
performance measurement framework (indicators, periods, targets, actuals) and the links from
recommendations and actions to the results they serve."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from uptake.core.i18n import period_span
from uptake.evaluations.models import Action, Recommendation, VersionedModel


def fiscal_year_label(start_year: int) -> str:
    """2024 → "2024-25": a Canadian fiscal year runs from 1 April to 31 March."""
    return f"{start_year}-{str(start_year + 1)[2:]}"


class StrategyKind(models.TextChoices):
    COUNTRY = "country", _("Country strategy")
    SECTOR = "sector", _("Sector strategy")


class StrategyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Strategy(VersionedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=StrategyKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    subject = models.CharField(
        _("country or sector"), max_length=200, help_text=_("For example: Peru, or Water.")
    )
    country_code = models.CharField(
        _("country code"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter ISO code, for country strategies (used in the IATI export)."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("first fiscal year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the first fiscal year starts: 2024 for 2024-25."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("last fiscal year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the last fiscal year starts: 2028 for 2028-29."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=StrategyState.choices, default=StrategyState.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title_en", "id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_period_in_order",
                violation_error_message=_("The last fiscal year cannot come before the first one."),
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(approved_at__isnull=False),
                name="strategy_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("results:strategy_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return period_span(fiscal_year_label(self.start_year), fiscal_year_label(self.end_year))

    @property
    def is_draft(self) -> bool:
        return self.state == StrategyState.DRAFT


class NarrativeSection(VersionedModel):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=1)
    heading_en = models.CharField(_("heading (English)"), max_length=300)
    heading_fr = models.CharField(_("heading (French)"), max_length=300, blank=True)
    body_en = models.TextField(_("text (English)"))
    body_fr = models.TextField(_("text (French)"), blank=True)

    class Meta:
        ordering = ["strategy", "position", "id"]
        verbose_name = _("narrative section")
        verbose_name_plural = _("narrative sections")

    def __str__(self) -> str:
        return self.heading_en


class InvestmentLine(VersionedModel):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="investments")
    position = models.PositiveIntegerField(_("position"), default=1)
    description = models.CharField(_("description"), max_length=500)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the fiscal year starts: 2025 for 2025-26."),
    )

    class Meta:
        ordering = ["strategy", "fiscal_year", "position", "id"]
        verbose_name = _("investment plan line")
        verbose_name_plural = _("investment plan lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="investment_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


class ResultLevel(models.IntegerChoices):
    """The depth of a result in the logic model: its code has one digit per level."""

    ULTIMATE = 1, _("Ultimate outcome")
    INTERMEDIATE = 2, _("Intermediate outcome")
    IMMEDIATE = 3, _("Immediate outcome")
    OUTPUT = 4, _("Output")


def placement_rule(level: int) -> str:
    """Where a result of LEVEL sits in the logic model, as a sentence for error messages."""
    rules = {
        ResultLevel.ULTIMATE: _("An ultimate outcome sits at the top: it goes under no result."),
        ResultLevel.INTERMEDIATE: _("An intermediate outcome goes under an ultimate outcome."),
        ResultLevel.IMMEDIATE: _("An immediate outcome goes under an intermediate outcome."),
        ResultLevel.OUTPUT: _("An output goes under an immediate outcome."),
    }
    return str(rules[ResultLevel(level)])


class Result(VersionedModel):
    """An expected result. Its code (1000, 1100, 1110, 1111) follows from its place in the tree
    and is rewritten by the services whenever the tree changes."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ResultLevel.choices)
    position = models.PositiveSmallIntegerField(default=1, editable=False)
    code = models.IntegerField(_("code"), editable=False)
    statement_en = models.TextField(_("statement (English)"))
    statement_fr = models.TextField(_("statement (French)"), blank=True)
    actions: models.ManyToManyField[Action, ActionLink] = models.ManyToManyField(
        Action, through="ActionLink", related_name="+", verbose_name=_("actions")
    )
    recommendations: models.ManyToManyField[Recommendation, RecommendationLink] = (
        models.ManyToManyField(
            Recommendation,
            through="RecommendationLink",
            related_name="+",
            verbose_name=_("recommendations"),
        )
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        constraints = [
            # Codes are unique among a strategy's results; renumbering goes through negative
            # codes so that the swap never collides.
            models.UniqueConstraint(fields=["strategy", "code"], name="result_code_unique"),
            models.CheckConstraint(
                condition=(models.Q(level=1, parent__isnull=True))
                | (models.Q(level__in=[2, 3, 4], parent__isnull=False)),
                name="result_only_ultimate_has_no_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=9),
                name="result_position_one_digit",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="result_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement_en[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("results:result_detail", args=[self.pk])

    @property
    def iati_type(self) -> str:
        """IATI ResultType: 1 output, 2 outcome, 3 impact."""
        return {ResultLevel.ULTIMATE: "3", ResultLevel.OUTPUT: "1"}.get(
            ResultLevel(self.level), "2"
        )


class Measure(models.TextChoices):
    """IATI IndicatorMeasure codes 1 to 5."""

    UNIT = "unit", _("Unit")
    PERCENTAGE = "percentage", _("Percentage")
    NOMINAL = "nominal", _("Nominal")
    ORDINAL = "ordinal", _("Ordinal")
    QUALITATIVE = "qualitative", _("Qualitative")


IATI_MEASURE = {"unit": "1", "percentage": "2", "nominal": "3", "ordinal": "4", "qualitative": "5"}


class Indicator(VersionedModel):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=1, editable=False)
    text_en = models.TextField(_("indicator (English)"))
    text_fr = models.TextField(_("indicator (French)"), blank=True)
    measure = models.CharField(
        _("measure"), max_length=12, choices=Measure.choices, default=Measure.UNIT
    )
    ascending = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick when a lower value is the better result (for example a death rate)."),
    )
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Each period's value includes the previous periods'."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_text = models.TextField(
        _("baseline (qualitative)"), blank=True, help_text=_("For qualitative indicators.")
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    data_sources = models.TextField(_("data sources"), blank=True)
    collection_method = models.TextField(_("data collection method"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=200, blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["result", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(measure="qualitative") | models.Q(baseline_value__isnull=True),
                name="indicator_qualitative_baseline_is_text",
                violation_error_message=_(
                    "A qualitative indicator's baseline is written as text, not a number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text_en[:80]

    def get_absolute_url(self) -> str:
        return reverse("results:indicator_detail", args=[self.pk])

    @property
    def is_qualitative(self) -> bool:
        return self.measure == Measure.QUALITATIVE

    @property
    def label(self) -> str:
        """1110.2: the second indicator of result 1110."""
        return f"{self.result.code}.{self.position}"


class Period(VersionedModel):
    """A reporting period of a strategy (usually a fiscal year); locked once reported."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("name"), max_length=50, help_text=_("For example: 2025-26."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    locked = models.BooleanField(_("locked"), default=False, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        ordering = ["strategy", "start", "id"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="period_name_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="period_end_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Target(VersionedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("target (qualitative)"), blank=True)

    class Meta:
        ordering = ["indicator", "period__start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_target_per_period"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(text=""),
                name="target_has_a_value",
            ),
        ]

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else self.text


class ActualState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ActualUpdate(VersionedModel):
    """A reported actual for one indicator and one period. The latest approved one counts."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="actuals")
    value = models.DecimalField(_("actual"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("actual (qualitative)"), blank=True)
    variance_explanation = models.TextField(
        _("explanation of the variance"),
        blank=True,
        help_text=_("Required when the actual differs from the target."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ActualState.choices, default=ActualState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__start", "id"]
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(text=""),
                name="actual_has_a_value",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["draft"])
                | models.Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="actual_submitted_says_who",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["draft", "submitted"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="actual_decided_says_who",
            ),
        ]

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else self.text[:60]

    @property
    def is_editable(self) -> bool:
        return self.state in (ActualState.DRAFT, ActualState.RETURNED)


def variance(indicator: Indicator, target: Target | None, value: Decimal | None) -> Decimal | None:
    """Actual minus target, for numeric indicators with both; None otherwise."""
    if indicator.is_qualitative or target is None or target.value is None or value is None:
        return None
    return value - target.value


class ActionLink(models.Model):
    """An action serves an expected result (and, optionally, moves one of its indicators)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="result_links")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="action_links")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="action_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result__code", "id"]
        verbose_name = _("action link")
        verbose_name_plural = _("action links")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "result"],
                condition=models.Q(indicator__isnull=True),
                name="action_link_result_once",
            ),
            models.UniqueConstraint(
                fields=["action", "indicator"],
                condition=models.Q(indicator__isnull=False),
                name="action_link_indicator_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.result_id}"


class RecommendationLink(models.Model):
    """A recommendation bears on an expected result (and, optionally, one of its indicators)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="result_links"
    )
    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="recommendation_links"
    )
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendation_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result__code", "id"]
        verbose_name = _("recommendation link")
        verbose_name_plural = _("recommendation links")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "result"],
                condition=models.Q(indicator__isnull=True),
                name="recommendation_link_result_once",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "indicator"],
                condition=models.Q(indicator__isnull=False),
                name="recommendation_link_indicator_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.result_id}"
