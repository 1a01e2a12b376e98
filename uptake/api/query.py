"""The query strings that lists accept: filters, and `ordering` among named sort keys.

Each is a serializer, so a bad value answers 400 naming the parameter, and the OpenAPI
document lists every parameter with its type.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers

from uptake.accounts.models import UnitKind
from uptake.evaluations.models import (
    ActionStatus,
    Agreement,
    EvaluationState,
    RecommendationStatus,
)
from uptake.followup.models import ReviewState, RevisionDecision

# The largest id a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=help_text
    )


def _ordering(orderings: dict[str, tuple[str, ...]], default: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[k for key in orderings for k in (key, f"-{key}")],
        required=False,
        help_text=f"Sort key; a leading '-' reverses it. Default: {default}.",
    )


def _choice(choices: Any, help_text: str = "") -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, help_text=help_text)


class Query(serializers.Serializer):  # type: ignore[type-arg]
    """ORDERINGS maps each public sort key to the fields it sorts by; `-key` reverses it.
    Each subclass declares `ordering = _ordering(ORDERINGS, DEFAULT)`."""

    ORDERINGS: ClassVar[dict[str, tuple[str, ...]]] = {}
    DEFAULT: ClassVar[str] = ""

    @classmethod
    def order_by(cls, ordering: str) -> list[str]:
        ordering = ordering or cls.DEFAULT
        key = ordering.lstrip("-")
        fields = cls.ORDERINGS[key]
        if ordering.startswith("-"):
            fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        # The id last: pages of a list must not repeat or skip rows with equal keys.
        return [*fields, "-id" if ordering.startswith("-") else "id"]


class UnitQuery(Query):
    ORDERINGS = {"code": ("code",), "name": ("name_en",)}
    DEFAULT = "code"
    ordering = _ordering(ORDERINGS, DEFAULT)
    search = serializers.CharField(
        required=False,
        help_text="Words of the code or the names, in any order, case and accents ignored.",
        max_length=100,
    )
    kind = _choice(UnitKind.choices)
    parent = _id("Only the units directly under this one.")
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class EvaluationQuery(Query):
    ORDERINGS = {
        "approval_date": ("approval_date",),
        "title": ("title_en",),
        "created": ("created_at",),
        "updated": ("updated_at",),
    }
    DEFAULT = "-approval_date"
    ordering = _ordering(ORDERINGS, DEFAULT)
    search = serializers.CharField(
        required=False,
        max_length=200,
        help_text=(
            "Words in the titles, the program or a recommendation, in any order,"
            " case and accents ignored."
        ),
    )
    state = _choice(EvaluationState.choices)
    program = serializers.CharField(
        required=False,
        max_length=300,
        help_text="Part of the program or country, case and accents ignored.",
    )


class RecommendationQuery(Query):
    ORDERINGS = {"number": ("evaluation_id", "sort_key"), "updated": ("updated_at",)}
    DEFAULT = "number"
    ordering = _ordering(ORDERINGS, DEFAULT)
    evaluation = _id("Only this evaluation's recommendations.")
    status = _choice(RecommendationStatus.choices)


class ResponseQuery(Query):
    ORDERINGS = {"recommendation": ("recommendation_id",), "updated": ("updated_at",)}
    DEFAULT = "recommendation"
    ordering = _ordering(ORDERINGS, DEFAULT)
    evaluation = _id("Only responses to this evaluation.")
    recommendation = _id("Only responses to this recommendation.")
    unit = _id("Only this unit's responses.")
    agreement = _choice(Agreement.choices)


class ActionQuery(Query):
    ORDERINGS = {
        "due_date": ("due_date",),
        "status": ("status",),
        "position": ("response_id", "position"),
        "updated": ("updated_at",),
    }
    DEFAULT = "position"
    ordering = _ordering(ORDERINGS, DEFAULT)
    evaluation = _id("Only this evaluation's actions.")
    recommendation = _id("Only actions under this recommendation.")
    response = _id("Only actions of this response.")
    unit = _id("Only actions this unit is the responsibility centre for.")
    status = _choice(ActionStatus.choices)
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only overdue actions; false: only those not overdue.",
    )


class UpdateQuery(Query):
    ORDERINGS = {"created": ("created_at",)}
    DEFAULT = "-created"
    ordering = _ordering(ORDERINGS, DEFAULT)
    action = _id("Only updates on this action.")
    evaluation = _id("Only updates on this evaluation's actions.")
    unit = _id("Only updates on actions this unit is responsible for.")
    review_state = _choice(ReviewState.choices)


class RevisionQuery(Query):
    ORDERINGS = {"requested": ("requested_at",)}
    DEFAULT = "requested"
    ordering = _ordering(ORDERINGS, DEFAULT)
    action = _id("Only this action's revised dates.")
    evaluation = _id("Only revised dates of this evaluation's actions.")
    decision = _choice(RevisionDecision.choices)
