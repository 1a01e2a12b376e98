"""Target completion dates as people write them, and the day each one falls due.

Every expected date here is worked out by hand from the rules in the module docstring and
domain.md: a month ends on its last day; a Canadian fiscal year runs 1 April to 31 March, so
"2021-22" ends on 31 March 2022 and its quarters end on 30 June, 30 September, 31 December
(of the first year) and 31 March (of the second); fall ends on 31 December.
"""

from __future__ import annotations

import datetime

import pytest

from uptake.evaluations.models import TargetKind
from uptake.evaluations.target_dates import parse_target_date, written_in

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Month and year: the last day of the month.
        ("June 2021", D(2021, 6, 30)),
        ("February 2024", D(2024, 2, 29)),  # a leap year
        ("February 2023", D(2023, 2, 28)),
        ("Sept. 2022", D(2022, 9, 30)),
        # Fiscal quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar of the next year.
        ("Q1 2021-22", D(2021, 6, 30)),
        ("Q2 2021-22", D(2021, 9, 30)),
        ("Q3 2021-22", D(2021, 12, 31)),
        ("Q4 2021-22", D(2022, 3, 31)),
        ("Q4 FY 2021-22", D(2022, 3, 31)),
        # Fiscal years end on 31 March of their second year.
        ("2021-22", D(2022, 3, 31)),
        ("2021-2022", D(2022, 3, 31)),
        ("FY 2023-24", D(2024, 3, 31)),
        ("1999-00", D(2000, 3, 31)),
        # A full date, written the American or the British way.
        ("March 31, 2022", D(2022, 3, 31)),
        ("31 March 2022", D(2022, 3, 31)),
        ("2022-03-15", D(2022, 3, 15)),
        # Seasons: spring ends June 30, summer September 30, fall December 31.
        ("Fall 2023", D(2023, 12, 31)),
        ("Autumn 2023", D(2023, 12, 31)),
        ("Spring 2024", D(2024, 6, 30)),
        ("Summer 2024", D(2024, 9, 30)),
        # French.
        ("juin 2021", D(2021, 6, 30)),
        ("31 mars 2022", D(2022, 3, 31)),
        ("1er avril 2022", D(2022, 4, 1)),
        ("décembre 2021", D(2021, 12, 31)),
        ("Décembre 2021", D(2021, 12, 31)),
        ("février 2023", D(2023, 2, 28)),
        ("T3 2021-2022", D(2021, 12, 31)),
        ("T4 2021-2022", D(2022, 3, 31)),
        ("automne 2023", D(2023, 12, 31)),
        ("exercice 2022-2023", D(2023, 3, 31)),
        # Words around the date do not matter.
        ("By June 2021", D(2021, 6, 30)),
        ("  june   2021 ", D(2021, 6, 30)),
        ("End of March 2022", D(2022, 3, 31)),
        # A bare year: its last day.
        ("2025", D(2025, 12, 31)),
    ],
)
def test_written_dates_fall_due_on_the_last_day_of_the_period(text, expected):
    target = parse_target_date(text)

    assert target.kind == TargetKind.DATE
    assert target.due_date == expected
    assert target.problem == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 2021 (interim report); March 2022 (final)", D(2022, 3, 31)),
        ("March 2022 (final), June 2021 (interim)", D(2022, 3, 31)),
        ("Q1 2022-23 and Q3 2022-23", D(2022, 12, 31)),
        ("31 mars 2022 et juin 2022", D(2022, 6, 30)),
    ],
)
def test_several_dates_fall_due_on_the_latest(text, expected):
    target = parse_target_date(text)

    assert target.kind == TargetKind.DATE
    assert target.due_date == expected


