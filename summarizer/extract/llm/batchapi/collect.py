"""A batch's answers into the cache: each validated as a live reply, the rest sent on.

A valid answer is grounded and cached exactly as a live reply is. An answer that fails
validation gets instructor's re-ask (the reply and the error as the next prompt) while the
call has re-asks left, else its valid items are salvaged, as live. A line in the error file,
a missing line (an expired or failed batch) and a re-ask go to the next round: another batch
(--batch-retries) or the live retry. Nothing is dropped in silence: every call ends answered,
or failed with its reason.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from instructor.core.exceptions import IncompleteOutputException, InstructorError
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from summarizer.errors import ExtractionError, TruncatedOutput
from summarizer.extract.backend import ExtractionStats
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.batchapi.book import CallBook
from summarizer.extract.llm.batchapi.lines import Outcome
from summarizer.extract.llm.batchapi.state import BatchState, stats_from, stats_to
from summarizer.extract.llm.endpoint import Counters
from summarizer.extract.llm.packing import LLMCall
from summarizer.extract.llm.replies import ChunkExtraction

__all__ = ["Retry", "Tally", "retry_live", "settle"]

# What instructor re-asks on: the reply is not the JSON the response model wants.
INVALID = (ValidationError, json.JSONDecodeError, ValueError, TypeError, KeyError, InstructorError)


@dataclass
class Retry:
    """A call to ask again: `after` continues its conversation, with `reasks` re-asks left."""

    cid: str
    after: list[Any]
    reasks: int
    stats: ExtractionStats
    reason: str


@dataclass
class Tally:
    """What a Batch API run did, for the closing lines and the tests."""

    batches: list[str] = field(default_factory=list)
    sent: int = 0  # request lines submitted, every round
    answered: int = 0  # calls whose answer is now cached
    invalid: int = 0  # replies that failed validation
    errors: int = 0  # lines in an error file, or missing from an ended batch
    live: int = 0  # calls retried live
    failed: int = 0  # calls left without an answer
    input_tokens: int = 0  # of every reply, valid or not, batch and live
    output_tokens: int = 0

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, after: ExtractionStats, before: ExtractionStats) -> None:
        with self._lock:  # live retries run on several threads
            self.input_tokens += after.input_tokens - before.input_tokens
            self.output_tokens += after.output_tokens - before.output_tokens


def settle(
    book: CallBook,
    state: BatchState,
    tally: Tally,
    cid: str,
    outcome: Outcome | None,
) -> Retry | None:
    """Act on the result line of pending call `cid` (None: the batch has no line for it)."""
    entry = state.calls.pop(cid)
    backend = book.backend
    stats = stats_from(entry.get("stats"))
    if entry.get("batch"):
        stats.batches.append(entry["batch"])
    after, reasks = list(entry.get("after") or []), int(entry.get("reasks", 0))
    planned = book.find(cid, entry)
    if planned is None:
        state.failed[cid] = "its report is gone or changed since the batch was sent"
        tally.failed += 1
        return None
    if outcome is None or outcome.completion is None:
        # Accounted as the live path accounts a transport fault: the call is asked again (a
        # retry), and a line the server answered with an error was an attempt.
        tally.errors += 1
        stats.retries += 1
        if outcome is not None and outcome.answered:
            stats.llm_calls += 1
        reason = backend.mask(outcome.error) if outcome and outcome.error else "no result line"
        return Retry(cid, after, reasks, stats, reason)
    completion = outcome.completion
    before = dataclasses.replace(stats)
    Counters(stats).on_request()
    Counters(stats).on_response(completion)
    tally.count(stats, before)
    call = planned.call
    body = _conversation(backend, call, after)
    try:
        verdict = _judge(backend, call, body, completion, reasks)
    except IncompleteOutputException:
        tally.invalid += 1
        return Retry(cid, [], backend.settings.max_retries, stats, "stopped at its length limit")
    if isinstance(verdict, list):  # re-ask: the reply and the error become the next prompt
        tally.invalid += 1
        stats.reasks += 1
        return Retry(cid, after + verdict, reasks - 1, stats, "failed validation")
    if verdict is None:
        tally.invalid += 1
        state.failed[cid] = f"{backend.model} gave no parseable JSON"
        return None
    _store(book, state, tally, cid, *verdict, stats)
    return None


def _conversation(backend: OpenAIBackend, call: LLMCall, after: list[Any]) -> dict[str, Any]:
    """The request body of `call`'s conversation so far: the live request, then `after`."""
    body = backend.request(call)
    body["messages"] = [*body["messages"], *after]
    return body


def _judge(
    backend: OpenAIBackend,
    call: LLMCall,
    body: dict[str, Any],
    completion: ChatCompletion,
    reasks: int,
) -> tuple[ChunkExtraction, int] | list[Any] | None:
    """A reply judged as instructor judges a live one: (extraction, items dropped) to keep; the
    re-ask messages while `reasks` are left; else the items that validate, None if no JSON.
    Raises IncompleteOutputException for a reply cut at the length limit."""
    try:
        return backend.parse(call, completion), 0
    except IncompleteOutputException:
        raise
    except INVALID as exc:
        if reasks > 0:
            return backend.reask(body, completion, exc)
    salvaged = backend.salvage(call, completion)
    return None if salvaged is None else (salvaged.extraction, salvaged.dropped)


def _store(
    book: CallBook,
    state: BatchState,
    tally: Tally,
    cid: str,
    extraction: Any,
    dropped: int,
    stats: ExtractionStats,
) -> None:
    book.backend.store(book.calls[cid].call, extraction, dropped, stats)
    state.answered[cid] = stats_to(stats)
    state.failed.pop(cid, None)
    tally.answered += 1


def retry_live(
    backend: OpenAIBackend, book: CallBook, retry: Retry, tally: Tally
) -> ExtractionStats:
    """The live retry of one call (in a worker thread): cached and accounted, or raises. A
    fresh call goes as the live path sends it; a conversation (a batch reply and its re-ask)
    goes on exactly as instructor would have continued it."""
    stats = retry.stats
    before = dataclasses.replace(stats)
    call = book.calls[retry.cid].call
    try:
        if not retry.after:
            backend.extract_call(call, stats)
        else:
            _go_on_live(backend, call, retry, stats)
    finally:
        tally.count(stats, before)  # tokens paid for even when the call failed
    return stats


def _go_on_live(
    backend: OpenAIBackend, call: LLMCall, retry: Retry, stats: ExtractionStats
) -> None:
    body = _conversation(backend, call, retry.after)
    reasks = retry.reasks
    while True:
        completion = backend.send(body, stats)
        try:
            verdict = _judge(backend, call, body, completion, reasks)
        except IncompleteOutputException:
            raise TruncatedOutput(
                f"openai backend: {backend.model} stopped at its length limit on {call.label}; "
                "pass a smaller --chunk-size",
                model=backend.model,
            ) from None
        if isinstance(verdict, list):
            stats.reasks += 1
            reasks -= 1
            body["messages"] = [*body["messages"], *verdict]
            continue
        if verdict is None:
            raise ExtractionError(
                f"openai backend: {backend.model} gave no parseable JSON for {call.label}",
                model=backend.model,
            )
        backend.store(call, *verdict, stats)
        return
