"""`<id>.json` is written in pieces (one item at a time, so the JSON of a large report is never
whole in memory): the pieces must make exactly the document pydantic makes of the whole summary."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.models import Summary
from summarizer.pipeline import summarize_report
from summarizer.read.source import read_report
from summarizer.render.outputs import (
    summary_json_bytes,
    summary_json_pieces,
    write_report_outputs,
)
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "evals/real/reports").glob("*.txt"))[:4]


@cache
def _summary(path: Path) -> Summary:
    return summarize_report(read_report(path))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_pieces_make_the_whole_document(path: Path, tmp_path: Path) -> None:
    summary = _summary(path)
    whole = summary_json_bytes(summary)
    assert "".join(summary_json_pieces(summary)).encode() == whole
    written = write_report_outputs(summary, read_report(path).text, tmp_path)[0]
    assert written.suffix == ".json" and written.read_bytes() == whole
    assert json.loads(whole)["metrics"], "a report with figures: the item lists were streamed"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    keep=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_any_text_and_empty_lists(text: str, keep: list[bool]) -> None:
    """Newlines, quotes, backslashes and control characters inside a string, and lists left
    empty, change nothing in the document."""
    base = _summary(REPORTS[0])
    lists = ("achievements", "metrics", "problems", "plans")
    update: dict[str, object] = {}
    for name, kept in zip(lists, keep, strict=True):
        items = getattr(base, name)[:2]
        if kept and name != "metrics":  # the other three lists' items all have a title
            items = [i.model_copy(update={"title": text + '\n"\\'}) for i in items]
        update[name] = items if kept else []
    summary = base.model_copy(update=update)
    assert "".join(summary_json_pieces(summary)).encode() == summary_json_bytes(summary)
