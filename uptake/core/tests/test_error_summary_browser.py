"""In a real browser, under the real Content Security Policy: a form refused on a full-page
POST comes back with the focus on its error summary, and each link of the summary moves the
focus to its field. Drives Debian's Chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from uptake.tests.browser import needs_chromium, policy_reports, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]

AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FOCUSED = "document.activeElement ? document.activeElement.id : null"
REQUIRED = "This field is required."


def signed_in(browser, live_server, user, **options):
    """A browser context with USER's session, its page, and the list of what the Content
    Security Policy blocks there."""
    context = browser.new_context(**options)
    sign_in(context, live_server.url, user)
    page = context.new_page()
    blocked = policy_reports(page)
    return context, page, blocked


def test_the_refused_progress_update_focuses_its_summary_whose_link_focuses_the_field(
    browser, live_server, focal, action
) -> None:
    # A short window: the button is below the fold, as on a phone or a zoomed page.
    context, page, blocked = signed_in(
        browser, live_server, focal, viewport={"width": 800, "height": 500}
    )
    page.goto(live_server.url + reverse("followup:update_create", args=[action.pk]))

    page.get_by_role("button", name="Submit the update").click()
    page.wait_for_load_state()

    assert page.evaluate(FOCUSED) == "error-summary"
    assert page.locator("#error-summary").is_visible()
    assert page.title() == "Error: Report progress · Uptake"
    page.get_by_role("link", name=f"Progress since the last update: {REQUIRED}").click()
    assert page.evaluate(FOCUSED) == "id_narrative"
    # The field's label is scrolled into view with it, not left above the window's top.
    label = page.locator('label[for="id_narrative"]').bounding_box()
    assert label is not None and label["y"] >= 0
    assert blocked == []
    context.close()


def test_a_link_to_a_group_of_checkboxes_focuses_its_first_box(
    browser, live_server, evaluator, approved_evaluation
) -> None:
    context, page, blocked = signed_in(browser, live_server, evaluator)
    page.goto(live_server.url + reverse("publishing:manage", args=[approved_evaluation.pk]))
    page.get_by_label("English").uncheck()
    page.get_by_label("French").uncheck()

    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_load_state()

    assert page.evaluate(FOCUSED) == "error-summary"
    page.get_by_role("link", name=f"Languages: {REQUIRED}").click()
    assert page.evaluate(FOCUSED) == "id_languages_0"
    assert blocked == []
    context.close()


def test_the_summary_of_a_refused_sign_in_takes_the_focus_from_the_autofocused_field(
    browser, live_server, evaluator
) -> None:
    page = browser.new_page()
    page.goto(live_server.url + reverse("login"))
    assert page.evaluate(FOCUSED) == "id_username"
    page.get_by_label("Username").fill("evaluator")
    page.get_by_label("Password").fill("not the password")

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    assert page.evaluate(FOCUSED) == "error-summary"
    page.close()


@pytest.mark.skipif(not AXE.exists(), reason=f"{AXE} is missing (run `npm ci`)")
def test_a_page_with_a_summary_has_no_axe_violations(
    browser, live_server, evaluator, draft_evaluation
) -> None:
    # axe is injected as an inline script: test tooling, which the pages' CSP rightly refuses.
    context, page, _blocked = signed_in(browser, live_server, evaluator, bypass_csp=True)
    recommendation = draft_evaluation.recommendations.get()
    page.goto(live_server.url + reverse("evaluations:response_create", args=[recommendation.pk]))
    page.get_by_label("Responding unit").fill("Nowhere")
    page.get_by_label("Agreement").select_option("disagree")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary li").count() == 2

    page.add_script_tag(content=AXE.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )
    assert violations == []
    context.close()
