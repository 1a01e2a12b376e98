import pytest

from uptake.importer.parsing import detect_agreement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Branch agrees with this recommendation.", "agree"),
        ("Management concurs.", "agree"),
        ("Accepted", "agree"),
        ("Agreed - work is under way.", "agree"),
        ("The Office agrees in part with the recommendation.", "partially_agree"),
        ("Management partially agrees.", "partially_agree"),
        ("The unit accepts the recommendation in part.", "partially_agree"),
        ("Partially agree: the budget is limited.", "partially_agree"),
        ("Management does not agree with this recommendation.", "disagree"),
        ("The Division disagrees.", "disagree"),
        ("Rejected", "disagree"),
        ("La direction est d'accord avec la recommandation.", "agree"),
        ("La direction est d’accord.", "agree"),
        ("La direction est partiellement d'accord.", "partially_agree"),
        ("Le secteur accepte en partie cette recommandation.", "partially_agree"),
        ("La direction n'est pas d'accord.", "disagree"),
        ("La direction accepte la recommandation.", "agree"),
        ("Le bureau souscrit à la recommandation.", "agree"),
        ("Acceptée", "agree"),
        ("Rejetée", "disagree"),
        ("The program will develop a new strategy.", None),
        ("Partners will agree on a spending policy.", None),
        ("", None),
    ],
)
def test_it_detects_agreement(text: str, expected: str | None) -> None:
    assert detect_agreement(text, "en") == expected
