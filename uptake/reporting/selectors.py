"""Reads for rounds, the dashboard, reminders and the committee pack.

Every figure the dashboard shows is defined here, once, as an SQL aggregate: the number of
queries does not depend on the number of actions. The definitions, in words:

- **In follow-up**: an action of an evaluation whose response is approved (approved,
  published, in follow-up or closed).
- **Not counted**: an action that is cancelled or superseded, or that sits under a
  recommendation closed by decision as not accepted, no longer applicable or superseded. It
  is never "due", so it never lowers a rate.
- **Due**: counted, with a current due date on or before the report date (today unless
  another date is asked for).
- **Implementation rate**: due actions that are validated ÷ due actions.
- **On-time rate against the original date**: counted actions whose original due date is on
  or before the report date and that were validated with the completion claimed on or before
  that original date ÷ those counted actions whose original date has passed.
- **On-time rate against the revised date**: due actions validated with the completion
  claimed on or before their current (possibly revised) due date ÷ due actions.
- **Overdue**: counted, under a recommendation still open, neither completed (awaiting
  validation) nor validated, with a current due date before the report date. Its age is the
  time since that due date: less than 6 months, 6 to 12, 12 to 24, and 24 months or more.
- **Fiscal year** of an action: the Canadian fiscal year (1 April to 31 March) of its current
  due date.
- **Branch**: the top of the unit hierarchy above the action's responsibility centre.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uptake.accounts.models import Role, Unit, User
from uptake.accounts.permissions import can_read_internal
from uptake.accounts.selectors import unit_ids_within, user_unit_ids
from uptake.core.caching import cached
from uptake.core.i18n import localized_pair
from uptake.core.search import search_words
from uptake.errors import ServiceError
from uptake.evaluations.models import (
    CLOSED_ACTION_STATUSES,
    FOLLOWED_STATES,
    NOT_OVERDUE_STATUSES,
    Action,
    ActionStatus,
    ClosureReason,
    Evaluation,
    EvaluationState,
    Recommendation,
    RecommendationStatus,
    Response,
)
from uptake.evaluations.selectors import (
    MY_ACTION_SHOWS,
    actions_for_user,
    evaluation_list,
    in_units,
    my_actions,
    with_overdue,
)
from uptake.followup.models import DateRevision, ProgressUpdate, ReviewState, RevisionDecision
from uptake.followup.selectors import SentBack, sent_back_to

from .models import ActionSnapshot, CalendarFeed, FollowUpRound, ReminderLog, UpdateLink

_T = TypeVar("_T")

# Evaluations that still take updates: their open actions owe one in each round.
OPEN_FOR_UPDATES_STATES = FOLLOWED_STATES[:3]
# Closures by decision that take a recommendation's actions out of every denominator.
EXCLUDING_CLOSURES = (
    ClosureReason.NOT_ACCEPTED,
    ClosureReason.NO_LONGER_APPLICABLE,
    ClosureReason.SUPERSEDED,
)
EXCLUDED_STATUSES = (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED)
AGE_BUCKETS = ("0-6", "6-12", "12-24", "24+")


# ---------------------------------------------------------------------------------------------
# Small date helpers


def add_months(day: datetime.date, months: int) -> datetime.date:
    """DAY moved by MONTHS calendar months, kept within the target month (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def fiscal_year_start(day: datetime.date) -> int:
    """The calendar year in which DAY's Canadian fiscal year (1 April to 31 March) starts."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(start: int) -> str:
    """2021 → "2021-22"."""
    return f"{start}-{str(start + 1)[2:]}"


def fiscal_year_bounds(start: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start, 4, 1), datetime.date(start + 1, 3, 31)


def rate(numerator: int, denominator: int) -> float | None:
    """A share in per cent, or None when nothing is in the denominator."""
    return round(100 * numerator / denominator, 1) if denominator else None


# ---------------------------------------------------------------------------------------------
# The follow-up universe and its annotations


def followed_actions() -> QuerySet[Action]:
    """Every action of an evaluation whose response is approved."""
    return Action.objects.filter(response__recommendation__evaluation__state__in=FOLLOWED_STATES)


def excluded_q() -> Q:
    """Actions that are never counted as due (see the module's definitions)."""
    return Q(status__in=EXCLUDED_STATUSES) | Q(
        response__recommendation__closure_reason__in=EXCLUDING_CLOSURES
    )


def annotated_actions() -> QuerySet[Any]:
    """The followed actions with what the figures need: responsibility unit and evaluation.
    Always the followed ones: no figure or list counts a plan that is not approved."""
    return followed_actions().annotate(
        resp_unit_id=F("unit_id"),
        evaluation_id=F("response__recommendation__evaluation_id"),
    )


def _count(condition: Q) -> Coalesce:
    """How many rows meet CONDITION, as SUM(CASE WHEN … THEN 1 ELSE 0 END)."""
    return Coalesce(
        Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())),
        Value(0),
    )


def overdue_condition(report_date: datetime.date) -> Q:
    """Overdue on REPORT_DATE, among followed actions (see the module's definitions). The
    figures count it and the committee pack lists it: one condition, so they cannot differ."""
    return (
        ~excluded_q()
        & Q(response__recommendation__status=RecommendationStatus.OPEN)
        & ~Q(status__in=NOT_OVERDUE_STATUSES)
        & Q(due_date__lt=report_date)
    )


def figure_aggregates(report_date: datetime.date) -> dict[str, Any]:
    """The aggregate expressions behind every figure, over annotated_actions()."""
    counted = ~excluded_q()
    due = counted & Q(due_date__lte=report_date)
    validated = Q(status=ActionStatus.VALIDATED)
    due_by_original = counted & Q(original_due_date__lte=report_date)
    overdue = overdue_condition(report_date)
    six, twelve, twenty_four = (add_months(report_date, -m) for m in (6, 12, 24))
    return {
        "counted": _count(counted),
        "due": _count(due),
        "validated_due": _count(due & validated),
        "due_by_original": _count(due_by_original),
        "on_time_original": _count(
            due_by_original & validated & Q(completed_on__lte=F("original_due_date"))
        ),
        "on_time_revised": _count(due & validated & Q(completed_on__lte=F("due_date"))),
        "overdue": _count(overdue),
        "age_0_6": _count(overdue & Q(due_date__gt=six)),
        "age_6_12": _count(overdue & Q(due_date__lte=six, due_date__gt=twelve)),
        "age_12_24": _count(overdue & Q(due_date__lte=twelve, due_date__gt=twenty_four)),
        "age_24_plus": _count(overdue & Q(due_date__lte=twenty_four)),
    }


