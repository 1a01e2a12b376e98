"""What the importer proposes where the document is not explicit: the evaluation's own title
and period, and for each unknown unit its code, its name without the role, and its parent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.accounts.models import Unit
from uptake.evaluations.models import Action, Evaluation
from uptake.importer.forms import ReviewForm
from uptake.importer.models import ImportSession
from uptake.importer.parsing import (
    ParsedAction,
    ParsedDocument,
    ParsedRecommendation,
    ParsedResponse,
    parse_document,
    parse_text,
)
from uptake.importer.parsing.title import split_title
from uptake.importer.services import import_plan, propose_unit, read_centre, unit_proposals

from .plans import KNOWN_AND_NEW, ROLE_AND_PLACE

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not here")


# The title ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "language", "title", "period"),
    [
        (
            "Management Response to the Recommendations of the Evaluation of Rural Roads "
            "(2013-14 - 2018-19)",
            "en",
            "Evaluation of Rural Roads",
            "2013-14 to 2018-19",
        ),
        (
            "Management Response and Action Plan: Evaluation of Rural Roads - 2016-17 to 2020-21",
            "en",
            "Evaluation of Rural Roads",
            "2016-17 to 2020-21",
        ),
        ("Management Response to the Audit of Fleet Safety", "en", "Audit of Fleet Safety", ""),
        (
            "Summative evaluation of the Seed Fund - Management Response and Action Plan (MRAP)",
            "en",
            "Summative evaluation of the Seed Fund",
            "",
        ),
        (
            "Réponse de la direction aux recommandations de l’évaluation des routes rurales "
            "(2013-2014 à 2018-2019)",
            "fr",
            "Évaluation des routes rurales",
            "2013-2014 à 2018-2019",
        ),
        (
            "Réponse et plan d'action de la direction - Évaluation du Fonds de semences",
            "fr",
            "Évaluation du Fonds de semences",
            "",
        ),
        ("Evaluation of Rural Roads (2019-20)", "en", "Evaluation of Rural Roads", "2019-20"),
    ],
)
def test_the_evaluation_title_and_period_come_out_of_the_response_title(
    written: str, language: str, title: str, period: str
) -> None:
    parts = split_title(written, language)
    assert (parts.title, parts.period) == (title, period)


@pytest.mark.parametrize(
    "written",
    [
        "Management Response and Action Plan Promotion of Rural Roads",  # no study named
        "Appendix B: Management Response and Action Plan",
        "Evaluation of Rural Roads (2016)",  # a year alone: the publication's, not a period
        "Evaluation of Rural Roads (2013-17)",  # not a fiscal year
        "Evaluation of Rural Roads (2018-19 to 2013-14)",  # ends before it starts
        "Audit of Fleet Safety - September 2016",
    ],
)
def test_a_title_that_is_not_a_response_title_or_a_period_is_left_as_written(
    written: str,
) -> None:
    parts = split_title(written, "en")
    assert (parts.title, parts.period) == (written, "")


def test_the_import_records_the_evaluation_title_and_period(evaluator, units) -> None:
    evaluation = import_plan(parsed=parse_text(ROLE_AND_PLACE), by=evaluator)

    assert evaluation.title_en == "Evaluation of the Lakeside Ferry Service"
    assert evaluation.period == "2019-20 to 2023-24"


def test_a_french_response_gets_a_french_title_and_keeps_the_role_in_french(
    evaluator, units
) -> None:
    parsed = ParsedDocument(
        title="Réponse de la direction à l’évaluation du Service de traversier (2019-2020 "
        "à 2023-2024)",
        evaluation_title="Évaluation du Service de traversier",
        period="2019-2020 à 2023-2024",
        language="fr",
        recommendations=[
            ParsedRecommendation(number="1", text="Renouveler le plan.", responses=[
                ParsedResponse(unit="HWP", agreement="agree", actions=[
                    ParsedAction(text="Publier le plan.",
                                 responsibility_centre="Directrice, Highland Water Program (HWP)",
                                 target_date="juin 2027"),
                ]),
            ]),
        ],
    )  # fmt: skip
    evaluation = import_plan(parsed=parsed, by=evaluator)

    assert evaluation.title_fr == "Évaluation du Service de traversier"
    assert evaluation.period == "2019-2020 à 2023-2024"
    action = Action.objects.get()
    assert (action.unit, action.role_fr) == (units["HWP"], "Directrice")


# Units -------------------------------------------------------------------------------------


def test_a_role_between_the_name_and_the_code_is_read_apart() -> None:
    centre = read_centre("Lakeside Ferry Program Director LFP (QTO-DA)")
    assert (centre.role, centre.name, centre.code, centre.place) == (
        "Director",
        "Lakeside Ferry Program",
        "LFP",
        "QTO-DA",
    )
    # The code in parentheses right after the name is the unit's; the one after, its place.
    centre = read_centre("Lakeside Ferry Program (LFP) QTO-DA")
    assert (centre.name, centre.code, centre.place) == ("Lakeside Ferry Program", "LFP", "QTO-DA")


@pytest.mark.parametrize(
    ("text", "code", "name", "role"),
    [
        (
            "Lakeside Ferry Program Director LFP (QTO-DA)",
            "LFP",
            "Lakeside Ferry Program",
            "Director",
        ),
        ("Harbour Safety Coordination", "HSC", "Harbour Safety Coordination", ""),
        ("HARBOUR SAFETY COORDINATION", "HSC", "HARBOUR SAFETY COORDINATION", ""),
        ("Lakeside Ferry Program Manager", "LFP", "Lakeside Ferry Program", "Manager"),
        (
            "Director, Centre for Ferry Design (Head of Engineering)",
            "CFD",
            "Centre for Ferry Design",
            "Director, Head of Engineering",
        ),
        (
            "Gestionnaire, Unité de l’entretien des quais, Division des traversiers",
            "UEQ",
            "Unité de l’entretien des quais, Division des traversiers",
            "Gestionnaire",
        ),
        ("Departmental Safety Officer (DSO)", "DSO", "Departmental Safety Officer", ""),
    ],
)
def test_a_new_unit_is_proposed_by_its_code_without_the_role(
    text: str, code: str, name: str, role: str
) -> None:
    proposal = propose_unit(text)
    assert (proposal.code, proposal.name, proposal.role) == (code, name, role)


def test_a_code_made_of_initials_does_not_take_an_existing_units_code(evaluator, units) -> None:
    Unit.objects.create(code="HSC", name_en="Highland Seed Cooperative")
    proposals = {p.name: p for p in unit_proposals(parse_text(ROLE_AND_PLACE))}

    assert proposals["Harbour Safety Coordination"].code == "HSC2"


def test_two_names_with_the_same_initials_get_two_codes(units) -> None:
    parsed = ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="1", text="Repair the docks.", responses=[
                ParsedResponse(unit="Harbour Safety Coordination", agreement="agree"),
                ParsedResponse(unit="Highland Seed Cooperative", agreement="agree"),
            ]),
        ],
    )  # fmt: skip
    codes = [p.code for p in unit_proposals(parsed)]
    assert codes == ["HSC", "HSC2"]


def test_the_place_in_parentheses_is_the_new_units_parent_not_the_unit(evaluator, units) -> None:
    (lfp,) = [p for p in unit_proposals(parse_text(ROLE_AND_PLACE)) if p.code == "LFP"]
    assert lfp.parent == units["QTO-DA"]

    import_plan(parsed=parse_text(ROLE_AND_PLACE), by=evaluator)

    created = Unit.objects.get(code="LFP")
    assert (created.name_en, created.parent) == ("Lakeside Ferry Program", units["QTO-DA"])
    action = Action.objects.get(response__recommendation__number="1")
    assert (action.unit, action.role) == (created, "Director")
    # Known only by its name and sitting nowhere written: a unit without parent.
    assert Unit.objects.get(code="HSC").parent is None


# The review screen -------------------------------------------------------------------------


def _initial(session: ImportSession) -> dict[str, Any]:
    form = ReviewForm(document=ParsedDocument.from_dict(session.parsed, session.source_lines))
    return {n: f.initial for n, f in form.fields.items() if f.initial not in (None, False)}


@pytest.fixture
def session(client, evaluator, units) -> ImportSession:
    client.force_login(evaluator)
    upload = SimpleUploadedFile("ferry.txt", ROLE_AND_PLACE.encode("utf-8"))
    response = client.post(reverse("importer:upload"), {"file": upload, "language": ""})
    assert response.status_code == 302
    return ImportSession.objects.get()


def test_the_review_shows_the_proposed_title_period_code_and_parent(client, session) -> None:
    response = client.get(reverse("importer:review", args=[session.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Evaluation of the Lakeside Ferry Service"' in html
    assert 'name="period"' in html and 'value="2019-20 to 2023-24"' in html
    assert 'name="u_LFP_code"' in html and 'name="u_LFP_parent"' in html
    assert 'name="u_LFP_parent" value="QTO-DA"' in html
    assert "Role kept on its actions, not in the unit's name: Director" in html
    assert 'name="u_HSC_parent"' in html


def test_the_reviewer_chooses_the_parent_of_a_new_unit(client, session, units) -> None:
    data = _initial(session) | {"u_HSC_parent": "Global Partnerships Branch"}
    response = client.post(reverse("importer:review", args=[session.pk]), data)

    assert response.status_code == 302
    assert Unit.objects.get(code="HSC").parent == units["GPB"]
    assert Unit.objects.get(code="LFP").parent == units["QTO-DA"]
    evaluation = Evaluation.objects.get()
    assert (evaluation.title_en, evaluation.period) == (
        "Evaluation of the Lakeside Ferry Service",
        "2019-20 to 2023-24",
    )


def test_an_unknown_parent_or_period_is_refused_on_its_field(client, session) -> None:
    data = _initial(session) | {"u_HSC_parent": "Nowhere Office", "period": "soon"}
    response = client.post(reverse("importer:review", args=[session.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "No unit matches “Nowhere Office”." in html
    assert "“soon” is not a period Uptake understands." in html
    assert not Evaluation.objects.exists()
    assert not Unit.objects.filter(code__in=["HSC", "LFP"]).exists()


def test_an_upload_kept_before_titles_were_read_still_gets_the_proposed_title(
    client, session
) -> None:
    parsed = dict(session.parsed)
    del parsed["evaluation_title"], parsed["period"]
    document = ParsedDocument.from_dict(parsed, session.source_lines)
    assert (document.evaluation_title, document.period) == (
        "Evaluation of the Lakeside Ferry Service",
        "2019-20 to 2023-24",
    )


def test_a_plan_without_a_response_title_keeps_its_title(evaluator, units) -> None:
    # KNOWN_AND_NEW is titled "Management Response: Evaluation of the Highland Water Program".
    evaluation = import_plan(parsed=parse_text(KNOWN_AND_NEW), by=evaluator)
    assert (evaluation.title_en, evaluation.period) == (
        "Evaluation of the Highland Water Program",
        "",
    )


# The published samples ---------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("truth", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_document_title_is_still_what_the_truth_records(truth: Path) -> None:
    parsed = parse_document(truth.with_suffix(".txt"))
    assert parsed.to_dict()["title"] == json.loads(truth.read_text(encoding="utf-8"))["title"]


@needs_samples
def test_the_seed_document_proposes_the_evaluation_and_its_units(db) -> None:
    parsed = parse_document(SAMPLES / "seed-peru.txt")
    assert parsed.evaluation_title == "Evaluation of International Assistance Programming in Peru"
    assert parsed.period == "2013-14 to 2018-19"

    proposals = {p.code: p for p in unit_proposals(parsed)}
    assert (proposals["NDP"].name, proposals["NDP"].role) == (
        "Peru Development Program",
        "Director",
    )
    assert proposals["IAPC"].name == "International Assistance Policy Coordination"
    assert all(len(code) <= 10 for code in proposals)
