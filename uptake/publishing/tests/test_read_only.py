"""The public site only reads. That is what lets a deployment serve it from app servers whose
DATABASE_URL points at a read-only replica (docs/deployment.md): any write there would fail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db

# What a read-only transaction still allows: reading, and the savepoints Django wraps around
# a request under the test suite's transaction.
READING = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _writes(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(READING)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_and_download_reads_without_writing(
    bilingual_evaluation, evaluator, language
) -> None:
    published = publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True)
    with translation.override(language):
        addresses = [reverse("public:index"), f"{reverse('public:index')}?q=canal"]
        addresses += [
            reverse(name, args=[published.slug])
            for name in (
                "public:response",
                "public:pdf",
                "public:docx",
                "public:json",
                "public:csv",
            )
        ]
    addresses += [
        reverse("api:public_publication_list"),
        reverse("api:public_publication_detail", args=[published.slug]),
    ]
    client = Client()
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200, address
        # The page did read its content from the database.
        assert any(q["sql"].lstrip().upper().startswith("SELECT") for q in queries), address
        assert _writes(queries.captured_queries) == [], address
