"""An action's page: its updates, their evidence, the ledger of dates, and who may report."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import selectors as evaluation_selectors
from uptake.followup import services as followup
from uptake.followup.models import DateRevision

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def action_url(action) -> str:
    return reverse("followup:action", args=[action.pk])


def test_it_shows_the_action_and_its_responsibility_centre(client, viewer, action):
    client.force_login(viewer)

    response = client.get(action_url(action))

    assert response.status_code == 200
    text = visible(response)
    assert "Revise the design template." in text
    assert "Responsibility centre Highland Water Program (HWP)" in text
    assert "Deliverable or evidence Template" in text
    assert "Target completion date (approved) June 2021 (2021-06-30)" in text


def test_it_shows_updates_with_their_evidence_links(client, viewer, focal, action):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Drafted the template.",
        links=[followup.EvidenceLink(url="https://example.org/draft", label="First draft")],
    )  # fmt: skip
    client.force_login(viewer)

    response = client.get(action_url(action))

    text = page(response)
    assert "Drafted the template." in text
    assert "reported by focal on" in text
    assert "Awaiting review" in text
    assert '<a href="https://example.org/draft" rel="noopener noreferrer">First draft</a>' in text


def test_the_ledger_shows_the_original_and_the_revised_date(
    client, viewer, focal, committee, action, asked_on_written_day
):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut for months.",
    )  # fmt: skip
    followup.revision_approve(
        revision=DateRevision.objects.get(), by=committee, comment="Agreed, given the floods."
    )
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    assert "June 2021 Approved plan — Original" in text
    assert "March 2027 (2027-03-31) focal," in text
    assert "Roads were cut for months. Approved — committee," in text
    assert "Agreed, given the floods." in text
    assert "Target completion date (approved) June 2021 (2021-06-30)" in text
    assert "Current due date 2027-03-31 revised" in text


def test_a_pending_revision_shows_as_awaiting_a_decision(
    client, viewer, focal, action, asked_on_written_day
):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Floods.",
        revised_date_text="March 2027", revised_date_justification="Roads were cut.",
    )  # fmt: skip
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    assert "March 2027 (2027-03-31)" in text
    assert "Awaiting decision" in text
    assert "Current due date 2021-06-30" in text


@pytest.mark.parametrize(
    ("who", "sees_button"),
    [
        ("focal", True),
        ("evaluator", True),
        ("admin_user", True),
        ("outsider", False),
        ("viewer", False),
        ("committee", False),
    ],
)
def test_the_report_progress_button_shows_only_for_those_who_may(
    client, request, action, who, sees_button
):
    client.force_login(request.getfixturevalue(who))

    text = page(client.get(action_url(action)))

    button = reverse("followup:update_create", args=[action.pk])
    assert (f'href="{button}"' in text) is sees_button
    assert ("Report progress" in text) is sees_button


def test_the_report_progress_button_is_hidden_on_a_validated_action(
    client, focal, evaluator, action
):
    update = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=update, by=evaluator)
    client.force_login(focal)

    text = page(client.get(action_url(action)))

    assert "Validated" in text
    assert "Report progress" not in text


def test_the_report_progress_button_is_hidden_before_approval(client, focal, draft_evaluation):
    action = draft_evaluation.recommendations.get().responses.get().actions.order_by("id").first()
    client.force_login(focal)

    text = page(client.get(action_url(action)))

    assert "Report progress" not in text


def test_it_shows_days_late(client, viewer, action):
    days = (timezone.localdate() - datetime.date(2021, 6, 30)).days
    client.force_login(viewer)

    assert f"{days} days late" in page(client.get(action_url(action)))


# An action followed for years: the page shows the newest updates and history, and links to all.


def report(action, focal, narratives: list[str]) -> None:
    for narrative in narratives:
        followup.update_submit(action=action, by=focal, status="in_progress", narrative=narrative)


def history_rows(response) -> int:
    """Rows of the history table (its body only)."""
    table = page(response).split('id="history-title"', 1)[1]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in table else ""
    return body.count("<tr>")


def test_it_shows_the_newest_ten_updates_and_a_link_to_all_of_them(client, viewer, focal, action):
    narratives = [f"Step {n} of the work." for n in range(1, 13)]
    report(action, focal, narratives)
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    newest_first = list(reversed(narratives))
    shown, hidden = newest_first[:10], newest_first[10:]
    positions = [text.index(n) for n in shown]
    assert positions == sorted(positions)
    assert not any(n in text for n in hidden)
    assert f"Show all {len(narratives)} progress updates" in text
    assert 'href="?updates=all#updates"' in page(client.get(action_url(action)))


def test_the_link_shows_every_update(client, viewer, focal, action):
    narratives = [f"Step {n} of the work." for n in range(1, 13)]
    report(action, focal, narratives)
    client.force_login(viewer)

    text = visible(client.get(action_url(action), {"updates": "all"}))

    positions = [text.index(n) for n in reversed(narratives)]
    assert positions == sorted(positions)
    assert "Show all" not in text


def test_a_few_updates_are_all_shown_without_a_link(client, viewer, focal, action):
    narratives = ["Hired the team.", "Drafted the plan.", "Held the workshop."]
    report(action, focal, narratives)
    client.force_login(viewer)

    text = visible(client.get(action_url(action)))

    assert all(n in text for n in narratives)
    assert "Show all" not in text
    assert "Show the whole history" not in text


def test_it_shows_the_newest_twenty_history_entries_and_a_link_to_the_whole_history(
    client, viewer, focal, action
):
    report(action, focal, [f"Step {n}." for n in range(1, 26)])
    client.force_login(viewer)

    whole = client.get(action_url(action), {"history": "all"})
    response = client.get(action_url(action))

    in_all = history_rows(whole)
    assert in_all > 25  # every update made an entry, and the action's own changes more
    assert history_rows(response) == 20
    text = visible(response)
    assert f"Show the whole history ({in_all} entries)" in text
    assert 'href="?history=all#history"' in page(response)
    assert "Show the whole history" not in visible(whole)
    # The rows shown are the newest rows of the whole history, in the same order.
    rows = page(response).split('id="history-title"', 1)[1].split("</tbody>", 1)[0]
    all_rows = page(whole).split('id="history-title"', 1)[1].split("</tbody>", 1)[0]
    assert all_rows.startswith(rows)


def test_each_show_all_link_keeps_the_other_list_whole(client, viewer, focal, action):
    report(action, focal, [f"Step {n}." for n in range(1, 26)])
    client.force_login(viewer)

    text = page(client.get(action_url(action), {"history": "all"}))

    assert 'href="?updates=all&history=all#updates"' in text


def test_a_short_history_is_shown_whole_without_a_link(client, viewer, focal, action):
    report(action, focal, ["Hired the team."])
    client.force_login(viewer)

    response = client.get(action_url(action))

    assert 0 < history_rows(response) <= 20
    assert history_rows(response) == history_rows(
        client.get(action_url(action), {"history": "all"})
    )
    assert "Show the whole history" not in visible(response)


def test_the_page_runs_as_many_queries_for_many_updates_as_for_a_dozen(
    client, viewer, focal, evaluator, action
):
    def queries() -> int:
        client.get(action_url(action))  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(action_url(action)).status_code == 200
        return len(captured)

    def validated_updates(names: list[str]) -> None:
        for name in names:
            update = followup.update_submit(
                action=action, by=focal, status="in_progress", narrative=f"{name}.",
                links=[followup.EvidenceLink(url=f"https://example.org/{name.replace(' ', '-')}", label=name)],
            )  # fmt: skip
            followup.update_validate(update=update, by=evaluator)

    client.force_login(viewer)
    # A dozen validated updates already pass both limits (10 updates, 20 history entries).
    validated_updates([f"Step {n:02d}" for n in range(12)])
    dozen, dozen_size = queries(), len(client.get(action_url(action)).content)
    validated_updates([f"Step {n:02d}" for n in range(12, 42)])

    assert queries() == dozen
    # The page shows as many rows as before: only the figures in the links change.
    assert abs(len(client.get(action_url(action)).content) - dozen_size) < 20


def test_the_newest_history_entries_show_what_changed_even_when_the_previous_state_is_older(
    focal, evaluator, action
):
    report(action, focal, ["A.", "B.", "C.", "D.", "E."])
    # The newest record is D's, replaced by E: compared with D's record of before E's.

    whole = evaluation_selectors.action_history(action)
    newest = evaluation_selectors.action_history(action, limit=3)

    assert newest == whole[:3]
    assert newest[0].what == "Progress update"
    assert newest[0].changes  # what the validation changed, measured against the first record
    assert evaluation_selectors.action_history_count(action) == len(whole)
