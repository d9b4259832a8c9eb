"""Terminal output with rich: the briefing, progress, the batch table and error lines.

INTERIM VERSION: plain forms; to be built.
"""

from __future__ import annotations

from rich.console import Console

from .models import Summary

__all__ = ["err_console", "print_briefing", "print_error"]

err_console = Console(stderr=True)


def print_briefing(summary: Summary, console: Console | None = None) -> None:
    console = console or Console()
    r = summary.report
    console.print(f"[bold]{r.entity or r.id}[/bold] {r.period or ''} ({r.kind})")
    for m in summary.metrics:
        console.print(f"  {m.name} {m.value:g}{m.unit}", markup=False)


def print_error(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True)


from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


@contextmanager
def progress_callbacks(folder: Path) -> Iterator[dict[str, Any]]:
    """Callbacks for run_batch that drive a rich progress bar of reports and chunks."""
    from rich.progress import Progress

    from .batch import list_reports

    total = len(list_reports(folder))
    with Progress(console=err_console, transient=True) as progress:
        reports = progress.add_task("reports", total=total)
        chunks = progress.add_task("chunks", total=0)

        def on_report_start(path: Path, n: int) -> None:
            progress.update(chunks, total=(progress.tasks[chunks].total or 0) + n)

        def on_chunk_done(n: int) -> None:
            progress.advance(chunks, n)

        def on_report_done(path: Path, summary: Any, reason: str | None) -> None:
            progress.advance(reports)
            if reason:
                print_error(reason)

        yield {
            "on_report_start": on_report_start,
            "on_chunk_done": on_chunk_done,
            "on_report_done": on_report_done,
        }


def print_batch_result(result: Any, outdir: Path) -> None:
    from rich.table import Table

    t = Table(title=f"batch → {outdir}")
    for col in ("reports ok", "failed", "achievements", "metrics", "problems", "plans", "seconds"):
        t.add_column(col, justify="right")
    s = result.summaries
    t.add_row(
        str(len(s)),
        str(len(result.failures)),
        *(str(sum(len(getattr(x, k)) for x in s)) for k in ("achievements", "metrics", "problems", "plans")),
        f"{result.seconds:.2f}",
    )
    Console().print(t)
    for f in result.failures:
        print_error(f.reason)
