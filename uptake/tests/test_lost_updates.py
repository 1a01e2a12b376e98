"""Two people saving the same thing: the second gets a conflict and nothing is lost; a failed
operation leaves no half-done change behind.

Most cases are the sequential form of a race: A opens a page, B saves, then A saves from the
copy A was shown. The cases that only exist while two transactions overlap (a check made
before the other one commits) run on PostgreSQL with two connections: the first transaction is
held open while the second runs, then committed.
"""

from __future__ import annotations

import datetime
import html
import threading
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from conftest import build_units, make_user
from uptake.accounts.models import Role, User
from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation, Recommendation, SubPoint
from uptake.importer.models import ImportSession
from uptake.importer.parsing import ParsedDocument
from uptake.importer.services import ImportChoices, import_session_confirm
from uptake.importer.tests.documents import NARRATIVE
from uptake.results import services as results
from uptake.results.models import ActualState, ActualUpdate, Strategy, StrategyState

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields a browser would send back from the page's form, with their shown values."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name")
        if tag == "input" and name and named.get("type") not in ("submit", "button"):
            self.data[name] = named.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


class _FormsReader(HTMLParser):
    """Each form of a page by its action address, with the hidden values it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(named.get("action") or "", {})
        elif tag == "input" and self._current is not None and named.get("name"):
            self._current[named["name"] or ""] = named.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _form_as_shown(client: Client, address: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(client.get(address).content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    # A textarea's first newline is not part of its value (HTML parsing rule).
    return {k: v.removeprefix("\n") for k, v in reader.data.items()}


@pytest.fixture
def colleague(db) -> User:
    return make_user("colleague", Role.EVALUATION_UNIT)


# The French version page: one form for the whole response -----------------------------------


@pytest.fixture
def evaluation_with_sub_points(evaluator, committee, units) -> Evaluation:
    """An approved evaluation whose one recommendation has sub-points."""
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of canal repairs")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Repair the canals.",
        sub_points=["a) the main canal", "b) the gates"],
    )  # fmt: skip
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
        commitment="The program agrees.",
    )  # fmt: skip
    services.action_create(
        response=response,
        by=evaluator,
        text="Survey every canal.",
        target_date_text="2030-31",
        deliverable="Survey report",
    )
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    return evaluation


def _translation(evaluation: Evaluation) -> tuple[str, Recommendation, Action]:
    rec = Recommendation.objects.get(evaluation=evaluation)
    action = Action.objects.filter(response__recommendation=rec).order_by("id").first()
    assert action is not None
    return reverse("publishing:translate", args=[evaluation.pk]), rec, action


def _opened_by_both(
    address: str, evaluator: User, colleague: User
) -> tuple[Client, dict[str, str], Client, dict[str, str]]:
    """Two people signed in, each with the translation page open: their clients and the form
    each was shown."""
    first, second = Client(), Client()
    first.force_login(evaluator)
    second.force_login(colleague)
    return first, _form_as_shown(first, address), second, _form_as_shown(second, address)


def test_a_stale_translation_page_conflicts_instead_of_overwriting_the_same_text(
    approved_evaluation, evaluator, colleague
):
    address, rec, _action = _translation(approved_evaluation)
    field = f"recommendation-{rec.pk}-statement_fr"
    first, seen_by_first, second, seen_by_second = _opened_by_both(address, evaluator, colleague)

    saved = second.post(address, {**seen_by_second, field: "Financer l'entretien."})
    assert saved.status_code == 302
    stale = first.post(address, {**seen_by_first, field: "Assurer l'entretien."})

    assert stale.status_code == 200
    page = html.unescape(stale.content.decode())
    assert "Someone else changed this translation after you opened the form" in page
    assert "Assurer l'entretien." in page  # what the first person typed is still in the form
    rec.refresh_from_db()
    assert rec.statement_fr == "Financer l'entretien."


def test_a_stale_translation_page_keeps_what_someone_else_translated_meanwhile(
    evaluation_with_sub_points, evaluator, colleague
):
    evaluation = evaluation_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    point = SubPoint.objects.filter(recommendation__evaluation=evaluation).order_by("id").first()
    rec = point.recommendation
    action = Action.objects.filter(response__recommendation=rec).order_by("id").first()
    first, seen_by_first, second, seen_by_second = _opened_by_both(address, evaluator, colleague)
    theirs = {
        f"recommendation-{rec.pk}-statement_fr": "Réparer les canaux.",
        f"subpoint-{point.pk}-text_fr": "le canal principal",
    }
    assert second.post(address, {**seen_by_second, **theirs}).status_code == 302

    # The first person translates something else, leaving those two fields as they saw them.
    mine = {f"action-{action.pk}-text_fr": "Une mesure traduite par la première personne."}
    assert first.post(address, {**seen_by_first, **mine}).status_code == 302

    rec.refresh_from_db()
    point.refresh_from_db()
    action.refresh_from_db()
    assert rec.statement_fr == "Réparer les canaux."
    assert point.text_fr == "le canal principal"
    assert action.text_fr == "Une mesure traduite par la première personne."


@pytest.fixture
def draft_with_sub_points(evaluator, units) -> Evaluation:
    """A draft (still editable) whose recommendation has sub-points and two actions."""
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of canal repairs")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Repair the canals.",
        sub_points=["a) the main canal", "b) the gates"],
    )  # fmt: skip
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
        commitment="The program agrees.",
    )  # fmt: skip
    for text in ("Survey every canal.", "Train the gate keepers."):
        services.action_create(
            response=response, by=evaluator, text=text, target_date_text="2030-31",
            deliverable="Report",
        )  # fmt: skip
    return evaluation


def _refused_for_text_now_gone(response, typed: str) -> None:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Part of this response was changed or removed after you opened the page" in page
    assert f"“{typed}”" in page  # what has no field left is given back in the message


def test_french_typed_for_an_action_removed_meanwhile_is_not_dropped_silently(
    draft_with_sub_points, evaluator, colleague
):
    evaluation = draft_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    kept, removed = Action.objects.filter(response__recommendation__evaluation=evaluation)
    first, seen_by_first, _second, _seen = _opened_by_both(address, evaluator, colleague)
    removed_field = f"action-{removed.pk}-text_fr"
    services.action_delete(action=removed, by=colleague)

    typed = {
        removed_field: "Former les gardiens des vannes.",
        f"action-{kept.pk}-text_fr": "Relever chaque canal.",
    }
    refused = first.post(address, {**seen_by_first, **typed})

    _refused_for_text_now_gone(refused, "Former les gardiens des vannes.")
    assert "Relever chaque canal." in html.unescape(refused.content.decode())  # still in its field
    kept.refresh_from_db()
    assert kept.text_fr == ""  # nothing was saved, not even the part that had somewhere to go


def test_french_typed_for_a_sub_point_removed_meanwhile_is_not_dropped_silently(
    draft_with_sub_points, evaluator, colleague
):
    evaluation = draft_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    rec = Recommendation.objects.get(evaluation=evaluation)
    gates = rec.sub_points.get(label="b")
    first, seen_by_first, _second, _seen = _opened_by_both(address, evaluator, colleague)
    services.recommendation_update(
        recommendation=rec, by=colleague, number="1", statement="Repair the canals.",
        sub_points=["a) the main canal"],
    )  # fmt: skip

    refused = first.post(address, {**seen_by_first, f"subpoint-{gates.pk}-text_fr": "les vannes"})

    _refused_for_text_now_gone(refused, "les vannes")
    assert not SubPoint.objects.filter(recommendation=rec).exclude(text_fr="").exists()


def test_sub_points_left_unchanged_by_a_rewrite_keep_their_rows_and_take_the_french(
    draft_with_sub_points, evaluator, colleague
):
    evaluation = draft_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    rec = Recommendation.objects.get(evaluation=evaluation)
    canal, gates = rec.sub_points.order_by("position")
    first, seen_by_first, _second, _seen = _opened_by_both(address, evaluator, colleague)
    services.recommendation_update(
        recommendation=rec, by=colleague, number="1", statement="Repair the canals.",
        sub_points=["a) the main canal", "b) the sluice gates", "c) the pumps"],
    )  # fmt: skip

    typed = {f"subpoint-{canal.pk}-text_fr": "le canal principal"}
    assert first.post(address, {**seen_by_first, **typed}).status_code == 302
    # Only the rewritten point changed: French typed for it on the old page is refused.
    refused = first.post(address, {**seen_by_first, f"subpoint-{gates.pk}-text_fr": "les vannes"})
    assert refused.status_code == 200

    points = list(rec.sub_points.order_by("position").values_list("pk", "text", "text_fr"))
    assert points[:2] == [
        (canal.pk, "the main canal", "le canal principal"),
        (gates.pk, "the sluice gates", ""),
    ]
    assert points[2][1:] == ("the pumps", "")


def test_a_removed_action_left_untouched_on_the_page_does_not_block_the_rest(
    draft_with_sub_points, evaluator, colleague
):
    evaluation = draft_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    kept, removed = Action.objects.filter(response__recommendation__evaluation=evaluation)
    first, seen_by_first, _second, _seen = _opened_by_both(address, evaluator, colleague)
    assert f"action-{removed.pk}-text_fr" in seen_by_first  # shown, and left as shown
    services.action_delete(action=removed, by=colleague)

    saved = first.post(address, {**seen_by_first, f"action-{kept.pk}-text_fr": "Relever."})

    assert saved.status_code == 302
    kept.refresh_from_db()
    assert kept.text_fr == "Relever."


# Overlapping transactions (PostgreSQL) -------------------------------------------------------


def _overlapping(first: Callable[[], Any], second: Callable[[], Any]) -> BaseException | None:
    """Run FIRST in a transaction held open while SECOND runs on another connection, then
    commit FIRST and wait for SECOND. Returns what SECOND raised, if anything."""
    raised: list[BaseException] = []

    def run_second() -> None:
        try:
            second()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            raised.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        first()
        thread = threading.Thread(target=run_second)
        thread.start()
        # Long enough for SECOND to finish, or to reach a lock FIRST holds and wait there.
        thread.join(timeout=2)
    thread.join(timeout=30)
    assert not thread.is_alive(), "the second transaction never finished"
    return raised[0] if raised else None


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Two transactions overlap only on a server database; SQLite takes the write lock "
    "at BEGIN (transaction_mode IMMEDIATE), so there the second simply waits.",
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_closing_the_last_two_recommendations_at_once_closes_the_evaluation():
    units = build_units()
    evaluator = make_user("amara", Role.EVALUATION_UNIT)
    committee = make_user("chair", Role.COMMITTEE)
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of two things")
    recs = []
    for number in ("1", "2"):
        rec = services.recommendation_create(
            evaluation=evaluation, by=evaluator, number=number, statement="Do a thing."
        )
        response = services.response_create(
            recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
            commitment="The program agrees.",
        )  # fmt: skip
        services.action_create(
            response=response, by=evaluator, text="Do it.", target_date_text="2030-31",
            deliverable="A report",
        )  # fmt: skip
        recs.append(rec)
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    with transaction.atomic():
        services.evaluation_mark_in_follow_up(evaluation=evaluation, by=evaluator)

    def close(rec: Recommendation) -> Callable[[], Any]:
        return lambda: services.recommendation_close(
            recommendation=rec, by=committee, reason="superseded", note="Replaced by a new plan."
        )

    assert _overlapping(close(recs[0]), close(recs[1])) is None

    assert set(Recommendation.objects.values_list("status", flat=True)) == {"closed"}
    evaluation.refresh_from_db()
    assert evaluation.state == "closed"


# The importer's confirm step -----------------------------------------------------------------


def test_an_upload_confirmed_twice_is_imported_once(evaluator, units):
    """Two reviewers confirm the same upload: each review page loaded the upload before either
    confirmed. The second confirmation is refused instead of importing a second copy."""
    client = Client()
    client.force_login(evaluator)
    upload = SimpleUploadedFile("fisheries.txt", NARRATIVE.encode("utf-8"))
    assert client.post(reverse("importer:upload"), {"file": upload}).status_code == 302
    loaded_by_first = ImportSession.objects.get()
    loaded_by_second = ImportSession.objects.get()

    def confirm(session: ImportSession) -> Evaluation:
        document = ParsedDocument.from_dict(session.parsed, session.source_lines)
        return import_session_confirm(
            session=session, parsed=document, by=evaluator, choices=ImportChoices()
        )

    imported = confirm(loaded_by_first)
    with pytest.raises(ServiceError, match="already been imported"):
        confirm(loaded_by_second)

    assert list(Evaluation.objects.values_list("pk", flat=True)) == [imported.pk]
    assert not ImportSession.objects.exists()


# Results frameworks: the two-key review of an actual -------------------------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_actual_approved_and_returned_at_once_gets_one_decision():
    reporter = make_user("amara", Role.EVALUATION_UNIT)
    approver = make_user("bruno", Role.EVALUATION_UNIT)
    returner = make_user("chen", Role.EVALUATION_UNIT)
    committee = make_user("chair", Role.COMMITTEE)
    strategy = results.strategy_create(
        by=reporter, kind="country", title_en="Strategy", subject="Testland",
        start_year=2024, end_year=2026,
    )  # fmt: skip
    root = results.result_create(strategy=strategy, by=reporter, statement_en="Ultimate")
    indicator = results.indicator_create(result=root, by=reporter, text_en="Boards trained")
    period = results.period_create(
        strategy=strategy, by=reporter, name="2024-25",
        start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31),
    )  # fmt: skip
    results.target_set(indicator=indicator, period=period, by=reporter, value=Decimal("20"))
    results.strategy_approve(strategy=strategy, by=committee)
    actual = results.actual_save(
        indicator=indicator, period=period, by=reporter, value=Decimal("20"), submit=True
    )

    refused = _overlapping(
        lambda: results.actual_approve(update=ActualUpdate.objects.get(pk=actual.pk), by=approver),
        lambda: results.actual_return(
            update=ActualUpdate.objects.get(pk=actual.pk), by=returner, comment="Check it."
        ),
    )

    assert isinstance(refused, ServiceError)
    actual.refresh_from_db()
    assert (actual.state, actual.decided_by) == (ActualState.APPROVED, approver)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_strategy_edited_while_it_is_approved_stays_approved():
    manager = make_user("amara", Role.EVALUATION_UNIT)
    committee = make_user("chair", Role.COMMITTEE)
    strategy = results.strategy_create(
        by=manager,
        kind="country",
        title_en="Strategy",
        subject="Testland",
        start_year=2024,
        end_year=2026,
    )
    results.result_create(strategy=strategy, by=manager, statement_en="Ultimate")

    refused = _overlapping(
        lambda: results.strategy_approve(
            strategy=Strategy.objects.get(pk=strategy.pk), by=committee
        ),
        lambda: results.strategy_update(
            strategy=Strategy.objects.get(pk=strategy.pk), by=manager, title_en="Renamed"
        ),
    )

    assert isinstance(refused, ServiceError)
    strategy.refresh_from_db()
    assert (strategy.state, strategy.title_en) == (StrategyState.APPROVED, "Strategy")


# Removing from the plan: the button was shown beside the text as it was then ------------------


def test_removing_an_action_someone_edited_since_the_page_was_shown_is_refused(
    draft_evaluation, evaluator, colleague
):
    first = Client()
    first.force_login(evaluator)
    action = Action.objects.filter(response__recommendation__evaluation=draft_evaluation).first()
    remove = reverse("evaluations:action_delete", args=[action.pk])
    reader = _FormsReader()
    reader.feed(first.get(draft_evaluation.get_absolute_url()).content.decode())
    button = reader.forms[remove]

    services.action_update(
        action=action, by=colleague, expected_version=action.version,
        text="Revise the design template with the boards.", target_date_text="June 2021",
        deliverable="Template",
    )  # fmt: skip
    answer = first.post(remove, button, follow=True)

    assert answer.status_code == 200
    page = html.unescape(answer.content.decode())
    assert "Someone else changed this action after you opened the form" in page
    action.refresh_from_db()
    assert action.text == "Revise the design template with the boards."


def test_a_stale_translation_page_does_not_overwrite_a_sub_point_translated_meanwhile(
    evaluation_with_sub_points, evaluator, colleague
):
    evaluation = evaluation_with_sub_points
    address = reverse("publishing:translate", args=[evaluation.pk])
    point = SubPoint.objects.filter(recommendation__evaluation=evaluation).order_by("id").first()
    field = f"subpoint-{point.pk}-text_fr"
    first, seen_by_first, second, seen_by_second = _opened_by_both(address, evaluator, colleague)
    assert second.post(address, {**seen_by_second, field: "le canal principal"}).status_code == 302

    stale = first.post(address, {**seen_by_first, field: "le grand canal"})

    assert stale.status_code == 200
    page = html.unescape(stale.content.decode())
    assert "Someone else changed this translation after you opened the form" in page
    assert "le grand canal" in page
    point.refresh_from_db()
    assert point.text_fr == "le canal principal"
    # Opened afresh, the page saves the first person's wording.
    fresh = _form_as_shown(first, address)
    assert first.post(address, {**fresh, field: "le grand canal"}).status_code == 302
    point.refresh_from_db()
    assert point.text_fr == "le grand canal"
