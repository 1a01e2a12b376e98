"""`/healthz` is what a load balancer or monitor polls: anonymous, GET only, honest about the DB."""

from unittest import mock

import pytest
from django.db import DatabaseError, connection


@pytest.mark.django_db
def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    # A monitor must never see a cached answer.
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.django_db
def test_anonymous_is_not_sent_to_the_login_page(client):
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200
    assert "Location" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_is_allowed(client, method):
    response = getattr(client, method)("/healthz")
    assert response.status_code == 405
