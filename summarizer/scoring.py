"""Scoring one Summary against one hand-label file: pure functions, no I/O.

`score_report(summary, labels, text)` returns a `ReportScore`; `aggregate(scores)` micro-averages
them. What counts as a match:

- metrics: value and unit agree once 亿/万 multipliers and full-width forms are normalised
  (4.01亿元 == 40100万元, ５.３％ == 5.3%), and the names agree (same canonical indicator, or
  character-bigram similarity of at least NAME_MIN_SIMILARITY);
- achievements, problems, plans: the predicted evidence span overlaps the label's quote (located
  in the report) or the texts are similar (character bigrams, Chinese needs no word splitting).

Matching is one-to-one and greedy by score, so a duplicate prediction can match at most once and
otherwise counts against precision.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Union

from pydantic import BaseModel, Field, computed_field

from .indicators import canonical_name
from .models import Achievement, LabelFile, LabelItem, LabelMetric, Metric, Plan, Problem, Summary
from .numbers import value_in_quote

__all__ = [
    "CATEGORY_KEYS",
    "ITEM_KEYS",
    "META_FIELDS",
    "NAME_MIN_SIMILARITY",
    "SPAN_MIN_OVERLAP",
    "TEXT_MIN_SIMILARITY",
    "EvalTotals",
    "MatchPair",
    "Ratio",
    "ReportScore",
    "Tally",
    "UnlocatedQuote",
    "aggregate",
    "bigram_similarity",
    "fold",
    "locate",
    "name_similarity",
    "quantity",
    "same_quantity",
    "score_report",
    "span_overlap",
]

# A predicted metric and a labelled one with equal value and unit are the same figure when their
# names share at least this much (Dice over character bigrams). Value+unit already carry most
# of the evidence, so the name only has to rule out a different indicator with the same figure:
# "规上工业产值" vs "规模以上工业总产值" scores 0.46, while unrelated indicators
# ("地区生产总值" vs "社会消费品零售总额") score 0.
NAME_MIN_SIMILARITY = 0.4

# Two evidence spans point at the same passage when at least half of the shorter one lies
# inside the other: a clause quoted from within a labelled sentence counts, a neighbouring
# sentence that merely touches it does not.
SPAN_MIN_OVERLAP = 0.5

# Without overlapping spans, a predicted item still matches a label when its title (or quote)
# shares half of its character bigrams with the label's text (or quote): paraphrases of the
# same point do, two different points from the same formulaic genre rarely reach this.
TEXT_MIN_SIMILARITY = 0.5

# Float tolerance when comparing normalised quantities (4.01 * 1e8 vs 40100 * 1e4).
_REL_TOL = 1e-9

CATEGORY_KEYS: tuple[str, ...] = ("metrics", "achievements", "problems", "plans")
ITEM_KEYS: tuple[str, ...] = ("achievements", "problems", "plans")
META_FIELDS: tuple[str, ...] = ("entity", "year", "kind")

Item = Union[Achievement, Problem, Plan]


# --- score records -----------------------------------------------------------------------------


class Tally(BaseModel):
    """Counts for one category; precision/recall/F1 follow from them (and appear in JSON)."""

    matched: int = 0
    predicted: int = 0
    labelled: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        if not self.predicted:  # nothing claimed: vacuously precise unless something was due
            return 0.0 if self.labelled else 1.0
        return self.matched / self.predicted

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        if not self.predicted and not self.labelled:
            return 1.0
        total = self.predicted + self.labelled
        return 2 * self.matched / total if total else 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            matched=self.matched + other.matched,
            predicted=self.predicted + other.predicted,
            labelled=self.labelled + other.labelled,
        )


class Ratio(BaseModel):
    """`hits` out of `total`; the rate is 1.0 when there is nothing to count."""

    hits: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(hits=self.hits + other.hits, total=self.total + other.total)


class MatchPair(BaseModel):
    label: int  # index into the label file's list
    pred: int  # index into the summary's list
    score: float


class ReportScore(BaseModel):
    report: str
    categories: dict[str, Tally]
    # Predicted metrics whose value is written in their own quote, at its offsets.
    faithfulness: Ratio
    # Predicted items (all kinds) whose evidence equals text[start:end].
    grounding: Ratio
    # Per labelled meta field: 1 hit when the summary agrees.
    meta: dict[str, Ratio]
    # Among matched metrics: change_pct, status and period agree with the label.
    metric_fields: dict[str, Ratio]
    matches: dict[str, list[MatchPair]] = Field(default_factory=dict)
    missed: dict[str, list[str]] = Field(default_factory=dict)
    extra: dict[str, list[str]] = Field(default_factory=dict)


class EvalTotals(BaseModel):
    """Micro-averages over reports: counts are summed, then rates computed."""

    reports: int
    categories: dict[str, Tally]
    faithfulness: Ratio
    grounding: Ratio
    meta: dict[str, Ratio]
    metric_fields: dict[str, Ratio]


# --- text and number normalisation ---------------------------------------------------------------

_DROP_CATEGORIES = ("P", "Z", "C")  # punctuation, separators, controls: no meaning for matching


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    # Keep the text's length so offsets survive: only one-to-one foldings (full-width ＡＢ１２％,
    # ideographic space) are applied; expansions such as ㎡ → m2 are left alone.
    return folded.lower() if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Full-width → half-width and lower case, character by character (length-preserving)."""
    return "".join(_fold_char(ch) for ch in text)


