"""CLI: help lists the verbs quickly; a bug reaches the user as one line unless --debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

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


@pytest.mark.parametrize("command", [["brief", "report.txt"], ["batch", "reports"], ["eval"]])
@pytest.mark.parametrize(
    ("flag", "value", "needle"),
    [
        ("--backend", "gpt", "unknown backend 'gpt'"),
        ("--mode", "xml", "unknown mode 'xml'"),
        ("--concurrency", "0", "concurrency must be at least 1"),
        ("--chunk-size", "10", "chunk size must be at least 200"),
    ],
)
def test_every_extracting_command_takes_the_shared_settings(
    command: list[str], flag: str, value: str, needle: str
) -> None:
    # The settings are built before any file is looked at: a bad one is a usage error at once.
    result = CliRunner().invoke(app, [*command, flag, value])
    assert result.exit_code == 2, result.output
    assert needle in result.output


def test_summarizer_debug_in_the_environment_shows_an_errors_traceback(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    env = {**os.environ, "SUMMARIZER_DEBUG": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "brief", missing],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "InputError" in proc.stderr


@pytest.mark.parametrize("url", ["https://…/v1", "notaurl"])
def test_a_malformed_base_url_is_one_line_and_exit_2_before_any_call(url: str) -> None:
    argv = ["brief", str(seed_path("003")), "--backend", "openai", "--model", "m"]
    result = CliRunner().invoke(app, [*argv, "--base-url", url, "--format", "json"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("error: invalid base URL") and "internal error" not in line
    assert "attempts" not in line  # nothing was tried: no "cannot connect … after 5 attempts"


@pytest.mark.parametrize("sub", ["", "sub"], ids=["out-is-a-file", "a-file-on-the-way"])
def test_an_out_that_is_a_file_is_named_as_the_cause(tmp_path: Path, sub: str) -> None:
    blocker = tmp_path / "x.json"
    blocker.write_text("{}", "utf-8")
    out = blocker / sub if sub else blocker
    result = CliRunner().invoke(app, ["brief", str(seed_path("003")), "-o", str(out)])
    assert result.exit_code == 1, result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"error: {blocker}: is a file, not a folder")
    assert "File exists" not in line and "cannot write" not in line


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_brief_to_stdout_writes_no_file_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["brief", str(seed_path("003")), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert list(tmp_path.iterdir()) == []  # no ./out/ (nor anything else)
    asked = CliRunner().invoke(app, ["brief", str(seed_path("003")), "--format", fmt, "-o", "o"])
    assert asked.exit_code == 0 and len(list((tmp_path / "o").iterdir())) == 4


def test_the_terminal_briefing_still_writes_its_files_to_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["brief", str(seed_path("003"))])
    assert result.exit_code == 0, result.output
    stem = seed_path("003").stem
    assert (tmp_path / "out" / f"{stem}.html").is_file()


def test_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"summarizer {version('summarizer')}\n"


@pytest.mark.parametrize("command", [[], ["brief"], ["batch"], ["eval"], ["cache", "stats"]])
def test_dash_h_is_help(command: list[str]) -> None:
    short, long = (CliRunner().invoke(app, [*command, flag]) for flag in ("-h", "--help"))
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and "Usage: " in short.stdout


VERBS = {
    "": {
        "brief": "One report → a briefing in the terminal, and files in OUT.",
        "batch": "A folder of reports → files in OUT, with an index and a CSV.",
        "search": "Search every report of a batch: problems, plans, achievements, metrics.",
        "explore": "Open a batch's database in Datasette (pip install 'summarizer[explore]').",
        "merge": "Shards' batch outputs → one output folder, as one batch would be.",
        "track": "Targets against the next year's actuals, per entity: tables, pages.",
        "eval-track": "Score `track` against the tracking hand labels.",
        "eval": "Score the pipeline against the hand labels.",
        "cache": "Inspect or empty the LLM cache.",
        "batch-api": "Batch API requests out, results in, as files.",
    },
    "batch-api": {
        "export": "The uncached calls of FOLDER as a requests JSONL.",
        "import": "Validate a results JSONL into the LLM cache.",
    },
    "cache": {
        "stats": "Entries and size of the LLM cache.",
        "clear": "Remove every cached LLM reply.",
    },
}


@pytest.mark.parametrize("width", [50, 80, 200])
@pytest.mark.parametrize("group", list(VERBS))
def test_help_lists_each_verb_whole_at_any_width(width: int, group: str) -> None:
    result = CliRunner().invoke(app, [*group.split(), "--help"], terminal_width=width)
    assert result.exit_code == 0
    listing = result.stdout.split("Commands:", 1)[1]
    assert "..." not in listing  # click's mark of a line cut short
    joined = " ".join(listing.split())  # lines wrapped at a narrow width, joined again
    assert joined == " ".join(f"{verb} {line}" for verb, line in VERBS[group].items())
