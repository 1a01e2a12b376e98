"""A unit that commits but is never named as responsible keeps its words, as a note."""

from __future__ import annotations

from uptake.importer.parsing import parse_text

from .plans import COMMITS_ONLY


def test_a_commitment_without_a_responsible_unit_becomes_a_note() -> None:
    (rec,) = parse_text(COMMITS_ONLY).recommendations
    assert [r.unit for r in rec.responses] == ["Highland Water Program (HWP)"]
    assert rec.responses[0].commitment == "HWP agrees with this recommendation."
    assert rec.notes == ["Harbour Safety Office (HSO): HSO will advise on docking inspections."]


def test_a_rule_line_before_a_table_is_not_reported_as_unplaced() -> None:
    text = (
        "Invented plan\n"
        "Recommendation | Response | Actions | Responsibility | Date |\n"
        "---|---|---|---|---|\n"
        "1 | The office should file reports. | Agreed. | File them. | Records Office (RO) | May 2027 |\n"
    )
    assert parse_text(text).unplaced == []
