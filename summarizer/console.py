"""Terminal output with rich: the briefing, batch progress, the batch table and error lines.

Colours are chosen to read on light and dark terminals alike: bold, cyan, blue, red, green and
magenta, never white or yellow on the default background. Report strings are always passed as
`Text` (never as markup), so a report cannot inject rich markup.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
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
    from summarizer.shards import Shard

__all__ = [
    "briefing_renderable",
    "err_console",
    "print_batch_result",
    "print_briefing",
    "print_error",
    "progress_callbacks",
]

# rich's progress shows elapsed time in yellow, unreadable on a light terminal: use blue.
_THEME = Theme(
    {"progress.elapsed": "blue", "progress.remaining": "blue", "progress.percentage": "cyan"}
)
err_console = Console(stderr=True, theme=_THEME)

_STATUS_STYLE = {"actual": "", "forecast": "bold magenta", "target": "bold blue"}
_SECTION_STYLE = {"achievements": "green", "problems": "red", "plans": "magenta"}


def _items(label: str, key: str, items: list[ItemLine], total: int) -> list[Any]:
    style = _SECTION_STYLE[key]
    out: list[Any] = [
        Text.assemble((f"{label} ", f"bold {style}"), (f"{len(items)}/{total}", "dim"))
    ]
    for it in items:
        line = Text()
        line.append("  • ", style=style)
        if it.tag:
            line.append(f"[{it.tag}] ", style=f"bold {style}")
        line.append(it.title, style="bold")
        if it.detail:
            line.append("  ")
            line.append(it.detail if len(it.detail) <= 60 else it.detail[:59] + "…")
        out.append(line)
    if total > len(items):
        out.append(Text(f"  … 另有 {total - len(items)} 项，见 JSON 与原文标注", style="dim"))
    out.append(Text(""))
    return out


def _metric_cells(m: MetricRow) -> list[Text]:
    trend = "green" if m.direction > 0 else ("red" if m.direction < 0 else "")
    value_style = "bold" if m.status == "actual" else "italic"
    return [
        Text(("↳ " if m.secondary else "") + m.metric.name),
        # a change figure (下降3.2%) carries its own direction; a level's is in 同比
        Text(m.value, style=value_style if m.change else f"{value_style} {trend}".strip()),
        Text(m.change or "—", style=trend if m.change else ""),
        Text(m.period or "—"),
        Text(m.status_label, style=_STATUS_STYLE.get(m.status, "")),
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
        Text.assemble((b.heading, "bold blue"), "  ", (f"[{b.kind_label}]", "bold magenta")),
        Text(
            f"来源 {b.source_name} · 提取 {b.backend_label}"
            + (f" · 生成于 {b.created}" if b.created else ""),
            style="dim",
        ),
        Rule(style="blue"),
        Text(b.overview),
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
        parts.append(Text(f"简报 {html[0]}（另有 {others}）", style="dim"))
    return Group(*parts)


def print_briefing(
    summary: Summary, console: Console | None = None, files: Sequence[Path] = ()
) -> None:
    (console or Console()).print(briefing_renderable(summary, files))


def print_error(message: str) -> None:
    # soft_wrap: one line however narrow the terminal, so that it stays greppable
    err_console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)


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
            progress.update(reports, description=f"reports {path.name[:32]}")
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
    failed = ", ".join(f.path.name for f in result.failures)
    t = Table(
        title=Text(f"batch → {outdir}", style="bold"),
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
    console.print(Text(f"index: {outdir / 'index.html'}", style="dim"), soft_wrap=True)
