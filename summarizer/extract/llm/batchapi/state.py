"""What has been sent to the Batch API, kept in one JSON file beside the LLM cache.

Written atomically after every step that costs money (an upload, a batch created), so that a
run stopped at any point (Ctrl-C, kill -9, a closed laptop) and started again polls the
batches it had made instead of submitting the calls again. One file per endpoint, since a
batch id means nothing to another server.

    uploads   file id → custom_ids            uploaded; the batch may or may not exist
    batches   batch id → {file, calls, round} created and not yet collected
    calls     custom_id → {report, chunks, batch, round, reasks, after, stats}
    answered  custom_id → stats               in the cache, accounted to these batches
    failed    custom_id → reason              no valid answer, even live
    exported  custom_id → {report, chunks}    written by `batch-api export`
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import CacheError
from summarizer.extract.backend import ExtractionStats
from summarizer.render.outputs import atomic_write_text

__all__ = ["BatchState", "state_path", "stats_from", "stats_to"]

VERSION = 1


def state_path(cache_dir: Path, base_url: str) -> Path:
    tag = hashlib.sha256(base_url.encode("utf-8")).hexdigest()[:12]
    return Path(cache_dir) / f"batch-api-{tag}.json"


def stats_to(stats: ExtractionStats) -> dict[str, Any]:
    return asdict(stats)


def stats_from(raw: Any) -> ExtractionStats:
    fields = ExtractionStats.__dataclass_fields__
    values = {k: v for k, v in (raw or {}).items() if k in fields}
    return ExtractionStats(**values)


@dataclass
class BatchState:
    path: Path
    base_url: str
    uploads: dict[str, list[str]] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    answered: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    exported: dict[str, dict[str, Any]] = field(default_factory=dict)

    _PARTS = ("uploads", "batches", "calls", "answered", "failed", "exported")

    @classmethod
    def load(cls, cache_dir: Path, base_url: str) -> BatchState:
        path = state_path(cache_dir, base_url)
        state = cls(path, base_url)
        if not path.exists():
            return state
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CacheError(
                f"{path}: unreadable Batch API state ({exc}); it lists batches already paid "
                "for: repair or remove it by hand"
            ) from None
        if not isinstance(raw, dict) or raw.get("version") != VERSION:
            raise CacheError(f"{path}: not a Batch API state of version {VERSION}")
        for part in cls._PARTS:
            value = raw.get(part) or {}
            if isinstance(value, dict):
                setattr(state, part, value)
        return state

    def save(self) -> None:
        data = {"version": VERSION, "base_url": self.base_url}
        data.update({part: getattr(self, part) for part in self._PARTS})
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
