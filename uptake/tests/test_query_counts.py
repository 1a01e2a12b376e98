"""Every list page, API list and export runs the same number of queries for 2 rows or for 6.

PAGES below names each one, with the person who asks and the rows that grow. Two worlds are
built, one with K=2 of everything (evaluations, recommendations per evaluation, actions,
updates, evidence, revised dates, units, rounds, publications, strategies, results,
indicators, actuals, links, feeds, tokens) and one with K=6; each address is asked once to
warm up and once counted in each world, and the two counts must be equal.

`test_every_list_and_export_is_in_the_table` fails when a URL that looks like a list or an
export (see `looks_like_a_list`) is neither in PAGES nor in NOT_LISTS with its reason.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.mixins import ListModelMixin

from conftest import build_units, make_user, written_day
from uptake.accounts.models import Role, Unit, UnitKind, User
from uptake.api.tests.conftest import client_for
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.publishing.models import Publication
from uptake.publishing.services import publication_publish
from uptake.reporting import services as reporting
from uptake.reporting.models import FollowUpRound
from uptake.results import services as results
from uptake.results.models import Strategy

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")

FEW, MANY = 2, 6


@dataclass
class World:
    people: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)


def _evidence(n: int) -> list[Any]:
    return [SimpleUploadedFile(f"report-{n}.pdf", b"%PDF-1.4 test", "application/pdf")]


def _link(n: int) -> list[followup.EvidenceLink]:
    return [followup.EvidenceLink(url=f"https://example.org/report/{n}", label=f"Report {n}")]


def build_world(k: int) -> World:
    """K of every kind of row that a list page, API list or export shows."""
    units = build_units()
    evaluator = make_user("evaluator", Role.EVALUATION_UNIT)
    committee = make_user("committee", Role.COMMITTEE)
    focal = make_user("focal", Role.FOCAL_POINT, [units["HWP"]])
    viewer = make_user("viewer", Role.VIEWER)
    world = World(
        {"evaluator": evaluator, "committee": committee, "focal": focal, "viewer": viewer}
    )
    extra = [
        Unit.objects.create(
            code=f"QC-{i}", name_en=f"Field office {i}", kind=UnitKind.MISSION, parent=units["HWP"]
        )
        for i in range(k)
    ]
    # K followed evaluations of K recommendations, each answered by a unit with two actions.
    followed: list[Evaluation] = []
    for e in range(k):
        ev = services.evaluation_create(
            by=evaluator, title_en=f"Followed evaluation {e}", program=f"Program {e}"
        )
        for r in range(k):
            rec = services.recommendation_create(
                evaluation=ev, by=evaluator, number=str(r + 1), statement=f"Do thing {r + 1}."
            )
            resp = services.response_create(
                recommendation=rec, by=evaluator, unit=extra[r], agreement="agree",
                commitment="We will.",
            )  # fmt: skip
            services.action_create(
                response=resp, by=evaluator, text=f"First action {e}.{r}.",
                target_date_text="June 2021", deliverable="Report",
            )  # fmt: skip
            services.action_create(
                response=resp, by=evaluator, text=f"Second action {e}.{r}.",
                target_date_text="June 2030", deliverable="Plan", unit=units["QTO-DA"],
            )  # fmt: skip
        services.evaluation_submit_for_approval(evaluation=ev, by=evaluator)
        services.evaluation_approve_response(evaluation=ev, by=committee)
        followed.append(ev)
    world.objects["followed"] = followed[0]
    # Every first action gets an update with a file, a link and a revised date (pending).
    firsts = list(
        Action.objects.filter(text__startswith="First action").order_by("id").select_related()
    )
    for n, act in enumerate(firsts):
        followup.update_submit(
            action=act, by=focal, status="in_progress", narrative=f"Under way {n}.",
            files=_evidence(n), links=_link(n), revised_date_text="March 2031",
            revised_date_justification="Partners asked for more time.",
        )  # fmt: skip
    # The focus action gets K more updates, validated, each with evidence.
    focus = firsts[0]
    world.objects["action"] = focus
    for n in range(k):
        update = followup.update_submit(
            action=focus, by=focal, status="in_progress", narrative=f"More progress {n}.",
            files=_evidence(100 + n), links=_link(100 + n),
        )  # fmt: skip
        followup.update_validate(update=update, by=evaluator)
        reporting.update_link_issue(action=focus, by=evaluator, recipient_name=f"Partner {n}")
    # A draft with K recommendations and K edits; K evaluations awaiting the committee.
    draft = services.evaluation_create(by=evaluator, title_en="Draft evaluation")
    for r in range(k):
        rec = services.recommendation_create(
            evaluation=draft, by=evaluator, number=str(r + 1), statement=f"Draft {r + 1}."
        )
        resp = services.response_create(
            recommendation=rec, by=evaluator, unit=extra[r], agreement="agree",
            commitment="We will.",
        )  # fmt: skip
        services.action_create(
            response=resp, by=evaluator, text=f"Draft action {r}.", target_date_text="June 2030",
            deliverable="Report",
        )  # fmt: skip
        draft = services.evaluation_update(
            evaluation=Evaluation.objects.get(pk=draft.pk), by=evaluator, program=f"Edit {r}"
        )
    world.objects["draft"] = draft
    for s in range(k):
        sub = services.evaluation_create(by=evaluator, title_en=f"Submitted evaluation {s}")
        rec = services.recommendation_create(
            evaluation=sub, by=evaluator, number="1", statement="Publish criteria."
        )
        resp = services.response_create(
            recommendation=rec, by=evaluator, unit=extra[s], agreement="agree",
            commitment="We will.",
        )  # fmt: skip
        services.action_create(
            response=resp, by=evaluator, text="Publish.", target_date_text="June 2030",
            deliverable="Page",
        )  # fmt: skip
        services.evaluation_submit_for_approval(evaluation=sub, by=evaluator)
    # Publications: every followed evaluation, and the first one K times (K versions).
    for ev in followed:
        publication_publish(evaluation=ev, by=evaluator, show_status=True)
    for _ in range(k - 1):
        publication_publish(evaluation=followed[0], by=evaluator, show_status=True)
    world.objects["publication_key"] = (
        Publication.objects.filter(evaluation=followed[0]).latest("version").slug
    )
    # Rounds: K closed, one open; the pack reads the last closed one, compared with the one before.
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    for n in range(k):
        closing = reporting.round_open(by=evaluator, name=f"Round {n}", deadline=deadline)
        reporting.round_close(round_=closing, by=evaluator)
    world.objects["closed_round"] = FollowUpRound.objects.filter(is_open=False).latest("id")
    world.objects["round"] = reporting.round_open(by=evaluator, name="Open", deadline=deadline)
    # Calendar feeds and API tokens.
    world.objects["feed_secret"] = reporting.calendar_feed_create(by=focal, user=focal)[1]
    for unit in extra:
        reporting.calendar_feed_create(by=evaluator, unit=unit)
    for _ in range(k):
        client_for(evaluator)  # one more token on the profile page
    # Strategies: K of them; the first with K results, indicators, actuals and links.
    for s in range(k):
        strategy = results.strategy_create(
            by=evaluator, kind="country", title_en=f"Strategy {s}", subject="Testland",
            start_year=2024, end_year=2026,
        )  # fmt: skip
        root = results.result_create(strategy=strategy, by=evaluator, statement_en="Ultimate")
        period = results.period_create(
            strategy=strategy, by=evaluator, name="2024-25",
            start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31),
        )  # fmt: skip
        if s:
            continue
        indicators = []
        for r in range(k):
            child = results.result_create(
                strategy=strategy, by=evaluator, statement_en=f"Intermediate {r}", parent=root
            )
            indicators.append(
                results.indicator_create(result=child, by=evaluator, text_en=f"Indicator {r}")
            )
            results.section_create(
                strategy=strategy, by=evaluator, heading_en=f"Section {r}", body_en="Text."
            )
            results.investment_create(
                strategy=strategy, by=evaluator, description=f"Line {r}", amount=Decimal(10),
                currency="CAD", fiscal_year=2024,
            )  # fmt: skip
            results.action_link(action=firsts[r], result=child, by=evaluator)
            results.recommendation_link(
                recommendation=firsts[r].response.recommendation, result=child, by=evaluator
            )
        results.strategy_approve(strategy=strategy, by=committee)
        for indicator in indicators:
            results.actual_save(
                indicator=indicator, period=period, by=focal, value=Decimal(1), submit=True
            )
        world.objects["strategy"] = Strategy.objects.get(pk=strategy.pk)
    return world


# ---------------------------------------------------------------------------------------------
# The table: every list page, API list and export, who asks, and what fills its address.


@dataclass(frozen=True)
class Page:
    name: str
    role: str = "evaluator"  # "anonymous", a persona, or "api:<persona>" for a bearer token
    obj: str = ""  # the world's object that fills <pk> / <slug> / <secret>
    params: dict[str, str] = field(default_factory=dict)
    lang: str = ""  # the public site's language prefix
    grows: bool = True  # False: shows no rows (a blank template)

    @property
    def key(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        name = f"{self.name}[{self.obj}]" if self.obj else self.name
        return f"{name}?{query}" if query else name


def _exports(name: str) -> list[Page]:
    pages = [Page(name, params={"format": fmt}) for fmt in ("csv", "xlsx", "json")]
    return [*pages, Page(name, role="focal", params={"mine": "1", "show": "all"})]


PAGES: list[Page] = [
    # Evaluations and follow-up.
    Page("evaluations:list"),
    Page("evaluations:list", params={"state": "in_follow_up", "q": "evaluation"}),
    Page("evaluations:detail", obj="draft"),
    Page("evaluations:detail", obj="followed"),
    Page("evaluations:history", obj="draft"),
    Page("followup:my_actions", role="focal"),
    Page("followup:my_actions", role="focal", params={"show": "all"}),
    Page("followup:action", obj="action"),
    Page("followup:action", obj="action", params={"updates": "all", "history": "all"}),
    Page("followup:validation_queue"),
    Page("followup:approval_queue", role="committee"),
    Page("profile"),
    # Reporting: dashboard, rounds, pack, exports, update links, calendars.
    Page("reporting:dashboard"),
    Page("reporting:rounds"),
    Page("reporting:round", obj="round"),
    Page("reporting:round", obj="closed_round"),
    Page("reporting:pack_pdf", obj="closed_round"),
    Page("reporting:pack_docx", obj="closed_round"),
    *_exports("reporting:export_evaluations"),
    *_exports("reporting:export_recommendations"),
    *_exports("reporting:export_actions"),
    *_exports("reporting:export_updates"),
    Page("reporting:update_link_create", obj="action"),
    Page("reporting:calendar_unit_feeds"),
    Page("reporting:calendar_feed", role="anonymous", obj="feed_secret"),
    # Publishing: the evaluation unit's page and the public site.
    Page("publishing:manage", obj="followed"),
    Page("publishing:translate", obj="followed"),
    Page("public:index", role="anonymous", lang="en"),
    Page("public:response", role="anonymous", obj="publication_key", lang="en"),
    Page("public:pdf", role="anonymous", obj="publication_key", lang="en"),
    Page("public:docx", role="anonymous", obj="publication_key", lang="en"),
    Page("public:json", role="anonymous", obj="publication_key", lang="en"),
    Page("public:csv", role="anonymous", obj="publication_key", lang="fr"),
    # Results frameworks.
    Page("results:strategy_list"),
    Page("results:actual_queue"),
    Page("results:strategy_detail", obj="strategy"),
    Page("results:import_template", grows=False),
    Page("results:diagram_svg", obj="strategy"),
    Page("results:diagram_png", obj="strategy"),
    Page("results:export_xlsx", obj="strategy"),
    Page("results:export_docx", obj="strategy"),
    Page("results:export_iati", obj="strategy"),
    # The API's lists.
    Page("api:unit_list", role="api:viewer"),
    Page("api:evaluation_list", role="api:viewer"),
    Page("api:evaluation_plan", role="api:viewer", obj="followed"),
    Page("api:recommendation_list", role="api:viewer"),
    Page("api:response_list", role="api:viewer"),
    Page("api:action_list", role="api:viewer"),
    Page("api:update_list", role="api:viewer"),
    Page("api:revision_list", role="api:viewer"),
    Page("api:public_publication_list", role="anonymous"),
]

# Addresses that the rule below catches but that list nothing, and why.
NOT_LISTS = {
    "followup:evidence_download": "one evidence file",
    "api:evidence_download": "one evidence file",
    "api:schema": "the OpenAPI document, built without the database",
    "api:docs": "the Swagger page, which reads api:schema",
}

LIST_WORDS = re.compile(
    r"(^|_)(list|lists|queue|rounds|feeds|export|exports|dashboard|index|pack|my_actions|"
    r"download|downloads|csv|xlsx|pdf|docx|json|xml|iati|ics|svg|png|template)(_|$)"
)
FILE_ROUTE = re.compile(r"\.(csv|xlsx|pdf|docx|json|xml|ics|svg|png)\$?$")


def looks_like_a_list(name: str, route: str, callback: Any) -> bool:
    """A list or an export: its name says so (…_list, …_queue, export_…, pdf, csv, …), its
    address ends in a file extension, or it is an API view that lists."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return (
        bool(LIST_WORDS.search(name.rsplit(":", 1)[-1]))
        or bool(FILE_ROUTE.search(route))
        or (isinstance(view_class, type) and issubclass(view_class, ListModelMixin))
    )


