"""The public site (anonymous: published snapshots only) and the evaluation unit's publishing page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uptake.accounts.permissions import can_manage_evaluations
from uptake.core.caching import cached_html
from uptake.core.views import add_refusal, post_service, run_service
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluation_services
from uptake.evaluations.models import Evaluation
from uptake.evaluations.selectors import evaluation_with_plan

from . import downloads, selectors, services
from .forms import PublicFilterForm, PublishForm, TranslationForm, UnpublishForm, unit_label
from .languages import content_language, pick
from .models import Publication
from .presenter import present

# Each language named in itself, so a reader finds theirs whatever the page's language.
LANGUAGE_NAMES = [("en", "English"), ("fr", "Français"), ("es", "Español")]


def _language(request: HttpRequest) -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _public_context(request: HttpRequest) -> dict[str, Any]:
    path = request.get_full_path()
    current = _language(request)
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in LANGUAGE_NAMES
        ],
        "licence": public_licence(current),
    }


def public_licence(language: str) -> str:
    """The open data licence as the page's language names it, when the settings do."""
    english = str(getattr(settings, "UPTAKE_OPEN_DATA_LICENCE", ""))
    if language == "fr":
        return str(getattr(settings, "UPTAKE_OPEN_DATA_LICENCE_FR", "")) or english
    return english


def _live(key: str) -> Publication:
    publication = selectors.live_publication(key)
    if publication is None:
        raise Http404(_("No published management response has this address."))
    return publication


# Public pages are the same for every reader: no session, no form token, nothing of the
# person. Each is rendered once per address and language and kept while the publications
# stay as they are (a publication is never edited: a new version is a new row).
PUBLIC_PAGE_SECONDS = 60 * 60


@login_not_required
@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    html = cached_html(
        "public-index",
        depends_on=(request.get_full_path(), selectors.publications_stamp()),
        render=lambda: _public_index(request),
        seconds=PUBLIC_PAGE_SECONDS,
    )
    return HttpResponse(html)


