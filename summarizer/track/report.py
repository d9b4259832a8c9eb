"""The eval-track figures in the terminal: a line per series and the total, then examples of
links missed, extra and judged differently. Report text goes out as rich `Text` with control
characters stripped, never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text

from summarizer.track.evaluation import TrackEval
from summarizer.track.scoring import TrackScore

__all__ = ["print_track_eval"]


def _row(name: str, s: TrackScore) -> list[str]:
    return [
        name,
        str(s.labelled),
        str(s.predicted),
        str(s.correct),
        f"{s.recall:.3f}",
        f"{s.precision:.3f}",
        f"{s.verdict_accuracy:.3f} ({s.verdicts_equal}/{s.matched})",
        str(s.not_reported_judged),
    ]


def _example(kind: str, text: str) -> Text:
    return Text(f"  {kind:<7} {strip_control_codes(' '.join(text.split()))}")


def print_track_eval(run: TrackEval, show: int = 10, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title="eval-track: targets linked to actuals")
    for col in (
        "series",
        "labelled",
        "predicted",
        "correct",
        "recall",
        "precision",
        "verdicts",
        "not_reported judged",
    ):
        t.add_column(col, justify="left" if col == "series" else "right")
    for name, score in run.series.items():
        t.add_row(*_row(name, score))
    t.add_row(*_row("total", run.total), style="bold")
    console.print(t)
    if show == 0:
        return
    limit = None if show < 0 else show
    total = run.total
    for label in total.missed_links[:limit]:
        target = label.target.quote
        console.print(
            _example("missed", f"{label.year} {label.indicator}: {target} → {label.verdict}")
        )
    for link in total.extra_links[:limit]:
        console.print(
            _example("extra", f"{link.year} {link.indicator}: {link.target.quote} → {link.verdict}")
        )
    for label, link in total.wrong[:limit]:
        want = label.actual.quote if label.actual else "—"
        got = link.actual.quote if link.actual else "—"
        console.print(
            _example(
                "wrong",
                f"{label.year} {label.indicator}: labelled {label.verdict} ({want}), "
                f"got {link.verdict} ({got}) {link.note}",
            )
        )
