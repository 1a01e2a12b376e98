"""The demo strategy: a full logic model and PMF, linked to demo actions, loaded once."""

from __future__ import annotations

import pytest

from uptake.evaluations.demo import load_demo
from uptake.results.models import (
    ActionLink,
    ActualState,
    ActualUpdate,
    Indicator,
    Period,
    Result,
    Strategy,
    Target,
)

pytestmark = pytest.mark.django_db


def test_the_demo_strategy_is_complete_and_loaded_once():
    load_demo()
    strategy = Strategy.objects.get()
    levels = [r.level for r in Result.objects.filter(strategy=strategy)]
    assert (levels.count(1), levels.count(2), levels.count(3)) >= (1, 2, 4)
    assert levels.count(4) >= 6
    assert Period.objects.filter(strategy=strategy).count() == 3
    indicators = Indicator.objects.filter(result__strategy=strategy)
    assert all(i.baseline_year for i in indicators)
    assert all(Target.objects.filter(indicator=i).count() == 3 for i in indicators)
    assert ActualUpdate.objects.filter(state=ActualState.APPROVED).exists()
    assert ActualUpdate.objects.filter(state=ActualState.SUBMITTED).exists()
    assert ActionLink.objects.count() >= 3
    load_demo()
    assert Strategy.objects.count() == 1
