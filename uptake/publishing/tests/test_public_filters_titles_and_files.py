"""QA findings on the public site: a filter no longer offered, doubled page titles, and the
PDF and Word files' language, dates and French punctuation."""

from __future__ import annotations

import datetime
import html as htmllib
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from pypdf import PdfReader

from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db

SITE_NAME = "Published management responses"


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def published(bilingual_evaluation, evaluator):
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator)


@pytest.fixture
def two_published(published, approved_evaluation, evaluator):
    return published, publication_publish(evaluation=approved_evaluation, by=evaluator)


# 1. Filters ---------------------------------------------------------------------------------


def listed(html: str, *publications) -> list[str]:
    return [p.title_en for p in publications if p.title_en in html]


def test_a_unit_no_longer_listed_is_ignored_and_the_search_words_still_apply(
    client: Client, two_published
) -> None:
    lakeside, other = two_published
    assert "NOPE" not in lakeside.unit_codes.split() + other.unit_codes.split()
    response = client.get(url("public:index", "en"), {"q": "canals leak", "unit": "NOPE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(html, lakeside, other) == [lakeside.title_en]
    text = text_of(html)
    assert "“NOPE” is not one of the choices, so this filter was ignored" in text
    assert "1 published response" in text


def test_a_year_no_longer_listed_is_ignored_and_the_other_filters_still_apply(
    client: Client, two_published
) -> None:
    lakeside, other = two_published
    gone = min(p.year for p in two_published) - 5
    html = client.get(url("public:index", "en"), {"q": "zzz", "year": str(gone)}).content.decode()
    # The words match nothing: the list is empty rather than every publication.
    assert listed(html, lakeside, other) == []
    assert "No published response matches." in html
    assert f"“{gone}” is not one of the choices, so this filter was ignored" in text_of(html)

    html = client.get(url("public:index", "en"), {"unit": "PRS", "year": "20x3"}).content.decode()
    assert listed(html, lakeside, other) == [lakeside.title_en]


def test_the_ignored_filters_message_is_the_fields_description(
    client: Client, two_published
) -> None:
    html = client.get(url("public:index", "en"), {"year": "1900", "unit": "NOPE"}).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = [target for value in described for target in value.split()]
    assert {"id_year_error", "id_unit_error"} <= set(targets)
    assert [t for t in targets if t not in ids] == []
    error = re.search(r'<p class="error" id="id_year_error">([^<]*)</p>', html)
    assert error is not None
    assert "“1900”" in htmllib.unescape(error[1])


def test_valid_filters_show_no_error(client: Client, two_published) -> None:
    lakeside, other = two_published
    html = client.get(
        url("public:index", "en"), {"unit": "PRS", "year": str(lakeside.year)}
    ).content.decode()
    assert listed(html, lakeside, other) == [lakeside.title_en]
    assert 'class="error"' not in html
    assert "aria-describedby" not in html


# 2. Page titles -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_public_page_title_repeats_itself(client: Client, published, language) -> None:
    with translation.override(language):
        site = gettext(SITE_NAME)
    pages = [
        url("public:index", language),
        url("public:index", language) + "?q=canals&year=1900",
        url("public:response", language, published.slug),
        url("public:response", language, published.slug) + "?view=table",
    ]
    titles = []
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        found = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
        assert len(found) == 1, address
        title = htmllib.unescape(found[0]).strip()
        parts = [part.strip() for part in title.split("·")]
        assert all(parts), title
        assert len(parts) == len(set(parts)), title
        assert parts[-1] == site, title
        titles.append(title)
    assert titles[0] == site
    assert titles[2].startswith(published.title_en if language != "fr" else published.title_fr)


# 3. PDF and Word ----------------------------------------------------------------------------


@pytest.fixture
def dated(published):
    """The publication with dates known here, to look for in the files."""
    published.snapshot["evaluation"]["approval_date"] = "2024-02-14"
    published.published_at = datetime.datetime(2024, 3, 5, 17, 0, tzinfo=datetime.UTC)
    published.save()
    return published


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def file_text(client: Client, fmt: str, language: str, slug: str) -> str:
    response = client.get(url(f"public:{fmt}", language, slug))
    assert response.status_code == 200
    read = pdf_text if fmt == "pdf" else docx_text
    # No-break spaces (French before a colon) read as spaces here.
    return re.sub(r"[\u00a0\u202f]", " ", read(response.content))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_english_files_carry_the_dates_and_the_published_address(
    client: Client, dated, fmt
) -> None:
    text = file_text(client, fmt, "en", dated.slug)
    address = f"http://testserver/en/public/{dated.slug}/"
    assert f"Published version: {address}" in text
    assert "Approved: Feb. 14, 2024" in text
    assert f"Published: March 5, 2024 (version {dated.version})" in text
    assert "Program or country: Lakeside Irrigation Program" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_french_files_are_in_french_with_french_dates_and_colons(
    client: Client, dated, fmt
) -> None:
    text = file_text(client, fmt, "fr", dated.slug)
    address = f"http://testserver/fr/public/{dated.slug}/"
    assert f"Version publiée : {address}" in text
    assert "Published version" not in text
    assert "Approuvée : 14 février 2024" in text
    assert f"Publiée : 5 mars 2024 (version {dated.version})" in text
    assert "Programme ou pays : Lakeside Irrigation Program" in text
    assert "Période visée : " in text
    assert "Recommandation 1 : " in text
    # No label is glued to its colon, as English writes it.
    assert re.findall(r"\w: ", text.replace("http://", "")) == []
