"""Terminal output with rich: the briefing, batch progress, the batch table and error lines.

Colours are chosen to read on light and dark terminals alike: bold, cyan, blue, red, green and
magenta, never white or yellow on the default background. Report strings are always passed as
`Text` (never as markup), so a report cannot inject rich markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from summarizer.errors import shown
from summarizer.models import Summary
from summarizer.render.briefing import (
    FIVE_YEAR_NOTE,
    Briefing,
    ItemLine,
    MetricRow,
    build_briefing,
)

if TYPE_CHECKING:
    from summarizer.batch import BatchResult
    from summarizer.render.names import Renamed
    from summarizer.shards import Shard

__all__ = [
    "briefing_renderable",
    "err_console",
    "print_batch_result",
    "print_briefing",
    "print_error",
    "print_renamed",
    "progress_callbacks",
    "terminal_text",
]

# rich's progress shows elapsed time in yellow, unreadable on a light terminal: use blue.
_THEME = Theme(
    {"progress.elapsed": "blue", "progress.remaining": "blue", "progress.percentage": "cyan"}
)
err_console = Console(stderr=True, theme=_THEME)

_STATUS_STYLE = {"actual": "", "forecast": "bold magenta", "target": "bold blue"}
_SECTION_STYLE = {"achievements": "green", "problems": "red", "plans": "magenta"}


# Escape sequences (CSI "\x1b[2J", OSC "\x1b]0;title\x07" with its terminator, two-character
# ones), then any control character left: C0, DEL, C1, and the bidirectional overrides and
# isolates that reorder what a line shows.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b(?:\[[0-?]{0,64}[ -/]{0,8}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|[ -/]*[0-~])"
)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str, *, one_line: bool = False) -> str:
    """`text` safe to print: escape sequences and control characters removed, so a report, a
    file name or a model's reply cannot clear the screen, retitle the window or reorder a
    line. Line breaks and tabs stay, unless `one_line` (an error line): then they are spaces."""

    def drop(found: re.Match[str]) -> str:
        char = found.group()
        return (" " if one_line else char) if char in "\n\t" else ""

    return _CONTROLS.sub(drop, _ESCAPE_SEQUENCES.sub("", text))


_t = terminal_text


def _items(label: str, key: str, items: list[ItemLine], total: int) -> list[Any]:
    style = _SECTION_STYLE[key]
    out: list[Any] = [
        Text.assemble((f"{label} ", f"bold {style}"), (f"{len(items)}/{total}", "dim"))
    ]
    for it in items:
        line = Text()
        line.append("  • ", style=style)
        if it.tag:
            line.append(f"[{_t(it.tag)}] ", style=f"bold {style}")
        line.append(_t(it.title), style="bold")
        if it.detail:
            line.append("  ")
            detail = _t(it.detail)
            line.append(detail if len(detail) <= 60 else detail[:59] + "…")
        out.append(line)
    if total > len(items):
        out.append(Text(f"  … 另有 {total - len(items)} 项，见 JSON 与原文标注", style="dim"))
    out.append(Text(""))
    return out


def _metric_cells(m: MetricRow) -> list[Text]:
    trend = "green" if m.direction > 0 else ("red" if m.direction < 0 else "")
    value_style = "bold" if m.status == "actual" else "italic"
    return [
        Text(("↳ " if m.secondary else "") + _t(m.metric.name)),
        # a change figure (下降3.2%) carries its own direction; a level's is in 同比
        Text(_t(m.value), style=value_style if m.change else f"{value_style} {trend}".strip()),
        Text(_t(m.change or "—"), style=trend if m.change else ""),
        Text(_t(m.period or "—")),
        Text(_t(m.status_label), style=_STATUS_STYLE.get(m.status, "")),
    ]


def _metrics_table(b: Briefing) -> Table:
    """The year's figures, then, under a rule and their own heading, the five-year ones."""
    t = Table(
        title=Text(f"关键指标 {b.metrics_shown}/{b.totals['metrics']}", style="bold cyan"),
        title_justify="left",
        header_style="bold",
        border_style="cyan",
        expand=False,
    )
    t.add_column("指标", overflow="fold")
    t.add_column("数值", justify="right")
    t.add_column("同比", justify="right")
    t.add_column("时期")
    t.add_column("口径")
    for m in b.metrics:
        t.add_row(*_metric_cells(m))
    if b.five_years:
        if b.metrics:
            t.add_section()
        # The note goes under the table: in a cell it would fold over several lines.
        t.add_row(Text("五年期指标 *", style="bold cyan"))
        t.caption = Text(f"* {FIVE_YEAR_NOTE}", style="dim")
        t.caption_justify = "left"
        for m in b.five_years:
            t.add_row(*_metric_cells(m))
    return t