@pytest.mark.parametrize(
    "text", ["Ongoing", "ongoing", "ONGOING.", "En cours", "en cours", "En curso"]
)
def test_ongoing_has_no_due_date(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.ONGOING
    assert target.due_date is None
    assert target.problem == ""


@pytest.mark.parametrize("text", ["Completed", "Complete", "Already completed", "Terminé"])
def test_completed_has_no_due_date(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.COMPLETED
    assert target.due_date is None
    assert target.problem == ""


@pytest.mark.parametrize("text", ["February 30, 2022", "31 June 2021", "30 février 2023"])
def test_an_impossible_calendar_date_is_unparsed_and_named(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert text in target.problem
    assert "not a real calendar date" in target.problem


@pytest.mark.parametrize("text", ["2021-23", "Q3 2021-23", "2022-21"])
def test_non_consecutive_years_are_not_a_fiscal_year(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert text in target.problem
    assert "not a fiscal year" in target.problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Numbers only: a part above 12 can only be the day, so the order is known.
        ("31/03/2026", D(2026, 3, 31)),
        ("3/31/2026", D(2026, 3, 31)),
        ("31.03.2026", D(2026, 3, 31)),
        ("31-03-2026", D(2026, 3, 31)),
        ("15/1/2027", D(2027, 1, 15)),
        ("04/04/2026", D(2026, 4, 4)),  # the same either way
        # The year first is always year, month, day.
        ("2026/03/31", D(2026, 3, 31)),
        ("2026.3.9", D(2026, 3, 9)),
        ("due 31/03/2026 at the latest", D(2026, 3, 31)),
    ],
)
def test_a_date_in_numbers_falls_due_that_day_not_at_the_end_of_its_year(text, expected):
    target = parse_target_date(text)

    assert (target.kind, target.due_date, target.problem) == (TargetKind.DATE, expected, "")


@pytest.mark.parametrize(
    ("text", "one", "other"),
    [
        ("03/04/2026", "April 3, 2026", "March 4, 2026"),
        ("1/2/2027", "February 1, 2027", "January 2, 2027"),
        ("Report by 11.12.2025", "December 11, 2025", "November 12, 2025"),
    ],
)
def test_a_date_in_numbers_that_could_be_two_days_is_refused_naming_both(text, one, other):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert f"“{text}” could be {one} or {other}" in target.problem


@pytest.mark.parametrize("text", ["32/13/2026", "30/02/2026", "2026/02/30"])
def test_an_impossible_date_in_numbers_is_unparsed_and_named(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert f"“{text}” is not a real calendar date" in target.problem


@pytest.mark.parametrize(
    ("text", "part"),
    [("Q5 2025-26", "quarter"), ("Q0 2026", "quarter"), ("T7 2025-2026", "quarter"),
     ("H3 2025-26", "half")],
)  # fmt: skip
def test_a_quarter_or_half_the_year_does_not_have_is_refused(text, part):
    """Not read as the fiscal year beside it, which would hide the mistake."""
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert f"“{text}” names a {part} that does not exist" in target.problem


@pytest.mark.parametrize(
    "text", ["when funding allows", "TBD", "after the next planning cycle", "asap!!"]
)
def test_gibberish_is_unparsed_with_a_message_naming_it(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert text in target.problem
    # The message shows how to write a date that works.
    assert "June 2021" in target.problem


@pytest.mark.parametrize("text", ["", "   ", None])
def test_nothing_written_is_unparsed(text):
    target = parse_target_date(text)

    assert target.kind == TargetKind.UNPARSED
    assert target.due_date is None
    assert target.problem == "No target completion date was given."


@pytest.mark.parametrize(
    ("written", "language", "shown"),
    [
        ("June 2021", "fr", "juin 2021"),
        ("June 2021", "es", "junio de 2021"),
        ("juin 2021", "en", "June 2021"),
        ("junio de 2021", "fr", "juin 2021"),
        ("March 31, 2022", "fr", "31 mars 2022"),
        ("March 31, 2022", "es", "31 de marzo de 2022"),
        ("31 mars 2022", "en", "March 31, 2022"),
        ("1 de enero de 2025", "en", "January 1, 2025"),
        ("April 1, 2022", "fr", "1er avril 2022"),
        ("April 1, 2022", "es", "1 de abril de 2022"),
        ("Sept. 30, 2024", "fr", "30 septembre 2024"),
        ("Fall 2023", "fr", "automne 2023"),
        ("autumn 2023", "es", "otoño de 2023"),
        ("hiver 2024", "en", "Winter 2024"),
        ("Ongoing", "fr", "En cours"),
        ("en cours", "en", "Ongoing"),
        ("Completed.", "es", "Completada"),
        # A fiscal quarter: Q in English, T (trimestre) in French and Spanish.
        ("Q3 2021-22", "fr", "T3 2021-22"),
        ("Q4 FY 2023-24", "es", "T4 2023-24"),
        ("T1 2022-2023", "en", "Q1 2022-2023"),
    ],
)
def test_a_single_date_is_shown_in_the_readers_language(written, language, shown):
    assert written_in(written, language) == shown


@pytest.mark.parametrize(
    ("written", "language"),
    [
        ("June 2021", "en"),  # already in the reader's language: kept as typed
        ("Juin 2021", "fr"),
        ("31 de marzo de 2022", "es"),
        ("Q3 2021-22", "en"),
        ("T3 2021-2022", "fr"),
        ("T3 2021-2022", "es"),
        ("2021-22", "es"),
        ("2022-03-31", "fr"),
        ("June 2021 (interim)", "fr"),  # words around the date
        ("June 2021; March 2022", "fr"),  # several dates
        ("By June 2021", "fr"),
        ("June 31, 2021", "fr"),  # not a real day
        ("permanent", "en"),  # the same word in English and French
        ("", "fr"),
    ],
)
def test_anything_else_is_shown_as_written(written, language):
    assert written_in(written, language) == written
