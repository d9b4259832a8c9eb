"""The terminal briefing and batch table (rich), and `summarizer brief --format` for piping."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from summarizer.batch import BatchResult, Failure
from summarizer.cli import app
from summarizer.console import briefing_renderable, print_batch_result, print_briefing
from tests.conftest import seed_path
from tests.render_fixtures import dense_summary, hostile_summary, small_summary


def _console(width: int = 110) -> Console:
    return Console(record=True, width=width, force_terminal=True, color_system="truecolor")


def test_terminal_briefing_shows_the_same_content_as_the_page() -> None:
    s, _ = small_summary()
    c = _console()
    print_briefing(s, c)
    out = c.export_text()
    for part in ("新闸街道 2020年", "[年度]", "关键指标 4/4", "主要成绩", "存在问题", "主要计划"):
        assert part in out
    row = next(line for line in out.splitlines() if "4.01亿元" in line and "│" in line)
    assert "公共财政预算收入" in row and "−14.4%" in row and "1-10月" in row and "实际" in row
    forecast = next(line for line in out.splitlines() if "4.3亿元" in line and "│" in line)
    assert "预计" in forecast and "↳" in forecast


def test_terminal_briefing_sets_five_year_figures_apart_and_colours_a_fall() -> None:
    s, _ = dense_summary(five_years=4)
    fall = s.metrics[0].model_copy(
        update={
            "value": 3.2,
            "unit": "%",
            "measure": "change",
            "direction": "down",
            "change_pct": -3.2,
        }
    )
    s = s.model_copy(update={"metrics": [fall, *s.metrics[1:]]})
    c = _console(140)
    print_briefing(s, c)
    lines = c.export_text(clear=False).splitlines()
    head = next(i for i, line in enumerate(lines) if "五年期指标" in line)
    assert all("年均增长" not in line for line in lines[:head])
    assert any("年均增长" in line and "“十四五”时期" in line for line in lines[head:])
    assert any("年均、累计或规划期数" in line for line in lines[head:])
    assert any(
        seg.text.strip() == "下降3.2%" and seg.style and "red" in str(seg.style)
        for seg in c._record_buffer
    )


def test_terminal_briefing_has_no_heading_for_an_empty_section() -> None:
    s, _ = small_summary()
    c = _console()
    print_briefing(s.model_copy(update={"plans": []}), c)
    out = c.export_text()
    assert "主要计划" not in out and "存在问题" in out


def test_colours_read_on_light_and_dark_terminals() -> None:
    s, _ = dense_summary()
    c = _console()
    c.print(briefing_renderable(s))
    styles = {str(seg.style) for seg in c._record_buffer if seg.style}
    assert styles  # it is coloured at all
    assert not [x for x in styles if "white" in x or "yellow" in x], styles
    assert any("magenta" in x for x in styles) and any("red" in x for x in styles)


def test_report_text_cannot_inject_rich_markup() -> None:
    s, _ = hostile_summary()
    s = s.model_copy(
        update={
            "problems": [s.problems[0].model_copy(update={"title": "[bold red]假标记[/bold red]"})]
        }
    )
    c = _console()
    print_briefing(s, c)
    assert "[bold red]假标记[/bold red]" in c.export_text()


def test_batch_table_counts_reports_items_failures_and_wall_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, _ = small_summary()
    b, _ = dense_summary()
    a.run.seconds, b.run.seconds = 5.0, 7.0  # the reports overlapped: their sum is not the run's
    result = BatchResult(
        summaries=[a, b],
        failures=[
            Failure(Path("r/bad.txt"), "r/bad.txt: not a text report: looks like a PDF file"),
            Failure(Path("r/scan.pdf"), "r/scan.pdf: not a text report: looks like a PDF file"),
        ],
        seconds=6.31,
    )
    c = _console(140)
    print_batch_result(result, Path("out"), c)
    table = c.export_text()
    header = next(line for line in table.splitlines() if "reports ok" in line)
    assert [x.strip() for x in header.strip("┃ ").split("┃")][-1] == "wall time"
    row = next(line for line in table.splitlines() if "6.3 s" in line)
    cells = [x.strip() for x in row.strip("│ ").split("│")]
    assert cells == [
        "2",
        "2",
        str(len(a.metrics) + len(b.metrics)),
        str(len(a.achievements) + len(b.achievements)),
        str(len(a.problems) + len(b.problems)),
        str(len(a.plans) + len(b.plans)),
        "6.3 s",
    ]
    assert "failed: bad.txt, scan.pdf" in table  # by name, under the table
    err = capsys.readouterr().err
    assert "r/bad.txt: not a text report: looks like a PDF file" in err


def test_batch_table_of_a_clean_run_names_no_failure() -> None:
    a, _ = small_summary()
    c = _console(140)
    print_batch_result(BatchResult(summaries=[a], seconds=1.0), Path("out"), c)
    assert "failed:" not in c.export_text()


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_brief_format_prints_that_form_to_stdout(fmt: str, tmp_path: Path) -> None:
    path = seed_path("003")
    result = CliRunner().invoke(app, ["brief", str(path), "-o", str(tmp_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        assert data["report"]["id"] == path.stem
        assert out == (tmp_path / f"{path.stem}.json").read_text("utf-8")
    elif fmt == "md":
        assert out.startswith("# ") and out == (tmp_path / f"{path.stem}.md").read_text("utf-8")
    else:
        assert out.startswith("<!doctype html>") and "一页简报" in out


def test_brief_without_format_shows_the_briefing_and_names_the_files(tmp_path: Path) -> None:
    path = seed_path("000")
    result = CliRunner().invoke(app, ["brief", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "关键指标" in result.stdout and "4.01亿元" in result.stdout
    assert str(tmp_path / f"{path.stem}.html") in result.stdout.replace("\n", "")
    assert (tmp_path / f"{path.stem}.source.html").exists()


def test_brief_rejects_an_unknown_format_before_doing_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["brief", str(seed_path("000")), "-o", str(tmp_path), "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert "--format must be json, md or html" in result.output
    assert not list(tmp_path.iterdir())


def test_progress_counts_reports_and_chunks_without_yellow(tmp_path: Path) -> None:
    from summarizer.batch import run_batch
    from summarizer.config import load_settings
    from summarizer.console import progress_callbacks

    folder = tmp_path / "r"
    folder.mkdir()
    for key in ("003", "004"):
        (folder / seed_path(key).name).write_bytes(seed_path(key).read_bytes())
    sink = io.StringIO()
    c = Console(file=sink, width=120, force_terminal=True, color_system="standard")
    with progress_callbacks(folder, c) as callbacks:
        result = run_batch(folder, tmp_path / "out", load_settings(), **callbacks)
    chunks = sum(s.run.chunks for s in result.summaries)
    out = sink.getvalue()
    assert chunks > 0 and f"{chunks}/{chunks}" in out and "2/2" in out
    assert "\x1b[33m" not in out  # no yellow: it does not read on a light terminal
