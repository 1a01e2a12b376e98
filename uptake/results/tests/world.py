"""One object of every kind a results URL can point at, for the URL permission matrix
(uptake/tests/test_url_permissions.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from uptake.results import services


def results_objects(*, evaluator: Any, committee: Any, focal: Any, action: Any) -> dict[str, Any]:
    def strategy(title: str) -> Any:
        made = services.strategy_create(
            by=evaluator, kind="country", title_en=title, subject="Testland",
            start_year=2024, end_year=2026,
        )  # fmt: skip
        root = services.result_create(strategy=made, by=evaluator, statement_en="Ultimate")
        indicator = services.indicator_create(result=root, by=evaluator, text_en="Indicator")
        period = services.period_create(
            strategy=made, by=evaluator, name="2024-25",
            start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31),
        )  # fmt: skip
        return made, root, indicator, period

    draft, result, indicator, period = strategy("Draft strategy")
    approved, _root, reported, approved_period = strategy("Approved strategy")
    services.strategy_approve(strategy=approved, by=committee)

    def actual(submit: bool) -> Any:
        return services.actual_save(
            indicator=reported, period=approved_period, by=focal, value=Decimal(1), submit=submit
        )

    return {
        "strategy": draft,
        "section": services.section_create(
            strategy=draft, by=evaluator, heading_en="Context", body_en="Text."
        ),
        "investment": services.investment_create(
            strategy=draft,
            by=evaluator,
            description="Training",
            amount=Decimal(10),
            currency="CAD",
            fiscal_year=2024,
        ),  # fmt: skip
        "result": result,
        "indicator": indicator,
        "period": period,
        "reported_indicator": reported,
        "draft_actual": actual(False),
        "submitted_actual": actual(True),
        "action_link": services.action_link(action=action, result=result, by=evaluator),
        "recommendation_link": services.recommendation_link(
            recommendation=action.response.recommendation, result=result, by=evaluator
        ),
    }