def project_lists() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, route: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace, route + str(pattern.pattern))
            elif pattern.name:
                name = prefix + pattern.name
                if looks_like_a_list(name, route + str(pattern.pattern), pattern.callback):
                    found.add(name)

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_list_and_export_is_in_the_table() -> None:
    tabled = {page.name for page in PAGES}
    missing = project_lists() - tabled - set(NOT_LISTS)
    assert not missing, f"Lists or exports without a query-count entry in PAGES: {sorted(missing)}"
    every = _every_name()
    assert not (tabled - every), f"PAGES names unknown URLs: {sorted(tabled - every)}"
    assert not (set(NOT_LISTS) - every), (
        f"NOT_LISTS names unknown URLs: {sorted(set(NOT_LISTS) - every)}"
    )


def _every_name() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


# ---------------------------------------------------------------------------------------------
# Counting.


@dataclass
class Count:
    status: int
    size: int
    sql: list[str]


def _url(page: Page, world: World) -> str:
    args = []
    if page.obj:
        obj = world.objects[page.obj]
        args = [obj if isinstance(obj, str) else obj.pk]
    if page.lang:
        from django.utils import translation

        with translation.override(page.lang):
            return reverse(page.name, args=args)
    return reverse(page.name, args=args)


def _client(page: Page, world: World, clients: dict[str, Any]) -> Any:
    if page.role not in clients:
        if page.role == "anonymous":
            clients[page.role] = Client()
        elif page.role.startswith("api:"):
            clients[page.role] = client_for(world.people[page.role[4:]])
        else:
            client = Client()
            client.force_login(world.people[page.role])
            clients[page.role] = client
    return clients[page.role]


