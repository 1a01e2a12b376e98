"""As filters are typed, screen readers hear how many evaluations match, not the whole table:
only the count line is a live region, and it stays in place while the rows are swapped."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from uptake.evaluations import services
from uptake.tests.browser import needs_chromium, sign_in

LIST = reverse("evaluations:list")


def live_regions(text: str) -> list[tuple[str, str]]:
    """Each element with aria-live: (its tag name, what it holds)."""
    return [
        (tag, inner)
        for tag, inner in re.findall(r"<(\w+)\b[^>]*\baria-live=[^>]*>(.*?)</\1>", text, re.S)
    ]


@pytest.mark.django_db
def test_the_only_live_region_is_the_count(client, viewer, draft_evaluation) -> None:
    client.force_login(viewer)

    text = client.get(LIST).content.decode()

    regions = live_regions(text)
    assert len(regions) == 1
    tag, inner = regions[0]
    assert tag == "p"
    assert inner == "1 evaluation"
    # The table and the export links are outside it.
    assert draft_evaluation.title_en in text
    assert "<table" not in inner and "Export" not in inner


@pytest.mark.django_db
def test_the_htmx_answer_carries_the_count_and_the_rows_the_form_swaps(
    client, viewer, draft_evaluation
) -> None:
    client.force_login(viewer)

    text = client.get(LIST, {"q": "no such words"}, HTTP_HX_REQUEST="true").content.decode()
    whole = client.get(LIST).content.decode()

    # What the form selects from the answer is there: the count by its id, the rows by theirs.
    form = re.search(r'<form [^>]*hx-get="[^"]*"[^>]*>', whole)
    assert form
    select = re.search(r'hx-select="#([\w-]+)"', form[0])
    count_id = re.search(r'hx-select-oob="#([\w-]+):innerHTML"', form[0])
    assert select and count_id
    assert re.search(
        rf'<p [^>]*id="{count_id[1]}"[^>]*aria-live="polite"[^>]*>0 evaluations</p>', text
    )
    rows = re.search(rf'<div id="{select[1]}">(.*)</div>', text, re.S)
    assert rows and "No evaluation matches these filters." in rows[1]
    assert "q=no+such+words" in rows[1]  # the export links follow the filters


@pytest.mark.browser
@needs_chromium
def test_typing_a_search_updates_the_rows_and_the_same_count_line(
    browser, live_server, viewer, evaluator
) -> None:
    from playwright.sync_api import expect

    services.evaluation_create(by=evaluator, title_en="Evaluation of a water program")
    services.evaluation_create(by=evaluator, title_en="Evaluation of a health program")
    context = browser.new_context()
    sign_in(context, live_server.url, viewer)
    page = context.new_page()
    page.goto(f"{live_server.url}{LIST}")
    count = page.locator("[aria-live]")
    expect(count).to_have_text("2 evaluations")
    # Remember the live region's node: the one announced is the one that was there.
    page.evaluate("window.__count = document.querySelector('[aria-live]')")

    page.get_by_label("Search").fill("water")

    table = page.get_by_role("table")
    expect(table).not_to_contain_text("health program")
    expect(table).to_contain_text("water program")
    expect(count).to_have_text("1 evaluation")
    assert page.evaluate("document.querySelectorAll('[aria-live]').length") == 1
    assert page.evaluate("window.__count === document.querySelector('[aria-live]')")
    assert page.evaluate("document.querySelectorAll('#evaluation-rows').length") == 1
    export = page.get_by_role("link", name="CSV")
    assert "q=water" in (export.get_attribute("href") or "")
    context.close()
