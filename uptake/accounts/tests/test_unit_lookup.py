"""Finding a unit as documents write it, and walking the unit hierarchy."""

from __future__ import annotations

import pytest

from uptake.accounts.models import Unit, UnitKind
from uptake.accounts.selectors import unit_find, unit_ids_within, user_unit_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> dict[str, Unit]:
    """An invented organisation: a branch, a bureau, a program and a mission abroad."""
    branch = Unit.objects.create(
        code="RDO",
        name_en="Regional Development Operations",
        name_fr="Opérations de développement régional",
        kind=UnitKind.BRANCH,
    )
    bureau = Unit.objects.create(
        code="ANB",
        name_en="Andean Bureau",
        name_fr="Direction des Andes",
        kind=UnitKind.BUREAU,
        parent=branch,
    )
    program = Unit.objects.create(
        code="AWP",
        name_en="Andean Water Program",
        name_fr="Programme de l'eau des Andes",
        kind=UnitKind.DIVISION,
        parent=bureau,
    )
    mission = Unit.objects.create(
        code="SCZ-DA",
        name_en="Development Section, Embassy in Santa Cruz",
        name_fr="Section du développement, ambassade à Santa Cruz",
        kind=UnitKind.MISSION,
        parent=program,
    )
    elsewhere = Unit.objects.create(
        code="EVD", name_en="Evaluation Division", name_fr="Direction de l'évaluation"
    )
    return {u.code: u for u in (branch, bureau, program, mission, elsewhere)}


@pytest.mark.parametrize(
    "text",
    [
        "Regional Development Operations (RDO)",
        "RDO",
        "Regional Development Operations",
        "regional development operations",
        "REGIONAL DEVELOPMENT OPERATIONS",
        "rdo",
        "Regional Development Operations (rdo)",
        "  Regional   Development Operations.  ",
        "Opérations de développement régional",
        "opérations de développement régional",
        "OPÉRATIONS DE DÉVELOPPEMENT RÉGIONAL",
        "Operations de developpement regional",
        "Opérations de développement régional (RDO)",
    ],
)
def test_the_three_ways_documents_name_a_unit_find_the_same_unit(org, text):
    assert unit_find(text) == org["RDO"]


def test_a_code_with_a_hyphen_is_found(org):
    assert unit_find("SCZ-DA") == org["SCZ-DA"]
    assert unit_find("scz-da") == org["SCZ-DA"]
    assert unit_find("Development Section, Embassy in Santa Cruz (SCZ-DA)") == org["SCZ-DA"]


def test_a_role_with_a_program_code_and_a_mission_code_in_parentheses(org):
    # "Peru Development Program Director NDP (LIMA-DA)": the program answers for the action;
    # the code in parentheses says where it sits.
    assert unit_find("Andean Water Program Director AWP (SCZ-DA)") == org["AWP"]


def test_a_role_with_a_bare_code_when_the_code_in_parentheses_is_unknown(org):
    assert unit_find("Andean Water Program Director AWP (XX-ZZ)") == org["AWP"]


def test_a_role_written_before_a_bare_code_finds_the_unit(org):
    assert unit_find("Head of Development SCZ-DA") == org["SCZ-DA"]


def test_a_name_shared_by_two_units_finds_neither(org):
    Unit.objects.create(code="OPS1", name_en="Operations Support")
    Unit.objects.create(code="OPS2", name_en="Operations Support")

    assert unit_find("Operations Support") is None
    assert unit_find("operations support") is None


def test_names_that_differ_only_by_accents_find_neither(org):
    Unit.objects.create(code="CT1", name_en="Côte program")
    Unit.objects.create(code="CT2", name_en="Coté program")

    assert unit_find("Cote program") is None


def test_a_french_name_shared_by_two_units_finds_neither(org):
    Unit.objects.create(code="SA1", name_en="Support A", name_fr="Soutien aux opérations")
    Unit.objects.create(code="SA2", name_en="Support B", name_fr="Soutien aux opérations")

    assert unit_find("Soutien aux opérations") is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "XYZ", "Ministry of Silly Walks", "Ministry of Silly Walks (MSW)"],
)
def test_an_unknown_unit_finds_nothing(org, text):
    assert unit_find(text) is None


def test_part_of_a_name_finds_nothing(org):
    assert unit_find("Andean") is None
    assert unit_find("Water Program") is None


def test_units_within_walks_down_the_whole_hierarchy(org):
    ids = {code: u.id for code, u in org.items()}

    assert unit_ids_within({ids["RDO"]}) == {ids["RDO"], ids["ANB"], ids["AWP"], ids["SCZ-DA"]}
    assert unit_ids_within({ids["AWP"]}) == {ids["AWP"], ids["SCZ-DA"]}
    assert unit_ids_within({ids["SCZ-DA"]}) == {ids["SCZ-DA"]}
    assert unit_ids_within({ids["ANB"], ids["EVD"]}) == {
        ids["ANB"],
        ids["AWP"],
        ids["SCZ-DA"],
        ids["EVD"],
    }
    assert unit_ids_within(set()) == set()


def test_units_within_never_walks_up(org):
    ids = {code: u.id for code, u in org.items()}

    assert ids["RDO"] not in unit_ids_within({ids["ANB"]})


def test_a_focal_point_answers_for_their_units_and_every_sub_unit(units, focal, outsider):
    assert user_unit_ids(focal) == {units["HWP"].id, units["QTO-DA"].id}
    assert user_unit_ids(outsider) == {units["PRS"].id}
