"""The REST API: thin views that validate a request, call a selector or a service, and
describe the result. Who may write is asked of uptake.accounts.permissions, as the pages ask,
and the services ask again."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from uptake.accounts.models import User
from uptake.accounts.permissions import can_decide, can_manage_evaluations, can_update_action
from uptake.evaluations import selectors as evaluation_selectors
from uptake.evaluations import services as evaluation_services
from uptake.evaluations.models import Action, Evaluation, Recommendation, Response
from uptake.followup import services as followup_services
from uptake.followup.models import DateRevision, ProgressUpdate
from uptake.followup.services import EvidenceLink

from . import query, selectors
from . import serializers as s
from .pagination import LogPagination


def _user(request: Request) -> User:
    return cast(User, request.user)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _manager(request: Request) -> None:
    _require(can_manage_evaluations(_user(request)), _("Only the evaluation unit can do this."))


def _committee(request: Request) -> None:
    _require(can_decide(_user(request)), _("Only the committee can do this."))


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _unchanged(service: Callable[..., Any], obj: Model, sent: dict[str, Any]) -> dict[str, Any]:
    """The current values of what SERVICE would otherwise reset: a PATCH changes only the
    fields it sends, even those the API does not describe (a service may take more)."""
    kept: dict[str, Any] = {}
    skip = {"by", "expected_version", type(obj).__name__.lower()}  # the object itself
    for name, param in inspect.signature(service).parameters.items():
        if param.kind != param.KEYWORD_ONLY or name in sent or name in skip:
            continue
        if name in ("sub_points", "sub_points_fr") and isinstance(obj, Recommendation):
            attr = "text" if name == "sub_points" else "text_fr"
            kept[name] = [
                f"{p.label}) {getattr(p, attr)}" if p.label else getattr(p, attr)
                for p in obj.sub_points.all()
                if getattr(p, attr, "")
            ]
        elif hasattr(obj, name):
            kept[name] = getattr(obj, name)
    return kept


class ApiView(APIView):
    """Answers 401 to anonymous callers itself, instead of the site's redirect to sign in."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))


