"""propose_program: the program or country an evaluation is about, read from its title only
when the title names it clearly; an unclear title proposes nothing rather than a wrong guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptake.importer.parsing import ParsedDocument, parse_text
from uptake.importer.parsing.title import propose_program, split_title
from uptake.tests.fuzz import FUZZ

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # A country or region after "in" at the end of the subject.
        ("Evaluation of International Assistance Programming in Peru", "Peru"),
        ("Evaluation of Canada's Engagement in the Americas", "Americas"),
        ("Evaluation of Development Programming in the Democratic Republic of the Congo",
         "Democratic Republic of the Congo"),
        ("Evaluation of Development Assistance in Sub-Saharan Africa", "Sub-Saharan Africa"),
        ("Evaluation of the Philippines Program in the Philippines", "Philippines"),
        ("Evaluation of Humanitarian Programming in Haiti 2016-2021", "Haiti"),
        ("Évaluation de la programmation en Haïti", "Haïti"),
        ("Évaluation de la programmation internationale au Pérou (2013-2014 à 2018-2019)",
         "Pérou"),
        ("Évaluation du programme de coopération aux Philippines", "Philippines"),
        # A program named as such.
        ("Evaluation of the Highland Water Program", "Highland Water Program"),
        ("Evaluation of the Canada Prenatal Nutrition Program (CPNP)",
         "Canada Prenatal Nutrition Program"),
        ("Summative Evaluation of the Gender Equality Program, 2010-2015",
         "Gender Equality Program"),
        ("Evaluation of the Inuit Health Programme - September 2016", "Inuit Health Programme"),
        ("Évaluation du Programme de soutien aux langues officielles",
         "Programme de soutien aux langues officielles"),
        ("Évaluation sommative du Programme canadien de nutrition prénatale 2004-2009",
         "Programme canadien de nutrition prénatale"),
        # Unclear: nothing rather than a guess.
        ("Evaluation of Health Services in First Nations Communities", ""),
        ("Evaluation of the Action Plan for Official Languages in Canada", ""),
        ("Evaluation of Grants and Contributions under the Health Program", ""),
        ("Evaluation of the Program", ""),
        ("Evaluation of the Program in", ""),
        ("Évaluation du Programme de", ""),
        ("Formative evaluation of the Partnership for Gender Equality", ""),
        ("Audit of Physical Security at Health Canada - September 2016", ""),
        ("Joint UNDAF Evaluation", ""),
        ("Appendix B: Management Response and Action Plan", ""),
        ("Evaluation of Programming in Peru - Final Report", ""),
        ("Evaluation of the Water Program: Lessons, Costs and Results", ""),
        ("", ""),
        (None, ""),
    ],
)  # fmt: skip
def test_it_proposes_the_program_only_when_the_title_names_it(
    title: str | None, expected: str
) -> None:
    assert propose_program(title) == expected


def test_it_reads_the_evaluation_title_left_by_the_response_title() -> None:
    parts = split_title(
        "Management Response to the Recommendations of the Evaluation of Rural Water "
        "Programming in Bolivia (2015-16 - 2020-21)"
    )
    assert propose_program(parts.title) == "Bolivia"


def test_a_kept_upload_from_before_the_program_gets_one_proposed() -> None:
    kept = {
        "title": "Management Response: Evaluation of Development Programming in Ghana",
        "evaluation_title": "Evaluation of Development Programming in Ghana",
        "language": "en",
    }
    assert ParsedDocument.from_dict(kept).program == "Ghana"
    assert ParsedDocument.from_dict(kept | {"program": "Ghana and Togo"}).program == (
        "Ghana and Togo"
    )


# What a person reading each sample's title would fill in as its program or country, and
# whether the title names it clearly enough that the importer must propose it. Where it need
# not, the importer may propose nothing, but never anything else.
READ_BY_A_PERSON = {
    "seed-peru": ("Peru", True),
    "001": ("Partnership for Gender Equality", False),
    "004": ("Population Health Grants and Contributions", False),
    "007": ("", False),
    "010": ("", False),  # the title names only the appendix
    "012": ("Programme canadien de nutrition prénatale", True),
    "014": ("", False),  # an audit of two departments' security, not of a program
}


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not here")
@pytest.mark.parametrize("stem", sorted(READ_BY_A_PERSON))
def test_the_samples_get_what_a_reader_would_fill_in_or_nothing(stem: str) -> None:
    source = SAMPLES / f"{stem}.txt"
    if not source.is_file():
        pytest.skip(f"{source.name} is not here")
    expected, clear = READ_BY_A_PERSON[stem]
    program = parse_text(source.read_text(encoding="utf-8"), source_name=source.name).program
    if clear:
        assert program == expected
    else:
        assert program in ("", expected)


@FUZZ
@given(st.text())
def test_it_never_raises_on_any_text(title: str) -> None:
    assert isinstance(propose_program(title), str)


_WORDS = st.sampled_from(
    ["Evaluation", "évaluation", "of", "the", "du", "de", "la", "l’", "in", "en", "au", "aux",
     "Program", "Programme", "programme", "Peru", "Pérou", "Americas", "Canada", "Water",
     "(2013-14 - 2018-19)", "2004-2009", "-", "–", ":", ",", "(", ")", "September", "2016",
     "Congo", "Republic", "Democratic", ""]
)  # fmt: skip


@FUZZ
@given(st.lists(_WORDS, max_size=14))
def test_what_it_proposes_is_always_written_in_the_title(words: list[str]) -> None:
    title = " ".join(words)
    program = propose_program(title)
    assert program == "" or program[1:] in title
