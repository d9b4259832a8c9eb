"""Talking to an OpenAI-compatible endpoint: modes, keys and URLs, transport retries, errors.

What the openai backend needs to know about the server and not about reports. Transport faults
(connection, timeout, 408/409/429/5xx) are retried by tenacity with jittered exponential
backoff, honouring Retry-After, bounded by attempts and total time. The SDK's own retries are
off (max_retries=0) so the two never multiply. 400/401/403/404 fail at once, with a one-line
message saying what to check; the API key is never part of one.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import instructor
import openai
from instructor.core.exceptions import InstructorRetryException
from instructor.core.hooks import Hooks
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError
from summarizer.extract.backend import ExtractionStats
from summarizer.extract.llm.deadline import DeadlineExceeded
from summarizer.extract.llm.redact import redact, secrets_of

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_RETRY_AFTER",
    "MODES",
    "Counters",
    "api_key",
    "backend_error",
    "default_mode",
    "public_url",
    "retry_after",
    "transport_error",
    "with_retries",
]

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

T = TypeVar("T")


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


def public_url(base_url: str | None) -> str:
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


def api_key(settings: Settings) -> str:
    if settings.api_key:
        return settings.api_key
    if settings.base_url and _is_local(settings.base_url):
        return "not-needed"  # local servers accept any key; the SDK insists on one
    where = f" for {public_url(settings.base_url)}" if settings.base_url else ""
    raise ConfigError(f"the openai backend needs an API key{where}: set OPENAI_API_KEY")


# --- transport retries ------------------------------------------------------------------------


def transport_error(exc: BaseException) -> openai.APIError | None:
    """The openai error behind `exc`; instructor wraps it in InstructorRetryException."""
    if isinstance(exc, openai.APIError):
        return exc
    if isinstance(exc, InstructorRetryException) and isinstance(exc.__cause__, openai.APIError):
        return exc.__cause__
    return None


def _is_transient(exc: BaseException) -> bool:
    err = transport_error(exc)
    if isinstance(err, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(err, openai.APIStatusError):
        return err.status_code in (408, 409, 429) or err.status_code >= 500
    return False


# A server asking for more than this is asking for longer than a run should idle on one call;
# the total wait (Settings.max_wait) bounds the retries anyway.
MAX_RETRY_AFTER = 60.0


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), at most
    MAX_RETRY_AFTER; None when it gave none or nonsense (negative, NaN, infinite, a bad date),
    which then gets the ordinary backoff rather than none at all."""
    err = transport_error(exc) if exc else None
    if not isinstance(err, openai.APIStatusError):
        return None
    headers = err.response.headers
    try:
        if "retry-after-ms" in headers:
            seconds = float(headers["retry-after-ms"]) / 1000
        elif (value := headers.get("retry-after")) is None:
            return None
        else:
            try:
                seconds = float(value)
            except ValueError:
                seconds = parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_RETRY_AFTER)


class _Wait:
    """The server's Retry-After, but never less than the jittered exponential backoff."""

    def __init__(self, max_wait: float) -> None:
        self.max_wait = max_wait
        self.backoff = wait_random_exponential(multiplier=0.5, max=30)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        wait = max(retry_after(exc) or 0.0, self.backoff(state))
        return min(wait, self.max_wait)


class Counters:
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


def with_retries(attempt: Callable[[], T], settings: Settings, counters: Counters) -> T:
    """`attempt()`, retried on transport faults only, within the settings' bounds."""
    retrying = Retrying(
        retry=retry_if_exception(_is_transient),
        wait=_Wait(settings.max_wait),
        stop=stop_after_attempt(settings.max_attempts) | stop_before_delay(settings.max_wait),
        before_sleep=counters.on_retry,
        reraise=True,
    )
    return retrying(attempt)


# --- errors -----------------------------------------------------------------------------------


def backend_error(
    err: openai.APIError, stats: ExtractionStats, settings: Settings, *, where: str, mode: str
) -> BackendError:
    """One line for a transport failure that retries did not cure: what failed, what to check."""
    secret = secrets_of(settings.api_key, settings.base_url)
    model = settings.model
    status = getattr(err, "status_code", None)
    tries = f"after {stats.llm_calls} attempts"
    if isinstance(err, openai.APITimeoutError) and isinstance(err.__cause__, DeadlineExceeded):
        text = (
            f"{where} gave no complete answer within the call deadline of "
            f"{settings.deadline:g}s (--deadline), {tries}"
        )
    elif isinstance(err, openai.APITimeoutError):
        text = f"{where} gave no answer within {settings.timeout:g}s, {tries}"
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
            f"{where} rejected the request (HTTP 400: {_detail(err, secret)}); check --model "
            f"and --mode (now {mode})"
        )
    elif status == 429:
        text = f"{where} still rate-limits us (HTTP 429) {tries}; lower --concurrency"
    else:
        text = f"{where} failed (HTTP {status}: {_detail(err, secret)}), {tries}"
    return BackendError(f"openai backend: {redact(text, secret)}", model=model, status=status)


_DETAIL_CHARS = 120


def _detail(err: openai.APIError, secrets: tuple[str, ...]) -> str:
    """The server's own message, redacted before it is cut: a cut key is still a secret."""
    body = err.body if isinstance(err.body, dict) else {}
    inner = body.get("error", body)
    message = inner.get("message") if isinstance(inner, dict) else None
    text = redact(" ".join(str(message or err.message or "").split()), secrets)
    return text[:_DETAIL_CHARS] or "no detail"
