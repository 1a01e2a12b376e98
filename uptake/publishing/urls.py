"""The evaluation unit's publishing pages (signed in)."""

from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("evaluations/<int:pk>/publishing/", views.publication_manage, name="manage"),
    path("evaluations/<int:pk>/translation/", views.translation_edit, name="translate"),
    path("publications/<int:pk>/withdraw/", views.publication_unpublish, name="unpublish"),
]
