"""My actions: a focal point's actions, those of their units and sub-units, by urgency."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services
from uptake.evaluations.models import Action
from uptake.followup import services as followup

# "Due 2030" is ahead of the day these tests were written (conftest.WRITTEN_ON), and stays so.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

MY_ACTIONS = reverse("followup:my_actions")


def page(response) -> str:
    return html.unescape(response.content.decode())


def approved_plan(evaluator, committee, title: str, actions: list[tuple[object, str, str]]):
    """An approved evaluation whose one recommendation has an action per (unit, text, date)."""
    evaluation = services.evaluation_create(by=evaluator, title_en=title)
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Do better."
    )
    responses = {}
    for unit, text, date in actions:
        if unit.pk not in responses:
            responses[unit.pk] = services.response_create(
                recommendation=rec, by=evaluator, unit=unit, agreement="agree", commitment="Yes."
            )
        services.action_create(
            response=responses[unit.pk], by=evaluator, text=text, target_date_text=date,
            deliverable="Report",
        )  # fmt: skip
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    return evaluation


@pytest.fixture
def plans(approved_evaluation, evaluator, committee, units):
    """The fixture's HWP action (overdue since June 2021) and QTO-DA action (due 2030), plus
    an HWP action due in a month and a PRS action that is none of focal's business."""
    soon = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    approved_plan(
        evaluator,
        committee,
        "Evaluation of a road program",
        [(units["HWP"], "Repair the bridge.", soon), (units["PRS"], "Plan the budget.", "2020")],
    )


def test_a_focal_point_sees_their_units_and_sub_units_actions(client, focal, plans):
    client.force_login(focal)

    response = client.get(MY_ACTIONS)

    assert response.status_code == 200
    text = page(response)
    assert "Revise the design template." in text  # HWP
    assert "Train water boards." in text  # QTO-DA, under HWP
    assert "Repair the bridge." in text  # HWP, another evaluation
    assert "Plan the budget." not in text  # PRS


def test_the_overdue_tab_lists_only_overdue_actions(client, focal, plans):
    client.force_login(focal)
    days = (timezone.localdate() - datetime.date(2021, 6, 30)).days

    text = page(client.get(MY_ACTIONS, {"show": "overdue"}))

    assert "Revise the design template." in text
    assert f"{days} days late" in text
    assert "Train water boards." not in text
    assert "Repair the bridge." not in text
    assert "Plan the budget." not in text


def test_the_due_soon_tab_lists_actions_due_within_90_days(client, focal, plans):
    client.force_login(focal)

    text = page(client.get(MY_ACTIONS, {"show": "due_soon"}))

    assert "Repair the bridge." in text
    assert "Revise the design template." not in text
    assert "Train water boards." not in text


def test_the_all_tab_includes_validated_actions(client, focal, evaluator, plans):
    action = Action.objects.get(text="Repair the bridge.")
    update = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=update, by=evaluator)
    client.force_login(focal)

    open_tab = page(client.get(MY_ACTIONS))
    all_tab = page(client.get(MY_ACTIONS, {"show": "all"}))

    assert "Repair the bridge." not in open_tab
    assert "Repair the bridge." in all_tab
    assert "Validated" in all_tab
    assert "Plan the budget." not in all_tab


def test_an_unknown_tab_falls_back_to_open(client, focal, plans):
    client.force_login(focal)

    text = page(client.get(MY_ACTIONS, {"show": "everything!"}))

    assert 'href="?show=open" aria-current="page"' in text
    assert "Revise the design template." in text


def test_actions_of_a_response_still_in_draft_are_not_listed(client, focal, draft_evaluation):
    client.force_login(focal)

    text = page(client.get(MY_ACTIONS))

    assert "Revise the design template." not in text
    assert "Nothing here: no action of your units is in this list." in text


def test_an_outsider_sees_only_their_own_units_actions(client, outsider, plans):
    client.force_login(outsider)

    text = page(client.get(MY_ACTIONS, {"show": "all"}))

    assert "Plan the budget." in text
    assert "Revise the design template." not in text


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MY_ACTIONS, {"show": "all"})
    assert response.status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_actions(
    client, focal, evaluator, committee, units, approved_evaluation
):
    client.force_login(focal)
    client.get(MY_ACTIONS)
    with_two = _queries(client)

    approved_plan(
        evaluator,
        committee,
        "Evaluation of a school program",
        [(units["HWP"], f"Task {n}.", "June 2029") for n in range(4)]
        + [(units["QTO-DA"], f"Mission task {n}.", "2019") for n in range(4)],
    )
    with_ten = _queries(client)

    assert "Mission task 3." in page(client.get(MY_ACTIONS, {"show": "all"}))
    assert with_two == with_ten


def test_my_actions_are_paged_and_the_pager_keeps_the_view(
    client, focal, approved_evaluation, monkeypatch
):
    from uptake.followup import views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    client.force_login(focal)

    first = client.get(reverse("followup:my_actions"), {"show": "all"}).content.decode()
    second = client.get(reverse("followup:my_actions"), {"show": "all", "page": 2}).content.decode()

    texts = list(
        Action.objects.filter(response__recommendation__evaluation=approved_evaluation)
        .order_by("due_date", "id")
        .values_list("text", flat=True)
    )
    assert len(texts) >= 2
    assert texts[0][:60] in first and texts[1][:60] not in first
    assert texts[1][:60] in second
    assert 'href="?show=all&amp;page=2"' in first


def test_the_tabs_speak_the_language_of_the_page(client, focal, plans):
    client.force_login(focal)

    french = page(client.get(MY_ACTIONS, HTTP_ACCEPT_LANGUAGE="fr"))
    english = page(client.get(MY_ACTIONS, HTTP_ACCEPT_LANGUAGE="en"))

    tabs = re.compile(r'<a href="\?show=\w+"[^>]*>([^<]*)</a>')
    assert tabs.findall(french) == [
        "Ouvertes", "Échéance dans les 90 prochains jours", "En retard", "Toutes",
    ]  # fmt: skip
    assert tabs.findall(english) == ["Open", "Due in the next 90 days", "Overdue", "All"]
