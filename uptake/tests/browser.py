"""What every real-browser test shares: Debian's Chromium, the mark that skips without it,
signing a browser in, reading what the Content Security Policy blocks, and (in the root
conftest.py) the `browser` fixture that launches it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (make browser)"
)


def launch_chromium() -> Iterator[Any]:
    """A headless Chromium for one test, closed afterwards."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code, so Django's async guard does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps this thread's database connections
        # apart from the ones it has outside (asgiref's Local goes by context when a loop
        # runs): close the test's own here, or it stays open and PostgreSQL refuses to drop
        # the test database at the end of the run.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def sign_in(context: Any, base_url: str, user: Any) -> None:
    """Give the Playwright browser CONTEXT a session of USER on the server at BASE_URL,
    without going through the sign-in page."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def policy_reports(page: Any) -> list[str]:
    """A list that fills, as PAGE runs, with the console messages in which the browser reports
    something the Content Security Policy blocked."""
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports
