"""Settings for Django REST framework and drf-spectacular, imported by uptake.settings.

Kept here so the API's configuration sits with the API; nothing here reads the environment.
"""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first class names the scheme in 401 answers: `WWW-Authenticate: Bearer`.
        "uptake.api.authentication.BearerTokenAuthentication",
        # The browser's session; DRF enforces CSRF for it, and only for it.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["uptake.api.permissions.CanReadInternal"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "uptake.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "uptake.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "uptake.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Uptake API",
    "DESCRIPTION": (
        "Evaluations, recommendations, management responses, actions and their follow-up. "
        "Authenticate with `Authorization: Bearer <token>` (create a token on your profile "
        "page or with `uptake token USERNAME`). Every error has the same shape: "
        "`{status, message, errors}`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "uptake.api.schema.drop_database_integer_bounds",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Ids in paths (uptake.api.urls.IdConverter): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "uptake.evaluations.models.ActionStatus",
        "RecommendationStatusEnum": "uptake.evaluations.models.RecommendationStatus",
        "EvaluationStateEnum": "uptake.evaluations.models.EvaluationState",
        "ReviewStateEnum": "uptake.followup.models.ReviewState",
        "RevisionDecisionEnum": "uptake.followup.models.RevisionDecision",
        "ClosureReasonEnum": "uptake.evaluations.models.ClosureReason",
        "UnitKindEnum": "uptake.accounts.models.UnitKind",
    },
}
