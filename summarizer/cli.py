"""Command line: a thin layer over the library. `summarizer --help` lists the verbs."""

from __future__ import annotations

import functools
import inspect
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from summarizer.config import Settings, debug_from_env
from summarizer.errors import SummarizerError, shown

app = typer.Typer(
    help="Turn Chinese local-government work reports into faithful one-page briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help costs ~0.2 s of imports on every start.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},  # the sub-commands inherit it
)


def _print_version(value: bool) -> None:
    if value:
        from summarizer import __version__

        print(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    pass  # a callback only for --version: each verb does its own work


def _option(name: str, kind: Any, flag: str, help: str, default: Any = None) -> inspect.Parameter:
    """Parameter `name` as typer reads it from a signature: option `flag` of type `kind`."""
    annotation = Annotated[kind, typer.Option(flag, help=help)]
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


_CACHE_DIR = _option("cache_dir", Path | None, "--cache-dir", "LLM cache folder")
_DEBUG = _option("debug", bool, "--debug", "show tracebacks", False)

# The settings options, defined once here and added to each command by `_with_settings`.
EXTRACTION_OPTIONS = (
    _option("backend", str | None, "--backend", "rules (offline, default) or openai"),
    _option("model", str | None, "--model", "model name for openai"),
    _option("base_url", str | None, "--base-url", "OpenAI-compatible endpoint URL"),
    _option("mode", str | None, "--mode", "tools | json_schema | json | md_json"),
    _CACHE_DIR,
    _option("no_cache", bool, "--no-cache", "bypass the LLM cache", False),
    _option("concurrency", int | None, "--concurrency", "parallel LLM calls (default 4)"),
    _option("chunk_size", int | None, "--chunk-size", "max characters per chunk (default 2500)"),
    _option("max_mb", float | None, "--max-mb", "per-report size limit in MB (default 50)"),
    _option(
        "deadline", float | None, "--deadline", "seconds one LLM call may take in all (default 300)"
    ),
    _option("meta", Path | None, "--meta", "CSV of file,entity,year(,kind) the text does not say"),
    _DEBUG,
)
CACHE_OPTIONS = (_CACHE_DIR, _DEBUG)
# --batch-api and its knobs, for the verbs that run many reports (batch, eval).
BATCH_API_OPTIONS = (
    _option(
        "batch_api",
        bool,
        "--batch-api",
        "send the LLM calls as provider batches (about half price, within 24 h); the same "
        "command again resumes waiting, never submits twice",
        False,
    ),
    _option(
        "batch_retries", int, "--batch-retries", "batch rounds for failed lines before live", 0
    ),
    _option("batch_poll", float, "--batch-poll", "seconds before the first poll (then x1.5)", 10.0),
    _option("batch_max_lines", int, "--batch-max-lines", "lines per batch file", 50_000),
    _option("batch_max_mb", float, "--batch-max-mb", "MB per batch file", 200.0),
)


def _settings(**flags: Any) -> Settings:
    from summarizer.config import load_settings

    max_mb = flags.pop("max_mb", None)
    if max_mb is not None:
        flags["max_bytes"] = int(float(max_mb) * 1024 * 1024)
    meta = flags.pop("meta", None)
    if meta is not None:
        from summarizer.read.meta_table import load_meta_table

        flags["meta"] = load_meta_table(meta)
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


def _with_settings(
    options: tuple[inspect.Parameter, ...],
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command `options` after its own, and call it with them built into `settings`
    (its first parameter); a SummarizerError it raises becomes one line and its exit code.

    typer reads a command's options from its signature, so the wrapper shows typer the
    command's own parameters plus `options`: each shared option is written once, above."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(command, eval_str=True).parameters.values())[1:]

        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            flags = {option.name: kwargs.pop(option.name) for option in options}
            debug = bool(flags.get("debug")) or debug_from_env()
            try:
                command(_settings(**flags), **kwargs)
            except SummarizerError as exc:
                raise _fail(exc, debug) from None

        params = [*own, *options]
        run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate


def _with_batch_api(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command BATCH_API_OPTIONS, passed to it as `batch_api`: BatchOptions, or None
    without --batch-api."""
    params = list(inspect.signature(command, eval_str=True).parameters.values())
    own = [p for p in params if p.name != "batch_api"]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        flags = {option.name: kwargs.pop(option.name) for option in BATCH_API_OPTIONS}
        options = None
        if flags["batch_api"]:
            from summarizer.extract.llm.batchapi.lines import Limits
            from summarizer.extract.llm.batchapi.run import BatchOptions

            limits = Limits(flags["batch_max_lines"], int(flags["batch_max_mb"] * 1e6))
            options = BatchOptions(flags["batch_retries"], flags["batch_poll"], limits=limits)
        command(*args, batch_api=options, **kwargs)

    signature = [*own, *BATCH_API_OPTIONS]
    run.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in signature}
    return run


@contextmanager
def _answered_by_batch(
    paths: Callable[[], list[Path]], settings: Settings, options: Any
) -> Iterator[Any]:
    """The backend for a run: None (the usual one) without --batch-api, else one serving
    the batches' answers, with their progress and closing line on stderr."""
    if options is None:
        yield None
        return
    from summarizer.extract.llm.batchapi.display import batch_progress, print_tally
    from summarizer.extract.llm.batchapi.run import batch_backend

    with batch_backend(paths(), settings, options, batch_progress, print_tally) as backend:
        yield backend


def _jobs(jobs: int | None, settings: Settings) -> int:
    """--jobs, else every core for the offline backend; one process for an LLM backend (it
    runs --concurrency calls instead) and under --debug (a bug's traceback stays whole)."""
    if jobs is not None:
        return jobs
    from summarizer.pool import default_jobs

    return default_jobs() if settings.backend == "rules" and not settings.debug else 1


# Each verb's line in `summarizer --help` is its short_help, written to be read whole: click
# would cut the docstring's first sentence short to fit the terminal ("…, plus...").
@app.command(short_help="One report → a briefing in the terminal, and files in OUT.")
@_with_settings(EXTRACTION_OPTIONS)
def brief(
    settings: Settings,
    report: Annotated[Path, typer.Argument(help="report file (.txt, UTF-8 or GB18030)")],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="output folder (default out; with --format: none)"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="print json, md or html to stdout instead of the briefing"),
    ] = None,
) -> None:
    """One report → briefing in the terminal, plus OUT/<id>.json/.md/.html files. With
    --format, only that form on stdout, for piping: files only if -o is given."""
    from summarizer.pipeline import summarize_report
    from summarizer.read.source import read_report, with_id
    from summarizer.render.names import output_ids
    from summarizer.render.outputs import (
        make_outdir,
        summary_json,
        summary_json_bytes,
        write_report_outputs,
    )
    from summarizer.render.pages import render_html, render_markdown

    if fmt not in (None, "json", "md", "html"):  # before any work is done
        from summarizer.errors import ConfigError

        raise ConfigError(f"--format must be json, md or html, got {fmt!r}")
    if out is None and fmt is None:
        out = Path("out")
    if out is not None:
        make_outdir(out)  # an unusable OUT fails before an LLM is paid for the report
    rep = read_report(report, max_bytes=settings.max_bytes)
    ids, renamed = output_ids([report])  # index.txt must not write a batch's index.html
    rep = with_id(rep, ids[report])
    if renamed:
        from summarizer.console import print_renamed

        print_renamed(renamed)
    summary = summarize_report(rep, settings)
    files = write_report_outputs(summary, rep.text, out) if out is not None else []
    if fmt is None:
        from summarizer.console import print_briefing

        print_briefing(summary, files=files)
    elif fmt == "json" and not sys.stdout.isatty():  # data, as bytes: never held twice as text
        sys.stdout.flush()
        if out is not None:  # the JSON just written, copied over, not made again
            with (out / f"{summary.report.id}.json").open("rb") as written:
                shutil.copyfileobj(written, sys.stdout.buffer)
        else:
            sys.stdout.buffer.write(summary_json_bytes(summary))
    else:
        render = {"json": summary_json, "md": render_markdown, "html": render_html}[fmt]
        text = render(summary)
        if sys.stdout.isatty():  # piped, it is data and stays as written; shown, it is made safe
            from summarizer.console import terminal_text

            text = terminal_text(text)
        sys.stdout.write(text)


@app.command(short_help="A folder of reports → files in OUT, with an index and a CSV.")
@_with_settings(EXTRACTION_OPTIONS)
@_with_batch_api
def batch(
    settings: Settings,
    folder: Annotated[Path, typer.Argument(help="folder of report files")],
    out: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    force: Annotated[
        bool, typer.Option("--force", help="summarise every report again, changed or not")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="rules backend: reports in N worker processes (default: the cores; 1: none)",
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option("--shard", help="only shard i of N (2/8), by a hash of each file's name"),
    ] = None,
    batch_api: Any = None,
) -> None:
    """Every report in FOLDER → OUT/<id>.* plus index.html, metrics.csv, panel.csv,
    summaries.jsonl and summaries.sqlite. A re-run summarises only new and changed reports."""
    from summarizer.batch import list_reports, run_batch
    from summarizer.console import print_batch_result, progress_callbacks
    from summarizer.shards import parse_shard

    part = parse_shard(shard) if shard is not None else None
    paths = functools.partial(list_reports, folder)
    with (
        _answered_by_batch(paths, settings, batch_api) as backend,
        progress_callbacks(folder, shard=part) as callbacks,
    ):
        result = run_batch(
            folder,
            out,
            settings,
            backend=backend,
            jobs=_jobs(jobs, settings),
            shard=part,
            force=force,
            **callbacks,
        )
    print_batch_result(result, out)
    if not result.ok:
        raise typer.Exit(1)


@app.command(short_help="Search every report of a batch: problems, plans, achievements, metrics.")
@_with_settings((_DEBUG,))
def search(
    settings: Settings,
    out: Annotated[Path, typer.Argument(help="a batch's output folder (with summaries.sqlite)")],
    query: Annotated[str, typer.Argument(help="words to find, e.g. 债务")],
    within: Annotated[
        list[str] | None,
        typer.Option("--in", help="problems | plans | achievements | metrics (repeatable)"),
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="only entities whose name contains this")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="only reports of this year")] = None,
    limit: Annotated[int, typer.Option("--limit", help="hits shown (0: all)")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="hits as JSON, for scripts")] = False,
) -> None:
    """Full-text search of OUT/summaries.sqlite: each hit's entity, year, category, the quote
    with the match marked, and a link into <id>.source.html. Exit 1 when nothing is found."""
    from summarizer.corpus.search import CATEGORIES
    from summarizer.corpus.search import search as run_search

    result = run_search(
        out, query, within=within or CATEGORIES, entity=entity, year=year, limit=limit
    )
    if as_json:
        import json

        hits = [h.as_json() for h in result.hits]
        doc = {"query": query, "total": result.total, "reports": result.reports, "hits": hits}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from summarizer.corpus.console import print_hits

        print_hits(result)
    if not result.total:
        raise typer.Exit(1)


