"""Pages for recording evaluations and drafting, checking and approving their responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uptake.accounts.permissions import can_decide, can_edit_response, can_manage_evaluations
from uptake.accounts.selectors import unit_find
from uptake.core.i18n import localized, localized_pair
from uptake.core.views import (
    form_version,
    is_htmx,
    post_service,
    posted_comment,
    posted_version,
    run_service,
)

from . import selectors, services
from .forms import (
    ActionForm,
    CloseRecommendationForm,
    CommentForm,
    EvaluationFilterForm,
    EvaluationForm,
    RecommendationForm,
    ResponseForm,
    WithdrawActionForm,
)
from .models import Action, Evaluation, Recommendation, Response
from .target_dates import parse_target_date


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit can do this."))


def _require_editable(request: HttpRequest, evaluation: Evaluation) -> None:
    _require_manager(request)
    if not can_edit_response(request.user, evaluation):  # type: ignore[arg-type]
        raise PermissionDenied(
            _("This response is “%(state)s”: it can no longer be edited.")
            % {"state": evaluation.get_state_display()}
        )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_focal_point", False):
        return redirect("followup:my_actions")
    return redirect("evaluations:list")


@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    form = EvaluationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    evaluations = selectors.evaluation_list(
        search=filters.get("q", ""),
        state=filters.get("state", ""),
        program=filters.get("program", ""),
    )
    page = Paginator(evaluations, 25).get_page(request.GET.get("page"))
    # The pager's links keep the filters; only the page number changes.
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": params.urlencode()}
    template = (
        "evaluations/_evaluation_results.html"
        if is_htmx(request)
        else "evaluations/evaluation_list.html"
    )
    return render(request, template, context)


def evaluation_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        evaluation = run_service(
            request,
            form,
            lambda: services.evaluation_create(by=request.user, **data),  # type: ignore[arg-type]
            _("Evaluation recorded."),
        )
        if evaluation:
            return redirect("evaluations:detail", evaluation.pk)
    return render(request, "evaluations/evaluation_form.html", {"form": form})


def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    evaluation = get_object_or_404(Evaluation, pk=pk)
    form = EvaluationForm(
        request.POST or None, instance=evaluation, initial={"version": evaluation.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = Evaluation.objects.get(pk=pk)
        saved = run_service(
            request,
            form,
            lambda: services.evaluation_update(
                evaluation=fresh,
                by=request.user,
                expected_version=form_version(form),
                **data,  # type: ignore[arg-type]
            ),
            _("Evaluation saved."),
        )
        if saved:
            return redirect("evaluations:detail", pk)
    return render(
        request, "evaluations/evaluation_form.html", {"form": form, "evaluation": evaluation}
    )


@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole management response, in the order a published one reads."""
    try:
        evaluation = selectors.evaluation_with_plan(pk)
    except Evaluation.DoesNotExist as exc:
        raise Http404(_("No evaluation has this number.")) from exc
    problems: list[selectors.Problem] = []
    warnings: list[selectors.Problem] = []
    if evaluation.response_is_editable:
        problems = selectors.response_plan_problems(evaluation, evaluation.recommendations.all())
        warnings = selectors.response_plan_warnings(evaluation, evaluation.recommendations.all())
    # The evaluation unit is written as text; when it names a unit, French readers get the
    # unit's French name, as on the published page.
    unit = unit_find(evaluation.evaluation_unit)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "other_title": _other_title(evaluation),
            "evaluation_unit_name": localized_pair(
                evaluation.evaluation_unit, unit.name_fr if unit else ""
            ),
            "problems": problems,
            "warnings": warnings,
            "editable": can_edit_response(request.user, evaluation),  # type: ignore[arg-type]
            "comment_form": CommentForm(),
        },
    )


