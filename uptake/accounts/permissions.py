"""Who may do what. Every page, the API and the console ask these questions, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from .models import Role, User
from .selectors import user_unit_ids

if TYPE_CHECKING:
    from uptake.evaluations.models import Action, Evaluation


def can_read_internal(user: User | AnonymousUser) -> bool:
    """Every signed-in, active person with a role reads the internal pages."""
    return bool(user.is_authenticated and user.is_active)


def can_manage_evaluations(user: User | AnonymousUser) -> bool:
    """Record evaluations, draft responses, validate updates: the evaluation unit's work."""
    return isinstance(user, User) and user.is_active and user.is_evaluation_unit


def can_decide(user: User | AnonymousUser) -> bool:
    """Approve responses, revised dates and closures by decision: the committee's work."""
    return isinstance(user, User) and user.is_active and user.is_committee


def can_edit_response(user: User | AnonymousUser, evaluation: Evaluation) -> bool:
    return can_manage_evaluations(user) and evaluation.response_is_editable


def can_update_action(user: User | AnonymousUser, action: Action) -> bool:
    """Report progress on ACTION: its own unit's focal points (or a parent unit's), or the
    evaluation unit on their behalf."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_evaluation_unit:
        return True
    if user.role != Role.FOCAL_POINT:
        return False
    return action.unit_id in user_unit_ids(user)
