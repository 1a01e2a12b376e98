"""Long lists stay readable and complete: a digest names the first few of each list, counts
them all and links to My actions, where the "Owed in this round" view lists every action owed."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.followup import services as followup
from uptake.reporting import reminders, selectors, services
from uptake.reporting.templatetags import reporting as tags

pytestmark = pytest.mark.django_db

MY_ACTIONS = reverse("followup:my_actions")


def _open_round(by):
    return services.round_open(
        by=by, name="Fall round", deadline=timezone.localdate() + datetime.timedelta(days=20)
    )


def _digests(focal, monkeypatch, shown: int):
    """FOCAL's digest in full, then with every list shortened to SHOWN."""
    whole = selectors.reminder_digest(focal)
    monkeypatch.setattr(selectors, "DIGEST_LIST_SHOWN", shown)
    return whole, selectors.reminder_digest(focal)


def test_a_digest_names_the_first_of_each_list_and_counts_them_all(
    world, evaluator, focal, monkeypatch, settings
):
    settings.UPTAKE_BASE_URL = "https://uptake.example.org"
    _open_round(evaluator)
    whole, short = _digests(focal, monkeypatch, shown=1)
    assert len(whole.overdue.items) >= 2 and len(whole.owed.items) >= 2  # the world has them

    for name, query in (("overdue", "show=overdue"), ("owed", "show=owed")):
        full, cut = getattr(whole, name), getattr(short, name)
        assert cut.items == full.items[:1]
        assert cut.total == len(full.items) and cut.more == len(full.items) - 1
    every = {a.pk for a in (*whole.overdue, *whole.due_soon, *whole.owed)}
    assert short.action_count == whole.action_count == len(every)

    message = reminders.digest_message(short)
    text = message.body
    html = message.alternatives[0][0]
    overdue_more = len(whole.overdue.items) - 1
    owed_more = len(whole.owed.items) - 1
    assert f"OVERDUE ({len(whole.overdue.items)})" in text
    assert f"<h2>Overdue ({len(whole.overdue.items)})</h2>" in html
    base = f"https://uptake.example.org{MY_ACTIONS}"
    for more, query in ((overdue_more, "show=overdue"), (owed_more, "show=owed")):
        assert f"… and {more} more. See them all on My actions: {base}?{query}" in text
        assert re.search(rf"… and {more} more\. <a href=\"{re.escape(base)}\?{query}\">", html)
    # The one named is the most overdue; the next is left out.
    second = whole.overdue.items[1]
    assert whole.overdue.items[0].get_absolute_url() in text
    assert second.get_absolute_url() not in text
    assert f"{len(every)} actions need your attention" in message.subject


def test_a_digest_whose_lists_are_short_says_nothing_of_more(world, evaluator, focal, monkeypatch):
    _open_round(evaluator)
    whole, same = _digests(focal, monkeypatch, shown=50)
    assert same == whole
    assert "more. See them all" not in reminders.digest_message(same).body


def _tabs(page: str) -> list[str]:
    nav = page[page.index('<nav class="tabs"') : page.index("</nav>", page.index('class="tabs"'))]
    return re.findall(r'href="\?show=(\w+)"', nav)


def _listed(page: str) -> set[int]:
    table = page[page.index("<tbody>") : page.index("</tbody>")] if "<tbody>" in page else ""
    return {int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', table)}


def test_my_actions_offers_what_is_owed_only_while_a_round_is_open(client, world, focal, evaluator):
    client.force_login(focal)
    closed = client.get(MY_ACTIONS, {"show": "owed"}).content.decode()
    assert "owed" not in _tabs(closed)
    # With no round the view falls back to the open actions, and says so by its tab.
    assert 'href="?show=open" aria-current="page"' in closed

    _open_round(evaluator)
    page = client.get(MY_ACTIONS, {"show": "owed"}).content.decode()

    assert "owed" in _tabs(page)
    assert 'href="?show=owed" aria-current="page"' in page
    assert _listed(page) == {a.pk for a in selectors.owed_by_user(focal)}


def test_the_owed_panel_links_to_the_full_list_and_the_export_matches_it(
    client, world, focal, evaluator, monkeypatch
):
    _open_round(evaluator)
    owed = {a.pk for a in selectors.owed_by_user(focal)}
    monkeypatch.setattr(tags, "OWED_SHOWN", 1)
    client.force_login(focal)

    page = client.get(MY_ACTIONS).content.decode()

    panel = page[page.index('id="owed-title"') : page.index("</section>", page.index("owed-title"))]
    assert f'href="{MY_ACTIONS}?show=owed"' in panel
    export = client.get(reverse("reporting:export_actions"), {"mine": 1, "show": "owed"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert {int(row["id"]) for row in rows} == owed


def test_the_owed_view_takes_as_many_queries_whatever_is_owed(client, world, focal, evaluator):
    _open_round(evaluator)
    client.force_login(focal)
    with CaptureQueriesContext(connection) as many:
        assert client.get(MY_ACTIONS, {"show": "owed"}).status_code == 200
    answered = next(iter(selectors.owed_by_user(focal)))
    followup.update_submit(action=answered, by=focal, status="in_progress", narrative="On it.")
    with CaptureQueriesContext(connection) as fewer:
        page = client.get(MY_ACTIONS, {"show": "owed"}).content.decode()
    assert answered.pk not in _listed(page)
    assert len(fewer) == len(many)


def test_the_owed_export_is_empty_not_an_error_once_the_round_is_closed(
    client, world, focal, evaluator
):
    round_ = _open_round(evaluator)
    services.round_close(round_=round_, by=evaluator)
    client.force_login(focal)

    for fmt in ("csv", "json", "xlsx"):
        export = client.get(
            reverse("reporting:export_actions"), {"mine": 1, "show": "owed", "format": fmt}
        )
        assert export.status_code == 200, fmt
    body = client.get(
        reverse("reporting:export_actions"), {"mine": 1, "show": "owed", "format": "csv"}
    ).getvalue()
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert list(rows) == [] and "id" in rows.fieldnames
