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
from ..llm_models import ChunkExtraction, checked_against, ground, reply_payload, salvage
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
        self._prefetched: dict[tuple[Any, ...], Future[_CallResult]] = {}
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
        self._response_model = instructor.openai_schema(ChunkExtraction)

    # --- public ---------------------------------------------------------------------------

    def plan(self, chunks: Sequence[Chunk]) -> list[LLMCall]:
        """The calls that extract `chunks`: consecutive chunks packed, boilerplate left out."""
        return plan_calls(chunks, self.call_chars)

    def prefetch(self, chunks: Sequence[Chunk]) -> None:
        """Start extracting `chunks` now (e.g. the next report's) so the pool never idles."""
        for call in self.plan(chunks):
            self._submit(call, keep=True)

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        calls = self.plan(chunks)
        futures = {self._submit(call): call for call in calls}
        unsent = len(chunks) - sum(len(call.chunks) for call in calls)
        if on_chunk_done and unsent:
            on_chunk_done(unsent)  # boilerplate: nothing to ask, done at once
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
        results = {id(chunk): ChunkResult(chunk.index) for chunk in chunks}
        stats = ExtractionStats()
        for fut, call in futures.items():
            call_results, call_stats = fut.result()
            for chunk, result in zip(call.chunks, call_results, strict=True):
                results[id(chunk)] = result
            stats.add(call_stats)
        return [results[id(chunk)] for chunk in chunks], stats

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._cache is not None:
            self._cache.close()

    # --- per call ---------------------------------------------------------------------------

    def _submit(self, call: LLMCall, keep: bool = False) -> Future[_CallResult]:
        ident = tuple(
            (chunk.index, chunk.start, chunk.text, chunk.section_path, chunk.role)
            for chunk in call.chunks
        )
        with self._lock:
            fut = self._prefetched.get(ident) if keep else self._prefetched.pop(ident, None)
            if fut is None:
                fut = self._pool.submit(self._extract_call, call)
                if keep:
                    self._prefetched[ident] = fut
        return fut

    def _cache_key(self, messages: list[dict[str, str]]) -> str:
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
                "messages": messages,
            }
        )

    def _extract_call(self, call: LLMCall) -> _CallResult:
        stats = ExtractionStats()
        messages = self.prompts.messages(call)
        key = self._cache_key(messages)
        extraction = self._from_cache(key, call)
        if extraction is not None:
            stats.cache_hits = 1
            stats.items_dropped = extraction[1]
        else:
            extraction = self._call(messages, call, stats)
            if self._cache is not None:
                self._cache.set(
                    key,
                    {
                        "extraction": extraction[0].model_dump(mode="json"),
                        "dropped": extraction[1],
                        "input_tokens": stats.input_tokens,
                        "output_tokens": stats.output_tokens,
                    },
                )
            stats.items_dropped = extraction[1]
        items, unground = ground(extraction[0], call.start, call.text)
        stats.items_dropped += unground
        # Each item belongs to the chunk holding its quote's first character.
        results = [ChunkResult(chunk.index) for chunk in call.chunks]
        for kind, found in items.items():
            for item in found:
                getattr(results[call.owner(item.evidence.start)], kind).append(item)
        return results, stats

    def _from_cache(self, key: str, call: LLMCall) -> tuple[ChunkExtraction, int] | None:
        """A cached reply, re-validated against the call text; anything odd counts as a miss."""
        if self._cache is None:
            return None
        value = self._cache.get(key)
        if value is None:
            return None
        try:
            extraction = ChunkExtraction.model_validate(
                value["extraction"], context={"chunk_text": call.text}
            )
            return extraction, int(value.get("dropped", 0))
        except (KeyError, TypeError, ValueError):
            return None

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
