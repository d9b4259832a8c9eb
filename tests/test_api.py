"""The Python API a notebook uses: summarize, render and batch from `summarizer` itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import summarizer

from .conftest import seed_path

LAZY = """
import sys
import summarizer
heavy = ("summarizer.batch", "summarizer.pipeline", "summarizer.render.pages", "pydantic")
print(sorted(m for m in heavy if m in sys.modules))
from summarizer import render_html, render_markdown, run_batch, summarize
print(sorted(m for m in heavy if m in sys.modules))
"""


def test_the_package_imports_its_api_only_when_used() -> None:
    # `summarizer --help` imports the package: it must not pay for the pipeline's imports.
    proc = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    before, after = proc.stdout.splitlines()
    assert before == "[]"
    assert "summarizer.render.pages" in after and "summarizer.batch" in after


def test_a_notebook_can_summarize_render_and_batch(tmp_path: Path) -> None:
    from summarizer import render_html, render_markdown, run_batch, summarize

    summary = summarize(seed_path("003"))
    assert render_markdown(summary).startswith("# ")
    assert render_html(summary).startswith("<!doctype html>")

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(seed_path("003"), folder)
    result = run_batch(str(folder), str(tmp_path / "out"))  # strings, default settings
    assert result.ok and [s.report.id for s in result.summaries] == [seed_path("003").stem]
    assert (tmp_path / "out" / "index.html").is_file()


def test_the_api_is_listed_and_anything_else_is_an_attribute_error() -> None:
    assert set(summarizer.__all__) <= set(dir(summarizer))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = summarizer.nope
