"""Script typed into any text field stays text on every page, in a real browser.

Every user-editable text field of every model holds a payload that would set
`window.__xss` if the page ever ran it. The evaluation unit, an administrator and an
anonymous reader then open every HTML (and SVG) page the URL map offers them. After each load
the test asserts that the payload made no element (no <script> with it, no <img src=x>, no
on…= handler with it, no javascript: link), that nothing set the flag, that no dialog opened,
and that wherever a field's marker shows, the markup after it shows as text. Across all pages
every field is seen at least once, so the test fails if pages stop showing the data.

The check does not lean on the Content Security Policy: the browser contexts bypass it, and
the element check would catch an escaping failure that a policy hid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import EmailValidator, RegexValidator
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from conftest import build_approved_evaluation, build_units, make_user
from uptake.accounts.models import Role
from uptake.evaluations.models import Action, Evaluation, SubPoint
from uptake.followup.models import Evidence
from uptake.importer.models import ImportSession
from uptake.importer.tests.plans import KNOWN_AND_NEW
from uptake.publishing.models import Publication
from uptake.publishing.services import publication_publish
from uptake.results.models import Indicator, Strategy, Target
from uptake.tests.browser import needs_chromium
from uptake.tests.test_url_permissions import RULES, _build_world

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    # Its revised dates must lie ahead of the day they are asked for (conftest.WRITTEN_ON).
    pytest.mark.usefixtures("asked_on_written_day"),
]

# Payloads, longest first: a field gets the longest its length allows. Each starts with the
# field's marker, [xN], so the test can tell which field a page shows.
FULL = (
    "{m}\"'></title></textarea></style><script>window.__xss=1</script>"
    '<img src=x onerror="window.__xss=1"><svg onload="window.__xss=1">'
)
TITLE = (
    "{m}</title><script>window.__xss=1</script><img src=x onerror=window.__xss=1>"
    "\"'><svg onload=window.__xss=1>"
)
MEDIUM = "{m}<img src=x onerror=window.__xss=1>"
SMALL = "{m}<svg onload=__xss=1>"
TINY = "<svg onload=__xss=1>"  # 20 characters: no room for a marker
URL = (
    "https://example.org/{m}?\"'><script>window.__xss=1</script><img/src=x/onerror=window.__xss=1>"
)
MARKER = re.compile(r"\[x\d+\]")

# Text fields that validation restricts, or that no form lets a person type.
RESTRICTED = {
    ("accounts.User", "password"): "a hash",
    ("followup.Evidence", "original_name"): "made safe by safe_filename on upload",
    ("followup.DateRevision", "requested_text"): "must be a date Uptake can read",
    ("publishing.Publication", "unit_codes"): "derived at publication",
    ("publishing.Publication", "search_text"): "derived at publication",
    ("publishing.Publication", "title_en"): "copied from the evaluation at publication",
    ("publishing.Publication", "title_fr"): "copied from the evaluation at publication",
    ("publishing.Publication", "program"): "copied from the evaluation at publication",
    ("publishing.Publication", "program_fr"): "copied from the evaluation at publication",
}
# Fields that hold a payload but that no HTML page shows (checked by reading the templates).
NOT_SHOWN = {
    ("importer.ImportSession", "file_name"): "the review page names the session by date",
    ("api.ApiToken", "name"): "the token panel is on the profile page of its owner only",
}

# Files, not pages (their own tests check them); any other download is recognised when met.
DOWNLOADS = {
    "followup:evidence_download", "reporting:pack_pdf", "reporting:pack_docx",
    "reporting:export_evaluations", "reporting:export_recommendations",
    "reporting:export_actions", "reporting:export_updates", "reporting:calendar_feed",
    "results:diagram_png", "results:export_xlsx", "results:export_docx", "results:export_iati",
    "results:import_template", "public:pdf", "public:docx", "public:json", "public:csv",
}  # fmt: skip

FIND_PAYLOAD_ELEMENTS = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    const tag = e.localName;
    if (tag === 'script' && e.textContent.includes('__xss')) bad.push(e.outerHTML);
    if (tag === 'img' && e.getAttribute('src') === 'x') bad.push(e.outerHTML);
    for (const a of e.attributes) {
      if (a.name.startsWith('on') && a.value.includes('__xss')) bad.push(e.outerHTML);
      if (['href', 'src', 'action', 'formaction'].includes(a.name)
          && /^\\s*javascript:/i.test(a.value)) bad.push(e.outerHTML);
    }
  }
  return {
    bad: bad.slice(0, 3),
    flag: typeof window.__xss,
    text: document.documentElement.textContent,
  };
}"""


