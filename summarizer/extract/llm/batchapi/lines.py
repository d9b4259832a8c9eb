"""The Batch API's JSONL formats: request lines out, result lines in.

A request line is `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`.
A result line (OpenAI's output and error files, vLLM `run-batch` output) is
`{"custom_id", "response": {"status_code", "body"} | null, "error": {"code", "message"} | null}`.
Llama Stack's reference Batches provider writes the body as JSON text, and a line its model
answered with an error as `{"error": {"type": "request_failed", "message"}}` with no response.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

__all__ = ["ENDPOINT", "Limits", "Outcome", "read_results", "request_line", "split_lines"]

ENDPOINT: Final = "/v1/chat/completions"
# Llama Stack's error for a line its model answered with an error (no response is kept)
REQUEST_FAILED: Final = "request_failed"


@dataclass(frozen=True)
class Limits:
    """A batch input file's limits (OpenAI's: 50,000 lines, 200 MB)."""

    lines: int = 50_000
    bytes: int = 200 * 1000 * 1000


def request_line(custom_id: str, body: dict[str, Any]) -> str:
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def split_lines(lines: Iterable[str], limits: Limits) -> list[list[str]]:
    """`lines` cut into files of at most `limits.lines` lines and `limits.bytes` bytes."""
    files: list[list[str]] = []
    size = 0
    for line in lines:
        n = len(line.encode("utf-8"))
        if n > limits.bytes:
            raise ValueError(f"one request is {n} bytes, over the file limit of {limits.bytes}")
        if not files or len(files[-1]) >= limits.lines or size + n > limits.bytes:
            files.append([])
            size = 0
        files[-1].append(line)
        size += n
    return files


@dataclass
class Outcome:
    """One result line: a completion, or why there is none."""

    custom_id: str
    completion: ChatCompletion | None = None
    error: str | None = None
    answered: bool = False  # the server ran the request (an HTTP status), even if it failed


def _error_text(error: Any, response: Any) -> str:
    if isinstance(error, dict):
        code = error.get("code") or error.get("type") or "error"
        return f"{code}: {error.get('message') or ''}".strip()
    if isinstance(response, dict):
        body = response.get("body")
        inner = body.get("error", body) if isinstance(body, dict) else body
        message = inner.get("message") if isinstance(inner, dict) else inner
        return f"HTTP {response.get('status_code')}: {message or 'no detail'}"
    return "no response"


def _outcome(raw: dict[str, Any]) -> Outcome:
    custom_id = str(raw.get("custom_id"))
    response = raw.get("response")
    error = raw.get("error")
    if isinstance(response, dict) and response.get("status_code") == 200 and not error:
        body = response.get("body")
        try:
            if isinstance(body, str):
                return Outcome(custom_id, ChatCompletion.model_validate_json(body))
            return Outcome(custom_id, ChatCompletion.model_validate(body))
        except ValidationError:
            return Outcome(custom_id, error="the response is not a chat completion", answered=True)
    text = " ".join(_error_text(error, response).split())[:200]
    ran = isinstance(error, dict) and error.get("type") == REQUEST_FAILED
    return Outcome(custom_id, error=text, answered=isinstance(response, dict) or ran)


def read_results(text: str) -> tuple[dict[str, Outcome], int]:
    """The outcomes of a result file by custom_id, and the count of unreadable lines."""
    outcomes: dict[str, Outcome] = {}
    unreadable = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            unreadable += 1
            continue
        if not isinstance(raw, dict) or not raw.get("custom_id"):
            unreadable += 1
            continue
        outcome = _outcome(raw)
        # A line may be answered once in the output file and listed again in the error file
        # only when the provider retried it; the answer wins.
        if outcome.custom_id not in outcomes or outcome.completion is not None:
            outcomes[outcome.custom_id] = outcome
    return outcomes, unreadable
