"""Run the importer over ../shared/samples/*.txt and score it with ../shared/tools/score_import.py."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from uptake.importer.errors import DocumentError  # noqa: E402
from uptake.importer.parsing import parse_document  # noqa: E402

SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "samples"
SCORER = SHARED / "tools" / "score_import.py"


def main() -> int:
    if not SAMPLES.is_dir() or not SCORER.is_file():
        print(f"skipped: {SAMPLES} or {SCORER} is not here")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted(SAMPLES.glob("*.txt")):
            try:
                data = parse_document(source).to_dict()
            except DocumentError as exc:
                print(f"{source.name}: {exc}", file=sys.stderr)
                continue  # the scorer counts a missing prediction as 0
            out = Path(tmp) / f"{source.stem}.json"
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(SCORER), tmp, str(SAMPLES), *sys.argv[1:]], check=False
        )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
