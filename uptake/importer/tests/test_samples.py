"""The published samples in ../shared/samples, scored with the project's scorer."""

import importlib.util
import json
from pathlib import Path

import pytest

from uptake.importer.parsing import parse_text

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SAMPLES = SHARED / "samples"
SCORER = SHARED / "tools" / "score_import.py"

pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir() or not SCORER.is_file(), reason="../shared/samples is not here"
)


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score_import", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("truth", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_it_scores_each_sample_fully(truth: Path) -> None:
    source = truth.with_suffix(".txt")
    pred = parse_text(source.read_text(encoding="utf-8"), source_name=source.name).to_dict()
    overall, parts = _scorer().score_doc(pred, json.loads(truth.read_text(encoding="utf-8")))
    assert overall >= 0.99, parts