@app.command(short_help="Open a batch's database in Datasette (pip install 'summarizer[explore]').")
@_with_settings((_DEBUG,))
def explore(
    settings: Settings,
    out: Annotated[Path, typer.Argument(help="a batch's output folder (with summaries.sqlite)")],
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8001,
    open_browser: Annotated[bool, typer.Option("--open", help="open it in a browser")] = False,
) -> None:
    """Serve OUT/summaries.sqlite with Datasette: tables described in Chinese and English,
    canned queries (headline indicators, most-cited problems, search, targets missed)."""
    from summarizer.corpus.explore import serve

    serve(out, host=host, port=port, open_browser=open_browser)


@app.command(short_help="Shards' batch outputs → one output folder, as one batch would be.")
def merge(
    shards: Annotated[list[Path], typer.Argument(help="the shards' output folders")],
    out: Annotated[Path, typer.Option("-o", "--out", help="the merged output folder")],
) -> None:
    """Copy every report's files from SHARDS into OUT and write index.html, metrics.csv,
    panel.csv, summaries.jsonl, failures.jsonl and the tracking files over all of them
    (batch --shard i/N)."""
    from summarizer.shards import merge_shards

    try:
        merged = merge_shards(shards, out)
    except SummarizerError as exc:
        raise _fail(exc, debug_from_env()) from None
    print(f"merged {len(shards)} folders: {len(merged.summaries)} reports, ", end="")
    print(f"{len(merged.failures)} failed → {out / 'index.html'}")


