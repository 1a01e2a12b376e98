"""Template helpers for results frameworks; `action_result_links` lets the follow-up pages
show an action's results without the follow-up app importing this one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from uptake.results.models import ActionLink, Indicator
from uptake.results.selectors import action_result_links as _links

register = template.Library()


@register.filter
def number(value: Any) -> Any:
    """12.5000 → 12.5, 40.0000 → 40; anything else as it is."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


@register.filter
def signed(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():+f}"
    return str(value)


@register.filter
def below_target(variance: Decimal | None, indicator: Indicator) -> bool:
    """Whether the variance is a shortfall, given which way the indicator should go."""
    if variance is None:
        return False
    return variance < 0 if indicator.ascending else variance > 0


@register.simple_tag
def action_result_links(action: Any) -> list[ActionLink]:
    return _links(action)
