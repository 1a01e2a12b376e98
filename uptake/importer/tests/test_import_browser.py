"""The import in a real browser: upload through htmx, review with the keyboard, confirm."""

from __future__ import annotations

import os
import re

import pytest

from uptake.evaluations.models import Evaluation
from uptake.tests.browser import needs_chromium

from .plans import KNOWN_AND_NEW

SCREENSHOT = os.environ.get("UPTAKE_IMPORT_SCREENSHOT", "")

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


def test_it_imports_a_document_through_the_review_screen(
    browser, live_server, evaluator, units, tmp_path
) -> None:
    from playwright.sync_api import expect

    plan = tmp_path / "plan.txt"
    plan.write_text(KNOWN_AND_NEW, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("evaluator")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/evaluations/$"))

    page.get_by_role("link", name="Import a published response").click()
    page.get_by_label("Published management response").set_input_files(str(plan))
    page.get_by_role("button", name="Read the document").click()
    page.wait_for_url(re.compile(r".*/import/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="1 unit is new to Uptake")).to_be_visible()
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_label("Evaluation title").fill("Highland water, imported")
    page.get_by_label("It is an existing unit").check()
    page.get_by_label("Existing unit (code or name)").fill("GPB")
    # Keyboard only: from the last field, Tab reaches the import button.
    expect(page.locator("#import-outcome")).to_contain_text("“Response in preparation”")
    page.get_by_role("button", name="Import this evaluation").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/evaluations/\d+/$"))
    expect(page.get_by_text("as “Response in preparation”, with 2 recommendations")).to_be_visible()

    evaluation = Evaluation.objects.get()
    assert evaluation.title_en == "Highland water, imported"
    assert evaluation.recommendations.get(number="2").responses.filter(unit__code="GPB").exists()
