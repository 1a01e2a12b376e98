import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from uptake.core.views import run_service, safe_next

from . import services
from .forms import LanguageForm
from .models import Unit, is_offered_language
from .selectors import user_unit_ids


def _profile_page(request: HttpRequest, language_form: LanguageForm) -> HttpResponse:
    units = Unit.objects.filter(id__in=user_unit_ids(request.user)).order_by("code")  # type: ignore[arg-type]
    return render(
        request, "accounts/profile.html", {"units": units, "language_form": language_form}
    )


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    chosen = user.language or settings.LANGUAGE_CODE  # type: ignore[union-attr]
    return _profile_page(request, LanguageForm(initial={"language": chosen}))


@require_POST
def profile_language(request: HttpRequest) -> HttpResponse:
    """Keep the language chosen on the profile, and show the pages in it from now on."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data["language"]
        saved = run_service(
            request,
            form,
            lambda: services.user_language_set(user=request.user, by=request.user, language=chosen),  # type: ignore[arg-type]
        )
        if saved:
            # Messages are rendered on the next page, which is then in the chosen language.
            with translation.override(chosen):
                messages.success(request, _("Your language is saved."))
            response = redirect("profile")
            _keep_language_cookie(response, chosen)
            return response
    return _profile_page(request, form)


def _keep_language_cookie(response: HttpResponse, language: str) -> None:
    """Pages follow LANGUAGE from now on, as when it is chosen at the top of a page."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SignIn(auth_views.LoginView):
    """Django's sign-in; a person who chose a language finds the pages in it at once."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            _keep_language_cookie(response, language)
        return response


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
    the PROXY_COUNT reverse proxies that Uptake trusts, the address the first of them was
    reached from: that many hops from the end of X-Forwarded-For (earlier ones are whatever
    the client claimed)."""
    proxies = settings.PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if proxies and hops:
        # Fewer hops than proxies: the request skipped one; the first is the best there is.
        return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change, saying it worked once back on the profile."""

    success_url = reverse_lazy("profile")
    success_message = gettext_lazy("Your password was changed.")


@login_not_required
def language_set(request: HttpRequest) -> HttpResponse:
    """Any page, signed in or not (the sign-in page offers it too), chooses the interface's
    language: Django's view keeps it in a cookie and goes back to the page. A signed-in
    person's choice is also kept as their own language (their e-mails, their next sign-in).
    The public site's addresses carry their language (/fr/public/…); its own links switch it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and is_offered_language(language):
        services.user_language_set(user=request.user, by=request.user, language=language)  # type: ignore[arg-type]
    return response
