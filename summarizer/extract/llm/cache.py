"""The on-disk LLM cache (diskcache; the only module importing it).

Keys are `c1:` + SHA-256 of canonical JSON over everything that shapes a reply (backend, base
URL, model, mode, sampling parameters, prompt version, schema version, the rendered messages
with the chunk text). Values are JSON text, never pickles, so a cache shared between processes
cannot run code. No secret is ever part of a key or a value: callers pass none, and `make_key`
refuses the field names that would hold one.

A cache that cannot be opened or read raises CacheError naming the folder and the fix.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import CacheError, shown

__all__ = ["CacheStats", "LLMCache", "clear_cache", "make_key"]

_SECRET_FIELDS = {"api_key", "authorization", "key", "token", "password"}
_FIX = "run `summarizer cache clear` or pass --no-cache"
_LOCKED = "locked by another process"


def make_key(parts: dict[str, Any]) -> str:
    secret = _SECRET_FIELDS & {k.lower() for k in parts}
    if secret:
        raise ValueError(f"cache key must not contain secrets: {sorted(secret)}")
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "c1:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    directory: Path
    entries: int
    bytes: int


def _is_locked(exc: BaseException) -> bool:
    # diskcache raises its own Timeout when a write waits out the lock; SQLite says "locked"
    if type(exc).__name__ == "Timeout":
        return True
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _fail(directory: Path, exc: BaseException) -> CacheError:
    if _is_locked(exc):  # not corrupt: clearing would delete another process's live cache
        return CacheError(
            f"cache {shown(directory)}: {_LOCKED}; wait for it to finish or pass --no-cache"
        )
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return CacheError(f"cache {shown(directory)}: unusable ({reason}); {_FIX}")


def _wait_unlocked(db: Path, timeout: float) -> None:
    """Fail within `timeout` when another process holds the database's write lock: diskcache's
    own setup would retry for 60 s in silence."""
    try:
        con = sqlite3.connect(str(db), timeout=timeout, isolation_level=None)
    except sqlite3.Error:
        return  # let diskcache report what is wrong with the file
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if _is_locked(exc):
            raise _fail(db.parent, exc) from None
    finally:
        con.close()


class LLMCache:
    """A thread-safe, multi-process JSON cache in one folder."""

    def __init__(self, directory: Path, timeout: float = 10.0) -> None:
        import diskcache

        self.directory = Path(directory)
        # diskcache.Timeout: a write that waited `timeout` s on another process's lock
        self._errors: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, diskcache.Timeout)
        try:
            if (self.directory / "cache.db").is_file():
                _wait_unlocked(self.directory / "cache.db", timeout)
            # timeout: seconds SQLite waits on a lock held by another process before failing
            self._cache = diskcache.Cache(
                str(self.directory), timeout=timeout, eviction_policy="none"
            )
        except self._errors as exc:
            raise _fail(self.directory, exc) from None

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored JSON object, or None (missing, or unreadable and therefore ignored)."""
        try:
            raw = self._cache.get(key)
        except self._errors as exc:
            raise _fail(self.directory, exc) from None
        if not isinstance(raw, str):
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        try:
            self._cache.set(key, text)
        except self._errors as exc:
            raise _fail(self.directory, exc) from None

    def set_many(self, values: dict[str, dict[str, Any]]) -> None:
        """Store several entries in one transaction: all of them, or (killed midway) none."""
        texts = {
            key: json.dumps(v, ensure_ascii=False, sort_keys=True) for key, v in values.items()
        }
        try:
            with self._cache.transact():
                for key, text in texts.items():
                    self._cache.set(key, text)
        except self._errors as exc:
            raise _fail(self.directory, exc) from None

    def stats(self) -> CacheStats:
        try:
            entries = len(self._cache)
            size = int(self._cache.volume())
        except self._errors as exc:
            raise _fail(self.directory, exc) from None
        return CacheStats(self.directory, entries, size)

    def clear(self) -> int:
        try:
            return int(self._cache.clear())
        except self._errors as exc:
            raise _fail(self.directory, exc) from None

    def close(self) -> None:
        self._cache.close()


def clear_cache(directory: Path, timeout: float = 10.0) -> int:
    """Empty the cache; a corrupt cache is rebuilt by removing diskcache's own files."""
    directory = Path(directory)
    if not directory.exists():
        return 0
    try:
        cache = LLMCache(directory, timeout)
        try:
            return cache.clear()
        finally:
            cache.close()
    except CacheError as exc:
        if _LOCKED in str(exc):
            raise  # in use, not corrupt: deleting its files would pull them from under a run
    removed = 0
    for path in directory.iterdir():  # only what diskcache writes: cache.db* and 2-hex dirs
        is_db = path.name.startswith("cache.db")
        is_shard = path.is_dir() and len(path.name) == 2 and _is_hex(path.name)
        if is_db or is_shard:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed += 1
    LLMCache(directory).close()  # proves the rebuilt cache opens
    return removed


def _is_hex(name: str) -> bool:
    return all(c in "0123456789abcdef" for c in name)
