"""The evaluations list: filters, search, the htmx fragment, pages, and a fixed query count."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

LIST = reverse("evaluations:list")
ROW_LINK = re.compile(r'href="/evaluations/\d+/"')


def page(response) -> str:
    return html.unescape(response.content.decode())


def make_evaluations(by, count: int, title: str = "Evaluation {n:02d}") -> list[Evaluation]:
    made = []
    for n in range(1, count + 1):
        evaluation = services.evaluation_create(by=by, title_en=title.format(n=n))
        services.recommendation_create(
            evaluation=evaluation, by=by, number="1", statement=f"Statement {n}."
        )
        made.append(evaluation)
    return made


@pytest.fixture
def health_evaluation(evaluator) -> Evaluation:
    """A second evaluation, still a draft, that shares no words with the water one."""
    return services.evaluation_create(by=evaluator, title_en="Evaluation of a health program")


def test_it_lists_evaluations_with_their_state(client, viewer, draft_evaluation, health_evaluation):
    client.force_login(viewer)

    response = client.get(LIST)

    assert response.status_code == 200
    text = page(response)
    assert "Evaluation of a water program" in text
    assert "Evaluation of a health program" in text
    assert "Response in preparation" in text
    assert "2 evaluations" in text


def test_it_filters_by_state(client, viewer, draft_evaluation, health_evaluation):
    client.force_login(viewer)

    response = client.get(LIST, {"state": "draft"})

    text = page(response)
    assert "Evaluation of a health program" in text
    assert "Evaluation of a water program" not in text
    assert "1 evaluation" in text


def test_it_searches_titles(client, viewer, draft_evaluation, health_evaluation):
    client.force_login(viewer)

    response = client.get(LIST, {"q": "HEALTH"})

    text = page(response)
    assert "Evaluation of a health program" in text
    assert "Evaluation of a water program" not in text


def test_it_searches_recommendation_text(client, viewer, draft_evaluation, health_evaluation):
    client.force_login(viewer)

    # "Fund maintenance." is the water evaluation's recommendation, not in any title.
    response = client.get(LIST, {"q": "maintenance"})

    text = page(response)
    assert "Evaluation of a water program" in text
    assert "Evaluation of a health program" not in text


def test_it_says_so_when_nothing_matches(client, viewer, draft_evaluation):
    client.force_login(viewer)

    response = client.get(LIST, {"q": "no such words anywhere"})

    assert "No evaluation matches these filters." in page(response)
    assert "Evaluation of a water program" not in page(response)


def test_it_answers_htmx_with_the_results_fragment_only(
    client, viewer, draft_evaluation, health_evaluation
):
    client.force_login(viewer)

    response = client.get(LIST, {"q": "water"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    text = page(response)
    assert "<html" not in text
    assert "<form" not in text
    assert "Evaluation of a water program" in text
    assert "Evaluation of a health program" not in text


def test_a_plain_request_gets_the_whole_page(client, viewer, draft_evaluation):
    client.force_login(viewer)

    text = page(client.get(LIST))

    assert "<html" in text
    assert 'id="results"' in text


def test_it_pages_25_at_a_time(client, viewer, evaluator):
    make_evaluations(evaluator, 30)
    client.force_login(viewer)

    first = page(client.get(LIST))
    second = page(client.get(LIST, {"page": "2"}))

    assert "30 evaluations" in first
    assert "Page 1 of 2" in first
    assert len(ROW_LINK.findall(first)) == 25
    assert "Page 2 of 2" in second
    assert len(ROW_LINK.findall(second)) == 5
    # Newest first: the five oldest are on the second page.
    assert "Evaluation 01" in second
    assert "Evaluation 01" not in first
    assert "Evaluation 30" in first


def test_the_next_page_link_keeps_the_search(client, viewer, evaluator):
    make_evaluations(evaluator, 26, title="Water evaluation {n:02d}")
    make_evaluations(evaluator, 3, title="Health evaluation {n:02d}")
    client.force_login(viewer)

    first = client.get(LIST, {"q": "water"}).content.decode()
    next_link = re.search(r'<a href="([^"]*)">Next</a>', first)

    assert next_link is not None
    second = page(client.get(LIST + html.unescape(next_link.group(1))))
    assert "Page 2 of 2" in second
    assert "Water evaluation 01" in second
    assert "Health evaluation" not in second


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_rows(client, viewer, evaluator):
    client.force_login(viewer)
    make_evaluations(evaluator, 3)
    client.get(LIST)  # warm the session and the content types
    with_three = _queries_for_list(client)

    make_evaluations(evaluator, 27, title="More {n:02d}")
    with_thirty = _queries_for_list(client)

    assert with_three == with_thirty
