"""Recognise a unit's agreement with a recommendation, in English and French."""

from __future__ import annotations

import re
from functools import lru_cache

from uptake.core import search

AGREE = "agree"
PARTIAL = "partially_agree"
DISAGREE = "disagree"

# Checked in this order: the negative and partial forms contain the positive words.
_DISAGREE = [
    r"\b(?:does|do|did|will|would|could|can)\s*(?:not|n't)\s+(?:agree|concur|accept|support)",
    r"\bdon't\s+(?:agree|concur|accept)",
    r"\bcannot\s+(?:agree|concur|accept|support)",
    r"\bdisagree[sd]?\b",
    r"\bnon[- ]?concur",
    r"\bnot\s+(?:agreed|accepted|supported)\b",
    r"\b(?:rejected|rejects?|declined?)\b",
    r"\bn'(?:est|sont|accepte|acceptent|souscrit|souscrivent|approuve)\s+pas\b",
    r"\bne\s+(?:souscrit|souscrivent|partage|partagent|peut|peuvent)\s+pas\b",
    r"\b(?:en\s+)?desaccord\b",
    r"\b(?:rejetee?s?|refusee?s?|non\s+acceptee?s?)\b",
    r"\brejette\b",
]
_PARTIAL = [
    r"\b(?:agree[sd]?|concur[sred]*|accept[sed]*)\s+(?:(?:with\s+)?(?:this|the)\s+recommendation\s+)?"
    r"(?:in\s+part|partially|in\s+principle\s+and\s+in\s+part)\b",
    r"\b(?:partially|partly|partly\s+or\s+fully)\s+(?:agree[sd]?|concur[sred]*|accept[sed]*)\b",
    r"\b(?:agree[sd]?|accept[sed]*)\s+with\s+(?:part|parts|some)\s+of\b",
    r"\bpartial(?:ly)?\s+(?:agreement|acceptance)\b",
    r"\bdo(?:es)?\s*(?:not|n't)\s+fully\s+(?:agree|concur|accept)",
    r"\b(?:partiellement|en\s+partie)\s+(?:d'accord|acceptee?s?|accepte)\b",
    r"\bd'accord\s+en\s+partie\b",
    r"\b(?:accepte|acceptent|souscrit|souscrivent|acceptee?s?)\s+(?:partiellement|en\s+partie)\b",
    r"\bacceptee?s?\s+(?:a|sous)\s+(?:certaines\s+)?conditions?\b",
    r"\bpartiellement\s+acceptee?s?\b",
]
# "agree on a policy" and "agree to develop" describe the work, not the unit's position.
_AGREE = [
    r"\b(?:agree[sd]?|concur[sred]*)\b(?!\s+(?:on|upon)\b)(?!\s+to\s+(?!th(?:is|e|ese)\b)\w)",
    r"\baccept(?:s|ed)?\b(?!\s+(?:on|to)\b)",
    r"\bsupports?\s+(?:this|the)\s+recommendation\b",
    r"\b(?:est|sont|sommes|suis)\s+d'accord\b",
    r"^\s*d'accord\b",
    r"\b(?:accepte|acceptent|acceptee?s?|souscrit|souscrivent|approuve|approuvent)\b",
]
_COMPILED = {
    DISAGREE: [re.compile(p) for p in _DISAGREE],
    PARTIAL: [re.compile(p) for p in _PARTIAL],
    AGREE: [re.compile(p) for p in _AGREE],
}


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Straighten apostrophes, then fold case and accents as searches do, for matching."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("`", "'")
    return text.lower() if text.isascii() else search.fold(text)


def detect_agreement(text: str, language: str | None = None) -> str | None:
    """Return 'agree', 'partially_agree', 'disagree' or None for a response sentence."""
    del language  # both vocabularies are tried: bilingual pages mix them
    folded = fold(text or "")
    if not folded.strip():
        return None
    for value in (DISAGREE, PARTIAL, AGREE):
        if any(p.search(folded) for p in _COMPILED[value]):
            return value
    return None


_BARE = re.compile(
    r"^\s*(?:management\s+response\s*:?\s*)?(?:\(?\s*)?"
    r"(agreed?|agree\s+in\s+part|partially\s+agreed?|partly\s+agreed?|disagreed?|"
    r"accepted|partially\s+accepted|accepted\s+in\s+part|rejected|concur|non-?concur|"
    r"d'accord|pas\s+d'accord|partiellement\s+d'accord|acceptee?|rejetee?|"
    r"acceptee?\s+en\s+partie|partiellement\s+acceptee?)\s*\)?\s*[.:;-]?\s*$"
)


def is_bare_agreement(text: str) -> bool:
    """True for a cell that holds only an agreement word ("Agree", "Acceptée", "Disagree.")."""
    return bool(_BARE.match(fold(text)))


_TRAILING = re.compile(
    r"^(?P<head>.*[.?!:)])\s+(?P<word>(?:partially\s+|partly\s+)?(?:agreed?|disagreed?|accepted|"
    r"rejected|concur|d['\u2019]accord|accept[ée]e?|rejet[ée]e?)(?:\s+in\s+part|\s+en\s+partie)?)"
    r"\s*[.:]?$",
    re.IGNORECASE,
)


def split_trailing_agreement(text: str) -> tuple[str, str] | None:
    """Split "Statement text. Agree" into the statement and the agreement word."""
    m = _TRAILING.match(text)
    if not m:
        return None
    cut = len(m.group("head"))
    return text[:cut].strip(), text[cut:].strip()