@dataclass
class Figures:
    """The figures for one group of actions (everything, one unit, one evaluation …)."""

    key: Any = None
    label: str = ""
    counted: int = 0
    due: int = 0
    validated_due: int = 0
    due_by_original: int = 0
    on_time_original: int = 0
    on_time_revised: int = 0
    overdue: int = 0
    age_0_6: int = 0
    age_6_12: int = 0
    age_12_24: int = 0
    age_24_plus: int = 0

    @property
    def implementation_rate(self) -> float | None:
        return rate(self.validated_due, self.due)

    @property
    def on_time_original_rate(self) -> float | None:
        return rate(self.on_time_original, self.due_by_original)

    @property
    def on_time_revised_rate(self) -> float | None:
        return rate(self.on_time_revised, self.due)

    @property
    def ages(self) -> list[tuple[str, int]]:
        return list(
            zip(
                AGE_BUCKETS,
                (self.age_0_6, self.age_6_12, self.age_12_24, self.age_24_plus),
                strict=True,
            )
        )

    def add(self, other: Figures) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_FIELDS = (
    "counted",
    "due",
    "validated_due",
    "due_by_original",
    "on_time_original",
    "on_time_revised",
    "overdue",
    "age_0_6",
    "age_6_12",
    "age_12_24",
    "age_24_plus",
)


def _figures(row: dict[str, Any], key: Any = None, label: str = "") -> Figures:
    return Figures(key=key, label=label, **{name: row[name] or 0 for name in COUNT_FIELDS})


# ---------------------------------------------------------------------------------------------
# The dashboard


@dataclass(frozen=True)
class DashboardFilters:
    unit_id: int | None = None
    evaluation_id: int | None = None
    fiscal_year: int | None = None  # the year the fiscal year starts
    report_date: datetime.date | None = None


def filtered_actions(filters: DashboardFilters) -> QuerySet[Any]:
    """The annotated actions that the filters keep: a unit takes its sub-units with it."""
    actions = annotated_actions()
    if filters.unit_id:
        actions = actions.filter(resp_unit_id__in=unit_ids_within({filters.unit_id}))
    if filters.evaluation_id:
        actions = actions.filter(response__recommendation__evaluation_id=filters.evaluation_id)
    if filters.fiscal_year:
        start, end = fiscal_year_bounds(filters.fiscal_year)
        actions = actions.filter(due_date__gte=start, due_date__lte=end)
    return actions


def units_and_branches() -> tuple[dict[int, Unit], dict[int, Unit]]:
    """Every unit by id, and each unit's branch: the top of the hierarchy above it (itself
    when it has no parent). One query."""
    units = {u.pk: u for u in Unit.objects.all()}
    top: dict[int, Unit] = {}
    for unit in units.values():
        current, seen = unit, {unit.pk}
        while current.parent_id in units and current.parent_id not in seen:
            seen.add(current.parent_id)
            current = units[current.parent_id]
        top[unit.pk] = current
    return units, top


@dataclass
class Dashboard:
    report_date: datetime.date
    overall: Figures
    by_unit: list[Figures]
    by_branch: list[Figures]
    by_evaluation: list[Figures]
    by_fiscal_year: list[Figures]
    recommendations: RecommendationFigures
    trend: list[RoundFigures] = field(default_factory=list)


@dataclass
class FigureRows:
    """The action figures grouped three ways, as the database returns them."""

    by_unit: list[dict[str, Any]]
    by_evaluation: list[dict[str, Any]]
    by_fiscal_year: list[dict[str, Any]]


def figure_rows(filters: DashboardFilters, report_date: datetime.date) -> FigureRows:
    """Three passes over the followed actions: by unit, by evaluation, by fiscal year due."""
    aggregates = figure_aggregates(report_date)
    actions = filtered_actions(filters)
    return FigureRows(
        by_unit=list(
            actions.values("resp_unit_id").annotate(**aggregates).order_by("resp_unit_id")
        ),
        by_evaluation=list(
            actions.values("evaluation_id").annotate(**aggregates).order_by("evaluation_id")
        ),
        by_fiscal_year=list(
            actions.annotate(fy=_fiscal_year_expression())
            .values("fy")
            .annotate(**aggregates)
            .order_by("fy")
        ),
    )


