"""The database side of one batch: what to redo, storing each finished report, and the
folder's summaries at the end, read back from the database.

`run_batch` opens a `BatchStore`, summarises `store.plan.todo` only, calls `store.put` after a
report's files are written (so a stored report always has its files) and `store.forget` when a
report fails (a full run would not show it either), then `store.finish()`: the reports gone
from the folder leave the outputs and the database (files first: a run killed in between
leaves a database row the next run removes again), and the summaries come back in folder
order for the index, CSV and JSONL. A step that runs on all the summaries afterwards (tracking,
whose charts take a while) is skipped when the database holds the same summaries as when it
last ran (`unchanged_since`, `ran`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from summarizer.config import Settings
from summarizer.corpus.database import DB_NAME, CorpusDB
from summarizer.corpus.incremental import BatchPlan, Fingerprint, file_sha256, plan_batch
from summarizer.errors import OutputError
from summarizer.extract.backend import Backend
from summarizer.models import Summary
from summarizer.render.outputs import report_output_paths

__all__ = ["BatchStore", "NoDatabase", "open_store"]


class BatchStore:
    def __init__(
        self,
        db: CorpusDB,
        paths: list[Path],
        outdir: Path,
        fingerprint: Fingerprint,
        *,
        force: bool,
        max_bytes: int,
        ids: dict[Path, str] | None = None,
    ) -> None:
        self.db = db
        self.paths = paths
        self.ids = ids or {p: p.stem for p in paths}  # each path's report id
        self.outdir = outdir
        self.fingerprint = fingerprint
        self.plan: BatchPlan = plan_batch(
            paths, db.stored(), outdir, fingerprint, force=force, max_bytes=max_bytes, ids=ids
        )
        self._summaries: dict[str, Summary] = db.summaries(self.plan.reused.values())
        unreadable = [p for p, rid in self.plan.reused.items() if rid not in self._summaries]
        if unreadable:  # a stored summary that no longer validates is made again
            for path in unreadable:
                del self.plan.reused[path]
            again = {*self.plan.todo, *unreadable}
            self.plan.todo = [p for p in paths if p in again]

    def reused_summary(self, path: Path) -> Summary:
        return self._summaries[self.plan.reused[path]]

    def put(self, path: Path, summary: Summary) -> None:
        """Store a report's summary (one transaction), after its files are written."""
        sha = self.plan.hashes.get(path) or file_sha256(path)
        self.db.put(
            summary,
            file_name=path.name,
            file_sha256=sha,
            settings=self.fingerprint.json(),
            settings_hash=self.fingerprint.for_report(summary.report.id),
        )
        self._summaries[summary.report.id] = summary

    def forget(self, path: Path) -> None:
        """A report that failed: the summary stored under its id no longer holds, unless
        another file of the folder holds that id (this one failed as its duplicate)."""
        rid = self.ids.get(path, path.stem)
        held = self._summaries.get(rid)
        if held is None or held.report.source == str(path):
            self._summaries.pop(rid, None)
            # The report already failed with its own line. A row that cannot be removed is for
            # other bytes or settings than a later run's, or still right for them.
            with suppress(OutputError):
                self.db.remove([rid])

    def unchanged_since(self, step: str) -> list[Path] | None:
        """The files `step` wrote when it last ran on the summaries the database holds now, if
        they are all still there; None when it must run again."""
        state = self.db.step_state(step)
        if state is None:
            return None
        last = json.loads(state)
        files = [self.outdir / name for name in last["files"]]
        if last["corpus"] != self.db.corpus_key() or not all(f.is_file() for f in files):
            return None
        return files

    def ran(self, step: str, files: list[Path]) -> None:
        """`step` has written `files` from the summaries the database holds now."""
        names = [f.name for f in files]
        state = json.dumps({"corpus": self.db.corpus_key(), "files": names}, ensure_ascii=False)
        self.db.set_step_state(step, state)

    def finish(self) -> list[Summary]:
        """Remove the reports gone from the folder; the folder's summaries, in its order."""
        reports = set(self.paths)  # a folder that is its own OUT: never delete a report
        for rid in self.plan.removed:
            for path in report_output_paths(self.outdir, rid):
                if path not in reports:
                    path.unlink(missing_ok=True)
        self.db.remove(self.plan.removed)
        done = []
        for path in self.paths:
            summary = self._summaries.get(self.ids.get(path, path.stem))
            if summary is not None and summary.report.source == str(path):
                done.append(summary)
        return done


class NoDatabase:
    """A batch's store when OUT/summaries.sqlite cannot be opened (a full disk): every report
    is summarised and its files written as usual; nothing is reused or remembered."""

    def __init__(self, paths: list[Path], ids: dict[Path, str]) -> None:
        self.paths, self.ids = paths, ids
        self.plan = BatchPlan(todo=list(paths))
        self._summaries: dict[Path, Summary] = {}

    def reused_summary(self, path: Path) -> Summary:
        raise KeyError(path)  # nothing is reused

    def put(self, path: Path, summary: Summary) -> None:
        self._summaries[path] = summary

    def forget(self, path: Path) -> None:
        self._summaries.pop(path, None)

    def unchanged_since(self, step: str) -> list[Path] | None:
        return None

    def ran(self, step: str, files: list[Path]) -> None:
        pass

    def finish(self) -> list[Summary]:
        return [self._summaries[p] for p in self.paths if p in self._summaries]


@contextmanager
def open_store(
    outdir: Path,
    paths: list[Path],
    settings: Settings,
    backend: Backend,
    *,
    ids: dict[Path, str] | None = None,
    force: bool = False,
) -> Iterator[BatchStore]:
    """OUT/summaries.sqlite for a batch of `paths` (rebuilt empty with `force`); `ids`: each
    path's report id (default: its file name without extension)."""
    with CorpusDB(outdir / DB_NAME, rebuild=force) as db:
        yield BatchStore(
            db,
            paths,
            outdir,
            Fingerprint.of(settings, backend),
            force=force,
            max_bytes=settings.max_bytes,
            ids=ids,
        )
