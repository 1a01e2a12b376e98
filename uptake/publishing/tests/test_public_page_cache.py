"""Public pages are rendered once and kept, yet a withdrawal or a new version shows at once."""

from __future__ import annotations

import html as htmllib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from uptake.publishing.services import publication_publish, publication_unpublish

from .test_public_pages import url

pytestmark = pytest.mark.django_db

TITLE_EN = "Evaluation of the Lakeside Irrigation Program"
TITLE_FR = "Évaluation du Programme d'irrigation riveraine"


@pytest.fixture
def published(bilingual_evaluation, evaluator):
    return publication_publish(evaluation=bilingual_evaluation, by=evaluator)


def test_a_second_reader_gets_the_same_page_without_it_being_rebuilt(client: Client, published):
    address = url("public:response", "en", published.slug)
    first = client.get(address).content.decode()
    with CaptureQueriesContext(connection) as second_queries:
        second = Client().get(address).content.decode()
    assert second == first
    assert TITLE_EN in second
    # Only the check that the address is still live: the content is not read again.
    assert len(second_queries) == 1


def test_a_withdrawal_empties_the_index_and_closes_the_page_at_once(
    client: Client, published, evaluator
):
    index = url("public:index", "en")
    page = url("public:response", "en", published.slug)
    assert TITLE_EN in client.get(index).content.decode()
    assert client.get(page).status_code == 200

    publication_unpublish(publication=published, by=evaluator, reason="Error in a date.")

    assert TITLE_EN not in client.get(index).content.decode()
    assert client.get(page).status_code == 404


def test_a_new_version_replaces_the_old_one_at_once(
    client: Client, published, bilingual_evaluation, evaluator
):
    page = url("public:response", "en", published.slug)
    assert "(version 1)" in client.get(page).content.decode()
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    shown = client.get(page).content.decode()
    assert "(version 2)" in shown
    assert "(version 1)" not in shown


def test_each_language_and_layout_is_kept_apart(client: Client, published):
    english = client.get(url("public:response", "en", published.slug)).content.decode()
    french = htmllib.unescape(
        client.get(url("public:response", "fr", published.slug)).content.decode()
    )
    table = client.get(url("public:response", "en", published.slug) + "?view=table")
    assert TITLE_EN in english and TITLE_FR not in english
    assert TITLE_FR in french
    assert table.content.decode() != english
    assert 'href="?view=table" aria-current="page"' in table.content.decode()


def test_many_rendered_pages_never_push_out_the_default_cache(client: Client, published, settings):
    """Rate-limit counters and figures live in the default cache; rendered pages have a cache
    of their own, so a crawl of the public site cannot evict them."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bounded-default",
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 1},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bounded-pages",
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 1},
        },
    }
    caches["default"].set("throttle-counter", [1, 2, 3], 600)
    for page in range(1, 8):
        assert client.get(url("public:index", "en") + f"?page={page}").status_code == 200
    assert caches["default"].get("throttle-counter") == [1, 2, 3]
