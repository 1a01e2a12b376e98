"""Pages for rounds, the dashboard, exports and the committee pack."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from uptake.accounts.models import Unit, User, is_offered_language
from uptake.accounts.permissions import can_decide, can_manage_evaluations
from uptake.core.caching import cached_html
from uptake.core.views import add_refusal, post_service, run_service
from uptake.errors import ServiceError
from uptake.evaluations.models import Action

from . import calendar, charts, exports, pack, reminders, selectors, services
from .forms import DashboardFilterForm, LinkUpdateForm, RoundOpenForm, UpdateLinkIssueForm
from .models import CalendarFeed, FollowUpRound, UpdateLink, UpdateLinkState


def _require_round_reader(request: HttpRequest) -> None:
    user = request.user
    if not (can_manage_evaluations(user) or can_decide(user)):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit and the committee follow rounds."))


def round_list(request: HttpRequest) -> HttpResponse:
    _require_round_reader(request)
    can_open = can_manage_evaluations(request.user)  # type: ignore[arg-type]
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied(_("Only the evaluation unit opens follow-up rounds."))
        if form.is_valid():
            d = form.cleaned_data
            round_ = run_service(
                request,
                form,
                lambda: services.round_open(
                    by=request.user,  # type: ignore[arg-type]
                    name=d["name"],
                    period=d["period"],
                    deadline=d["deadline"],
                ),
                _("Round opened: every open action now owes one update."),
            )
            if round_:
                return redirect(round_)
    rounds = list(selectors.round_list())
    return render(
        request,
        "reporting/round_list.html",
        {
            "rounds": rounds,
            "open_round": next((r for r in rounds if r.is_open), None),
            "form": form,
            "can_open": can_open,
        },
    )


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_round_reader(request)
    round_ = get_object_or_404(selectors.round_list(), pk=pk)
    return render(
        request,
        "reporting/round_detail.html",
        {
            "round": round_,
            "completeness": selectors.round_completeness(round_),
            "can_close": round_.is_open and can_manage_evaluations(request.user),  # type: ignore[arg-type]
        },
    )


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(FollowUpRound, pk=pk)
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit closes follow-up rounds."))
    post_service(
        request,
        lambda: services.round_close(round_=round_, by=request.user),  # type: ignore[arg-type]
        _("Round closed: the status of every action is frozen in its snapshot."),
    )
    return redirect(round_)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # Rendering the figures, the charts and the unit list costs many times what computing
    # the cache key does, and the page is the same for everyone who may open it: it is
    # rendered once per query string, day and state of the data.
    body = cached_html(
        "dashboard",
        depends_on=(sorted(request.GET.lists()), timezone.localdate(), selectors.figures_stamp()),
        render=lambda: _dashboard_body(request),
        seconds=selectors.DASHBOARD_CACHE_SECONDS,
    )
    return render(request, "reporting/dashboard.html", {"body": body})


def _dashboard_body(request: HttpRequest) -> str:
    form = DashboardFilterForm(
        request.GET or None, fiscal_years=selectors.fiscal_years_with_actions()
    )
    page = selectors.dashboard_page(form.filters())
    board = page.board
    pct = "\u202f%"
    chart_list = [
        charts.bar_chart(
            _("Implementation rate by unit"),
            [(f.label, f.implementation_rate) for f in board.by_unit],
            maximum=100,
            suffix=pct,
        ),
        charts.bar_chart(
            _("Overdue actions by months late"),
            [(label, count) for label, count in board.overall.ages],
        ),
        charts.bar_chart(
            _("Implementation rate by fiscal year due"),
            [(f.label, f.implementation_rate) for f in board.by_fiscal_year],
            maximum=100,
            suffix=pct,
        ),
        charts.bar_chart(
            _("Implementation rate at the close of each round"),
            [(r.name, r.implementation_rate) for r in board.trend],
            maximum=100,
            suffix=pct,
        ),
    ]
    # No request: nothing of the person viewing (session, CSRF token) may enter shared HTML.
    return render_to_string(
        "reporting/_dashboard_body.html",
        {"form": form, "board": board, "page": page, "charts": chart_list},
    )


@require_GET
def export(request: HttpRequest, dataset: str) -> HttpResponseBase:
    """DATASET as ?format=csv (the default), xlsx or json, with the list page's filters."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise Http404(_("Exports come as CSV, XLSX or JSON only."))
    user: User = request.user  # type: ignore[assignment]
    try:
        rows = exports.dataset_rows(dataset, user=user, params=request.GET)
    except ServiceError as exc:  # a filter value that means nothing: say which and why
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    response: HttpResponseBase
    if fmt == "csv":
        # Streamed: the first bytes leave before the last rows are read, whatever the size.
        response = StreamingHttpResponse(
            exports.csv_chunks(dataset, rows), content_type=exports.FORMATS[fmt]
        )
    else:
        content, content_type = exports.render(dataset, rows, fmt)
        response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(dataset, fmt)}"'
    return response