@app.command(short_help="Targets against the next year's actuals, per entity: tables, pages.")
@_with_settings(EXTRACTION_OPTIONS)
def track(
    settings: Settings,
    folder: Annotated[Path, typer.Argument(help="folder of reports, or of a batch's <id>.json")],
    out: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="左右 tolerance in percentage points")
    ] = 0.5,
) -> None:
    """Link each year's targets to the next report's actuals → OUT/tracking.csv, tracking.json
    and a page per entity (table and charts)."""
    from summarizer.console import print_error
    from summarizer.track.run import run_track

    run = run_track(folder, out, settings, tolerance)
    counts = {
        v: sum(1 for x in run.result.links if x.verdict == v)
        for v in ("met", "missed", "not_reported", "unclear")
    }
    print(
        f"{len(run.result.series)} series, {len(run.result.links)} targets: "
        + ", ".join(f"{k} {n}" for k, n in counts.items())
    )
    for path in run.files:
        print(f"  {path}")
    for line in run.failures:
        print_error(line)
    if run.failures:
        raise typer.Exit(1)


@app.command("eval-track", short_help="Score `track` against the tracking hand labels.")
@_with_settings(EXTRACTION_OPTIONS)
def eval_track(
    settings: Settings,
    labels: Annotated[
        Path, typer.Option("--labels", help="folder of tracking labels <series>.json")
    ] = Path("evals/tracking"),
    reports: Annotated[
        Path, typer.Option("--reports", help="folder holding the labelled series' reports")
    ] = Path("evals/tracking/reports"),
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="compare with this baseline; exit 1 on a regression"),
    ] = None,
    save_baseline: Annotated[
        bool, typer.Option("--save-baseline", help="store the scores as --baseline FILE")
    ] = False,
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="largest allowed drop of a gated score")
    ] = 0.02,
    show: Annotated[int, typer.Option("--show", help="missed/extra/wrong links listed")] = 10,
) -> None:
    """Link recall, precision and verdict accuracy of `track` on the labelled series."""
    from summarizer.console import print_error
    from summarizer.track.evaluation import (
        compare_track_baseline,
        load_track_baseline,
        run_track_eval,
        save_track_baseline,
    )
    from summarizer.track.report import print_track_eval

    if save_baseline and baseline is None:
        from summarizer.errors import ConfigError

        raise ConfigError("--save-baseline needs --baseline FILE")
    before = load_track_baseline(baseline) if baseline is not None and not save_baseline else None
    run = run_track_eval(labels, reports, settings)
    print_track_eval(run, show)
    if save_baseline and baseline is not None:
        print(f"baseline saved to {save_track_baseline(run, baseline)}")
    if before is not None:
        failures = compare_track_baseline(run, before, tolerance)
        if failures:
            print_error("tracking eval regressed: " + "; ".join(failures))
            raise typer.Exit(1)
        print(f"no regression against {baseline} (tolerance {tolerance:g})")