def _compact(text: str) -> str:
    """Folded text without punctuation and spaces: the form texts are compared in."""
    return "".join(
        ch for ch in fold(text) if not unicodedata.category(ch).startswith(_DROP_CATEGORIES)
    )


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient over character bigrams of the compacted texts (0..1)."""
    ga, gb = _bigrams(_compact(a)), _bigrams(_compact(b))
    total = sum(ga.values()) + sum(gb.values())
    if not total:
        return 0.0
    return 2 * sum((ga & gb).values()) / total


def name_similarity(
    label_name: str, pred_name: str, pred_canonical: str | None = None
) -> float:
    """1.0 for the same canonical indicator, else bigram similarity of the names."""
    label_canon = canonical_name(fold(label_name).strip()) or canonical_name(label_name)
    pred_canon = pred_canonical or canonical_name(fold(pred_name).strip())
    if label_canon and pred_canon and label_canon == pred_canon:
        return 1.0
    return bigram_similarity(label_name, pred_name)


# Multipliers written in front of a unit, longest first. 千 only before currencies: 千米, 千克,
# 千瓦 are units of their own.
_MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("万", 1e4),
)
_THOUSAND_BEFORE = re.compile(r"^千(?=元|美元|欧元|港元|日元)")


def quantity(value: float, unit: str) -> tuple[float, str]:
    """(value in base units, base unit): (4.01, "亿元") → (401000000.0, "元")."""
    base = _compact(unit)
    for prefix, factor in _MULTIPLIERS:
        if base.startswith(prefix):
            return value * factor, base[len(prefix) :]
    if _THOUSAND_BEFORE.match(base):
        return value * 1e3, base[1:]
    return value, base


def same_quantity(value_a: float, unit_a: str, value_b: float, unit_b: str) -> bool:
    qa, ua = quantity(value_a, unit_a)
    qb, ub = quantity(value_b, unit_b)
    return ua == ub and math.isclose(qa, qb, rel_tol=_REL_TOL, abs_tol=1e-12)


# --- locating label quotes -----------------------------------------------------------------------

Span = tuple[int, int]


def locate(quote: str, text: str) -> list[Span]:
    """Every (start, end) of `quote` in `text`: verbatim first, else ignoring spaces, line
    breaks and full-/half-width differences (labels copied from a viewer lose those)."""
    spans: list[Span] = []
    pos = text.find(quote)
    while pos != -1:
        spans.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    if spans:
        return spans
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    folded = "".join(_fold_char(text[i]) for i in index)
    needle = "".join(_fold_char(ch) for ch in quote if not ch.isspace())
    if not needle:
        return []
    pos = folded.find(needle)
    while pos != -1:
        spans.append((index[pos], index[pos + len(needle) - 1] + 1))
        pos = folded.find(needle, pos + 1)
    return spans


class UnlocatedQuote(ValueError):
    """A label quote that is not in the report text."""

    def __init__(self, key: str, index: int, quote: str) -> None:
        self.key, self.index, self.quote = key, index, quote
        super().__init__(f"{key}[{index}] quote not found in the report: {quote[:40]!r}")


def span_overlap(a: Span, b: Span) -> float:
    """Share of the shorter span that lies inside the other (0..1)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _iou(a: Span, b: Span) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


