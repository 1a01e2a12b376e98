"""The public table puts each action on its own row, and French pages leave no English of ours:
the period's joining word, the evaluation unit's name and the licence are in French."""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from uptake.accounts.models import Unit
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db


def url(language: str, slug: str) -> str:
    with translation.override(language):
        return reverse("public:response", args=[slug])


class _Rows(HTMLParser):
    """The table's rows: each a list of (tag, attributes, text) for its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str], str]]] = []
        self._cell: list[str] | None = None
        self._attrs: dict[str, str] = {}
        self._tag = ""
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell, self._tag = [], tag
            self._attrs = {k: v or "" for k, v in attrs}

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self.rows[-1].append((self._tag, self._attrs, text))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[tuple[str, dict[str, str], str]]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def row_with(rows, text: str) -> list[tuple[str, dict[str, str], str]]:
    found = [row for row in rows if any(text in cell[2] for cell in row)]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.fixture
def published(bilingual_evaluation, evaluator):
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator)


def test_each_action_sits_on_one_row_with_its_responsibility_and_date(
    client: Client, published
) -> None:
    html = client.get(url("en", published.slug), {"view": "table"}).content.decode()
    rows = table_rows(html)
    survey = [cell[2] for cell in row_with(rows, "Survey every canal for leaks.")]
    assert survey[-2:] == ["Highland Water Program (HWP), Program Director", "June 2021"]
    repair = [cell[2] for cell in row_with(rows, "Repair the main canal.")]
    assert repair == [
        "2. Repair the main canal.",
        "Development Section, Embassy in Quito (QTO-DA)",
        "Q3 2030-31",
    ]
    train = [cell[2] for cell in row_with(rows, "Train associations in the two northern")]
    assert train[-2:] == ["Results and Strategic Planning Division (PRS)", "2030-31"]


def test_the_recommendation_and_response_span_their_actions_rows(client: Client, published) -> None:
    html = client.get(url("en", published.slug), {"view": "table"}).content.decode()
    first = row_with(table_rows(html), "Survey every canal for leaks.")
    heading, response = first[0], first[1]
    assert heading[0] == "th" and heading[1]["scope"] == "rowgroup"
    assert heading[1]["rowspan"] == "2"  # recommendation 1: one response, two actions
    assert heading[2].startswith("Recommendation 1: Repair the canals")
    assert response[1]["rowspan"] == "2"
    assert "The program agrees and will fund repairs first." in response[2]
    # Every data cell names its column, for the stacked layout on a phone.
    for row in table_rows(html)[1:]:
        for tag, attrs, _text in row:
            assert tag == "th" or "data-label" in attrs or "colspan" in attrs


def test_the_french_table_lines_up_the_french_content(client: Client, published) -> None:
    html = client.get(url("fr", published.slug), {"view": "table"}).content.decode()
    rows = table_rows(htmllib.unescape(html))
    survey = [cell[2] for cell in row_with(rows, "Inspecter chaque canal")]
    assert survey[-2:] == [
        "Programme de l'eau des hautes terres (HWP), Directeur du programme",
        "juin 2021",
    ]
    assert 'data-label="Responsabilité"' in htmllib.unescape(html)


@override_settings(
    UPTAKE_OPEN_DATA_LICENCE="Open licence (https://example.org/en/licence)",
    UPTAKE_OPEN_DATA_LICENCE_FR="Licence ouverte (https://example.org/fr/licence)",
)
def test_french_pages_name_the_period_unit_and_licence_in_french(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    Unit.objects.create(
        code="EVD", name_en="Evaluation Division", name_fr="Direction de l'évaluation"
    )
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    for view in ("page", "table"):
        french = htmllib.unescape(
            client.get(url("fr", publication.slug), {"view": view}).content.decode()
        )
        assert "2018-19 à 2022-23" in french
        assert "Direction de l'évaluation" in french
        assert "Evaluation Division" not in french
        assert '<a href="https://example.org/fr/licence"' in french
        assert "/en/licence" not in french
        english = htmllib.unescape(
            client.get(url("en", publication.slug), {"view": view}).content.decode()
        )
        assert "2018-19 to 2022-23" in english
        assert "Evaluation Division" in english
        assert '<a href="https://example.org/en/licence"' in english


@override_settings(UPTAKE_OPEN_DATA_LICENCE="Open licence", UPTAKE_OPEN_DATA_LICENCE_FR="")
def test_without_a_french_licence_french_pages_show_the_one_there_is(
    client: Client, published
) -> None:
    french = client.get(url("fr", published.slug)).content.decode()
    assert "Open licence" in french


def test_an_evaluation_unit_that_names_no_unit_stays_as_written(client: Client, published) -> None:
    # No unit is called "Evaluation Division" here: there is no French name to give.
    french = client.get(url("fr", published.slug)).content.decode()
    assert "Evaluation Division" in french


def _survey_target(client: Client, evaluation, by, language: str, **changes: str) -> str:
    """The target cell of the canal survey in the public table, in LANGUAGE, once the action's
    CHANGES are published."""
    from uptake.evaluations.models import Action

    Action.objects.filter(text="Survey every canal for leaks.").update(**changes)
    publication = publication_publish(evaluation=evaluation, by=by)
    page = client.get(url(language, publication.slug), {"view": "table"}).content.decode()
    action_text = "Inspecter chaque canal" if language == "fr" else "Survey every canal"
    return [cell[2] for cell in row_with(table_rows(page), action_text)][-1]


def test_a_revised_date_reads_in_french_dates_and_all(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    revised = {"revised_target_text": "March 2031"}
    french = _survey_target(client, bilingual_evaluation, evaluator, "fr", **revised)
    assert french == "juin 2021, révisée à mars 2031"
    english = _survey_target(client, bilingual_evaluation, evaluator, "en", **revised)
    assert english == "June 2021, revised to March 2031"


def test_a_target_date_with_words_around_it_stays_as_written_in_french(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    written = {"target_date_text": "June 2021 (first canals)"}
    french = _survey_target(client, bilingual_evaluation, evaluator, "fr", **written)
    assert french == "June 2021 (first canals)"
