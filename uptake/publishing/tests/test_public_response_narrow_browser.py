"""On a 320-pixel phone screen the public response page does not scroll sideways, in English
or French, even with long status badges ("Status: Completed (awaiting validation)")."""

from __future__ import annotations

import pytest

from uptake.evaluations.models import Action
from uptake.followup import services as followup
from uptake.publishing.services import publication_publish
from uptake.tests.browser import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("view", ["page", "table"])
def test_a_public_response_fits_a_320_pixel_screen(
    browser, live_server, bilingual_evaluation, evaluator, focal, view
) -> None:
    action = (
        Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)
        .order_by("id")
        .first()
    )
    followup.update_submit(action=action, by=focal, status="completed", narrative="All done.")
    slug = publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True).slug
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()

    widths = {}
    for language in ("en", "fr"):
        response = page.goto(f"{live_server.url}/{language}/public/{slug}/?view={view}")
        assert response is not None and response.status == 200
        badge = page.locator(".badge").filter(has_text="valid")
        assert badge.count() >= 1, language  # the long status is on the page
        widths[language] = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert widths == {"en": 320, "fr": 320}
