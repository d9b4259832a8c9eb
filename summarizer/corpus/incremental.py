"""Incremental batches: which reports of a folder must be summarised again.

A stored summary still holds when the report file's bytes, its name and path, and the settings
that made the summary are unchanged, and its `<id>.json` is still in OUT. The file is compared
by the SHA-256 of its bytes, not of its decoded text (the JSON's `report.sha256`): the bytes can
be hashed without decoding, and a change of bytes that decodes to the same text (a BOM, CRLF)
only costs one report's redo.

The settings are everything that changes a summary: backend, model, mode, endpoint, prompt and
schema versions, chunk size, temperature, the summarizer code that extracts and renders a
report (a hash of its files), and the report's own --meta row.
"""

from __future__ import annotations

import hashlib
import json
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.config import Settings
from summarizer.corpus.database import StoredReport
from summarizer.extract.backend import Backend
from summarizer.models import SCHEMA_VERSION

if TYPE_CHECKING:
    from summarizer.read.meta_table import MetaTable

__all__ = ["BatchPlan", "Fingerprint", "code_version", "file_sha256", "plan_batch"]

_PACKAGE = Path(__file__).resolve().parent.parent
# Parts of the package that make no per-report output: editing them redoes nothing.
_NOT_OUTPUT = ("corpus", "evaluate", "cli.py", "console.py", "__pycache__")
_CODE_SUFFIXES = (".py", ".toml", ".csv", ".j2", ".md")


@lru_cache(maxsize=1)
def code_version() -> str:
    """`c1:` + 12 hex of SHA-256 over the package files that make a report's outputs."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        rel = path.relative_to(_PACKAGE)
        if rel.parts[0] in _NOT_OUTPUT or path.suffix not in _CODE_SUFFIXES:
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return "c1:" + digest.hexdigest()[:12]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """The settings a run's summaries are made with, and per report with its --meta row."""

    settings: dict[str, Any]
    meta: MetaTable | None = None

    @classmethod
    def of(cls, settings: Settings, backend: Backend) -> Fingerprint:
        llm = backend.name != "rules"
        return cls(
            {
                "backend": backend.name,
                "model": backend.model,
                "mode": backend.mode,
                # the endpoint without credentials or query (the backend's public form)
                "endpoint": getattr(backend, "base_url", None) if llm else None,
                "prompt_version": backend.prompt_version,
                "schema_version": SCHEMA_VERSION,
                "chunk_size": settings.chunk_size,
                "temperature": settings.temperature if llm else None,
                "code": code_version(),
            },
            settings.meta,
        )

    def json(self) -> str:
        return json.dumps(self.settings, ensure_ascii=False, sort_keys=True)

    def for_report(self, report_id: str) -> str:
        given = self.meta.get(report_id) if self.meta is not None else None
        row = [given.entity, given.year, given.kind] if given else None
        text = json.dumps([self.settings, row], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class BatchPlan:
    todo: list[Path] = field(default_factory=list)  # to summarise, in folder order
    reused: dict[Path, str] = field(default_factory=dict)  # path → id whose summary holds
    removed: list[str] = field(default_factory=list)  # stored ids no file of the folder has
    hashes: dict[Path, str] = field(default_factory=dict)  # path → SHA-256 of its bytes


def plan_batch(
    paths: list[Path],
    stored: dict[str, StoredReport],
    outdir: Path,
    fingerprint: Fingerprint,
    *,
    force: bool = False,
    max_bytes: int | None = None,
    ids: dict[Path, str] | None = None,
) -> BatchPlan:
    """Split `paths` into reports to summarise and reports whose stored summary holds.
    `ids`: each path's report id (default: its file name without extension)."""
    plan = BatchPlan()
    claimed: set[str] = set()
    for path in paths:
        rid = ids[path] if ids else path.stem
        first = rid.casefold() not in claimed  # a later file of that id fails in the reader
        claimed.add(rid.casefold())
        try:
            st = path.stat()
            # only a regular file: opening a FIFO would wait for a writer
            if stat.S_ISREG(st.st_mode) and (max_bytes is None or st.st_size <= max_bytes):
                plan.hashes[path] = file_sha256(path)
        except OSError:
            pass  # the reader names the reason
        known = stored.get(rid)
        if (
            not force
            and first
            and known is not None
            and known.file_name == path.name
            and known.source == str(path)
            and known.file_sha256 == plan.hashes.get(path)
            and known.settings_hash == fingerprint.for_report(rid)
            and (outdir / f"{rid}.json").is_file()
        ):
            plan.reused[path] = rid
        else:
            plan.todo.append(path)
    plan.removed = [rid for rid in stored if rid.casefold() not in claimed]
    return plan
