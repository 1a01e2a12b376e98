"""Logic-model numbering: codes follow the tree, and moving or deleting renumbers it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from uptake.errors import ServiceError
from uptake.results import services
from uptake.results.models import Result, ResultLevel

from .conftest import add

pytestmark = pytest.mark.django_db


def codes(strategy) -> dict[str, int]:
    return {r.statement_en: r.code for r in Result.objects.filter(strategy=strategy)}


def test_codes_follow_the_usual_scheme(strategy, tree):
    assert codes(strategy) == {
        "Ultimate": 1000,
        "Intermediate one": 1100,
        "Intermediate two": 1200,
        "Immediate one": 1110,
        "Immediate two": 1210,
        "Output one": 1111,
        "Output two": 1112,
    }


def test_levels_follow_the_parent(tree):
    assert [tree[k].level for k in ("u", "i1", "m1", "o1")] == [
        ResultLevel.ULTIMATE,
        ResultLevel.INTERMEDIATE,
        ResultLevel.IMMEDIATE,
        ResultLevel.OUTPUT,
    ]


def test_a_second_ultimate_outcome_is_2000(strategy, tree, evaluator):
    assert add(strategy, evaluator, "Second ultimate").code == 2000


def test_nothing_goes_under_an_output(strategy, tree, evaluator):
    with pytest.raises(ServiceError, match="Outputs are the last level"):
        add(strategy, evaluator, "Too deep", tree["o1"])


def test_a_tenth_child_is_refused(strategy, tree, evaluator):
    for n in range(7):
        add(strategy, evaluator, f"Extra {n}", tree["u"])
    assert tree["u"].children.count() == 9
    with pytest.raises(ServiceError, match="at most|the most"):
        add(strategy, evaluator, "Tenth", tree["u"])


def test_moving_an_immediate_outcome_renumbers_both_branches(strategy, tree, evaluator):
    # Move 1110 (with its outputs) under 1200, first.
    services.result_move(result=tree["m1"], new_parent=tree["i2"], position=1, by=evaluator)
    assert codes(strategy) == {
        "Ultimate": 1000,
        "Intermediate one": 1100,
        "Intermediate two": 1200,
        "Immediate one": 1210,
        "Immediate two": 1220,
        "Output one": 1211,
        "Output two": 1212,
    }


def test_moving_within_siblings_swaps_codes(strategy, tree, evaluator):
    services.result_move(result=tree["o2"], new_parent=tree["m1"], position=1, by=evaluator)
    assert codes(strategy)["Output two"] == 1111
    assert codes(strategy)["Output one"] == 1112


def test_moving_to_the_wrong_level_is_refused(strategy, tree, evaluator):
    with pytest.raises(ServiceError, match=r"^An output goes under an immediate outcome\.$"):
        services.result_move(result=tree["o1"], new_parent=tree["i1"], position=1, by=evaluator)
    assert codes(strategy)["Output one"] == 1111


def test_deleting_renumbers_the_rest(strategy, tree, evaluator):
    services.result_delete(result=tree["i1"], by=evaluator)
    assert codes(strategy) == {"Ultimate": 1000, "Intermediate two": 1100, "Immediate two": 1110}


def test_only_the_evaluation_unit_changes_the_logic_model(strategy, tree, viewer, committee):
    for person in (viewer, committee):
        with pytest.raises(PermissionDenied):
            add(strategy, person, "Not allowed")


def test_an_approved_strategy_logic_model_is_frozen(strategy, tree, evaluator, committee):
    services.strategy_approve(strategy=strategy, by=committee)
    with pytest.raises(ServiceError, match="can no longer be changed"):
        add(strategy, evaluator, "Late", tree["u"])


def test_database_refuses_an_ultimate_outcome_with_a_parent(strategy, tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(
            strategy=strategy, parent=tree["u"], level=1, code=9000, statement_en="x"
        )


def test_database_refuses_an_outcome_without_a_parent(strategy, tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(strategy=strategy, parent=None, level=3, code=9000, statement_en="x")


def test_database_refuses_duplicate_codes(strategy, tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(strategy=strategy, level=1, code=1000, statement_en="x")


def test_strategy_approval_needs_the_committee_and_a_result(strategy, evaluator, committee):
    with pytest.raises(PermissionDenied):
        services.strategy_approve(strategy=strategy, by=evaluator)
    with pytest.raises(ServiceError, match="at least one expected result"):
        services.strategy_approve(strategy=strategy, by=committee)
    add(strategy, evaluator, "Ultimate")
    services.strategy_approve(strategy=strategy, by=committee)
    strategy.refresh_from_db()
    assert (strategy.state, strategy.approved_by) == ("approved", committee)
    services.strategy_publish(strategy=strategy, by=evaluator)
    strategy.refresh_from_db()
    assert strategy.state == "published"
