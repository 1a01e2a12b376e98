"""Every API operation asked by every role, with a request that would succeed: the roles the
pages allow succeed, the others get 403, anonymous callers 401.

The objects come from the page matrix's `world`; each operation names the page that does the
same thing, and the roles must match the ones RULES declares for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from uptake.api.tests.conftest import client_for
from uptake.tests.test_url_permissions import (  # noqa: F401 (world is a fixture)
    COMMITTEE,
    EU,
    LOGIN,
    RULES,
    SIGNED_IN,
    world,
)

READERS = SIGNED_IN


def _version(obj: Any) -> int:
    return type(obj).objects.get(pk=obj.pk).version


@dataclass
class Op:
    method: str
    name: str
    allowed: tuple[str, ...]
    page: str  # the page URL that does the same thing, in RULES
    obj: str = ""
    body: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda o: {})
    success: int = 200


OPS = [
    Op("get", "api:unit_list", READERS, "evaluations:list"),
    Op("get", "api:unit_detail", READERS, "evaluations:list", "unit"),
    Op("get", "api:evaluation_list", READERS, "evaluations:list"),
    Op("get", "api:evaluation_detail", READERS, "evaluations:detail", "followed"),
    Op("get", "api:evaluation_plan", READERS, "evaluations:detail", "followed"),
    Op("get", "api:recommendation_list", READERS, "evaluations:detail"),
    Op("get", "api:recommendation_detail", READERS, "evaluations:detail", "followed_recommendation"),
    Op("get", "api:response_list", READERS, "evaluations:detail"),
    Op("get", "api:response_detail", READERS, "evaluations:detail", "draft_response"),
    Op("get", "api:action_list", READERS, "followup:action"),
    Op("get", "api:action_detail", READERS, "followup:action", "followed_action"),
    Op("get", "api:update_list", READERS, "followup:action"),
    Op("get", "api:update_detail", READERS, "followup:action", "pending_update"),
    Op("get", "api:revision_list", READERS, "followup:action"),
    Op("get", "api:revision_detail", READERS, "followup:action", "pending_revision"),
    Op("get", "api:evidence_download", READERS, "followup:evidence_download", "evidence_file"),
    Op(
        "post", "api:evaluation_list", EU, "evaluations:create",
        body=lambda o: {"title_en": "New"}, success=201,
    ),
    Op(
        "patch", "api:evaluation_detail", EU, "evaluations:edit", "followed",
        body=lambda o: {"version": _version(o["followed"]), "program": "Water"},
    ),
    Op("post", "api:evaluation_submit", EU, "evaluations:submit", "draft"),
    Op("post", "api:evaluation_approve", COMMITTEE, "evaluations:approve", "submitted"),
    Op(
        "post", "api:evaluation_return", COMMITTEE, "evaluations:return", "submitted",
        body=lambda o: {"comment": "Add dates."},
    ),
    Op(
        "post", "api:recommendation_list", EU, "evaluations:recommendation_create",
        body=lambda o: {"evaluation": o["draft"].pk, "number": "2", "statement": "S."},
        success=201,
    ),
    Op(
        "patch", "api:recommendation_detail", EU, "evaluations:recommendation_edit",
        "draft_recommendation",
        body=lambda o: {"version": _version(o["draft_recommendation"]), "statement": "T."},
    ),
    # The page lets the evaluation unit in too (to close as implemented); closing by decision,
    # as here, is the committee's alone: the service refuses the evaluation unit.
    Op(
        "post", "api:recommendation_close", COMMITTEE, "",
        "followed_recommendation",
        body=lambda o: {"reason": "superseded", "note": "Replaced."},
    ),
    Op(
        "post", "api:recommendation_reopen", COMMITTEE, "evaluations:recommendation_reopen",
        "closed_recommendation", body=lambda o: {"note": "Back."},
    ),
    Op(
        "post", "api:response_list", EU, "evaluations:response_create",
        body=lambda o: {
            "recommendation": o["draft_recommendation"].pk,
            "unit": o["unit"].pk,
            "agreement": "agree",
            "commitment": "Yes.",
        },
        success=201,
    ),
    Op(
        "patch", "api:response_detail", EU, "evaluations:response_edit", "draft_response",
        body=lambda o: {"version": _version(o["draft_response"]), "commitment": "Sure."},
    ),
    Op(
        "post", "api:action_list", EU, "evaluations:action_create",
        body=lambda o: {
            "response": o["draft_response"].pk, "text": "Do.", "target_date_text": "May 2030",
        },
        success=201,
    ),
    Op(
        "patch", "api:action_detail", EU, "evaluations:action_edit", "draft_action",
        body=lambda o: {"version": _version(o["draft_action"]), "text": "Do it."},
    ),
    Op(
        "post", "api:action_withdraw", EU, "evaluations:action_withdraw", "followed_action",
        body=lambda o: {"status": "cancelled", "reason": "Dropped."},
    ),
    Op(
        "post", "api:action_update_create", (*EU, "focal"), "followup:update_create",
        "followed_action",
        body=lambda o: {"status": "in_progress", "narrative": "Moving."},
        success=201,
    ),
    Op("post", "api:update_validate", EU, "followup:update_validate", "pending_update"),
    Op(
        "post", "api:update_return", EU, "followup:update_return", "pending_update",
        body=lambda o: {"comment": "Missing."},
    ),
    Op("post", "api:revision_approve", COMMITTEE, "followup:revision_approve", "pending_revision"),
    Op(
        "post", "api:revision_reject", COMMITTEE, "followup:revision_reject", "pending_revision",
        body=lambda o: {"comment": "No."},
    ),
]  # fmt: skip


def _call(client: APIClient, op: Op, objects: dict[str, Any]) -> Any:
    url = reverse(op.name, args=[objects[op.obj].pk] if op.obj else [])
    if op.method == "get":
        return client.get(url)
    return getattr(client, op.method)(url, op.body(objects), format="json")


@pytest.mark.parametrize("role", ("anonymous", *SIGNED_IN))
@pytest.mark.parametrize("op", OPS, ids=lambda op: f"{op.method}-{op.name}")
def test_role_matrix(db, world, op: Op, role: str) -> None:  # noqa: F811 (the fixture)
    people, objects = world
    client = APIClient() if role == "anonymous" else client_for(people[role])
    response = _call(client, op, objects)
    what = f"{op.method.upper()} {op.name} as {role}"
    if role == "anonymous":
        expected = 401
    else:
        expected = op.success if role in op.allowed else 403
    assert response.status_code == expected, (
        f"{what}: {response.status_code} {response.content[:300]!r}"
    )


def _let_in(answers: dict[str, object]) -> set[str]:
    """The roles a page does not turn away."""
    return {role for role, answer in answers.items() if answer not in (401, 403, 404, LOGIN)}


@pytest.mark.parametrize("op", [op for op in OPS if op.page], ids=lambda op: op.name)
def test_the_api_lets_in_the_same_roles_as_the_page(op: Op) -> None:
    page = RULES[op.page]
    answers = page.get if op.method == "get" else page.post
    assert set(op.allowed) == _let_in(answers), f"{op.name} vs {op.page}"


TOKEN_PAGES = ("api:token_create", "api:token_revoke")  # profile pages, not API


@pytest.mark.parametrize("name", sorted(n for n in RULES if n.startswith("api:")))
def test_api_rules_answer_anonymous_callers_without_a_sign_in_redirect(name: str) -> None:
    rule = RULES[name]
    for answers in (rule.get, rule.post):
        if name in TOKEN_PAGES:
            assert answers["anonymous"] == LOGIN
        elif not name.startswith(
            ("api:schema", "api:docs", "api:not_found", "api:public_", "api:root")
        ):
            assert answers["anonymous"] == 401


def test_close_lets_in_the_same_roles_as_its_page() -> None:
    assert _let_in(RULES["api:recommendation_close"].post) == _let_in(
        RULES["evaluations:recommendation_close"].post
    )
