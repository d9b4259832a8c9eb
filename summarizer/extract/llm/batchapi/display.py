"""The Batch API's progress in the terminal: one bar per batch, its status and counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from openai.types import Batch
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from summarizer.console import err_console

if TYPE_CHECKING:
    from summarizer.extract.llm.batchapi.collect import Tally

__all__ = ["batch_progress", "print_tally"]


@contextmanager
def batch_progress() -> Iterator[Any]:
    """An `on_poll` for `answer_by_batch`: a bar per batch (done of total requests, failed,
    status) and the time since it was first seen."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(complete_style="cyan", finished_style="green"),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    tasks: dict[str, TaskID] = {}

    def on_poll(batches: Sequence[Batch], elapsed: float) -> None:
        for batch in batches:
            counts = batch.request_counts
            done = (counts.completed + counts.failed) if counts else 0
            total = counts.total if counts and counts.total else None
            failed = f", {counts.failed} failed" if counts and counts.failed else ""
            status = f"{batch.status}{failed}"
            if batch.id not in tasks:
                tasks[batch.id] = progress.add_task(batch.id[:28], total=total, status=status)
            progress.update(tasks[batch.id], completed=done, total=total, status=status)

    with progress:
        yield on_poll


def print_tally(tally: Tally) -> None:
    """The closing line of the Batch API's part of a run."""
    ids = ", ".join(tally.batches) or "none"
    err_console.print(
        f"batch api: {len(tally.batches)} batches ({ids}); {tally.sent} requests sent, "
        f"{tally.answered} answered, {tally.invalid} invalid, {tally.errors} errors, "
        f"{tally.live} retried live, {tally.failed} without an answer; "
        f"{tally.input_tokens} input + {tally.output_tokens} output tokens",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