def _read(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def measure(k: int) -> dict[str, Count]:
    world = build_world(k)
    clients: dict[str, Any] = {}
    counts: dict[str, Count] = {}
    for page in PAGES:
        client = _client(page, world, clients)
        url = _url(page, world)
        _read(client.get(url, page.params))  # warm-up: first-use bookkeeping, caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, page.params)
            body = _read(response)
        counts[page.key] = Count(response.status_code, len(body), [q["sql"] for q in queries])
    return counts


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker) -> dict[int, dict[str, Count]]:
    """Both worlds, each built and measured inside a transaction that is then rolled back."""
    measured: dict[int, dict[str, Count]] = {}
    with django_db_blocker.unblock():
        for k in (FEW, MANY):
            with transaction.atomic(), written_day():
                measured[k] = measure(k)
                transaction.set_rollback(True)
    return measured


def _keys() -> list[str]:
    keys = [page.key for page in PAGES]
    assert len(keys) == len(set(keys)), "PAGES holds the same address and parameters twice"
    return keys


@pytest.mark.parametrize("key", _keys())
def test_the_query_count_does_not_grow_with_rows(db, counts, key: str) -> None:
    few, many = counts[FEW][key], counts[MANY][key]
    assert few.status == many.status == 200, (key, few.status, many.status)
    page = next(page for page in PAGES if page.key == key)
    # The larger world must show more, or the comparison below proves nothing.
    assert many.size > few.size or not page.grows, (key, few.size, many.size)
    if len(few.sql) != len(many.sql):
        listing = "\n".join(f"  {n:3d} {sql[:300]}" for n, sql in enumerate(many.sql, start=1))
        pytest.fail(
            f"{key}: {len(few.sql)} queries with {FEW} rows of each kind, {len(many.sql)} with "
            f"{MANY}. The queries with {MANY}:\n{listing}"
        )
