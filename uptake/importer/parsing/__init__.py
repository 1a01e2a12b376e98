"""Turn published management responses (MRAPs) into a structured ParsedDocument."""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError
from .agreement import detect_agreement
from .grammar import parse_text_lines
from .model import (
    ParsedAction,
    ParsedDocument,
    ParsedRecommendation,
    ParsedResponse,
    UnplacedText,
)

__all__ = [
    "DocumentError",
    "ParsedAction",
    "ParsedDocument",
    "ParsedRecommendation",
    "ParsedResponse",
    "UnplacedText",
    "detect_agreement",
    "parse_document",
    "parse_text",
]


def parse_text(
    text: str, *, language: str | None = None, source_name: str = "<text>"
) -> ParsedDocument:
    """Parse the text of a management response; raises DocumentError when none is found."""
    if language not in (None, "en", "fr"):
        raise DocumentError(source_name, f"unknown language {language!r}", "en or fr")
    if not text or not text.strip():
        raise DocumentError(source_name, "the document is empty", "a management response")
    try:
        doc = parse_text_lines(text, language, source_name)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure on odd input is the document's fault
        raise DocumentError(
            source_name, f"the text could not be parsed ({type(exc).__name__})"
        ) from exc
    if not doc.recommendations:
        raise DocumentError(
            source_name,
            "no recommendation with a management response was recognised",
            'numbered recommendations ("Recommendation 1", "1.") each followed by a response',
        )
    return doc


def parse_document(path: Path | str, *, language: str | None = None) -> ParsedDocument:
    """Read a .txt, .html, .docx or .pdf file and parse it."""
    from ..readers import read_text

    path = Path(path)
    text = read_text(path)
    return parse_text(text, language=language, source_name=str(path))
