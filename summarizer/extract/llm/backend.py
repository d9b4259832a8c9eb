"""The LLM backend: any OpenAI-compatible chat endpoint through openai + instructor.

With endpoint.py (modes, keys, transport retries and errors), the only module
importing openai, instructor and tenacity. Chunks are packed into calls (summarizer.extract.llm.packing:
consecutive chunks up to twice --chunk-size; boilerplate never sent). Per call:

    cache lookup → instructor call (validation re-asks) inside tenacity (transport retries)
    → salvage valid items when re-asks run out → cache store → ground quotes to offsets
    → each item to the chunk that holds its quote's start

A transport fault in the middle of a re-ask conversation restarts that call's conversation.

Calls run on a bounded thread pool owned by the backend; results come back in document order,
one ChunkResult per chunk.

The Batch API path (summarizer.extract.llm.batchapi) sends the same calls another way: it
plans with `plan_report`, builds each body with `request`, checks each answer with `parse`
(instructor's parser), caches it with `store`, goes live with `extract_call` or `send`, then sets
`answers` so that the reports are assembled from the cache with no live call.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.processing.response import (
    handle_reask_kwargs,
    handle_response_model,
    process_response,
)
from openai.types.chat import ChatCompletion

from summarizer.config import Settings, check_base_url
from summarizer.errors import ConfigError, ExtractionError, TruncatedOutput
from summarizer.extract.backend import ChunkResult, ExtractionStats, OnChunkDone
from summarizer.extract.llm.cache import LLMCache, make_key
from summarizer.extract.llm.deadline import deadline_client
from summarizer.extract.llm.endpoint import (
    DEFAULT_BASE_URL,
    MODES,
    Counters,
    api_key,
    backend_error,
    default_mode,
    public_url,
    transport_error,
    with_retries,
)
from summarizer.extract.llm.packing import LLMCall, plan_calls
from summarizer.extract.llm.prompts import load_prompts, prompt_version
from summarizer.extract.llm.redact import redact, secrets_of
from summarizer.extract.llm.replies import (
    ChunkExtraction,
    Located,
    Salvaged,
    checked_against,
    entry_items,
    items_from_entry,
    locate,
    output_item,
    reply_payload,
    salvage,
)
from summarizer.read.chunking import Chunk
from summarizer.read.structure import Structure

if TYPE_CHECKING:
    from summarizer.extract.llm.batchapi.answers import BatchAnswers

__all__ = ["CALL_CHUNKS", "OpenAIBackend"]

# The shape of the items a cache entry holds: what the model answered, checked. Output schema
# version 2's figure fields are derived from the quote after the cache, so old entries still serve.
CACHED_ITEMS_VERSION = "1"

# A call carries up to this many times --chunk-size characters. So the fixed system prompt and
# schema are paid once per call rather than per chunk, and "pass a smaller --chunk-size" still
# shrinks the calls when a model runs out of output tokens.
CALL_CHUNKS = 2
_CallResult = tuple[list[ChunkResult], ExtractionStats]  # one result per chunk of the call


@dataclass
class _Schedule:
    """One report's extraction under way: chunks served from the cache, and calls sent."""

    cached: dict[int, ChunkResult] = field(default_factory=dict)  # by chunk index
    futures: dict[Future[_CallResult], LLMCall] = field(default_factory=dict)
    stats: ExtractionStats = field(default_factory=ExtractionStats)  # of the cached part


def _ident(chunks: Sequence[Chunk]) -> tuple[Any, ...]:
    return tuple((c.index, c.start, c.text, c.section_path, c.role) for c in chunks)


def _joined(chunks: Sequence[Chunk]) -> str:
    """The report text, which the chunks cover end to end from offset 0 (chunking's law)."""
    text = "".join(chunk.text for chunk in chunks)
    if chunks and (chunks[0].start != 0 or chunks[-1].end != len(text)):
        raise ValueError("chunks do not cover the report from its start")
    return text


def _shares(call: LLMCall, stats: ExtractionStats) -> list[dict[str, int]]:
    """What each chunk's cache entry records of the call: token usage split by text length,
    and the items dropped (on the first chunk)."""
    shares = []
    for i, chunk in enumerate(call.chunks):
        part = len(chunk.text) / max(1, len(call.text))
        shares.append(
            {
                "input_tokens": round(stats.input_tokens * part),
                "output_tokens": round(stats.output_tokens * part),
                "dropped": stats.items_dropped if i == 0 else 0,
            }
        )
    return shares


