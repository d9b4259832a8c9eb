"""Shared fixtures: seed texts, a tmp cache dir, and the grounding assertion."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.models import Summary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Six provincial 政府工作报告 (2026, published text with its web debris; tests/data/samples/README.md
# says where from). Named, not globbed: a missing file fails the tests that read it instead of
# shrinking a parametrised list and skipping in silence.
SAMPLES = ROOT / "tests" / "data" / "samples"
SAMPLE_REPORTS = [
    SAMPLES / f"p26_{name}.txt"
    for name in ("guangdong", "hainan", "hebei", "shanghai", "sichuan", "xizang")
]


def seed_path(prefix: str) -> Path:
    """The seed report whose file name starts with `prefix` (e.g. "000")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def assert_grounded(text: str, summary: Summary) -> None:
    """Every evidence of `summary` is a verbatim span of `text`."""
    for key in ("achievements", "metrics", "problems", "plans"):
        for item in getattr(summary, key):
            ev = item.evidence
            assert text[ev.start : ev.end] == ev.quote, (key, ev)


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("SUMMARIZER_BACKEND", "SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
