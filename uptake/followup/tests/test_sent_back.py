"""What was sent back to a unit: returned updates and refused revised dates still waiting for
it, as `sent_back_to` finds them and as *My actions* shows them."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import User
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action
from uptake.followup import services
from uptake.followup.models import DateRevision, ProgressUpdate
from uptake.followup.selectors import sent_back_to
from uptake.followup.views import SENT_BACK_SHOWN

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

MY_ACTIONS = reverse("followup:my_actions")
SECTION = "Sent back to you"


def _report(action, by, **kwargs) -> ProgressUpdate:
    return services.update_submit(
        action=action, by=by, status="in_progress", narrative="Some progress.", **kwargs
    )


def _returned(action, focal, evaluator, comment="Attach the signed minutes.") -> ProgressUpdate:
    update = _report(action, focal)
    return services.update_return(update=update, by=evaluator, comment=comment)


def _refused(action, focal, committee, comment="The partner can finish sooner.", text="2031"):
    update = _report(
        action, focal, revised_date_text=text, revised_date_justification="Partner delays."
    )
    revision = DateRevision.objects.get(update=update)
    return services.revision_reject(revision=revision, by=committee, comment=comment)


def _fresh(user: User) -> User:
    """USER read again, without the units remembered from an earlier call."""
    return User.objects.get(pk=user.pk)


# The selector ------------------------------------------------------------------------------


def test_a_returned_update_is_sent_back_with_its_comment_reviewer_and_time(
    action, focal, evaluator
):
    update = _returned(action, focal, evaluator)

    [item] = sent_back_to(focal)

    assert item.action == action
    assert item.is_returned_update
    assert item.comment == "Attach the signed minutes."
    assert item.decided_by == evaluator
    assert item.decided_at == update.reviewed_at is not None


def test_a_returned_update_of_a_sub_unit_reaches_the_focal_point_above(
    approved_evaluation, focal, evaluator, units
):
    sub_unit_action = Action.objects.get(unit=units["QTO-DA"])
    _returned(sub_unit_action, focal, evaluator)

    assert [item.action for item in sent_back_to(focal)] == [sub_unit_action]


def test_a_newer_update_answers_the_returned_one(action, focal, evaluator):
    _returned(action, focal, evaluator)
    assert sent_back_to(focal)

    _report(action, focal)

    assert sent_back_to(focal) == []


def test_an_accepted_update_is_not_sent_back(action, focal, evaluator):
    services.update_validate(update=_report(action, focal), by=evaluator)

    assert sent_back_to(focal) == []


def test_another_units_returned_update_is_not_shown(action, focal, evaluator, outsider):
    _returned(action, focal, evaluator)

    assert sent_back_to(outsider) == []


def test_a_cancelled_action_leaves_nothing_waiting(action, focal, evaluator):
    _returned(action, focal, evaluator)

    evaluations.action_withdraw(action=action, by=evaluator, status="cancelled", reason="Moot.")

    assert sent_back_to(focal) == []


def test_a_refused_date_is_sent_back_with_the_date_asked_and_the_comment(action, focal, committee):
    revision = _refused(action, focal, committee, text="Q3 2031-32")

    [item] = sent_back_to(focal)

    assert item.action == action
    assert not item.is_returned_update
    assert item.requested_text == "Q3 2031-32"
    assert item.comment == "The partner can finish sooner."
    assert item.decided_by == committee
    assert item.decided_at == revision.decided_at is not None


def test_a_newer_date_request_hides_the_refused_one(action, focal, committee):
    _refused(action, focal, committee)

    _report(action, focal, revised_date_text="2030", revised_date_justification="Sooner, then.")

    assert sent_back_to(focal) == []


def test_a_refusal_older_than_60_days_is_history(action, focal, committee):
    revision = _refused(action, focal, committee)
    now = timezone.now()

    DateRevision.objects.filter(pk=revision.pk).update(decided_at=now - datetime.timedelta(59))
    recent = sent_back_to(_fresh(focal))
    DateRevision.objects.filter(pk=revision.pk).update(decided_at=now - datetime.timedelta(61))
    old = sent_back_to(_fresh(focal))

    assert [item.action for item in recent] == [action]
    assert old == []


def _plan(evaluator, committee, unit, count: int) -> list[Action]:
    """COUNT open actions of UNIT in an approved plan, due well ahead."""
    evaluation = evaluations.evaluation_create(by=evaluator, title_en="Evaluation of roads")
    rec = evaluations.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Maintain the roads."
    )
    response = evaluations.response_create(
        recommendation=rec, by=evaluator, unit=unit, agreement="agree", commitment="Yes."
    )
    for n in range(count):
        evaluations.action_create(
            response=response, by=evaluator, text=f"Road action {n}.",
            target_date_text="June 2030", deliverable="Report",
        )  # fmt: skip
    evaluations.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    evaluations.evaluation_approve_response(evaluation=evaluation, by=committee)
    return list(Action.objects.filter(response=response).order_by("id"))


def _send_back(actions, focal, evaluator, committee, start: int = 0) -> None:
    """Half the actions get an update returned, the other half a date refused; comments are
    numbered from START."""
    for n, each in enumerate(actions, start=start):
        if n % 2:
            _refused(each, focal, committee, comment=f"Refused {n}.")
        else:
            _returned(each, focal, evaluator, comment=f"Returned {n}.")


def _queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result


def _read_all(focal):
    """The items, with everything a page or an e-mail shows of each."""
    items = sent_back_to(_fresh(focal))
    for item in items:
        action = item.action
        (action.unit, action.response.unit, action.response.recommendation.evaluation)
        str(item.decided_by)
    return items


def test_the_selector_reads_the_same_number_of_queries_for_2_and_6_items(
    focal, evaluator, committee, units
):
    actions = _plan(evaluator, committee, units["HWP"], 6)
    _send_back(actions[:2], focal, evaluator, committee)
    few, items = _queries(lambda: _read_all(focal))
    assert len(items) == 2
    _send_back(actions[2:], focal, evaluator, committee, start=2)

    many, items = _queries(lambda: _read_all(focal))

    assert sorted(item.comment for item in items) == sorted(
        [f"Returned {n}." for n in (0, 2, 4)] + [f"Refused {n}." for n in (1, 3, 5)]
    )
    assert many == few


# My actions --------------------------------------------------------------------------------


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(MY_ACTIONS)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_my_actions_shows_a_returned_update_with_its_comment_and_a_link_to_report(
    client, action, focal, evaluator
):
    update = _returned(action, focal, evaluator)

    text = _page(client, focal)

    section = text.split('aria-labelledby="sent-back-heading"', 1)[1].split("</section>", 1)[0]
    assert f'<h2 id="sent-back-heading">{SECTION}</h2>' in section
    assert "Revise the design template." in section
    assert "Attach the signed minutes." in section
    assert str(evaluator) in section
    assert timezone.localdate(update.reviewed_at).isoformat() in section
    assert f'href="{reverse("followup:update_create", args=[action.pk])}"' in section


def test_my_actions_shows_a_refused_date_with_the_date_asked_and_a_link_to_the_action(
    client, action, focal, committee
):
    _refused(action, focal, committee, text="Q3 2031-32")

    text = _page(client, focal)

    section = text.split('aria-labelledby="sent-back-heading"', 1)[1].split("</section>", 1)[0]
    assert "Q3 2031-32" in section
    assert "The partner can finish sooner." in section
    assert str(committee) in section
    assert f'href="{action.get_absolute_url()}"' in section
    assert reverse("followup:update_create", args=[action.pk]) not in section


def test_my_actions_has_no_sent_back_section_when_nothing_waits(
    client, action, focal, evaluator, outsider
):
    _returned(action, focal, evaluator)

    assert SECTION not in _page(client, outsider)


def test_my_actions_reads_the_same_number_of_queries_for_2_and_6_items(
    client, focal, evaluator, committee, units
):
    actions = _plan(evaluator, committee, units["HWP"], 6)
    client.force_login(focal)
    _send_back(actions[:2], focal, evaluator, committee)
    every = f"{MY_ACTIONS}?sent_back=all"
    few, response = _queries(lambda: client.get(every))
    assert response.content.decode().count("Returned 0.") == 1
    _send_back(actions[2:], focal, evaluator, committee, start=2)

    many, response = _queries(lambda: client.get(every))

    text = response.content.decode()
    assert all(f"Refused {n}." in text for n in (1, 3, 5))
    assert all(f"Returned {n}." in text for n in (0, 2, 4))
    assert many == few


def test_my_actions_shows_the_newest_few_sent_back_and_links_to_the_rest(
    client, focal, evaluator, committee, units
):
    actions = _plan(evaluator, committee, units["HWP"], SENT_BACK_SHOWN + 2)
    _send_back(actions, focal, evaluator, committee)
    newest_first = [f"{'Refused' if n % 2 else 'Returned'} {n}." for n in range(len(actions))][::-1]

    page = _page(client, focal)

    assert [c for c in newest_first if c in page] == newest_first[:SENT_BACK_SHOWN]
    more = re.search(r'<a href="\?([^"#]*sent_back=all)[^"]*">Show 2 more sent back</a>', page)
    assert more, "no link to the rest"
    response = client.get(f"{MY_ACTIONS}?{html.unescape(more.group(1))}")
    every = response.content.decode()
    assert all(c in every for c in newest_first)
    assert "more sent back" not in every
    # The pager's links keep the whole list open.
    assert response.context["query"] == "show=open&sent_back=all"
