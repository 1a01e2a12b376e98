"""The vocabulary of management responses: section headings and table columns, EN and FR."""

from __future__ import annotations

import re

from .agreement import fold

# Section headings of the narrative layout, matched on folded text (no accents, lower case).
SECTION_HEADINGS: dict[str, str] = {
    "response": (
        r"management\s+response(?:\s+and\s+action\s+plan)?|response|commitments?|"
        r"management\s+commitments?|engagements?(?:\s+de\s+la\s+direction)?|"
        r"reponse(?:\s+de\s+la\s+direction)?|agreement|position(?:\s+de\s+la\s+direction)?|"
        r"statement\s+of\s+agreement"
    ),
    "actions": (
        r"(?:key|planned|management|proposed|follow-up)?\s*actions?(?:\s*\(s\))?(?:\s+plan)?|"
        r"action\s+plan|management\s+action\s+plan|plan\s+d'action|mesures?(?:\s+prevues?)?|"
        r"mesures?\s+(?:de\s+suivi|cles)|actions?\s+cles"
    ),
    "unit": (
        r"responsibility(?:\s+cent(?:re|er))?|responsible(?:\s+(?:official|unit|party|office))?|"
        r"centre\s+de\s+responsabilite|responsabilite|responsables?|lead(?:\s+office)?|"
        r"bureau\s+responsable|office\s+of\s+primary\s+interest|owner"
    ),
    "date": (
        r"(?:target|expected|planned|estimated)?\s*(?:completion|implementation|due)?\s*date|"
        r"timeline|timeframe|deadline|date\s+(?:d'achevement|de\s+realisation|cible|prevue)"
        r"(?:\s+prevue)?|echeance|echeancier|delai"
    ),
    "deliverable": r"deliverables?|livrables?|produits?\s+livrables?|expected\s+results?|resultats?",
    "notes": r"status|comments?|etat|commentaires?|notes?|resources?|ressources",
}
_SECTION_RES = {k: re.compile(rf"^(?:{v})$") for k, v in SECTION_HEADINGS.items()}
_INLINE = re.compile(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<value>.*)$")
_METADATA = re.compile(r"\[(?:added|last\s+updated|ajoute|mis\s+a\s+jour)[^\]]*\]", re.IGNORECASE)


def strip_metadata(line: str) -> str:
    """Drop page metadata such as "[Added: 2012/10/07]"."""
    return _METADATA.sub("", line).strip()


def section_heading(line: str) -> tuple[str, str] | None:
    """("actions", "") for a heading line; ("date", "June 2021") for "Target date: June 2021"."""
    text = strip_metadata(line).strip().strip("*#").strip()
    if not text or len(text) > 120:
        return None
    folded = fold(text).rstrip(" :.")
    folded = re.sub(r"\s+", " ", folded)
    for role, rx in _SECTION_RES.items():
        if rx.match(folded):
            return role, ""
    m = _INLINE.match(text)
    if m:
        label = re.sub(r"\s+", " ", fold(m.group("label")).strip())
        for role, rx in _SECTION_RES.items():
            if rx.match(label):
                return role, m.group("value").strip()
    return None


# Column names of the table layouts. Order of appearance in a header tells the column order.
COLUMNS: list[tuple[str, str]] = [
    ("accountability", r"accountab\w*|obligation\s+redditionnelle|imputabilite"),
    ("unit", r"responsib\w*|responsable|responsible|centre\s+de\s+responsabilite|lead\s+office"),
    ("date", r"due\s?date|completion\s+date|target\s+date|timeline|echeance|date"),
    ("deliverable", r"deliverables?|livrables?"),
    ("action", r"actions?|mesures?|plan\s+d'action"),
    ("response", r"management\s+response|reponse|response|commitments?|engagements?|agreement"),
    ("recommendation", r"recommendations?|recommandations?"),
    ("status", r"status|etat"),
    ("comments", r"comments?|commentaires?"),
    ("resources", r"resources|ressources"),
]
_COLUMN_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in COLUMNS))


def header_columns(line: str, min_roles: int = 3) -> list[str] | None:
    """Column roles in order when the line is a table header row, else None."""
    text = fold(line)
    if len(text) > 500 or not text.strip():
        return None
    roles: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _COLUMN_RE.finditer(text):
        role = m.lastgroup or ""
        spans.append(m.span())
        if role not in roles:
            roles.append(role)
    if len(roles) < min_roles:
        return None
    # A header is mostly column names; a sentence that mentions three of them is not.
    covered = sum(e - s for s, e in spans)
    letters = len(re.sub(r"[^a-z]", "", text))
    if letters and covered / letters < 0.3:
        return None
    if re.search(r"\b(?:will|should|shall|va|doit|devrait)\b", text):
        return None
    return roles
