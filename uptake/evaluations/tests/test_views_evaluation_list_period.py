"""The evaluations list shows the period beside a title only when the title does not say it."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from uptake.evaluations import services

pytestmark = pytest.mark.django_db

LIST = reverse("evaluations:list")


def title_cell(response, title: str) -> str:
    """The text of the list's title cell for TITLE, tags removed."""
    text = response.content.decode()
    for cell in re.findall(r"<td data-label=\"Title\">(.*?)</td>", text, re.S):
        plain = html.unescape(re.sub(r"<[^>]+>", "", cell))
        if plain.startswith(title):
            return " ".join(plain.split())
    raise AssertionError(f"no row for {title!r}")


def test_a_title_that_ends_with_the_period_shows_it_once(client, evaluator):
    title = "Evaluation of the Highland Water and Sanitation Program (2017-18 to 2022-23)"
    services.evaluation_create(by=evaluator, title_en=title, period="2017-18 to 2022-23")
    client.force_login(evaluator)

    response = client.get(LIST)

    assert response.status_code == 200
    assert title_cell(response, title) == title
    assert response.content.decode().count("2017-18 to 2022-23") == 1


def test_a_title_without_the_period_is_followed_by_it(client, evaluator):
    title = "Evaluation of the Coastal Fisheries Program"
    services.evaluation_create(by=evaluator, title_en=title, period="2016-17 to 2021-22")
    client.force_login(evaluator)

    response = client.get(LIST)

    assert title_cell(response, title) == f"{title} (2016-17 to 2021-22)"


def test_the_title_is_compared_whatever_the_case_accents_dashes_and_spacing(client, evaluator):
    title = "Évaluation du programme – exercices 2013-2014 À 2018–2019"
    services.evaluation_create(by=evaluator, title_en=title, period="2013-2014  à 2018-2019")
    other = "Evaluation of a program from 2013-14"  # holds only the period's start
    services.evaluation_create(by=evaluator, title_en=other, period="2013-14 to 2018-19")
    client.force_login(evaluator)

    response = client.get(LIST)

    assert title_cell(response, title) == title
    assert title_cell(response, other) == f"{other} (2013-14 to 2018-19)"


def test_a_period_written_with_four_digit_years_in_the_title_shows_once(client, evaluator):
    title = "Alpine Program Evaluation, 2019-2020 to 2023-2024"
    services.evaluation_create(by=evaluator, title_en=title, period="2019-20 to 2023-24")
    client.force_login(evaluator)

    response = client.get(LIST)

    assert title_cell(response, title) == title


def test_a_french_page_compares_the_period_with_the_french_title(client, evaluator):
    services.evaluation_create(
        by=evaluator,
        title_en="Evaluation of the Lakes Program",
        title_fr="Évaluation du programme des lacs (2018-19 à 2022-23)",
        period="2018-19 à 2022-23",
    )
    client.force_login(evaluator)

    french = html.unescape(client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    english = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert "Évaluation du programme des lacs (2018-19 à 2022-23)" in french
    assert french.count("2018-19 à 2022-23") == 1
    title = "Evaluation of the Lakes Program"
    # Beside the English title, the period's joining word is English too.
    assert title_cell(english, title) == f"{title} (2018-19 to 2022-23)"
