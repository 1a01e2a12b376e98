"""What an evaluation's period and approval date may say (uptake.evaluations.checks)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from uptake.evaluations.checks import approval_date_problem, period_problem
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import Evaluation
from uptake.evaluations.synthetic import generate


@pytest.mark.parametrize(
    "period",
    [
        "2013-14 to 2018-19",
        "2013-14 – 2018-19",
        "2019-20",
        "2015 to 2020",
        "2013-2014 to 2018-2019",
        "2013-2014 à 2018-2019",
        "FY 2013-14 to FY 2018-19",
        "2015-2020",
        "1999-00 to 2003-04",
        "2019-20 to 2019-20",
        "",
    ],
)
def test_periods_written_as_fiscal_years_or_years_are_accepted(period):
    assert period_problem(period) == ""


def test_a_period_that_names_no_years_is_refused_with_examples():
    problem = period_problem("last year-ish")
    assert "“last year-ish” is not a period Uptake understands" in problem
    assert "2013-14 to 2018-19" in problem


@pytest.mark.parametrize("period", ["2018-19 to 2013-14", "2020 to 2015", "2019-20 to 2015"])
def test_a_period_that_ends_before_it_starts_is_refused(period):
    assert period_problem(period) == (
        "The period ends before it starts: give the earlier year first."
    )


@pytest.mark.parametrize("period", ["2013-15", "2013-14 to 2018-20", "2013-2015 to 2018-19"])
def test_a_fiscal_year_of_other_than_two_consecutive_years_is_refused(period):
    assert "is not a fiscal year: write two consecutive years" in period_problem(period)


@pytest.mark.parametrize("period", ["2013-14 to", "to 2015", "2013-14 and more", "20-21"])
def test_a_period_with_words_or_pieces_missing_is_refused(period):
    assert "is not a period Uptake understands" in period_problem(period)


def test_an_approval_date_may_be_today_or_earlier_but_not_later():
    today = datetime.date(2025, 5, 20)
    assert approval_date_problem(today, today) == ""
    assert approval_date_problem(datetime.date(2019, 1, 1), today) == ""
    assert approval_date_problem(None, today) == ""
    assert approval_date_problem(datetime.date(2025, 5, 21), today) == (
        "The approval date 2025-05-21 is in the future: give the day the evaluation was approved."
    )


def test_the_approval_date_is_compared_with_the_local_day_by_default():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "is in the future" in approval_date_problem(tomorrow)
    assert approval_date_problem(timezone.localdate()) == ""


@pytest.mark.django_db
def test_the_demo_and_generated_evaluations_pass_the_rules():
    assert load_demo() is True
    generate(evaluations=40, seed=17, rounds=False, add=True)
    rows = list(Evaluation.objects.values_list("period", "approval_date"))
    assert len(rows) > 40
    assert sum(1 for period, _day in rows if period) > 40  # the rules had periods to read
    assert [
        (period, day)
        for period, day in rows
        if period_problem(period) or approval_date_problem(day)
    ] == []
