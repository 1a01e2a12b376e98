"""The pages: strategies list (fixed query count), strategy, result and indicator pages,
forms, downloads, and the links between actions and results shown both ways."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from PIL import Image

from uptake.results import services
from uptake.results.models import ActionLink, ActualState, ActualUpdate, Result, Strategy

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def make_strategies(by, count: int) -> None:
    for n in range(count):
        strategy = services.strategy_create(
            by=by, kind="sector", title_en=f"Sector strategy {n:02d}", subject="Water",
            start_year=2024, end_year=2026,
        )  # fmt: skip
        root = services.result_create(strategy=strategy, by=by, statement_en=f"Ultimate {n}")
        services.indicator_create(result=root, by=by, text_en=f"Indicator {n}")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("results:strategy_list"))
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(client, viewer, evaluator):
    client.force_login(viewer)
    make_strategies(evaluator, 2)
    client.get(reverse("results:strategy_list"))
    few = _list_queries(client)
    make_strategies(evaluator, 20)
    assert _list_queries(client) == few


def test_list_shows_counts_and_filters_by_state(client, viewer, evaluator, committee):
    make_strategies(evaluator, 2)
    services.strategy_approve(
        strategy=Strategy.objects.get(title_en="Sector strategy 01"), by=committee
    )
    client.force_login(viewer)
    text = page(client.get(reverse("results:strategy_list"), {"state": "approved"}))
    assert "Sector strategy 01" in text
    assert "Sector strategy 00" not in text


def test_strategy_page_shows_tree_diagram_and_pmf(client, viewer, strategy, indicator):
    client.force_login(viewer)
    text = page(client.get(strategy.get_absolute_url()))
    assert "1110" in text and "Immediate one" in text
    svg = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    codes = re.findall(r'data-code="(\d+)"', svg)
    assert sorted(codes) == ["1000", "1100", "1110", "1111", "1112", "1200", "1210"]
    assert svg.count("<polyline") == 6  # one arrow per result with a parent
    assert "style=" not in svg
    assert "Number of boards trained" in text
    assert "2024-25" in text and "2026-27" in text


def test_strategy_page_query_count_does_not_grow_with_results(
    client, viewer, strategy, tree, indicator, evaluator
):
    client.force_login(viewer)
    url = strategy.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(4):
        extra = services.result_create(
            strategy=strategy,
            by=evaluator,
            statement_en=f"More {n}",
            parent=tree["i2"] if n < 2 else tree["m2"],
        )
        services.indicator_create(result=extra, by=evaluator, text_en=f"More indicator {n}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_diagram_downloads_as_svg_and_png(client, viewer, strategy, tree):
    client.force_login(viewer)
    svg = client.get(reverse("results:diagram_svg", args=[strategy.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    root = etree.fromstring(svg.content)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}rect")) == 1 + 7  # background + boxes
    png = client.get(reverse("results:diagram_png", args=[strategy.pk]))
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG"
    assert image.width == int(root.get("width")) * 2


def test_indicator_page_has_a_trend_chart_and_its_numbers(
    client, viewer, approved, indicator, periods, focal, evaluator
):
    update = services.actual_save(
        indicator=indicator, period=periods[0], by=focal, value=Decimal("17"),
        variance_explanation="Rains delayed training.", submit=True,
    )  # fmt: skip
    services.actual_approve(update=update, by=evaluator)
    client.force_login(viewer)
    text = page(client.get(indicator.get_absolute_url()))
    chart = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    assert chart.count('class="trend-target"') == 3
    assert chart.count('class="trend-actual"') == 1
    table = text[text.index("Targets and approved actuals by period") :]
    assert re.search(r"2024-25.*?20.*?17.*?-3.*?Rains delayed training\.", table, re.S)


def test_reporting_and_approving_an_actual_through_the_pages(
    client, approved, indicator, periods, focal, evaluator
):
    client.force_login(focal)
    url = reverse("results:actual_create", args=[indicator.pk])
    response = client.post(
        url, {"period": periods[0].pk, "value": "15", "variance_explanation": "", "submit": "1"}
    )
    assert "explain the variance" in page(response)
    assert not ActualUpdate.objects.exists()
    response = client.post(
        url,
        {
            "period": periods[0].pk,
            "value": "15",
            "variance_explanation": "Late start.",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    update = ActualUpdate.objects.get()
    assert update.state == ActualState.SUBMITTED
    client.force_login(evaluator)
    queue = page(client.get(reverse("results:actual_queue")))
    assert "Late start." in queue
    client.post(reverse("results:actual_approve", args=[update.pk]), {"comment": ""})
    update.refresh_from_db()
    assert update.state == ActualState.APPROVED


def test_locking_a_period_through_the_page(client, approved, periods, evaluator):
    client.force_login(evaluator)
    client.post(reverse("results:period_lock", args=[periods[0].pk]))
    periods[0].refresh_from_db()
    assert periods[0].locked and periods[0].locked_by == evaluator
    assert "locked" in page(client.get(approved.get_absolute_url()))


def test_creating_a_strategy_and_results_through_the_forms(client, evaluator):
    client.force_login(evaluator)
    response = client.post(reverse("results:strategy_create"), {
        "kind": "country", "title_en": "New strategy", "title_fr": "", "subject": "Peru",
        "country_code": "pe", "start_year": 2025, "end_year": 2029,
    })  # fmt: skip
    strategy = Strategy.objects.get(title_en="New strategy")
    assert response["Location"] == strategy.get_absolute_url()
    assert strategy.country_code == "PE"
    client.post(reverse("results:result_create", args=[strategy.pk]), {"statement_en": "Top"})
    top = Result.objects.get(strategy=strategy)
    client.post(reverse("results:result_create_child", args=[top.pk]), {"statement_en": "Middle"})
    assert sorted(Result.objects.filter(strategy=strategy).values_list("code", flat=True)) == [
        1000,
        1100,
    ]


def test_moving_through_the_form_renumbers(client, strategy, tree, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("results:result_move", args=[tree["o2"].pk]),
        {"parent": tree["m1"].pk, "position": 1},
    )
    assert response.status_code == 302
    tree["o2"].refresh_from_db()
    assert tree["o2"].code == 1111


def test_end_year_before_start_year_is_refused_on_the_form(client, evaluator):
    client.force_login(evaluator)
    response = client.post(reverse("results:strategy_create"), {
        "kind": "sector", "title_en": "Backwards", "subject": "Water", "start_year": 2027, "end_year": 2025,
    })  # fmt: skip
    assert "cannot come before" in page(response)
    assert not Strategy.objects.exists()


def test_import_page_lists_problems_by_row_and_column(client, strategy, evaluator):
    from .test_spreadsheets import workbook

    client.force_login(evaluator)
    file = workbook([(1, "Ultimate outcome", None, "Top", ""), (2, "Output", 7, "Lost", "")])
    file.name = "plan.xlsx"
    text = page(
        client.post(reverse("results:framework_import", args=[strategy.pk]), {"file": file})
    )
    assert "nothing was saved" in text
    assert re.search(r"<td[^>]*>Results</td><td[^>]*>3</td><td[^>]*>Parent code</td>", text)
    assert not Result.objects.exists()


def test_downloads_are_files(client, viewer, strategy, indicator):
    client.force_login(viewer)
    for name, kind in (
        ("export_xlsx", "spreadsheetml"),
        ("export_docx", "wordprocessingml"),
        ("export_iati", "application/xml"),
    ):
        response = client.get(reverse(f"results:{name}", args=[strategy.pk]))
        assert kind in response["Content-Type"]
        assert response["Content-Disposition"].startswith("attachment;")
    template = client.get(reverse("results:import_template"))
    assert template.content[:2] == b"PK"


def test_links_show_on_the_result_page_and_the_action_page(
    client, viewer, action, strategy, tree, indicator, evaluator
):
    client.force_login(evaluator)
    client.post(
        reverse("results:link_create", args=[tree["m1"].pk]),
        {"action": action.pk, "indicator": indicator.pk},
    )
    link = ActionLink.objects.get()
    assert (link.action, link.result, link.indicator) == (action, tree["m1"], indicator)
    client.post(
        reverse("results:link_create", args=[tree["m1"].pk]),
        {"recommendation": action.response.recommendation.pk},
    )
    client.force_login(viewer)
    result_page = page(client.get(tree["m1"].get_absolute_url()))
    assert action.text in result_page
    assert action.response.recommendation.statement in result_page
    action_page = page(client.get(reverse("followup:action", args=[action.pk])))
    assert "Expected results this action serves" in action_page
    assert "1110 Immediate one" in action_page


def test_an_action_without_links_shows_no_results_section(client, viewer, action):
    client.force_login(viewer)
    assert "Expected results this action serves" not in page(
        client.get(reverse("followup:action", args=[action.pk]))
    )


def test_unlinking_removes_the_link(client, action, tree, evaluator):
    link = services.action_link(action=action, result=tree["u"], by=evaluator)
    client.force_login(evaluator)
    client.post(reverse("results:action_unlink", args=[link.pk]))
    assert not ActionLink.objects.exists()


def test_linking_twice_is_refused(action, tree, evaluator):
    services.action_link(action=action, result=tree["u"], by=evaluator)
    with pytest.raises(services.ServiceError, match="already linked"):
        services.action_link(action=action, result=tree["u"], by=evaluator)


def test_an_indicator_of_another_result_is_refused(action, tree, indicator, evaluator):
    with pytest.raises(services.ServiceError, match="another result"):
        services.action_link(action=action, result=tree["u"], indicator=indicator, by=evaluator)


@pytest.fixture
def colleague(db):
    """A second member of the evaluation unit, the other key."""
    from conftest import make_user

    return make_user("colleague", "evaluation_unit")


def test_the_queue_shows_a_note_instead_of_buttons_on_ones_own_actual(
    client, approved, indicator, periods, evaluator, colleague
):
    update = services.actual_save(
        indicator=indicator, period=periods[0], by=evaluator, value=Decimal("20"), submit=True
    )
    approve_url = reverse("results:actual_approve", args=[update.pk])
    client.force_login(evaluator)
    own = page(client.get(reverse("results:actual_queue")))
    assert "you recorded or submitted this actual yourself" in own.lower()
    assert approve_url not in own
    assert approve_url not in page(client.get(indicator.get_absolute_url()))
    after = page(client.post(approve_url, {"comment": ""}, follow=True))
    assert "another member of the evaluation unit must review it" in after
    assert "Actual approved." not in after
    update.refresh_from_db()
    assert update.state == ActualState.SUBMITTED
    client.force_login(colleague)
    assert approve_url in page(client.get(reverse("results:actual_queue")))
    client.post(approve_url, {"comment": ""})
    update.refresh_from_db()
    assert (update.state, update.decided_by) == (ActualState.APPROVED, colleague)


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({"action": "99999"}, "No action has number 99999."),
        ({"action": "abc"}, "“abc” is not an action number"),
        ({"recommendation": "99999"}, "No recommendation has the identifier 99999."),
        ({}, "Choose an action or a recommendation."),
    ],
)
def test_a_bad_link_is_refused_with_its_own_reason(client, tree, evaluator, posted, expected):
    client.force_login(evaluator)
    url = reverse("results:link_create", args=[tree["m1"].pk])
    text = page(client.post(url, posted, follow=True))
    assert expected in text
    assert "Choose either" not in text
    assert not ActionLink.objects.exists()


def test_linking_with_an_indicator_of_another_result_says_so(
    client, action, tree, indicator, evaluator
):
    client.force_login(evaluator)
    url = reverse("results:link_create", args=[tree["u"].pk])  # indicator measures 1110
    text = page(client.post(url, {"action": action.pk, "indicator": indicator.pk}, follow=True))
    assert "That indicator belongs to another result." in text
    assert not ActionLink.objects.exists()


def test_linking_both_an_action_and_a_recommendation_is_refused(client, action, tree, evaluator):
    client.force_login(evaluator)
    url = reverse("results:link_create", args=[tree["m1"].pk])
    posted = {"action": action.pk, "recommendation": action.response.recommendation.pk}
    assert "not both" in page(client.post(url, posted, follow=True))
    assert not ActionLink.objects.exists()


def test_action_choices_are_cut_between_words(client, action, tree, evaluator):
    long_text = (
        "Revise the community water system design template so that maintenance is costed "
        "for twenty years"
    )
    type(action).objects.filter(pk=action.pk).update(text=long_text)
    client.force_login(evaluator)
    text = page(client.get(tree["m1"].get_absolute_url()))
    label = re.search(rf'<option value="{action.pk}"[^>]*>(.*?)</option>', text).group(1)
    shown = label.split(": ", 1)[1]
    assert shown.endswith("…")
    kept = shown.removesuffix("…")
    assert long_text.startswith(kept)
    assert long_text[len(kept)] == " "  # the cut falls between two words
    assert 0 < len(shown) <= 70


def test_french_strategy_page_joins_its_period_in_french(client, viewer, strategy):
    client.force_login(viewer)
    text = page(client.get(strategy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    period = re.search(r"<dt>Période</dt><dd>(.*?)</dd>", text).group(1)
    assert period == "2024-25 à 2026-27"


def test_french_result_page_names_its_actions_once_and_unlinks_consistently(
    client, action, tree, evaluator
):
    services.action_link(action=action, result=tree["m1"], by=evaluator)
    client.force_login(evaluator)
    french = page(client.get(tree["m1"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    english = page(client.get(tree["m1"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    for text in (french, english):
        heading = re.search(r'<h2 id="actions-title">(.*?)</h2>', text).group(1)
        assert text.count(heading) == 1
        table = re.search(r'aria-labelledby="actions-title">(.*?)</table>', text, re.S).group(1)
        column = re.search(r'<span class="visually-hidden">(.*?)</span></th>', table).group(1)
        button = re.search(r'<button class="link danger">(.*?)</button>', table).group(1)
        assert column == button
    assert heading == "Actions that serve this result"
    assert "Retirer" not in french
