"""The public site, under a language prefix (/en/public/, /fr/public/, /es/public/)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:key>/", views.public_response, name="response"),
    path("<slug:key>/response.pdf", views.public_download, {"fmt": "pdf"}, name="pdf"),
    path("<slug:key>/response.docx", views.public_download, {"fmt": "docx"}, name="docx"),
    path("<slug:key>/response.json", views.public_download, {"fmt": "json"}, name="json"),
    path("<slug:key>/response.csv", views.public_download, {"fmt": "csv"}, name="csv"),
]
