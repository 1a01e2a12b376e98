"""Reads about strategies, their logic models and PMFs, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from uptake.core.search import matching_ids
from uptake.evaluations.models import Action

from .models import (
    ActionLink,
    ActualState,
    ActualUpdate,
    Indicator,
    Period,
    RecommendationLink,
    Result,
    Strategy,
    Target,
    variance,
)


def strategy_list(*, search: str = "", state: str = "") -> QuerySet[Strategy]:
    strategies = Strategy.objects.annotate(
        result_count=Count("results", distinct=True),
        indicator_count=Count("results__indicators", distinct=True),
    )
    if search:
        rows = Strategy.objects.values_list("pk", "title_en", "title_fr", "subject")
        strategies = strategies.filter(pk__in=matching_ids(rows, search))
    if state:
        strategies = strategies.filter(state=state)
    return strategies.order_by("-start_year", "title_en", "id")


@dataclass
class Node:
    """A result with its place in the tree, for drawing and listing."""

    result: Result
    depth: int
    children: list[Node] = field(default_factory=list)


def logic_model(strategy: Strategy) -> list[Node]:
    """The strategy's results as a tree (roots first, siblings in code order), two queries."""
    results = list(
        Result.objects.filter(strategy=strategy)
        .order_by("code")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
    )
    nodes = {r.pk: Node(r, r.level - 1) for r in results}
    roots: list[Node] = []
    for result in results:
        node = nodes[result.pk]
        if result.parent_id is None:
            roots.append(node)
        else:
            nodes[result.parent_id].children.append(node)
    return roots


def flatten(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


@dataclass
class Cell:
    period: Period
    target: Target | None
    actual: ActualUpdate | None  # the latest approved actual

    @property
    def variance(self) -> Decimal | None:
        if self.actual is None:
            return None
        return variance(self.actual.indicator, self.target, self.actual.value)


@dataclass
class PmfRow:
    indicator: Indicator
    cells: list[Cell]


@dataclass
class Pmf:
    periods: list[Period]
    rows: list[PmfRow]


def pmf(strategy: Strategy, *, indicator: Indicator | None = None) -> Pmf:
    """Targets against approved actuals, one row per indicator, one cell per period."""
    periods = list(Period.objects.filter(strategy=strategy).order_by("start", "id"))
    indicators_qs = Indicator.objects.filter(result__strategy=strategy).select_related("result")
    if indicator is not None:
        indicators_qs = indicators_qs.filter(pk=indicator.pk)
    indicators = sorted(indicators_qs, key=lambda i: (i.result.code, i.position, i.pk))
    ids = [i.pk for i in indicators]
    targets = {
        (t.indicator_id, t.period_id): t for t in Target.objects.filter(indicator_id__in=ids)
    }
    actuals: dict[tuple[int, int], ActualUpdate] = {}
    approved = ActualUpdate.objects.filter(
        indicator_id__in=ids, state=ActualState.APPROVED
    ).order_by("decided_at", "id")
    by_id = {i.pk: i for i in indicators}
    for update in approved:
        update.indicator = by_id[update.indicator_id]
        actuals[(update.indicator_id, update.period_id)] = update  # the latest wins
    rows = [
        PmfRow(
            i,
            [Cell(p, targets.get((i.pk, p.pk)), actuals.get((i.pk, p.pk))) for p in periods],
        )
        for i in indicators
    ]
    return Pmf(periods, rows)


def indicator_updates(indicator: Indicator) -> QuerySet[ActualUpdate]:
    return (
        ActualUpdate.objects.filter(indicator=indicator)
        .select_related("period", "created_by", "submitted_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def actuals_awaiting_approval() -> QuerySet[ActualUpdate]:
    return (
        ActualUpdate.objects.filter(state=ActualState.SUBMITTED)
        .select_related("indicator__result__strategy", "period", "submitted_by")
        .order_by("submitted_at", "id")
    )


def result_action_links(result: Result) -> QuerySet[ActionLink]:
    return (
        ActionLink.objects.filter(result=result)
        .select_related(
            "indicator",
            "action__unit",
            "action__response__unit",
            "action__response__recommendation__evaluation",
        )
        .order_by("action__response__recommendation__evaluation_id", "action_id", "id")
    )


def result_recommendation_links(result: Result) -> QuerySet[RecommendationLink]:
    return (
        RecommendationLink.objects.filter(result=result)
        .select_related("indicator", "recommendation__evaluation")
        .order_by("recommendation__evaluation_id", "recommendation__sort_key", "id")
    )


def action_result_links(action: Action) -> list[ActionLink]:
    return list(
        ActionLink.objects.filter(action=action)
        .select_related("result__strategy", "indicator")
        .order_by("result__strategy_id", "result__code", "id")
    )


def linkable_actions() -> QuerySet[Action]:
    return Action.objects.select_related(
        "response__unit", "response__recommendation__evaluation"
    ).order_by(
        "response__recommendation__evaluation_id",
        "response__recommendation__sort_key",
        "position",
        "id",
    )


def results_by_parent(strategy: Strategy) -> dict[int | None, list[Result]]:
    grouped: dict[int | None, list[Result]] = defaultdict(list)
    for result in Result.objects.filter(strategy=strategy).order_by("code"):
        grouped[result.parent_id].append(result)
    return grouped
