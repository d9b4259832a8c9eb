"""The tables of `summaries.sqlite`, each column described in Chinese and English (the
descriptions feed Datasette's metadata and the README), its indexes, full-text tables and the
`panel` view.

One home for the layout: the writer (`database.py`) creates what is declared here, and
`explore.py` describes it. `DB_VERSION` is stored as `PRAGMA user_version`; a database of
another version is rebuilt from the reports, since every row can be made again.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DB_VERSION",
    "FTS_TABLES",
    "ITEM_TABLES",
    "PANEL_VIEW_SQL",
    "STATE_TABLE",
    "TABLES",
    "Column",
    "Table",
]

DB_VERSION = 2
# Steps that run after the reports (tracking) and what they last ran on: see store.py.
STATE_TABLE = "batch_state"


@dataclass(frozen=True)
class Column:
    name: str
    type: type  # str, int or float: what sqlite-utils maps to TEXT, INTEGER, REAL
    zh: str
    en: str


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def description(self) -> str:
        return f"{self.zh} / {self.en}"


def _c(name: str, kind: type, zh: str, en: str) -> Column:
    return Column(name, kind, zh, en)


_EVIDENCE = (
    _c("quote", str, "原文引文（逐字）", "the text it stands in, verbatim"),
    _c("start", int, "引文在报告文本中的起点", "where the quote starts in the report's text"),
    _c(
        "end",
        int,
        "引文终点（text[start:end] == quote）",
        "where it ends: text[start:end] == quote",
    ),
    _c(
        "anchor",
        str,
        "原文标注页中的锚点（<id>.source.html#anchor）",
        "its anchor in <id>.source.html",
    ),
)
_ITEM_HEAD = (
    _c("id", int, "行号", "row id"),
    _c("report_id", str, "所属报告", "the report it comes from"),
    _c(
        "seq",
        int,
        "在报告 JSON 列表中的序号（从 0 起）",
        "its place in the report's JSON list, from 0",
    ),
    _c("item_id", str, "JSON 中的条目 id（可为空）", "the item's id in the JSON (may be empty)"),
)
_TITLE = (
    _c("title", str, "标题", "title"),
    _c("detail", str, "详情", "detail"),
)

REPORTS = Table(
    "reports",
    "报告：每份报告一行，含其摘要的完整 JSON",
    "reports: one row per report, with its summary's whole JSON",
    (
        _c("id", str, "报告 id（文件名去掉扩展名）", "report id: the file name without extension"),
        _c("file_name", str, "报告文件名", "the report's file name"),
        _c(
            "source",
            str,
            "报告文件路径（运行时给出的形式）",
            "the report's path, as the run named it",
        ),
        _c("entity", str, "报告主体：广东省、新闸街道", "who reports: 广东省, 新闸街道"),
        _c("level", str, "行政级别", "administrative level: national … township, park"),
        _c("year", int, "报告回顾的年份", "the year the report reviews"),
        _c("period", str, "报告期（原文）", "the report's period as written"),
        _c("kind", str, "报告类型：annual、half_year、multi_year、other", "annual | half_year | …"),
        _c("chars", int, "报告文本字符数", "characters in the report's text"),
        _c(
            "sha256",
            str,
            "报告文本（UTF-8）的 SHA-256，同 JSON",
            "SHA-256 of the text, as in the JSON",
        ),
        _c(
            "file_sha256",
            str,
            "报告文件字节的 SHA-256：增量运行据此判断是否改动",
            "SHA-256 of the file's bytes: what a re-run compares",
        ),
        _c("schema_version", str, "JSON 的 schema 版本", "the JSON's schema version"),
        _c("backend", str, "提取后端：rules 或 openai", "extraction backend: rules or openai"),
        _c("model", str, "模型（openai 后端）", "model (openai backend)"),
        _c("prompt_version", str, "提示词版本", "prompt version"),
        _c(
            "settings",
            str,
            "产生该摘要的设置（JSON）：后端、模型、提示词与 schema 版本、分块大小、代码版本",
            "the settings that made it (JSON): backend, model, prompt and schema "
            "versions, chunk size, code version",
        ),
        _c(
            "settings_hash",
            str,
            "settings 与该报告 --meta 行的哈希",
            "hash of settings and its --meta row",
        ),
        _c("created", str, "摘要生成时间（ISO）", "when the summary was made (ISO)"),
        _c("n_metrics", int, "指标数", "number of metrics"),
        _c("n_achievements", int, "成绩数", "number of achievements"),
        _c("n_problems", int, "问题数", "number of problems"),
        _c("n_plans", int, "计划数", "number of plans"),
        _c(
            "summary",
            str,
            "摘要的完整 JSON（与 <id>.json 相同）",
            "the whole summary JSON (= <id>.json)",
        ),
    ),
    indexes=(("entity", "year"), ("year",), ("level",)),
)
METRICS = Table(
    "metrics",
    "指标：每份报告的每个数字一行（同 metrics.csv）",
    "metrics: one row per figure of every report (as metrics.csv)",
    (
        *_ITEM_HEAD,
        _c("name", str, "指标名（原文）", "the indicator as the report writes it"),
        _c(
            "canonical_name",
            str,
            "规范指标名（指标表）",
            "the indicator's name in the indicator table",
        ),
        _c(
            "measure",
            str,
            "level（水平）或 change（增减）",
            "level (4.01亿元) or change (增长5.3%)",
        ),
        _c("value", float, "数值（原文所写）", "the number as written"),
        _c("unit", str, "单位（原文所写）", "unit as written: 亿元, %, 个百分点 …"),
        _c(
            "bound",
            str,
            "about 左右、at_least 以上、at_most 以内、range 区间",
            "about | at_least | …",
        ),
        _c("low", float, "区间下限", "a range's low end"),
        _c("high", float, "区间上限", "a range's high end"),
        _c("change_pct", float, "带符号的百分比变化", "the signed % change"),
        _c("direction", str, "增减方向：up、down", "up or down for a change"),
        _c("status", str, "actual 实际、forecast 预计、target 目标", "actual | forecast | target"),
        _c(
            "span",
            str,
            "覆盖时段：year、half_year、quarter、months、multi_year",
            "the time it covers",
        ),
        _c("reference_year", int, "数字所指年份", "the year the figure describes"),
        _c("period", str, "时期（原文）", "the period as written"),
        *_EVIDENCE,
    ),
    indexes=(
        ("report_id",),
        ("canonical_name", "measure", "status", "reference_year"),
        ("name",),
    ),
    unique=(("report_id", "seq"),),
)
ACHIEVEMENTS = Table(
    "achievements",
    "成绩",
    "achievements",
    (
        *_ITEM_HEAD,
        *_TITLE,
        _c(
            "category",
            str,
            "领域：economy、innovation、urban …",
            "work area: economy, innovation …",
        ),
        *_EVIDENCE,
    ),
    indexes=(("report_id",), ("category",)),
    unique=(("report_id", "seq"),),
)
PROBLEMS = Table(
    "problems",
    "问题",
    "problems",
    (*_ITEM_HEAD, *_TITLE, *_EVIDENCE),
    indexes=(("report_id",), ("title",)),
    unique=(("report_id", "seq"),),
)
PLANS = Table(
    "plans",
    "计划",
    "plans",
    (
        *_ITEM_HEAD,
        *_TITLE,
        _c(
            "horizon",
            str,
            "期限：next_year、second_half、multi_year …",
            "next_year | second_half | …",
        ),
        *_EVIDENCE,
    ),
    indexes=(("report_id",), ("horizon",)),
    unique=(("report_id", "seq"),),
)

TABLES: tuple[Table, ...] = (REPORTS, METRICS, ACHIEVEMENTS, PROBLEMS, PLANS)
# The tables of one report's items, by the name of their list in the JSON.
ITEM_TABLES = {t.name: t for t in (METRICS, ACHIEVEMENTS, PROBLEMS, PLANS)}
# Full-text tables: <table>_fts, one row per item (its rowid is the item's id) over these
# columns in their search form (summarizer.corpus.rows.search_form).
FTS_TABLES = {
    "metrics": ("name", "canonical_name", "quote"),
    "achievements": ("title", "detail", "quote"),
    "problems": ("title", "detail", "quote"),
    "plans": ("title", "detail", "quote"),
}

# panel.csv in SQL (summarizer/render/tables.py has the rules): one row per entity × year (the
# figure's reference year) × canonical indicator × measure × status; among the figures sharing a
# key, the whole year's before a stock, a part of a year or five years; a % change before one in
# other units; then the first report in file-name order (a batch's order), the first in its text.
PANEL_VIEW_SQL = """
WITH ranked AS (
  SELECT
    coalesce(r.entity, r.id) AS entity_key,
    r.entity, m.reference_year AS year, m.canonical_name, m.measure, m.status,
    m.value, m.unit, m.bound, m.low, m.high, m.change_pct, m.direction, m.span, m.period,
    m.name, m.quote, r.level, r.id AS report_id, r.year AS report_year, m.start, m."end",
    m.anchor,
    count(*) OVER key AS figures,
    row_number() OVER (
      key ORDER BY
        CASE m.span WHEN 'year' THEN 0 WHEN 'half_year' THEN 2 WHEN 'quarter' THEN 2
          WHEN 'months' THEN 2 WHEN 'multi_year' THEN 3 ELSE 1 END,
        m.measure = 'change' AND m.change_pct IS NULL,
        r.file_name, m.start
    ) AS pick
  FROM metrics AS m JOIN reports AS r ON r.id = m.report_id
  WHERE m.canonical_name IS NOT NULL AND m.canonical_name != ''
  WINDOW key AS (
    PARTITION BY coalesce(r.entity, r.id), m.reference_year, m.canonical_name, m.measure,
      m.status
  )
)
SELECT entity, year, canonical_name, measure, status, value, unit, bound, low, high,
  change_pct, direction, span, period, name, quote, level, report_id, report_year, start,
  "end", anchor, figures
FROM ranked WHERE pick = 1
ORDER BY entity_key, coalesce(year, 0), canonical_name, measure,
  CASE status WHEN 'actual' THEN 0 WHEN 'forecast' THEN 1 WHEN 'target' THEN 2 ELSE 3 END
"""

PANEL_DESCRIPTION = (
    "面板：每个主体 × 年份 × 规范指标 × 口径 × 状态一行（同 panel.csv；year 为数字所指年份）",
    "panel: one row per entity × year × indicator × measure × status "
    "(as panel.csv; year is the year the figure describes)",
)