def _public_index(request: HttpRequest) -> str:
    language = _language(request)
    choices = selectors.public_filter_choices(content_language(language))
    form = PublicFilterForm(request.GET or None, choices=choices, language=language)
    filters = form.valid_filters()
    publications = selectors.public_list(
        search=filters.get("q", ""),
        year=filters.get("year"),
        unit=filters.get("unit", ""),
        program=filters.get("program", ""),
        language=content_language(language),
    )
    page = Paginator(publications, 25).get_page(request.GET.get("page"))
    rows = [
        {
            "publication": p,
            "title": pick({"en": p.title_en, "fr": p.title_fr}, language),
            "program": pick({"en": p.program, "fr": p.program_fr}, language),
            "units": [
                unit_label(code, choices["unit_names"].get(code), language)
                for code in p.unit_codes.split()
            ],
        }
        for p in page
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render_to_string(
        "publishing/public_index.html",
        {
            **_public_context(request),
            "form": form,
            "page": page,
            "rows": rows,
            "query": params.urlencode(),
            "language": language,
        },
    )


@login_not_required
@require_GET
def public_response(request: HttpRequest, key: str) -> HttpResponse:
    publication = _live(key)
    html = cached_html(
        "public-response",
        depends_on=(request.get_full_path(), publication.pk),
        render=lambda: _public_response(request, publication),
        seconds=PUBLIC_PAGE_SECONDS,
    )
    return HttpResponse(html)


def _public_response(request: HttpRequest, publication: Publication) -> str:
    return render_to_string(
        "publishing/public_response.html",
        {
            **_public_context(request),
            "doc": present(publication, _language(request)),
            "table": request.GET.get("view") == "table",
            "downloads": [
                (_("PDF (print)"), reverse("public:pdf", args=[publication.slug])),
                (_("Word (DOCX)"), reverse("public:docx", args=[publication.slug])),
                (_("Open data (JSON)"), reverse("public:json", args=[publication.slug])),
                (_("Open data (CSV)"), reverse("public:csv", args=[publication.slug])),
            ],
        },
    )


@login_not_required
@require_GET
def public_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    publication = _live(key)
    language = _language(request)
    page_url = request.build_absolute_uri(reverse("public:response", args=[publication.slug]))
    if fmt == "pdf":
        body = downloads.render_pdf(present(publication, language), page_url)
        content_type, name = "application/pdf", f"{publication.slug}-{language}.pdf"
    elif fmt == "docx":
        body = downloads.render_docx(present(publication, language), page_url)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        name = f"{publication.slug}-{language}.docx"
    elif fmt == "json":
        body = downloads.render_json(publication, page_url)
        content_type, name = "application/json", f"{publication.slug}.json"
    else:
        body = downloads.render_csv(publication, page_url)
        content_type, name = "text/csv; charset=utf-8", f"{publication.slug}.csv"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The evaluation unit's side --------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_evaluations(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the evaluation unit publishes management responses."))


def publication_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the approved response (a new version each time) and see every version."""
    _require_manager(request)
    evaluation = get_object_or_404(Evaluation, pk=pk)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        published = run_service(
            request,
            form,
            lambda: services.publication_publish(
                evaluation=evaluation,
                by=request.user,  # type: ignore[arg-type]
                languages=d["languages"],
                show_status=d["show_status"],
                status_as_of=d["status_as_of"],
            ),
            _("The response is published."),
        )
        if published:
            return redirect("publishing:manage", pk)
    publications = list(selectors.evaluation_publications(evaluation))
    live = selectors.live_publications().filter(evaluation=evaluation).first()
    return render(
        request,
        "publishing/manage.html",
        {
            "evaluation": evaluation,
            "form": form,
            "publications": publications,
            "live": live,
            "publishable": evaluation.state in services.PUBLISHABLE_STATES,
            "unpublish_form": UnpublishForm(),
        },
    )


@require_POST
def publication_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    publication = get_object_or_404(Publication, pk=pk)
    form = UnpublishForm(request.POST)
    form.is_valid()
    post_service(
        request,
        lambda: services.publication_unpublish(
            publication=publication,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data.get("reason", ""),
        ),
        _("The publication was withdrawn from the public site."),
    )
    return redirect("publishing:manage", publication.evaluation_id)


def _translation_objects(evaluation: Evaluation) -> list[tuple[str, Any, str]]:
    """The evaluation and everything under it, in reading order: (kind, object, heading)."""
    evaluation = evaluation_with_plan(evaluation.pk)
    objects: list[tuple[str, Any, str]] = [("evaluation", evaluation, _("Evaluation"))]
    for rec in evaluation.recommendations.all():
        number = {"number": rec.number}
        objects.append(("recommendation", rec, _("Recommendation %(number)s") % number))
        objects += [
            ("subpoint", point, _("Recommendation %(number)s, sub-point %(label)s")
             % {**number, "label": point.label or point.position + 1})
            for point in rec.sub_points.all()
        ]  # fmt: skip
        for response in rec.responses.all():
            unit = {**number, "unit": response.unit.code}
            objects.append(
                ("response", response, _("Recommendation %(number)s, response of %(unit)s") % unit)
            )
            objects += [
                ("action", action,
                 _("Recommendation %(number)s, %(unit)s, action %(index)s") % {**unit, "index": i})
                for i, action in enumerate(response.actions.all(), start=1)
            ]  # fmt: skip
    return objects


def translation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The French version of the whole response, beside the English, at any stage: the
    translation is often done once the committee has approved the response."""
    _require_manager(request)
    evaluation = get_object_or_404(Evaluation, pk=pk)
    objects = _translation_objects(evaluation)
    form = TranslationForm(request.POST or None, objects=objects)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for obj, fields, version in form.changes():
                    evaluation_services.translation_update(
                        obj=obj,
                        by=request.user,  # type: ignore[arg-type]
                        expected_version=version,
                        **fields,
                    )
        except ServiceError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("French version saved."))
            return redirect("publishing:manage", pk)
    return render(
        request,
        "publishing/translation.html",
        {"evaluation": evaluation, "form": form, "groups": form.groups()},
    )
