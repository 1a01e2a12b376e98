"""The logic-model diagram and the trend chart scroll sideways when wider than the page: each
is a named region that takes the keyboard focus, so keyboard users can scroll it."""

from __future__ import annotations

import re

from django.urls import reverse


def assert_one_focusable_region_named(page: str, name: str) -> None:
    """The page has one scrolling box (class "diagram"), holding a drawing, which is a named
    region that takes the focus."""
    regions = re.findall(r'(<div class="diagram"[^>]*>)(.*?)</div>', page, re.S)
    assert len(regions) == 1
    tag, content = regions[0]
    assert "<svg" in content
    assert 'role="region"' in tag
    assert 'tabindex="0"' in tag
    assert f'aria-label="{name}"' in tag


def test_the_logic_model_diagram_is_a_focusable_named_region(client, evaluator, strategy, tree):
    client.force_login(evaluator)

    page = client.get(reverse("results:strategy_detail", args=[strategy.pk])).content.decode()

    assert_one_focusable_region_named(page, "Logic model diagram")


def test_the_trend_chart_is_a_focusable_named_region(client, evaluator, indicator):
    client.force_login(evaluator)

    page = client.get(reverse("results:indicator_detail", args=[indicator.pk])).content.decode()

    assert_one_focusable_region_named(page, "Trend chart")
