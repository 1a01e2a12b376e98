"""Errors raised by the importer."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A document could not be read or recognised; the message names the file and what was expected."""

    def __init__(self, source: str | Path, problem: str, expected: str = "") -> None:
        self.source = str(source)
        self.problem = problem
        self.expected = expected
        message = f"{self.source}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)
