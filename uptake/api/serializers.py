"""What the API reads and writes. Output serializers describe objects; input serializers
check the shape of a request before a service applies the rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from uptake.accounts.models import Unit, User
from uptake.evaluations.models import (
    Action,
    ActionStatus,
    Agreement,
    ClosureReason,
    Evaluation,
    EvaluationType,
    Recommendation,
    Response,
    SubPoint,
)
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.followup.services import REPORTABLE_STATUSES

# Outputs ----------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user: User) -> str:
        return str(user)


class UnitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Unit
        fields = ["id", "code", "name_en", "name_fr", "kind", "parent", "active"]


EVALUATION_FIELDS = [
    "id",
    "title_en",
    "title_fr",
    "program",
    "program_fr",
    "period",
    "evaluation_type",
    "evaluation_unit",
    "approval_date",
    "report_url",
    "summary_url",
    "pdf_url",
    "state",
    "approval_comment",
    "version",
    "created_at",
    "updated_at",
]


class EvaluationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    recommendation_count = serializers.IntegerField(read_only=True)
    open_recommendation_count = serializers.IntegerField(read_only=True)
    action_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            *EVALUATION_FIELDS,
            "recommendation_count",
            "open_recommendation_count",
            "action_count",
            "overdue_count",
        ]


class SubPointSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SubPoint
        fields = ["label", "text"]


RECOMMENDATION_FIELDS = [
    "id",
    "evaluation",
    "number",
    "statement",
    "body",
    "sub_points",
    "status",
    "closure_reason",
    "closure_note",
    "closed_by",
    "closed_at",
    "version",
    "created_at",
    "updated_at",
]


class RecommendationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sub_points = SubPointSerializer(many=True, read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Recommendation
        fields = RECOMMENDATION_FIELDS


RESPONSE_FIELDS = [
    "id",
    "recommendation",
    "evaluation",
    "unit",
    "unit_code",
    "agreement",
    "commitment",
    "rationale",
    "version",
    "created_at",
    "updated_at",
]


class ResponseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    evaluation = serializers.IntegerField(source="recommendation.evaluation_id", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Response
        fields = RESPONSE_FIELDS


ACTION_FIELDS = [
    "id",
    "response",
    "recommendation",
    "evaluation",
    "position",
    "text",
    "deliverable",
    "unit",
    "unit_code",
    "role",
    "target_date_text",
    "target_kind",
    "original_due_date",
    "due_date",
    "revised_target_text",
    "status",
    "status_reason",
    "overdue",
    "days_overdue",
    "version",
    "created_at",
    "updated_at",
]


class ActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    recommendation = serializers.IntegerField(source="response.recommendation_id", read_only=True)
    evaluation = serializers.IntegerField(
        source="response.recommendation.evaluation_id", read_only=True
    )
    unit = serializers.IntegerField(
        source="unit_id",
        read_only=True,
        help_text="The responsibility centre: the response's unit unless another was named.",
    )
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    overdue = serializers.BooleanField(
        read_only=True,
        help_text="In an approved plan, not completed, and its current due date has passed.",
    )
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ACTION_FIELDS

    def get_days_overdue(self, action: Action) -> int:
        return action.days_overdue() if action.overdue else 0


class EvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(
        help_text="For a file: its address in the API (needs the same credentials)."
    )

    class Meta:
        model = Evidence
        fields = ["id", "kind", "label", "original_name", "size", "url", "download"]

    def get_kind(self, evidence: Evidence) -> str:
        return "link" if evidence.is_link else "file"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, evidence: Evidence) -> str | None:
        if evidence.is_link:
            return None
        path = reverse("api:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class UpdateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = PersonSerializer(read_only=True)
    reviewed_by = PersonSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    revision = serializers.SerializerMethodField(
        help_text="The revised date requested with this update, if any."
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "author",
            "created_at",
            "status",
            "previous_status",
            "narrative",
            "review_state",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "evidence",
            "revision",
        ]

    def get_revision(self, update: ProgressUpdate) -> int | None:
        try:
            return int(update.date_revision.pk)
        except ObjectDoesNotExist:
            return None


class RevisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    requested_by = PersonSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DateRevision
        fields = [
            "id",
            "action",
            "update",
            "requested_text",
            "requested_due_date",
            "justification",
            "requested_by",
            "requested_at",
            "decision",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]


# The nested plan: an evaluation with its recommendations, responses and actions.


class PlanActionSerializer(ActionSerializer):
    class Meta(ActionSerializer.Meta):
        fields = [f for f in ACTION_FIELDS if f not in ("recommendation", "evaluation")]


class PlanResponseSerializer(ResponseSerializer):
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta(ResponseSerializer.Meta):
        fields = [*(f for f in RESPONSE_FIELDS if f != "evaluation"), "actions"]


class PlanRecommendationSerializer(RecommendationSerializer):
    responses = PlanResponseSerializer(many=True, read_only=True)

    class Meta(RecommendationSerializer.Meta):
        fields = [*RECOMMENDATION_FIELDS, "responses"]


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    recommendations = PlanRecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [*EVALUATION_FIELDS, "recommendations"]


# Inputs -----------------------------------------------------------------------------------


def _text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    """Optional prose: may be empty or left out."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, **kwargs
    )


