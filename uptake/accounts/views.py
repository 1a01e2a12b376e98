import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

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


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """The sign-in page again, refusing the attempt: too many failures for this username or
    from this address (django-axes calls this). The same words whether or not the username
    exists, so the answer tells an attacker nothing."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    # Not "your account": the lock may be on the address many colleagues share (an office
    # behind one address), after someone else's failures.
    message = ngettext(
        "Too many failed sign-in attempts for this username or from this network address. "
        "Signing in is paused for %(minutes)s minute; try again after that, or ask an "
        "administrator to lift the lock.",
        "Too many failed sign-in attempts for this username or from this network address. "
        "Signing in is paused for %(minutes)s minutes; try again after that, or ask an "
        "administrator to lift the lock.",
        minutes,
    ) % {"minutes": minutes}
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "lockout": message, "next": safe_next(request, "")}
    return render(request, "registration/login.html", context, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address sign-in failures are counted against: the connecting address, or behind
    the reverse proxy that Uptake trusts (SECURE_PROXY_SSL_HEADER), the last address that
    proxy appended to X-Forwarded-For (earlier ones are whatever the client claimed)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change, saying it worked once back on the profile."""

    success_url = reverse_lazy("profile")
    success_message = gettext_lazy("Your password was changed.")


# Any page, signed in or not (the sign-in page offers it too), chooses the interface's
# language: Django's view keeps it in a cookie and goes back to the page. The public site's
# addresses carry their language (/fr/public/…), and its own links switch it.
language_set = login_not_required(set_language)
