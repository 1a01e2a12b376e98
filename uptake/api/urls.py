from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import public_views, token_views, views

app_name = "api"


class IdConverter:
    """A row id: at most 18 digits, so that no id overflows a 64-bit column (a longer one
    is simply not an address: 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

v1 = "api/v1"

urlpatterns = [
    path(f"{v1}/units/", views.UnitList.as_view(), name="unit_list"),
    path(f"{v1}/units/<id:pk>/", views.UnitDetail.as_view(), name="unit_detail"),
    path(f"{v1}/evaluations/", views.EvaluationList.as_view(), name="evaluation_list"),
    path(f"{v1}/evaluations/<id:pk>/", views.EvaluationDetail.as_view(), name="evaluation_detail"),
    path(f"{v1}/evaluations/<id:pk>/plan/", views.EvaluationPlan.as_view(), name="evaluation_plan"),
    path(
        f"{v1}/evaluations/<id:pk>/submit/",
        views.EvaluationSubmit.as_view(),
        name="evaluation_submit",
    ),
    path(
        f"{v1}/evaluations/<id:pk>/approve/",
        views.EvaluationApprove.as_view(),
        name="evaluation_approve",
    ),
    path(
        f"{v1}/evaluations/<id:pk>/return/",
        views.EvaluationReturn.as_view(),
        name="evaluation_return",
    ),
    path(f"{v1}/recommendations/", views.RecommendationList.as_view(), name="recommendation_list"),
    path(
        f"{v1}/recommendations/<id:pk>/",
        views.RecommendationDetail.as_view(),
        name="recommendation_detail",
    ),
    path(
        f"{v1}/recommendations/<id:pk>/close/",
        views.RecommendationClose.as_view(),
        name="recommendation_close",
    ),
    path(
        f"{v1}/recommendations/<id:pk>/reopen/",
        views.RecommendationReopen.as_view(),
        name="recommendation_reopen",
    ),
    path(f"{v1}/responses/", views.ResponseList.as_view(), name="response_list"),
    path(f"{v1}/responses/<id:pk>/", views.ResponseDetail.as_view(), name="response_detail"),
    path(f"{v1}/actions/", views.ActionList.as_view(), name="action_list"),
    path(f"{v1}/actions/<id:pk>/", views.ActionDetail.as_view(), name="action_detail"),
    path(
        f"{v1}/actions/<id:pk>/withdraw/",
        views.ActionWithdraw.as_view(),
        name="action_withdraw",
    ),
    path(
        f"{v1}/actions/<id:pk>/updates/",
        views.ActionUpdateCreate.as_view(),
        name="action_update_create",
    ),
    path(f"{v1}/updates/", views.UpdateList.as_view(), name="update_list"),
    path(f"{v1}/updates/<id:pk>/", views.UpdateDetail.as_view(), name="update_detail"),
    path(
        f"{v1}/updates/<id:pk>/validate/",
        views.UpdateValidate.as_view(),
        name="update_validate",
    ),
    path(f"{v1}/updates/<id:pk>/return/", views.UpdateReturn.as_view(), name="update_return"),
    path(f"{v1}/revisions/", views.RevisionList.as_view(), name="revision_list"),
    path(f"{v1}/revisions/<id:pk>/", views.RevisionDetail.as_view(), name="revision_detail"),
    path(
        f"{v1}/revisions/<id:pk>/approve/",
        views.RevisionApprove.as_view(),
        name="revision_approve",
    ),
    path(
        f"{v1}/revisions/<id:pk>/reject/",
        views.RevisionReject.as_view(),
        name="revision_reject",
    ),
    path(
        f"{v1}/evidence/<id:pk>/download/",
        views.EvidenceDownload.as_view(),
        name="evidence_download",
    ),
    # Published responses, for anyone.
    path(
        f"{v1}/public/publications/",
        public_views.PublicationList.as_view(),
        name="public_publication_list",
    ),
    path(
        f"{v1}/public/publications/<slug:key>/",
        public_views.PublicationDetail.as_view(),
        name="public_publication_detail",
    ),
    # The description of the API is public: the code is open source, and tools read it
    # before they hold a token. It contains no data.
    path("api/openapi.json", login_not_required(SpectacularJSONAPIView.as_view()), name="schema"),
    path(
        "api/docs",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
    path(f"{v1}/", views.Root.as_view(), name="root"),
    path(
        "api/",
        login_not_required(
            RedirectView.as_view(pattern_name="api:root", http_method_names=["get", "head"])
        ),
        name="root_redirect",
    ),
    re_path(r"^api/(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
    # Pages (not API): tokens are created and revoked from the profile page.
    path("accounts/tokens/new/", token_views.token_create, name="token_create"),
    path("accounts/tokens/<id:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
