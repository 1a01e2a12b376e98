"""Property-based tests of the target-date parser: any text is read without an exception, and
plausible-but-odd phrases fall due on the day the written rules give.

The rules (module docstring of target_dates, domain.md, test_target_dates.py): a month ends on
its last day; a Canadian fiscal year "2021-22" runs 1 April to 31 March, its quarters end on
30 June, 30 September, 31 December and 31 March; spring ends 30 June, summer 30 September,
fall 31 December, winter 31 March; a bare year on 31 December; several dates fall due on the
latest; an impossible day or two years that do not follow each other are not understood.
Every expectation below is worked out from those rules with plain calendar arithmetic.

Profiles: `uptake-fuzz` (the default, a couple of hundred examples a property) and
`uptake-fuzz-deep` (HYPOTHESIS_PROFILE=deep, thousands) for a long run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from uptake.evaluations.models import TargetKind
from uptake.evaluations.target_dates import parse_target_date, written_in
from uptake.tests.fuzz import FUZZ

# Any date the parser can produce: years are read from 1900 to 2099, and the fiscal year
# 2099-00 ends in 2100.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)

UNPARSED = "unparsed"  # the expectation for a phrase that names an impossible date

# Month names as written, by month number: English, abbreviations, French (with and
# without accents), Spanish.
MONTH_NAMES: dict[int, list[str]] = {
    1: ["January", "Jan", "Jan.", "janvier", "janv.", "enero"],
    2: ["February", "Feb", "Feb.", "février", "fevrier", "févr.", "febrero"],
    3: ["March", "Mar", "Mar.", "mars", "marzo"],
    4: ["April", "Apr", "Apr.", "avril", "avr.", "abril"],
    5: ["May", "mai", "mayo"],
    6: ["June", "Jun", "Jun.", "juin", "junio"],
    7: ["July", "Jul", "Jul.", "juillet", "juil.", "julio"],
    8: ["August", "Aug", "Aug.", "août", "aout", "agosto"],
    9: ["September", "Sept.", "Sep", "septembre", "septiembre", "setiembre"],
    10: ["October", "Oct", "Oct.", "octobre", "octubre"],
    11: ["November", "Nov", "Nov.", "novembre", "noviembre"],
    12: ["December", "Dec", "Dec.", "décembre", "decembre", "diciembre"],
}
SEASON_END_MONTH = {
    "spring": 6, "printemps": 6, "primavera": 6,
    "summer": 9, "été": 9, "verano": 9,
    "fall": 12, "autumn": 12, "automne": 12, "otoño": 12,
    "winter": 3, "hiver": 3, "invierno": 3,
}  # fmt: skip
ONGOING = ["Ongoing", "En cours", "en continu", "Continuo", "permanent"]
COMPLETED = ["Completed", "Complete", "Already completed", "Terminé", "Terminée", "Achevé"]
# Words people write around a date; none of them names a month, season or year.
PREFIXES = ["", "By ", "Target: ", "d'ici ", "(approx.) ", "Due "]
SUFFIXES = ["", ".", " (interim)", " approx.", " *"]
SEPARATORS = ["; ", ", revised to ", " and ", " et ", " then ", "\n"]
# Runs of white space that may stand for one space: tabs, no-break and thin spaces, newlines.
SPACES = [" ", "  ", "\t", "\u00a0", "\u2009", "\u202f", " \n "]

years = st.integers(min_value=1900, max_value=2098)
any_year = st.integers(min_value=0, max_value=99_999)
months = st.integers(min_value=1, max_value=12)
days = st.integers(min_value=0, max_value=99)


def last_day(year: int, month: int) -> datetime.date:
    """The last day of MONTH: the day before the first of the next month."""
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def real_date(year: int, month: int, day: int) -> datetime.date | str:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return UNPARSED


@dataclass(frozen=True)
class Phrase:
    text: str
    expected: datetime.date | str  # a date, or UNPARSED


@st.composite
def month_name(draw: st.DrawFn, month: int) -> str:
    return draw(st.sampled_from(MONTH_NAMES[month]))


@st.composite
def month_year(draw: st.DrawFn) -> Phrase:
    year, month = draw(years), draw(months)
    name = draw(month_name(month))
    form = draw(st.sampled_from(["{m} {y}", "{m}, {y}", "{m} de {y}"]))
    return Phrase(form.format(m=name, y=year), last_day(year, month))


@st.composite
def full_date(draw: st.DrawFn) -> Phrase:
    year, month, day = draw(years), draw(months), draw(days)
    name = draw(month_name(month))
    form = draw(
        st.sampled_from(
            [
                "{m} {d}, {y}",
                "{m} {d} {y}",
                "{m} {d}th, {y}",
                "{d} {m} {y}",
                "{d}er {m} {y}",
                "{d} de {m} de {y}",
                "{y:04d}-{n:02d}-{d:02d}",
            ]  # fmt: skip
        )
    )
    if form.startswith("{y"):
        # ISO dates: two-digit months from 00 to 19, so that some are impossible too.
        month = draw(st.integers(min_value=0, max_value=19))
    text = form.format(m=name, d=day, y=year, n=month)
    return Phrase(text, real_date(year, month, day))


def _fiscal(year: int, second_gap: int, form: str) -> tuple[str, bool]:
    """A fiscal year written from YEAR and a second year SECOND_GAP later; consecutive or not."""
    second = year + second_gap
    written = {
        "short": f"{year}-{second % 100:02d}",
        "long": f"{year}-{second}",
        "slash": f"{year}/{second}",
        "dash": f"{year}–{second % 100:02d}",
    }[form]
    return written, second_gap == 1


fiscal_forms = st.sampled_from(["short", "long", "slash", "dash"])
fiscal_prefixes = st.sampled_from(["", "FY", "FY ", "fiscal year ", "exercice "])


@st.composite
def fiscal_year(draw: st.DrawFn) -> Phrase:
    year = draw(years)
    gap = draw(st.sampled_from([1, 1, 1, 0, 2, 3, 10]))
    written, consecutive = _fiscal(year, gap, draw(fiscal_forms))
    text = draw(fiscal_prefixes) + written
    return Phrase(text, datetime.date(year + 1, 3, 31) if consecutive else UNPARSED)


@st.composite
def fiscal_quarter(draw: st.DrawFn) -> Phrase:
    year = draw(years)
    quarter = draw(st.integers(min_value=1, max_value=4))
    gap = draw(st.sampled_from([1, 1, 1, 2]))
    written, consecutive = _fiscal(year, gap, draw(fiscal_forms))
    form = draw(
        st.sampled_from(
            [
                "Q{q} {f}",
                "Q{q} FY{f}",
                "T{q} {f}",
                "Q{q} of FY {f}",
                "Quarter {q} {f}",
                "trimestre {q} {f}",
            ]
        )  # fmt: skip
    )
    # April-June, July-September, October-December of the first year; January-March after.
    ends = {1: (year, 6), 2: (year, 9), 3: (year, 12), 4: (year + 1, 3)}[quarter]
    expected = last_day(*ends) if consecutive else UNPARSED
    return Phrase(form.format(q=quarter, f=written), expected)


@st.composite
def season(draw: st.DrawFn) -> Phrase:
    year = draw(years)
    word = draw(st.sampled_from(sorted(SEASON_END_MONTH)))
    return Phrase(f"{word} {year}", last_day(year, SEASON_END_MONTH[word]))


@st.composite
def bare_year(draw: st.DrawFn) -> Phrase:
    year = draw(years)
    return Phrase(str(year), datetime.date(year, 12, 31))


one_phrase = st.one_of(month_year(), full_date(), fiscal_year(), fiscal_quarter(), season(),
                       bare_year())  # fmt: skip


@st.composite
def combined(draw: st.DrawFn) -> Phrase:
    """One to three phrases joined as people revise a date: due on the latest, or not
    understood when any of them is impossible."""
    parts = draw(st.lists(one_phrase, min_size=1, max_size=3))
    text = parts[0].text
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part.text
    expectations = [p.expected for p in parts]
    if UNPARSED in expectations:
        expected: datetime.date | str = UNPARSED
    else:
        expected = max(e for e in expectations if isinstance(e, datetime.date))
    return Phrase(
        draw(st.sampled_from(PREFIXES)) + text + draw(st.sampled_from(SUFFIXES)), expected
    )


@st.composite
def odd_spacing_and_case(draw: st.DrawFn, text: str) -> str:
    """TEXT with each letter in a random case and each space a random run of white space."""
    out = []
    for char in text:
        if char == " ":
            out.append(draw(st.sampled_from(SPACES)))
        elif char.isalpha() and draw(st.booleans()):
            out.append(char.swapcase())
        else:
            out.append(char)
    return "".join(out)


@st.composite
def out_of_range(draw: st.DrawFn) -> str:
    """A phrase with a year outside 1900-2099 (0 to 99999)."""
    year = draw(any_year.filter(lambda y: not 1900 <= y <= 2099))
    form = draw(st.sampled_from(["{m} {y}", "{m} 15, {y}", "15 {m} {y}", "Q3 {y}", "fall {y}",
                                 "{y}"]))  # fmt: skip
    return form.format(m=draw(month_name(draw(months))), y=year)


# Text that looks like dates with pieces swapped around: the parser's own vocabulary.
PIECES = [
    "Q", "T", "H", "S", "FY", "fy", "Q3", "Q4", "of", "de", "l'", "-", "/", "–", ",", ".", " ",
    "\u00a0", "\t", "\n", "19", "20", "21", "00", "99", "2021", "2099", "1900", "1899", "2100",
    "31", "30", "29", "0", "1er", "st", "th", "June", "juin", "Sept.", "févr", "mars", "mar",
    "fall", "hiver", "été", "early", "mid", "mi", "late", "end of", "fin", "début", "ongoing",
    "en cours", "completed", "terminé", "exercice", "fiscal year", "trimestre", "quarter",
    "é", "\u0301", "ß", "İ", "ﬁ", "２０２１", "٢٠٢١", "①", "²",
]  # fmt: skip
pieces_text = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def assert_well_formed(text: str) -> None:
    target = parse_target_date(text)
    assert target.kind in TargetKind.values
    if target.kind == TargetKind.DATE:
        assert isinstance(target.due_date, datetime.date)
        assert EARLIEST <= target.due_date <= LATEST
        assert target.problem == ""
    else:
        assert target.due_date is None
    if target.kind == TargetKind.UNPARSED:
        assert target.problem.endswith(".")
        if target.problem == "No target completion date was given.":
            # Blank, or only marks with nothing to read (a lone combining accent).
            assert not any(c.isalnum() for c in text)
        else:
            assert text in target.problem  # the message quotes what was written
    else:
        assert target.problem == ""


@FUZZ
@given(st.one_of(st.text(), pieces_text, out_of_range().map(str)))
def test_any_text_gives_a_kind_and_a_sane_date_without_raising(text: str) -> None:
    assert_well_formed(text)


@FUZZ
@given(st.one_of(st.text(max_size=60), pieces_text, combined().map(lambda p: p.text)))
def test_reading_is_deterministic(text: str) -> None:
    assert parse_target_date(text) == parse_target_date(text)


@FUZZ
@given(
    st.one_of(st.text(max_size=60), pieces_text, combined().map(lambda p: p.text)),
    st.sampled_from(SPACES),
    st.sampled_from(SPACES),
)
def test_white_space_around_the_text_does_not_matter(text: str, before: str, after: str) -> None:
    plain, padded = parse_target_date(text), parse_target_date(before + text + after)
    assert (padded.kind, padded.due_date) == (plain.kind, plain.due_date)


@FUZZ
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127)), pieces_text))
def test_letter_case_does_not_matter(text: str) -> None:
    lower, swapped = parse_target_date(text), parse_target_date(text.swapcase())
    assert (swapped.kind, swapped.due_date) == (lower.kind, lower.due_date)


@FUZZ
@given(st.data())
def test_a_written_date_falls_due_on_the_day_the_rules_give(data: st.DataObject) -> None:
    phrase = data.draw(combined())
    text = data.draw(odd_spacing_and_case(phrase.text))

    target = parse_target_date(text)

    if phrase.expected == UNPARSED:
        assert (target.kind, target.due_date) == (TargetKind.UNPARSED, None)
        assert text in target.problem
    else:
        assert (target.kind, target.due_date, target.problem) == (
            TargetKind.DATE,
            phrase.expected,
            "",
        )


@FUZZ
@given(st.data())
def test_a_year_outside_1900_to_2099_is_not_read_as_a_date(data: st.DataObject) -> None:
    text = data.draw(odd_spacing_and_case(data.draw(out_of_range())))

    target = parse_target_date(text)

    assert (target.kind, target.due_date) == (TargetKind.UNPARSED, None)
    assert text in target.problem


@FUZZ
@given(st.data())
def test_ongoing_and_completed_are_read_however_written(data: st.DataObject) -> None:
    kind, word = data.draw(
        st.one_of(
            st.sampled_from(ONGOING).map(lambda w: (TargetKind.ONGOING, w)),
            st.sampled_from(COMPLETED).map(lambda w: (TargetKind.COMPLETED, w)),
        )
    )
    written = data.draw(st.sampled_from(["", "(", "Status: "])) + word
    written += data.draw(st.sampled_from(["", ".", "!", ")", " - see notes"]))
    text = data.draw(odd_spacing_and_case(written))

    target = parse_target_date(text)

    assert (target.kind, target.due_date, target.problem) == (kind, None, "")


def test_the_second_half_of_a_fiscal_year_is_not_read_as_a_day_of_the_next_line():
    """Found by the property above: "2020-21" then "January 2020" on the next line once
    read as "21 January 2020" and lost the fiscal year."""
    target = parse_target_date("2020; 2020-21\nJanuary 2020")
    assert target.due_date == datetime.date(2021, 3, 31)
    assert parse_target_date("21 January 2020").due_date == datetime.date(2020, 1, 21)


LANGUAGES = ["en", "fr", "es"]


@FUZZ
@given(st.data())
def test_a_date_shown_in_another_language_falls_due_on_the_same_day(data: st.DataObject) -> None:
    """Public pages show a target date in the reader's language ("juin 2021" for "June 2021"):
    whatever they show must read back to the day the plan set."""
    phrase = data.draw(st.one_of(one_phrase, combined()))
    text = data.draw(odd_spacing_and_case(phrase.text))
    language = data.draw(st.sampled_from(LANGUAGES))

    shown = written_in(text, language)

    assert (parse_target_date(shown).kind, parse_target_date(shown).due_date) == (
        parse_target_date(text).kind,
        parse_target_date(text).due_date,
    )


@FUZZ
@given(st.data())
def test_ongoing_and_completed_keep_their_meaning_in_every_language(data: st.DataObject) -> None:
    word = data.draw(st.sampled_from(ONGOING + COMPLETED))
    language = data.draw(st.sampled_from(LANGUAGES))

    shown = written_in(word, language)

    assert parse_target_date(shown).kind == parse_target_date(word).kind


@FUZZ
@given(
    st.one_of(st.text(max_size=60), pieces_text, combined().map(lambda p: p.text)),
    st.sampled_from(LANGUAGES),
)
def test_showing_a_date_in_a_language_twice_changes_nothing_more(text: str, language: str) -> None:
    once = written_in(text, language)

    assert written_in(once, language) == once
