"""Many machines: a shard of a folder's reports (`--shard i/N`), and shards' outputs merged.

A report belongs to shard `1 + sha1(report id) mod N`, the report id being its file name
without the extension: stable across machines, Python versions and runs (Python's own hash()
of a string changes with every process), and two files of one id always fall in one shard,
where the batch names the second as a duplicate, exactly as an unsharded run does.

The merge rebuilds the batch files from the summaries: it reads each shard's summaries.jsonl
and failures.jsonl, copies each report's files, and writes the batch files over all of them
(summarizer.batch_files, as a batch does), in the order one unsharded batch has.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summarizer.batch_files import read_failures, write_batch_files
from summarizer.corpus.database import DB_NAME, CorpusDB, open_readonly
from summarizer.errors import ConfigError, InputError, OutputError
from summarizer.models import Summary
from summarizer.render.outputs import atomic_write_text, make_outdir

__all__ = ["PER_REPORT_SUFFIXES", "MergeResult", "Shard", "merge_shards", "parse_shard"]

SUMMARIES_FILE = "summaries.jsonl"
PER_REPORT_SUFFIXES = (".json", ".md", ".html", ".source.html")


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (1 ≤ index ≤ count), as in `--shard 2/8`."""

    index: int
    count: int

    def holds(self, path: Path) -> bool:
        """Whether the report file `path` is this shard's."""
        # case-folded, as report ids are compared: X.txt beside x.text falls in x.text's shard
        digest = hashlib.sha1(path.stem.casefold().encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, paths: Iterable[Path]) -> list[Path]:
        return [p for p in paths if self.holds(p)]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def parse_shard(text: str) -> Shard:
    """`"2/8"` → Shard(2, 8); ConfigError for anything else."""
    found = _SHARD.fullmatch(text)
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise ConfigError(
            f"--shard must be i/N with 1 ≤ i ≤ N (2/8: the second of 8), got {text!r}"
        )
    return Shard(int(found.group(1)), int(found.group(2)))


# --- the merge -----------------------------------------------------------------------------------


@dataclass
class MergeResult:
    summaries: list[Summary] = field(default_factory=list)
    failures: list[tuple[Path, str]] = field(default_factory=list)
    tracking: list[Path] = field(default_factory=list)  # summarizer track's files, if any


def merge_shards(shard_dirs: Sequence[Path], outdir: Path) -> MergeResult:
    """Every shard output folder's reports into `outdir`: their files copied, the batch files
    written anew over all of them. Each folder must hold a finished batch (summaries.jsonl);
    a report id found in two folders is refused, since one would overwrite the other."""
    if not shard_dirs:
        raise ConfigError("merge needs at least one shard output folder")
    found: dict[str, tuple[Path, Summary]] = {}  # report id -> (its shard folder, summary)
    failures: list[tuple[Path, str]] = []
    for folder in shard_dirs:
        for summary in _read_summaries(folder):
            rid = summary.report.id
            if rid in found:
                raise ConfigError(
                    f"report {rid!r} is in both {found[rid][0]} and {folder}: "
                    "merge the outputs of one run's shards"
                )
            found[rid] = (folder, summary)
        failures += read_failures(folder)
    make_outdir(outdir)
    for rid, (folder, _) in found.items():
        if folder.resolve() != outdir.resolve():
            _copy_report_files(folder, rid, outdir)
    # The order of one unsharded batch: the folder's, by file name.
    merged = MergeResult(
        summaries=sorted((s for _, s in found.values()), key=lambda s: Path(s.report.source).name),
        failures=sorted(failures, key=lambda f: f[0].name),
    )
    _merge_databases(found, merged.summaries, outdir)
    merged.tracking, error = write_batch_files(merged.summaries, merged.failures, outdir)
    if error is not None:
        raise OutputError(error)
    return merged


def _merge_databases(
    found: dict[str, tuple[Path, Summary]], summaries: list[Summary], outdir: Path
) -> None:
    """OUT/summaries.sqlite made anew from the summaries, each with the file hash and settings
    its shard's database recorded (so that a batch over the whole folder into OUT reuses it)."""
    recorded: dict[str, tuple[str, str, str, str]] = {}
    for folder in {folder for folder, _ in found.values()}:
        if (folder / DB_NAME).is_file():
            with closing(open_readonly(folder)) as shard_db:
                sql = "SELECT id, file_name, file_sha256, settings, settings_hash FROM reports"
                recorded.update({row[0]: tuple(row[1:]) for row in shard_db.execute(sql)})
    db_path = outdir / DB_NAME
    with CorpusDB(db_path.with_name(f".{DB_NAME}.merging"), rebuild=True) as db:
        for summary in summaries:
            rid = summary.report.id
            name, sha, settings, settings_hash = recorded.get(
                rid, (Path(summary.report.source).name, "", "{}", "")
            )
            db.put(
                summary,
                file_name=name,
                file_sha256=sha,
                settings=settings,
                settings_hash=settings_hash,
            )
    os.replace(db_path.with_name(f".{DB_NAME}.merging"), db_path)  # whole, or not there


def _read(path: Path) -> str:
    try:
        # newline="": the bytes as written (a CSV's \r\n, a report's stray \r) pass unchanged
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None


def _read_summaries(folder: Path) -> list[Summary]:
    path = folder / SUMMARIES_FILE
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder")
    if not path.is_file():
        raise ConfigError(f"{folder}: not a finished batch output (no {SUMMARIES_FILE})")
    summaries = []
    for n, line in enumerate(_read(path).splitlines(), 1):
        try:
            summaries.append(Summary.model_validate_json(line))
        except ValidationError as exc:
            raise InputError(
                path, f"line {n}: not a summary ({exc.error_count()} errors)"
            ) from None
    return summaries


def _copy_report_files(folder: Path, rid: str, outdir: Path) -> None:
    """<id>.json, .md, .html, .source.html, each written whole (temp file and rename)."""
    for suffix in PER_REPORT_SUFFIXES:
        source = folder / f"{rid}{suffix}"
        if not source.is_file():
            raise InputError(source, "missing: the shard's batch did not finish writing it")
        atomic_write_text(outdir / source.name, _read(source))
