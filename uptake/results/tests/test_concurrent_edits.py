"""Two people editing the same part of a results framework: the second save gets a conflict,
nothing is lost, and the rejected form keeps what the person typed.

Each case is the sequential form of the race: A opens the edit page, B saves a change, then A
sends the form A was shown (with its hidden version).
"""

from __future__ import annotations

import datetime
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from uptake.accounts.models import Role
from uptake.results import services
from uptake.results.models import (
    ActualUpdate,
    Indicator,
    InvestmentLine,
    NarrativeSection,
    Period,
    Result,
    Strategy,
    Target,
)
from uptake.results.spreadsheets import export_xlsx

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this %s after you opened the form."


class _Forms(HTMLParser):
    """Each form of a page (by its action address; "" for the page's own form) with the values
    a browser would send back: inputs, checked boxes, textareas, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name") or ""
        if tag == "form":
            self._form = self.forms.setdefault(named.get("action") or "", {})
        elif self._form is None or not (name or tag == "option"):
            return
        elif tag == "input" and named.get("type") not in ("submit", "button", "checkbox"):
            self._form[name] = named.get("value") or ""
        elif tag == "input" and "checked" in named:
            self._form[name] = named.get("value") or "on"
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""
        elif tag == "select":
            self._select = name
            self._form.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in named:
            self._form[self._select] = named.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._form is not None and self._textarea:
            # A browser drops the newline that opens a textarea's content.
            self._form[self._textarea] = self._form[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data


def forms_on(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 200
    reader = _Forms()
    reader.feed(response.content.decode())
    return reader.forms


def edit_form(client: Client, url: str) -> dict[str, str]:
    """What the edit page at URL would send back, as shown (the page's own form)."""
    return dict(forms_on(client.get(url))[""])


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def colleague(db):
    return make_user("colleague", Role.EVALUATION_UNIT)


@pytest.fixture
def section(strategy, evaluator) -> NarrativeSection:
    return services.section_create(
        strategy=strategy, by=evaluator, heading_en="Context", body_en="The first text."
    )


@pytest.fixture
def line(strategy, evaluator) -> InvestmentLine:
    return services.investment_create(
        strategy=strategy, by=evaluator, description="Training of boards",
        amount=Decimal("1000"), currency="CAD", fiscal_year=2024,
    )  # fmt: skip


@pytest.fixture
def draft_actual(approved, indicator, periods, evaluator) -> ActualUpdate:
    return services.actual_save(
        indicator=indicator, period=periods[0], by=evaluator, value=Decimal("20")
    )


@dataclass
class Case:
    """An edit page; the field A types in; B's own save; where B's change is read back."""

    url: Callable[[dict[str, Any]], str]
    field: str
    typed: str
    theirs: Callable[[dict[str, Any], Any], Any]
    saved: Callable[[dict[str, Any]], Any]
    their_value: Any
    word: str


def _fresh(model: type[Any], obj: Any) -> Any:
    return model.objects.get(pk=obj.pk)


CASES = {
    "strategy": Case(
        url=lambda w: reverse("results:strategy_edit", args=[w["strategy"].pk]),
        field="title_en",
        typed="Title typed by A",
        theirs=lambda w, by: services.strategy_update(
            strategy=_fresh(Strategy, w["strategy"]), by=by, title_en="Title saved by B"
        ),
        saved=lambda w: _fresh(Strategy, w["strategy"]).title_en,
        their_value="Title saved by B",
        word="strategy",
    ),
    "section": Case(
        url=lambda w: reverse("results:section_edit", args=[w["section"].pk]),
        field="body_en",
        typed="Text typed by A.",
        theirs=lambda w, by: services.section_update(
            section=_fresh(NarrativeSection, w["section"]), by=by, body_en="Text saved by B."
        ),
        saved=lambda w: _fresh(NarrativeSection, w["section"]).body_en,
        their_value="Text saved by B.",
        word="section",
    ),
    "investment": Case(
        url=lambda w: reverse("results:investment_edit", args=[w["line"].pk]),
        field="description",
        typed="Line typed by A",
        theirs=lambda w, by: services.investment_update(
            line=_fresh(InvestmentLine, w["line"]), by=by, description="Line saved by B"
        ),
        saved=lambda w: _fresh(InvestmentLine, w["line"]).description,
        their_value="Line saved by B",
        word="investment plan line",
    ),
    "result": Case(
        url=lambda w: reverse("results:result_edit", args=[w["tree"]["m1"].pk]),
        field="statement_en",
        typed="Statement typed by A",
        theirs=lambda w, by: services.result_update(
            result=_fresh(Result, w["tree"]["m1"]), by=by, statement_en="Statement saved by B"
        ),
        saved=lambda w: _fresh(Result, w["tree"]["m1"]).statement_en,
        their_value="Statement saved by B",
        word="result",
    ),
    "result move": Case(
        url=lambda w: reverse("results:result_move", args=[w["tree"]["o1"].pk]),
        field="position",
        typed="1",
        theirs=lambda w, by: services.result_move(
            result=_fresh(Result, w["tree"]["o1"]), new_parent=w["tree"]["m1"], position=2, by=by
        ),
        saved=lambda w: _fresh(Result, w["tree"]["o1"]).position,
        their_value=2,
        word="result",
    ),
    "indicator": Case(
        url=lambda w: reverse("results:indicator_edit", args=[w["indicator"].pk]),
        field="text_en",
        typed="Indicator typed by A",
        theirs=lambda w, by: services.indicator_update(
            indicator=_fresh(Indicator, w["indicator"]), by=by, text_en="Indicator saved by B"
        ),
        saved=lambda w: _fresh(Indicator, w["indicator"]).text_en,
        their_value="Indicator saved by B",
        word="indicator",
    ),
    "period": Case(
        url=lambda w: reverse("results:period_edit", args=[w["periods"][0].pk]),
        field="name",
        typed="FY A",
        theirs=lambda w, by: services.period_update(
            period=_fresh(Period, w["periods"][0]), by=by, name="FY B"
        ),
        saved=lambda w: _fresh(Period, w["periods"][0]).name,
        their_value="FY B",
        word="period",
    ),
    "target": Case(
        url=lambda w: reverse("results:targets_edit", args=[w["indicator"].pk]),
        field="period_{p0}",
        typed="55",
        theirs=lambda w, by: services.target_set(
            indicator=w["indicator"], period=w["periods"][0], by=by, value=Decimal("35")
        ),
        saved=lambda w: Target.objects.get(indicator=w["indicator"], period=w["periods"][0]).value,
        their_value=Decimal("35"),
        word="target",
    ),
    "draft actual": Case(
        url=lambda w: reverse("results:actual_edit", args=[w["draft_actual"].pk]),
        field="value",
        typed="21",
        theirs=lambda w, by: services.actual_save(
            indicator=w["indicator"],
            period=w["periods"][0],
            by=by,
            value=Decimal("19"),
            update=_fresh(ActualUpdate, w["draft_actual"]),
        ),  # fmt: skip
        saved=lambda w: _fresh(ActualUpdate, w["draft_actual"]).value,
        their_value=Decimal("19"),
        word="actual",
    ),
}

NEEDS = {"section": "section", "investment": "line", "draft actual": "draft_actual"}


@pytest.fixture
def world(request, strategy, tree, periods, indicator) -> dict[str, Any]:
    found = {"strategy": strategy, "tree": tree, "periods": periods, "indicator": indicator}
    name = NEEDS.get(request.param)
    if name:
        found[name] = request.getfixturevalue(name)
    return found


def _field(case: Case, world: dict[str, Any]) -> str:
    return case.field.format(p0=world["periods"][0].pk)


def _version_field(case: Case, world: dict[str, Any]) -> str:
    """The targets form carries one version per period; the other forms one in all."""
    if case.field.startswith("period_"):
        return f"version_{world['periods'][0].pk}"
    return "version"


@pytest.mark.parametrize("world", list(CASES), indirect=True)
def test_a_stale_form_is_refused_keeps_the_typing_and_the_other_save(
    request, client, world, evaluator, colleague
):
    case = CASES[request.node.callspec.params["world"]]
    client.force_login(evaluator)
    url = case.url(world)
    data = edit_form(client, url)
    assert data[_version_field(case, world)]
    case.theirs(world, colleague)

    field = _field(case, world)
    data[field] = case.typed
    response = client.post(url, data)

    assert response.status_code == 200
    shown = text(response)
    assert CONFLICT % case.word in shown
    assert forms_on(response)[""][field] == case.typed
    assert case.saved(world) == case.their_value


@pytest.mark.parametrize("world", list(CASES), indirect=True)
def test_a_fresh_form_saves_and_takes_the_next_version(request, client, world, evaluator):
    case = CASES[request.node.callspec.params["world"]]
    client.force_login(evaluator)
    url = case.url(world)
    data = edit_form(client, url)
    version_field = _version_field(case, world)
    opened_on = int(data[version_field])
    data[_field(case, world)] = case.typed

    response = client.post(url, data)

    assert response.status_code == 302
    assert str(case.saved(world)) in (case.typed, f"{case.typed}.0000")
    # Opened again, the form carries the version after that save.
    assert int(edit_form(client, url)[version_field]) == opened_on + 1


DELETES = {
    # object, its page, delete address, a change by B, does it still exist
    "section": (
        lambda w: reverse("results:strategy_detail", args=[w["strategy"].pk]),
        lambda w: reverse("results:section_delete", args=[w["section"].pk]),
        lambda w, by: services.section_update(
            section=_fresh(NarrativeSection, w["section"]), by=by, body_en="Changed by B."
        ),
        lambda w: NarrativeSection.objects.filter(pk=w["section"].pk).exists(),
        "section",
    ),
    "investment": (
        lambda w: reverse("results:strategy_detail", args=[w["strategy"].pk]),
        lambda w: reverse("results:investment_delete", args=[w["line"].pk]),
        lambda w, by: services.investment_update(
            line=_fresh(InvestmentLine, w["line"]), by=by, amount=Decimal("2000")
        ),
        lambda w: InvestmentLine.objects.filter(pk=w["line"].pk).exists(),
        "investment plan line",
    ),
    "result": (
        lambda w: reverse("results:result_detail", args=[w["tree"]["o2"].pk]),
        lambda w: reverse("results:result_delete", args=[w["tree"]["o2"].pk]),
        lambda w, by: services.result_update(
            result=_fresh(Result, w["tree"]["o2"]), by=by, statement_en="Reworded by B"
        ),
        lambda w: Result.objects.filter(pk=w["tree"]["o2"].pk).exists(),
        "result",
    ),
    "indicator": (
        lambda w: reverse("results:indicator_detail", args=[w["indicator"].pk]),
        lambda w: reverse("results:indicator_delete", args=[w["indicator"].pk]),
        lambda w, by: services.indicator_update(
            indicator=_fresh(Indicator, w["indicator"]), by=by, text_en="Reworded by B"
        ),
        lambda w: Indicator.objects.filter(pk=w["indicator"].pk).exists(),
        "indicator",
    ),
}


@pytest.mark.parametrize("world", list(DELETES), indirect=True)
def test_a_delete_button_shown_before_someone_elses_change_deletes_nothing(
    request, client, world, evaluator, colleague
):
    page, address, theirs, exists, word = DELETES[request.node.callspec.params["world"]]
    client.force_login(evaluator)
    button = forms_on(client.get(page(world)))[address(world)]
    theirs(world, colleague)

    response = client.post(address(world), button, follow=True)

    assert CONFLICT % word in text(response)
    assert exists(world)


@pytest.mark.parametrize("world", list(DELETES), indirect=True)
def test_a_delete_button_on_an_unchanged_object_deletes_it(request, client, world, evaluator):
    page, address, _theirs, exists, _word = DELETES[request.node.callspec.params["world"]]
    client.force_login(evaluator)
    button = forms_on(client.get(page(world)))[address(world)]
    assert button["version"]

    client.post(address(world), button)

    assert not exists(world)


def test_a_strategy_form_opened_before_the_approval_saves_nothing(
    client, strategy, tree, evaluator, committee
):
    client.force_login(evaluator)
    url = reverse("results:strategy_edit", args=[strategy.pk])
    data = edit_form(client, url)
    services.strategy_approve(strategy=_fresh(Strategy, strategy), by=committee)

    data["title_en"] = "Renamed after the approval"
    response = client.post(url, data)

    assert response.status_code == 200
    assert forms_on(response)[""]["title_en"] == "Renamed after the approval"
    assert 'id="error-summary"' in response.content.decode()
    fresh = _fresh(Strategy, strategy)
    assert fresh.title_en == "Country strategy for testing"
    # The approval itself moved the version on, so any form opened before it is stale.
    assert fresh.version == int(data["version"]) + 1


def test_a_period_form_opened_before_a_lock_and_unlock_conflicts(
    client, strategy, periods, evaluator, colleague
):
    period = periods[1]
    client.force_login(evaluator)
    url = reverse("results:period_edit", args=[period.pk])
    data = edit_form(client, url)
    services.period_lock(period=_fresh(Period, period), by=colleague)
    services.period_unlock(period=_fresh(Period, period), by=colleague)

    data["name"] = "Renamed"
    response = client.post(url, data)

    assert CONFLICT % "period" in text(response)
    assert _fresh(Period, period).name == period.name


def test_an_actual_form_opened_before_it_was_submitted_and_returned_conflicts(
    client, draft_actual, evaluator, focal, colleague
):
    client.force_login(evaluator)
    url = reverse("results:actual_edit", args=[draft_actual.pk])
    data = edit_form(client, url)
    # Someone else submits it and a reviewer returns it: editable again, with a comment that
    # the form opened before did not show.
    services.actual_submit(update=_fresh(ActualUpdate, draft_actual), by=focal)
    services.actual_return(
        update=_fresh(ActualUpdate, draft_actual), by=colleague, comment="Check the source."
    )

    data["value"] = "25"
    response = client.post(url, data)

    assert CONFLICT % "actual" in text(response)
    assert forms_on(response)[""]["value"] == "25"
    assert _fresh(ActualUpdate, draft_actual).value == draft_actual.value


def test_targets_set_by_someone_else_meanwhile_stop_the_whole_form(
    client, evaluator, colleague, strategy, tree, periods
):
    indicator = services.indicator_create(result=tree["o1"], by=evaluator, text_en="Wells dug")
    services.target_set(indicator=indicator, period=periods[0], by=evaluator, value=Decimal(5))
    client.force_login(evaluator)
    url = reverse("results:targets_edit", args=[indicator.pk])
    data = edit_form(client, url)
    # The form showed no target for the last period; B sets one.
    services.target_set(indicator=indicator, period=periods[2], by=colleague, value=Decimal(9))

    data[f"period_{periods[0].pk}"] = "6"
    data[f"period_{periods[2].pk}"] = "8"
    response = client.post(url, data)

    assert CONFLICT % "target" in text(response)
    assert forms_on(response)[""][f"period_{periods[2].pk}"] == "8"
    saved = dict(Target.objects.filter(indicator=indicator).values_list("period_id", "value"))
    # All or nothing: the first period's change was not saved either.
    assert saved == {periods[0].pk: Decimal(5), periods[2].pk: Decimal(9)}


def test_an_imported_framework_is_saved_and_its_rows_refuse_stale_forms(
    client, evaluator, colleague, strategy, indicator
):
    other = services.strategy_create(
        by=evaluator, kind="sector", title_en="Copy", subject="Water",
        start_year=2024, end_year=2026,
    )  # fmt: skip
    file = io.BytesIO(export_xlsx(strategy))
    file.name = "framework.xlsx"
    client.force_login(evaluator)
    response = client.post(reverse("results:framework_import", args=[other.pk]), {"file": file})
    assert response.status_code == 302
    copied = Indicator.objects.get(result__strategy=other, text_en=indicator.text_en)

    url = reverse("results:indicator_edit", args=[copied.pk])
    data = edit_form(client, url)
    services.indicator_update(
        indicator=_fresh(Indicator, copied), by=colleague, text_en="Reworded by B"
    )
    data["text_en"] = "Reworded by A"
    response = client.post(url, data)

    assert CONFLICT % "indicator" in text(response)
    assert _fresh(Indicator, copied).text_en == "Reworded by B"


def test_a_console_style_save_without_a_version_still_works(strategy, evaluator):
    """Scripts and imports call the services without a version: they save over the latest."""
    services.strategy_update(strategy=_fresh(Strategy, strategy), by=evaluator, subject="Chile")
    period = services.period_create(
        strategy=strategy, by=evaluator, name="2027-28",
        start=datetime.date(2027, 4, 1), end=datetime.date(2028, 3, 31),
    )  # fmt: skip
    services.period_update(period=_fresh(Period, period), by=evaluator, name="FY27")
    assert _fresh(Strategy, strategy).subject == "Chile"
    assert _fresh(Period, period).name == "FY27"
