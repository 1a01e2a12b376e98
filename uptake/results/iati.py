"""Strategies as IATI 2.03 activities: one activity per strategy, its logic model as results.

Ultimate outcomes are impact results (type 3), intermediate and immediate outcomes are
outcomes (2), outputs are outputs (1). The logic-model code is the result's reference in the
reporting organisation's own vocabulary (99). IATI requires at least one indicator per result,
so a result without indicators is left out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from .models import IATI_MEASURE, Indicator, Strategy, StrategyState
from .selectors import PmfRow, flatten, logic_model, pmf

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def org_ref() -> str:
    return str(getattr(settings, "UPTAKE_IATI_ORG_REF", "") or "XX-UPTAKE")


def org_name() -> str:
    return str(getattr(settings, "UPTAKE_IATI_ORG_NAME", "") or "Uptake")


def _narratives(parent: etree._Element, tag: str, en: str, fr: str = "") -> etree._Element:
    element = etree.SubElement(parent, tag)
    for lang, text in (("en", en), ("fr", fr)):
        if text.strip():
            narrative = etree.SubElement(element, "narrative")
            narrative.set(XML_LANG, lang)
            narrative.text = text.strip()
    return element


def _comment(parent: etree._Element, text: str) -> None:
    if text.strip():
        _narratives(parent, "comment", text)


def _value(value: Decimal | None) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def _fiscal_start(year: int) -> datetime.date:
    return datetime.date(year, 4, 1)


def _fiscal_end(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 31)


def activity(strategy: Strategy, *, ref: str, name: str) -> etree._Element:
    element = etree.Element("iati-activity")
    element.set("last-updated-datetime", strategy.updated_at.replace(microsecond=0).isoformat())
    element.set(XML_LANG, "en")
    currencies = {line.currency for line in strategy.investments.all()}
    element.set("default-currency", currencies.pop() if len(currencies) == 1 else "CAD")
    element.set("hierarchy", "1")
    etree.SubElement(element, "iati-identifier").text = f"{ref}-STRATEGY-{strategy.pk}"
    reporting = _narratives(element, "reporting-org", name)
    reporting.set("ref", ref)
    reporting.set("type", "10")
    _narratives(element, "title", strategy.title_en, strategy.title_fr)
    sections = list(strategy.sections.order_by("position", "id"))
    summary_en = (
        sections[0].body_en if sections else f"{strategy.get_kind_display()}: {strategy.subject}"
    )
    summary_fr = sections[0].body_fr if sections else ""
    _narratives(element, "description", summary_en, summary_fr).set("type", "1")
    participating = _narratives(element, "participating-org", name)
    participating.set("ref", ref)
    participating.set("role", "1")
    participating.set("type", "10")
    # ActivityStatus: 1 pipeline (a draft strategy), 2 implementation.
    status = "1" if strategy.state == StrategyState.DRAFT else "2"
    etree.SubElement(element, "activity-status").set("code", status)
    for date_type, date in (
        ("1", _fiscal_start(strategy.start_year)),
        ("3", _fiscal_end(strategy.end_year)),
    ):
        activity_date = etree.SubElement(element, "activity-date")
        activity_date.set("type", date_type)
        activity_date.set("iso-date", date.isoformat())
    if strategy.country_code:
        country = etree.SubElement(element, "recipient-country")
        country.set("code", strategy.country_code)
        country.set("percentage", "100")
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in strategy.investments.all():
        totals[(line.fiscal_year, line.currency)] += line.amount
    for (year, currency), amount in sorted(totals.items()):
        budget = etree.SubElement(element, "budget")
        budget.set("type", "1")
        budget.set("status", "1")
        etree.SubElement(budget, "period-start").set("iso-date", _fiscal_start(year).isoformat())
        etree.SubElement(budget, "period-end").set("iso-date", _fiscal_end(year).isoformat())
        value = etree.SubElement(budget, "value")
        value.set("currency", currency)
        value.set("value-date", _fiscal_start(year).isoformat())
        value.text = f"{amount:.2f}"
    table = pmf(strategy)
    rows = {row.indicator.pk: row for row in table.rows}
    for node in flatten(logic_model(strategy)):
        result = node.result
        indicators = list(result.indicators.all())
        if not indicators:
            continue
        result_element = etree.SubElement(element, "result")
        result_element.set("type", result.iati_type)
        result_element.set("aggregation-status", "0")
        _narratives(result_element, "title", result.statement_en, result.statement_fr)
        reference = etree.SubElement(result_element, "reference")
        reference.set("vocabulary", "99")
        reference.set("code", str(result.code))
        for indicator in indicators:
            _indicator(result_element, indicator, rows[indicator.pk])
    return element


def _indicator(parent: etree._Element, indicator: Indicator, row: PmfRow) -> None:
    element = etree.SubElement(parent, "indicator")
    element.set("measure", IATI_MEASURE[indicator.measure])
    if not indicator.is_qualitative:
        element.set("ascending", "1" if indicator.ascending else "0")
    element.set("aggregation-status", "0")
    _narratives(element, "title", indicator.text_en, indicator.text_fr)
    method = "\n".join(
        part
        for part in (
            f"Data sources: {indicator.data_sources}" if indicator.data_sources else "",
            f"Data collection method: {indicator.collection_method}"
            if indicator.collection_method
            else "",
            f"Frequency: {indicator.frequency}" if indicator.frequency else "",
            f"Responsibility: {indicator.responsibility}" if indicator.responsibility else "",
        )
        if part
    )
    if method:
        _narratives(element, "description", method)
    reference = etree.SubElement(element, "reference")
    reference.set("vocabulary", "99")
    reference.set("code", indicator.label)
    if indicator.baseline_year:
        baseline = etree.SubElement(element, "baseline")
        baseline.set("year", str(indicator.baseline_year))
        if indicator.baseline_value is not None:
            baseline.set("value", _value(indicator.baseline_value))
        _comment(baseline, indicator.baseline_text)
    for cell in row.cells:
        if cell.target is None and cell.actual is None:
            continue
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start").set("iso-date", cell.period.start.isoformat())
        etree.SubElement(period, "period-end").set("iso-date", cell.period.end.isoformat())
        if cell.target is not None:
            target = etree.SubElement(period, "target")
            if cell.target.value is not None:
                target.set("value", _value(cell.target.value))
            _comment(target, cell.target.text)
        if cell.actual is not None:
            actual = etree.SubElement(period, "actual")
            if cell.actual.value is not None:
                actual.set("value", _value(cell.actual.value))
            _comment(
                actual,
                "\n".join(t for t in (cell.actual.text, cell.actual.variance_explanation) if t),
            )


def activities_xml(strategies: Iterable[Strategy], *, ref: str = "", name: str = "") -> bytes:
    """An <iati-activities> document (version 2.03) holding one activity per strategy."""
    root = etree.Element("iati-activities")
    root.set("version", "2.03")
    root.set("generated-datetime", timezone.now().replace(microsecond=0).isoformat())
    for strategy in strategies:
        root.append(activity(strategy, ref=ref or org_ref(), name=name or org_name()))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def exportable_strategies() -> list[Strategy]:
    """What a whole-registry export publishes: approved and published strategies."""
    return list(
        Strategy.objects.filter(
            state__in=[StrategyState.APPROVED, StrategyState.PUBLISHED]
        ).order_by("id")
    )
