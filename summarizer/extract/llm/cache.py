"""The on-disk LLM cache (diskcache; the only module importing it).

Keys are `c1:` + SHA-256 of canonical JSON over everything that shapes a reply (backend, base
URL, model, mode, sampling parameters, prompt version, schema version, the rendered messages
with the chunk text). Values are JSON text, never pickles, so a cache shared between processes
cannot run code. No secret is ever part of a key or a value: callers pass none, and `make_key`
refuses the field names that would hold one.

A cache that cannot be opened or read raises CacheError naming the folder and the fix.

The folder is marked as ours when the cache is created in it (or found there from an older
version: nothing in it but diskcache's own files): a CACHEDIR.TAG (the Cache Directory Tagging
Specification, so backup tools skip it too) that names summarizer. `cache clear` clears only a
folder so marked, and removes only the cache's files, never what else a user keeps there.
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

__all__ = ["MARKER", "CacheStats", "LLMCache", "clear_cache", "is_summarizer_cache", "make_key"]

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


MARKER = "CACHEDIR.TAG"
_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"  # bford.info/cachedir
_MARKER_TEXT = (
    f"{_SIGNATURE}\n"
    "# This file is a cache directory tag created by summarizer: this folder is its LLM cache.\n"
    "# `summarizer cache clear` empties only a folder holding this file.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_DB_FILES = frozenset({"cache.db", "cache.db-wal", "cache.db-shm", "cache.db-journal"})


def _is_hex2(name: str) -> bool:
    return len(name) == 2 and all(c in "0123456789abcdef" for c in name)


def _is_shard(path: Path) -> bool:
    """A folder as diskcache writes large values: ab/cd/<name>.val and nothing else."""
    if not (path.is_dir() and not path.is_symlink() and _is_hex2(path.name)):
        return False
    for sub in path.iterdir():
        if not (sub.is_dir() and not sub.is_symlink() and _is_hex2(sub.name)):
            return False
        if not all(f.is_file() and f.suffix == ".val" for f in sub.iterdir()):
            return False
    return True


def _is_cache_file(path: Path) -> bool:
    return path.name in _DB_FILES or _is_shard(path)


def _marked(directory: Path) -> bool:
    try:
        text = (directory / MARKER).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return text.startswith(_SIGNATURE) and "summarizer" in text


def _older_cache(directory: Path) -> bool:
    """A cache from before the marker: a cache.db and nothing but diskcache's files."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return False
    names = {p.name for p in entries}
    return "cache.db" in names and all(_is_cache_file(p) for p in entries)


def is_summarizer_cache(directory: Path) -> bool:
    """Whether `directory` is a cache summarizer made: marked, or an older one of ours."""
    return _marked(directory) or _older_cache(directory)


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
            # A new (or empty) folder, or an older cache of ours, gets the marker; a folder of
            # other things does not, so `cache clear` will leave it alone.
            ours = self._new_or_ours()
            if (self.directory / "cache.db").is_file():
                _wait_unlocked(self.directory / "cache.db", timeout)
            # timeout: seconds SQLite waits on a lock held by another process before failing
            self._cache = diskcache.Cache(
                str(self.directory), timeout=timeout, eviction_policy="none"
            )
            if ours and not _marked(self.directory):
                (self.directory / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        except self._errors as exc:
            raise _fail(self.directory, exc) from None

    def _new_or_ours(self) -> bool:
        if not self.directory.exists():
            return True
        if self.directory.is_dir() and not any(self.directory.iterdir()):
            return True
        return is_summarizer_cache(self.directory)

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
    """Empty the cache in `directory`, only if it is one of ours (CacheError otherwise, and
    nothing is touched); a corrupt cache is rebuilt by removing the cache's own files (the
    database and diskcache's value folders), never anything else in the folder."""
    directory = Path(directory)
    if not directory.exists():
        return 0
    if not is_summarizer_cache(directory):
        raise CacheError(
            f"{shown(directory)}: not a summarizer cache (no {MARKER} of summarizer in it, and "
            "files diskcache does not write); nothing removed"
        )
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
    for path in directory.iterdir():
        if _is_cache_file(path):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed += 1
    LLMCache(directory).close()  # proves the rebuilt cache opens
    return removed
