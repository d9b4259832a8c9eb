"""`OUT/summaries.sqlite`: every summary of a batch in SQLite, written with sqlite-utils.

Each report is written in one transaction (its old rows out, its new rows and full-text rows
in), so a run killed at any point leaves every report either whole or absent, never half.
`reports.summary` keeps the summary's JSON exactly as `<id>.json` has it: the batch files are
rebuilt from it, byte for byte what a full run writes. The other tables are the same data laid
out for SQL: keys, indexes, full-text search and the `panel` view.

    >>> with CorpusDB(Path("out/summaries.sqlite")) as db:
    ...     db.summaries(["000_d690860a6c90c664"])
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils
from pydantic import ValidationError

from summarizer.corpus.rows import Row, item_rows, report_row, search_form
from summarizer.corpus.schema import (
    DB_VERSION,
    FTS_TABLES,
    PANEL_VIEW_SQL,
    STATE_TABLE,
    TABLES,
    Table,
)
from summarizer.errors import ConfigError, OutputError
from summarizer.models import Summary

__all__ = ["DB_NAME", "CorpusDB", "StoredReport", "open_readonly", "write_table"]

DB_NAME = "summaries.sqlite"


@dataclass(frozen=True)
class StoredReport:
    """What a re-run compares to decide whether a report's summary still holds."""

    id: str
    file_name: str
    source: str
    file_sha256: str
    settings_hash: str


