"""A document Uptake cannot read: the upload form comes back with the reason, under the file
field it describes and in the error summary; after the htmx swap the focus goes to the summary,
so a screen reader says it, and its link leads to the field."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.importer.models import ImportSession
from uptake.tests.browser import needs_chromium

UPLOAD = reverse("importer:upload")
LUNCH = "Notes from a meeting about lunch."
REASON = "notes.txt: no recommendation with a management response was recognised"


class FileInput(HTMLParser):
    """The attributes of the upload form's file input, and the text of each element by id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.attrs: dict[str, str] = {}
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "input" and found.get("type") == "file":
            self.attrs = found
        if "id" in found and tag in ("p", "div"):
            self._open.append((tag, found["id"]))
            self.text_by_id[found["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for _tag, id_ in self._open:
            self.text_by_id[id_] += data


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx swap", "full page"])
def test_the_unreadable_file_is_marked_invalid_and_described_by_the_reason(
    client, evaluator, htmx
) -> None:
    client.force_login(evaluator)
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("notes.txt", LUNCH.encode()), "language": ""},
        headers=headers,
    )

    assert response.status_code == 200
    page = FileInput(response.content.decode())
    assert page.attrs["aria-invalid"] == "true"
    described = [
        html.unescape(page.text_by_id.get(i, "")) for i in page.attrs["aria-describedby"].split()
    ]
    assert any(REASON in text for text in described)
    assert not ImportSession.objects.exists()


@pytest.mark.browser
@needs_chromium
def test_after_the_swap_focus_is_on_the_summary_whose_link_leads_to_the_field(
    browser, live_server, evaluator, tmp_path
) -> None:
    from playwright.sync_api import expect

    notes = tmp_path / "notes.txt"
    notes.write_text(LUNCH, encoding="utf-8")
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("evaluator")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/evaluations/$"))
    page.goto(f"{live_server.url}{UPLOAD}")

    page.get_by_label("Published management response").set_input_files(str(notes))
    page.get_by_role("button", name="Read the document").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(REASON)
    # htmx swapped the form in place: still the upload page, not a reload.
    assert page.url == f"{live_server.url}{UPLOAD}"
    summary.get_by_role("link").click()
    field = page.get_by_label("Published management response")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    # What a screen reader reads out with the focused field: its description.
    expect(field).to_have_accessible_description(re.compile(re.escape(REASON)))
    assert not ImportSession.objects.exists()
