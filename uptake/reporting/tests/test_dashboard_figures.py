"""Every dashboard figure equals the one the plain-Python oracle computes from the rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Unit
from uptake.evaluations import services
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import Evaluation, Recommendation
from uptake.reporting.selectors import COUNT_FIELDS, DashboardFilters, dashboard

from .conftest import REPORT_DATE, oracle_figures, oracle_rows

pytestmark = pytest.mark.django_db


def _as_dict(figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in COUNT_FIELDS}


def _branch(unit: Unit) -> Unit:
    while unit.parent_id:
        unit = unit.parent
    return unit


def _fy(day: datetime.date | None) -> int | None:
    if day is None:
        return None
    return day.year if day.month >= 4 else day.year - 1


def assert_matches_oracle(report_date: datetime.date) -> None:
    board = dashboard(DashboardFilters(report_date=report_date))
    rows = oracle_rows(report_date)
    assert _as_dict(board.overall) == oracle_figures(rows)
    units = {u.pk: u for u in Unit.objects.all()}
    for figures in board.by_unit:
        assert _as_dict(figures) == oracle_figures([r for r in rows if r.unit_id == figures.key])
    assert {f.key for f in board.by_unit} == {r.unit_id for r in rows}
    for figures in board.by_branch:
        mine = [r for r in rows if _branch(units[r.unit_id]).pk == figures.key]
        assert _as_dict(figures) == oracle_figures(mine)
    for figures in board.by_evaluation:
        mine = [r for r in rows if r.evaluation_id == figures.key]
        assert _as_dict(figures) == oracle_figures(mine)
    for figures in board.by_fiscal_year:
        mine = [r for r in rows if _fy(r.action.due_date) == figures.key]
        assert _as_dict(figures) == oracle_figures(mine)
    recs = [
        r
        for r in Recommendation.objects.all()
        if r.evaluation.state in {"response_approved", "published", "in_follow_up", "closed"}
        and r.closure_reason not in {"not_accepted", "no_longer_applicable", "superseded"}
    ]
    assert board.recommendations.counted == len(recs)
    assert board.recommendations.implemented == sum(r.closure_reason == "implemented" for r in recs)


def test_the_known_answers_dataset_gives_the_known_answers(world):
    overall = dashboard(DashboardFilters(report_date=REPORT_DATE)).overall

    # Worked out by hand from the fixture's docstring.
    assert (overall.counted, overall.due, overall.validated_due) == (5, 4, 2)
    assert overall.implementation_rate == 50.0
    assert (overall.on_time_original, overall.due_by_original) == (1, 4)
    assert overall.on_time_original_rate == 25.0
    assert (overall.on_time_revised, overall.on_time_revised_rate) == (2, 50.0)
    assert overall.overdue == 2
    assert overall.ages == [("0-6", 1), ("6-12", 0), ("12-24", 0), ("24+", 1)]


def test_every_figure_matches_the_oracle_on_the_known_dataset(world):
    assert_matches_oracle(REPORT_DATE)
    assert_matches_oracle(datetime.date(2021, 12, 31))


def test_every_figure_matches_the_oracle_on_the_demo():
    load_demo()
    assert_matches_oracle(timezone.localdate())
    assert_matches_oracle(timezone.localdate() + datetime.timedelta(days=400))


def test_a_unit_filter_takes_its_sub_units(world, units):
    board = dashboard(DashboardFilters(unit_id=units["HWP"].pk, report_date=REPORT_DATE))
    rows = [
        r for r in oracle_rows(REPORT_DATE) if r.unit_id in (units["HWP"].pk, units["QTO-DA"].pk)
    ]
    assert _as_dict(board.overall) == oracle_figures(rows)


def test_fiscal_year_and_evaluation_filters_keep_only_their_actions(world):
    board = dashboard(
        DashboardFilters(
            fiscal_year=2021, evaluation_id=world.evaluation.pk, report_date=REPORT_DATE
        )
    )
    rows = [
        r
        for r in oracle_rows(REPORT_DATE)
        if r.action.due_date
        and datetime.date(2021, 4, 1) <= r.action.due_date <= datetime.date(2022, 3, 31)
    ]
    assert _as_dict(board.overall) == oracle_figures(rows)


def test_the_page_shows_the_figures_and_its_definitions(client, viewer, world):
    client.force_login(viewer)
    response = client.get(reverse("reporting:dashboard"), {"report_date": "2022-06-15"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd data-figure="implementation_rate">50.0 %</dd>' in html
    assert '<dd data-figure="overdue">2</dd>' in html
    assert "<svg" in html and "<caption" in html
    assert "How these figures are counted" in html
    assert "style=" not in html and "<script>" not in html


def test_the_page_takes_as_many_queries_whatever_the_number_of_actions(
    client, viewer, world, evaluator, committee, units
):
    client.force_login(viewer)
    url = reverse("reporting:dashboard")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        ev = services.evaluation_create(by=evaluator, title_en=f"More {n}")
        rec = services.recommendation_create(
            evaluation=ev, by=evaluator, number="1", statement="Z."
        )
        resp = services.response_create(
            recommendation=rec, by=evaluator, unit=units["PRS"], agreement="agree", commitment="Y."
        )
        for m in range(4):
            services.action_create(
                response=resp, by=evaluator, text=f"Act {m}.", target_date_text="June 2021",
                deliverable="D",
            )  # fmt: skip
        services.evaluation_submit_for_approval(evaluation=ev, by=evaluator)
        services.evaluation_approve_response(evaluation=ev, by=committee)
    assert Evaluation.objects.count() == 5
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_branch_filter_on_the_page_keeps_the_whole_branch(client, viewer, world, units):
    client.force_login(viewer)
    response = client.get(
        reverse("reporting:dashboard"),
        {"branch": units["GPB"].pk, "report_date": REPORT_DATE.isoformat()},
    )
    overdue = oracle_figures(oracle_rows(REPORT_DATE))["overdue"]  # every unit is under GPB
    assert f'<dd data-figure="overdue">{overdue}</dd>' in response.content.decode()