def dashboard(filters: DashboardFilters) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of queries."""
    report_date = filters.report_date or timezone.localdate()
    rows = figure_rows(filters, report_date)

    units, branches = units_and_branches()
    overall = Figures(label=_("All actions"))
    by_unit: list[Figures] = []
    branch_rows: dict[int, Figures] = {}
    # Every action answers to exactly one unit, so the overall and branch figures are sums of
    # the units' figures: a roll-up of a few rows per unit, never another pass over actions.
    for row in rows.by_unit:
        unit = units.get(row["resp_unit_id"])
        figures = _figures(row, row["resp_unit_id"], unit.code if unit else "?")
        overall.add(figures)
        by_unit.append(figures)
        branch = branches.get(row["resp_unit_id"])
        if branch is not None:
            total = branch_rows.setdefault(branch.pk, Figures(key=branch.pk, label=branch.code))
            total.add(figures)
    by_unit.sort(key=lambda f: f.label)

    titles = {
        pk: localized_pair(english, french)
        for pk, english, french in Evaluation.objects.filter(state__in=FOLLOWED_STATES).values_list(
            "id", "title_en", "title_fr"
        )
    }
    by_evaluation = [
        _figures(row, row["evaluation_id"], titles.get(row["evaluation_id"], "?"))
        for row in rows.by_evaluation
    ]
    by_fiscal_year = [
        _figures(row, row["fy"], fiscal_year_label(row["fy"]) if row["fy"] else _("No due date"))
        for row in rows.by_fiscal_year
    ]
    return Dashboard(
        report_date=report_date,
        overall=overall,
        by_unit=by_unit,
        by_branch=sorted(branch_rows.values(), key=lambda f: f.label),
        by_evaluation=by_evaluation,
        by_fiscal_year=by_fiscal_year,
        recommendations=recommendation_figures(filters),
        trend=round_trend(filters),
    )


# The dashboard is read far more often than the figures change, and computing them means
# reading every followed action. Cached figures are keyed on figures_stamp(), so any change
# made through Uptake shows at once; the time limit only bounds what is kept.
DASHBOARD_CACHE_SECONDS = 15 * 60
# A dashboard lists at most this many evaluations; the exports have every one.
DASHBOARD_EVALUATION_ROWS = 25


def figures_stamp() -> tuple[Any, ...]:
    """A value that changes whenever anything the dashboard counts changes: the newest history
    row of each model it reads (every change through a service writes one, deletions too) and
    the newest round and snapshot. One query, each part an index lookup."""
    tables = [
        (model._meta.db_table, model._meta.pk.column)
        for model in (
            Action.history.model,
            Response.history.model,
            Recommendation.history.model,
            Evaluation.history.model,
            Unit.history.model,
            FollowUpRound,
            ActionSnapshot,
        )
    ]
    quote = connection.ops.quote_name
    # The names come from the models, not from input.
    parts = [f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class DashboardPage:
    """The dashboard as a page shows it: every figure, but only the evaluations that most
    need attention (most overdue actions; most recommendations not yet implemented)."""

    board: Dashboard
    evaluations_shown: int
    evaluations_total: int


def _while_figures_unchanged(name: str, parts: Any, compute: Callable[[], _T]) -> _T:
    """COMPUTE's result for PARTS, from the cache until figures_stamp() changes."""
    return cached(
        name,
        depends_on=(parts, figures_stamp()),
        compute=compute,
        seconds=DASHBOARD_CACHE_SECONDS,
    )


def dashboard_page(filters: DashboardFilters) -> DashboardPage:
    """dashboard() trimmed for a page, from the cache while nothing has changed."""
    report_date = filters.report_date or timezone.localdate()

    def compute() -> DashboardPage:
        board = dashboard(dataclasses.replace(filters, report_date=report_date))
        total = len(board.by_evaluation)
        board.by_evaluation = sorted(
            board.by_evaluation, key=lambda f: (-f.overdue, -f.due, f.label)
        )[:DASHBOARD_EVALUATION_ROWS]
        board.recommendations.by_evaluation = sorted(
            board.recommendations.by_evaluation, key=lambda r: (r[2] - r[1], r[0])
        )[:DASHBOARD_EVALUATION_ROWS]
        return DashboardPage(
            board=board, evaluations_shown=len(board.by_evaluation), evaluations_total=total
        )

    parts = (filters, report_date, translation.get_language())
    return _while_figures_unchanged("dashboard", parts, compute)


def _fiscal_year_expression() -> Case:
    """The start year of the Canadian fiscal year of the due date (NULL without one)."""
    return Case(
        When(due_date__month__gte=4, then=ExtractYear("due_date")),
        When(due_date__isnull=False, then=ExtractYear("due_date") - 1),
        default=Value(None),
        output_field=IntegerField(),
    )


@dataclass
class RecommendationFigures:
    """Recommendations of followed evaluations: how many are closed as implemented."""

    counted: int = 0
    implemented: int = 0
    all_actions_validated_open: int = 0
    by_evaluation: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def implemented_rate(self) -> float | None:
        return rate(self.implemented, self.counted)


