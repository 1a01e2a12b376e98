from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/pack.pdf", views.round_pack, {"fmt": "pdf"}, name="pack_pdf"),
    path("rounds/<int:pk>/pack.docx", views.round_pack, {"fmt": "docx"}, name="pack_docx"),
    # One address per dataset; ?format=csv|xlsx|json, and the list pages' filters.
    path(
        "exports/evaluations/", views.export, {"dataset": "evaluations"}, name="export_evaluations"
    ),
    path(
        "exports/recommendations/",
        views.export,
        {"dataset": "recommendations"},
        name="export_recommendations",
    ),
    path("exports/actions/", views.export, {"dataset": "actions"}, name="export_actions"),
    path("exports/updates/", views.export, {"dataset": "updates"}, name="export_updates"),
]