class ListView(ApiView, generics.GenericAPIView):  # type: ignore[type-arg]
    """A paginated list: the query string is validated, then handed to a selector."""

    query_class: ClassVar[type[query.Query]]
    output_class: ClassVar[type[serializers.Serializer]]  # type: ignore[type-arg]

    def select(self, **filters: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def list(self, request: Request) -> ApiResponse:
        params = self.query_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        ordering = self.query_class.order_by(filters.pop("ordering", ""))
        page = self.paginate_queryset(self.select(**filters).order_by(*ordering))
        data = self.output_class(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


def _detail(
    output: type[serializers.Serializer],  # type: ignore[type-arg]
    objects: QuerySet[Any],
    pk: int,
    request: Request,
    code: int = 200,
) -> ApiResponse:
    obj = get_object_or_404(objects, pk=pk)
    return ApiResponse(output(obj, context={"request": request}).data, status=code)


# Units ------------------------------------------------------------------------------------


class UnitList(ListView):
    query_class = query.UnitQuery
    output_class = s.UnitSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.unit_list(**filters)

    @extend_schema(
        operation_id="units_list",
        parameters=[query.UnitQuery],
        responses=s.UnitSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)


class UnitDetail(ApiView):
    @extend_schema(operation_id="units_retrieve", responses=s.UnitSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.UnitSerializer, selectors.unit_list(), pk, request)


# Evaluations ------------------------------------------------------------------------------


class EvaluationList(ListView):
    query_class = query.EvaluationQuery
    output_class = s.EvaluationSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return evaluation_selectors.evaluation_list(**filters)

    @extend_schema(
        operation_id="evaluations_list",
        parameters=[query.EvaluationQuery],
        responses=s.EvaluationSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)

    @extend_schema(
        operation_id="evaluations_create",
        request=s.EvaluationInput,
        responses={201: s.EvaluationSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        _manager(request)
        data = _valid(s.EvaluationInput, request)
        evaluation = evaluation_services.evaluation_create(by=_user(request), **data)
        return _detail(
            s.EvaluationSerializer,
            evaluation_selectors.evaluation_list(),
            evaluation.pk,
            request,
            201,
        )


class EvaluationDetail(ApiView):
    @extend_schema(operation_id="evaluations_retrieve", responses=s.EvaluationSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.EvaluationSerializer, evaluation_selectors.evaluation_list(), pk, request)

    @extend_schema(
        operation_id="evaluations_partial_update",
        request=s.EvaluationPatch,
        responses=s.EvaluationSerializer,
    )
    def patch(self, request: Request, pk: int) -> ApiResponse:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        _manager(request)
        data = _valid(s.EvaluationPatch, request)
        version = data.pop("version")
        evaluation_services.evaluation_update(
            evaluation=evaluation, by=_user(request), expected_version=version, **data
        )
        return _detail(s.EvaluationSerializer, evaluation_selectors.evaluation_list(), pk, request)


class EvaluationPlan(ApiView):
    @extend_schema(
        operation_id="evaluations_plan",
        responses=s.PlanSerializer,
        description="The evaluation with its recommendations, each unit's response and the "
        "actions, in one answer (and a fixed number of queries).",
    )
    def get(self, request: Request, pk: int) -> ApiResponse:
        if not Evaluation.objects.filter(pk=pk).exists():
            raise exceptions.NotFound()
        evaluation = evaluation_selectors.evaluation_with_plan(pk)
        return ApiResponse(s.PlanSerializer(evaluation, context={"request": request}).data)


class EvaluationTransition(ApiView):
    """POST moves the evaluation's response along: submit, approve or return."""

    input_class: ClassVar[type[serializers.Serializer] | None] = None  # type: ignore[type-arg]

    def check(self, request: Request) -> None:
        raise NotImplementedError

    def act(self, evaluation: Evaluation, by: User, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> ApiResponse:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        self.check(request)
        data = _valid(self.input_class, request) if self.input_class else {}
        self.act(evaluation, _user(request), data)
        return _detail(s.EvaluationSerializer, evaluation_selectors.evaluation_list(), pk, request)


class EvaluationSubmit(EvaluationTransition):
    check = staticmethod(_manager)  # type: ignore[assignment]

    def act(self, evaluation: Evaluation, by: User, data: dict[str, Any]) -> None:
        evaluation_services.evaluation_submit_for_approval(evaluation=evaluation, by=by)

    @extend_schema(
        operation_id="evaluations_submit",
        request=None,
        responses=s.EvaluationSerializer,
        description="Send the response to the committee (refused while the quality check "
        "finds problems).",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


class EvaluationApprove(EvaluationTransition):
    input_class = s.CommentInput
    check = staticmethod(_committee)  # type: ignore[assignment]

    def act(self, evaluation: Evaluation, by: User, data: dict[str, Any]) -> None:
        evaluation_services.evaluation_approve_response(evaluation=evaluation, by=by, **data)

    @extend_schema(
        operation_id="evaluations_approve",
        request=s.CommentInput,
        responses=s.EvaluationSerializer,
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


class EvaluationReturn(EvaluationTransition):
    input_class = s.CommentInput
    check = staticmethod(_committee)  # type: ignore[assignment]

    def act(self, evaluation: Evaluation, by: User, data: dict[str, Any]) -> None:
        evaluation_services.evaluation_return_response(evaluation=evaluation, by=by, **data)

    @extend_schema(
        operation_id="evaluations_return",
        request=s.CommentInput,
        responses=s.EvaluationSerializer,
        description="Send the response back for changes; `comment` says what to change.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


# Recommendations --------------------------------------------------------------------------


class RecommendationList(ListView):
    query_class = query.RecommendationQuery
    output_class = s.RecommendationSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.recommendation_list(**filters)

    @extend_schema(
        operation_id="recommendations_list",
        parameters=[query.RecommendationQuery],
        responses=s.RecommendationSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)

    @extend_schema(
        operation_id="recommendations_create",
        request=s.RecommendationInput,
        responses={201: s.RecommendationSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        _manager(request)
        data = _valid(s.RecommendationInput, request)
        rec = evaluation_services.recommendation_create(by=_user(request), **data)
        return _detail(
            s.RecommendationSerializer, selectors.recommendation_list(), rec.pk, request, 201
        )


class RecommendationDetail(ApiView):
    @extend_schema(operation_id="recommendations_retrieve", responses=s.RecommendationSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.RecommendationSerializer, selectors.recommendation_list(), pk, request)

    @extend_schema(
        operation_id="recommendations_partial_update",
        request=s.RecommendationPatch,
        responses=s.RecommendationSerializer,
    )
    def patch(self, request: Request, pk: int) -> ApiResponse:
        rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
        _manager(request)
        data = _valid(s.RecommendationPatch, request)
        version = data.pop("version")
        service = evaluation_services.recommendation_update
        service(
            recommendation=rec,
            by=_user(request),
            expected_version=version,
            **_unchanged(service, rec, data),
            **data,
        )
        return _detail(s.RecommendationSerializer, selectors.recommendation_list(), pk, request)


class RecommendationClose(ApiView):
    @extend_schema(
        operation_id="recommendations_close",
        request=s.CloseInput,
        responses=s.RecommendationSerializer,
        description="Close as `implemented` (evaluation unit or committee, once every action "
        "is validated, cancelled or superseded) or by a decision of the committee with a `note`.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        rec = get_object_or_404(Recommendation, pk=pk)
        user = _user(request)
        _require(
            can_manage_evaluations(user) or can_decide(user),
            _("Only the evaluation unit or the committee closes recommendations."),
        )
        data = _valid(s.CloseInput, request)
        evaluation_services.recommendation_close(recommendation=rec, by=user, **data)
        return _detail(s.RecommendationSerializer, selectors.recommendation_list(), pk, request)


class RecommendationReopen(ApiView):
    @extend_schema(
        operation_id="recommendations_reopen",
        request=s.NoteInput,
        responses=s.RecommendationSerializer,
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        rec = get_object_or_404(Recommendation, pk=pk)
        _committee(request)
        data = _valid(s.NoteInput, request)
        evaluation_services.recommendation_reopen(recommendation=rec, by=_user(request), **data)
        return _detail(s.RecommendationSerializer, selectors.recommendation_list(), pk, request)


# Responses --------------------------------------------------------------------------------


class ResponseList(ListView):
    query_class = query.ResponseQuery
    output_class = s.ResponseSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.response_list(**filters)

    @extend_schema(
        operation_id="responses_list",
        parameters=[query.ResponseQuery],
        responses=s.ResponseSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)

    @extend_schema(
        operation_id="responses_create",
        request=s.ResponseInput,
        responses={201: s.ResponseSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        _manager(request)
        data = _valid(s.ResponseInput, request)
        response = evaluation_services.response_create(by=_user(request), **data)
        return _detail(s.ResponseSerializer, selectors.response_list(), response.pk, request, 201)


class ResponseDetail(ApiView):
    @extend_schema(operation_id="responses_retrieve", responses=s.ResponseSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.ResponseSerializer, selectors.response_list(), pk, request)

    @extend_schema(
        operation_id="responses_partial_update",
        request=s.ResponsePatch,
        responses=s.ResponseSerializer,
    )
    def patch(self, request: Request, pk: int) -> ApiResponse:
        response = get_object_or_404(
            Response.objects.select_related("recommendation__evaluation", "unit"), pk=pk
        )
        _manager(request)
        data = _valid(s.ResponsePatch, request)
        version = data.pop("version")
        service = evaluation_services.response_update
        service(
            response=response,
            by=_user(request),
            expected_version=version,
            **_unchanged(service, response, data),
            **data,
        )
        return _detail(s.ResponseSerializer, selectors.response_list(), pk, request)


# Actions ----------------------------------------------------------------------------------


class ActionList(ListView):
    query_class = query.ActionQuery
    output_class = s.ActionSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.action_list(**filters)

    @extend_schema(
        operation_id="actions_list",
        parameters=[query.ActionQuery],
        responses=s.ActionSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)

    @extend_schema(
        operation_id="actions_create",
        request=s.ActionInput,
        responses={201: s.ActionSerializer},
    )
    def post(self, request: Request) -> ApiResponse:
        _manager(request)
        data = _valid(s.ActionInput, request)
        action = evaluation_services.action_create(by=_user(request), **data)
        return _detail(s.ActionSerializer, selectors.action_list(), action.pk, request, 201)


class ActionDetail(ApiView):
    @extend_schema(operation_id="actions_retrieve", responses=s.ActionSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.ActionSerializer, selectors.action_list(), pk, request)

    @extend_schema(
        operation_id="actions_partial_update",
        request=s.ActionPatch,
        responses=s.ActionSerializer,
    )
    def patch(self, request: Request, pk: int) -> ApiResponse:
        action = get_object_or_404(
            Action.objects.select_related("response__recommendation__evaluation", "unit"), pk=pk
        )
        _manager(request)
        data = _valid(s.ActionPatch, request)
        version = data.pop("version")
        service = evaluation_services.action_update
        service(
            action=action,
            by=_user(request),
            expected_version=version,
            **_unchanged(service, action, data),
            **data,
        )
        return _detail(s.ActionSerializer, selectors.action_list(), pk, request)


class ActionWithdraw(ApiView):
    @extend_schema(
        operation_id="actions_withdraw",
        request=s.WithdrawInput,
        responses=s.ActionSerializer,
        description="Cancel an action, or mark it superseded, with the reason.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        action = get_object_or_404(Action, pk=pk)
        _manager(request)
        data = _valid(s.WithdrawInput, request)
        evaluation_services.action_withdraw(action=action, by=_user(request), **data)
        return _detail(s.ActionSerializer, selectors.action_list(), pk, request)


class ActionUpdateCreate(ApiView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="actions_updates_create",
        request=s.UpdateInput,
        responses={201: s.UpdateSerializer},
        description="Report progress on the action, with evidence files (multipart) or links, "
        "and optionally ask for a revised target date.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        action = get_object_or_404(Action.objects.select_related("response"), pk=pk)
        _require(
            can_update_action(_user(request), action),
            _("You can update only the actions of your own units."),
        )
        data = _valid(s.UpdateInput, request)
        links = []
        for line in data.pop("links"):
            url, _sep, label = line.strip().partition(" ")
            links.append(EvidenceLink(url=url, label=label))
        update = followup_services.update_submit(
            action=action, by=_user(request), links=links, **data
        )
        return _detail(s.UpdateSerializer, selectors.update_list(), update.pk, request, 201)


# Progress updates and revised dates ------------------------------------------------------


class UpdateList(ListView):
    query_class = query.UpdateQuery
    output_class = s.UpdateSerializer
    pagination_class = LogPagination

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.update_list(**filters)

    @extend_schema(
        operation_id="updates_list",
        parameters=[query.UpdateQuery],
        responses=s.UpdateSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)


class UpdateDetail(ApiView):
    @extend_schema(operation_id="updates_retrieve", responses=s.UpdateSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.UpdateSerializer, selectors.update_list(), pk, request)


class UpdateReview(ApiView):
    """The evaluation unit validates or returns an update."""

    service: ClassVar[Callable[..., Any]]

    def post(self, request: Request, pk: int) -> ApiResponse:
        update = get_object_or_404(ProgressUpdate, pk=pk)
        _manager(request)
        data = _valid(s.CommentInput, request)
        type(self).service(update=update, by=_user(request), **data)
        return _detail(s.UpdateSerializer, selectors.update_list(), pk, request)


class UpdateValidate(UpdateReview):
    service = followup_services.update_validate

    @extend_schema(
        operation_id="updates_validate", request=s.CommentInput, responses=s.UpdateSerializer
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


class UpdateReturn(UpdateReview):
    service = followup_services.update_return

    @extend_schema(
        operation_id="updates_return",
        request=s.CommentInput,
        responses=s.UpdateSerializer,
        description="Send the update back to the unit; `comment` says what is missing.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


class RevisionList(ListView):
    query_class = query.RevisionQuery
    output_class = s.RevisionSerializer

    def select(self, **filters: Any) -> QuerySet[Any]:
        return selectors.revision_list(**filters)

    @extend_schema(
        operation_id="revisions_list",
        parameters=[query.RevisionQuery],
        responses=s.RevisionSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        return self.list(request)


class RevisionDetail(ApiView):
    @extend_schema(operation_id="revisions_retrieve", responses=s.RevisionSerializer)
    def get(self, request: Request, pk: int) -> ApiResponse:
        return _detail(s.RevisionSerializer, selectors.revision_list(), pk, request)


class RevisionDecide(ApiView):
    """The committee approves or rejects a revised date."""

    service: ClassVar[Callable[..., Any]]

    def post(self, request: Request, pk: int) -> ApiResponse:
        revision = get_object_or_404(DateRevision, pk=pk)
        _committee(request)
        data = _valid(s.CommentInput, request)
        type(self).service(revision=revision, by=_user(request), **data)
        return _detail(s.RevisionSerializer, selectors.revision_list(), pk, request)


class RevisionApprove(RevisionDecide):
    service = followup_services.revision_approve

    @extend_schema(
        operation_id="revisions_approve", request=s.CommentInput, responses=s.RevisionSerializer
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


class RevisionReject(RevisionDecide):
    service = followup_services.revision_reject

    @extend_schema(
        operation_id="revisions_reject",
        request=s.CommentInput,
        responses=s.RevisionSerializer,
        description="Refuse the revised date; `comment` says why.",
    )
    def post(self, request: Request, pk: int) -> ApiResponse:
        return super().post(request, pk)


# Evidence files ---------------------------------------------------------------------------


class AnyContent(BaseContentNegotiation):
    """A download is a file whatever the caller says it accepts."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


class EvidenceDownload(ApiView):
    content_negotiation_class = AnyContent

    @extend_schema(
        operation_id="evidence_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            )
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = get_object_or_404(selectors.evidence_files(), pk=pk)
        # Always octet-stream: a browser must never render an uploaded file in our origin.
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name or "evidence",
        )
        response["Content-Type"] = "application/octet-stream"
        return response


# The root: where a client starts ---------------------------------------------------------

# Each collection a client can read (or add to), by name → its URL name.
ROOT_ENDPOINTS = {
    "units": "api:unit_list",
    "evaluations": "api:evaluation_list",
    "recommendations": "api:recommendation_list",
    "responses": "api:response_list",
    "actions": "api:action_list",
    "updates": "api:update_list",
    "revisions": "api:revision_list",
    "public_publications": "api:public_publication_list",
}


class Root(ApiView):
    """The API's front door: the address of each collection, of the OpenAPI document and of
    the docs page. Public, like the OpenAPI document: it holds addresses, not data."""

    permission_classes: ClassVar[list[Any]] = []
    authentication_classes: ClassVar[list[Any]] = []

    @extend_schema(
        operation_id="api_root",
        auth=[],
        description="The address of each collection, of this OpenAPI document and of the docs.",
        responses=inline_serializer(
            "ApiRoot",
            {
                "endpoints": serializers.DictField(
                    child=serializers.URLField(), help_text="Collection name → absolute URL."
                ),
                "openapi": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        ),
    )
    def get(self, request: Request) -> ApiResponse:
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return ApiResponse(
            {
                "endpoints": {key: url(name) for key, name in ROOT_ENDPOINTS.items()},
                "openapi": url("api:schema"),
                "docs": url("api:docs"),
            }
        )


# Anything else under /api/ --------------------------------------------------------------


@extend_schema(exclude=True)
class NotFound(ApiView):
    """Unknown addresses under /api/ answer 404 in the API's error shape, to anyone."""

    permission_classes: ClassVar[list[Any]] = []
    authentication_classes: ClassVar[list[Any]] = []

    def handle(self, request: Request, **_kwargs: Any) -> ApiResponse:
        path = request.path if request.path.endswith("/") else request.path + "/"
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found" and path != request.path:
            raise exceptions.NotFound(
                _("Nothing was found at this address. Did you mean %(path)s (with a final slash)?")
                % {"path": path}
            )
        raise exceptions.NotFound(_("Nothing was found at this address."))

    get = post = put = patch = delete = options = head = handle  # type: ignore[assignment]