def recommendation_figures(filters: DashboardFilters) -> RecommendationFigures:
    """Counted recommendations (not closed as not accepted, no longer applicable or
    superseded) and how many are closed as implemented; by evaluation."""
    recs = Recommendation.objects.filter(evaluation__state__in=FOLLOWED_STATES).exclude(
        closure_reason__in=EXCLUDING_CLOSURES
    )
    if filters.evaluation_id:
        recs = recs.filter(evaluation_id=filters.evaluation_id)
    if filters.unit_id:
        unit_ids = unit_ids_within({filters.unit_id})
        recs = recs.filter(
            Exists(
                Action.objects.filter(response__recommendation_id=OuterRef("pk")).filter(
                    in_units(unit_ids)
                )
            )
        )
    if filters.fiscal_year:
        start, end = fiscal_year_bounds(filters.fiscal_year)
        recs = recs.filter(
            Exists(
                Action.objects.filter(
                    response__recommendation_id=OuterRef("pk"),
                    due_date__gte=start,
                    due_date__lte=end,
                )
            )
        )
    result = RecommendationFigures()
    rows = (
        recs.annotate(
            implemented=Case(
                When(closure_reason=ClosureReason.IMPLEMENTED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            ready=Case(
                When(proposed_closure_q(), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values("evaluation_id", "evaluation__title_en", "evaluation__title_fr")
        .annotate(
            n=_count(Q(pk__isnull=False)),
            done=Coalesce(Sum("implemented"), Value(0)),
            ready_n=Coalesce(Sum("ready"), Value(0)),
        )
        .order_by("evaluation_id")
    )
    for row in rows:
        result.counted += row["n"]
        result.implemented += row["done"]
        result.all_actions_validated_open += row["ready_n"]
        title = localized_pair(row["evaluation__title_en"], row["evaluation__title_fr"])
        result.by_evaluation.append((title, row["n"], row["done"]))
    return result


def proposed_closure_q() -> Q:
    """An open recommendation with at least one action, every one validated, cancelled or
    superseded, and at least one validated: ready to close as implemented."""
    actions = Action.objects.filter(response__recommendation_id=OuterRef("pk"))
    return (
        Q(status=RecommendationStatus.OPEN)
        & Exists(actions.filter(status=ActionStatus.VALIDATED))
        & ~Exists(actions.exclude(status__in=CLOSED_ACTION_STATUSES))
    )


def closures_proposed() -> QuerySet[Recommendation]:
    """Recommendations whose actions are all done and validated, still open."""
    return (
        Recommendation.objects.filter(evaluation__state__in=FOLLOWED_STATES)
        .filter(proposed_closure_q())
        .select_related("evaluation")
        .order_by("evaluation_id", "sort_key", "id")
    )


# ---------------------------------------------------------------------------------------------
# Rounds


def open_round() -> FollowUpRound | None:
    return FollowUpRound.objects.filter(is_open=True).first()


def round_list() -> QuerySet[FollowUpRound]:
    return FollowUpRound.objects.select_related("opened_by", "closed_by").order_by(
        "-opened_at", "-id"
    )


def answered_in_round_q(round_: FollowUpRound) -> Exists:
    """An update submitted on the action since the round opened (and before it closed), not
    returned by the evaluation unit."""
    updates = ProgressUpdate.objects.filter(
        action_id=OuterRef("pk"), created_at__gte=round_.opened_at
    ).exclude(review_state=ReviewState.RETURNED)
    if round_.closed_at:
        updates = updates.filter(created_at__lte=round_.closed_at)
    return Exists(updates)


def owing_actions() -> QuerySet[Action]:
    """Actions that owe an update in a round: open actions, under an open recommendation, of
    an evaluation that still takes updates."""
    return Action.objects.filter(
        response__recommendation__evaluation__state__in=OPEN_FOR_UPDATES_STATES,
        response__recommendation__status=RecommendationStatus.OPEN,
    ).exclude(status__in=CLOSED_ACTION_STATUSES)


def round_actions(round_: FollowUpRound) -> QuerySet[Action]:
    """The actions that owe an update in ROUND, each marked `answered`."""
    return owing_actions().annotate(
        answered=answered_in_round_q(round_),
        resp_unit_id=F("unit_id"),
        evaluation_id=F("response__recommendation__evaluation_id"),
    )


def owed_by_user(user: User, round_: FollowUpRound | None = None) -> QuerySet[Action]:
    """What USER's units still owe in the open round (or ROUND): one update per action."""
    round_ = round_ or open_round()
    if round_ is None or not round_.is_open:
        return Action.objects.none()
    # The units' condition on the same query, not `pk IN (subquery)`: the planner can then
    # start from the unit's actions instead of testing every action of the round.
    unit_ids = user_unit_ids(user)
    mine = in_units(unit_ids)
    return (
        round_actions(round_)
        .filter(mine & Q(answered=False))
        .select_related("unit", "response__unit", "response__recommendation__evaluation")
        .order_by("due_date", "id")
    )


# My actions' views: the evaluations app's, and what is owed in the open round.
MY_ACTION_CHOICES = (*MY_ACTION_SHOWS, "owed")


def my_actions_in_view(user: User, show: str, round_: FollowUpRound | None) -> QuerySet[Action]:
    """USER's actions in one of My actions' views (MY_ACTION_CHOICES): "owed" is what their units
    still owe in ROUND, soonest due first, and nothing when no round is open."""
    if show == "owed":
        # Annotated even when empty: an export reads `overdue` from every row it is given.
        return with_overdue(owed_by_user(user, round_) if round_ else Action.objects.none())
    return my_actions(user, show=show)


@dataclass
class Completeness:
    key: Any
    label: str
    owed: int
    answered: int

    @property
    def rate(self) -> float | None:
        return rate(self.answered, self.owed)


@dataclass
class RoundCompleteness:
    overall: Completeness
    by_unit: list[Completeness]
    by_evaluation: list[Completeness]


def round_completeness(round_: FollowUpRound) -> RoundCompleteness:
    """Updates owed and received, per unit and per evaluation: live for the open round, from
    the snapshot for a closed one."""
    source: QuerySet[Any]
    if round_.is_open:
        source = round_actions(round_)
        unit_key, evaluation_key = "resp_unit_id", "evaluation_id"
        owed, answered = Q(pk__isnull=False), Q(answered=True)
    else:
        source = ActionSnapshot.objects.filter(round=round_)
        unit_key, evaluation_key = "unit_id", "evaluation_id"
        owed, answered = Q(owed=True), Q(owed=True, answered=True)
    aggregates = {"owed_n": _count(owed), "answered_n": _count(answered)}
    codes = dict(Unit.objects.values_list("id", "code"))
    by_unit = [
        Completeness(r[unit_key], codes.get(r[unit_key], "?"), r["owed_n"], r["answered_n"])
        for r in source.values(unit_key).annotate(**aggregates).order_by(unit_key)
        if r["owed_n"]
    ]
    evaluation_rows = [
        r
        for r in source.values(evaluation_key).annotate(**aggregates).order_by(evaluation_key)
        if r["owed_n"]
    ]
    # Only the titles listed, in the reader's language.
    titles = {
        pk: localized_pair(english, french)
        for pk, english, french in Evaluation.objects.filter(
            pk__in=[r[evaluation_key] for r in evaluation_rows]
        ).values_list("id", "title_en", "title_fr")
    }
    by_evaluation = [
        Completeness(
            r[evaluation_key], titles.get(r[evaluation_key], "?"), r["owed_n"], r["answered_n"]
        )
        for r in evaluation_rows
    ]
    by_unit.sort(key=lambda c: c.label)
    overall = Completeness(
        None,
        _("All units"),
        sum(c.owed for c in by_unit),
        sum(c.answered for c in by_unit),
    )
    return RoundCompleteness(overall, by_unit, by_evaluation)


def snapshot_rows(round_: FollowUpRound, as_of: datetime.datetime) -> Iterable[ActionSnapshot]:
    """The snapshot of every followed action as it stands at AS_OF, for ROUND."""
    day = timezone.localdate(as_of)
    owing = owing_actions().values("pk")
    # A round closed with the figures of its closing day.
    rows = (
        annotated_actions()
        .annotate(
            is_excluded=Case(When(excluded_q(), then=Value(True)), default=Value(False)),
            owes=Case(When(pk__in=owing, then=Value(True)), default=Value(False)),
            answered=answered_in_round_q(round_),
            rec_id=F("response__recommendation_id"),
            rec_open=Case(
                When(response__recommendation__status=RecommendationStatus.OPEN, then=Value(True)),
                default=Value(False),
            ),
        )
        .values(
            "pk",
            "evaluation_id",
            "rec_id",
            "resp_unit_id",
            "status",
            "original_due_date",
            "due_date",
            "is_excluded",
            "owes",
            "answered",
            "rec_open",
        )
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=2000):
        overdue = (
            not row["is_excluded"]
            and row["rec_open"]
            and row["status"] not in NOT_OVERDUE_STATUSES
            and row["due_date"] is not None
            and row["due_date"] < day
        )
        yield ActionSnapshot(
            round=round_,
            action_id=row["pk"],
            evaluation_id=row["evaluation_id"],
            recommendation_id=row["rec_id"],
            unit_id=row["resp_unit_id"],
            status=row["status"],
            original_due_date=row["original_due_date"],
            due_date=row["due_date"],
            excluded=row["is_excluded"],
            due=not row["is_excluded"] and row["due_date"] is not None and row["due_date"] <= day,
            validated=row["status"] == ActionStatus.VALIDATED,
            overdue=overdue,
            days_overdue=(day - row["due_date"]).days if overdue else 0,
            owed=row["owes"],
            answered=row["owes"] and row["answered"],
        )


@dataclass
class RoundFigures:
    round_id: int
    name: str
    closed_on: datetime.date
    due: int
    validated_due: int
    overdue: int

    @property
    def implementation_rate(self) -> float | None:
        return rate(self.validated_due, self.due)


def round_trend(filters: DashboardFilters | None = None) -> list[RoundFigures]:
    """Implementation and overdue figures of every closed round, oldest first, from the
    snapshots, with the dashboard's filters."""
    snapshots = ActionSnapshot.objects.filter(round__is_open=False)
    if filters and filters.unit_id:
        snapshots = snapshots.filter(unit_id__in=unit_ids_within({filters.unit_id}))
    if filters and filters.evaluation_id:
        snapshots = snapshots.filter(evaluation_id=filters.evaluation_id)
    if filters and filters.fiscal_year:
        start, end = fiscal_year_bounds(filters.fiscal_year)
        snapshots = snapshots.filter(due_date__gte=start, due_date__lte=end)
    rows = (
        snapshots.values("round_id", "round__name", "round__closed_at")
        .annotate(
            due_n=_count(Q(due=True)),
            validated_n=_count(Q(due=True, validated=True)),
            overdue_n=_count(Q(overdue=True)),
        )
        .order_by("round__closed_at", "round_id")
    )
    return [
        RoundFigures(
            round_id=r["round_id"],
            name=r["round__name"],
            closed_on=timezone.localdate(r["round__closed_at"]),
            due=r["due_n"],
            validated_due=r["validated_n"],
            overdue=r["overdue_n"],
        )
        for r in rows
    ]


def previous_closed_round(round_: FollowUpRound) -> FollowUpRound | None:
    """The last round closed before ROUND opened (or before it closed, for a closed round)."""
    rounds = FollowUpRound.objects.filter(is_open=False).exclude(pk=round_.pk)
    return (
        rounds.filter(closed_at__lte=round_.closed_at or timezone.now())
        .order_by("-closed_at", "-id")
        .first()
    )


@dataclass
class Change:
    action_id: int
    evaluation: str
    recommendation: str
    unit: str
    action: str
    before_status: str
    after_status: str
    before_due: datetime.date | None
    after_due: datetime.date | None


def changes_between(
    before: FollowUpRound, after: FollowUpRound | None, today: datetime.date | None = None
) -> list[Change]:
    """Actions whose status or due date differ between BEFORE's snapshot and AFTER's (or the
    live data when AFTER is open or None); new actions show with an empty "before"."""
    old = {
        s["action_id"]: (s["status"], s["due_date"])
        for s in ActionSnapshot.objects.filter(round=before).values(
            "action_id", "status", "due_date"
        )
    }
    if after is not None and not after.is_open:
        new_rows = ActionSnapshot.objects.filter(round=after).values(
            "action_id", "status", "due_date"
        )
        new = {s["action_id"]: (s["status"], s["due_date"]) for s in new_rows}
    else:
        new = {
            a["pk"]: (a["status"], a["due_date"])
            for a in followed_actions().values("pk", "status", "due_date")
        }
    changed = [pk for pk, state in new.items() if old.get(pk) != state]
    details = (
        Action.objects.filter(pk__in=changed)
        .select_related("unit", "response__unit", "response__recommendation__evaluation")
        .order_by("response__recommendation__evaluation_id", "id")
    )
    labels = dict(ActionStatus.choices)
    result = []
    for action in details:
        before_status, before_due = old.get(action.pk, ("", None))
        after_status, after_due = new[action.pk]
        result.append(
            Change(
                action_id=action.pk,
                evaluation=action.response.recommendation.evaluation.title_en,
                recommendation=action.response.recommendation.number,
                unit=action.unit.code,
                action=action.text,
                before_status=str(labels.get(before_status, "")) if before_status else "",
                after_status=str(labels.get(after_status, after_status)),
                before_due=before_due,
                after_due=after_due,
            )
        )
    return result


def latest_narratives(action_ids: Iterable[int]) -> dict[int, str]:
    """The latest progress narrative of each action: the reason it gives for where it is."""
    latest = ProgressUpdate.objects.filter(action_id=OuterRef("action_id")).order_by(
        "-created_at", "-id"
    )
    rows = (
        ProgressUpdate.objects.filter(action_id__in=list(action_ids))
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .values_list("action_id", "narrative")
    )
    return dict(rows)


def revisions_pending() -> QuerySet[DateRevision]:
    return (
        DateRevision.objects.filter(decision=RevisionDecision.PENDING)
        .select_related(
            "action__unit", "action__response__unit", "action__response__recommendation__evaluation"
        )
        .order_by("requested_at", "id")
    )


def fiscal_years_with_actions() -> list[int]:
    """Every fiscal year from the earliest to the latest due date of a followed action
    (from the cache while nothing has changed: it reads every followed action)."""

    def compute() -> list[int]:
        bounds = followed_actions().aggregate(first=Min("due_date"), last=Max("due_date"))
        if bounds["first"] is None:
            return []
        return list(
            range(fiscal_year_start(bounds["first"]), fiscal_year_start(bounds["last"]) + 1)
        )

    return _while_figures_unchanged("fiscal-years", (), compute)


# ---------------------------------------------------------------------------------------------
# Exports: the rows behind each dataset, with the list pages' filters


def _require_reader(user: User | None) -> None:
    """Exports read what the internal pages show: every signed-in role reads everything. None
    is the console's operator, who already holds the database."""
    if user is not None and not can_read_internal(user):
        raise PermissionDenied(_("Sign in to export data."))


@dataclass(frozen=True)
class ExportFilters:
    """The list pages' filters, checked: evaluations (search, state, program) and actions."""

    search: str = ""
    state: str = ""
    program: str = ""
    evaluation_id: int | None = None
    unit_id: int | None = None
    status: str = ""
    mine: bool = False
    show: str = "open"

    @property
    def chooses_evaluations(self) -> bool:
        return bool(search_words(self.search) or self.state or self.program.strip())


def _number(params: Mapping[str, str], name: str, message: str) -> int | None:
    """The whole number in PARAMS[NAME], None when it is empty; MESSAGE when it is not one."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise ServiceError(message % {"value": raw}, field=name)
    return int(raw)


def _choice(params: Mapping[str, str], name: str, choices: Iterable[str], message: str) -> str:
    """PARAMS[NAME] when it is one of CHOICES (or empty); MESSAGE, listing them, otherwise."""
    raw = (params.get(name) or "").strip()
    choices = list(choices)
    if raw and raw not in choices:
        raise ServiceError(message % {"value": raw, "choices": ", ".join(choices)}, field=name)
    return raw


def export_filters(params: Mapping[str, str]) -> ExportFilters:
    """The filters in PARAMS, every one checked: a value that means nothing is refused with a
    ServiceError naming the parameter, rather than ignored (which would export everything)."""
    return ExportFilters(
        search=params.get("q", ""),
        state=_choice(
            params, "state", EvaluationState.values,
            _("state: “%(value)s” is not a state; use one of %(choices)s."),
        ),
        program=params.get("program", ""),
        evaluation_id=_number(
            params, "evaluation", _("evaluation: “%(value)s” is not an evaluation number.")
        ),
        unit_id=_number(params, "unit", _("unit: “%(value)s” is not a unit number.")),
        status=_choice(
            params, "status", ActionStatus.values,
            _("status: “%(value)s” is not an action status; use one of %(choices)s."),
        ),
        mine=bool(params.get("mine")),
        show=_choice(
            params, "show", MY_ACTION_CHOICES,
            _("show: “%(value)s” is not a choice; use one of %(choices)s."),
        ) or "open",
    )  # fmt: skip


EXPORT_CHUNK = 2000  # rows an export reads at a time


def _evaluations(user: User | None, filters: ExportFilters) -> QuerySet[Any]:
    """The evaluations list, with its filters (q, state, program)."""
    _require_reader(user)
    return evaluation_list(
        search=filters.search, state=filters.state, program=filters.program
    ).order_by("-approval_date", "-id")


def export_evaluations(*, user: User | None, params: Mapping[str, str]) -> QuerySet[Any]:
    """The evaluations list as plain values, one dict a row."""
    return _evaluations(user, export_filters(params)).values(
        "id", "title_en", "title_fr", "program", "program_fr", "period", "evaluation_type",
        "evaluation_unit",
        "approval_date", "state", "recommendation_count", "open_recommendation_count",
        "action_count", "overdue_count", "report_url",
    )  # fmt: skip


def _recommendations(user: User | None, filters: ExportFilters) -> QuerySet[Recommendation]:
    """Recommendations of the evaluations the list's filters keep (or of one `evaluation`)."""
    evaluations = _evaluations(user, filters).values("pk")
    recs = Recommendation.objects.filter(evaluation_id__in=evaluations)
    if filters.evaluation_id:
        recs = recs.filter(evaluation_id=filters.evaluation_id)
    return recs


def export_recommendations(*, user: User | None, params: Mapping[str, str]) -> QuerySet[Any]:
    """The recommendations as plain values, with their action counts; the units that respond
    come from `export_recommendation_units`."""
    return (
        _recommendations(user, export_filters(params))
        .annotate(
            action_count=_count(Q(responses__actions__isnull=False)),
            validated_count=_count(Q(responses__actions__status=ActionStatus.VALIDATED)),
        )
        .order_by("evaluation_id", "sort_key", "id")
        .values(
            "id", "evaluation_id", "number", "statement", "status", "closure_reason",
            "closed_at", "action_count", "validated_count",
            evaluation_title=F("evaluation__title_en"),
        )
    )  # fmt: skip


def export_recommendation_units(
    *, user: User | None, params: Mapping[str, str]
) -> dict[int, list[str]]:
    """The codes of the units that respond to each exported recommendation, in response order."""
    codes: dict[int, list[str]] = {}
    responses = (
        Response.objects.filter(recommendation__in=_recommendations(user, export_filters(params)))
        .order_by("recommendation_id", "id")
        .values_list("recommendation_id", "unit__code")
    )
    for rec_id, code in responses.iterator(chunk_size=EXPORT_CHUNK):
        codes.setdefault(rec_id, []).append(code)
    return codes


def _actions(user: User | None, params: Mapping[str, str]) -> QuerySet[Any]:
    """Every action, or with `mine` the person's own (My actions, with its `show`), of the
    evaluations the list's filters keep (q, state, program: the evaluations export's rows, as
    a subquery); filters: evaluation, unit (with sub-units), status."""
    _require_reader(user)
    filters = export_filters(params)
    today = timezone.localdate()
    actions: QuerySet[Action]
    if filters.mine and user is not None:
        actions = my_actions_in_view(user, filters.show, open_round())
    else:
        actions = with_overdue(Action.objects.all(), today)
    if filters.chooses_evaluations:
        evaluations = _evaluations(user, filters).values("pk")
        actions = actions.filter(response__recommendation__evaluation__in=evaluations)
    if filters.evaluation_id:
        actions = actions.filter(response__recommendation__evaluation_id=filters.evaluation_id)
    if filters.unit_id:
        unit_ids = unit_ids_within({filters.unit_id})
        actions = actions.filter(in_units(unit_ids))
    if filters.status:
        actions = actions.filter(status=filters.status)
    return actions.order_by(
        "response__recommendation__evaluation_id",
        "response__recommendation__sort_key",
        "response_id",
        "position",
        "id",
    )


def export_actions(*, user: User | None, params: Mapping[str, str]) -> QuerySet[Any]:
    """The actions as plain values; `overdue` is as of today."""
    return _actions(user, params).values(
        "id", "role", "text", "deliverable", "status", "target_date_text", "revised_target_text",
        "original_due_date", "due_date", "overdue",
        evaluation_title=F("response__recommendation__evaluation__title_en"),
        recommendation_number=F("response__recommendation__number"),
        unit_code=F("unit__code"),
    )  # fmt: skip


def export_updates(*, user: User | None, params: Mapping[str, str]) -> QuerySet[Any]:
    """Progress updates of the actions the same filters keep, oldest first, as plain values."""
    actions = _actions(user, params).values("pk")
    return (
        ProgressUpdate.objects.filter(action_id__in=actions)
        .annotate(evidence_count=Count("evidence"))
        .order_by("created_at", "id")
        .values(
            "id", "action_id", "created_at", "status", "previous_status", "narrative",
            "review_state", "reviewed_at", "review_comment", "evidence_count",
            evaluation_title=F("action__response__recommendation__evaluation__title_en"),
            recommendation_number=F("action__response__recommendation__number"),
            unit_code=F("action__unit__code"),
            author_username=F("author__username"),
            author_first_name=F("author__first_name"),
            author_last_name=F("author__last_name"),
            # Sent through an update link: the author is the account that stands for the
            # person (`services.external_submitter`), which only their name identifies.
            by_link=Exists(UpdateLink.objects.filter(used_update_id=OuterRef("pk"))),
            reviewer_username=F("reviewed_by__username"),
        )
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The committee pack


def round_as_of(round_: FollowUpRound) -> datetime.date:
    """The date a round's figures describe: the day it closed, or today while open."""
    return timezone.localdate(round_.closed_at) if round_.closed_at else timezone.localdate()


def snapshot_figures(round_: FollowUpRound) -> tuple[Figures, list[Figures]]:
    """A closed round's figures from its snapshot, overall and by unit: due, validated of
    due, overdue and its ages (on-time rates need completion dates the snapshot does not
    keep, so they stay at zero)."""
    as_of = round_as_of(round_)
    six, twelve, twenty_four = (add_months(as_of, -m) for m in (6, 12, 24))
    overdue = Q(overdue=True)
    aggregates = {
        "counted": _count(Q(excluded=False)),
        "due": _count(Q(due=True)),
        "validated_due": _count(Q(due=True, validated=True)),
        "due_by_original": Value(0),
        "on_time_original": Value(0),
        "on_time_revised": Value(0),
        "overdue": _count(overdue),
        "age_0_6": _count(overdue & Q(due_date__gt=six)),
        "age_6_12": _count(overdue & Q(due_date__lte=six, due_date__gt=twelve)),
        "age_12_24": _count(overdue & Q(due_date__lte=twelve, due_date__gt=twenty_four)),
        "age_24_plus": _count(overdue & Q(due_date__lte=twenty_four)),
    }
    # Prefixed: the snapshot has fields called "due" and "overdue" that the sums read.
    prefixed = {f"f_{name}": expression for name, expression in aggregates.items()}
    codes = dict(Unit.objects.values_list("id", "code"))
    snapshots = ActionSnapshot.objects.filter(round=round_)
    by_unit = [
        _figures(
            {name: row[f"f_{name}"] for name in COUNT_FIELDS},
            row["unit_id"],
            codes.get(row["unit_id"], "?"),
        )
        for row in snapshots.values("unit_id").annotate(**prefixed).order_by("unit_id")
    ]
    by_unit.sort(key=lambda f: f.label)
    overall = Figures(label=_("All actions"))
    for figures in by_unit:
        overall.add(figures)
    return overall, by_unit


def overdue_actions(round_: FollowUpRound) -> QuerySet[Action]:
    """The overdue actions of a round: frozen in the snapshot of a closed round, live while
    it is open. A closed round's rows carry `frozen_days`, the days late on closing day.
    Live, they are the followed actions the figures count as overdue (`overdue_condition`):
    a plan not yet approved has proposed dates, which are never late."""
    related = ("unit", "response__unit", "response__recommendation__evaluation")
    if round_.is_open:
        return (
            followed_actions()
            .select_related(*related)
            .filter(overdue_condition(round_as_of(round_)))
            .order_by("due_date", "id")
        )
    actions = Action.objects.select_related(*related)
    frozen = ActionSnapshot.objects.filter(round=round_, overdue=True)
    return (
        actions.filter(pk__in=frozen.values("action_id"))
        .annotate(
            frozen_days=Subquery(frozen.filter(action_id=OuterRef("pk")).values("days_overdue")[:1])
        )
        .order_by("due_date", "id")
    )


# ---------------------------------------------------------------------------------------------
# Reminders

REMINDER_HORIZON_DAYS = 45
# Each list of a digest names this many at most: a branch's focal point can have hundreds of
# overdue actions, and an e-mail that lists them all is not read. The rest are a link away.
DIGEST_LIST_SHOWN = 20

_Item = TypeVar("_Item")


@dataclass
class Shortened(Generic[_Item]):
    """The first items of a list that may be longer, and how many the list holds in all."""

    items: list[_Item]
    total: int

    @classmethod
    def whole(cls, items: list[_Item]) -> Shortened[_Item]:
        return cls(items, len(items))

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[_Item]:
        return iter(self.items)


def _shortened(queryset: QuerySet[Action]) -> Shortened[Action]:
    shown = list(queryset[:DIGEST_LIST_SHOWN])
    # Counted only when the list was cut: a short list is its own count.
    total = len(shown) if len(shown) < DIGEST_LIST_SHOWN else queryset.count()
    return Shortened(shown, total)


@dataclass
class Digest:
    """What one focal point is reminded of: each list holds actions of their units, or what
    was sent back to them, shortened to DIGEST_LIST_SHOWN."""

    user: User
    due_soon: Shortened[Action]
    overdue: Shortened[Action]
    owed: Shortened[Action]
    round: FollowUpRound | None
    # Returned updates and refused revised dates still waiting for the unit.
    sent_back: Shortened[SentBack]
    # Distinct actions over every list, in full: an action can be overdue and owed at once.
    action_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.due_soon or self.overdue or self.owed or self.sent_back)


def focal_points_to_remind() -> QuerySet[User]:
    """Active focal points with an e-mail address and at least one unit."""
    return (
        User.objects.filter(role=Role.FOCAL_POINT, is_active=True, units__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def reminder_digest(user: User, today: datetime.date | None = None) -> Digest:
    """USER's actions (their units and sub-units) of approved responses that are open and due
    in the next 45 days, overdue, or owing an update in the open round, and what was sent
    back to their units (`uptake.followup.selectors.sent_back_to`)."""
    today = today or timezone.localdate()
    mine = (
        with_overdue(actions_for_user(user), today)
        .filter(
            response__recommendation__evaluation__state__in=OPEN_FOR_UPDATES_STATES,
            response__recommendation__status=RecommendationStatus.OPEN,
        )
        .exclude(status__in=NOT_OVERDUE_STATUSES)
        .select_related("unit", "response__unit", "response__recommendation__evaluation")
        .order_by("due_date", "id")
    )
    horizon = today + datetime.timedelta(days=REMINDER_HORIZON_DAYS)
    round_ = open_round()
    owed = owed_by_user(user, round_) if round_ else Action.objects.none()
    sent_back = sent_back_to(user)
    sent_back_ids = [item.action.pk for item in sent_back]
    action_count = Action.objects.filter(
        Q(pk__in=mine.filter(due_date__lte=horizon).values("pk"))
        | Q(pk__in=owed.values("pk"))
        | Q(pk__in=sent_back_ids)
    ).count()
    return Digest(
        user=user,
        due_soon=_shortened(mine.filter(due_date__gte=today, due_date__lte=horizon)),
        overdue=_shortened(mine.filter(due_date__lt=today)),
        owed=_shortened(owed),
        round=round_,
        sent_back=Shortened(sent_back[:DIGEST_LIST_SHOWN], len(sent_back)),
        action_count=action_count,
    )


def reminded_on(user: User, day: datetime.date) -> bool:
    return ReminderLog.objects.filter(user=user, day=day).exists()


# ---------------------------------------------------------------------------------------------
# Update links and calendar feeds: secret addresses, of which only a hash is stored.


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def update_link_by_secret(secret: str) -> UpdateLink | None:
    """The link whose address holds SECRET, whatever its state; None when there is none."""
    return (
        UpdateLink.objects.select_related(
            "action__unit", "action__response__unit", "action__response__recommendation__evaluation"
        )
        .filter(token_hash=secret_hash(secret))
        .first()
    )


def action_update_links(action_id: int) -> QuerySet[UpdateLink]:
    return (
        UpdateLink.objects.filter(action_id=action_id)
        .select_related("created_by", "used_update")
        .order_by("-created_at", "-id")
    )


def calendar_feed_by_secret(secret: str) -> CalendarFeed | None:
    """The live feed whose address holds SECRET: not revoked, and not a person's who can no
    longer sign in."""
    return (
        CalendarFeed.objects.select_related("user", "unit")
        .filter(token_hash=secret_hash(secret), revoked_at__isnull=True)
        .exclude(user__is_active=False)
        .first()
    )


def user_calendar_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def units_with_calendar_feeds() -> list[tuple[Unit, CalendarFeed | None]]:
    """Every unit, with its live calendar feed if it has one: two queries."""
    live = {
        f.unit_id: f
        for f in CalendarFeed.objects.filter(unit__isnull=False, revoked_at__isnull=True)
    }
    return [(unit, live.get(unit.pk)) for unit in Unit.objects.order_by("code")]


def calendar_feed_actions(feed: CalendarFeed) -> QuerySet[Action]:
    """The dated actions in follow-up of the feed's units and their sub-units: those of the
    person's units for a personal feed, those of the unit for a unit feed. Closed actions
    (validated, cancelled, superseded) have nothing due any more and are left out; an action
    claimed completed stays until the evaluation unit validates it."""
    if feed.user is not None:
        unit_ids = user_unit_ids(feed.user)
    else:
        unit_ids = unit_ids_within({feed.unit_id}) if feed.unit_id else set()
    return (
        Action.objects.filter(
            in_units(unit_ids),
            response__recommendation__evaluation__state__in=FOLLOWED_STATES,
            due_date__isnull=False,
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .select_related("unit", "response__unit", "response__recommendation__evaluation")
        .order_by("due_date", "id")
    )
