"""The whole path in a real browser: evaluation → response → quality check → approval →
update → validation → closure, each step done by the person whose job it is.

Drives Debian's Chromium through Playwright against a live server.
"""

from __future__ import annotations

import re

import pytest

from conftest import make_user
from uptake.accounts.models import Role
from uptake.evaluations.models import Action, Evaluation, Recommendation
from uptake.followup.models import ProgressUpdate
from uptake.tests.browser import needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


def sign_in(browser, live_server, username: str):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(evaluations|my-actions)/$"))
    return page


def test_it_walks_a_response_from_recording_to_closure(
    browser, live_server, units, tmp_path
) -> None:
    from playwright.sync_api import expect

    make_user("eva", Role.EVALUATION_UNIT)
    make_user("chair", Role.COMMITTEE)
    make_user("pat", Role.FOCAL_POINT, [units["HWP"]])

    # The evaluation unit records the evaluation, a recommendation, the response and an action.
    page = sign_in(browser, live_server, "eva")
    page.get_by_role("link", name="Record an evaluation").click()
    page.get_by_label("Title (English)").fill("Evaluation of the Rural Clinics Program")
    page.get_by_label("Period covered").fill("2019-20 to 2023-24")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Evaluation of the Rural Clinics Program"
    )

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Number").fill("1")
    page.get_by_label("Statement").fill("Staff every clinic with a trained nurse.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a unit's response").click()
    page.get_by_label("Responding unit").fill("HWP")
    page.get_by_label("Agreement").select_option("agree")
    page.get_by_label("Commitment").fill("The program will fund nurse training.")
    page.get_by_role("button", name="Save").click()

    # Before the action exists the quality check blocks submission.
    page.get_by_role("link", name="Quality check and submit").click()
    expect(page.get_by_text("The response commits to no action.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for approval")).to_be_disabled()
    page.go_back()

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label(re.compile(r"^Action\b")).fill(
        "Train and place nurses in the twelve clinics."
    )
    page.get_by_label("Deliverable or evidence").fill("Placement records")
    page.get_by_label("Target completion date").fill("Q3 2021-22")
    # Inline validation shows the due date Uptake reads before anything is saved.
    expect(page.locator("#target-date-check")).to_contain_text("31 December 2021")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nothing is missing.")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Response awaiting approval").first).to_be_visible()
    evaluation = Evaluation.objects.get(title_en="Evaluation of the Rural Clinics Program")
    assert evaluation.state == "response_submitted"

    # The committee approves it.
    committee = sign_in(browser, live_server, "chair")
    committee.get_by_role("link", name="Approvals").click()
    committee.get_by_role("link", name="Evaluation of the Rural Clinics Program").click()
    committee.get_by_role("button", name="Approve the response").click()
    expect(committee.get_by_text("Response approved").first).to_be_visible()

    # The focal point reports completion with evidence.
    focal = sign_in(browser, live_server, "pat")
    expect(focal.get_by_role("heading", name="My actions")).to_be_visible()
    focal.get_by_role("link", name="Overdue").click()
    focal.get_by_role("link", name=re.compile("Train and place nurses")).click()
    focal.get_by_role("link", name="Report progress").click()
    focal.get_by_label("Status").select_option("completed")
    focal.get_by_label("Progress since the last update").fill("All twelve clinics have a nurse.")
    evidence = tmp_path / "placements.pdf"
    evidence.write_bytes(b"%PDF-1.4 placements")
    focal.get_by_label("Evidence files").set_input_files(str(evidence))
    focal.get_by_role("button", name="Submit the update").click()
    expect(focal.get_by_text("Completed (awaiting validation)").first).to_be_visible()
    expect(focal.get_by_role("link", name="placements.pdf")).to_be_visible()

    # The evaluation unit validates it, then closes the recommendation as implemented.
    page.get_by_role("link", name="Validation").click()
    page.get_by_role("button", name="Validate completion").click()
    expect(page.get_by_text("Update validated.")).to_be_visible()
    action = Action.objects.get(response__recommendation__evaluation=evaluation)
    assert action.status == "validated"
    assert ProgressUpdate.objects.get(action=action).review_state == "accepted"

    page.goto(f"{live_server.url}{evaluation.get_absolute_url()}")
    page.get_by_role("link", name="Close this recommendation").click()
    page.get_by_label(re.compile(r"^Reason\b")).select_option("implemented")
    page.get_by_role("button", name="Close the recommendation").click()
    expect(page.get_by_text("Recommendation 1 closed.")).to_be_visible()
    recommendation = Recommendation.objects.get(evaluation=evaluation)
    assert recommendation.status == "closed"
    evaluation.refresh_from_db()
    assert evaluation.state == "closed"
    expect(page.locator(".badge.state-closed")).to_have_text("Closed")
