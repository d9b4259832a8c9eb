"""A summary as database rows: one for `reports`, one per item for the item tables, and the
search form of text that the full-text tables index.

Chinese has no spaces, and SQLite's stock FTS5 tokenizers cannot find a word inside a run of
Han characters (unicode61 takes the whole run for one token; trigram needs three characters,
and 债务, 就业, 养老 have two). So the full-text tables index each character as a token: the
search form of a text is its characters with a space between each, and a query is the phrase
of its characters ("债 务"), which matches them next to each other, at any length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarizer.models import Achievement, Metric, Plan, Problem, Summary
from summarizer.render.format import KIND_PREFIX, anchor_id
from summarizer.render.versions import as_version_2

__all__ = ["Row", "fts_phrase", "item_rows", "report_row", "search_form"]

Row = dict[str, Any]
Item = Achievement | Metric | Problem | Plan

# The JSON list of each item table, and the kind its anchors are named by (source view).
_KINDS = {
    "metrics": "metric",
    "achievements": "achievement",
    "problems": "problem",
    "plans": "plan",
}


def search_form(text: str | None) -> str:
    """`text` as the full-text tables index it: every character a token."""
    return " ".join(text) if text else ""


def fts_phrase(query: str) -> str:
    """An FTS5 query matching `query`'s characters next to each other (spaces in it ignored)."""
    chars = [c for c in query if not c.isspace()]
    return '"' + " ".join(chars).replace('"', '""') + '"'


def report_row(
    summary: Summary, *, file_name: str, file_sha256: str, settings: str, settings_hash: str
) -> Row:
    r, run = summary.report, summary.run
    return {
        "id": r.id,
        "file_name": file_name,
        "source": r.source,
        "entity": r.entity,
        "level": r.level,
        "year": r.year,
        "period": r.period,
        "kind": r.kind,
        "chars": r.chars,
        "sha256": r.sha256,
        "file_sha256": file_sha256,
        "schema_version": summary.schema_version,
        "backend": run.backend,
        "model": run.model,
        "prompt_version": run.prompt_version,
        "settings": settings,
        "settings_hash": settings_hash,
        "created": run.created,
        "n_metrics": len(summary.metrics),
        "n_achievements": len(summary.achievements),
        "n_problems": len(summary.problems),
        "n_plans": len(summary.plans),
        "summary": summary.model_dump_json(),
    }


def _item_row(report_id: str, seq: int, kind: str, item: Item) -> Row:
    ev = item.evidence
    row: Row = {"report_id": report_id, "seq": seq, "item_id": item.id}
    fields = item.model_dump(exclude={"id", "evidence"})
    row.update(fields)
    row.update(
        quote=ev.quote,
        start=ev.start,
        end=ev.end,
        anchor=anchor_id(KIND_PREFIX[kind], seq, item.id),
    )
    return row


def item_rows(summary: Summary) -> dict[str, list[Row]]:
    """Rows of each item table, in the JSON's order; metrics in schema version 2's form."""
    summary = as_version_2(summary)
    lists: dict[str, Sequence[Item]] = {
        "metrics": summary.metrics,
        "achievements": summary.achievements,
        "problems": summary.problems,
        "plans": summary.plans,
    }
    rid = summary.report.id
    return {
        table: [_item_row(rid, seq, _KINDS[table], item) for seq, item in enumerate(items)]
        for table, items in lists.items()
    }