# --- matching ------------------------------------------------------------------------------------

# (score, tie-break, label index, pred index)
Candidate = tuple[float, float, int, int]


def _greedy(candidates: Iterable[Candidate]) -> list[MatchPair]:
    """One-to-one: best-scoring pairs first, each label and prediction used at most once."""
    used_labels: set[int] = set()
    used_preds: set[int] = set()
    pairs: list[MatchPair] = []
    for score, _tie, li, pi in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2], c[3])):
        if li in used_labels or pi in used_preds:
            continue
        used_labels.add(li)
        used_preds.add(pi)
        pairs.append(MatchPair(label=li, pred=pi, score=round(score, 4)))
    return sorted(pairs, key=lambda p: p.label)


def _metric_candidates(
    labels: Sequence[LabelMetric], label_spans: Sequence[list[Span]], preds: Sequence[Metric]
) -> list[Candidate]:
    out: list[Candidate] = []
    for li, lab in enumerate(labels):
        for pi, pred in enumerate(preds):
            if not same_quantity(lab.value, lab.unit, pred.value, pred.unit):
                continue
            name = name_similarity(lab.name, pred.name, pred.canonical_name)
            if name < NAME_MIN_SIMILARITY:
                continue
            # Where one figure is given twice, the prediction quoting the labelled place wins.
            pspan = (pred.evidence.start, pred.evidence.end)
            where = max((span_overlap(pspan, s) for s in label_spans[li]), default=0.0)
            out.append((name, where, li, pi))
    return out


def _item_candidates(
    labels: Sequence[LabelItem], label_spans: Sequence[list[Span]], preds: Sequence[Item]
) -> list[Candidate]:
    out: list[Candidate] = []
    for li, lab in enumerate(labels):
        for pi, pred in enumerate(preds):
            pspan = (pred.evidence.start, pred.evidence.end)
            span = max((span_overlap(pspan, s) for s in label_spans[li]), default=0.0)
            iou = max((_iou(pspan, s) for s in label_spans[li]), default=0.0)
            text = max(
                bigram_similarity(pred.title, lab.text),
                bigram_similarity(pred.evidence.quote, lab.quote),
            )
            if span >= SPAN_MIN_OVERLAP or text >= TEXT_MIN_SIMILARITY:
                out.append((max(span, text), iou, li, pi))
    return out


def _label_spans(key: str, labels: Sequence[LabelMetric | LabelItem], text: str) -> list[list[Span]]:
    spans = []
    for i, lab in enumerate(labels):
        found = locate(lab.quote, text)
        if not found:
            raise UnlocatedQuote(key, i, lab.quote)
        spans.append(found)
    return spans


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _metric_str(name: str, value: float, unit: str) -> str:
    return f"{name} {value:g}{unit}"


def _metric_fields(
    pairs: Sequence[MatchPair], labels: Sequence[LabelMetric], preds: Sequence[Metric]
) -> dict[str, Ratio]:
    fields = {"change_pct": Ratio(), "status": Ratio(), "period": Ratio()}
    for pair in pairs:
        lab, pred = labels[pair.label], preds[pair.pred]
        same_change = (lab.change_pct is None and pred.change_pct is None) or (
            lab.change_pct is not None
            and pred.change_pct is not None
            and math.isclose(lab.change_pct, pred.change_pct, abs_tol=1e-9)
        )
        checks = {
            "change_pct": same_change,
            "status": lab.status == pred.status,
            "period": _compact(lab.period or "") == _compact(pred.period or ""),
        }
        for key, ok in checks.items():
            fields[key] = fields[key] + Ratio(hits=int(ok), total=1)
    return fields


