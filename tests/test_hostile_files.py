"""Hostile surroundings rather than hostile text: a full disk, output names that collide,
control characters in names and text on the terminal, a cache folder that is not ours."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

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


_ = shutil  # used below
