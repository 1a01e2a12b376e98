"""Upload a published management response, review what was read, then confirm the import."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from uptake.accounts.permissions import can_manage_evaluations
from uptake.core.views import add_refusal, is_htmx
from uptake.errors import ServiceError
from uptake.evaluations.models import Evaluation, EvaluationState

from . import services
from .errors import DocumentError
from .forms import ReviewForm, UploadForm
from .models import ImportSession
from .parsing import ParsedDocument, parse_text
from .readers import MAX_BYTES, read_bytes


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit imports management responses."))


def upload(request: HttpRequest) -> HttpResponse:
    """Read the file in the request (documents are small) and keep the result for review."""
    _require_manager(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = Path(uploaded.name or "upload").name
        try:
            if uploaded.size > MAX_BYTES:
                raise DocumentError(name, "the file is larger than 50 MB", "a smaller document")
            text = read_bytes(uploaded.read(), name)
            parsed = parse_text(
                text, language=form.cleaned_data["language"] or None, source_name=name
            )
        except DocumentError as exc:
            form.add_error("file", str(exc))
        else:
            session = services.import_session_create(
                by=request.user,  # type: ignore[arg-type]
                file_name=name,
                parsed=parsed.to_dict(),
                source_text="\n".join(parsed.source_lines),
            )
            target = reverse("importer:review", args=[session.pk])
            # An htmx upload (the one showing progress) changes page through htmx.
            return HttpResponseClientRedirect(target) if is_htmx(request) else redirect(target)
    return render(request, "importer/upload.html", {"form": form})


def review(request: HttpRequest, pk: str) -> HttpResponse:
    """The parsed structure beside the source; nothing is saved until the reviewer confirms."""
    _require_manager(request)
    session = get_object_or_404(ImportSession, pk=pk)
    document = ParsedDocument.from_dict(session.parsed, session.source_lines)
    form = ReviewForm(request.POST if request.method == "POST" else None, document=document)
    if request.method == "POST" and form.is_valid():
        report = services.ImportReport()
        try:
            evaluation = services.import_session_confirm(
                session=session,
                parsed=form.reviewed_document(),
                by=request.user,  # type: ignore[arg-type]
                choices=form.choices(),
                report=report,
            )
        except ServiceError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _imported_message(session, evaluation, report))
            return redirect(evaluation.get_absolute_url())
    lines = list(enumerate(session.source_lines, start=1))
    context = {
        "session": session,
        "form": form,
        "document": document,
        "lines": lines,
        # What was read, before the reviewer leaves responses out.
        "state": services.imported_state(document),
        "draft": EvaluationState.DRAFT,
    }
    return render(request, "importer/review.html", context)


def _imported_message(
    session: ImportSession, evaluation: Evaluation, report: services.ImportReport
) -> str:
    recommendations = ngettext(
        "%(count)d recommendation", "%(count)d recommendations", report.recommendations
    ) % {"count": report.recommendations}
    actions = ngettext("%(count)d action", "%(count)d actions", report.actions) % {
        "count": report.actions
    }
    return _("Imported “%(file)s” as “%(state)s”, with %(recommendations)s and %(actions)s.") % {
        "file": session.file_name,
        "state": evaluation.get_state_display(),
        "recommendations": recommendations,
        "actions": actions,
    }
