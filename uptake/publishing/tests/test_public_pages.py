from __future__ import annotations

import html as htmllib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from uptake.evaluations.models import Action
from uptake.followup import services as followup
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def published(bilingual_evaluation, evaluator):
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_index_lists_published_responses_to_anyone(client: Client, published) -> None:
    response = client.get(url("public:index", "en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Evaluation of the Lakeside Irrigation Program" in page
    assert reverse("public:response", args=[published.slug]) in page
    assert 'lang="en"' in page


def test_bare_public_address_sends_readers_to_their_language(client: Client, published) -> None:
    response = client.get("/public/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/public/"


def test_the_response_page_reads_like_a_published_response(client: Client, published) -> None:
    response = client.get(url("public:response", "en", published.slug))
    assert response.status_code == 200
    page = text_of(response.content.decode())
    expected_order = [
        "Evaluation of the Lakeside Irrigation Program",
        "Recommendation 1: Repair the canals before building new ones.",
        "Half the canals leak.",
        "a) the main canal",
        "Highland Water Program (HWP)",
        "Commitments",
        "The program agrees and will fund repairs first.",
        "Actions",
        "Survey every canal for leaks.",
        "Responsibility centre",
        "Highland Water Program (HWP), Program Director",
        "Development Section, Embassy in Quito (QTO-DA)",
        "Target completion date",
        "June 2021",
        "Recommendation 2: Train water user associations.",
    ]
    positions = [page.find(piece) for piece in expected_order]
    assert -1 not in positions, [p for p, i in zip(expected_order, positions) if i == -1]
    assert positions == sorted(positions)
    assert "Report" in page and "https://example.org/lakeside/report" in response.content.decode()
    assert "Translation not available" not in page


def test_french_readers_get_french_content_and_a_marker_where_it_is_missing(
    client: Client, published
) -> None:
    response = client.get(url("public:response", "fr", published.slug))
    html = response.content.decode()
    page = text_of(html)
    assert '<html lang="fr">' in html
    assert "Réparer les canaux avant d'en construire de nouveaux." in page
    assert "b) les vannes" in page
    assert "Programme de l'eau des hautes terres (HWP), Directeur du programme" in page
    # Recommendation 2's action and commitment have no French: English, marked, and tagged.
    assert '<span lang="en">Train associations in the two northern districts.</span>' in html or (
        'lang="en"><p>Train associations in the two northern districts.</p>' in html
    )
    assert page.count("Traduction non disponible") >= 2
    assert "Le budget ne permet que deux districts." in page


def test_spanish_readers_get_english_content_with_one_note(client: Client, published) -> None:
    html = client.get(url("public:response", "es", published.slug)).content.decode()
    assert '<html lang="es">' in html
    assert 'lang="en"' in html
    assert "Repair the canals before building new ones." in html
    assert "Translation not available" not in html


def test_an_english_only_publication_shows_english_to_french_readers_with_a_note(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    publication = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, languages=["en"]
    )
    html = client.get(url("public:response", "fr", publication.slug)).content.decode()
    assert "Réparer" not in html
    assert "Repair the canals before building new ones." in html
    assert "Traduction non disponible" not in html


def test_the_language_switch_points_at_the_same_page_in_each_language(
    client: Client, published
) -> None:
    html = client.get(url("public:response", "en", published.slug) + "?view=table").content.decode()
    for code in ("en", "fr", "es"):
        link = f'href="/{code}/public/{published.slug}/?view=table" lang="{code}"'
        assert link in html


def test_the_table_view_shows_the_same_content_in_columns(client: Client, published) -> None:
    response = client.get(url("public:response", "en", published.slug), {"view": "table"})
    html = response.content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers == ["Recommendation", "Response", "Actions", "Responsibility", "Date"]
    assert html.count('scope="rowgroup"') == 2
    assert "Repair the main canal." in html
    assert "Q3 2030-31" in html


def test_status_as_of_shows_only_when_chosen(
    client: Client, bilingual_evaluation, evaluator, focal
) -> None:
    action = Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)[0]
    followup.update_submit(action=action, by=focal, status="in_progress", narrative="Started.")
    plain = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    html = client.get(url("public:response", "en", plain.slug)).content.decode()
    assert "Implementation status as of" not in html
    assert "In progress" not in html
    with_status = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, show_status=True
    )
    html = client.get(url("public:response", "en", with_status.slug)).content.decode()
    assert "Implementation status as of" in html
    assert "Status: In progress" in html


def test_a_revised_date_reads_as_revised(client: Client, published, bilingual_evaluation) -> None:
    from uptake.publishing.presenter import target_text

    with translation.override("en"):
        assert target_text("June 2021", "March 2022") == "June 2021, revised to March 2022"
    with translation.override("fr"):
        assert target_text("juin 2021", "mars 2022") == "juin 2021, révisée à mars 2022"


def test_an_unpublished_evaluation_has_no_public_page(client: Client, draft_evaluation) -> None:
    response = client.get(url("public:response", "en", draft_evaluation.pk))
    assert response.status_code == 404


def test_the_index_filters_by_year_unit_program_and_words(
    client: Client, published, approved_evaluation, evaluator
) -> None:
    other = publication_publish(evaluation=approved_evaluation, by=evaluator)
    index = url("public:index", "en")

    def titles(**params: str) -> list[str]:
        html = client.get(index, params).content.decode()
        return [t for t in (published.title_en, other.title_en) if t in html]

    assert titles() == [published.title_en, other.title_en]
    assert titles(unit="PRS") == [published.title_en]
    assert titles(unit="QTO-DA") == [published.title_en, other.title_en]
    assert titles(program="Lakeside Irrigation Program") == [published.title_en]
    assert titles(q="canals leak") == [published.title_en]
    assert titles(q="CANAUX") == [published.title_en]  # French words find it too
    assert titles(year=str(published.year)) == [published.title_en, other.title_en]
    assert titles(q="nothing-like-this") == []


def test_the_index_query_count_does_not_grow_with_rows(
    client: Client, django_assert_max_num_queries, published, approved_evaluation, evaluator
) -> None:
    index = url("public:index", "en")
    client.get(index)
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Rendered afresh each time (not from the page cache): the cost of building the page.
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as one:
        client.get(index)
    publication_publish(evaluation=approved_evaluation, by=evaluator)
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as two:
        client.get(index)
    assert len(two) == len(one) > 1


def test_the_public_list_finds_french_text_typed_without_accents(
    client, bilingual_evaluation, evaluator
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    title = bilingual_evaluation.title_en

    for typed in ("reparer canaux", "RÉPARER", "Réparer"):
        page = client.get(reverse("public:index"), {"q": typed}).content.decode()
        assert title in page, typed
    page = client.get(reverse("public:index"), {"q": "reparer zzz"}).content.decode()
    assert title not in page
