"""The public list names units in the reader's language, and the public page's response
sections each have a name of their own."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import translation

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation
from uptake.publishing.services import publication_publish

HWP_FR = "Programme de l'eau des hautes terres"  # as the bilingual_evaluation fixture names it


@pytest.fixture(autouse=True)
def fresh_pages():
    caches["pages"].clear()


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def text_of(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def unit_options(page: str) -> dict[str, str]:
    """The unit filter's options: value → label."""
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no unit filter"
    return {
        value: text_of(label)
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select[1])
    }


def units_column(page: str) -> list[str]:
    """The "Responsible units" cell of each row (the table's last column)."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    assert body, "no table"
    return [
        text_of(row.rsplit("<td>", 1)[1]) for row in re.findall(r"<tr>(.*?)</tr>", body[1], re.S)
    ]


def test_the_unit_filter_offers_english_names_with_codes(
    client: Client, bilingual_evaluation, evaluator, units
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)

    page = client.get(url("public:index", "en")).content.decode()

    options = unit_options(page)
    expected = {code: f"{units[code].name_en} ({code})" for code in ("HWP", "QTO-DA", "PRS")}
    assert {value: label for value, label in options.items() if value} == expected
    # In the order of the names, not of the codes.
    labels = [label for value, label in options.items() if value]
    assert labels == sorted(expected.values(), key=str.casefold)


def test_the_unit_filter_offers_french_names_where_units_have_one(
    client: Client, bilingual_evaluation, evaluator, units
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)

    options = unit_options(client.get(url("public:index", "fr")).content.decode())

    assert options["HWP"] == f"{HWP_FR} (HWP)"
    # No French name: the English one.
    assert options["PRS"] == f"{units['PRS'].name_en} (PRS)"


def test_filtering_by_a_named_unit_still_goes_by_its_code(
    client: Client, bilingual_evaluation, evaluator
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)

    page = client.get(url("public:index", "en"), {"unit": "PRS"}).content.decode()

    assert bilingual_evaluation.title_en in page
    assert "is not one of the choices" not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_responsible_units_column_names_each_unit(
    client: Client, bilingual_evaluation, evaluator, units, language
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)

    page = client.get(url("public:index", language)).content.decode()

    hwp = HWP_FR if language == "fr" else units["HWP"].name_en
    cell = units_column(page)[0]
    for name in (
        f"{hwp} (HWP)",
        f"{units['PRS'].name_en} (PRS)",
        f"{units['QTO-DA'].name_en} (QTO-DA)",
    ):
        assert name in cell


def _evaluation_answered_twice_by_one_unit(evaluator, committee, units) -> Evaluation:
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of a road program")
    for number in ("1", "2"):
        rec = services.recommendation_create(
            evaluation=evaluation, by=evaluator, number=number, statement=f"Fix road {number}."
        )
        response = services.response_create(
            recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
            commitment="Yes.",
        )  # fmt: skip
        services.action_create(
            response=response, by=evaluator, text=f"Fix road {number} first.",
            target_date_text="June 2030", deliverable="Report",
        )  # fmt: skip
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    return evaluation


def section_names(page: str) -> list[str]:
    """Each <section>'s accessible name, from the elements its aria-labelledby lists."""
    names = []
    for ids in re.findall(r'<section [^>]*aria-labelledby="([^"]+)"', page):
        parts = []
        for id_ in ids.split():
            element = re.search(rf'<(\w+) [^>]*id="{re.escape(id_)}"[^>]*>(.*?)</\1>', page, re.S)
            assert element, f"aria-labelledby names a missing id: {id_}"
            parts.append(text_of(element[2]))
        names.append(" ".join(parts))
    return names


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_section_of_the_public_page_has_a_name_of_its_own(
    client: Client, evaluator, committee, units, language
) -> None:
    evaluation = _evaluation_answered_twice_by_one_unit(evaluator, committee, units)
    slug = publication_publish(evaluation=evaluation, by=evaluator).slug

    page = client.get(url("public:response", language, slug)).content.decode()

    names = section_names(page)
    # Two recommendations, each with HWP's response.
    assert len(names) == 4
    assert len(set(names)) == len(names), names
    hwp_sections = [name for name in names if name.endswith("(HWP)")]
    assert len(hwp_sections) == 2
    assert "Fix road 1." in hwp_sections[0] and "Fix road 2." in hwp_sections[1]
