"""The Batch API round trip for a run's reports, and export/import for servers without it.

plan every call as the live path would → leave out what the cache serves → resume the
batches the state file lists → submit the rest (files within the limits) → poll, backing
off → settle each batch's lines → re-asks and failures to another round or live → the
answers and their accounting, for the backend to assemble the reports from the cache
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from openai.types import Batch

from summarizer.config import Settings
from summarizer.errors import ConfigError, SummarizerError
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.batchapi.answers import BatchAnswers
from summarizer.extract.llm.batchapi.book import CallBook
from summarizer.extract.llm.batchapi.collect import Retry, Tally, retry_live, settle
from summarizer.extract.llm.batchapi.jobs import TERMINAL, BatchJobs
from summarizer.extract.llm.batchapi.lines import (
    Limits,
    Outcome,
    read_results,
    request_line,
    split_lines,
)
from summarizer.extract.llm.batchapi.state import BatchState, stats_from, stats_to
from summarizer.render.outputs import atomic_write_text

__all__ = [
    "BatchOptions",
    "ImportResult",
    "answer_by_batch",
    "batch_backend",
    "export_requests",
    "forget_answers",
    "import_results",
]

OnPoll = Callable[[Sequence[Batch], float], None]


@dataclass(frozen=True)
class BatchOptions:
    retries: int = 0  # more batch rounds for failed lines before the live retry
    poll: float = 10.0  # seconds before the first poll; the wait grows by half each time
    poll_max: float = 300.0
    limits: Limits = field(default_factory=Limits)


def _check(settings: Settings) -> None:
    if not settings.use_cache:
        raise ConfigError("--batch-api keeps the answers in the LLM cache: drop --no-cache")


def answer_by_batch(
    paths: Sequence[Path],
    settings: Settings,
    backend: OpenAIBackend,
    options: BatchOptions | None = None,
    on_poll: OnPoll | None = None,
) -> tuple[BatchAnswers, Tally]:
    """Get every uncached call of `paths` answered through the Batch API into the cache.
    Returns the answers for `backend.answers` and what was done."""
    _check(settings)
    options = options or BatchOptions()
    state = BatchState.load(settings.cache_dir, backend.base_url)
    book = CallBook(backend, settings).plan(paths)
    tally = Tally()
    jobs = BatchJobs(settings)
    try:
        _adopt_uploads(jobs, state)
        pending = set(state.calls)
        fresh = [cid for cid in book.needed if cid not in pending]
        first = [Retry(cid, [], settings.max_retries, stats_from({}), "") for cid in fresh]
        _submit(jobs, book, state, tally, first, 1, options.limits)
        while state.batches:
            ended = _poll(jobs, state, options, on_poll)
            retries: list[tuple[int, Retry]] = []
            for batch in ended:
                retries += _collect(jobs, book, state, tally, batch)
            # Round n's failures make round n+1, a batch while --batch-retries allows.
            for rnd in sorted({rnd for rnd, _ in retries if rnd <= options.retries}):
                again = [r for n, r in retries if n == rnd]
                _submit(jobs, book, state, tally, again, rnd + 1, options.limits)
            live = [r for rnd, r in retries if rnd > options.retries]
            _retry_live(backend, book, state, tally, live)
    finally:
        jobs.close()
        state.save()
    answers = BatchAnswers(backend.model)
    for cid in book.calls:
        if cid in state.answered:
            answers.answered[cid] = stats_from(state.answered[cid])
        elif cid in state.failed:
            answers.failed[cid] = state.failed[cid]
    tally.failed = len(answers.failed)
    return answers, tally


def forget_answers(settings: Settings, backend: OpenAIBackend, answers: BatchAnswers) -> None:
    """Drop the accounting of calls whose reports are now written: a later run is served by
    the cache and says so (cache hits), as after a live run."""
    state = BatchState.load(settings.cache_dir, backend.base_url)
    for cid in answers.answered:
        state.answered.pop(cid, None)
    state.save()


# --- submitting ---------------------------------------------------------------------------------


def _adopt_uploads(jobs: BatchJobs, state: BatchState) -> None:
    """Files uploaded by a run stopped before it recorded their batch: find the batch, or
    create it now. Never a second batch for one file."""
    for file_id, cids in list(state.uploads.items()):
        batch = jobs.find(file_id) or jobs.create(file_id, {"summarizer": "batch-api"})
        _created(state, batch, file_id, cids)


def _created(state: BatchState, batch: Batch, file_id: str, cids: list[str]) -> None:
    state.batches[batch.id] = {"file": file_id, "calls": cids}
    for cid in cids:
        state.calls[cid]["batch"] = batch.id
    state.uploads.pop(file_id, None)
    state.save()


def _submit(
    jobs: BatchJobs,
    book: CallBook,
    state: BatchState,
    tally: Tally,
    retries: list[Retry],
    rnd: int,
    limits: Limits,
) -> None:
    """Round `rnd` of `retries`' calls: one line each, files within `limits`, one batch per
    file. The state is saved before each batch is created and again once it exists."""
    if not retries:
        return
    lines, by_line = [], []
    for retry in retries:
        planned = book.calls[retry.cid]
        body = book.backend.request(planned.call)
        body["messages"] = [*body["messages"], *retry.after]
        lines.append(request_line(retry.cid, body))
        by_line.append(retry)
    at = 0
    for n, part in enumerate(split_lines(lines, limits), 1):
        mine = by_line[at : at + len(part)]
        at += len(part)
        file_id = jobs.upload(f"summarizer-r{rnd}-{n}.jsonl", "".join(part).encode("utf-8"))
        cids = [r.cid for r in mine]
        state.uploads[file_id] = cids
        for r in mine:
            state.calls[r.cid] = {
                **book.calls[r.cid].where(),
                "round": rnd,
                "reasks": r.reasks,
                "after": r.after,
                "stats": stats_to(r.stats),
                "batch": None,
            }
        state.save()
        batch = jobs.create(file_id, {"summarizer": "batch-api", "round": str(rnd)})
        _created(state, batch, file_id, cids)
        tally.sent += len(part)


# --- polling and collecting -------------------------------------------------------------------


def _poll(
    jobs: BatchJobs, state: BatchState, options: BatchOptions, on_poll: OnPoll | None
) -> list[Batch]:
    """Wait until at least one batch of the state has ended; returns those that have."""
    t0 = time.monotonic()
    wait = options.poll
    while True:
        seen = [jobs.retrieve(bid) for bid in state.batches]
        if on_poll:
            on_poll(seen, time.monotonic() - t0)
        ended = [b for b in seen if b.status in TERMINAL]
        if ended:
            return ended
        time.sleep(wait)
        wait = min(wait * 1.5, options.poll_max)


def _collect(
    jobs: BatchJobs, book: CallBook, state: BatchState, tally: Tally, batch: Batch
) -> list[tuple[int, Retry]]:
    outcomes: dict[str, Outcome] = {}
    for file_id in (batch.error_file_id, batch.output_file_id):  # answers win over errors
        if file_id:
            found, _ = read_results(jobs.content(file_id))
            outcomes.update(found)
    tally.batches.append(batch.id)
    retries = []
    for cid in state.batches[batch.id]["calls"]:
        if cid not in state.calls:
            continue
        rnd = int(state.calls[cid].get("round", 1))
        retry = settle(book, state, tally, cid, outcomes.get(cid))
        if retry is not None:
            retries.append((rnd, retry))
    del state.batches[batch.id]
    state.save()  # the answers are in the cache: from here on the batch is never polled again
    return retries


def _retry_live(
    backend: OpenAIBackend, book: CallBook, state: BatchState, tally: Tally, retries: list[Retry]
) -> None:
    """The calls no batch answered, live on the backend's concurrency; each ends answered or
    failed with its one-line reason."""
    if not retries:
        return
    with ThreadPoolExecutor(backend.concurrency, thread_name_prefix="batch-retry") as pool:
        futures = {pool.submit(retry_live, backend, book, r, tally): r for r in retries}
        for fut, retry in futures.items():
            tally.live += 1
            try:
                stats = fut.result()
            except SummarizerError as exc:
                state.failed[retry.cid] = str(exc).removeprefix("openai backend: ")
                continue
            state.answered[retry.cid] = stats_to(stats)
            state.failed.pop(retry.cid, None)
            tally.answered += 1
    state.save()


# --- export and import (vLLM run-batch, or any server without the Files API) ------------------


def export_requests(
    paths: Sequence[Path], settings: Settings, backend: OpenAIBackend, out: Path
) -> tuple[int, int]:
    """Write the request line of every uncached call of `paths` to `out`; the state file
    remembers where each custom_id's call lies. Returns (lines written, calls cached)."""
    _check(settings)
    state = BatchState.load(settings.cache_dir, backend.base_url)
    book = CallBook(backend, settings).plan(paths)
    lines = []
    for cid in book.needed:
        lines.append(request_line(cid, backend.request(book.calls[cid].call)))
        state.exported[cid] = book.calls[cid].where()
    atomic_write_text(out, "".join(lines))
    state.save()
    return len(lines), len(book.calls) - len(book.needed)


