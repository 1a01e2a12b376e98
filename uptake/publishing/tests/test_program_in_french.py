"""The program or country in French: translated at any stage, published with the French
content, and shown to French readers on the public list, page and files (in English, marked,
where it has no French)."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from uptake.evaluations import services as evaluation_services
from uptake.evaluations.models import Evaluation
from uptake.publishing.models import Publication
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db

LAKESIDE_FR = "Programme d'irrigation riveraine"
NOT_AVAILABLE_FR = "Traduction non disponible"


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def program_cells(html: str) -> list[str]:
    """The text of the public list's program column, row by row."""
    rows = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)[0]
    return [text_of(cell).strip() for cell in re.findall(r"</th>\s*<td>(.*?)</td>", rows, re.S)]


def program_options(html: str) -> list[str]:
    select = re.search(r'<select name="program"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return [htmllib.unescape(v) for v in re.findall(r'<option value="([^"]*)"', select.group(1))]


def translate_program(evaluation: Evaluation, french: str, by) -> None:
    evaluation_services.translation_update(
        obj=Evaluation.objects.get(pk=evaluation.pk), by=by, program_fr=french
    )


@pytest.fixture
def published(bilingual_evaluation, evaluator) -> Publication:
    translate_program(bilingual_evaluation, LAKESIDE_FR, evaluator)
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator)


@pytest.fixture
def two_published(published, approved_evaluation, evaluator) -> tuple[Publication, Publication]:
    """The second has a program in English only, published in English and French."""
    Evaluation.objects.filter(pk=approved_evaluation.pk).update(program="Highland Water Program")
    approved_evaluation.refresh_from_db()
    return published, publication_publish(evaluation=approved_evaluation, by=evaluator)


# The translation page --------------------------------------------------------------------


def test_the_translation_page_saves_the_program_in_french_after_approval(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    address = reverse("publishing:translate", args=[bilingual_evaluation.pk])
    name = f"evaluation-{bilingual_evaluation.pk}-program_fr"
    page = client.get(address).content.decode()
    assert bilingual_evaluation.program in page
    assert f'name="{name}"' in page

    response = client.post(address, {name: LAKESIDE_FR})

    assert response.status_code == 302
    bilingual_evaluation.refresh_from_db()
    assert bilingual_evaluation.program_fr == LAKESIDE_FR
    assert bilingual_evaluation.program == "Lakeside Irrigation Program"
    assert bilingual_evaluation.state == "response_approved"


# Publishing ------------------------------------------------------------------------------


def test_publishing_in_french_copies_the_program_in_both_languages(published) -> None:
    assert published.snapshot["evaluation"]["program"] == {
        "en": "Lakeside Irrigation Program",
        "fr": LAKESIDE_FR,
    }
    assert (published.program, published.program_fr) == ("Lakeside Irrigation Program", LAKESIDE_FR)


def test_publishing_in_english_only_keeps_the_french_program_internal(
    bilingual_evaluation, evaluator
) -> None:
    translate_program(bilingual_evaluation, LAKESIDE_FR, evaluator)
    publication = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, languages=["en"]
    )
    assert publication.snapshot["evaluation"]["program"]["fr"] == ""
    assert publication.program_fr == ""
    assert LAKESIDE_FR not in json.dumps(publication.snapshot, ensure_ascii=False)


# The public list -------------------------------------------------------------------------


def test_the_french_list_shows_the_program_in_french_and_marks_one_without(
    client: Client, two_published
) -> None:
    html = client.get(url("public:index", "fr")).content.decode()
    assert sorted(program_cells(html)) == sorted(
        [LAKESIDE_FR, f"Highland Water Program {NOT_AVAILABLE_FR}"]
    )
    assert '<span lang="en">Highland Water Program</span>' in html
    assert program_options(html) == ["", "Highland Water Program", LAKESIDE_FR]


def test_the_english_list_keeps_the_programs_in_english(client: Client, two_published) -> None:
    html = client.get(url("public:index", "en")).content.decode()
    assert sorted(program_cells(html)) == ["Highland Water Program", "Lakeside Irrigation Program"]
    assert program_options(html) == ["", "Highland Water Program", "Lakeside Irrigation Program"]
    assert LAKESIDE_FR not in htmllib.unescape(html)


