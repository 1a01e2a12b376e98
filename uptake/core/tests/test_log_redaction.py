"""Update-link and calendar-feed secrets never reach the logs (the console test of the served
site is in uptake/tests/test_serve.py)."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client

from uptake.core.log_redaction import REDACTED, redact

SECRET = "pQ3-x_Zk9mW2vR7tY5uI1oP4aS6dF8gH0jK2lL4zX6c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /u/{SECRET}/ HTTP/1.1", f"GET /u/{REDACTED}/ HTTP/1.1"),
        (f"https://uptake.example.org/u/{SECRET}/", f"https://uptake.example.org/u/{REDACTED}/"),
        (f"/calendar/{SECRET}.ics", f"/calendar/{REDACTED}.ics"),
        # The thanks page and other addresses carry no secret.
        ("/u/done/", "/u/done/"),
        ("/actions/12/update/", "/actions/12/update/"),
        ("/calendar/units/", "/calendar/units/"),
    ],
)
def test_redact_hides_the_secret_and_nothing_else(text, expected):
    assert redact(text) == expected


@pytest.mark.django_db
def test_djangos_warning_for_an_unknown_link_names_no_secret():
    # Read from the console handler that LOGGING sets up, where the service's log goes.
    [handler] = [h for h in logging.getLogger().handlers if h.name == "console"]
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        response = Client().get(f"/u/{SECRET}/")
    finally:
        handler.setStream(previous)

    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"
    # Its own icon named, or the browser asks for /favicon.ico and logs one more 404.
    assert 'rel="icon" href="/static/uptake/favicon.svg"' in response.content.decode()
    assert f"Not Found: /u/{REDACTED}/" in written.getvalue()
    assert SECRET not in written.getvalue()