@dataclass
class ImportResult:
    cached: int = 0
    invalid: list[str] = field(default_factory=list)  # one line each: custom_id and reason
    unknown: int = 0  # custom_ids no export of this cache wrote
    unreadable: int = 0


def import_results(path: Path, settings: Settings, backend: OpenAIBackend) -> ImportResult:
    """Validate each line of a results file (vLLM run-batch output, a provider's output or
    error file) as a live reply and cache the valid answers. An invalid or failed line stays
    uncached: the next export asks it again."""
    _check(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the results ({exc})") from None
    outcomes, unreadable = read_results(text)
    state = BatchState.load(settings.cache_dir, backend.base_url)
    book = CallBook(backend, settings)
    result = ImportResult(unreadable=unreadable)
    tally = Tally()
    for cid, outcome in outcomes.items():
        where = state.exported.get(cid)
        if where is None or book.find(cid, where) is None:
            result.unknown += 1
            continue
        reasks = settings.max_retries  # re-asks left: an invalid reply is asked again, not salvaged
        state.calls[cid] = {**where, "reasks": reasks, "after": [], "stats": {}, "batch": None}
        before = tally.answered
        retry = settle(book, state, tally, cid, outcome)
        if tally.answered > before:
            result.cached += 1
            state.exported.pop(cid, None)
            state.answered.pop(cid, None)  # no run to account it to
        else:
            reason = retry.reason if retry else state.failed.pop(cid, "failed validation")
            result.invalid.append(f"{cid}: {reason}")
    state.save()
    return result


@contextmanager
def batch_backend(
    paths: Sequence[Path],
    settings: Settings,
    options: BatchOptions | None = None,
    watch: Callable[[], AbstractContextManager[OnPoll]] | None = None,
    on_done: Callable[[Tally], None] | None = None,
) -> Iterator[OpenAIBackend]:
    """An openai backend whose calls for `paths` were answered through the Batch API: it
    serves every report from the cache and makes no live call. Use it as `backend=` of
    `run_batch` or `run_eval` over the same paths; the accounting of the answers is dropped
    from the state once the block completes. `watch()` gives the `on_poll` shown while the
    batches run; `on_done` is told what was done."""
    if settings.backend != "openai":
        raise ConfigError("--batch-api needs --backend openai")
    backend = OpenAIBackend(settings)
    try:
        with watch() if watch else nullcontext(None) as on_poll:
            answers, tally = answer_by_batch(paths, settings, backend, options, on_poll)
        if on_done:
            on_done(tally)
        backend.answers = answers
        yield backend
        forget_answers(settings, backend, answers)
    finally:
        backend.close()
