"""import_plan: a parsed document becomes a draft evaluation, through the evaluation services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from uptake.accounts.models import Unit
from uptake.errors import ServiceError
from uptake.evaluations.models import (
    Action,
    Evaluation,
    EvaluationState,
    Recommendation,
    Response,
    TargetKind,
)
from uptake.importer.parsing import (
    ParsedAction,
    ParsedDocument,
    ParsedRecommendation,
    ParsedResponse,
    UnplacedText,
    parse_text,
)
from uptake.importer.services import (
    MISSING_DATE,
    ImportChoices,
    ImportReport,
    UnitDecision,
    import_plan,
    propose_unit,
    split_role,
    unit_proposals,
)

from .plans import COMMITS_ONLY, KNOWN_AND_NEW, NO_AGREEMENT


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Evaluation.objects.count(),
        Recommendation.objects.count(),
        Response.objects.count(),
        Action.objects.count(),
        Unit.objects.count(),
    )


def test_it_creates_the_draft_with_its_recommendations_responses_and_actions(
    evaluator, units
) -> None:
    report = ImportReport()
    evaluation = import_plan(parsed=parse_text(KNOWN_AND_NEW), by=evaluator, report=report)

    # The evaluation's own title, not its management response's ("Management Response: …").
    assert evaluation.title_en == "Evaluation of the Highland Water Program"
    # Responses were added through the services, which move the draft into preparation.
    assert evaluation.state == EvaluationState.RESPONSE_IN_PREPARATION
    rec1, rec2 = evaluation.recommendations.order_by("sort_key")
    assert (rec1.number, rec1.statement) == ("1", "Fund the maintenance of rural water systems")
    assert rec1.body == "The program should focus on:"
    assert [(p.label, p.text) for p in rec1.sub_points.all()] == [
        ("a", "training water boards;"),
        ("b", "a supply of spare parts."),
    ]
    (hwp,) = rec1.responses.all()
    assert hwp.unit == units["HWP"]  # matched by the code in parentheses
    assert hwp.agreement == "agree"
    actions = list(hwp.actions.order_by("position"))
    assert [a.text for a in actions] == [
        "HWP will set up a maintenance fund.",
        "HWP will train twenty water boards.",
    ]
    assert {(a.unit, a.role, a.target_date_text) for a in actions} == {
        (units["HWP"], "Director", "June 2027")
    }
    assert actions[0].target_kind == TargetKind.DATE
    assert str(actions[0].due_date) == "2027-06-30"

    prs, mro = rec2.responses.order_by("id")
    assert prs.unit == units["PRS"]  # matched by its full name
    assert prs.agreement == "partially_agree"
    # No separate reason in the document: the commitment stands as the rationale, with a note.
    assert prs.rationale == prs.commitment != ""
    assert "Imported notes:" in rec2.body and "PRS" in rec2.body
    assert mro.unit.code == "MRO" and mro.unit.name_en == "Mountain Roads Office"
    assert [a.target_date_text for a in mro.actions.all()] == ["Fall 2027"]

    assert (report.recommendations, report.responses, report.actions) == (2, 3, 4)
    assert report.units_created == ["MRO"]
    assert report.units_matched == ["HWP", "PRS"]


def test_it_maps_an_unknown_unit_to_an_existing_one(evaluator, units) -> None:
    choices = ImportChoices(units={"MRO": UnitDecision(unit=units["GPB"])})
    before = Unit.objects.count()

    evaluation = import_plan(parsed=parse_text(KNOWN_AND_NEW), by=evaluator, choices=choices)

    assert Unit.objects.count() == before
    rec2 = evaluation.recommendations.get(number="2")
    assert set(rec2.responses.values_list("unit__code", flat=True)) == {"PRS", "GPB"}


def test_it_creates_an_unknown_unit_with_the_code_and_name_chosen(evaluator, units) -> None:
    choices = ImportChoices(
        units={"MRO": UnitDecision(code="ROADS", name="Mountain Roads Office")},
        create_units=False,
    )
    import_plan(parsed=parse_text(KNOWN_AND_NEW), by=evaluator, choices=choices)

    unit = Unit.objects.get(code="ROADS")
    assert unit.name_en == "Mountain Roads Office"
    assert not Unit.objects.filter(code="MRO").exists()


def test_it_refuses_an_unknown_unit_without_a_decision_when_asked_to(evaluator, units) -> None:
    before = _counts()
    with pytest.raises(ServiceError, match="Mountain Roads Office"):
        import_plan(
            parsed=parse_text(KNOWN_AND_NEW),
            by=evaluator,
            choices=ImportChoices(create_units=False),
        )
    assert _counts() == before


def test_duplicate_numbers_are_refused_and_nothing_is_written(evaluator, units) -> None:
    parsed = ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="4", text="Do one thing.", responses=[
                ParsedResponse(unit="HWP", agreement="agree")]),
            ParsedRecommendation(number="4", text="Do another thing.", responses=[
                ParsedResponse(unit="PRS", agreement="agree")]),
        ],
    )  # fmt: skip
    before = _counts()
    with pytest.raises(ServiceError, match="numbers two recommendations 4"):
        import_plan(parsed=parsed, by=evaluator)
    assert _counts() == before


def test_a_failure_part_way_leaves_nothing(evaluator, units) -> None:
    # The second recommendation's number is too long for the database: the evaluation,
    # the first recommendation and the new unit made before it must all disappear.
    parsed = parse_text(KNOWN_AND_NEW)
    parsed.recommendations[1].number = "2" * 30
    before = _counts()
    with pytest.raises(ServiceError):
        import_plan(parsed=parsed, by=evaluator)
    assert _counts() == before


def test_undetermined_agreement_is_refused_naming_the_recommendation_and_unit(
    evaluator, units
) -> None:
    before = _counts()
    with pytest.raises(ServiceError) as caught:
        import_plan(parsed=parse_text(NO_AGREEMENT), by=evaluator)
    assert "Recommendation 2 (Highland Water Program (HWP))" in caught.value.message
    assert _counts() == before


def test_a_default_agreement_is_recorded_with_a_note(evaluator, units) -> None:
    evaluation = import_plan(
        parsed=parse_text(NO_AGREEMENT),
        by=evaluator,
        choices=ImportChoices(default_agreement="partially_agree"),
    )
    rec2 = evaluation.recommendations.get(number="2")
    response = rec2.responses.get()
    assert response.agreement == "partially_agree"
    assert response.rationale == "A survey will be designed with partners."
    assert "does not say whether HWP agrees" in rec2.body


def test_unplaced_text_and_notes_are_kept_on_the_nearest_recommendation(evaluator, units) -> None:
    parsed = ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="1", text="First.", line_span=(3, 9), notes=["Footnote A."],
                responses=[ParsedResponse(unit="HWP", agreement="agree", notes=["Status: open"],
                    actions=[ParsedAction(text="Act.", target_date=None)])]),
            ParsedRecommendation(number="2", text="Second.", line_span=(10, 20),
                responses=[ParsedResponse(unit="PRS", agreement="agree")]),
        ],
        unplaced=[
            UnplacedText("Preamble before everything.", (1, 1)),
            UnplacedText("A stray paragraph.", (14, 15)),
        ],
    )  # fmt: skip
    evaluation = import_plan(parsed=parsed, by=evaluator)

    rec1 = evaluation.recommendations.get(number="1")
    rec2 = evaluation.recommendations.get(number="2")
    assert rec1.body.startswith("Imported notes:")
    for text in ("Footnote A.", "HWP: Status: open", "(line 1) Preamble before everything."):
        assert text in rec1.body
    assert "(lines 14–15) A stray paragraph." in rec2.body
    action = Action.objects.get(response__recommendation=rec1)
    assert action.target_date_text == MISSING_DATE
    assert action.target_kind == TargetKind.UNPARSED


def test_a_commitment_from_a_unit_not_named_responsible_is_kept(evaluator, units) -> None:
    evaluation = import_plan(parsed=parse_text(COMMITS_ONLY), by=evaluator)

    rec = evaluation.recommendations.get()
    assert list(rec.responses.values_list("unit__code", flat=True)) == ["HWP"]
    assert "Harbour Safety Office (HSO): HSO will advise on docking inspections." in rec.body
    assert not Unit.objects.filter(code="HSO").exists()


def test_two_spellings_of_one_unit_become_one_response(evaluator, units) -> None:
    parsed = ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="1", text="Do it.", responses=[
                ParsedResponse(unit="Highland Water Program", agreement="agree",
                               commitment="We agree.",
                               actions=[ParsedAction(text="First.", target_date="2027-28")]),
                ParsedResponse(unit="HWP", agreement="agree", commitment="We will act.",
                               actions=[ParsedAction(text="Second.", target_date="June 2027")]),
            ]),
        ],
    )  # fmt: skip
    evaluation = import_plan(parsed=parsed, by=evaluator)

    (response,) = Response.objects.filter(recommendation__evaluation=evaluation)
    assert response.unit == units["HWP"]
    assert response.commitment == "We agree.\n\nWe will act."
    assert list(response.actions.values_list("text", flat=True)) == ["First.", "Second."]


def test_a_response_naming_no_unit_is_kept_as_a_note(evaluator, units) -> None:
    parsed = ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="1", text="Track outcomes.", responses=[
                ParsedResponse(unit=None, agreement="disagree",
                               commitment="Provinces already track them.")]),
        ],
    )  # fmt: skip
    evaluation = import_plan(parsed=parsed, by=evaluator)

    rec = evaluation.recommendations.get()
    assert not rec.responses.exists()
    assert "disagree Provinces already track them." in rec.body


def test_only_the_evaluation_unit_imports(focal, units) -> None:
    with pytest.raises(PermissionDenied):
        import_plan(parsed=parse_text(KNOWN_AND_NEW), by=focal)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        (
            "Director, Fisheries Compliance Directorate (FCD)",
            "FCD",
            "Fisheries Compliance Directorate",
        ),
        # Partners named after the unit are not part of it.
        ("KSI with the support of SGS", "KSI", "KSI"),
        # No code written: the initials of the name, never the name in capitals.
        ("Director General, Skills Branch", "SB", "Skills Branch"),
        ("Project Manager", "PM", "Project Manager"),
    ],
)
def test_it_proposes_a_code_and_name_from_the_text(text: str, code: str, name: str) -> None:
    proposal = propose_unit(text)
    assert (proposal.code, proposal.name) == (code, name)


def test_a_role_before_the_unit_is_split_off() -> None:
    assert split_role("Manager, Safety Office") == ("Manager", "Safety Office")
    assert split_role("Water Branch, Quito Office") == ("", "Water Branch, Quito Office")


def _roads_plan() -> ParsedDocument:
    return ParsedDocument(
        title="Invented plan",
        language="en",
        recommendations=[
            ParsedRecommendation(number="1", text="Repair the roads.", responses=[
                ParsedResponse(unit="Mountain Roads Office (MRO)", agreement="agree", actions=[
                    ParsedAction(text="Survey.", responsibility_centre="Mountain Roads Office",
                                 target_date="June 2027"),
                    ParsedAction(text="Repair.", responsibility_centre="MRO",
                                 target_date="June 2028"),
                ]),
            ]),
        ],
    )  # fmt: skip


def test_unknown_units_are_grouped_however_they_are_written(units) -> None:
    proposals = unit_proposals(_roads_plan())
    assert [(p.code, p.texts) for p in proposals] == [
        ("MRO", ("Mountain Roads Office (MRO)", "Mountain Roads Office", "MRO"))
    ]


def test_one_decision_covers_every_spelling_of_a_unit(evaluator, units) -> None:
    choices = ImportChoices(units={"MRO": UnitDecision(unit=units["WSB"])}, create_units=False)
    evaluation = import_plan(parsed=_roads_plan(), by=evaluator, choices=choices)

    actions = Action.objects.filter(response__recommendation__evaluation=evaluation)
    assert {a.unit for a in actions} == {units["WSB"]}
    assert not Unit.objects.filter(code="MRO").exists()
