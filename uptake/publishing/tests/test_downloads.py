from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from uptake.publishing.downloads import CSV_COLUMNS, render_pdf
from uptake.publishing.presenter import present
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(bilingual_evaluation, evaluator):
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True)


def get(client: Client, name: str, language: str, slug: str):
    with translation.override(language):
        address = reverse(name, args=[slug])
    return client.get(address)


def pdf_text(body: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(body))
    return [page.extract_text() for page in reader.pages], reader


def test_the_pdf_has_the_response_a_header_and_page_numbers(client: Client, published) -> None:
    response = get(client, "public:pdf", "en", published.slug)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{published.slug}-en.pdf"' in response["Content-Disposition"]
    pages, reader = pdf_text(response.content)
    text = "\n".join(pages)
    for piece in (
        "Recommendation 1: Repair the canals before building new ones.",
        "Survey every canal for leaks.",
        "Responsibility centre",
        "Highland Water Program (HWP), Program Director",
        "Target completion date",
        "Q3 2030-31",
    ):
        assert piece in text, piece
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert page.startswith("Evaluation of the Lakeside Irrigation Program"), page[:80]
        assert f"Page {number} of {total}" in page
    assert reader.metadata.title == "Evaluation of the Lakeside Irrigation Program"


def test_a_long_response_runs_over_pages_each_numbered(published) -> None:
    snapshot = published.snapshot
    rec = snapshot["recommendations"][0]
    rec["body"]["en"] = "\n".join(f"Paragraph {i} of a long body." for i in range(200))
    with translation.override("en"):
        pages, _reader = pdf_text(render_pdf(present(published, "en"), "http://x/"))
    assert len(pages) > 2
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_french_pdf_keeps_accents_and_marks_missing_translations(
    client: Client, published
) -> None:
    text = "\n".join(pdf_text(get(client, "public:pdf", "fr", published.slug).content)[0])
    assert "Réparer les canaux avant d'en construire de nouveaux." in text
    assert "Programme de l'eau des hautes terres (HWP), Directeur du programme" in text
    assert "Train associations in the two northern districts. [Traduction non disponible]" in text


def test_the_word_document_opens_with_the_responses_headings_and_text(
    client: Client, published
) -> None:
    response = get(client, "public:docx", "fr", published.slug)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Évaluation du Programme d'irrigation riveraine"
    assert "Recommandation 1 : Réparer les canaux avant d'en construire de nouveaux." in headings
    body = [p.text for p in document.paragraphs]
    assert "Inspecter chaque canal pour repérer les fuites." in body[body.index("Mesures") + 1]
    assert document.core_properties.language == "fr"


@override_settings(UPTAKE_OPEN_DATA_LICENCE="Licence: test licence 42")
def test_the_json_is_the_documented_open_data_with_the_licence(client: Client, published) -> None:
    response = get(client, "public:json", "en", published.slug)
    data = json.loads(response.content)
    assert data["schema"] == "uptake.publication/2"
    assert data["licence"] == "Licence: test licence 42"
    assert data["version"] == published.version
    assert data["languages"] == ["en", "fr"]
    assert data["url"].endswith(f"/en/public/{published.slug}/")
    assert data["evaluation"]["title"] == {
        "en": "Evaluation of the Lakeside Irrigation Program",
        "fr": "Évaluation du Programme d'irrigation riveraine",
    }
    action = data["recommendations"][0]["responses"][0]["actions"][0]
    assert action["target_date"] == "June 2021"
    assert action["due_date"] == "2021-06-30"
    assert action["status"] == "not_started"


@override_settings(UPTAKE_OPEN_DATA_LICENCE="Licence: test licence 42")
def test_the_csv_has_one_row_per_action_in_both_languages(client: Client, published) -> None:
    response = get(client, "public:csv", "en", published.slug)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["recommendation_number"], r["action_number"]) for r in rows] == [
        ("1", "1"),
        ("1", "2"),
        ("2", "1"),
    ]
    assert rows[1]["action_fr"] == "Réparer le canal principal."
    assert rows[1]["responsibility_code"] == "QTO-DA"
    assert rows[2]["agreement"] == "partially_agree"
    assert {r["licence"] for r in rows} == {"Licence: test licence 42"}


def test_csv_cells_cannot_become_spreadsheet_formulas(client: Client, published) -> None:
    published.snapshot["recommendations"][0]["statement"]["en"] = "=HYPERLINK(1)"
    published.save()
    response = get(client, "public:csv", "en", published.slug)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["recommendation_statement_en"] == "'=HYPERLINK(1)"
