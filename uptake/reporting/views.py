"""Pages for rounds, the dashboard, exports and the committee pack."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uptake.accounts.models import User
from uptake.accounts.permissions import can_decide, can_manage_evaluations
from uptake.core.views import post_service, run_service

from . import charts, exports, pack, selectors, services
from .forms import DashboardFilterForm, RoundOpenForm
from .models import FollowUpRound


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
    form = DashboardFilterForm(
        request.GET or None, fiscal_years=selectors.fiscal_years_with_actions()
    )
    board = selectors.dashboard(form.filters())
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
    return render(
        request,
        "reporting/dashboard.html",
        {"form": form, "board": board, "charts": chart_list},
    )


@require_GET
def export(request: HttpRequest, dataset: str) -> HttpResponse:
    """DATASET as ?format=csv (the default), xlsx or json, with the list page's filters."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise Http404(_("Exports come as CSV, XLSX or JSON only."))
    user: User = request.user  # type: ignore[assignment]
    rows = exports.dataset_rows(dataset, user=user, params=request.GET)
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
