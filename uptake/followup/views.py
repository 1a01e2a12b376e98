"""Pages for following actions up: my actions, an action's record, updates and the queues."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from uptake.accounts.models import User
from uptake.accounts.permissions import can_decide, can_manage_evaluations, can_update_action
from uptake.core.views import form_errors_as_messages, run_service, safe_next
from uptake.evaluations import selectors as evaluation_selectors
from uptake.evaluations.models import Action
from uptake.reporting import selectors as reporting_selectors

from . import selectors, services
from .forms import ReviewForm, UpdateForm
from .models import DateRevision, Evidence, ProgressUpdate

# Lists are paged: a busy unit has hundreds of open actions, and the evaluation unit can face
# thousands of updates in the week before a committee.
LIST_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 25
# An action followed for years gathers dozens of updates and a longer history: its page shows
# the newest ones and links to the rest, so that it stays quick to read and to render.
UPDATES_SHOWN = 10
HISTORY_SHOWN = 20

# Lazy: the labels are built at import, but read in each request's language.
# In a context of their own: French and Spanish write them in the plural, agreeing with
# "actions" ("Ouvertes", "Atrasadas").
MY_ACTION_VIEWS = {
    "open": pgettext_lazy("which of my actions", "Open"),
    "due_soon": gettext_lazy("Due in the next 90 days"),
    "overdue": pgettext_lazy("which of my actions", "Overdue"),
    # Offered only while a round is open.
    "owed": pgettext_lazy("which of my actions", "Owed in this round"),
    "all": pgettext_lazy("which of my actions", "All"),
}
# What was sent back is listed above the tabs, newest first; past this many, it waits behind a
# "show all" link so that a unit with many returns still sees its actions without scrolling.
SENT_BACK_SHOWN = 5


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    round_ = reporting_selectors.open_round()
    views = {key: label for key, label in MY_ACTION_VIEWS.items() if key != "owed" or round_}
    show = request.GET.get("show", "open")
    if show not in views:
        show = "open"
    actions = reporting_selectors.my_actions_in_view(user, show, round_)
    page = Paginator(actions, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    sent_back = selectors.sent_back_to(user)
    every_sent_back = request.GET.get("sent_back") == "all"
    shown = sent_back if every_sent_back else sent_back[:SENT_BACK_SHOWN]
    return render(
        request,
        "followup/my_actions.html",
        {
            "actions": page.object_list,
            "page": page,
            # Kept by the pager: turning pages keeps every sent-back item in view.
            "query": f"show={show}" + ("&sent_back=all" if every_sent_back else ""),
            "show": show,
            "views": views,
            "open_round": round_,
            "sent_back": shown,
            "sent_back_more": len(sent_back) - len(shown),
        },
    )


def _action(pk: int) -> Action:
    actions = evaluation_selectors.with_overdue(
        Action.objects.select_related(
            "unit", "response__unit", "response__recommendation__evaluation"
        )
    )
    return get_object_or_404(actions, pk=pk)


@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(pk)
    all_updates = request.GET.get("updates") == "all"
    all_history = request.GET.get("history") == "all"
    # One row more than is shown tells whether there are more, so counting is rarely needed.
    updates = list(selectors.action_updates(action.pk, None if all_updates else UPDATES_SHOWN + 1))
    update_count = None
    if len(updates) > UPDATES_SHOWN and not all_updates:
        updates, update_count = updates[:UPDATES_SHOWN], selectors.action_update_count(action.pk)
    history = evaluation_selectors.action_history(
        action, None if all_history else HISTORY_SHOWN + 1
    )
    history_count = None
    if len(history) > HISTORY_SHOWN and not all_history:
        history = history[:HISTORY_SHOWN]
        history_count = evaluation_selectors.action_history_count(action)
    return render(
        request,
        "followup/action_detail.html",
        {
            "action": action,
            "evaluation": action.response.recommendation.evaluation,
            "updates": updates,
            "update_count": update_count,
            "revisions": selectors.action_revisions(action.pk),
            "history": history,
            "history_count": history_count,
            # Each "show all" link keeps the other list as it is.
            "updates_query": "&updates=all" if all_updates else "",
            "history_query": "&history=all" if all_history else "",
            "can_update": can_update_action(request.user, action)  # type: ignore[arg-type]
            and action.is_open
            and action.response.recommendation.status == "open"
            and action.response.recommendation.evaluation.is_in_follow_up,
        },
    )


def update_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(pk)
    if not can_update_action(request.user, action):  # type: ignore[arg-type]
        raise PermissionDenied(_("You can update only the actions of your own units."))
    refusal = services.why_no_update_is_taken(action)
    if refusal:
        # Said before anyone writes an update, not after they submit it.
        return render(request, "followup/update_form.html", {"action": action, "refusal": refusal})
    form = UpdateForm(
        request.POST or None, request.FILES or None, initial={"status": action.status}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        update = run_service(
            request,
            form,
            lambda: services.update_submit(
                action=action, by=request.user, status=d["status"], narrative=d["narrative"],  # type: ignore[arg-type]
                files=d["files"], links=form.evidence_links(),
                revised_date_text=d["revised_date_text"],
                revised_date_justification=d["revised_date_justification"],
            ),
            _("Update recorded. The evaluation unit will review it."),
        )  # fmt: skip
        if update:
            return redirect("followup:action", action.pk)
    elif request.method == "POST":
        form.add_the_rest_of_the_problems(action)
    form.ask_for_files_again()
    return render(request, "followup/update_form.html", {"form": form, "action": action})


def _errors_off_the_page(
    request: HttpRequest, refused: Any, form: ReviewForm | None, listed: Iterable[Any]
) -> None:
    """A queue shows a refusal beside the item it concerns; when that item is no longer
    listed (reviewed or decided meanwhile), the page itself is the only place left."""
    if refused is not None and form is not None and refused.pk not in {i.pk for i in listed}:
        form_errors_as_messages(request, form)


@require_GET
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit validates updates."))
    return _validation_queue_page(request, request.GET.get("page"))


def _validation_queue_page(
    request: HttpRequest,
    page_number: str | None,
    refused: ProgressUpdate | None = None,
    refused_form: ReviewForm | None = None,
) -> HttpResponse:
    """The evaluation unit's queue; after a refused review, with the error at its update."""
    page = Paginator(selectors.validation_queue(), QUEUE_PAGE_SIZE).get_page(page_number)
    _errors_off_the_page(request, refused, refused_form, page.object_list)
    return render(
        request,
        "followup/validation_queue.html",
        {
            "updates": page.object_list,
            "page": page,
            "refused_pk": refused.pk if refused else None,
            "refused_form": refused_form,
        },
    )


