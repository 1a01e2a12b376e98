from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.home, name="home"),
    path("evaluations/", views.evaluation_list, name="list"),
    path("evaluations/new/", views.evaluation_create, name="create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="edit"),
    path("evaluations/<int:pk>/history/", views.evaluation_history, name="history"),
    path("evaluations/<int:pk>/quality-check/", views.quality_check, name="quality_check"),
    path("evaluations/<int:pk>/submit/", views.evaluation_submit, name="submit"),
    path("evaluations/<int:pk>/approve/", views.evaluation_approve, name="approve"),
    path("evaluations/<int:pk>/return/", views.evaluation_return, name="return"),
    path(
        "evaluations/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path(
        "recommendations/<int:pk>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "recommendations/<int:pk>/close/", views.recommendation_close, name="recommendation_close"
    ),
    path(
        "recommendations/<int:pk>/reopen/",
        views.recommendation_reopen,
        name="recommendation_reopen",
    ),
    path("recommendations/<int:pk>/responses/new/", views.response_create, name="response_create"),
    path("responses/<int:pk>/edit/", views.response_edit, name="response_edit"),
    path("responses/<int:pk>/delete/", views.response_delete, name="response_delete"),
    path("responses/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("actions/<int:pk>/withdraw/", views.action_withdraw, name="action_withdraw"),
    path("check/target-date/", views.check_target_date, name="check_target_date"),
]
