"""Every HTML page, in a real browser, under the real Content Security Policy: no violation,
and no inline script, inline style or style attribute in the HTML served.

The pages are those of the URL permission test's world that the evaluation unit or an
administrator may open (200), plus the public pages in English and French, the API's
documentation, the sign-in page and an error page. Drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from uptake.tests.browser import needs_chromium, policy_reports
from uptake.tests.test_url_permissions import RULES, _build_world

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    # Its revised dates must lie ahead of the day they are asked for (conftest.WRITTEN_ON).
    pytest.mark.usefixtures("asked_on_written_day"),
]

# Runs in every document before its own scripts: records what the policy blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + (event.sourceFile || "") + ":" + event.lineNumber
  );
});
"""
# <script type="..."> that browsers do not run: data blocks.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """Finds what a strict policy forbids in served HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names:
            self.found.append(f"<{tag} style={names['style']!r}>")
        handlers = [name for name in names if name.startswith("on")]
        if handlers:
            self.found.append(f"<{tag} {handlers[0]}=...>")
        for name in ("href", "src", "action", "formaction"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and not names.get("src"):
            if (names.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.found.append("inline <script>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_inline_code_finder_finds_what_the_policy_forbids() -> None:
    """The checker itself: it must be able to fail."""
    bad = (
        '<p style="color:red">x</p><style>p{}</style><script>alert(1)</script>'
        '<button onclick="go()">b</button><a href="javascript:go()">a</a>'
    )
    assert len(inline_code(bad)) == 5
    good = (
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
        '<link rel="stylesheet" href="/static/a.css"><svg><rect fill="#fff"/></svg>'
    )
    assert inline_code(good) == []


def html_pages(world, role: str) -> list[str]:
    """Every GET address ROLE may open that answers an HTML page (not a download)."""
    people, objects = world
    client = Client()
    client.force_login(people[role])
    paths = []
    for name, rule in sorted(RULES.items()):
        if rule.get[role] != 200:
            continue
        obj = objects[rule.obj] if rule.obj else None
        args = [] if obj is None else [obj if isinstance(obj, str) else obj.pk]
        path = reverse(name, args=args)
        response = client.get(path)
        is_download = "attachment" in response.get("Content-Disposition", "")
        if response["Content-Type"].startswith("text/html") and not is_download:
            paths.append(path)
    return paths


def visit(context, live_server, path: str) -> list[str]:
    """Open PATH; every problem found: policy violations and inline code served."""
    page = context.new_page()
    console = policy_reports(page)
    response = page.goto(f"{live_server.url}{path}", wait_until="load")
    assert response is not None, path
    html = response.text()
    if "hx-trigger" in html or path.startswith("/api/docs"):
        page.wait_for_load_state("networkidle")
    problems = [f"served: {item}" for item in inline_code(html)]
    problems += [f"violation: {item}" for item in page.evaluate("window.__cspViolations")]
    problems += [f"console: {text}" for text in console]
    page.close()
    return problems


def signed_in_context(browser, live_server, username: str):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(evaluations|my-actions)/$"))
    page.close()
    return context


def test_no_page_breaks_or_needs_to_loosen_the_policy(browser, live_server) -> None:
    world = _build_world()
    _people, objects = world
    slug = objects["publication"].slug
    problems: dict[str, list[str]] = {}

    anonymous = browser.new_context()
    anonymous.add_init_script(RECORD_VIOLATIONS)
    public = [
        "/accounts/login/",
        "/api/docs",
        "/en/public/",
        "/fr/public/",
        f"/en/public/{slug}/",
        f"/fr/public/{slug}/",
        f"/en/public/{slug}/?view=table",
    ]
    for path in public:
        if found := visit(anonymous, live_server, path):
            problems[f"anonymous {path}"] = found
    anonymous.close()

    visited = 0
    for role in ("evaluator", "admin"):
        context = signed_in_context(browser, live_server, role)
        paths = [*html_pages(world, role), "/evaluations/999999999/"]
        # The pages the security review named are among them.
        for name in ("evaluations:list", "followup:my_actions", "reporting:dashboard",
                     "reporting:rounds", "importer:upload", "results:strategy_list",
                     "followup:validation_queue"):  # fmt: skip
            assert reverse(name) in paths, (role, name)
        assert reverse("evaluations:detail", args=[objects["followed"].pk]) in paths
        assert reverse("followup:action", args=[objects["followed_action"].pk]) in paths
        for path in paths:
            visited += 1
            if found := visit(context, live_server, path):
                problems[f"{role} {path}"] = found
        context.close()

    assert visited > 60
    assert not problems, problems


def test_the_checks_catch_an_injected_inline_style(browser, live_server, db) -> None:
    """Proof the browser side can fail: a page where a script adds an inline <style> (as htmx
    would without its htmx-config) reports a violation."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/", wait_until="load")
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>.x{opacity:0}</style>')")
    page.wait_for_function("window.__cspViolations.length > 0")
    violations = page.evaluate("window.__cspViolations")
    assert any(item.startswith("style-src") for item in violations), violations
    # The real pages do not inject it: htmx's indicator styles are turned off.
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"] == ["'self'"]
    context.close()
