"""Inline validation: as a person types a target date, the page says which day it falls due."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHECK = reverse("evaluations:check_target_date")


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_it_reads_a_fiscal_quarter(client, evaluator):
    client.force_login(evaluator)

    response = client.get(CHECK, {"target_date_text": "Q3 2021-22"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    # The third quarter of fiscal year 2021-22 ends on Friday 31 December 2021.
    assert "Due on Friday 31 December 2021." in page(response)
    assert "<html" not in page(response)


def test_it_names_the_problem_with_gibberish(client, evaluator):
    client.force_login(evaluator)

    response = client.get(CHECK, {"target_date_text": "whenever we can"})

    text = page(response)
    assert 'class="error"' in text
    assert "“whenever we can” is not a date Uptake understands." in text
    assert "Due on" not in text


def test_it_names_an_impossible_day(client, evaluator):
    client.force_login(evaluator)

    response = client.get(CHECK, {"target_date_text": "February 30, 2022"})

    assert "“February 30, 2022” is not a real calendar date." in page(response)


def test_it_reads_the_revised_date_field_too(client, focal):
    client.force_login(focal)

    response = client.get(CHECK, {"revised_date_text": "March 2027"})

    assert "Due on Wednesday 31 March 2027." in page(response)


def test_it_says_nothing_while_the_field_is_empty(client, evaluator):
    client.force_login(evaluator)

    response = client.get(CHECK, {"target_date_text": "  "})

    assert response.status_code == 200
    assert page(response).strip() == ""


def test_advice_for_a_revised_date_does_not_suggest_ongoing(client, focal):
    """ "Ongoing" is a target date but never a revised one (the service refuses it)."""
    client.force_login(focal)

    planned = page(client.get(CHECK, {"target_date_text": "whenever"}))
    revised = page(client.get(CHECK, {"revised_date_text": "whenever"}))

    assert "Fall 2023 or Ongoing." in planned
    assert "“whenever” is not a date Uptake understands." in revised
    assert "Ongoing" not in revised


def test_the_problem_is_named_in_the_readers_language(client, evaluator):
    client.force_login(evaluator)

    response = client.get(
        CHECK, {"target_date_text": "February 30, 2022"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert "« February 30, 2022 » n'est pas une date réelle du calendrier." in page(response)
