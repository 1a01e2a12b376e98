from uptake.importer.parsing.dates import find_column_dates, is_date_only
from uptake.importer.parsing.units import same_unit, split_units


def test_it_recognises_dates_as_written() -> None:
    for written in ["June 2021", "Q3 2021-22", "March 31, 2022", "31 mars 2022", "Fall 2023",
                    "2021-22", "2010/12", "First quarter of fiscal year 2012-13", "Ongoing",
                    "Automne 2025", "February 2016 (Completed)"]:  # fmt: skip
        assert is_date_only(written), written
    assert not is_date_only("Director General")


def test_it_ignores_dates_inside_a_sentence() -> None:
    assert find_column_dates("Hold a workshop by June 2021 with partners") == []
    hits = find_column_dates("Policy Directorate June 2021")
    assert [h.written for h in hits] == ["June 2021"]


def test_it_splits_a_cell_naming_two_units() -> None:
    cell = "Chief Operating Officer (COO), Finance Branch (FB) COO, Regional Branch (RB)"
    assert split_units(cell) == [
        "Chief Operating Officer (COO), Finance Branch (FB)",
        "COO, Regional Branch (RB)",
    ]


def test_it_tells_aliases_from_different_units() -> None:
    assert same_unit("Audit Services Office (ASO)", "ASO")
    assert same_unit("Audit Services Office (ASO)", "Audit Services Office")
    assert not same_unit("ASO", "ASO with the support of FIN and HR")
    assert not same_unit("COO, Finance Branch (FB)", "COO, Regional Branch (RB)")
