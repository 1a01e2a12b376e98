"""Who may do what with strategies and their results frameworks, built on the project's roles."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from uptake.accounts.models import User
from uptake.accounts.permissions import can_decide, can_manage_evaluations, can_read_internal


def can_read_results(user: User | AnonymousUser) -> bool:
    return can_read_internal(user)


def can_manage_results(user: User | AnonymousUser) -> bool:
    """Write strategies, logic models and PMFs; lock periods; review actuals; link actions."""
    return can_manage_evaluations(user)


def can_approve_strategy(user: User | AnonymousUser) -> bool:
    return can_decide(user)


def can_report_actuals(user: User | AnonymousUser) -> bool:
    """Report actuals: the evaluation unit, and the units' focal points who hold the data."""
    return can_manage_results(user) or (
        isinstance(user, User) and user.is_active and user.is_focal_point
    )
