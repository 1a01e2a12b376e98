from django.contrib import admin
from django.urls import include, path

from . import health
from .accounts import views as account_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("uptake.accounts.urls")),
    # One sign-in page for everyone: the admin's own login form would be a second door.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("uptake.evaluations.urls")),
    path("", include("uptake.followup.urls")),
    path("import/", include("uptake.importer.urls")),
]
