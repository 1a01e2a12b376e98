"""The dashboard's charts write their numbers as the page's language does, like the figures
beside them, and keep a readable size inside a region that scrolls on a phone."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils import translation

from uptake.evaluations import services
from uptake.followup import services as followup
from uptake.reporting.charts import bar_chart

pytestmark = pytest.mark.django_db

URL = reverse("reporting:dashboard")
NARROW_SPACE = "\u202f"


@pytest.fixture
def one_of_three_validated(evaluator, committee, focal, units):
    """Three HWP actions due in June 2021; one validated: an implementation rate of 1/3."""
    evaluation = services.evaluation_create(by=evaluator, title_en="Evaluation of wells")
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Repair the wells."
    )
    response = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree",
        commitment="The program agrees.",
    )  # fmt: skip
    actions = [
        services.action_create(
            response=response,
            by=evaluator,
            text=f"Repair well {n}.",
            target_date_text="June 2021",
            deliverable="Report",
        )  # fmt: skip
        for n in (1, 2, 3)
    ]
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    update = followup.update_submit(
        action=actions[0], by=focal, status="completed", narrative="Repaired."
    )
    followup.update_validate(update=update, by=evaluator)
    return evaluation


def chart_texts(html: str) -> list[str]:
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    return [
        htmllib.unescape(t) for svg in svgs for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    ]


def test_chart_labels_use_the_french_decimal_comma_like_the_summary(
    client, viewer, one_of_three_validated
) -> None:
    client.force_login(viewer)
    params = {"report_date": "2030-01-01"}
    french = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    rate = f"{100 / 3:.1f}"  # 33.3
    french_rate = rate.replace(".", ",")
    summary = re.search(r'<dd data-figure="implementation_rate">([^<]*)</dd>', french)
    assert summary and summary[1].startswith(french_rate)
    labels = chart_texts(french)
    assert f"{french_rate}{NARROW_SPACE}%" in labels
    assert not any(rate in label for label in labels)
    english = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{rate}{NARROW_SPACE}%" in chart_texts(english)


def test_a_bar_reads_its_value_in_the_active_language() -> None:
    with translation.override("fr"):
        chart = bar_chart("Taux", [("A", 66.7), ("B", None), ("C", 12)], maximum=100, suffix=" %")
    assert [bar.text for bar in chart.bars] == ["66,7 %", "—", "12 %"]
    with translation.override("en"):
        chart = bar_chart("Rate", [("A", 66.7)], maximum=100, suffix=" %")
    assert chart.bars[0].text == "66.7 %"


def test_each_chart_sits_in_a_named_region_that_the_keyboard_can_scroll(
    client, viewer, one_of_three_validated
) -> None:
    client.force_login(viewer)
    html = client.get(URL, {"report_date": "2030-01-01"}).content.decode()
    regions = re.findall(r'<div class="chart-scroll"([^>]*)>\s*<svg', html)
    assert regions, "the charts are drawn inside a scrolling region"
    for attrs in regions:
        assert 'role="region"' in attrs and 'tabindex="0"' in attrs
        assert re.search(r'aria-label="[^"]+"', attrs)
    assert 'aria-label="Implementation rate by unit"' in html


def test_evaluations_and_units_are_named_in_the_pages_language(
    client, committee, one_of_three_validated, units
):
    evaluation = one_of_three_validated
    evaluation.refresh_from_db()  # approved since the fixture made it
    evaluation.title_fr = "Évaluation des puits"
    evaluation.save()
    hwp = units["HWP"]
    hwp.name_fr = "Programme des eaux des hautes terres"
    hwp.save()
    client.force_login(committee)

    french = htmllib.unescape(client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    english = htmllib.unescape(client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    # In the filter's choices and in the table of figures by evaluation.
    assert french.count("Évaluation des puits") >= 2
    assert "Evaluation of wells" not in french
    assert english.count("Evaluation of wells") >= 2
    assert "Évaluation des puits" not in english
    assert f"{hwp.name_fr} ({hwp.code})" in french
    assert f"{hwp.name_en} ({hwp.code})" in english
