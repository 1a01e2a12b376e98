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
    # Update links: issued on an action's page; /u/<secret>/ works without an account.
    path("actions/<int:pk>/update-link/", views.update_link_create, name="update_link_create"),
    path("update-links/<int:pk>/revoke/", views.update_link_revoke, name="update_link_revoke"),
    path("u/done/", views.update_link_thanks, name="update_link_thanks"),
    path("u/<str:secret>/", views.update_link_form, name="update_link_form"),
    # Calendar feeds: /calendar/<secret>.ics works without an account.
    path("accounts/calendar/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("calendar/units/", views.calendar_unit_feeds, name="calendar_unit_feeds"),
    path(
        "calendar/units/<int:pk>/new/",
        views.calendar_unit_feed_create,
        name="calendar_unit_feed_create",
    ),
    path(
        "calendar/feeds/<int:pk>/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"
    ),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
]
