"""CLI: help lists the verbs quickly; a bug reaches the user as one line unless --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import seed_path

# Runs the real CLI with one of our own functions replaced by one that fails like a bug would.
BOOM = """
import sys
import summarizer.pipeline as p
def boom(*a, **k):
    raise ZeroDivisionError("simulated bug")
p.summarize_report = boom
from summarizer.cli import main
sys.argv = ["summarizer", *sys.argv[1:]]
main()
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BOOM, *args], capture_output=True, text=True, timeout=60
    )


def test_help_lists_every_verb() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    for verb in ("brief", "batch", "eval", "cache"):
        assert verb in proc.stdout


def test_a_bug_is_one_line_without_traceback(tmp_path: Path) -> None:
    proc = _run("brief", str(seed_path("003")), "-o", str(tmp_path))
    assert proc.returncode == 70
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "internal error (ZeroDivisionError: simulated bug)" in lines[0]
    assert "--debug" in lines[0]
    assert "Traceback" not in proc.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    proc = _run("brief", str(seed_path("003")), "-o", str(tmp_path), "--debug")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "ZeroDivisionError" in proc.stderr
