"""Text for PDFs written with the standard Helvetica, so that nothing needs installing on the
server: the reader's PDF viewer supplies the font.

In the Windows-1252 encoding Helvetica covers English, French and Spanish entirely (accents,
« », œ, ’, –, …). Anything outside it is written in its nearest plain form: "→" as "->",
a narrow no-break space (French number formats) as a space, "?" when there is none.
"""

from __future__ import annotations

import unicodedata

PDF_ENCODING = "windows-1252"

# Characters NFKD leaves alone but that have a plain spelling.
_PLAIN = {"→": "->", "←": "<-", "≤": "<=", "≥": ">="}


def pdf_text(text: str) -> str:
    """TEXT as Helvetica in PDF_ENCODING can show it."""
    try:
        text.encode(PDF_ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(PDF_ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = _PLAIN.get(char) or (
                unicodedata.normalize("NFKD", char)
                .encode(PDF_ENCODING, "ignore")
                .decode(PDF_ENCODING)
            )
            out.append(plain or "?")
    return "".join(out)
