"""The IATI 2.03 export: valid against the schema, with results, codes, both languages,
baselines, periods, targets and approved actuals."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from uptake.results import services
from uptake.results.iati import activities_xml

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _schema_path() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "iati" / "iati-activities-schema.xsd"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    path = _schema_path()
    if path is None:
        pytest.skip("The IATI schema (../shared/iati/iati-activities-schema.xsd) is not here.")
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def reported(qualitative, approved, indicator, periods, focal, evaluator):
    update = services.actual_save(
        indicator=indicator, period=periods[0], by=focal, value=Decimal("18"),
        variance_explanation="Two sessions were cancelled.", submit=True,
    )  # fmt: skip
    services.actual_approve(update=update, by=evaluator)
    return approved


def test_the_export_is_valid_iati_203(reported, schema):
    document = etree.fromstring(activities_xml([reported]))
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"


def test_a_draft_with_an_investment_plan_is_valid_too(strategy, tree, indicator, evaluator, schema):
    services.investment_create(
        strategy=strategy, by=evaluator, description="Training", amount=Decimal("1000.50"),
        currency="CAD", fiscal_year=2025,
    )  # fmt: skip
    document = etree.fromstring(activities_xml([strategy]))
    assert schema.validate(document), schema.error_log
    value = document.find(".//budget/value")
    assert (value.text, value.get("currency")) == ("1000.50", "CAD")
    assert document.find(".//budget/period-start").get("iso-date") == "2025-04-01"


def test_result_types_and_codes_follow_the_logic_model(reported, tree, evaluator):
    document = etree.fromstring(activities_xml([reported]))
    results = {
        r.find("reference").get("code"): (r.get("type"), r.find("reference").get("vocabulary"))
        for r in document.iter("result")
    }
    # Only results with indicators are published (IATI requires one): 1110 and 1210.
    assert results == {"1110": ("2", "99"), "1210": ("2", "99")}


def test_impact_and_output_types(strategy, tree, evaluator):
    for key in ("u", "o1"):
        services.indicator_create(result=tree[key], by=evaluator, text_en=f"Indicator {key}")
    document = etree.fromstring(activities_xml([strategy]))
    types = {r.find("reference").get("code"): r.get("type") for r in document.iter("result")}
    assert types == {"1000": "3", "1111": "1"}


def test_narratives_in_english_and_french(reported):
    document = etree.fromstring(activities_xml([reported]))
    title = document.find("iati-activity/title")
    assert [(n.get(XML_LANG), n.text) for n in title] == [
        ("en", "Country strategy for testing"),
        ("fr", "Stratégie pays pour les essais"),
    ]
    indicator_title = document.find(".//indicator/title")
    assert ("fr", "Nombre de comités formés") in [
        (n.get(XML_LANG), n.text) for n in indicator_title
    ]


def test_baseline_periods_targets_and_actuals(reported):
    document = etree.fromstring(activities_xml([reported]))
    indicator = next(i for i in document.iter("indicator") if i.get("measure") == "1")
    assert indicator.find("baseline").get("year") == "2023"
    assert indicator.find("baseline").get("value") == "10"
    periods = indicator.findall("period")
    assert [p.find("target").get("value") for p in periods] == ["20", "30", "40"]
    assert periods[0].find("actual").get("value") == "18"
    assert "Two sessions were cancelled." in periods[0].find("actual/comment/narrative").text
    assert periods[1].find("actual") is None
    qualitative = next(i for i in document.iter("indicator") if i.get("measure") == "5")
    assert qualitative.find("baseline/comment/narrative").text == "Rarely consulted."
    assert qualitative.find("period/target").get("value") is None


def test_the_command_writes_the_file(reported, strategy, tmp_path, schema, evaluator):
    draft = services.strategy_create(
        by=evaluator, kind="sector", title_en="Draft sector strategy", subject="Health",
        start_year=2025, end_year=2027,
    )  # fmt: skip
    out = tmp_path / "all.xml"
    call_command("export_iati", "-o", str(out), stdout=open(tmp_path / "log", "w"))
    document = etree.parse(str(out))
    assert schema.validate(document), schema.error_log
    titles = [
        n.text
        for n in document.iterfind("iati-activity/title/narrative")
        if n.get(XML_LANG) == "en"
    ]
    assert titles == ["Country strategy for testing"]  # drafts only when named
    one = tmp_path / "one.xml"
    call_command(
        "export_iati",
        "--strategy",
        str(draft.pk),
        "-o",
        str(one),
        stdout=open(tmp_path / "log", "w"),
    )
    assert "Draft sector strategy" in one.read_text()


def test_uptake_export_iati_is_the_same_command(reported, strategy, tmp_path, schema):
    """`uptake export iati -o FILE` (the reporting command's alias) writes the same file."""
    out = tmp_path / "via-export.xml"
    log = tmp_path / "log"
    with open(log, "w") as handle:
        call_command(
            "export", "iati", "--strategy", str(strategy.pk), "-o", str(out), stdout=handle
        )
    document = etree.parse(str(out))
    assert schema.validate(document), schema.error_log
    assert "Wrote 1 activity" in log.read_text()
    with pytest.raises(CommandError, match="-o FILE"):
        call_command("export", "iati")


@pytest.mark.parametrize("command", [("export", "iati"), ("export_iati",)])
def test_both_spellings_take_the_reporting_organisation(strategy, tmp_path, command):
    out = tmp_path / "named.xml"
    call_command(
        *command,
        "--strategy", str(strategy.pk), "-o", str(out),
        "--org-ref", "XM-TEST-42", "--org-name", "Test Evaluation Office",
        stdout=StringIO(),
    )  # fmt: skip
    reporting = etree.parse(str(out)).find("iati-activity/reporting-org")
    assert reporting.get("ref") == "XM-TEST-42"
    assert reporting.findtext("narrative") == "Test Evaluation Office"


def test_org_options_go_with_the_iati_export_only(action, tmp_path):
    out = tmp_path / "actions.csv"
    with pytest.raises(CommandError, match="--org-ref goes with the iati export only."):
        call_command("export", "actions", "--org-ref", "XM-TEST-42", "-o", str(out))
    assert not out.exists()
