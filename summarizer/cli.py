"""Command line: a thin layer over the library. `summarizer --help` lists the verbs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarizer.errors import SummarizerError

if TYPE_CHECKING:
    from summarizer.config import Settings

app = typer.Typer(
    help="Turn Chinese local-government work reports into faithful one-page briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help costs ~0.2 s of imports on every start.
    rich_markup_mode=None,
)

BackendOpt = Annotated[
    str | None, typer.Option("--backend", help="rules (offline, default) or openai")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="model name for openai")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint URL")
]
ModeOpt = Annotated[str | None, typer.Option("--mode", help="tools | json_schema | json | md_json")]
OutOpt = Annotated[Path, typer.Option("-o", "--out", help="output folder")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="show tracebacks")]
CacheDirOpt = Annotated[Path | None, typer.Option("--cache-dir", help="LLM cache folder")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="bypass the LLM cache")]
ConcurrencyOpt = Annotated[
    int | None, typer.Option("--concurrency", help="parallel LLM calls (default 4)")
]
ChunkOpt = Annotated[
    int | None, typer.Option("--chunk-size", help="max characters per chunk (default 2500)")
]
MaxMbOpt = Annotated[
    float | None, typer.Option("--max-mb", help="per-report size limit in MB (default 50)")
]


def _settings(**flags: Any) -> Settings:
    from summarizer.config import load_settings

    max_mb = flags.pop("max_mb", None)
    if max_mb is not None:
        flags["max_bytes"] = int(float(max_mb) * 1024 * 1024)
    if flags.pop("no_cache", False):
        flags["use_cache"] = False
    if not flags.get("debug"):
        flags.pop("debug", None)
    return load_settings(**flags)


def _fail(exc: SummarizerError, debug: bool) -> typer.Exit:
    if debug:
        raise exc
    from summarizer.console import print_error

    print_error(str(exc))
    return typer.Exit(exc.exit_code)


@app.command()
def brief(
    report: Annotated[Path, typer.Argument(help="report file (.txt, UTF-8 or GB18030)")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="print json, md or html to stdout instead of the briefing"),
    ] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    chunk_size: ChunkOpt = None,
    max_mb: MaxMbOpt = None,
    debug: DebugOpt = False,
) -> None:
    """One report → briefing in the terminal, plus OUT/<id>.json/.md/.html files."""
    try:
        from summarizer.pipeline import summarize_report
        from summarizer.read.source import read_report
        from summarizer.render.outputs import summary_json, write_report_outputs
        from summarizer.render.pages import render_html, render_markdown

        settings = _settings(
            backend=backend,
            model=model,
            base_url=base_url,
            mode=mode,
            cache_dir=cache_dir,
            no_cache=no_cache,
            concurrency=concurrency,
            chunk_size=chunk_size,
            max_mb=max_mb,
            debug=debug,
        )
        if fmt not in (None, "json", "md", "html"):  # before any work is done
            from summarizer.errors import ConfigError

            raise ConfigError(f"--format must be json, md or html, got {fmt!r}")
        rep = read_report(report, max_bytes=settings.max_bytes)
        summary = summarize_report(rep, settings)
        files = write_report_outputs(summary, rep.text, out) if out is not None else []
        if fmt is None:
            from summarizer.console import print_briefing

            print_briefing(summary, files=files)
        else:
            render = {"json": summary_json, "md": render_markdown, "html": render_html}[fmt]
            sys.stdout.write(render(summary))
    except SummarizerError as exc:
        raise _fail(exc, debug) from None


@app.command()
def batch(
    folder: Annotated[Path, typer.Argument(help="folder of report files")],
    out: OutOpt = Path("out"),
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    chunk_size: ChunkOpt = None,
    max_mb: MaxMbOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Every report in FOLDER → OUT/<id>.* plus index.html, metrics.csv, summaries.jsonl."""
    try:
        from summarizer.batch import run_batch
        from summarizer.console import print_batch_result, progress_callbacks

        settings = _settings(
            backend=backend,
            model=model,
            base_url=base_url,
            mode=mode,
            cache_dir=cache_dir,
            no_cache=no_cache,
            concurrency=concurrency,
            chunk_size=chunk_size,
            max_mb=max_mb,
            debug=debug,
        )
        with progress_callbacks(folder) as callbacks:
            result = run_batch(folder, out, settings, **callbacks)
        print_batch_result(result, out)
    except SummarizerError as exc:
        raise _fail(exc, debug) from None
    if not result.ok:
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    labels: Annotated[
        Path, typer.Option("--labels", help="folder of hand labels <report_id>.json")
    ] = Path("evals/labels"),
    reports: Annotated[
        Path, typer.Option("--reports", help="folder holding the labelled reports")
    ] = Path("seeds"),
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="compare with this baseline; exit 1 on a regression"),
    ] = None,
    save_baseline: Annotated[
        bool,
        typer.Option(
            "--save-baseline",
            help="store the scores as the baseline (--baseline FILE, else evals/baseline.json)",
        ),
    ] = False,
    # A drop of two points in F1 or recall is beyond the noise of a deterministic backend on a
    # few hundred labels (one item in ~50) and flags a real regression.
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", help="largest allowed drop of any category's F1 or recall"),
    ] = 0.02,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="write the run to --runs-dir")
    ] = True,
    runs_dir: Annotated[
        Path, typer.Option("--runs-dir", help="folder of recorded eval runs")
    ] = Path("evals/runs"),
    show: Annotated[
        int, typer.Option("--show", help="missed/extra items listed per category (-1: all)")
    ] = 8,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    chunk_size: ChunkOpt = None,
    max_mb: MaxMbOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Extract the labelled reports with the normal pipeline and score against hand labels."""
    try:
        from summarizer.evaluate.console import (
            print_baseline_comparison,
            print_eval,
            progress_status,
        )
        from summarizer.evaluate.run import (
            DEFAULT_BASELINE,
            compare_to_baseline,
            load_baseline,
            run_eval,
            write_run,
        )
        from summarizer.evaluate.run import save_baseline as store_baseline

        settings = _settings(
            backend=backend,
            model=model,
            base_url=base_url,
            mode=mode,
            cache_dir=cache_dir,
            no_cache=no_cache,
            concurrency=concurrency,
            chunk_size=chunk_size,
            max_mb=max_mb,
            debug=debug,
        )
        # Read the baseline first: a missing or broken one fails before any LLM call.
        before = load_baseline(baseline) if baseline is not None and not save_baseline else None
        with progress_status("eval") as on_report:
            run = run_eval(labels, reports, settings, on_report=on_report)
        print_eval(run, max_items=show)
        if record:
            print(f"recorded {write_run(run, runs_dir)}")
        if save_baseline:
            print(f"baseline saved to {store_baseline(run, baseline or DEFAULT_BASELINE)}")
            return
        regressions = []
        if before is not None:
            cmp = compare_to_baseline(run, before, tolerance)
            print_baseline_comparison(cmp)
            regressions = cmp.failures
    except SummarizerError as exc:
        raise _fail(exc, debug) from None
    if regressions:
        names = ", ".join(f"{d.name} {d.measure} {d.change:+.3f}" for d in regressions)
        from summarizer.console import print_error

        print_error(f"eval regressed beyond the tolerance {tolerance:g}: {names}")
        raise typer.Exit(1)


cache_app = typer.Typer(help="Inspect or empty the LLM cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Entries and size of the LLM cache (--cache-dir, SUMMARIZER_CACHE_DIR, else cache/)."""
    try:
        from summarizer.extract.llm.cache import LLMCache

        directory = _settings(cache_dir=cache_dir).cache_dir
        if not directory.exists():
            print(f"{directory}: no cache yet")
            return
        cache = LLMCache(directory)
        stats = cache.stats()
        cache.close()
        print(f"{stats.directory}: {stats.entries} entries, {stats.bytes / 1024:.1f} KiB")
    except SummarizerError as exc:
        raise _fail(exc, debug) from None


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Remove every cached LLM reply (a corrupt cache is rebuilt empty)."""
    try:
        from summarizer.extract.llm.cache import clear_cache

        directory = _settings(cache_dir=cache_dir).cache_dir
        removed = clear_cache(directory)
        print(f"{directory}: cleared ({removed} removed)")
    except SummarizerError as exc:
        raise _fail(exc, debug) from None


def main() -> None:
    try:
        app()
    except Exception as exc:  # a bug: one line for the user, the traceback only on request
        from summarizer.config import debug_from_env

        if "--debug" in sys.argv or debug_from_env():
            raise
        from summarizer.console import print_error

        print_error(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug")
        sys.exit(70)


if __name__ == "__main__":
    main()
