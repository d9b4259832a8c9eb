"""Secrets out of every string a server sends: the API key, whole or cut.

A server can echo the key it was given (in an error body, or inside a reply's titles), and a
message cut to a length can hold any prefix of it. So a key is removed wherever 8 or more of its
first characters appear in a row: 8 characters of a random key identify it, fewer do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from urllib.parse import urlsplit

__all__ = ["MASK", "MIN_PREFIX", "redact", "secrets_of"]

MIN_PREFIX = 8
MASK = "***"


def secrets_of(api_key: str | None, base_url: str | None) -> tuple[str, ...]:
    """What must never be shown: the API key and a password in the base URL."""
    found = [api_key or ""]
    if base_url:
        with suppress(ValueError):  # config.check_base_url names a malformed URL
            found.append(urlsplit(base_url).password or "")
    return tuple(s for s in found if s)


def _redact_one(text: str, secret: str) -> str:
    if len(secret) < MIN_PREFIX:
        return text.replace(secret, MASK)
    head = secret[:MIN_PREFIX]
    parts: list[str] = []
    pos = 0
    while (start := text.find(head, pos)) >= 0:
        end = start + MIN_PREFIX
        # extend over as much more of the key as follows (the longest prefix present)
        while end < len(text) and end - start < len(secret) and text[end] == secret[end - start]:
            end += 1
        parts += [text[pos:start], MASK]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret, and every prefix of it of MIN_PREFIX+ characters, masked."""
    for secret in secrets:
        if secret:
            text = _redact_one(text, secret)
    return text