class CorpusDB:
    """The corpus database at `path`, created if missing. `rebuild`: start it empty (--force;
    also what happens to a database of another layout version)."""

    def __init__(self, path: Path, *, rebuild: bool = False) -> None:
        self.path = path
        with self._errors("cannot open"):
            if rebuild:
                path.unlink(missing_ok=True)
            self.db = sqlite_utils.Database(path)
        try:
            with self._errors("not a usable SQLite database (batch --force rebuilds it)"):
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version != DB_VERSION or not self.db["reports"].exists():
                    self._create(drop_old=bool(version) or self.db.table_names() != [])
            with self._errors("cannot open"):
                # WAL: a commit needs no fsync of its own (a killed run still loses nothing
                # committed; a power cut, at most the last reports), and readers such as
                # Datasette never block the batch.
                self.db.enable_wal()
                self.db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> CorpusDB:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """sqlite3's errors as one line naming the database file."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise OutputError(f"{self.path}: {what}: {exc}") from exc

    # --- layout ----------------------------------------------------------------------------

    def _create(self, drop_old: bool) -> None:
        with self.db.atomic():
            if drop_old:  # another layout: its rows are made again from the reports
                for view in self.db.view_names():
                    self.db[view].drop()
                self.db.execute(f"DROP TABLE IF EXISTS [{STATE_TABLE}]")
                for name in [*FTS_TABLES, *(t.name for t in TABLES)]:
                    self.db.execute(f"DROP TABLE IF EXISTS [{name}_fts]")
                    self.db.execute(f"DROP TABLE IF EXISTS [{name}]")
            for table in TABLES:
                self._create_table(table)
            for name, columns in FTS_TABLES.items():
                self.db.execute(
                    f"CREATE VIRTUAL TABLE [{name}_fts] USING fts5("
                    + ", ".join(columns)
                    + ", tokenize='unicode61')"
                )
            self.db.create_view("panel", PANEL_VIEW_SQL)
            self.db.execute(f"CREATE TABLE [{STATE_TABLE}] (step TEXT PRIMARY KEY, state TEXT)")
            self.db.execute(f"PRAGMA user_version = {DB_VERSION}")

    def _create_table(self, table: Table) -> None:
        is_report = table.name == "reports"
        self.db.table(table.name).create(
            {c.name: c.type for c in table.columns},
            pk="id",
            not_null={"id"} if is_report else {"report_id", "seq"},
            foreign_keys=() if is_report else [("report_id", "reports", "id")],
        )
        for columns in table.unique:
            self.db.table(table.name).create_index(columns, unique=True)
        for columns in table.indexes:
            self.db.table(table.name).create_index(columns)

    # --- reading ---------------------------------------------------------------------------

    def stored(self) -> dict[str, StoredReport]:
        """Every report in the database, by id."""
        sql = "SELECT id, file_name, source, file_sha256, settings_hash FROM reports"
        with self._errors("cannot read"):
            return {row[0]: StoredReport(*row) for row in self.db.execute(sql)}

    def summaries(self, ids: Iterable[str]) -> dict[str, Summary]:
        """The stored summaries of `ids` (those in the database whose JSON still validates:
        one edited by hand, or of an older model, is left out to be made again)."""
        wanted = set(ids)
        out: dict[str, Summary] = {}
        with self._errors("cannot read"):
            for rid, text in self.db.execute("SELECT id, summary FROM reports"):
                if rid in wanted:
                    with suppress(ValidationError):
                        out[rid] = Summary.model_validate_json(text)
        return out

    def corpus_key(self) -> str:
        """A hash of which reports the database holds, from which bytes and settings: equal
        keys, equal summaries."""
        digest = hashlib.sha256()
        sql = "SELECT id, source, file_sha256, settings_hash FROM reports ORDER BY id"
        with self._errors("cannot read"):
            for row in self.db.execute(sql):
                digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        return digest.hexdigest()

    def step_state(self, step: str) -> str | None:
        sql = f"SELECT state FROM [{STATE_TABLE}] WHERE step = ?"
        with self._errors("cannot read"):
            row = self.db.execute(sql, [step]).fetchone()
        return None if row is None else str(row[0])

    def set_step_state(self, step: str, state: str) -> None:
        sql = f"INSERT OR REPLACE INTO [{STATE_TABLE}] (step, state) VALUES (?, ?)"
        with self._errors("cannot write"), self.db.atomic():
            self.db.execute(sql, [step, state])

    # --- writing ---------------------------------------------------------------------------

    def put(
        self,
        summary: Summary,
        *,
        file_name: str,
        file_sha256: str,
        settings: str,
        settings_hash: str,
    ) -> None:
        """Store one report's summary, replacing what the database had for it, in one
        transaction."""
        rid = summary.report.id
        report = report_row(
            summary,
            file_name=file_name,
            file_sha256=file_sha256,
            settings=settings,
            settings_hash=settings_hash,
        )
        items = item_rows(summary)
        with self._errors(f"cannot store report {rid}"), self.db.atomic():
            self._delete(rid)
            self.db.table("reports").insert(report)
            for table, rows in items.items():
                if rows:
                    self.db.table(table).insert_all(rows)
                self._index(table, rid)

    def remove(self, ids: Sequence[str]) -> None:
        """Delete the reports `ids` and their items, in one transaction."""
        if not ids:
            return
        with self._errors("cannot remove reports"), self.db.atomic():
            for rid in ids:
                self._delete(rid)

    def _delete(self, rid: str) -> None:
        for table in FTS_TABLES:
            self.db.execute(
                f"DELETE FROM [{table}_fts] WHERE rowid IN "
                f"(SELECT id FROM [{table}] WHERE report_id = ?)",
                [rid],
            )
            self.db.execute(f"DELETE FROM [{table}] WHERE report_id = ?", [rid])
        self.db.execute("DELETE FROM reports WHERE id = ?", [rid])

    def _index(self, table: str, rid: str) -> None:
        """The full-text rows of the report's items, their search forms made here: never by a
        Python function SQLite calls, where a Ctrl-C comes out as "user-defined function raised
        exception" and would read as a fault of the database (the batch went on without it)."""
        columns = FTS_TABLES[table]
        rows = self.db.execute(
            f"SELECT id, {', '.join(f'[{c}]' for c in columns)} FROM [{table}] WHERE report_id = ?",
            [rid],
        ).fetchall()
        self.db.conn.executemany(
            f"INSERT INTO [{table}_fts] (rowid, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))})",
            [(row[0], *map(search_form, row[1:])) for row in rows],
        )

    def replace_table(
        self,
        name: str,
        rows: Sequence[Row],
        *,
        pk: str | Sequence[str] | None = None,
        indexes: Sequence[Sequence[str]] = (),
    ) -> None:
        """Make table `name` hold exactly `rows` (dicts of column → value), in one transaction:
        a table another step computes, such as `tracking`. No rows: no table."""
        own = {t.name for t in TABLES} | {f"{t}_fts" for t in FTS_TABLES} | {"panel", STATE_TABLE}
        if name in own:
            raise ValueError(f"{name!r} is one of the batch's own tables")
        with self._errors(f"cannot write table {name}"), self.db.atomic():
            self.db[name].drop(ignore=True)
            if rows:
                kwargs: dict[str, Any] = {"pk": pk} if pk else {}
                self.db.table(name).insert_all(rows, **kwargs)
                for columns in indexes:
                    self.db.table(name).create_index(columns)


def write_table(
    outdir: Path,
    name: str,
    rows: Sequence[Row],
    *,
    pk: str | Sequence[str] | None = None,
    indexes: Sequence[Sequence[str]] = (),
) -> Path:
    """`CorpusDB.replace_table` on OUTDIR's database; returns its path."""
    path = outdir / DB_NAME
    with CorpusDB(path) as db:
        db.replace_table(name, rows, pk=pk, indexes=indexes)
    return path


def open_readonly(outdir: Path) -> sqlite3.Connection:
    """OUTDIR's database for reading only (searching never changes OUT); ConfigError (exit 2)
    when it is missing, not a database, or of another layout version."""
    path = outdir / DB_NAME
    if not path.is_file():
        raise ConfigError(f"{path}: no such database: run `summarizer batch FOLDER -o {outdir}`")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise ConfigError(f"{path}: not a usable SQLite database: {exc}") from None
    if version != DB_VERSION:
        conn.close()
        raise ConfigError(f"{path}: made by another version of summarizer: run batch again")
    return conn
