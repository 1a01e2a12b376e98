"""Read-only endpoints for published management responses: open to anyone, no credentials.

They read only live publications (uptake.publishing), never the live tables, so drafts,
later edits and withdrawn versions stay private.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from uptake.publishing import downloads
from uptake.publishing import selectors as publishing_selectors
from uptake.publishing.models import Publication

from .views import ApiView


class PublicQuery(serializers.Serializer):  # type: ignore[type-arg]
    search = serializers.CharField(required=False, max_length=200, help_text="Words to find.")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    unit = serializers.CharField(required=False, max_length=40, help_text="A unit's code.")
    program = serializers.CharField(required=False, max_length=300)


class PublicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    languages = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Publication
        fields = [
            "slug",
            "evaluation",
            "version",
            "title_en",
            "title_fr",
            "program",
            "program_fr",
            "year",
            "languages",
            "show_status",
            "status_as_of",
            "published_at",
        ]


class PublicationDetailSerializer(PublicationSerializer):
    content = serializers.SerializerMethodField(
        help_text="The published response as open data (the public page's JSON download)."
    )

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "content"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, publication: Publication) -> dict[str, Any]:
        page = reverse("public:response", args=[publication.slug])
        request = self.context.get("request")
        return downloads.open_data(
            publication, request.build_absolute_uri(page) if request else page
        )


class PublicApi(ApiView):
    # Anyone may read; a token sent anyway is neither needed nor checked.
    authentication_classes: ClassVar[list[Any]] = []
    permission_classes: ClassVar[list[Any]] = []


class PublicationList(PublicApi, generics.GenericAPIView):  # type: ignore[type-arg]
    @extend_schema(
        operation_id="public_publications_list",
        parameters=[PublicQuery],
        responses=PublicationSerializer(many=True),
        auth=[],
        description="Every published management response (its latest version).",
    )
    def get(self, request: Request) -> ApiResponse:
        query = PublicQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(publishing_selectors.public_list(**query.validated_data))
        data = PublicationSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class PublicationDetail(PublicApi):
    @extend_schema(
        operation_id="public_publications_retrieve",
        responses=PublicationDetailSerializer,
        auth=[],
        description="One published response, by its address (slug) or its evaluation's id.",
    )
    def get(self, request: Request, key: str) -> ApiResponse:
        publication = publishing_selectors.live_publication(key)
        if publication is None:
            raise exceptions.NotFound()
        return ApiResponse(
            PublicationDetailSerializer(publication, context={"request": request}).data
        )