def _text_fields(model: type[models.Model]) -> Iterator[models.Field]:
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.editable:
            continue
        if field.choices or field.name == "history_change_reason":
            continue
        if any(isinstance(v, RegexValidator | EmailValidator) for v in field.validators):
            continue  # slugs, usernames, e-mail addresses
        yield field


def _payload(field: models.Field, marker: str) -> str | None:
    if isinstance(field, models.URLField):
        return URL.format(m=marker)
    room = (field.max_length or 10_000) - (8 if field.unique else 0)
    variants = (TITLE, FULL) if field.name.startswith("title") else (FULL,)
    for template in (*variants, MEDIUM, SMALL, TINY):
        text = template.format(m=marker)
        if len(text) <= room:
            return text
    return None  # country codes, currencies, sub-point labels: too short to hold markup


def fill_every_text_field() -> dict[str, tuple[str, str]]:
    """Set every text field of every Uptake model (and its history) to a payload; the
    markers used, with the payload and the field they stand for."""
    live = sorted(
        (m for m in apps.get_models() if m.__module__.startswith("uptake.")),
        key=lambda m: m._meta.label,
    )
    markers: dict[str, tuple[str, str]] = {}
    by_field: dict[tuple[str, str], str | None] = {}
    for model in live:
        if getattr(model, "instance_type", None):  # a django-simple-history record
            continue
        for field in _text_fields(model):
            key = (model._meta.label, field.name)
            if key in RESTRICTED:
                continue
            marker = f"[x{len(by_field)}]"
            by_field[key] = text = _payload(field, marker)
            if text is None:
                continue
            if marker in text:
                markers[marker] = (text, f"{key[0]}.{key[1]}")
            if field.unique:
                for pk in model._default_manager.values_list("pk", flat=True):
                    model._default_manager.filter(pk=pk).update(**{field.name: f"{text}#{pk}"})
            else:
                model._default_manager.update(**{field.name: text})
    # History records carry the same text as what they record.
    for model in live:
        original = getattr(model, "instance_type", None)
        if not original:
            continue
        values = {
            f.name: by_field[(original._meta.label, f.name)]
            for f in _text_fields(model)
            if by_field.get((original._meta.label, f.name)) and not f.unique
        }
        if values:
            model._default_manager.update(**values)
    return markers


def _add_rows_the_world_lacks(objects: dict[str, Any], evaluator: Any) -> None:
    """Rows of the kinds whose text the permission world leaves out."""
    recommendation = objects["followed_recommendation"]
    SubPoint.objects.create(recommendation=recommendation, label="a)", text="Train boards.")
    Evidence.objects.create(
        update=objects["pending_update"], url="https://example.org/report", label="Report"
    )
    Target.objects.create(indicator=objects["indicator"], period=objects["period"], text="Most")
    # A withdrawn version, whose reason the publishing page lists.
    Publication.objects.filter(pk=objects["publication"].pk).update(
        unpublished_at=timezone.now(), unpublished_by=evaluator, unpublish_reason="Typo."
    )


def _uploaded_import_session(evaluator: Any) -> ImportSession:
    """An upload read by the real importer, its source carrying payloads."""
    text = KNOWN_AND_NEW.replace(
        "Fund the maintenance of rural water systems", FULL.format(m="[x9001]")
    ).replace("HWP will train twenty water boards.", TITLE.format(m="[x9002]"))
    client = Client()
    client.force_login(evaluator)
    upload = SimpleUploadedFile("plan.txt", text.encode("utf-8"))
    response = client.post(reverse("importer:upload"), {"file": upload, "language": ""})
    assert response.status_code == 302, response.content[:500]
    return ImportSession.objects.order_by("-pk")[0]


