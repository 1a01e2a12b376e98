"""Documents per second: the importer's parser on two-page documents, in process."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from uptake.importer.parsing import parse_text  # noqa: E402
from uptake.importer.tests import documents  # noqa: E402

# About two printed pages each (6-9 thousand characters), one per layout family.
LAYOUTS = [
    documents.NARRATIVE,
    documents.PIPE_TABLE,
    documents.TAB_TABLE,
    documents.ONE_CELL_PER_LINE,
    documents.FRENCH,
    documents.UN_KEY_ACTIONS,
    documents.SPACE_JOINED,
    documents.MOJIBAKE,
]


def two_pages(text: str) -> str:
    out = text
    while len(out) < 6000:
        out += "\n" + text
    return out


def main(seconds: float = 3.0) -> None:
    corpus = [two_pages(t) for t in LAYOUTS]
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in corpus:
            parse_text(text)
            done += 1
    elapsed = time.perf_counter() - start
    print(f"import speed: {done / elapsed:.1f} documents/second ({done} two-page documents)")


if __name__ == "__main__":
    main()