@app.command("eval", short_help="Score the pipeline against the hand labels.")
@_with_settings(EXTRACTION_OPTIONS)
@_with_batch_api
def eval_(
    settings: Settings,
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
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="rules backend: reports in N worker processes"),
    ] = None,
    batch_api: Any = None,
) -> None:
    """Extract the labelled reports with the normal pipeline and score against hand labels."""
    from summarizer.evaluate.console import (
        print_baseline_comparison,
        print_eval,
        progress_status,
    )
    from summarizer.evaluate.run import (
        DEFAULT_BASELINE,
        compare_to_baseline,
        labelled_reports,
        load_baseline,
        run_eval,
        write_run,
    )
    from summarizer.evaluate.run import save_baseline as store_baseline

    # Read the baseline first: a missing or broken one fails before any LLM call.
    before = load_baseline(baseline) if baseline is not None and not save_baseline else None
    paths = functools.partial(labelled_reports, labels, reports)
    with (
        _answered_by_batch(paths, settings, batch_api) as backend,
        progress_status("eval") as on_report,
    ):
        run = run_eval(
            labels, reports, settings, backend, on_report=on_report, jobs=_jobs(jobs, settings)
        )
    print_eval(run, max_items=show)
    if record:
        print(f"recorded {write_run(run, runs_dir)}")
    if save_baseline:
        print(f"baseline saved to {store_baseline(run, baseline or DEFAULT_BASELINE)}")
        return
    if before is None:
        return
    cmp = compare_to_baseline(run, before, tolerance)
    print_baseline_comparison(cmp)
    if cmp.failures:
        names = ", ".join(f"{d.name} {d.measure} {d.change:+.3f}" for d in cmp.failures)
        from summarizer.console import print_error

        print_error(f"eval regressed beyond the tolerance {tolerance:g}: {names}")
        raise typer.Exit(1)


