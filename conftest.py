"""Shared test fixtures: the people of a small organisation and an evaluation at each stage.

The personas mirror the roles: `evaluator` (evaluation unit), `committee`, `focal` (focal
point of HWP, whose sub-unit QTO-DA they also answer for), `outsider` (focal point of an
unrelated unit), `viewer`, `admin`.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.utils import timezone, translation

from uptake.accounts.models import Role, Unit, UnitKind, User
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright, for the tests marked `browser`."""
    from uptake.tests.browser import launch_chromium

    yield from launch_chromium()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a request in French leaves French active in
    the thread, and a later test calling a service directly would get French messages."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: a test's rolled-back rows can reuse the ids of
    another's, and cached figures and pages are keyed on ids."""
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield


def make_user(username: str, role: str, units: list[Unit] | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw", role=role)
    if role == Role.ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
        user.save()
    if units:
        user.units.set(units)
    return user


def build_units() -> dict[str, Unit]:
    """A branch > bureau > program > mission hierarchy, and a second division."""
    branch = Unit.objects.create(
        code="GPB", name_en="Global Partnerships Branch", kind=UnitKind.BRANCH
    )
    bureau = Unit.objects.create(
        code="WSB", name_en="Water and Sanitation Bureau", kind=UnitKind.BUREAU, parent=branch
    )
    program = Unit.objects.create(
        code="HWP", name_en="Highland Water Program", kind=UnitKind.DIVISION, parent=bureau
    )
    mission = Unit.objects.create(
        code="QTO-DA",
        name_en="Development Section, Embassy in Quito",
        kind=UnitKind.MISSION,
        parent=program,
    )
    other = Unit.objects.create(
        code="PRS",
        name_en="Results and Strategic Planning Division",
        kind=UnitKind.DIVISION,
        parent=branch,
    )
    return {u.code: u for u in (branch, bureau, program, mission, other)}


@pytest.fixture
def units(db) -> dict[str, Unit]:
    return build_units()


@pytest.fixture
def evaluator(db) -> User:
    return make_user("evaluator", Role.EVALUATION_UNIT)


@pytest.fixture
def committee(db) -> User:
    return make_user("committee", Role.COMMITTEE)


@pytest.fixture
def viewer(db) -> User:
    return make_user("viewer", Role.VIEWER)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", Role.ADMINISTRATOR)


@pytest.fixture
def focal(units) -> User:
    return make_user("focal", Role.FOCAL_POINT, [units["HWP"]])


@pytest.fixture
def outsider(units) -> User:
    return make_user("outsider", Role.FOCAL_POINT, [units["PRS"]])


def build_draft_evaluation(evaluator: User, units: dict[str, Unit]) -> Evaluation:
    """An evaluation with one recommendation, one response and two complete actions."""
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of a water program")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Fund maintenance."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
        commitment="The program agrees.",
    )  # fmt: skip
    services.action_create(
        response=response, by=evaluator, text="Revise the design template.",
        target_date_text="June 2021", deliverable="Template",
    )  # fmt: skip
    services.action_create(
        response=response, by=evaluator, text="Train water boards.",
        target_date_text="Q3 2030-31", deliverable="Training reports", unit=units["QTO-DA"],
    )  # fmt: skip
    evaluation.refresh_from_db()
    return evaluation


def build_approved_evaluation(
    evaluator: User, committee: User, units: dict[str, Unit]
) -> Evaluation:
    evaluation = build_draft_evaluation(evaluator, units)
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def draft_evaluation(evaluator, units) -> Evaluation:
    return build_draft_evaluation(evaluator, units)


@pytest.fixture
def approved_evaluation(draft_evaluation, evaluator, committee) -> Evaluation:
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=draft_evaluation, by=committee)
    draft_evaluation.refresh_from_db()
    return draft_evaluation


@pytest.fixture
def action(approved_evaluation) -> Action:
    """The first action of the approved evaluation (HWP, due June 2021: overdue)."""
    return (
        Action.objects.filter(response__recommendation__evaluation=approved_evaluation)
        .order_by("id")
        .first()
    )


# The day the tests that ask for a revised date were written. A revised date must lie ahead of
# the day it is asked for; pinning that day keeps those tests true once their dates have
# passed in the real calendar.
WRITTEN_ON = datetime.date(2026, 11, 28)


@contextlib.contextmanager
def written_day() -> Iterator[datetime.date]:
    """Within it, Uptake's clock reads as if today were WRITTEN_ON: `timezone.now()` is
    shifted back by whole days, so it still runs, and every date derived from it (localdate,
    deadlines, "since" windows) agrees. For fixtures built once per module; tests use
    `asked_on_written_day`."""
    real_now = timezone.now
    shift = datetime.timedelta(days=(timezone.localdate() - WRITTEN_ON).days)

    def now() -> datetime.datetime:
        return real_now() - shift

    with mock.patch.object(timezone, "now", now):
        yield WRITTEN_ON


@pytest.fixture
def asked_on_written_day() -> Iterator[datetime.date]:
    """The test runs on WRITTEN_ON, as far as Uptake's idea of today goes."""
    with written_day() as day:
        yield day


def field_errors(page: str, field: str) -> list[str]:
    """The errors a form page shows under FIELD: those in the element its aria-describedby
    names (`includes/form_fields.html`), one paragraph each."""
    found = re.search(rf'<div class="errors" id="id_{field}_error">(.*?)</div>', page, re.S)
    return re.findall(r'<p class="error">([^<]*)</p>', found.group(1)) if found else []
