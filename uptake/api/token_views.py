"""The profile page's API token buttons: create (the token is shown once) and revoke."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from uptake.core.views import form_errors_as_messages, post_service, run_service

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, for example Power BI or a nightly script."),
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        created = run_service(
            request,
            form,
            lambda: services.token_create(
                user=request.user,  # type: ignore[arg-type]
                by=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            ),
        )
        if created:
            token, raw = created
            # Rendered, not redirected: the token must not sit in a message cookie or session.
            return render(request, "api/token_created.html", {"token": token, "raw": raw})
    form_errors_as_messages(request, form)
    return redirect("profile")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    post_service(
        request,
        lambda: services.token_revoke(token=token, by=request.user),  # type: ignore[arg-type]
        _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
    )
    return redirect("profile")
