from django.conf.urls.i18n import i18n_patterns
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
    path("", include("uptake.reporting.urls")),
    path("", include("uptake.results.urls")),
    path("", include("uptake.api.urls")),
    path("", include("uptake.publishing.urls")),
]
# The public site: /en/public/, /fr/public/, /es/public/ (/public/ redirects by Accept-Language).
urlpatterns += i18n_patterns(path("public/", include("uptake.publishing.public_urls")))
