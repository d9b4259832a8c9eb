"""The LLM backend: any OpenAI-compatible chat endpoint through openai + instructor.

The only module importing openai, instructor and tenacity. Chunks are packed into calls
(summarizer.packing: consecutive chunks up to twice --chunk-size; boilerplate never sent). Per
call:

    cache lookup → instructor call (validation re-asks) inside tenacity (transport retries)
    → salvage valid items when re-asks run out → cache store → ground quotes to offsets
    → each item to the chunk that holds its quote's start

Transport faults (connection, timeout, 408/409/429/5xx) are retried by tenacity with jittered
exponential backoff, honouring Retry-After, bounded by attempts and total time. The SDK's own
retries are off (max_retries=0) so the two never multiply. A transport fault in the middle of a
re-ask conversation restarts that call's conversation. 400/401/403/404 fail at once.

Calls run on a bounded thread pool owned by the backend; results come back in document order,
one ChunkResult per chunk.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from ..cache import LLMCache, make_key
from ..chunking import Chunk
from ..config import Settings
from ..errors import BackendError, ConfigError, ExtractionError, TruncatedOutput
from ..llm_models import (
    ChunkExtraction,
    Located,
    checked_against,
    entry_items,
    items_from_entry,
    locate,
    output_item,
    reply_payload,
    salvage,
)
from ..models import SCHEMA_VERSION
from ..packing import LLMCall, plan_calls
from ..prompts import load_prompts, prompt_version
from ..structure import Structure
from . import ChunkResult, ExtractionStats, OnChunkDone

__all__ = ["CALL_CHUNKS", "OpenAIBackend", "default_mode"]

# A call carries up to this many times --chunk-size characters. So the fixed system prompt and
# schema are paid once per call rather than per chunk, and "pass a smaller --chunk-size" still
# shrinks the calls when a model runs out of output tokens.
CALL_CHUNKS = 2
DEFAULT_BASE_URL = "https://api.openai.com/v1"
MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
# instructor logs every failed attempt at ERROR; with no handler configured Python would print
# them to stderr. Our own errors already say what happened, once.
logging.getLogger("instructor").addHandler(logging.NullHandler())


def default_mode(base_url: str | None) -> str:
    """json for Ollama, json_schema for llama.cpp server, tools for the rest."""
    if not base_url:
        return "tools"
    parts = urlsplit(base_url)
    where = f"{parts.hostname or ''}{parts.path}".lower()
    if parts.port == 11434 or "ollama" in where:
        return "json"
    if parts.port == 8080 or "llama" in where:
        return "json_schema"
    return "tools"


def _public_url(base_url: str | None) -> str:
    """The base URL without any user:password part, for messages and cache keys."""
    parts = urlsplit(base_url or DEFAULT_BASE_URL)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def _is_local(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost" or host.endswith(".local") or ("." not in host and ":" not in host):
        return True  # localhost, mDNS names, docker-compose service names ("ollama")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_unspecified


def _api_key(settings: Settings) -> str:
    if settings.api_key:
        return settings.api_key
    if settings.base_url and _is_local(settings.base_url):
        return "not-needed"  # local servers accept any key; the SDK insists on one
    where = f" for {_public_url(settings.base_url)}" if settings.base_url else ""
    raise ConfigError(f"the openai backend needs an API key{where}: set OPENAI_API_KEY")


def _transport_error(exc: BaseException) -> openai.APIError | None:
    """The openai error behind `exc`; instructor wraps it in InstructorRetryException."""
    if isinstance(exc, openai.APIError):
        return exc
    if isinstance(exc, InstructorRetryException) and isinstance(exc.__cause__, openai.APIError):
        return exc.__cause__
    return None


def _is_transient(exc: BaseException) -> bool:
    err = _transport_error(exc)
    if isinstance(err, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(err, openai.APIStatusError):
        return err.status_code in (408, 409, 429) or err.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if any."""
    err = _transport_error(exc) if exc else None
    if not isinstance(err, openai.APIStatusError):
        return None
    headers = err.response.headers
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class _Wait:
    """Retry-After when the server gives one, else jittered exponential backoff."""

    def __init__(self, max_wait: float) -> None:
        self.max_wait = max_wait
        self.backoff = wait_random_exponential(multiplier=0.5, max=30)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        wait = after if after is not None else self.backoff(state)
        return min(wait, self.max_wait)


