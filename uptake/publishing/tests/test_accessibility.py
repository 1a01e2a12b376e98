"""axe-core finds no accessibility violation on the public pages and the main internal ones.

Drives Debian's Chromium through Playwright; axe-core comes from npm (`npm ci` at the
repository root installs the version package-lock.json pins).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from uptake.evaluations.models import Action
from uptake.followup import services as followup
from uptake.publishing.services import publication_publish
from uptake.tests.browser import needs_chromium, sign_in

AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not AXE.exists(), reason=f"{AXE} is missing (run `npm ci`)"),
]

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def _violations(browser, live_server, path: str, user=None) -> list[dict[str, object]]:
    # axe is injected as an inline script: test tooling, which the pages' CSP rightly refuses.
    context = browser.new_context(bypass_csp=True)
    if user is not None:
        sign_in(context, live_server.url, user)
    page = context.new_page()
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200, path
    page.add_script_tag(content=AXE.read_text())
    found: list[dict[str, object]] = page.evaluate(RUN_AXE)
    context.close()
    return found


def test_public_and_internal_pages_have_no_axe_violations(
    browser, live_server, bilingual_evaluation, evaluator, focal
) -> None:
    action = (
        Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)
        .order_by("id")
        .first()
    )
    followup.update_submit(action=action, by=focal, status="in_progress", narrative="Started.")
    slug = publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True).slug
    pages = [
        ("/en/public/", None),
        (f"/en/public/{slug}/", None),
        (f"/fr/public/{slug}/", None),
        (f"/es/public/{slug}/", None),
        (f"/en/public/{slug}/?view=table", None),
        ("/evaluations/", evaluator),
        (f"/evaluations/{bilingual_evaluation.pk}/", evaluator),
        (f"/evaluations/{bilingual_evaluation.pk}/publishing/", evaluator),
        (f"/evaluations/{bilingual_evaluation.pk}/translation/", evaluator),
        ("/my-actions/", focal),
        (f"/actions/{action.pk}/", focal),
        (f"/actions/{action.pk}/update/", focal),
    ]
    problems = {
        path: found
        for path, user in pages
        if (found := _violations(browser, live_server, path, user))
    }
    assert not problems, problems
