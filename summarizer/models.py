"""Pydantic models: the single source of truth for the output (schema_version "2") and labels.

`schemas/*.json` is generated from these models (`python -m summarizer.schemas`), and a test
fails when the files drift.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CATEGORIES",
    "SCHEMA_VERSION",
    "Achievement",
    "Bound",
    "Category",
    "Direction",
    "Evidence",
    "Horizon",
    "Kind",
    "LabelFile",
    "LabelItem",
    "LabelMeta",
    "LabelMetric",
    "Level",
    "Measure",
    "Metric",
    "Plan",
    "Problem",
    "ReportMeta",
    "RunInfo",
    "Span",
    "Status",
    "Summary",
]

SCHEMA_VERSION = "2"

Kind = Literal["annual", "half_year", "multi_year", "other"]
Status = Literal["actual", "forecast", "target"]
Horizon = Literal["next_year", "second_half", "multi_year", "unspecified"]
# Schema version 2's figure fields (SPEC): what a figure measures and how exact it is.
Measure = Literal["level", "change"]
Direction = Literal["up", "down"]
Bound = Literal["about", "at_least", "at_most", "range"]
Span = Literal["year", "half_year", "quarter", "months", "multi_year"]
Level = Literal["national", "province", "city", "county", "township", "park"]
Category = Literal[
    "economy",  # 经济运行、项目投资、招商、财税
    "innovation",  # 科技创新、人才、转型升级
    "urban",  # 城乡建设、基础设施、拆迁、乡村振兴
    "environment",  # 生态环境、污染治理
    "livelihood",  # 民生、就业、教育、医疗、社保、文化
    "governance",  # 社会治理、平安建设、安全生产、疫情防控
    "party",  # 党建、作风、廉政、队伍
    "other",
]
CATEGORIES: tuple[str, ...] = get_args(Category)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """Where an item comes from: `text[start:end] == quote` in the decoded report."""

    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Achievement(_Model):
    id: str = ""
    title: str = Field(min_length=1)
    detail: str = ""
    category: Category = "other"
    evidence: Evidence


class Metric(_Model):
    id: str = ""
    name: str = Field(min_length=1, description="indicator name as written in the report")
    canonical_name: str | None = Field(
        default=None, description="common name shared across reports (一般公共预算收入 …)"
    )
    value: float = Field(description="the number as written in the quote")
    unit: str = Field(min_length=1, description="unit as written: 亿元, 万元, %, 个 …")
    period: str | None = Field(default=None, description="全年, 1-10月, 上半年, 十三五期间 …")
    status: Status = "actual"
    change_pct: float | None = Field(
        default=None,
        description="signed % change: stated beside a level, or the change figure itself",
    )
    evidence: Evidence
    # Version 2: what the figure measures, how exact it is, and for which year (SPEC).
    measure: Measure = Field(default="level", description="level | change (增长5.3%)")
    direction: Direction | None = Field(default=None, description="a change's up | down")
    bound: Bound | None = Field(default=None, description="about | at_least | at_most | range")
    low: float | None = Field(default=None, description="a range's low end (= value)")
    high: float | None = Field(default=None, description="a range's high end")
    span: Span | None = Field(default=None, description="the stretch of time it covers")
    reference_year: int | None = Field(default=None, description="the year it describes")


class Problem(_Model):
    id: str = ""
    title: str = Field(min_length=1)
    detail: str = ""
    evidence: Evidence


class Plan(_Model):
    id: str = ""
    title: str = Field(min_length=1)
    detail: str = ""
    horizon: Horizon = "unspecified"
    evidence: Evidence


class ReportMeta(_Model):
    id: str
    source: str
    entity: str | None = None
    year: int | None = None
    period: str | None = None
    kind: Kind = "other"
    level: Level | None = Field(default=None, description="the entity's administrative level")
    chars: int
    sha256: str


class RunInfo(_Model):
    backend: str
    model: str | None = None
    mode: str | None = None
    prompt_version: str
    chunks: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    items_dropped: int = 0
    batches: list[str] = Field(
        default_factory=list, description="ids of the Batch API batches that answered (--batch-api)"
    )
    seconds: float = 0.0
    created: str | None = Field(default=None, description="ISO time the summary was made")


class Summary(_Model):
    # "1" still reads: the project's own older outputs (the new fields take their defaults).
    schema_version: Literal["1", "2"] = "2"
    report: ReportMeta
    achievements: list[Achievement] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    run: RunInfo


# --- hand labels (evals/labels/<report_id>.json) ---------------------------------------------


class LabelMeta(_Model):
    entity: str | None = None
    year: int | None = None
    kind: Kind | None = None


class LabelMetric(_Model):
    name: str
    value: float
    unit: str
    period: str | None = None
    status: Status = "actual"
    change_pct: float | None = None
    quote: str = Field(min_length=1)
    # Optional version-2 fields; the eval scores each one only where a label sets it.
    measure: Measure | None = None
    direction: Direction | None = None
    bound: Bound | None = None
    low: float | None = None
    high: float | None = None
    span: Span | None = None
    reference_year: int | None = None


class LabelItem(_Model):
    text: str
    quote: str = Field(min_length=1)


class LabelFile(_Model):
    report: str
    meta: LabelMeta = Field(default_factory=LabelMeta)
    metrics: list[LabelMetric] = Field(default_factory=list)
    achievements: list[LabelItem] = Field(default_factory=list)
    problems: list[LabelItem] = Field(default_factory=list)
    plans: list[LabelItem] = Field(default_factory=list)