def test_the_french_list_filters_by_the_program_as_french_readers_see_it(
    client: Client, two_published
) -> None:
    lakeside, highland = two_published
    index = url("public:index", "fr")

    def titles(program: str) -> list[str]:
        html = htmllib.unescape(client.get(index, {"program": program}).content.decode())
        return [
            p.title_fr or p.title_en for p in two_published if (p.title_fr or p.title_en) in html
        ]

    assert titles(LAKESIDE_FR) == [lakeside.title_fr]
    # No French: the English name is the one offered, and it finds it.
    assert titles("Highland Water Program") == [highland.title_en]
    # The English name of a program that has a French one is not offered in French: the
    # filter is ignored, and every response listed.
    assert titles("Lakeside Irrigation Program") == [lakeside.title_fr, highland.title_en]


def test_the_french_list_query_count_does_not_grow_with_rows(
    client: Client, published, approved_evaluation, evaluator
) -> None:
    index = url("public:index", "fr")
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as one:
        client.get(index, {"program": LAKESIDE_FR})
    publication_publish(evaluation=approved_evaluation, by=evaluator)
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as two:
        client.get(index, {"program": LAKESIDE_FR})
    assert len(two) == len(one) > 1


# The public page and files -----------------------------------------------------------------


def facts(html: str) -> str:
    return text_of(re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1))


def test_the_french_page_gives_the_program_in_french(client: Client, published) -> None:
    french = client.get(url("public:response", "fr", published.slug)).content.decode()
    english = client.get(url("public:response", "en", published.slug)).content.decode()
    assert f"Programme ou pays {LAKESIDE_FR} " in facts(french)
    assert NOT_AVAILABLE_FR not in facts(french)
    assert "Program or country Lakeside Irrigation Program " in facts(english)


def test_the_french_page_marks_a_program_without_french(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    html = client.get(url("public:response", "fr", publication.slug)).content.decode()
    assert '<span lang="en">Lakeside Irrigation Program</span>' in html
    assert f"Programme ou pays Lakeside Irrigation Program {NOT_AVAILABLE_FR} " in facts(html)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_french_files_give_the_program_in_french(client: Client, published, fmt) -> None:
    response = client.get(url(f"public:{fmt}", "fr", published.slug))
    assert response.status_code == 200
    text = (pdf_text if fmt == "pdf" else docx_text)(response.content)
    line = next(line for line in text.splitlines() if line.startswith("Programme ou pays"))
    assert line.endswith(LAKESIDE_FR)
    assert "Lakeside Irrigation Program" not in line


def test_the_open_data_gives_the_program_in_both_languages(client: Client, published) -> None:
    data = json.loads(client.get(url("public:json", "en", published.slug)).content)
    assert data["evaluation"]["program"] == {"en": "Lakeside Irrigation Program", "fr": LAKESIDE_FR}
    body = client.get(url("public:csv", "en", published.slug)).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {(r["program"], r["program_fr"]) for r in rows} == {
        ("Lakeside Irrigation Program", LAKESIDE_FR)
    }


# Publications made before the program was bilingual ----------------------------------------


@pytest.fixture
def old_shape(published) -> Publication:
    """A publication stored by schema 1, where the program was English text."""
    snapshot = published.snapshot
    snapshot["schema"] = 1
    snapshot["evaluation"]["program"] = "Lakeside Irrigation Program"
    Publication.objects.filter(pk=published.pk).update(snapshot=snapshot, program_fr="")
    caches["pages"].clear()
    return Publication.objects.get(pk=published.pk)


def test_an_old_snapshot_still_renders_its_program_in_both_languages(
    client: Client, old_shape
) -> None:
    english = client.get(url("public:response", "en", old_shape.slug))
    french = client.get(url("public:response", "fr", old_shape.slug))
    assert (english.status_code, french.status_code) == (200, 200)
    assert "Program or country Lakeside Irrigation Program " in facts(english.content.decode())
    assert f"Programme ou pays Lakeside Irrigation Program {NOT_AVAILABLE_FR} " in facts(
        french.content.decode()
    )
    for fmt in ("pdf", "docx"):
        response = client.get(url(f"public:{fmt}", "fr", old_shape.slug))
        text = (pdf_text if fmt == "pdf" else docx_text)(response.content)
        assert "Lakeside Irrigation Program" in text


def test_an_old_snapshot_gives_the_current_open_data_shape(client: Client, old_shape) -> None:
    data = json.loads(client.get(url("public:json", "en", old_shape.slug)).content)
    assert data["evaluation"]["program"] == {"en": "Lakeside Irrigation Program", "fr": ""}
    body = client.get(url("public:csv", "en", old_shape.slug)).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {(r["program"], r["program_fr"]) for r in rows} == {("Lakeside Irrigation Program", "")}