class VersionMixin(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(
        min_value=1,
        help_text="The `version` you read. If someone has saved since, nothing is saved: 409.",
    )


class EvaluationInput(serializers.Serializer):  # type: ignore[type-arg]
    title_en = serializers.CharField(max_length=500)
    title_fr = _text(500)
    program = _text(300)
    program_fr = _text(300)
    period = _text(100)
    evaluation_type = serializers.ChoiceField(
        choices=EvaluationType.choices, default=EvaluationType.PROGRAM
    )
    evaluation_unit = _text(300)
    approval_date = serializers.DateField(required=False, allow_null=True, default=None)
    report_url = _text(200)
    summary_url = _text(200)
    pdf_url = _text(200)


class EvaluationPatch(VersionMixin, EvaluationInput):
    """Only the fields sent change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


class RecommendationInput(serializers.Serializer):  # type: ignore[type-arg]
    evaluation = serializers.PrimaryKeyRelatedField(queryset=Evaluation.objects.all())
    number = serializers.CharField(max_length=20)
    statement = serializers.CharField()
    body = _text()
    sub_points = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text='The lettered points, one per item: "a) fund training".',
    )


class RecommendationPatch(VersionMixin):
    number = serializers.CharField(max_length=20, required=False)
    statement = serializers.CharField(required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    sub_points = serializers.ListField(child=serializers.CharField(), required=False)


class CloseInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    note = _text(help_text="Required when the committee closes by decision.")


class NoteInput(serializers.Serializer):  # type: ignore[type-arg]
    note = _text(help_text="Why the recommendation is reopened.")


class ResponseInput(serializers.Serializer):  # type: ignore[type-arg]
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    agreement = serializers.ChoiceField(choices=Agreement.choices)
    commitment = _text()
    rationale = _text(help_text="Required unless the unit agrees.")


class ResponsePatch(VersionMixin):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    agreement = serializers.ChoiceField(choices=Agreement.choices, required=False)
    commitment = serializers.CharField(required=False, allow_blank=True)
    rationale = serializers.CharField(required=False, allow_blank=True)


class ActionInput(serializers.Serializer):  # type: ignore[type-arg]
    response = serializers.PrimaryKeyRelatedField(queryset=Response.objects.all())
    text = serializers.CharField()
    target_date_text = serializers.CharField(
        max_length=100, help_text="As written: June 2021, Q3 2021-22, 2021-22, Ongoing."
    )
    deliverable = _text()
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The responsibility centre; the response's unit when left out.",
    )
    role = _text(300)


class ActionPatch(VersionMixin):
    text = serializers.CharField(required=False)
    target_date_text = serializers.CharField(max_length=100, required=False)
    deliverable = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    role = serializers.CharField(max_length=300, required=False, allow_blank=True)


class WithdrawInput(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED)]
    )
    reason = _text(help_text="Why the action is withdrawn (required).")


class CommentInput(serializers.Serializer):  # type: ignore[type-arg]
    comment = _text()


class UpdateInput(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in REPORTABLE_STATUSES])
    narrative = serializers.CharField(help_text="Progress since the last update.")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Evidence files."
    )
    links = serializers.ListField(
        child=serializers.CharField(max_length=1300),
        required=False,
        default=list,
        help_text="Evidence links: a web address, optionally followed by a space and a description.",
    )
    revised_date_text = _text(100, help_text="A revised target date to request, if any.")
    revised_date_justification = _text(help_text="Why the date must move.")