def briefing_renderable(summary: Summary, files: Sequence[Path] = ()) -> Group:
    """The same briefing as the HTML page, as rich renderables."""
    b = build_briefing(summary)
    parts: list[Any] = [
        Text.assemble((_t(b.heading), "bold blue"), "  ", (f"[{b.kind_label}]", "bold magenta")),
        Text(
            _t(
                f"来源 {b.source_name} · 提取 {b.backend_label}"
                + (f" · 生成于 {b.created}" if b.created else "")
            ),
            style="dim",
        ),
        Rule(style="blue"),
        Text(_t(b.overview)),
        Text(""),
    ]
    if b.metrics or b.five_years:
        parts += [_metrics_table(b), Text("")]
    for key, label in (
        ("achievements", "主要成绩"),
        ("problems", "存在问题"),
        ("plans", "主要计划"),
    ):
        items = getattr(b, key)
        if items:  # an empty section gets no heading
            parts += _items(label, key, items, b.totals[key])
    if not (b.metrics or b.achievements or b.problems or b.plans):
        parts.append(Text("未提取到指标、成绩、问题或计划。", style="bold red"))
    html = [f for f in files if f.name.endswith(".html") and not f.name.endswith(".source.html")]
    if html:
        others = " ".join(f.name[len(b.report_id) :] for f in files if f != html[0])
        parts.append(Text(_t(f"简报 {html[0]}（另有 {others}）"), style="dim"))
    return Group(*parts)


def print_briefing(
    summary: Summary, console: Console | None = None, files: Sequence[Path] = ()
) -> None:
    (console or Console()).print(briefing_renderable(summary, files))


def print_renamed(renamed: Sequence[Renamed]) -> None:
    """One warning line per report whose id is not its file name's stem (render.names)."""
    for r in renamed:
        err_console.print(
            Text.assemble(
                ("warning: ", "bold magenta"),
                _t(f"{shown(r.path)}: written as {r.id}.* ({r.reason})", one_line=True),
            ),
            soft_wrap=True,
        )


def print_error(message: str) -> None:
    # soft_wrap: one line however narrow the terminal, so that it stays greppable
    line = _t(message, one_line=True)
    err_console.print(Text.assemble(("error: ", "bold red"), line), soft_wrap=True)


@contextmanager
def progress_callbacks(
    folder: Path, console: Console | None = None, shard: Shard | None = None
) -> Iterator[dict[str, Any]]:
    """Callbacks for run_batch that drive a rich progress bar of reports and chunks."""
    from summarizer.batch import list_reports

    try:
        paths = list_reports(folder)
        total = len(shard.select(paths) if shard else paths)
    except Exception:
        total = 0  # run_batch names the problem with the folder itself
    console = console or err_console
    if console is not err_console:
        console.push_theme(_THEME)
    progress = Progress(
        SpinnerColumn(style="cyan"),
        TextColumn("{task.description}"),
        BarColumn(complete_style="cyan", finished_style="green"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        # Off the terminal (a log, a pipe) a bar only leaves a blank line behind.
        disable=not console.is_terminal,
    )
    with progress:
        reports = progress.add_task("reports", total=total)
        chunks = progress.add_task("chunks ", total=0)

        def on_report_start(path: Path, n: int) -> None:
            name = escape(_t(path.name, one_line=True)[:32])  # the column reads markup
            progress.update(reports, description=f"reports {name}")
            progress.update(chunks, total=(progress.tasks[chunks].total or 0) + n)

        def on_chunk_done(n: int) -> None:
            progress.advance(chunks, n)

        def on_report_done(path: Path, summary: Summary | None, reason: str | None) -> None:
            progress.advance(reports)  # failures are listed once, at the end

        yield {
            "on_report_start": on_report_start,
            "on_chunk_done": on_chunk_done,
            "on_report_done": on_report_done,
        }


def print_batch_result(result: BatchResult, outdir: Path, console: Console | None = None) -> None:
    """The closing table (reports ok / failed, items per category, wall time), the failed
    reports by name under it, then each failure's reason on stderr."""
    console = console or Console()
    s = result.summaries
    failed = _t(", ".join(shown(f.path.name) for f in result.failures), one_line=True)
    print_renamed(result.renamed)
    t = Table(
        title=Text(_t(f"batch → {shown(outdir)}", one_line=True), style="bold"),
        caption=Text(f"failed: {failed}", style="red") if failed else None,
        caption_justify="left",
        header_style="bold",
        border_style="cyan",
    )
    columns = ("reports ok", "failed", "metrics", "achievements", "problems", "plans", "wall time")
    for col in columns:
        t.add_column(col, justify="right")
    counts = [
        str(sum(len(getattr(x, k)) for x in s))
        for k in ("metrics", "achievements", "problems", "plans")
    ]
    t.add_row(
        Text(str(len(s)), style="bold green"),
        Text(str(len(result.failures)), style="bold red" if result.failures else ""),
        *counts,
        # The run's own clock: reports overlap under an LLM backend, so the sum of the
        # reports' times would overstate it.
        f"{result.seconds:.1f} s",
    )
    console.print(t)
    for fail in result.failures:  # one line each, on stderr, naming the file
        print_error(fail.reason)
    if result.output_error:
        print_error(result.output_error)
    if result.reused:  # of the reports ok: unchanged since the run that stored them
        reused = (
            f"reused: {result.reused} of {len(s)} reports unchanged since the last run "
            f"({shown(outdir / 'summaries.sqlite')}; --force redoes them)"
        )
        console.print(Text(_t(reused, one_line=True), style="dim"), soft_wrap=True)
    if result.removed:
        gone = f"removed (no longer in the folder): {', '.join(result.removed)}"
        console.print(Text(_t(gone, one_line=True), style="dim"), soft_wrap=True)
    if (outdir / "index.html").is_file():
        index = _t(f"index: {shown(outdir / 'index.html')}", one_line=True)
        console.print(Text(index, style="dim"), soft_wrap=True)
