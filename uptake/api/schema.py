"""The OpenAPI document: drf-spectacular's, with every error answer declared in one shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):  # type: ignore[misc]
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    message = serializers.CharField(help_text="What went wrong, as a sentence for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; empty when the error concerns no field.",
    )


ERRORS = {
    "400": "The request is not valid, or a business rule refused it.",
    "401": "No credentials, or a token that is not valid (see `WWW-Authenticate`).",
    "403": "The caller may not do this.",
    "404": "No such object.",
    "409": "Someone else changed the object since `version` was read.",
    "415": "The body is not in a media type this operation accepts.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PATCH", "PUT"):
            codes.append("415")
        if self.method in ("PATCH", "PUT"):
            codes.append("409")
        for code in sorted(codes):
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[code]), code
                )
        return responses


# The bounds Django derives from the database's integer column sizes: SQLite reports 64-bit
# limits for every integer column, PostgreSQL 16-, 32- or 64-bit ones. They describe storage,
# not the API, and would make the document differ between databases.
_DATABASE_MAXIMA = {32767, 2147483647, 9223372036854775807}
_DATABASE_MINIMA = {-32768, -2147483648, -9223372036854775808}


def drop_database_integer_bounds(result: Any, generator: Any, request: Any, public: Any) -> Any:
    """drf-spectacular post-processing hook: the same document whatever the database."""

    def clean(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "integer":
                if node.get("maximum") in _DATABASE_MAXIMA:
                    if node.pop("maximum") == 9223372036854775807:
                        node.pop("format", None)
                if node.get("minimum") in _DATABASE_MINIMA:
                    node.pop("minimum")
            for value in node.values():
                clean(value)
        elif isinstance(node, list):
            for value in node:
                clean(value)

    clean(result)
    return result
