"""The permission questions every page, the API and the console ask, role by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from uptake.accounts.permissions import (
    can_decide,
    can_edit_response,
    can_manage_evaluations,
    can_read_internal,
    can_update_action,
)
from uptake.evaluations import services
from uptake.evaluations.models import Action

pytestmark = pytest.mark.django_db

PERSONAS = ["admin_user", "evaluator", "committee", "focal", "outsider", "viewer"]


@pytest.mark.parametrize(
    ("persona", "reads", "manages", "decides"),
    [
        ("admin_user", True, True, True),
        ("evaluator", True, True, False),
        ("committee", True, False, True),
        ("focal", True, False, False),
        ("outsider", True, False, False),
        ("viewer", True, False, False),
    ],
)
def test_what_each_role_may_do(request, persona, reads, manages, decides):
    user = request.getfixturevalue(persona)

    assert can_read_internal(user) is reads
    assert can_manage_evaluations(user) is manages
    assert can_decide(user) is decides


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_deactivated_person_may_do_nothing(request, action, persona):
    user = request.getfixturevalue(persona)
    user.is_active = False
    user.save()

    assert not can_read_internal(user)
    assert not can_manage_evaluations(user)
    assert not can_decide(user)
    assert not can_update_action(user, action)


def test_an_anonymous_visitor_may_do_nothing(action, draft_evaluation):
    anonymous = AnonymousUser()

    assert not can_read_internal(anonymous)
    assert not can_manage_evaluations(anonymous)
    assert not can_decide(anonymous)
    assert not can_edit_response(anonymous, draft_evaluation)
    assert not can_update_action(anonymous, action)


def test_the_response_is_editable_only_until_it_is_submitted(draft_evaluation, evaluator, viewer):
    assert can_edit_response(evaluator, draft_evaluation)
    assert not can_edit_response(viewer, draft_evaluation)

    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    draft_evaluation.refresh_from_db()

    assert not can_edit_response(evaluator, draft_evaluation)


@pytest.mark.parametrize(
    ("persona", "on_hwp_action", "on_mission_action"),
    [
        ("admin_user", True, True),
        ("evaluator", True, True),
        ("committee", False, False),
        ("focal", True, True),  # HWP, and QTO-DA below it
        ("outsider", False, False),  # PRS
        ("viewer", False, False),
    ],
)
def test_who_may_update_which_action(
    request, approved_evaluation, persona, on_hwp_action, on_mission_action
):
    user = request.getfixturevalue(persona)
    actions = Action.objects.filter(response__recommendation__evaluation=approved_evaluation)

    assert can_update_action(user, actions.get(unit__code="HWP")) is on_hwp_action
    assert can_update_action(user, actions.get(unit__code="QTO-DA")) is on_mission_action