def _urls(role: str, objects: dict[str, Any]) -> list[str]:
    """Every page the URL map gives ROLE with a 200, and more objects of the kinds that
    show the most text."""
    urls = []
    for name, rule in sorted(RULES.items()):
        if rule.get.get(role) != 200 or name.startswith("api:"):
            continue
        if name in DOWNLOADS:
            continue
        if role == "admin" and rule.get["evaluator"] == 200:
            continue  # the same page as the evaluation unit's: seen there
        obj = objects[rule.obj] if rule.obj else None
        args = [] if obj is None else [obj if isinstance(obj, str) else obj.pk]
        languages = ("en", "fr") if name.startswith("public:") else ("en",)
        for language in languages:
            with translation.override(language):
                urls.append(reverse(name, args=args))
    published = [objects["published_evaluation"].pk, objects["followed"].pk]
    for language in ("en", "fr"):
        with translation.override(language):
            urls += [reverse("public:response", args=[pk]) + "?view=table" for pk in published]
            urls.append(reverse("public:response", args=[objects["followed"].pk]))
    if role != "evaluator":
        return urls if role == "anonymous" else urls + _django_admin_urls()
    for evaluation in Evaluation.objects.all():
        urls.append(reverse("evaluations:detail", args=[evaluation.pk]))
        urls.append(reverse("evaluations:history", args=[evaluation.pk]))
    urls += [reverse("followup:action", args=[a.pk]) for a in Action.objects.all()]
    urls += [reverse("importer:review", args=[s.pk]) for s in ImportSession.objects.all()]
    for strategy in Strategy.objects.all():
        urls.append(reverse("results:strategy_detail", args=[strategy.pk]))
        urls.append(reverse("results:diagram_svg", args=[strategy.pk]))
    urls += [reverse("results:indicator_detail", args=[i.pk]) for i in Indicator.objects.all()]
    urls += [reverse("publishing:manage", args=[pk]) for pk in published]
    return list(dict.fromkeys(urls))


def _django_admin_urls() -> list[str]:
    """Django admin's list, change and history page of each model registered with it."""
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        try:
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        except NoReverseMatch:
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return list(dict.fromkeys(urls))


class Visitor:
    """One browser context for one role; collects what each page load revealed."""

    def __init__(self, browser: Any, live_server: Any, user: Any | None) -> None:
        # bypass_csp: the payload must be inert because it is escaped, not because a policy
        # forbids inline script.
        self.context = browser.new_context(bypass_csp=True)
        self.base = live_server.url
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies["sessionid"].value
            self.context.add_cookies([{"name": "sessionid", "value": session, "url": self.base}])
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.problems: list[str] = []
        self.seen: set[str] = set()
        self.pages = 0

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{self.page.url}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str, markers: dict[str, tuple[str, str]]) -> None:
        from playwright.sync_api import Error

        url = self.base + path
        try:
            response = self.page.goto(url)
        except Error as exc:
            if "Download is starting" not in str(exc):
                raise
            # A download. The logic model's SVG is one: open its bytes as a document, as a
            # browser would if someone opened the file. Other files have their own tests.
            probe = self.context.request.get(url)
            kind = probe.headers.get("content-type", "")
            if not kind.startswith("image/svg+xml"):
                return
            body = probe.body()
            self.page.route(url, lambda route: route.fulfill(content_type=kind, body=body))
            response = self.page.goto(url)
            self.page.unroute(url)
        if response is None or response.status != 200:
            self.problems.append(f"{path}: answered {response.status if response else None}")
            return
        if response.headers.get("content-type", "").startswith(("text/html", "image/svg+xml")):
            self.check(path, markers)

    def check(self, where: str, markers: dict[str, tuple[str, str]]) -> None:
        self.pages += 1
        found = self.page.evaluate(FIND_PAYLOAD_ELEMENTS)
        if found["bad"]:
            self.problems.append(f"{where}: payload became markup: {found['bad']}")
        if found["flag"] != "undefined":
            self.problems.append(f"{where}: the payload ran (window.__xss is set)")
        text = found["text"]
        for marker in set(MARKER.findall(text)):
            if marker not in markers:
                continue
            payload = markers[marker][0]
            shown = payload[: len(marker) + 8]  # the markup right after the marker, as text
            if shown not in text:
                self.problems.append(f"{where}: {markers[marker][1]} is not shown as text")
            self.seen.add(marker)


