"""`summarizer explore OUT`: the batch database in Datasette (optional: summarizer[explore]).

Datasette gets metadata made from the schema's descriptions (Chinese / English) and canned
queries: headline indicators by entity and year, the most-cited problems, a full-text search,
and the targets missed once a `tracking` table is there.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from summarizer.corpus.database import DB_NAME, open_readonly
from summarizer.corpus.schema import FTS_TABLES, PANEL_DESCRIPTION, STATE_TABLE, TABLES
from summarizer.errors import ConfigError

__all__ = ["INSTALL_HINT", "canned_queries", "datasette_metadata", "headline_names", "serve"]

INSTALL_HINT = "datasette is not installed: pip install 'summarizer[explore]'"
DATABASE = Path(DB_NAME).stem  # Datasette names a database by its file's stem


def headline_names() -> list[str]:
    """The canonical names of the briefing's core headline indicators (GDP … income)."""
    from summarizer.lexicon.indicators import indicators
    from summarizer.render.format import CORE_HEADLINES, headline_rank

    return [
        i.name
        for i in indicators()
        # an intensity per unit of GDP (单位地区生产总值能耗) is not the GDP
        if headline_rank(i.name) < CORE_HEADLINES and not i.name.startswith("单位")
    ]


def _sql_list(names: list[str]) -> str:
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


# A query's characters as an FTS5 phrase, in SQL (rows.fts_phrase in Python), so that the
# search box of Datasette finds 债务 as `summarizer search` does.
_PHRASE_CTE = """WITH RECURSIVE chars(i, c) AS (
  SELECT 1, substr(:q, 1, 1)
  UNION ALL SELECT i + 1, substr(:q, i + 1, 1) FROM chars WHERE i < length(:q)
),
phrase(p) AS (
  SELECT '"' || replace(group_concat(c, ' '), '"', '""') || '"'
  FROM (SELECT c FROM chars WHERE trim(c) != '' ORDER BY i)
)
"""


def _search_sql() -> str:
    parts = [
        f"SELECT '{table}' AS category, r.entity, r.year, i.title, i.quote, "
        f"r.id AS report_id, r.id || '.source.html#' || i.anchor AS source_view "
        f"FROM [{table}_fts] AS f JOIN [{table}] AS i ON i.id = f.rowid "
        f"JOIN reports AS r ON r.id = i.report_id "
        f"WHERE [{table}_fts] MATCH (SELECT p FROM phrase)"
        for table in ("problems", "plans", "achievements")
    ]
    return _PHRASE_CTE + "\nUNION ALL\n".join(parts) + "\nORDER BY report_id, category"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]


def canned_queries(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    queries: dict[str, dict[str, Any]] = {
        "headline_indicators": {
            "title": "主要指标（按主体与年份） / Headline indicators by entity and year",
            "description": "panel 中的实际数 / the actual figures of the panel",
            "sql": (
                "SELECT entity, year, canonical_name, measure, value, unit, change_pct, span, "
                "quote, report_id FROM panel WHERE status = 'actual' AND canonical_name IN ("
                + _sql_list(headline_names())
                + ") ORDER BY entity, year, canonical_name, measure"
            ),
        },
        "most_cited_problems": {
            "title": "最常提到的问题 / Most-cited problems",
            "description": "同一问题标题出现在多少份报告、多少个主体 / "
            "how many reports and entities name the same problem",
            "sql": (
                "SELECT replace(p.title, ' ', '') AS problem, "
                "count(DISTINCT p.report_id) AS reports, "
                "count(DISTINCT coalesce(r.entity, r.id)) AS entities, "
                "group_concat(DISTINCT coalesce(r.entity, r.id)) AS who "
                "FROM problems AS p JOIN reports AS r ON r.id = p.report_id "
                "GROUP BY 1 ORDER BY reports DESC, entities DESC, problem LIMIT 200"
            ),
        },
        "search": {
            "title": "全文检索（问题、计划、成绩） / Full-text search",
            "description": "如 债务、就业 / e.g. 债务, 就业",
            "sql": _search_sql(),
            "hide_sql": True,  # the phrase-building SQL would push the results off the page
        },
    }
    tracking = _columns(conn, "tracking")
    if "verdict" in tracking:  # written by `summarizer track`, when it has run
        order = [c for c in ("entity", "year", "indicator") if c in tracking]
        queries["targets_missed"] = {
            "title": "未完成的目标 / Targets missed",
            "description": "tracking 中判定为 missed 的目标 / targets whose verdict is missed",
            "sql": "SELECT * FROM tracking WHERE verdict = 'missed'"
            + (f" ORDER BY {', '.join(order)}" if order else ""),
        }
    return queries


def _table_metadata() -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in TABLES:
        tables[table.name] = {
            "description": table.description,
            "columns": {c.name: f"{c.zh} / {c.en}" for c in table.columns},
        }
    tables["reports"]["label_column"] = "entity"
    described = {
        c.name: f"{c.zh} / {c.en}" for t in TABLES if t.name != "reports" for c in t.columns
    }
    tables["panel"] = {
        "description": " / ".join(PANEL_DESCRIPTION),
        "columns": described
        | {
            "year": "数字所指年份 / the year the figure describes",
            "report_year": "报告回顾的年份 / the year the report reviews",
            "figures": "同一键下的数字个数 / figures sharing the key",
            "entity": "报告主体 / who reports",
            "level": "行政级别 / administrative level",
        },
    }
    for name in FTS_TABLES:
        tables[f"{name}_fts"] = {"hidden": True}
    tables[STATE_TABLE] = {"hidden": True}
    return tables


def datasette_metadata(outdir: Path) -> dict[str, Any]:
    """Datasette's metadata for OUTDIR's database."""
    conn = open_readonly(outdir)
    try:
        queries = canned_queries(conn)
        has_tracking = bool(_columns(conn, "tracking"))
    finally:
        conn.close()
    tables = _table_metadata()
    if has_tracking:
        tables["tracking"] = {"description": "目标与实际 / targets against actuals"}
    return {
        "title": "summarizer：报告语料库 / the corpus of summaries",
        "description": (
            "每份报告的成绩、指标、问题、计划，均带原文引文 / every report's achievements, "
            "metrics, problems and plans, each with its verbatim quote"
        ),
        "databases": {DATABASE: {"tables": tables, "queries": queries}},
    }


def serve(
    outdir: Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> None:
    """Run Datasette on OUT's database until interrupted."""
    try:
        from datasette import cli as datasette_cli
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    described = datasette_metadata(outdir)  # also fails at once on a missing database
    with tempfile.TemporaryDirectory(prefix="summarizer-explore-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(described, ensure_ascii=False), "utf-8")
        args = [
            "serve",
            str(outdir / DB_NAME),
            "--metadata",
            str(metadata),
            "-h",
            host,
            "-p",
            str(port),
        ]
        if open_browser:
            args.append("--open")
        datasette_cli.cli.main(args, prog_name="datasette", standalone_mode=False)