def _meta_scores(labels: LabelFile, summary: Summary) -> dict[str, Ratio]:
    out: dict[str, Ratio] = {}
    for key in META_FIELDS:
        expected = getattr(labels.meta, key)
        if expected is None:
            continue
        got = getattr(summary.report, key)
        ok = _compact(str(expected)) == _compact(str(got)) if got is not None else False
        out[key] = Ratio(hits=int(ok), total=1)
    return out


def _grounded(item: Achievement | Metric | Problem | Plan, text: str) -> bool:
    ev = item.evidence
    return 0 <= ev.start <= ev.end <= len(text) and text[ev.start : ev.end] == ev.quote


def score_report(summary: Summary, labels: LabelFile, text: str) -> ReportScore:
    """Score one summary of `text` against its labels. Raises UnlocatedQuote for a label quote
    that is not in the text (the labels are wrong, not the extraction)."""
    categories: dict[str, Tally] = {}
    matches: dict[str, list[MatchPair]] = {}
    missed: dict[str, list[str]] = {}
    extra: dict[str, list[str]] = {}

    label_metrics, pred_metrics = labels.metrics, summary.metrics
    spans = _label_spans("metrics", label_metrics, text)
    pairs = _greedy(_metric_candidates(label_metrics, spans, pred_metrics))
    matches["metrics"] = pairs
    categories["metrics"] = Tally(
        matched=len(pairs), predicted=len(pred_metrics), labelled=len(label_metrics)
    )
    hit_l, hit_p = {p.label for p in pairs}, {p.pred for p in pairs}
    missed["metrics"] = [
        _metric_str(m.name, m.value, m.unit)
        for i, m in enumerate(label_metrics)
        if i not in hit_l
    ]
    extra["metrics"] = [
        _metric_str(m.name, m.value, m.unit) for i, m in enumerate(pred_metrics) if i not in hit_p
    ]
    metric_fields = _metric_fields(pairs, label_metrics, pred_metrics)

    for key in ITEM_KEYS:
        label_items: list[LabelItem] = getattr(labels, key)
        pred_items: list[Item] = getattr(summary, key)
        spans = _label_spans(key, label_items, text)
        pairs = _greedy(_item_candidates(label_items, spans, pred_items))
        matches[key] = pairs
        categories[key] = Tally(
            matched=len(pairs), predicted=len(pred_items), labelled=len(label_items)
        )
        hit_l, hit_p = {p.label for p in pairs}, {p.pred for p in pairs}
        missed[key] = [_short(it.text or it.quote) for i, it in enumerate(label_items) if i not in hit_l]
        extra[key] = [_short(it.title) for i, it in enumerate(pred_items) if i not in hit_p]

    faithful = sum(
        1 for m in pred_metrics if _grounded(m, text) and value_in_quote(m.value, m.evidence.quote)
    )
    every = [it for key in CATEGORY_KEYS for it in getattr(summary, key)]
    return ReportScore(
        report=labels.report,
        categories=categories,
        faithfulness=Ratio(hits=faithful, total=len(pred_metrics)),
        grounding=Ratio(hits=sum(1 for it in every if _grounded(it, text)), total=len(every)),
        meta=_meta_scores(labels, summary),
        metric_fields=metric_fields,
        matches=matches,
        missed=missed,
        extra=extra,
    )


def _sum_ratios(dicts: Iterable[dict[str, Ratio]], keys: Iterable[str]) -> dict[str, Ratio]:
    out = {k: Ratio() for k in keys}
    for d in dicts:
        for k, r in d.items():
            out[k] = out.get(k, Ratio()) + r
    return out


def aggregate(scores: Sequence[ReportScore]) -> EvalTotals:
    """Micro-average: sum the counts of every report, then compute the rates."""
    categories = {k: Tally() for k in CATEGORY_KEYS}
    faithfulness, grounding = Ratio(), Ratio()
    for s in scores:
        for k, t in s.categories.items():
            categories[k] = categories.get(k, Tally()) + t
        faithfulness = faithfulness + s.faithfulness
        grounding = grounding + s.grounding
    return EvalTotals(
        reports=len(scores),
        categories=categories,
        faithfulness=faithfulness,
        grounding=grounding,
        meta=_sum_ratios((s.meta for s in scores), META_FIELDS),
        metric_fields=_sum_ratios((s.metric_fields for s in scores), ("change_pct", "status", "period")),
    )