def _other_title(evaluation: Evaluation) -> dict[str, str] | None:
    """The title in the language the page's heading does not show, with its language code;
    None when there is only one title."""
    shown = localized(evaluation, "title_en")
    english = (evaluation.title_en or "").strip()
    french = (evaluation.title_fr or "").strip()
    if not english or not french or english == french:
        return None
    if shown == french:
        return {"text": english, "lang": "en"}
    return {"text": french, "lang": "fr"}


@require_GET
def quality_check(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    recommendations = selectors.plan_recommendations(evaluation)
    return render(
        request,
        "evaluations/quality_check.html",
        {
            "evaluation": evaluation,
            "problems": selectors.response_plan_problems(evaluation, recommendations),
            "warnings": selectors.response_plan_warnings(evaluation, recommendations),
        },
    )


@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    evaluation = get_object_or_404(Evaluation, pk=pk)
    ok = post_service(
        request,
        lambda: services.evaluation_submit_for_approval(evaluation=evaluation, by=request.user),  # type: ignore[arg-type]
        _("The response was sent to the committee for approval."),
    )
    return redirect("evaluations:detail", pk) if ok else redirect("evaluations:quality_check", pk)


@require_POST
def evaluation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_decide(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee approves responses."))
    evaluation = get_object_or_404(Evaluation, pk=pk)
    post_service(
        request,
        lambda: services.evaluation_approve_response(
            evaluation=evaluation,
            by=request.user,
            comment=posted_comment(request),  # type: ignore[arg-type]
        ),
        _("Response approved: its actions are now followed up."),
    )
    return redirect("evaluations:detail", pk)


@require_POST
def evaluation_return(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_decide(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee returns responses."))
    evaluation = get_object_or_404(Evaluation, pk=pk)
    post_service(
        request,
        lambda: services.evaluation_return_response(
            evaluation=evaluation,
            by=request.user,
            comment=posted_comment(request),  # type: ignore[arg-type]
        ),
        _("Response returned to the evaluation unit."),
    )
    return redirect("evaluations:detail", pk)


@require_GET
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    return render(
        request,
        "evaluations/evaluation_history.html",
        {"evaluation": evaluation, "entries": selectors.evaluation_history(evaluation)},
    )


# Recommendations ---------------------------------------------------------------------------


def _recommendation_initial(rec: Recommendation) -> dict[str, object]:
    sub_points = list(rec.sub_points.all())
    points = "\n".join(f"{p.label}) {p.text}" if p.label else p.text for p in sub_points)
    points_fr = "\n".join(
        f"{p.label}) {p.text_fr}" if p.label else p.text_fr for p in sub_points if p.text_fr
    )
    return {
        "number": rec.number,
        "statement": rec.statement,
        "body": rec.body,
        "sub_points": points,
        "statement_fr": rec.statement_fr,
        "body_fr": rec.body_fr,
        "sub_points_fr": points_fr,
        "version": rec.version,
    }


def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    _require_editable(request, evaluation)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        rec = run_service(
            request,
            form,
            lambda: services.recommendation_create(
                evaluation=evaluation, by=request.user, number=d["number"], statement=d["statement"],  # type: ignore[arg-type]
                body=d["body"], sub_points=form.sub_point_list(),
                statement_fr=d["statement_fr"], body_fr=d["body_fr"],
                sub_points_fr=form.sub_point_list_fr(),
            ),
            _("Recommendation added."),
        )  # fmt: skip
        if rec:
            return redirect(f"{evaluation.get_absolute_url()}#rec-{rec.pk}")
    return render(
        request, "evaluations/recommendation_form.html", {"form": form, "evaluation": evaluation}
    )


def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    _require_editable(request, rec.evaluation)
    form = RecommendationForm(request.POST or None, initial=_recommendation_initial(rec))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.recommendation_update(
                recommendation=rec, by=request.user, expected_version=d.get("version"),  # type: ignore[arg-type]
                number=d["number"], statement=d["statement"], body=d["body"],
                sub_points=form.sub_point_list(),
                statement_fr=d["statement_fr"], body_fr=d["body_fr"],
                sub_points_fr=form.sub_point_list_fr(),
            ),
            _("Recommendation saved."),
        )  # fmt: skip
        if saved:
            return redirect(f"{rec.evaluation.get_absolute_url()}#rec-{rec.pk}")
    return render(
        request,
        "evaluations/recommendation_form.html",
        {"form": form, "evaluation": rec.evaluation, "recommendation": rec},
    )


@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    _require_editable(request, rec.evaluation)
    post_service(
        request,
        lambda: services.recommendation_delete(
            recommendation=rec,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Recommendation %(number)s removed.") % {"number": rec.number},
    )
    return redirect("evaluations:detail", rec.evaluation_id)


def recommendation_close(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    if not (can_manage_evaluations(request.user) or can_decide(request.user)):  # type: ignore[arg-type]
        raise PermissionDenied(
            _("Only the evaluation unit or the committee closes recommendations.")
        )
    form = CloseRecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            closed = run_service(
                request,
                form,
                lambda: services.recommendation_close(
                    recommendation=rec,
                    by=request.user,
                    reason=d["reason"],
                    note=d["note"],  # type: ignore[arg-type]
                ),
                _("Recommendation %(number)s closed.") % {"number": rec.number},
            )
        except PermissionDenied as exc:
            form.add_error("reason", str(exc))
            closed = None
        if closed:
            return redirect(f"{rec.evaluation.get_absolute_url()}#rec-{rec.pk}")
    actions = selectors.with_overdue(
        Action.objects.filter(response__recommendation=rec).select_related("unit")
    )
    return render(
        request,
        "evaluations/recommendation_close.html",
        {"form": form, "recommendation": rec, "evaluation": rec.evaluation, "actions": actions},
    )


@require_POST
def recommendation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    if not can_decide(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee reopens recommendations."))
    post_service(
        request,
        lambda: services.recommendation_reopen(
            recommendation=rec,
            by=request.user,
            note=posted_comment(request),  # type: ignore[arg-type]
        ),
        _("Recommendation %(number)s reopened.") % {"number": rec.number},
    )
    return redirect(f"{rec.evaluation.get_absolute_url()}#rec-{rec.pk}")


# Responses ---------------------------------------------------------------------------------


def response_create(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    _require_editable(request, rec.evaluation)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = run_service(
            request,
            form,
            lambda: services.response_create(
                recommendation=rec, by=request.user, unit=d["unit"], agreement=d["agreement"],  # type: ignore[arg-type]
                commitment=d["commitment"], rationale=d["rationale"],
                commitment_fr=d["commitment_fr"], rationale_fr=d["rationale_fr"],
            ),
            _("Response added."),
        )  # fmt: skip
        if response:
            return redirect(f"{rec.evaluation.get_absolute_url()}#response-{response.pk}")
    return render(
        request,
        "evaluations/response_form.html",
        {"form": form, "recommendation": rec, "evaluation": rec.evaluation},
    )


def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        Response.objects.select_related("recommendation__evaluation", "unit"), pk=pk
    )
    evaluation = response.recommendation.evaluation
    _require_editable(request, evaluation)
    initial = {
        "unit": response.unit.code,
        "agreement": response.agreement,
        "commitment": response.commitment,
        "rationale": response.rationale,
        "commitment_fr": response.commitment_fr,
        "rationale_fr": response.rationale_fr,
        "version": response.version,
    }
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.response_update(
                response=response, by=request.user, expected_version=d.get("version"),  # type: ignore[arg-type]
                unit=d["unit"], agreement=d["agreement"], commitment=d["commitment"],
                rationale=d["rationale"],
                commitment_fr=d["commitment_fr"], rationale_fr=d["rationale_fr"],
            ),
            _("Response saved."),
        )  # fmt: skip
        if saved:
            return redirect(f"{evaluation.get_absolute_url()}#response-{response.pk}")
    return render(
        request,
        "evaluations/response_form.html",
        {
            "form": form,
            "recommendation": response.recommendation,
            "evaluation": evaluation,
            "response": response,
        },
    )


@require_POST
def response_delete(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        Response.objects.select_related("recommendation__evaluation"), pk=pk
    )
    evaluation = response.recommendation.evaluation
    _require_editable(request, evaluation)
    post_service(
        request,
        lambda: services.response_delete(
            response=response,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Response removed."),
    )
    return redirect("evaluations:detail", evaluation.pk)


# Actions -----------------------------------------------------------------------------------


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        Response.objects.select_related("recommendation__evaluation", "unit"), pk=pk
    )
    evaluation = response.recommendation.evaluation
    _require_editable(request, evaluation)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        action = run_service(
            request,
            form,
            lambda: services.action_create(
                response=response, by=request.user, text=d["text"], deliverable=d["deliverable"],  # type: ignore[arg-type]
                unit=d["unit"], role=d["role"], target_date_text=d["target_date_text"],
                text_fr=d["text_fr"], deliverable_fr=d["deliverable_fr"], role_fr=d["role_fr"],
            ),
            _("Action added."),
        )  # fmt: skip
        if action:
            return redirect(f"{evaluation.get_absolute_url()}#action-{action.pk}")
    return render(
        request,
        "evaluations/action_form.html",
        {"form": form, "response": response, "evaluation": evaluation},
    )


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related(
            "response__recommendation__evaluation", "response__unit", "unit"
        ),
        pk=pk,
    )
    evaluation = action.response.recommendation.evaluation
    _require_editable(request, evaluation)
    initial = {
        "text": action.text,
        "deliverable": action.deliverable,
        "unit": action.unit.code,
        "role": action.role,
        "target_date_text": action.target_date_text,
        "text_fr": action.text_fr,
        "deliverable_fr": action.deliverable_fr,
        "role_fr": action.role_fr,
        "version": action.version,
    }
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.action_update(
                action=action, by=request.user, expected_version=d.get("version"), text=d["text"],  # type: ignore[arg-type]
                deliverable=d["deliverable"], unit=d["unit"], role=d["role"],
                target_date_text=d["target_date_text"],
                text_fr=d["text_fr"], deliverable_fr=d["deliverable_fr"], role_fr=d["role_fr"],
            ),
            _("Action saved."),
        )  # fmt: skip
        if saved:
            return redirect(f"{evaluation.get_absolute_url()}#action-{action.pk}")
    return render(
        request,
        "evaluations/action_form.html",
        {"form": form, "response": action.response, "evaluation": evaluation, "action": action},
    )


@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related("response__recommendation__evaluation"), pk=pk
    )
    evaluation = action.response.recommendation.evaluation
    _require_editable(request, evaluation)
    post_service(
        request,
        lambda: services.action_delete(
            action=action,
            by=request.user,  # type: ignore[arg-type]
            expected_version=posted_version(request),
        ),
        _("Action removed."),
    )
    return redirect("evaluations:detail", evaluation.pk)


def action_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related("response__recommendation__evaluation"), pk=pk
    )
    _require_manager(request)
    form = WithdrawActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = run_service(
            request,
            form,
            lambda: services.action_withdraw(
                action=action, by=request.user, status=d["status"], reason=d["reason"]
            ),  # type: ignore[arg-type]
            _("Action withdrawn."),
        )
        if saved:
            return redirect("followup:action", action.pk)
    return render(request, "evaluations/action_withdraw.html", {"form": form, "action": action})


@require_GET
def check_target_date(request: HttpRequest) -> HttpResponse:
    """Inline validation: what Uptake reads in a target date as the person types it."""
    revised = request.GET.get("revised_date_text", "")
    text = request.GET.get("target_date_text", "") or revised
    # A revised date must be a date: its advice never suggests "Ongoing".
    target = parse_target_date(text, dates_only=bool(revised)) if text.strip() else None
    return render(request, "evaluations/_target_date_check.html", {"target": target, "text": text})
