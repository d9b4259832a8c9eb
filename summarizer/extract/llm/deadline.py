"""A total deadline for each HTTP call: connect, headers and the whole body.

The client's own timeout counts between reads, so a server that sends its headers and then one
byte every few seconds holds a call for ever. Here every request gets a deadline when it
leaves; no single wait (connect, write, a read) may be longer than the whole deadline, and the
body is checked as it arrives: past the deadline the call fails with a timeout, which the
transport retries treat like any other. A read under way when the deadline passes is let
finish (it waits at most the read timeout), then the call ends.

It works through the HTTP client's public event hooks, so proxies from the environment and
the SDK's defaults stay as they are.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from typing import Any

import openai

__all__ = ["DeadlineExceeded", "deadline_client"]

# The HTTP library the installed openai SDK is built on (httpx, or its fork httpx2): its
# timeout exceptions are the ones the SDK turns into APITimeoutError.
_http: Any = importlib.import_module(openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0])
_DEADLINE = "summarizer.deadline"  # the request extension holding the call's monotonic deadline


class DeadlineExceeded(_http.ReadTimeout):  # type: ignore[misc]
    """The call's total deadline passed before its answer was complete."""


class _DeadlineStream(_http.SyncByteStream):  # type: ignore[misc]
    def __init__(self, inner: Any, deadline: float, request: Any) -> None:
        self._inner = inner
        self._deadline = deadline
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._deadline:
                raise DeadlineExceeded("the call's deadline passed", request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


def _on_request(seconds: float) -> Any:
    def start(request: Any) -> None:
        request.extensions[_DEADLINE] = time.monotonic() + seconds
        waits = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            phase: seconds if wait is None else min(wait, seconds) for phase, wait in waits.items()
        }

    return start


def _on_response(response: Any) -> None:
    request = response.request
    deadline = request.extensions.get(_DEADLINE)
    if deadline is None:
        return
    if time.monotonic() > deadline:
        raise DeadlineExceeded("the call's deadline passed", request=request)
    response.stream = _DeadlineStream(response.stream, deadline, request)


def deadline_client(seconds: float) -> Any:
    """The SDK's default HTTP client, with every call bounded by `seconds` in all."""
    return openai.DefaultHttpxClient(
        event_hooks={"request": [_on_request(seconds)], "response": [_on_response]}
    )