class OpenAIBackend:
    name = "openai"

    def __init__(self, settings: Settings) -> None:
        if not settings.model:
            raise ConfigError(
                "the openai backend needs a model: pass --model or set SUMMARIZER_MODEL"
            )
        if settings.base_url is not None:  # Settings made in Python skip load_settings' checks
            check_base_url(settings.base_url, settings.api_key)
        self.settings = settings
        self.model: str | None = settings.model
        self.concurrency = settings.concurrency
        self.mode: str | None = settings.mode or default_mode(settings.base_url)
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")
        self._secret = api_key(settings)
        self._secrets = secrets_of(settings.api_key, settings.base_url)  # masked in replies
        self.base_url = public_url(settings.base_url)
        self.prompts = load_prompts()
        self.prompt_version = prompt_version(self.prompts, ChunkExtraction, self.mode)
        self._cache = LLMCache(settings.cache_dir) if settings.use_cache else None
        self._pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="llm")
        self.call_chars = settings.chunk_size * CALL_CHUNKS
        self._scheduled: dict[tuple[Any, ...], _Schedule] = {}  # prefetched, by chunks
        self._planned = 0  # calls planned in this run (the tail of a batch rounds it up)
        self._unfinished = 0  # calls submitted and not finished
        # Set by the Batch API path: calls answered by batches, served from the cache with
        # their own accounting; a call with no answer then fails instead of going live.
        self.answers: BatchAnswers | None = None
        self._lock = threading.Lock()
        self._raw = raw = openai.OpenAI(
            base_url=settings.base_url or DEFAULT_BASE_URL,
            api_key=self._secret,
            timeout=settings.timeout,
            max_retries=0,  # tenacity retries; the SDK's would multiply them
            http_client=deadline_client(settings.deadline),
        )
        self._raw = raw  # for conversations sent as they are (batch re-asks continued live)
        self._client: Any = instructor.from_openai(raw, mode=MODES[self.mode])
        # Wrapped once: instructor would otherwise build a new model class (and recompute its
        # JSON schema) on every call, which costs ~20 ms of CPU per call.
        self._response_model: Any = instructor.openai_schema(ChunkExtraction)
        # One-time work the first call would otherwise do while the other calls wait on the
        # GIL: the tool schema, which instructor then caches (~35 ms).
        _ = self._response_model.openai_schema

    # --- public ---------------------------------------------------------------------------

    def plan(self, chunks: Sequence[Chunk], extra: int = 0) -> list[LLMCall]:
        """The calls that extract `chunks`: consecutive chunks packed, boilerplate left out;
        `extra` asks for up to that many more, smaller calls (never under half a chunk)."""
        return plan_calls(chunks, self.call_chars, extra, least=self.call_chars // 4)

    def plan_report(self, chunks: Sequence[Chunk], last: bool, planned: int) -> list[LLMCall]:
        """The calls of one report of a run, `planned` calls into it: `plan(chunks)`, and for
        the run's last report as many more as round the run's count up to a multiple of
        --concurrency (see `prefetch`). The Batch API path plans with this too, so its calls
        are the live path's calls."""
        calls = self.plan(chunks)
        if last:
            extra = -(planned + len(calls)) % self.settings.concurrency
            if extra:
                calls = self.plan(chunks, extra)
        return calls

    def call_id(self, call: LLMCall) -> str:
        """The call's cache key (over its chunks' keys) without the `c1:` prefix: the
        `custom_id` of its Batch API line, 64 characters (some providers allow no more)."""
        keys = [self._chunk_key(self.prompts.block(chunk)) for chunk in call.chunks]
        return make_key({"call": keys}).removeprefix("c1:")

    def is_cached(self, call: LLMCall, text: str) -> bool:
        """Whether every chunk of `call` is served by the cache (`text`: the report)."""
        return all(self._from_cache(chunk, text) is not None for chunk in call.chunks)

    def request(self, call: LLMCall) -> dict[str, Any]:
        """The body of the chat-completion request for `call`, as the live path sends it:
        instructor prepares it from the same messages, response model and mode."""
        messages = self.prompts.chat([self.prompts.block(chunk) for chunk in call.chunks])
        _, body = handle_response_model(
            self._response_model,
            MODES[self.mode or "tools"],
            messages=messages,
            model=self.model,
            temperature=self.settings.temperature,
        )
        return dict(body)

    def parse(self, call: LLMCall, completion: ChatCompletion) -> ChunkExtraction:
        """`completion` validated as a live reply is: instructor's parser for the mode, the
        quotes checked against the call text. Raises what instructor would re-ask on (a
        ValidationError, JSON error) or IncompleteOutputException."""
        with checked_against(call.text, self._secrets):
            extraction: ChunkExtraction = process_response(
                completion,
                response_model=self._response_model,
                stream=False,
                strict=False,
                mode=MODES[self.mode or "tools"],
            )
        return extraction

    def mask(self, text: str) -> str:
        """`text` from the server with the key (and its prefixes) masked, cut to one line."""
        return " ".join(redact(text, self._secrets).split())[:200]

    def salvage(self, call: LLMCall, completion: ChatCompletion) -> Salvaged | None:
        """The items of `completion` that validate (key masked), None if it has no JSON."""
        return salvage(reply_payload(completion), call.text, self._secrets)

    def reask(
        self, body: dict[str, Any], completion: ChatCompletion, error: Exception
    ) -> list[Any]:
        """The messages instructor appends to `body`'s after `completion` failed with `error`:
        the reply and the validation error as the next prompt."""
        before = len(body["messages"])
        kwargs = handle_reask_kwargs(
            copy.deepcopy(body), MODES[self.mode or "tools"], completion, error
        )
        return list(kwargs["messages"][before:])

    def send(self, body: dict[str, Any], stats: ExtractionStats) -> ChatCompletion:
        """`body` sent as it is (a conversation `request` and `reask` built), with the live
        path's transport retries and errors; `stats` counts it as a live call."""
        counters = Counters(stats)

        def attempt() -> ChatCompletion:
            counters.on_request()
            completion: ChatCompletion = self._raw.chat.completions.create(**body)
            counters.on_response(completion)
            return completion

        try:
            return with_retries(attempt, self.settings, counters)
        except openai.APIError as exc:
            where, mode = self.base_url, self.mode or ""
            raise backend_error(exc, stats, self.settings, where=where, mode=mode) from None

    def store(
        self, call: LLMCall, extraction: ChunkExtraction, dropped: int, stats: ExtractionStats
    ) -> list[ChunkResult]:
        """Ground the reply's items, give each to its chunk and cache the call's chunks
        together; `stats` gets the items dropped."""
        blocks = [self.prompts.block(chunk) for chunk in call.chunks]
        located, unground = locate(extraction, call.text)
        stats.items_dropped = dropped + unground
        # Each item belongs to the chunk holding its quote's first character.
        owned: list[list[Located]] = [[] for _ in call.chunks]
        for found in located:
            owned[call.owner(call.start + found.pos)].append(found)
        results, entries = [], {}
        shares = _shares(call, stats)
        for chunk, block, mine, share in zip(call.chunks, blocks, owned, shares, strict=True):
            result = ChunkResult(chunk.index)
            for found in mine:
                item = output_item(found.kind, found.item, call.start + found.pos)
                getattr(result, found.kind).append(item)
            results.append(result)
            if self._cache is not None:
                items = entry_items(mine, chunk.start - call.start)
                entries[self._chunk_key(block)] = {"items": items, **share}
        if self._cache is not None:
            self._cache.set_many(entries)  # a call's chunks are cached together or not at all
        return results

    def extract_call(self, call: LLMCall, stats: ExtractionStats) -> list[ChunkResult]:
        """`call` sent live as the live path sends it (re-asks, transport retries), cached."""
        messages = self.prompts.chat([self.prompts.block(chunk) for chunk in call.chunks])
        extraction, dropped = self._call(messages, call, stats)
        return self.store(call, extraction, dropped, stats)

    def prefetch(self, chunks: Sequence[Chunk], last: bool = False) -> None:
        """Start extracting `chunks` now (e.g. the next report's) so the pool never idles.

        `last`: no report follows in this run, so these calls are split finer, until the
        run's call count is a multiple of --concurrency: the pool's last round is then full
        of smaller calls instead of a few large ones, and the run ends sooner."""
        ident = _ident(chunks)
        with self._lock:
            if ident in self._scheduled:
                return
        schedule = self._schedule(chunks, last)
        with self._lock:
            self._scheduled.setdefault(ident, schedule)

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        with self._lock:
            schedule = self._scheduled.pop(_ident(chunks), None)
        if schedule is None:
            schedule = self._schedule(chunks, last=False)
        futures = schedule.futures
        stats = schedule.stats
        if on_chunk_done:
            unsent = len(chunks) - sum(len(call.chunks) for call in futures.values())
            if unsent:
                on_chunk_done(unsent)  # cached or boilerplate: nothing to ask, done at once
        try:
            for done in as_completed(futures):
                done.result()  # the first failure stops the report at once
                if on_chunk_done:
                    on_chunk_done(len(futures[done].chunks))
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        # One result per chunk, in document order; chunks no call carried stay empty.
        results = {chunk.index: ChunkResult(chunk.index) for chunk in chunks}
        results.update(schedule.cached)
        for fut in futures:
            call_results, call_stats = fut.result()
            results.update((result.chunk_index, result) for result in call_results)
            stats.add(call_stats)
        return [results[chunk.index] for chunk in chunks], stats

    def waiting(self) -> int:
        """Calls submitted and not finished: how much work the pool still has queued."""
        with self._lock:
            return self._unfinished

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._raw.close()
        if self._cache is not None:
            self._cache.close()

    # --- per report -------------------------------------------------------------------------

    def _schedule(self, chunks: Sequence[Chunk], last: bool) -> _Schedule:
        """Plan the report's calls; serve each call whose chunks are all cached, send the rest.

        The plan never depends on what is cached, so a rerun after a crash sends exactly the
        calls that had not come back, and gets what an uninterrupted run would have got. The
        cache holds chunks, not calls: a chunk is served whichever call once carried it, so a
        report packed differently (alone rather than last in a batch, another --concurrency)
        costs no calls."""
        with self._lock:
            calls = self.plan_report(chunks, last, self._planned)
        schedule = _Schedule()
        text = _joined(chunks)
        for call in calls:
            hits = []
            for chunk in call.chunks:
                hit = self._from_cache(chunk, text)
                if hit is None:
                    break
                hits.append(hit)
            else:
                for result, dropped in hits:
                    schedule.cached[result.chunk_index] = result
                    schedule.stats.items_dropped += dropped
                answered = self.answers.answered.get(self.call_id(call)) if self.answers else None
                if answered is not None:  # answered through the Batch API in this run
                    schedule.stats.add(answered)
                else:
                    schedule.stats.cache_hits += len(hits)
                continue
            if self.answers is not None:  # assembling from batch answers: never call live
                fut = self._pool.submit(self.answers.missing, call, self.call_id(call))
            else:
                fut = self._pool.submit(self._extract_call, call)
            with self._lock:
                self._unfinished += 1
            fut.add_done_callback(self._finished)
            schedule.futures[fut] = call
        with self._lock:
            self._planned += len(calls)
        return schedule

    def _finished(self, _: Future[_CallResult]) -> None:
        with self._lock:
            self._unfinished -= 1

    def _chunk_key(self, block: str) -> str:
        """The cache key of a chunk, given as the model is shown it (`prompts.block`)."""
        return make_key(
            {
                "backend": self.name,
                "base_url": self.base_url,
                "model": self.model,
                "mode": self.mode,
                "temperature": self.settings.temperature,
                "reasks": self.settings.max_retries,
                "prompt_version": self.prompt_version,
                "schema_version": CACHED_ITEMS_VERSION,
                "block": block,
            }
        )

    def _from_cache(self, chunk: Chunk, text: str) -> tuple[ChunkResult, int] | None:
        """A chunk's cached items, re-validated against the report; anything odd is a miss."""
        if self._cache is None:
            return None
        value = self._cache.get(self._chunk_key(self.prompts.block(chunk)))
        if value is None:
            return None
        items = items_from_entry(value.get("items"), text, chunk.start, self._secrets)
        if items is None:
            return None
        try:
            dropped = int(value.get("dropped", 0))
        except (TypeError, ValueError):
            return None
        return ChunkResult(chunk.index, **items), dropped

    # --- per call ---------------------------------------------------------------------------

    def _extract_call(self, call: LLMCall) -> _CallResult:
        stats = ExtractionStats()
        return self.extract_call(call, stats), stats

    def _call(
        self, messages: list[dict[str, str]], call: LLMCall, stats: ExtractionStats
    ) -> tuple[ChunkExtraction, int]:
        """One call through instructor and tenacity; returns (extraction, items dropped)."""
        client = self._client
        counters = Counters(stats)
        hooks = counters.hooks()

        def create() -> ChunkExtraction:
            # No `context=`: instructor would render the report text as a Jinja template.
            # instructor builds the response model at run time: its result is typed here
            extraction: ChunkExtraction
            with checked_against(call.text, self._secrets):
                extraction, _ = client.create_with_completion(
                    messages=[dict(m) for m in messages],  # re-asks append to this list
                    response_model=self._response_model,
                    max_retries=self.settings.max_retries,
                    strict=False,
                    hooks=hooks,
                    model=self.model,
                    temperature=self.settings.temperature,
                )
            return extraction

        try:
            return with_retries(create, self.settings, counters), 0
        except IncompleteOutputException:
            raise TruncatedOutput(
                f"openai backend: {self.model} stopped at its length limit on {call.label}; "
                "pass a smaller --chunk-size",
                model=self.model,
            ) from None
        except (InstructorRetryException, openai.APIError) as exc:
            err = transport_error(exc)
            if err is not None:
                where, mode = self.base_url, self.mode or ""
                raise backend_error(err, stats, self.settings, where=where, mode=mode) from None
            assert isinstance(exc, InstructorRetryException)
            salvaged = salvage(reply_payload(exc.last_completion), call.text, self._secrets)
            if salvaged is None:
                raise ExtractionError(
                    f"openai backend: {self.model} gave no parseable JSON for {call.label} "
                    f"in {exc.n_attempts} attempts; try another --mode",
                    model=self.model,
                ) from None
            return salvaged.extraction, salvaged.dropped
