"""Fixtures for results frameworks: a draft strategy with a small logic model and PMF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from uptake.results import services
from uptake.results.models import Indicator, Period, Result, Strategy


@pytest.fixture
def strategy(evaluator) -> Strategy:
    return services.strategy_create(
        by=evaluator,
        kind="country",
        title_en="Country strategy for testing",
        title_fr="Stratégie pays pour les essais",
        subject="Testland",
        country_code="pe",
        start_year=2024,
        end_year=2026,
    )


def add(strategy: Strategy, by, statement: str, parent: Result | None = None) -> Result:
    return services.result_create(strategy=strategy, by=by, statement_en=statement, parent=parent)


@pytest.fixture
def tree(strategy, evaluator) -> dict[str, Result]:
    """1000 → 1100 (→ 1110 → 1111, 1112), 1200 (→ 1210)."""
    u = add(strategy, evaluator, "Ultimate")
    i1 = add(strategy, evaluator, "Intermediate one", u)
    i2 = add(strategy, evaluator, "Intermediate two", u)
    m1 = add(strategy, evaluator, "Immediate one", i1)
    m2 = add(strategy, evaluator, "Immediate two", i2)
    o1 = add(strategy, evaluator, "Output one", m1)
    o2 = add(strategy, evaluator, "Output two", m1)
    return {"u": u, "i1": i1, "i2": i2, "m1": m1, "m2": m2, "o1": o1, "o2": o2}


def fiscal_period(strategy: Strategy, by, year: int) -> Period:
    return services.period_create(
        strategy=strategy,
        by=by,
        name=f"{year}-{str(year + 1)[2:]}",
        start=datetime.date(year, 4, 1),
        end=datetime.date(year + 1, 3, 31),
    )


@pytest.fixture
def periods(strategy, evaluator) -> list[Period]:
    return [fiscal_period(strategy, evaluator, year) for year in (2024, 2025, 2026)]


@pytest.fixture
def indicator(tree, evaluator, periods) -> Indicator:
    """A unit indicator on 1110 with baseline 10 (2023) and targets 20, 30, 40."""
    indicator = services.indicator_create(
        result=tree["m1"],
        by=evaluator,
        text_en="Number of boards trained",
        text_fr="Nombre de comités formés",
        measure="unit",
        baseline_value=Decimal("10"),
        baseline_year=2023,
        data_sources="Partner reports",
    )
    for period, value in zip(periods, ("20", "30", "40"), strict=True):
        services.target_set(indicator=indicator, period=period, by=evaluator, value=Decimal(value))
    return indicator


@pytest.fixture
def qualitative(tree, evaluator, periods) -> Indicator:
    indicator = services.indicator_create(
        result=tree["m2"],
        by=evaluator,
        text_en="How women shape designs",
        measure="qualitative",
        baseline_text="Rarely consulted.",
        baseline_year=2023,
    )
    services.target_set(
        indicator=indicator, period=periods[0], by=evaluator, text="Consulted in every design"
    )
    return indicator


@pytest.fixture
def approved(strategy, tree, indicator, committee) -> Strategy:
    services.strategy_approve(strategy=strategy, by=committee)
    strategy.refresh_from_db()
    return strategy
