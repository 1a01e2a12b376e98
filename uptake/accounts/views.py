from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from uptake.core.views import safe_next

from .models import Unit
from .selectors import user_unit_ids


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(id__in=user_unit_ids(request.user)).order_by("code")  # type: ignore[arg-type]
    return render(request, "accounts/profile.html", {"units": units})


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """Send people to Uptake's sign-in page; signed-in people without admin rights get 403."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(safe_next(request, reverse("admin:index")))
    if request.user.is_authenticated:
        raise PermissionDenied(_("Only administrators use the administration pages."))
    return redirect_to_login(safe_next(request, reverse("admin:index")))
