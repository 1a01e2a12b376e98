"""An action followed for years, in a real browser: "Show all" brings the older updates into
the page without leaving it (htmx), and the plain link works where JavaScript does not run."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from uptake.followup import services as followup
from uptake.tests.browser import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

NARRATIVES = [f"Step {n} of the canal survey." for n in range(1, 13)]


@pytest.fixture
def followed_action(action, focal):
    for narrative in NARRATIVES:
        followup.update_submit(action=action, by=focal, status="in_progress", narrative=narrative)
    return action


def _signed_in_page(browser, live_server, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("viewer")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))
    return page


def test_show_all_brings_every_update_into_the_page(browser, live_server, viewer, followed_action):
    from playwright.sync_api import expect

    page = _signed_in_page(browser, live_server, javascript=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    address = f"{live_server.url}{reverse('followup:action', args=[followed_action.pk])}"
    page.goto(address)
    updates = page.locator("#updates article.update")
    expect(updates).to_have_count(10)

    page.get_by_role("link", name=f"Show all {len(NARRATIVES)} progress updates").click()

    expect(updates).to_have_count(len(NARRATIVES))
    expect(page.get_by_text(NARRATIVES[0])).to_be_visible()
    # The section was swapped in place: one of it, one heading, the rest of the page intact.
    expect(page.locator("#updates")).to_have_count(1)
    expect(page.get_by_role("heading", name="Progress updates")).to_have_count(1)
    expect(page.get_by_role("heading", name="Target date ledger")).to_have_count(1)
    assert page.url == address
    assert errors == []


def test_without_javascript_the_link_opens_the_whole_list(
    browser, live_server, viewer, followed_action
):
    from playwright.sync_api import expect

    page = _signed_in_page(browser, live_server, javascript=False)
    page.goto(f"{live_server.url}{reverse('followup:action', args=[followed_action.pk])}")

    page.get_by_role("link", name=f"Show all {len(NARRATIVES)} progress updates").click()

    page.wait_for_url(re.compile(r".*\?updates=all#updates$"))
    expect(page.locator("#updates article.update")).to_have_count(len(NARRATIVES))
