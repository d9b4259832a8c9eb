"""Rich tables for `summarizer eval`: totals per category, scores per report, what was missed
and what was extra, and the deltas against a baseline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.console import terminal_text
from summarizer.evaluate.run import BaselineComparison, EvalRun
from summarizer.evaluate.scoring import CATEGORY_KEYS, SAME_ITEM_SCORE, STRETCH_KEYS, Ratio, Tally

__all__ = ["print_baseline_comparison", "print_eval", "progress_status"]


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _ratio(r: Ratio) -> str:
    return f"{r.rate:.3f} ({r.hits}/{r.total})" if r.total else "-"


def _category_table(run: EvalRun) -> Table:
    model = f" / {run.model}" if run.model else ""
    t = Table(
        title=f"eval: {run.backend}{model} ({run.prompt_version}), {run.totals.reports} reports, "
        "micro-averaged"
    )
    t.add_column("category")
    for col in ("labelled", "predicted", "matched", "precision", "recall", "F1"):
        t.add_column(col, justify="right")
    for key in CATEGORY_KEYS:
        tally = run.totals.categories.get(key, Tally())
        t.add_row(
            key,
            str(tally.labelled),
            str(tally.predicted),
            str(tally.matched),
            _pct(tally.precision),
            _pct(tally.recall),
            _pct(tally.f1),
        )
    return t


def _quality_table(run: EvalRun) -> Table:
    t = Table(title="faithfulness, grounding and report metadata")
    t.add_column("measure")
    t.add_column("rate (hits/total)", justify="right")
    tot = run.totals
    t.add_row("metric values verbatim in their quote (faithfulness)", _ratio(tot.faithfulness))
    t.add_row(Text("evidence equals text[start:end] (grounding)"), _ratio(tot.grounding))
    for key, r in tot.meta.items():
        t.add_row(f"report {key}", _ratio(r))
    for key, r in tot.metric_fields.items():
        if r.total:  # the version-2 fields only where labels carry them
            t.add_row(f"matched metrics: same {key}", _ratio(r))
    t.add_row("matched metrics with a canonical name", _ratio(tot.named))
    for key in STRETCH_KEYS:
        pairs = [p for s in run.reports for p in s.matches.get(key, [])]
        weak = sum(1 for p in pairs if p.score <= SAME_ITEM_SCORE)
        t.add_row(
            f"matched {key} found only by item stretch", _ratio(Ratio(hits=weak, total=len(pairs)))
        )
    return t


_SHORT = {"metrics": "metrics", "achievements": "achiev.", "problems": "problems", "plans": "plans"}


def _report_table(run: EvalRun) -> Table:
    # Narrow enough for an 80-column CI log; per-report faithfulness and precision are in the
    # recorded JSON.
    t = Table(title="per report (recall/F1; meta: metadata fields right)")
    t.add_column("report", overflow="fold")
    for key in CATEGORY_KEYS:
        t.add_column(_SHORT.get(key, key), justify="right", no_wrap=True)
    t.add_column("meta", justify="right", no_wrap=True)
    for s in run.reports:
        cells = []
        for key in CATEGORY_KEYS:
            tally = s.categories.get(key, Tally())
            cells.append(f"{tally.recall:.2f}/{tally.f1:.2f}" if tally.labelled else "-")
        meta = sum(r.hits for r in s.meta.values()), sum(r.total for r in s.meta.values())
        t.add_row(
            Text(terminal_text(s.report, one_line=True)),
            *cells,
            f"{meta[0]}/{meta[1]}" if meta[1] else "-",
        )
    return t


def _print_differences(run: EvalRun, console: Console, max_items: int) -> None:
    for s in run.reports:
        lines: list[Text] = []
        for key in CATEGORY_KEYS:
            for kind, items, style in (
                ("missed", s.missed.get(key, []), "red"),
                ("extra", s.extra.get(key, []), "yellow"),
            ):
                if not items:
                    continue
                shown = items if max_items < 0 else items[:max_items]
                more = len(items) - len(shown)
                head = Text(f"  {kind} {key} ({len(items)}): ", style=style)
                body = Text(terminal_text("; ".join(shown), one_line=True))
                body.append(f"; … {more} more" if more else "")
                lines.append(head + body)
        if lines:
            console.print(Text(terminal_text(s.report, one_line=True), style="bold"))
            for line in lines:
                console.print(line)


def print_eval(run: EvalRun, console: Console | None = None, max_items: int = 8) -> None:
    """The whole eval: tables, then missed/extra per report (`max_items` per list, -1 = all)."""
    console = console or Console()
    console.print(_category_table(run))
    console.print(_quality_table(run))
    console.print(_report_table(run))
    if max_items != 0:
        _print_differences(run, console, max_items)
    calls = (
        f"{run.llm_calls} LLM calls, {run.cache_hits} cache hits, "
        if run.llm_calls or run.cache_hits
        else ""
    )
    console.print(f"{calls}{run.seconds:.2f} s", highlight=False)


def print_baseline_comparison(cmp: BaselineComparison, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"against the baseline (gate: F1, recall may drop <= {cmp.tolerance:g})")
    t.add_column("measure")
    for col in ("baseline", "now", "change", ""):
        t.add_column(col, justify="right")
    for d in cmp.deltas:
        if d.failed(cmp.tolerance):
            status = Text("FAIL", style="bold red")
        elif d.gated:
            status = Text("ok", style="green")
        else:
            status = Text("info", style="dim")
        change = Text(
            f"{d.change:+.3f}", style="red" if d.change < 0 else ("green" if d.change > 0 else "")
        )
        t.add_row(Text(f"{d.name} {d.measure}"), _pct(d.before), _pct(d.after), change, status)
    console.print(t)
    for note in cmp.notes:
        console.print(Text(f"note: {note}", style="yellow"))


@contextmanager
def progress_status(what: str) -> Iterator[Callable[[str], None]]:
    """A transient status line on stderr naming the report being extracted."""
    console = Console(stderr=True)
    with console.status(what) as status:

        def on_report(report_id: str) -> None:
            status.update(f"{what}: {report_id}")

        yield on_report