cache_app = typer.Typer(help="Inspect or empty the LLM cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats", short_help="Entries and size of the LLM cache.")
@_with_settings(CACHE_OPTIONS)
def cache_stats(settings: Settings) -> None:
    """Entries and size of the LLM cache (--cache-dir, SUMMARIZER_CACHE_DIR, else cache/)."""
    from summarizer.extract.llm.cache import LLMCache

    directory = settings.cache_dir
    if not directory.exists():
        print(f"{shown(directory)}: no cache yet")
        return
    cache = LLMCache(directory)
    stats = cache.stats()
    cache.close()
    print(f"{shown(stats.directory)}: {stats.entries} entries, {stats.bytes / 1024:.1f} KiB")


@cache_app.command("clear", short_help="Remove every cached LLM reply.")
@_with_settings(CACHE_OPTIONS)
def cache_clear(settings: Settings) -> None:
    """Remove every cached LLM reply (a corrupt cache is rebuilt empty)."""
    from summarizer.extract.llm.cache import clear_cache

    removed = clear_cache(settings.cache_dir)
    print(f"{shown(settings.cache_dir)}: cleared ({removed} removed)")


batch_api_app = typer.Typer(
    help="The Batch API by files, for servers without it (vllm run-batch).", no_args_is_help=True
)
app.add_typer(
    batch_api_app, name="batch-api", short_help="Batch API requests out, results in, as files."
)


def _openai(settings: Settings) -> Any:
    from summarizer.extract.llm.backend import OpenAIBackend

    return OpenAIBackend(settings.with_(backend="openai"))


@batch_api_app.command("export", short_help="The uncached calls of FOLDER as a requests JSONL.")
@_with_settings(EXTRACTION_OPTIONS)
def batch_api_export(
    settings: Settings,
    folder: Annotated[Path, typer.Argument(help="folder of report files")],
    out: Annotated[Path, typer.Option("-o", "--out", help="requests file")] = Path(
        "requests.jsonl"
    ),
) -> None:
    """Write one Batch API request line per call the cache cannot serve (custom_id: the
    call's cache key), e.g. for `vllm run-batch -i requests.jsonl -o results.jsonl`."""
    from summarizer.batch import list_reports
    from summarizer.extract.llm.batchapi.run import export_requests

    backend = _openai(settings)
    try:
        written, cached = export_requests(list_reports(folder), settings, backend, out)
    finally:
        backend.close()
    print(f"{out}: {written} requests ({cached} calls already cached)")


@batch_api_app.command("import", short_help="Validate a results JSONL into the LLM cache.")
@_with_settings(EXTRACTION_OPTIONS)
def batch_api_import(
    settings: Settings,
    results: Annotated[Path, typer.Argument(help="results file (vllm run-batch output)")],
) -> None:
    """Check each answer of RESULTS as a live reply is checked and cache the valid ones;
    `batch` with the same options then assembles the reports from the cache. Invalid or
    failed lines stay uncached: the next export asks them again."""
    from summarizer.extract.llm.batchapi.run import import_results

    backend = _openai(settings)
    try:
        result = import_results(results, settings, backend)
    finally:
        backend.close()
    for line in result.invalid:
        print(f"invalid: {line}")
    print(
        f"{results}: {result.cached} answers cached, {len(result.invalid)} invalid, "
        f"{result.unknown} not from an export of this cache, {result.unreadable} unreadable"
    )


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
