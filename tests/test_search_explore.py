"""`summarizer search` over a batch's database, and `summarizer explore` serving it with
Datasette (its JSON API queried over HTTP)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.corpus.console import print_hits
from summarizer.corpus.database import DB_NAME, CorpusDB, write_table
from summarizer.corpus.explore import headline_names
from summarizer.corpus.search import search
from summarizer.models import Evidence, Problem, ReportMeta, RunInfo, Summary
from tests.conftest import ROOT

REAL = ROOT / "evals" / "real" / "reports"
CLI = [sys.executable, "-m", "summarizer.cli"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "out"
    assert run_batch(REAL, out).ok
    return out


def json_items(out: Path, word: str) -> set[tuple[str, str, int]]:
    """(report, category, start) of every item whose title, detail or quote holds `word`,
    read from the JSON files."""
    found = set()
    for path in out.glob("*.json"):
        s = Summary.model_validate_json(path.read_text("utf-8"))
        for category in ("problems", "plans", "achievements"):
            for item in getattr(s, category):
                if word in item.title + "\n" + item.detail + "\n" + item.evidence.quote:
                    found.add((s.report.id, category, item.evidence.start))
    return found


@pytest.mark.parametrize(("word", "reports"), [("债务", 2), ("风险", 8), ("营商环境", 3)])
def test_search_finds_every_item_holding_the_word_across_reports(
    out: Path, word: str, reports: int
) -> None:
    result = search(out, word, within=("problems", "plans", "achievements"))
    got = {(h.report_id, h.category, h.start) for h in result.hits}
    assert got == json_items(out, word)
    assert result.reports >= reports and result.total == len(result.hits)
    for hit in result.hits:
        assert hit.marks, hit
        for start, end in hit.marks:
            assert hit.matched_text[start:end] == word


def test_search_filters_by_category_entity_and_year(out: Path) -> None:
    problems = search(out, "风险", within=["problems"])
    assert problems.hits and {h.category for h in problems.hits} == {"problems"}
    hebei = search(out, "风险", entity="河北")
    assert hebei.hits and {h.entity for h in hebei.hits} == {"河北省"}
    year = search(out, "风险", year=2016)
    assert year.hits and {h.year for h in year.hits} == {2016}
    assert search(out, "风险", limit=3).total > len(search(out, "风险", limit=3).hits) == 3


def test_search_links_land_on_the_quote_in_the_source_view(out: Path) -> None:
    for hit in search(out, "就业").hits[:20]:
        page, anchor = hit.link.split("#")
        assert f'id="{anchor}"' in Path(page).read_text("utf-8")


def test_search_finds_metrics_by_their_figures(out: Path) -> None:
    hits = search(out, "一般公共预算收入", within=["metrics"]).hits
    assert len({h.report_id for h in hits}) >= 5
    assert all("一般公共预算收入" in h.title + h.quote for h in hits)


def test_cli_search_json_and_exit_codes(out: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["search", str(out), "债务", "--in", "problems", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["total"] == len(doc["hits"]) >= 1
    assert {h["category"] for h in doc["hits"]} == {"problems"}
    table = runner.invoke(app, ["search", str(out), "债务"], env={"COLUMNS": "300"})
    assert table.exit_code == 0 and "债务" in table.output and ".source.html#ev-" in table.output
    assert runner.invoke(app, ["search", str(out), "全无此词语"]).exit_code == 1
    bad = runner.invoke(app, ["search", str(out), "债务", "--in", "budget"])
    assert bad.exit_code == 2 and "--in must be one of" in bad.output
    missing = runner.invoke(app, ["search", str(tmp_path), "债务"])
    assert missing.exit_code == 2 and "no such database" in missing.output


def test_search_output_strips_control_characters(tmp_path: Path) -> None:
    quote = "政府债务\x1b]0;pwned\x07风险\x1b[2J较大"
    summary = Summary(
        report=ReportMeta(id="hostile", source="hostile.txt", chars=99, sha256="0" * 64),
        problems=[Problem(title="债务风险", evidence=Evidence(quote=quote, start=0, end=17))],
        run=RunInfo(backend="rules", prompt_version="rules-2"),
    )
    with CorpusDB(tmp_path / DB_NAME) as db:
        db.put(summary, file_name="hostile.txt", file_sha256="", settings="{}", settings_hash="")
    result = search(tmp_path, "债务")
    assert result.hits[0].quote == quote  # the data is kept as it is …
    buf = Console(file=__import__("io").StringIO(), width=200, force_terminal=True)
    print_hits(result, buf)
    shown = buf.file.getvalue()  # type: ignore[attr-defined]
    assert "债务" in shown and "较大" in shown and "\x07" not in shown
    assert "\x1b]0" not in shown and "\x1b[2J" not in shown  # … but never reaches the terminal


# --- explore ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.loads(reply.read())


@pytest.fixture(scope="module")
def datasette(out: Path) -> Iterator[str]:
    pytest.importorskip("datasette")
    write_table(
        out,
        "tracking",
        [
            {"entity": "易县", "year": 2019, "indicator": "地区生产总值", "verdict": "missed"},
            {"entity": "易县", "year": 2019, "indicator": "固定资产投资", "verdict": "met"},
        ],
    )
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "explore", str(out), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    why = proc.stderr.read().decode() if proc.stderr else ""
                    raise AssertionError(why) from exc
                time.sleep(0.2)
        yield f"{base}/summaries"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_explore_serves_the_tables_and_the_headline_query(datasette: str, out: Path) -> None:
    rows = get_json(f"{datasette}/problems.json?_shape=array&_size=max")
    n_problems = sum(len(json.loads(p.read_text("utf-8"))["problems"]) for p in out.glob("*.json"))
    assert len(rows) == n_problems
    headline = get_json(f"{datasette}/headline_indicators.json?_shape=array&_size=max")
    assert headline and {r["canonical_name"] for r in headline} <= set(headline_names())
    assert "地区生产总值" in {r["canonical_name"] for r in headline}
    panel = get_json(
        f"{datasette}/panel.json?_shape=array&_size=max&status=actual&canonical_name="
        + urllib.parse.quote("地区生产总值")
    )
    assert {(r["entity"], r["year"], r["value"]) for r in panel} <= {
        (r["entity"], r["year"], r["value"]) for r in headline
    }


@pytest.mark.slow
def test_explore_canned_search_matches_the_search_verb(datasette: str, out: Path) -> None:
    q = urllib.parse.quote("债务")
    rows = get_json(f"{datasette}/search.json?_shape=array&_size=max&q={q}")
    verb = search(out, "债务", within=("problems", "plans", "achievements"))
    assert {(r["report_id"], r["category"], r["quote"]) for r in rows} == {
        (h.report_id, h.category, h.quote) for h in verb.hits
    }


@pytest.mark.slow
def test_explore_describes_tables_and_lists_targets_missed(datasette: str) -> None:
    metadata = get_json(datasette.rsplit("/", 1)[0] + "/-/metadata.json")
    tables = metadata["databases"]["summaries"]["tables"]
    assert "问题" in tables["problems"]["description"]
    assert "problems" in tables["problems"]["description"]
    assert "/" in tables["metrics"]["columns"]["canonical_name"]
    missed = get_json(f"{datasette}/targets_missed.json?_shape=array")
    assert [(r["indicator"], r["verdict"]) for r in missed] == [("地区生产总值", "missed")]


def test_explore_without_datasette_is_one_line_and_exit_2(out: Path) -> None:
    hide = (
        "import sys; sys.modules['datasette'] = None; sys.argv = ['summarizer', 'explore', "
        f"{str(out)!r}]; from summarizer.cli import main; main()"
    )
    proc = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: datasette is not installed: pip install 'summarizer[explore]'"
    ]


def test_explore_without_a_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    pytest.importorskip("datasette")
    result = CliRunner().invoke(app, ["explore", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / DB_NAME}: no such database" in result.output
