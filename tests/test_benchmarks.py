"""The benchmarks run from any checkout: they find the CLI beside the running interpreter."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _load_copy(tmp_path: Path, name: str) -> ModuleType:
    """benchmarks/<name>.py copied into a checkout that has no .venv/."""
    (tmp_path / "benchmarks").mkdir()
    path = shutil.copy(ROOT / "benchmarks" / f"{name}.py", tmp_path / "benchmarks")
    spec = importlib.util.spec_from_file_location(f"copied_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_offline_times_the_cli_without_a_venv_in_the_checkout(tmp_path: Path) -> None:
    bench = _load_copy(tmp_path, "bench_offline")
    assert not (tmp_path / ".venv").exists()
    assert bench.startup(1) > 0  # ran `summarizer --help` (check=True) and timed it


def test_bench_index_scales_a_corpus_under_new_ids_and_measures_the_search_data(
    tmp_path: Path,
) -> None:
    from summarizer.render.pages import render_index_html
    from tests.index_fixtures import corpus

    bench = _load_copy(tmp_path, "bench_index")
    many = bench.scaled(corpus(), 14)
    assert len({s.report.id for s in many}) == 14
    assert [s.report.entity for s in many[:6]] == [s.report.entity for s in many[6:12]]
    line = bench.sizes(render_index_html(many), len(many))
    assert line.startswith("14 reports: page ") and "of which search data" in line
    assert " 0 KiB (0%)" not in line  # the search data was found in the page
