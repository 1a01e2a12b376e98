"""Pages for strategies, their logic models and PMFs; downloads; actual reporting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uptake.core.views import (
    add_refusal,
    form_errors_as_messages,
    form_version,
    post_service,
    posted_version,
    run_service,
)
from uptake.errors import ServiceError

from . import selectors, services
from .chart import trend_svg
from .diagram import png as diagram_png_bytes
from .diagram import svg as diagram_svg_text
from .forms import (
    ActualForm,
    CommentForm,
    ImportForm,
    IndicatorForm,
    InvestmentForm,
    LinkForm,
    MoveForm,
    PeriodForm,
    ResultForm,
    SectionForm,
    StrategyFilterForm,
    StrategyForm,
    TargetsForm,
)
from .iati import activities_xml
from .models import (
    ActionLink,
    ActualUpdate,
    Indicator,
    InvestmentLine,
    NarrativeSection,
    Period,
    RecommendationLink,
    Result,
    Strategy,
)
from .permissions import (
    can_approve_strategy,
    can_manage_results,
    can_report_actuals,
)
from .spreadsheets import FrameworkImportError, template_xlsx
from .spreadsheets import export_docx as docx_bytes
from .spreadsheets import export_xlsx as xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _manager(request: HttpRequest) -> None:
    if not can_manage_results(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit can do this."))


def _reporter(request: HttpRequest) -> None:
    if not can_report_actuals(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit and focal points report actuals."))


def _data(form: forms.Form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    done: Callable[[Any], HttpResponse],
    context: dict[str, Any],
    template: str = "results/form.html",
) -> HttpResponse:
    """The usual form round trip: on a valid POST call the service, else (re)show the form."""
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, form, lambda: call(_data(form)), success)
        if saved is not None:
            return done(saved)
    return render(request, template, {"form": form, **context})


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _name(strategy: Strategy) -> str:
    return slugify(strategy.title_en)[:60] or f"strategy-{strategy.pk}"


# Strategies --------------------------------------------------------------------------------


@require_GET
def strategy_list(request: HttpRequest) -> HttpResponse:
    form = StrategyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    strategies = selectors.strategy_list(
        search=filters.get("q", ""), state=filters.get("state", "")
    )
    page = Paginator(strategies, 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "results/strategy_list.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "can_manage_results": can_manage_results(request.user),  # type: ignore[arg-type]
        },
    )


def strategy_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = StrategyForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.strategy_create(by=request.user, **d),  # type: ignore[arg-type]
        _("Strategy created."),
        lambda s: redirect(s),
        {"title": _("New strategy")},
    )


def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = StrategyForm(
        request.POST or None, instance=strategy, initial={"version": strategy.version}
    )
    return _form_page(
        request,
        form,
        lambda d: services.strategy_update(
            strategy=Strategy.objects.get(pk=pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Strategy saved."),
        lambda s: redirect(s),
        {"title": _("Edit strategy"), "back": strategy.get_absolute_url()},
    )


@require_GET
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    roots = selectors.logic_model(strategy)
    return render(
        request,
        "results/strategy_detail.html",
        {
            "strategy": strategy,
            "nodes": selectors.flatten(roots),
            "diagram": mark_safe(diagram_svg_text(roots, title=strategy.title_en))  # noqa: S308 - built from escaped text
            if roots
            else "",
            "pmf": selectors.pmf(strategy),
            "sections": strategy.sections.order_by("position", "id"),
            "investments": strategy.investments.all(),
            "can_edit": can_manage_results(request.user) and strategy.is_draft,  # type: ignore[arg-type]
            "can_manage_results": can_manage_results(request.user),  # type: ignore[arg-type]
            "can_approve": can_approve_strategy(request.user) and strategy.is_draft,  # type: ignore[arg-type]
        },
    )


@require_POST
def strategy_approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_approve_strategy(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee approves strategies."))
    strategy = get_object_or_404(Strategy, pk=pk)
    post_service(
        request,
        lambda: services.strategy_approve(strategy=strategy, by=request.user),  # type: ignore[arg-type]
        _("Strategy approved."),
    )
    return redirect(strategy)


@require_POST
def strategy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    post_service(
        request,
        lambda: services.strategy_publish(strategy=strategy, by=request.user),  # type: ignore[arg-type]
        _("Strategy published."),
    )
    return redirect(strategy)


# Downloads ---------------------------------------------------------------------------------


@require_GET
def diagram_svg(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    text = diagram_svg_text(selectors.logic_model(strategy), title=strategy.title_en)
    return _download(text.encode(), "image/svg+xml", f"{_name(strategy)}-logic-model.svg")


@require_GET
def diagram_png(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    data = diagram_png_bytes(selectors.logic_model(strategy))
    return _download(data, "image/png", f"{_name(strategy)}-logic-model.png")


@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    return _download(xlsx_bytes(strategy), XLSX, f"{_name(strategy)}-framework.xlsx")


@require_GET
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    return _download(docx_bytes(strategy), DOCX, f"{_name(strategy)}-framework.docx")


@require_GET
def export_iati(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    return _download(activities_xml([strategy]), "application/xml", f"{_name(strategy)}-iati.xml")


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return _download(template_xlsx(), XLSX, "uptake-logic-model-template.xlsx")


def framework_import(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.framework_import(
                strategy=strategy,
                file=form.cleaned_data["file"],
                by=request.user,  # type: ignore[arg-type]
            )
        except FrameworkImportError as exc:
            problems = exc.problems
            form.add_error(None, exc.message)
        except ServiceError as exc:
            add_refusal(form, exc)
        else:
            from django.contrib import messages

            messages.success(
                request,
                _(
                    "Imported %(results)d results, %(indicators)d indicators, %(periods)d "
                    "periods and %(targets)d targets."
                )
                % counts,
            )
            if counts["actuals_left"]:
                messages.warning(
                    request,
                    _(
                        "The Actuals sheet was not read: actuals are reported and approved in "
                        "Uptake, not imported."
                    ),
                )
            return redirect(strategy)
    return render(
        request,
        "results/import.html",
        {"form": form, "strategy": strategy, "problems": problems},
    )


# Narrative sections and investment lines ---------------------------------------------------


def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = SectionForm(request.POST or None, initial={"position": strategy.sections.count() + 1})
    return _form_page(
        request,
        form,
        lambda d: services.section_create(strategy=strategy, by=request.user, **d),  # type: ignore[arg-type]
        _("Section added."),
        lambda s: redirect(strategy),
        {
            "title": _("New narrative section"),
            "strategy": strategy,
            "back": strategy.get_absolute_url(),
        },
    )


def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    section = get_object_or_404(NarrativeSection.objects.select_related("strategy"), pk=pk)
    form = SectionForm(request.POST or None, instance=section, initial={"version": section.version})
    return _form_page(
        request,
        form,
        lambda d: services.section_update(
            section=NarrativeSection.objects.select_related("strategy").get(pk=pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Section saved."),
        lambda s: redirect(section.strategy),
        {
            "title": _("Edit narrative section"),
            "strategy": section.strategy,
            "back": section.strategy.get_absolute_url(),
        },
    )


@require_POST
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    section = get_object_or_404(NarrativeSection.objects.select_related("strategy"), pk=pk)
    post_service(
        request,
        lambda: services.section_delete(
            section=section,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Section deleted."),
    )
    return redirect(section.strategy)


def investment_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = InvestmentForm(
        request.POST or None, initial={"fiscal_year": strategy.start_year, "currency": "CAD"}
    )
    return _form_page(
        request,
        form,
        lambda d: services.investment_create(strategy=strategy, by=request.user, **d),  # type: ignore[arg-type]
        _("Investment line added."),
        lambda s: redirect(strategy),
        {
            "title": _("New investment plan line"),
            "strategy": strategy,
            "back": strategy.get_absolute_url(),
        },
    )


def investment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    line = get_object_or_404(InvestmentLine.objects.select_related("strategy"), pk=pk)
    form = InvestmentForm(request.POST or None, instance=line, initial={"version": line.version})
    return _form_page(
        request,
        form,
        lambda d: services.investment_update(
            line=InvestmentLine.objects.select_related("strategy").get(pk=pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Investment line saved."),
        lambda s: redirect(line.strategy),
        {
            "title": _("Edit investment plan line"),
            "strategy": line.strategy,
            "back": line.strategy.get_absolute_url(),
        },
    )


@require_POST
def investment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    line = get_object_or_404(InvestmentLine.objects.select_related("strategy"), pk=pk)
    post_service(
        request,
        lambda: services.investment_delete(
            line=line,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Investment line deleted."),
    )
    return redirect(line.strategy)


# Results -----------------------------------------------------------------------------------


def _result(pk: int) -> Result:
    return get_object_or_404(Result.objects.select_related("strategy", "parent"), pk=pk)


def result_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = ResultForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.result_create(strategy=strategy, by=request.user, **d),  # type: ignore[arg-type]
        _("Ultimate outcome added."),
        lambda r: redirect(strategy),
        {
            "title": _("New ultimate outcome"),
            "strategy": strategy,
            "back": strategy.get_absolute_url(),
        },
    )


def result_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    parent = _result(pk)
    form = ResultForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.result_create(
            strategy=parent.strategy,
            parent=parent,
            by=request.user,  # type: ignore[arg-type]
            **d,
        ),
        _("Expected result added."),
        lambda r: redirect(parent.strategy),
        {
            "title": _("New result under %(code)s") % {"code": parent.code},
            "strategy": parent.strategy,
            "back": parent.get_absolute_url(),
        },
    )


@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(pk)
    manage = can_manage_results(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "results/result_detail.html",
        {
            "result": result,
            "strategy": result.strategy,
            "children": result.children.order_by("code"),
            "indicators": result.indicators.order_by("position"),
            "action_links": selectors.result_action_links(result),
            "recommendation_links": selectors.result_recommendation_links(result),
            "can_edit": manage and result.strategy.is_draft,
            "can_manage_results": manage,
            "link_form": LinkForm(result=result) if manage else None,
        },
    )


def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    result = _result(pk)
    form = ResultForm(request.POST or None, instance=result, initial={"version": result.version})
    return _form_page(
        request,
        form,
        lambda d: services.result_update(
            result=_result(pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Expected result saved."),
        lambda r: redirect(r),
        {
            "title": _("Edit result %(code)s") % {"code": result.code},
            "back": result.get_absolute_url(),
        },
    )


def result_move(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    result = _result(pk)
    form = MoveForm(
        request.POST or None,
        result=result,
        initial={
            "parent": result.parent_id,
            "position": result.position,
            "version": result.version,
        },
    )
    return _form_page(
        request,
        form,
        lambda d: services.result_move(
            result=_result(pk),
            new_parent=d["parent"],
            position=d["position"],
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
        ),
        _("Result moved; the logic model was renumbered."),
        lambda r: redirect(r.strategy),
        {
            "title": _("Move result %(code)s") % {"code": result.code},
            "back": result.get_absolute_url(),
        },
    )


@require_POST
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    result = _result(pk)
    ok = post_service(
        request,
        lambda: services.result_delete(
            result=result,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Result deleted; the logic model was renumbered."),
    )
    return redirect(result.strategy) if ok else redirect(result)


# Links ------------------------------------------------------------------------------------


@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    result = _result(pk)
    form = LinkForm(request.POST, result=result)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(result)
    d = form.cleaned_data
    if d["action"]:
        post_service(
            request,
            lambda: services.action_link(
                action=d["action"],
                result=result,
                indicator=d["indicator"],
                by=request.user,  # type: ignore[arg-type]
            ),
            _("Action linked."),
        )
    else:
        post_service(
            request,
            lambda: services.recommendation_link(
                recommendation=d["recommendation"],
                result=result,
                indicator=d["indicator"],
                by=request.user,  # type: ignore[arg-type]
            ),
            _("Recommendation linked."),
        )
    return redirect(result)


@require_POST
def action_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    link = get_object_or_404(ActionLink.objects.select_related("result"), pk=pk)
    post_service(
        request,
        lambda: services.action_unlink(link=link, by=request.user),  # type: ignore[arg-type]
        _("Link removed."),
    )
    return redirect(link.result)


@require_POST
def recommendation_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    link = get_object_or_404(RecommendationLink.objects.select_related("result"), pk=pk)
    post_service(
        request,
        lambda: services.recommendation_unlink(link=link, by=request.user),  # type: ignore[arg-type]
        _("Link removed."),
    )
    return redirect(link.result)


# Indicators, targets and actuals -----------------------------------------------------------


def _indicator(pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("result__strategy"), pk=pk)


def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    result = _result(pk)
    form = IndicatorForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.indicator_create(result=result, by=request.user, **d),  # type: ignore[arg-type]
        _("Indicator added."),
        lambda i: redirect(i),
        {
            "title": _("New indicator for %(code)s") % {"code": result.code},
            "back": result.get_absolute_url(),
        },
    )


def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    indicator = _indicator(pk)
    form = IndicatorForm(
        request.POST or None, instance=indicator, initial={"version": indicator.version}
    )
    return _form_page(
        request,
        form,
        lambda d: services.indicator_update(
            indicator=_indicator(pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Indicator saved."),
        lambda i: redirect(i),
        {
            "title": _("Edit indicator %(label)s") % {"label": indicator.label},
            "back": indicator.get_absolute_url(),
        },
    )


@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    indicator = _indicator(pk)
    ok = post_service(
        request,
        lambda: services.indicator_delete(
            indicator=indicator,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Indicator deleted."),
    )
    return redirect(indicator.result) if ok else redirect(indicator)


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(pk)
    table = selectors.pmf(indicator.result.strategy, indicator=indicator)
    row = table.rows[0]
    manage = can_manage_results(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "results/indicator_detail.html",
        {
            "indicator": indicator,
            "result": indicator.result,
            "strategy": indicator.result.strategy,
            "row": row,
            "chart": mark_safe(trend_svg(row, title=indicator.text_en)),  # noqa: S308 - escaped text
            "updates": selectors.indicator_updates(indicator),
            "can_edit": manage and indicator.result.strategy.is_draft,
            "can_manage_results": manage,
            "can_report": can_report_actuals(request.user)  # type: ignore[arg-type]
            and not indicator.result.strategy.is_draft,
            "comment_form": CommentForm(),
        },
    )


def targets_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    indicator = _indicator(pk)
    periods = list(Period.objects.filter(strategy=indicator.result.strategy).order_by("start"))
    current = {t.period_id: t for t in indicator.targets.all()}
    initial: dict[str, Any] = {}
    for p in periods:
        target = current.get(p.pk)
        initial[f"period_{p.pk}"] = (target.text or target.value) if target else None
        initial[f"version_{p.pk}"] = target.version if target else 0
    form = TargetsForm(request.POST or None, indicator=indicator, periods=periods, initial=initial)
    refused: list[Period] = []

    def save() -> Indicator:
        entries = []
        for period in periods:
            key = f"period_{period.pk}"
            if period.locked and key not in request.POST:
                continue  # not sent (a page whose field was disabled): nothing to change
            value = form.cleaned_data.get(key)
            entries.append(
                services.TargetEntry(
                    period=period,
                    value=None if indicator.is_qualitative else value,
                    text=(value or "") if indicator.is_qualitative else "",
                    expected_version=form.cleaned_data.get(f"version_{period.pk}"),
                )
            )
        try:
            return services.targets_set(
                indicator=indicator,
                by=request.user,  # type: ignore[arg-type]
                entries=entries,
            )
        except services.TargetsLockedError as exc:
            refused.extend(exc.periods)
            raise

    if request.method == "POST" and form.is_valid():
        if run_service(request, form, save, _("Targets saved.")) is not None:
            return redirect(indicator)
        _show_locked_targets(form, refused, initial)
    return render(
        request,
        "results/form.html",
        {
            "form": form,
            "title": _("Targets for %(label)s") % {"label": indicator.label},
            "back": indicator.get_absolute_url(),
            "empty_message": _("Add the strategy's periods first.") if not periods else "",
        },
    )


def _show_locked_targets(form: forms.Form, periods: list[Period], initial: dict[str, Any]) -> None:
    """After a refusal for PERIODS locked meanwhile: each read-only field shows its stored
    target again (so the next save goes through) and, under it, what the person typed."""
    if not periods:
        return
    form.data = form.data.copy()
    for period in periods:
        key = f"period_{period.pk}"
        typed = str(form.data.get(key, "")).strip()
        stored = initial.get(key)
        form.data[key] = "" if stored is None else str(stored)
        if typed:
            message = _(
                "You typed “%(value)s” for %(period)s, which was locked meanwhile: it was not "
                "saved, and the field shows the stored target again."
            ) % {"value": typed, "period": period.name}
        else:
            message = _(
                "You cleared the target for %(period)s, which was locked meanwhile: the field "
                "shows the stored target again."
            ) % {"period": period.name}
        form.add_error(key, message)


def _actual_page(
    request: HttpRequest, indicator: Indicator, update: ActualUpdate | None
) -> HttpResponse:
    initial = (
        {
            "period": update.period_id,
            "value": update.value,
            "text": update.text,
            "variance_explanation": update.variance_explanation,
            "version": update.version,
        }
        if update
        else {}
    )
    form = ActualForm(request.POST or None, indicator=indicator, initial=initial)
    submit = "submit" in request.POST
    return _form_page(
        request,
        form,
        lambda d: services.actual_save(
            indicator=indicator,
            period=d["period"],
            by=request.user,  # type: ignore[arg-type]
            value=d.get("value"),
            text=d.get("text", ""),
            variance_explanation=d["variance_explanation"],
            submit=submit,
            update=update,
            expected_version=form_version(form) if update else None,
        ),
        _("Actual submitted for approval.") if submit else _("Actual saved as a draft."),
        lambda u: redirect(indicator),
        {
            "title": _("Report an actual for %(label)s") % {"label": indicator.label},
            "indicator": indicator,
            "back": indicator.get_absolute_url(),
        },
        template="results/actual_form.html",
    )


def actual_create(request: HttpRequest, pk: int) -> HttpResponse:
    _reporter(request)
    return _actual_page(request, _indicator(pk), None)


def _update(pk: int) -> ActualUpdate:
    return get_object_or_404(
        ActualUpdate.objects.select_related("indicator__result__strategy", "period"), pk=pk
    )


def actual_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _reporter(request)
    update = _update(pk)
    return _actual_page(request, update.indicator, update)


@require_POST
def actual_submit(request: HttpRequest, pk: int) -> HttpResponse:
    _reporter(request)
    update = _update(pk)
    post_service(
        request,
        lambda: services.actual_submit(update=update, by=request.user),  # type: ignore[arg-type]
        _("Actual submitted for approval."),
    )
    return redirect(update.indicator)


@require_POST
def actual_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    update = _update(pk)
    form = CommentForm(request.POST)
    form.is_valid()
    post_service(
        request,
        lambda: services.actual_approve(
            update=update,
            by=request.user,  # type: ignore[arg-type]
            comment=form.cleaned_data.get("comment", ""),
        ),
        _("Actual approved."),
    )
    return redirect(update.indicator)


@require_POST
def actual_return(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    update = _update(pk)
    form = CommentForm(request.POST)
    form.is_valid()
    post_service(
        request,
        lambda: services.actual_return(
            update=update,
            by=request.user,  # type: ignore[arg-type]
            comment=form.cleaned_data.get("comment", ""),
        ),
        _("Actual returned with your comment."),
    )
    return redirect(update.indicator)


@require_GET
def actual_queue(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(
        request,
        "results/actual_queue.html",
        {"updates": selectors.actuals_awaiting_approval(), "comment_form": CommentForm()},
    )


# Periods -----------------------------------------------------------------------------------


def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    strategy = get_object_or_404(Strategy, pk=pk)
    form = PeriodForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.period_create(strategy=strategy, by=request.user, **d),  # type: ignore[arg-type]
        _("Period added."),
        lambda p: redirect(strategy),
        {"title": _("New reporting period"), "back": strategy.get_absolute_url()},
    )


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    period = get_object_or_404(Period.objects.select_related("strategy"), pk=pk)
    form = PeriodForm(request.POST or None, instance=period, initial={"version": period.version})
    return _form_page(
        request,
        form,
        lambda d: services.period_update(
            period=Period.objects.select_related("strategy").get(pk=pk),
            by=request.user,  # type: ignore[arg-type]
            expected_version=form_version(form),
            **d,
        ),
        _("Period saved."),
        lambda p: redirect(period.strategy),
        {
            "title": _("Edit period %(name)s") % {"name": period.name},
            "back": period.strategy.get_absolute_url(),
        },
    )


@require_POST
def period_lock(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    period = get_object_or_404(Period.objects.select_related("strategy"), pk=pk)
    post_service(
        request,
        lambda: services.period_lock(period=period, by=request.user),  # type: ignore[arg-type]
        _("Period %(name)s locked.") % {"name": period.name},
    )
    return redirect(period.strategy)


@require_POST
def period_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    period = get_object_or_404(Period.objects.select_related("strategy"), pk=pk)
    post_service(
        request,
        lambda: services.period_unlock(period=period, by=request.user),  # type: ignore[arg-type]
        _("Period %(name)s unlocked.") % {"name": period.name},
    )
    return redirect(period.strategy)