def _review_update(
    request: HttpRequest, pk: int, service: Callable[..., ProgressUpdate], success: str
) -> HttpResponse:
    update = get_object_or_404(ProgressUpdate, pk=pk)
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit validates updates."))
    form = ReviewForm(request.POST)
    if form.is_valid() and run_service(
        request,
        form,
        lambda: service(update=update, by=request.user, comment=form.cleaned_data["comment"]),
        success,
    ):
        return redirect(safe_next(request, reverse("followup:validation_queue")))
    # As on the approval queue: the error beside the update it concerns, the comment kept.
    return _validation_queue_page(request, request.POST.get("page"), update, form)


@require_POST
def update_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_update(request, pk, services.update_validate, _("Update validated."))


@require_POST
def update_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_update(
        request, pk, services.update_return, _("Update returned to the unit with your comment.")
    )


@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    if not can_decide(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee decides approvals."))
    return _approval_queue_page(request, request.GET.get("page"))


def _approval_queue_page(
    request: HttpRequest,
    page_number: str | None,
    refused: DateRevision | None = None,
    refused_form: ReviewForm | None = None,
) -> HttpResponse:
    """The committee's queue; after a refused decision, with the error at its request."""
    revisions = Paginator(selectors.revisions_awaiting_decision(), QUEUE_PAGE_SIZE).get_page(
        page_number
    )
    _errors_off_the_page(request, refused, refused_form, revisions.object_list)
    # The oldest submissions first, a page's worth: the rest are one link away in the
    # evaluation list, filtered on the same state.
    awaiting = selectors.responses_awaiting_approval()
    return render(
        request,
        "followup/approval_queue.html",
        {
            "evaluations": awaiting[:QUEUE_PAGE_SIZE],
            "evaluations_total": awaiting.count(),
            "revisions": revisions.object_list,
            "page": revisions,
            "refused_pk": refused.pk if refused else None,
            "refused_form": refused_form,
            "today": timezone.localdate(),
        },
    )


def _decide_revision(
    request: HttpRequest, pk: int, service: Callable[..., DateRevision], success: str
) -> HttpResponse:
    revision = get_object_or_404(DateRevision, pk=pk)
    if not can_decide(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the committee decides revised dates."))
    form = ReviewForm(request.POST)
    if form.is_valid() and run_service(
        request,
        form,
        lambda: service(revision=revision, by=request.user, comment=form.cleaned_data["comment"]),
        success,
    ):
        return redirect("followup:approval_queue")
    # Several requests share the page: show the refusal beside the one it concerns, with the
    # comment as typed, rather than as a banner that names none of them.
    return _approval_queue_page(request, request.POST.get("page"), revision, form)


@require_POST
def revision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_revision(request, pk, services.revision_approve, _("Revised date approved."))


@require_POST
def revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_revision(request, pk, services.revision_reject, _("Revised date refused."))


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are served only to people who may read internal pages, never publicly."""
    evidence = get_object_or_404(Evidence.objects.exclude(file=""), pk=pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name or "evidence"
    )
