"""No input is slower than linear: a long run of any character class the readers and the rules
extractor match on costs time in proportion to its length.

Each row puts a run of one class (ten thousand digits in a row: a table of figures, an ID, a
scanned page) into a normal report, at a place where the patterns read it, and reads, extracts
and renders the report with the run at n and at 4n characters. The law is on the growth of CPU
time, not on time itself, so a loaded machine does not fail it: linear work grows about 4x
(less, with the report's own fixed cost), quadratic work 16x. n is large enough for a quadratic
pattern to dominate the report's own cost, small enough that the whole table takes seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.pipeline import summarize
from summarizer.render.outputs import write_report_outputs

from .conftest import seed_path

# A normal report: the opening, the first two parts of seed 000 (numbered headings, 一是 items
# with figures). Runs go where a pattern reads them (see _placed).
_SEED = seed_path("000").read_text(encoding="utf-8")
_HOST = _SEED[: _SEED.index("三、狠抓生态治理")]
_SENTENCE = _HOST.index("今年1-10月实现公")  # a sentence start inside an item
_ITEM = _HOST.index("完成规模工业总产值")  # mid-sentence, before an item's figure
_HEADING = _HOST.index("一、突出有效投入") + len("一、")  # inside a numbered heading
# Its problems passage ("…但经济社会发展仍然存在不少短板：一是产业结构不优，…"), after the host.
_PROBLEMS_AT = _SEED.index("2020年，面对复杂严峻")
_PROBLEMS = _SEED[_PROBLEMS_AT : _SEED.index("\n", _PROBLEMS_AT)]
_PROBLEM = _PROBLEMS.index("一是产业结构不优，") + len("一是产业结构不优，")  # inside a problem

N = 4_000  # characters of the shorter run
GROWTH = 4  # the longer run is GROWTH times as long
LIMIT = 8.0  # linear: ≤ 4; quadratic: 16 once the run dominates
REPEATS = 3  # best of: a busy machine only ever slows a run down


def _placed(where: str, run: str) -> str:
    if where == "sentence":
        return _HOST[:_SENTENCE] + run + _HOST[_SENTENCE:]
    if where == "item":
        return _HOST[:_ITEM] + "完成" + run + _HOST[_ITEM:]
    if where == "heading":
        return _HOST[:_HEADING] + run + _HOST[_HEADING:]
    if where == "problem":
        return _HOST + "\n" + _PROBLEMS[:_PROBLEM] + run + _PROBLEMS[_PROBLEM:] + "\n"
    if where == "line":
        return _HOST[:_SENTENCE] + "\n" + run + "\n" + _HOST[_SENTENCE:]
    assert where == "alone", where
    return run  # the whole file is the run (`summarizer brief` on '1234567890' * 2500)


# (class, the unit repeated into a run, what stands before the run, where in the report)
RUNS: list[tuple[str, str, str, str]] = [
    ("ascii digits", "1234567890", "", "sentence"),
    ("ascii digits, whole file", "1234567890", "", "alone"),
    ("ascii digits in a heading", "1234567890", "", "heading"),
    ("ascii digits before a figure", "1234567890", "", "item"),
    ("full-width digits", "１２３４５６７８９０", "", "sentence"),
    ("arabic-indic digits", "١٢٣٤٥٦٧٨٩٠", "", "sentence"),
    ("a decimal's digits", "1234567890", "1.", "sentence"),
    ("digits after 分别", "1234567890", "分别", "sentence"),
    ("digits with dots", "1.", "", "sentence"),
    ("digits and spaces", "1 ", "", "sentence"),
    ("thousands commas", "1,", "", "sentence"),
    ("figures with units", "1亿元", "", "sentence"),
    ("percentages", "5%", "", "sentence"),
    ("ranges", "1-", "", "sentence"),
    ("chinese numerals", "一二三四五六七八九十", "", "sentence"),
    ("units", "亿元", "", "item"),
    ("change words", "同比", "", "item"),
    ("分别 repeated", "分别", "", "item"),
    ("punctuation", "，、。；", "", "sentence"),
    ("colons", "：", "", "sentence"),
    ("heading markers 一、", "一、", "", "line"),
    ("heading markers （一）", "（一）", "", "line"),
    ("heading markers 1.", "1.", "", "line"),
    ("item markers 一是", "一是", "", "sentence"),
    ("spaces", " ", "", "sentence"),
    ("spaces in a problem", " ", "", "problem"),
    ("ideographic spaces", "\u3000", "", "sentence"),
    ("ideographic spaces in a problem", "\u3000", "", "problem"),
    ("line breaks in a problem", "\n", "", "problem"),
    ("punctuation in a problem", "，、。；", "", "problem"),
    ("等 in a problem", "等", "", "problem"),
    ("line breaks", "\n", "", "sentence"),
    ("blank lines with spaces", " \n", "", "sentence"),
    ("quotes", "“”", "", "sentence"),
    ("brackets", "（）", "", "sentence"),
    ("plan periods", "“十四五”", "", "sentence"),
    ("years", "2020年", "", "sentence"),
    ("dashes", "——", "", "sentence"),
]


def _cpu_seconds(work: Callable[[Path, Path], object], path: Path, out: Path) -> float:
    """The least CPU time of a few runs of `work(path, out)`; one when it is slow beyond doubt."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        work(path, out)
        best = min(best, time.process_time() - start)
        if best > 1.0:  # a repeat would only confirm it
            break
    return best


def _brief(path: Path, out: Path) -> None:
    summary = summarize(path)
    write_report_outputs(summary, path.read_text(encoding="utf-8"), out)


def _growth(tmp_path: Path, unit: str, before: str, where: str) -> tuple[float, float]:
    seconds = []
    for n in (N, GROWTH * N):
        run = before + (unit * (n // len(unit) + 1))[:n]
        path = tmp_path / f"run{n}.txt"
        path.write_text(_placed(where, run), encoding="utf-8")
        seconds.append(_cpu_seconds(_brief, path, tmp_path / "out"))
    return seconds[0], seconds[1]


@pytest.mark.parametrize(("name", "unit", "before", "where"), RUNS, ids=[r[0] for r in RUNS])
def test_a_long_run_costs_linear_time(
    tmp_path: Path, name: str, unit: str, before: str, where: str
) -> None:
    short, long = _growth(tmp_path, unit, before, where)
    ratio = long / max(short, 1e-3)
    print(f"{name}: {short:.3f} s → {long:.3f} s for {GROWTH}x the run (x{ratio:.1f})")
    assert ratio < LIMIT, f"{name}: {GROWTH}x the run took x{ratio:.1f} the CPU time"
