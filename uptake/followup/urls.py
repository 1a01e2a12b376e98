from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("my-actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", views.update_create, name="update_create"),
    path("validation/", views.validation_queue, name="validation_queue"),
    path("updates/<int:pk>/validate/", views.update_validate, name="update_validate"),
    path("updates/<int:pk>/return/", views.update_return, name="update_return"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("revisions/<int:pk>/approve/", views.revision_approve, name="revision_approve"),
    path("revisions/<int:pk>/reject/", views.revision_reject, name="revision_reject"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
