"""The dashboard at scale: cached figures that still show every change at once, and a page
that lists only the evaluations most in need of attention."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.evaluations import services
from uptake.followup import services as followup
from uptake.reporting import forms, selectors

from .conftest import REPORT_DATE

pytestmark = pytest.mark.django_db

URL = reverse("reporting:dashboard")


def _overdue_shown(html: str) -> str:
    start = html.index('<dd data-figure="overdue">') + len('<dd data-figure="overdue">')
    return html[start : html.index("</dd>", start)]


def test_a_second_look_reads_the_figures_from_the_cache(client, viewer, world):
    client.force_login(viewer)
    params = {"report_date": REPORT_DATE.isoformat()}
    with CaptureQueriesContext(connection) as first:
        html_first = client.get(URL, params).content.decode()
    with CaptureQueriesContext(connection) as second:
        html_second = client.get(URL, params).content.decode()
    assert len(second) < len(first)
    assert not any("evaluations_action" in q["sql"] and "SUM(" in q["sql"] for q in second)
    assert _overdue_shown(html_second) == _overdue_shown(html_first)


def test_a_validation_shows_on_the_dashboard_at_once(client, viewer, world, focal, evaluator):
    client.force_login(viewer)
    params = {"report_date": REPORT_DATE.isoformat()}
    before = int(_overdue_shown(client.get(URL, params).content.decode()))
    overdue_action = world.a["a2"]  # overdue on the report date
    claim = followup.update_submit(
        action=overdue_action, by=focal, status="completed", narrative="Finished."
    )
    followup.update_validate(update=claim, by=evaluator)

    after = int(_overdue_shown(client.get(URL, params).content.decode()))
    assert after == before - 1


def test_an_edit_to_an_evaluation_changes_the_stamp(world, evaluator):
    stamp = selectors.figures_stamp()
    world.evaluation.refresh_from_db()
    services.evaluation_update(evaluation=world.evaluation, by=evaluator, program="Renamed")
    assert selectors.figures_stamp() != stamp


def test_the_page_lists_only_the_evaluations_with_the_most_overdue_actions(
    client, viewer, world, evaluator, committee, units, monkeypatch
):
    # A second followed evaluation, with nothing overdue.
    ev = services.evaluation_create(by=evaluator, title_en="Calm evaluation")
    rec = services.recommendation_create(evaluation=ev, by=evaluator, number="1", statement="Z.")
    resp = services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Y."
    )
    services.action_create(
        response=resp, by=evaluator, text="Act.", target_date_text="June 2040", deliverable="D"
    )
    services.evaluation_submit_for_approval(evaluation=ev, by=evaluator)
    services.evaluation_approve_response(evaluation=ev, by=committee)
    monkeypatch.setattr(selectors, "DASHBOARD_EVALUATION_ROWS", 1)
    client.force_login(viewer)

    html = client.get(URL, {"report_date": REPORT_DATE.isoformat()}).content.decode()

    assert "The 1 evaluations with the most overdue actions, of 2" in html
    assert "Known answers evaluation" in html  # the one with overdue actions
    assert "Calm evaluation" not in html.split("Figures in detail")[1].split("Trend across")[0]


def test_with_many_evaluations_the_filter_carries_the_one_chosen_from_its_page(
    client, viewer, world, monkeypatch
):
    monkeypatch.setattr(forms.DashboardFilterForm, "EVALUATION_CHOICES_LIMIT", 0)
    client.force_login(viewer)
    html = client.get(URL, {"evaluation": world.evaluation.pk}).content.decode()
    assert f'<input type="hidden" name="evaluation" value="{world.evaluation.pk}"' in html
    assert "<strong>Known answers evaluation</strong>" in html
    assert '<select name="evaluation"' not in html


def test_the_evaluation_page_links_to_its_figures(client, viewer, world):
    client.force_login(viewer)
    html = client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).content.decode()
    assert f'href="{URL}?evaluation={world.evaluation.pk}"' in html


def test_a_second_look_renders_nothing_again(client, viewer, world):
    """The second view of unchanged figures reads only the session, the person and the stamp:
    no figure, unit or fiscal-year query."""
    client.force_login(viewer)
    params = {"report_date": REPORT_DATE.isoformat()}
    html_first = client.get(URL, params).content.decode()
    with CaptureQueriesContext(connection) as second:
        html_second = client.get(URL, params).content.decode()
    tables = ("evaluations_action", "accounts_unit", "evaluations_evaluation")
    assert not any(table in q["sql"] for q in second for table in tables), [
        q["sql"][:80] for q in second
    ]
    assert _main(html_second) == _main(html_first)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_each_viewer_gets_their_own_header_around_the_shared_figures(
    client, viewer, committee, world
):
    params = {"report_date": REPORT_DATE.isoformat()}
    client.force_login(viewer)
    first = client.get(URL, params).content.decode()
    client.force_login(committee)
    second = client.get(URL, params).content.decode()
    assert _overdue_shown(second) == _overdue_shown(first)
    assert committee.username in second
    assert viewer.username not in second
    # Nothing tied to a session sits in the shared part: no form token, no hidden input
    # other than the filters'.
    assert "csrfmiddlewaretoken" not in _main(first)


def test_the_figures_follow_the_language(client, viewer, world):
    params = {"report_date": REPORT_DATE.isoformat()}
    client.force_login(viewer)
    english = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Implementation rate" in english
    assert "Implementation rate" not in french
    assert "Taux de mise en œuvre" in french or "taux de mise en œuvre" in french.lower()


def test_other_filters_are_rendered_apart(client, viewer, world, units):
    client.force_login(viewer)
    everything = client.get(URL, {"report_date": REPORT_DATE.isoformat()}).content.decode()
    one_unit = client.get(
        URL, {"report_date": REPORT_DATE.isoformat(), "unit": units["PRS"].pk}
    ).content.decode()
    assert f'<option value="{units["PRS"].pk}" selected>' in one_unit
    assert f'<option value="{units["PRS"].pk}" selected>' not in everything
