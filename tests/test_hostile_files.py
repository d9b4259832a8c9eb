"""Hostile surroundings rather than hostile text: a full disk, output names that collide,
control characters in names and text on the terminal, a cache folder that is not ours."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from summarizer.console import print_briefing, terminal_text
from summarizer.errors import CacheError
from summarizer.extract.llm.cache import MARKER, LLMCache, clear_cache
from summarizer.read.source import read_report
from summarizer.render.names import output_ids
from summarizer.render.tables import csv_text, render_metrics_csv

from .conftest import ROOT, SEEDS
from .render_fixtures import small_summary

CLI = [sys.executable, "-m", "summarizer.cli"]
REPORT_FILES = (".json", ".md", ".html", ".source.html")


def run_cli(*args: str, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit_file_size() -> None:  # in the child: a write past `fsize` bytes fails (EFBIG)
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [*CLI, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit_file_size,
    )


# --- a full disk --------------------------------------------------------------------------------


def test_batch_onto_a_disk_that_fills_leaves_each_report_whole_or_absent(tmp_path: Path) -> None:
    # A file-size limit is a disk that is full for big files only: the largest report's
    # source page (66 kB) and summaries.jsonl (99 kB) cannot be written, the rest can.
    out = tmp_path / "out"
    done = run_cli("batch", str(SEEDS), "-o", str(out), fsize=60_000)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    big = "000_d690860a6c90c664"
    assert not list(out.glob(f"{big}*")), "the report that failed to write left no file"
    others = [p.stem for p in SEEDS.glob("*.txt") if p.stem != big]
    for rid in others:
        for ext in REPORT_FILES:
            assert (out / f"{rid}{ext}").is_file(), f"{rid}{ext}"
        json.loads((out / f"{rid}.json").read_text(encoding="utf-8"))
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert any(big in line and "File too large" in line for line in errors), errors
    assert any("summaries.jsonl: cannot write" in line for line in errors), errors
    # the results table still came, and the index (small enough) lists the failure
    assert "reports ok" in done.stdout and "failed: 000_d690860a6c90c664.txt" in done.stdout
    assert big in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "summaries.jsonl").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_brief_onto_a_full_disk_writes_no_file_of_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("brief", str(SEEDS / "000_d690860a6c90c664.txt"), "-o", str(out), fsize=20_000)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if line] == [
        line for line in done.stderr.splitlines() if line.startswith("error: ")
    ]
    assert "File too large" in done.stderr
    assert not list(out.iterdir())


# --- output names that collide ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["index.txt", "a.txt"], {"index.txt": "index_txt", "a.txt": "a"}),
        (["x.source.txt", "x.txt"], {"x.source.txt": "x.source_txt", "x.txt": "x"}),
        (["y.source.txt"], {"y.source.txt": "y.source"}),  # alone it collides with nothing
        (["Index.TXT"], {"Index.TXT": "Index_TXT"}),  # case-insensitive file systems
        (["metrics", "panel.md.txt"], {"metrics": "metrics_report", "panel.md.txt": "panel.md"}),
        (
            ["summaries.txt", "summaries_txt.txt"],  # the new name is taken: a number follows
            {"summaries.txt": "summaries_txt_2", "summaries_txt.txt": "summaries_txt"},
        ),
        (["r.txt", "r.text"], {"r.txt": "r", "r.text": "r"}),  # one id twice: the batch fails one
        (["tracking.txt"], {"tracking.txt": "report_tracking_txt"}),
        (["tracking_x.txt"], {"tracking_x.txt": "report_tracking_x_txt"}),  # a tracking page
    ],
)
def test_output_ids_keep_every_output_name_apart(
    names: list[str], expected: dict[str, str]
) -> None:
    ids, renamed = output_ids([Path(n) for n in names])
    assert {p.name: rid for p, rid in ids.items()} == expected
    assert {r.path.name for r in renamed} == {n for n in names if expected[n] != Path(n).stem}
    written = [rid + ext for rid in set(ids.values()) for ext in REPORT_FILES]
    assert not {"index.html", "metrics.csv", "panel.csv", "summaries.jsonl"} & set(written)


def test_batch_renames_reports_whose_files_would_collide_and_says_so(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for name, seed in zip(("index.txt", "x.txt", "x.source.txt"), seeds, strict=False):
        shutil.copyfile(seed, folder / name)
    done = run_cli("batch", str(folder), "-o", str(out))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2 and "index_txt.*" in warnings[0] + warnings[1]
    for rid, source, seed in (
        ("index_txt", "index.txt", seeds[0]),
        ("x", "x.txt", seeds[1]),
        ("x.source_txt", "x.source.txt", seeds[2]),
    ):
        data = json.loads((out / f"{rid}.json").read_text(encoding="utf-8"))
        assert data["report"]["id"] == rid and data["report"]["source"].endswith(source)
        assert data["report"]["sha256"] == read_report(seed).sha256
        for ext in REPORT_FILES:
            assert (out / f"{rid}{ext}").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="index_txt.html"' in index and 'href="x.source_txt.html"' in index
    # x.source.html is x's source page, not x.source's briefing
    assert "x.source.html" in (out / "x.html").read_text(encoding="utf-8")
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["report"]["id"] for line in lines) == [
        "index_txt",
        "x",
        "x.source_txt",
    ]


def test_brief_of_a_report_named_index_writes_no_index_html(tmp_path: Path) -> None:
    report, out = tmp_path / "index.txt", tmp_path / "out"
    shutil.copyfile(SEEDS / "003_edf690f87470ca0e.txt", report)
    done = run_cli("brief", str(report), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"warning: {report}: written as index_txt.*" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"index_txt{e}" for e in REPORT_FILES)


# --- terminal escapes ---------------------------------------------------------------------------

# clear screen, set the window title, blink, an 8-bit CSI, a right-to-left override, a bare CR
ESCAPES = ["\x1b[2J", "\x1b]0;pwned\x07", "\x1b[5m", "\x9b31m", "\u202e", "\r"]
RAW = ("\x1b", "\x9b", "\u202e", "\x07", "\r")


def test_terminal_text_strips_sequences_and_controls_and_keeps_the_words() -> None:
    text = "新闸街道" + "".join(ESCAPES) + "完成\t4.01亿元\n第二行"
    assert terminal_text(text) == "新闸街道0;pwned31m完成\t4.01亿元\n第二行".replace("0;pwned", "")
    assert terminal_text(text, one_line=True) == "新闸街道31m完成 4.01亿元 第二行"


def test_a_models_reply_with_escapes_reaches_the_terminal_inert() -> None:
    s, _ = small_summary()
    title = "".join(ESCAPES) + "模型标题"
    s = s.model_copy(
        update={"problems": [s.problems[0].model_copy(update={"title": title, "detail": title})]}
    )
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor")
    print_briefing(s, console)
    shown_text = console.export_text()
    assert "模型标题" in shown_text
    assert not any(c in shown_text for c in RAW)


def test_escapes_in_report_text_and_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seed = (SEEDS / "000_d690860a6c90c664.txt").read_text(encoding="utf-8")
    hostile = seed.replace("。", "。" + "".join(ESCAPES), 30)
    (folder / "report.txt").write_text(hostile, encoding="utf-8")
    # a name that would clear the screen and split its error line in two
    bad_name = "evil\x1b[2J\nname.txt"
    (folder / bad_name).write_bytes(b"")
    brief = run_cli("brief", str(folder / "report.txt"), "-o", str(out))
    batch = run_cli("batch", str(folder), "-o", str(out))
    assert brief.returncode == 0, brief.stderr
    assert batch.returncode == 1
    for done in (brief, batch):
        printed = done.stdout + done.stderr
        assert not any(c in printed for c in RAW), repr(printed[:300])
    error_lines = [line for line in batch.stderr.splitlines() if "evil" in line]
    assert error_lines == [f"error: {str(folder / bad_name)!r}: empty file"]
    # the files keep the text as written: its offsets index it
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["report"]["sha256"] == read_report(folder / "report.txt").sha256
    assert "\x1b[2J" in read_report(folder / "report.txt").text


# --- cache clear on a folder that is not a cache ---------------------------------------------


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def test_cache_clear_refuses_a_folder_that_is_not_a_cache_and_touches_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "photos"
    (folder / "ab").mkdir(parents=True)
    (folder / "ab" / "holiday.jpg").write_bytes(b"\xff\xd8\xff jpeg")
    (folder / "de").mkdir()
    (folder / "cache.db.bak").write_bytes(b"a user's backup")
    before = _tree(folder)
    done = run_cli("cache", "clear", "--cache-dir", str(folder))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: {folder}: not a summarizer cache (no CACHEDIR.TAG of summarizer in it, and "
        "files diskcache does not write); nothing removed"
    )
    assert _tree(folder) == before, "nothing removed, nothing created"


def test_cache_clear_empties_our_cache_and_leaves_a_users_files_beside_it(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path / "cache")
    cache.set("k", {"big": "值" * 40_000})  # large enough for diskcache to keep it in a file
    cache.close()
    assert (tmp_path / "cache" / MARKER).is_file()
    (tmp_path / "cache" / "notes.txt").write_text("mine")
    (tmp_path / "cache" / "ab").mkdir()
    (tmp_path / "cache" / "ab" / "photo.jpg").write_bytes(b"mine")
    assert clear_cache(tmp_path / "cache") == 1
    assert LLMCache(tmp_path / "cache").get("k") is None
    (tmp_path / "cache" / "cache.db").write_bytes(b"garbage" * 1000)  # corrupt: rebuilt
    clear_cache(tmp_path / "cache")
    assert (tmp_path / "cache" / "notes.txt").read_text() == "mine"
    assert (tmp_path / "cache" / "ab" / "photo.jpg").read_bytes() == b"mine"
    assert not list((tmp_path / "cache").glob("??/??/*.val"))


def test_a_cache_from_before_the_marker_is_recognised_and_marked(tmp_path: Path) -> None:
    import diskcache

    old = diskcache.Cache(str(tmp_path / "old"))
    old.set("k", "v" * 100_000)  # a value file in a shard folder, as diskcache writes them
    old.close()
    assert not (tmp_path / "old" / MARKER).exists()
    assert clear_cache(tmp_path / "old") == 1
    assert (tmp_path / "old" / MARKER).is_file()


def test_a_cache_opened_in_a_folder_of_other_files_is_not_marked(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("x")
    LLMCache(tmp_path).close()
    assert not (tmp_path / MARKER).exists()
    with pytest.raises(CacheError, match="not a summarizer cache"):
        clear_cache(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "x"


# --- spreadsheet formulas in CSV cells ----------------------------------------------------------

# What a spreadsheet could run: = + - @ first (OWASP CSV injection), after characters it may drop
# or not show (spaces of any width, zero-width ones, a BOM), in full-width or small forms.
FORMULA_CELLS = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "＝1+1",  # full-width equals sign
    "＋1",
    "－1+1",
    "＠SUM(A1)",
    "﹦1+1",  # small form
    " =1+1",
    "\u3000=1+1",  # ideographic space
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",  # a BOM
    "\u2060@SUM(A1)",  # word joiner
]
TEXT_CELLS = ["一般公共预算收入", "增长-3%", "4.01亿元", "（＝）说明", " 文本", "1-10月"]


@pytest.mark.parametrize("cell", FORMULA_CELLS)
def test_a_cell_a_spreadsheet_could_run_is_neutralised(cell: str) -> None:
    assert csv_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", TEXT_CELLS)
def test_a_text_cell_is_left_as_written(cell: str) -> None:
    assert csv_text(cell) == cell


def test_metrics_csv_cells_from_hostile_names_all_read_as_text() -> None:
    s, _ = small_summary()
    first = s.metrics[0]
    metrics = [first.model_copy(update={"name": cell}) for cell in FORMULA_CELLS]
    table = render_metrics_csv([s.model_copy(update={"metrics": metrics})])
    rows = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["'" + cell for cell in FORMULA_CELLS]


def test_track_over_summaries_refuses_a_fifo_named_json_instead_of_hanging(tmp_path: Path) -> None:
    from summarizer.track.run import run_track

    folder = tmp_path / "summaries"
    folder.mkdir()
    s, _ = small_summary()
    (folder / "a.json").write_text(s.model_dump_json(), encoding="utf-8")
    os.mkfifo(folder / "b.json")
    run = run_track(folder, tmp_path / "out")
    assert run.failures == [
        f"{folder / 'b.json'}: refused: a FIFO (named pipe), not a regular file"
    ]
