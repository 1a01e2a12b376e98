"""Clean text before parsing: mojibake, odd spaces, line endings."""

from __future__ import annotations

import re

import ftfy

_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str) -> str:
    """Fix mojibake ("lâ€™Ã©valuation" → "l’évaluation"), spaces and line endings."""
    # Quotes stay curly: the text is kept as written, only the encoding damage is undone.
    text = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, normalization="NFC")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", _SPACES.sub(" ", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))