class _Counters:
    """Per-call tallies fed by instructor hooks and tenacity callbacks (one thread each)."""

    def __init__(self, stats: ExtractionStats) -> None:
        self.stats = stats

    def on_request(self, *args: Any, **kwargs: Any) -> None:
        self.stats.llm_calls += 1

    def on_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.stats.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.stats.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)

    def on_parse_error(self, error: Exception, *, is_last_attempt: bool = False, **_: Any) -> None:
        if not is_last_attempt:
            self.stats.reasks += 1

    def on_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:kwargs", self.on_request)
        hooks.on("completion:response", self.on_response)
        hooks.on("parse:error", self.on_parse_error)
        return hooks


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
        self.settings = settings
        self.model: str | None = settings.model
        self.mode: str | None = settings.mode or default_mode(settings.base_url)
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")
        self._secret = _api_key(settings)
        self.base_url = _public_url(settings.base_url)
        self.prompts = load_prompts()
        self.prompt_version = prompt_version(self.prompts, ChunkExtraction, self.mode)
        self._cache = LLMCache(settings.cache_dir) if settings.use_cache else None
        self._pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="llm")
        self.call_chars = settings.chunk_size * CALL_CHUNKS
        self._scheduled: dict[tuple[Any, ...], _Schedule] = {}  # prefetched, by chunks
        self._planned = 0  # calls planned in this run (the tail of a batch rounds it up)
        self._unfinished = 0  # calls submitted and not finished
        self._lock = threading.Lock()
        raw = openai.OpenAI(
            base_url=settings.base_url or DEFAULT_BASE_URL,
            api_key=self._secret,
            timeout=settings.timeout,
            max_retries=0,  # tenacity retries; the SDK's would multiply them
        )
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
        calls = self.plan(chunks)
        if last:
            with self._lock:
                extra = -(self._planned + len(calls)) % self.settings.concurrency
            if extra:
                calls = self.plan(chunks, extra)
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
                schedule.stats.cache_hits += len(hits)
                continue
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
                "schema_version": SCHEMA_VERSION,
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
        items = items_from_entry(value.get("items"), text, chunk.start)
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
        blocks = [self.prompts.block(chunk) for chunk in call.chunks]
        extraction, dropped = self._call(self.prompts.chat(blocks), call, stats)
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
        return results, stats

    def _call(
        self, messages: list[dict[str, str]], call: LLMCall, stats: ExtractionStats
    ) -> tuple[ChunkExtraction, int]:
        """One call through instructor and tenacity; returns (extraction, items dropped)."""
        client = self._client
        counters = _Counters(stats)
        hooks = counters.hooks()

        def create() -> ChunkExtraction:
            # No `context=`: instructor would render the report text as a Jinja template.
            with checked_against(call.text):
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

        retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            wait=_Wait(self.settings.max_wait),
            stop=stop_after_attempt(self.settings.max_attempts)
            | stop_before_delay(self.settings.max_wait),
            before_sleep=counters.on_retry,
            reraise=True,
        )
        try:
            return retrying(create), 0
        except IncompleteOutputException:
            raise TruncatedOutput(
                f"openai backend: {self.model} stopped at its length limit on {call.label}; "
                "pass a smaller --chunk-size",
                model=self.model,
            ) from None
        except (InstructorRetryException, openai.APIError) as exc:
            err = _transport_error(exc)
            if err is not None:
                raise self._backend_error(err, stats) from None
            assert isinstance(exc, InstructorRetryException)
            salvaged = salvage(reply_payload(exc.last_completion), call.text)
            if salvaged is None:
                raise ExtractionError(
                    f"openai backend: {self.model} gave no parseable JSON for {call.label} "
                    f"in {exc.n_attempts} attempts; try another --mode",
                    model=self.model,
                ) from None
            return salvaged.extraction, salvaged.dropped

    def _backend_error(self, err: openai.APIError, stats: ExtractionStats) -> BackendError:
        where, model = self.base_url, self.model
        status = getattr(err, "status_code", None)
        tries = f"after {stats.llm_calls} attempts"
        if isinstance(err, openai.APITimeoutError):
            text = f"{where} gave no answer within {self.settings.timeout:g}s, {tries}"
        elif isinstance(err, openai.APIConnectionError):
            text = f"cannot connect to {where} ({tries}); check --base-url and that it is running"
        elif status == 401:
            text = f"{where} rejected the API key (HTTP 401); check OPENAI_API_KEY"
        elif status == 403:
            text = f"{where} refused access to model {model!r} (HTTP 403); check the key's rights"
        elif status == 404:
            text = (
                f"{where}: model {model!r} or the endpoint was not found (HTTP 404); check "
                "--model and --base-url (it usually ends in /v1)"
            )
        elif status == 400:
            text = (
                f"{where} rejected the request (HTTP 400: {self._detail(err)}); check --model "
                f"and --mode (now {self.mode})"
            )
        elif status == 429:
            text = f"{where} still rate-limits us (HTTP 429) {tries}; lower --concurrency"
        else:
            text = f"{where} failed (HTTP {status}: {self._detail(err)}), {tries}"
        return BackendError(f"openai backend: {self._redact(text)}", model=model, status=status)

    def _detail(self, err: openai.APIError) -> str:
        body = err.body if isinstance(err.body, dict) else {}
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
        text = " ".join(str(message or err.message or "").split())
        return self._redact(text[:120]) or "no detail"

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text