def test_script_in_every_text_field_stays_text_on_every_page(
    browser, live_server, transactional_db
) -> None:
    people, objects = _build_world()
    _add_rows_the_world_lacks(objects, people["evaluator"])
    markers = fill_every_text_field()
    evaluator, admin_user = people["evaluator"], people["admin"]
    # Publish after filling, so that public pages carry the payloads too.
    publication_publish(evaluation=objects["published_evaluation"], by=evaluator)
    publication_publish(evaluation=objects["followed"], by=evaluator)
    objects["import_session"] = _uploaded_import_session(evaluator)
    markers["[x9001]"] = (FULL.format(m="[x9001]"), "an imported recommendation")
    markers["[x9002]"] = (TITLE.format(m="[x9002]"), "an imported action")

    visitors = {
        "evaluator": Visitor(browser, live_server, evaluator),
        "admin": Visitor(browser, live_server, admin_user),
        "anonymous": Visitor(browser, live_server, None),
    }
    for role, visitor in visitors.items():
        for path in _urls(role, objects):
            visitor.visit(path, markers)
    problems = [p for v in visitors.values() for p in v.problems]
    dialogs = [d for v in visitors.values() for d in v.dialogs]
    assert not problems, "\n".join(problems)
    assert not dialogs, dialogs
    assert visitors["anonymous"].pages >= 6  # public index and responses, in two languages
    seen = set().union(*(v.seen for v in visitors.values()))
    expected = {
        m for m, (_text, label) in markers.items() if tuple(label.rsplit(".", 1)) not in NOT_SHOWN
    }
    unseen = sorted(markers[m][1] for m in expected - seen)
    assert not unseen, f"Fields no page showed: {unseen}"
    for context in visitors.values():
        context.context.close()


def test_script_typed_into_the_main_forms_stays_text(
    browser, live_server, transactional_db
) -> None:
    units = build_units()
    eva = make_user("eva", Role.EVALUATION_UNIT)
    followed = build_approved_evaluation(eva, make_user("chair", Role.COMMITTEE), units)
    action = Action.objects.filter(response__recommendation__evaluation=followed).first()
    typed = {
        "title": TITLE.format(m="[x8001]"),
        # The period covered must read as years, so the program carries this one.
        "program": MEDIUM.format(m="[x8002]"),
        "statement": FULL.format(m="[x8003]"),
        "body": FULL.format(m="[x8004]"),
        "commitment": FULL.format(m="[x8005]"),
        "action": FULL.format(m="[x8006]"),
        "deliverable": FULL.format(m="[x8007]"),
        "role": FULL.format(m="[x8008]"),
        "narrative": FULL.format(m="[x8009]"),
        "link": MEDIUM.format(m="[x8010]"),
    }
    markers = {MARKER.match(text).group(): (text, name) for name, text in typed.items()}
    visitor = Visitor(browser, live_server, eva)
    page = visitor.page

    def save(button: str = "Save") -> None:
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        visitor.check(page.url, markers)

    page.goto(live_server.url + reverse("evaluations:create"))
    page.get_by_label("Title (English)").fill(typed["title"])
    page.get_by_label("Program or country", exact=True).fill(typed["program"])
    save()
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Number").fill("1")
    page.get_by_label("Statement").fill(typed["statement"])
    page.get_by_label("Body").fill(typed["body"])
    save()
    page.get_by_role("link", name="Add a unit's response").click()
    page.get_by_label("Responding unit").fill("HWP")
    page.get_by_label("Agreement").select_option("agree")
    page.get_by_label("Commitment").fill(typed["commitment"])
    save()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label(re.compile(r"^Action\b")).fill(typed["action"])
    page.get_by_label("Deliverable or evidence").fill(typed["deliverable"])
    page.get_by_label("Role").fill(typed["role"])
    page.get_by_label("Target completion date").fill("June 2030")
    save()
    page.goto(live_server.url + reverse("followup:update_create", args=[action.pk]))
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Progress since the last update").fill(typed["narrative"])
    page.get_by_label("Evidence links").fill("https://example.org/report " + typed["link"])
    save("Submit the update")

    evaluation = Evaluation.objects.get(title_en=typed["title"])  # stored exactly as typed
    new_action = Action.objects.get(response__recommendation__evaluation=evaluation)
    assert (new_action.text, new_action.role) == (typed["action"], typed["role"])
    assert action.updates.get().narrative == typed["narrative"]
    for path in (evaluation.get_absolute_url(), reverse("followup:action", args=[action.pk]),
                 reverse("followup:action", args=[new_action.pk])):  # fmt: skip
        visitor.visit(path, markers)
    assert not visitor.problems, "\n".join(visitor.problems)
    assert not visitor.dialogs, visitor.dialogs
    assert visitor.seen == set(markers), sorted(markers[m][1] for m in set(markers) - visitor.seen)
    visitor.context.close()