PACK_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_GET
def round_pack(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The round's committee pack, as PDF or Word."""
    _require_round_reader(request)
    if fmt not in PACK_TYPES:
        raise Http404(_("The pack comes as PDF or Word only."))
    round_ = get_object_or_404(FollowUpRound, pk=pk)
    data = pack.pack_data(round_)
    content = pack.render_pdf(data) if fmt == "pdf" else pack.render_docx(data)
    response = HttpResponse(content, content_type=PACK_TYPES[fmt])
    name = f"committee-pack-round-{round_.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------------
# Update links: the evaluation unit sends one; someone without an account uses it once.


def _require_manager(request: HttpRequest, message: str) -> None:
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(message)


@require_http_methods(["GET", "POST"])
def update_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation unit's form for a new update link on one action, and the action's links."""
    _require_manager(request, _("Only the evaluation unit sends update links."))
    action = get_object_or_404(
        Action.objects.select_related(
            "unit", "response__unit", "response__recommendation__evaluation"
        ),
        pk=pk,
    )
    form = UpdateLinkIssueForm(
        request.POST if request.method == "POST" else None,
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = run_service(
            request,
            form,
            lambda: services.update_link_issue(
                action=action, by=request.user, recipient_name=d["recipient_name"],  # type: ignore[arg-type]
                recipient_email=d["recipient_email"] or "", days=d["days"],
                language=d["language"] or translation.get_language(),
            ),
        )  # fmt: skip
        if created:
            link, secret = created
            url = request.build_absolute_uri(reverse("reporting:update_link_form", args=[secret]))
            emailed = False
            if link.submitter_email:
                try:
                    reminders.send_update_link(link=link, url=url)
                    emailed = True
                except (OSError, smtplib.SMTPException):
                    messages.warning(
                        request,
                        _("The e-mail could not be sent: copy the link and send it yourself."),
                    )
            # Rendered, not redirected: the secret must not sit in a message cookie or session.
            return render(
                request,
                "reporting/update_link_created.html",
                {"action": action, "link": link, "url": url, "emailed": emailed},
            )
    return render(
        request,
        "reporting/update_link_issue.html",
        {"action": action, "form": form, "links": selectors.action_update_links(action.pk)},
    )


@require_POST
def update_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request, _("Only the evaluation unit withdraws update links."))
    link = get_object_or_404(UpdateLink, pk=pk)
    post_service(
        request,
        lambda: services.update_link_revoke(link=link, by=request.user),  # type: ignore[arg-type]
        _("The link is withdrawn: it no longer works."),
    )
    return redirect("reporting:update_link_create", link.action_id)


def _link_problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "reporting/link_problem.html", {"message": message}, status=status)


UNKNOWN_LINK = gettext_noop(
    "This link does not exist. Check that it was copied whole, or ask the evaluation unit for a "
    "new one."
)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def update_link_form(request: HttpRequest, secret: str) -> HttpResponse:
    """The page behind an update link: one update on one action, no account needed.
    Unknown links answer 404; expired, used and withdrawn ones 410 Gone."""
    link = selectors.update_link_by_secret(secret)
    if link is None:
        response = _link_problem(request, _(UNKNOWN_LINK), 404)
    else:
        response = _in_links_language(
            request, link.language, lambda: _update_link_page(request, secret, link)
        )
    # The address is the secret: the page's stylesheet, script and any link followed from it
    # must not send it on as their Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _in_links_language(
    request: HttpRequest, language: str, page: Callable[[], HttpResponse]
) -> HttpResponse:
    """PAGE in the language the link's e-mail was written in, unless the visitor chose one
    with the switch (or the link predates the choice: then their browser's)."""
    if not is_offered_language(language) or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return page()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = page()
    response.setdefault("Content-Language", language)
    return response


def _update_link_page(request: HttpRequest, secret: str, link: UpdateLink) -> HttpResponse:
    state = link.state()
    if state != UpdateLinkState.ACTIVE:
        return _link_problem(request, services.update_link_gone_message(state), 410)
    action = link.action
    posted = request.method == "POST"
    form = LinkUpdateForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"status": action.status},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_link_submit(
                secret=secret, status=d["status"], narrative=d["narrative"], files=d["files"],
                links=form.evidence_links(), revised_date_text=d["revised_date_text"],
                revised_date_justification=d["revised_date_justification"],
            )  # fmt: skip
        except services.UpdateLinkUnknown:
            return _link_problem(request, _(UNKNOWN_LINK), 404)
        except services.UpdateLinkGone as exc:
            return _link_problem(request, exc.message, 410)
        except ServiceError as exc:
            add_refusal(form, exc)
        else:
            thanks = reverse("reporting:update_link_thanks")
            return redirect(f"{thanks}?language={link.language}" if link.language else thanks)
    elif posted:
        form.add_the_rest_of_the_problems(action)
    form.ask_for_files_again()
    return render(
        request, "reporting/link_update_form.html", {"form": form, "link": link, "action": action}
    )


@login_not_required
@require_GET
def update_link_thanks(request: HttpRequest) -> HttpResponse:
    # The language of the link's page, which sent the visitor here.
    return _in_links_language(
        request,
        request.GET.get("language", ""),
        lambda: render(request, "reporting/link_thanks.html"),
    )


# ---------------------------------------------------------------------------------------------
# Calendar feeds.


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed behind a secret address; 404 for an unknown or revoked one."""
    feed = selectors.calendar_feed_by_secret(secret)
    if feed is None:
        raise Http404(_("No calendar feed has this address: it may have been revoked."))
    content = calendar.feed_ics(feed, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="uptake.ics"'
    return response


def _feed_created(request: HttpRequest, feed: CalendarFeed, secret: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("reporting:calendar_feed", args=[secret]))
    # Rendered, not redirected: the secret must not sit in a message cookie or session.
    return render(request, "reporting/calendar_feed_created.html", {"feed": feed, "url": url})


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """A new personal feed address for the signed-in person (the old one stops working)."""
    try:
        feed, secret = services.calendar_feed_create(by=request.user, user=request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("profile")
    return _feed_created(request, feed, secret)


@require_GET
def calendar_unit_feeds(request: HttpRequest) -> HttpResponse:
    _require_manager(request, _("Only the evaluation unit manages calendar feeds for units."))
    return render(
        request,
        "reporting/calendar_units.html",
        {"rows": selectors.units_with_calendar_feeds()},
    )


@require_POST
def calendar_unit_feed_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request, _("Only the evaluation unit creates calendar feeds for units."))
    unit = get_object_or_404(Unit, pk=pk)
    try:
        feed, secret = services.calendar_feed_create(by=request.user, unit=unit)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:calendar_unit_feeds")
    return _feed_created(request, feed, secret)


@require_POST
def calendar_feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a feed: one's own personal feed (others' are not found), or, for the evaluation
    unit, a unit's feed."""
    feed = get_object_or_404(CalendarFeed, pk=pk)
    if feed.user_id is not None and feed.user_id != request.user.pk:
        raise Http404(_("No such calendar feed."))
    if feed.unit_id is not None:
        _require_manager(request, _("Only the evaluation unit revokes calendar feeds for units."))
    post_service(
        request,
        lambda: services.calendar_feed_revoke(feed=feed, by=request.user),  # type: ignore[arg-type]
        _("The calendar feed is revoked: its address no longer works."),
    )
    return redirect("profile" if feed.user_id else "reporting:calendar_unit_feeds")
