"""Scoring one Summary against one hand-label file: pure functions, no I/O.

`score_report(summary, labels, text)` returns a `ReportScore`; `aggregate(scores)` micro-averages
them. What counts as a match:

- metrics: value and unit agree once 亿/万 multipliers and full-width forms are normalised
  (4.01亿元 == 40100万元, ５.３％ == 5.3%), and the names agree (same canonical indicator, or
  character-bigram similarity of at least NAME_MIN_SIMILARITY);
- achievements, problems, plans: the predicted evidence span overlaps the label's quote (located
  in the report), or the texts are similar or one holds nearly all of the other (character
  bigrams: Chinese needs no word splitting); for achievements also when one of the two quotes
  is the lead sentence of the paragraph holding the other (the same review item).

Matching is one-to-one and greedy by score, so a duplicate prediction can match at most once and
otherwise counts against precision. Among the matched metrics, `named` counts those whose
prediction has a canonical name (the indicator table covers the headline figures).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field, computed_field

from summarizer.evaluate.similarity import (
    Span,
    bigram_containment,
    bigram_similarity,
    compact,
    iou,
    locate,
    name_similarity,
    paragraph_of,
    same_quantity,
    span_overlap,
)
from summarizer.lexicon.numbers import value_in_quote
from summarizer.models import (
    Achievement,
    LabelFile,
    LabelItem,
    LabelMetric,
    Metric,
    Plan,
    Problem,
    Summary,
)

__all__ = [
    "CATEGORY_KEYS",
    "FIGURE_FIELDS",
    "ITEM_KEYS",
    "META_FIELDS",
    "METRIC_FIELDS",
    "NAME_MIN_SIMILARITY",
    "SAME_ITEM_SCORE",
    "SPAN_MIN_OVERLAP",
    "STRETCH_KEYS",
    "TEXT_MIN_CONTAINMENT",
    "TEXT_MIN_SIMILARITY",
    "EvalTotals",
    "MatchPair",
    "Ratio",
    "ReportScore",
    "Tally",
    "UnlocatedQuote",
    "aggregate",
    "score_report",
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

# … or when one text is nearly all inside the other: a heading-style title ("重点项目有序推进")
# against a label that adds the key figure ("重点项目有序推进：17个重点项目已开工14个") has a
# low Dice score but is the same item. Only texts of 7+ characters count (see
# bigram_containment): a two-word phrase is inside too many labels.
TEXT_MIN_CONTAINMENT = 0.8

# The labelling guide lets an achievement's quote be the review item's lead ("一是重点项目有序推
# 进。") or the sentence with its key figure, and an extractor may quote yet another sentence of
# the item. Several items often share one paragraph ("…。二是重大项目扎实有序推进。…。三是…").
# So for achievements a prediction also matches a label whose quote lies in the prediction's
# stretch of text: from where it starts (its quote, or its title where the paragraph writes it)
# to where the next prediction of the paragraph starts; or whose quote its detail contains.
# Such a pair scores below every direct match, which greedy assignment takes first.
STRETCH_KEYS: tuple[str, ...] = ("achievements",)
# A stretch also ends where the text numbers its next item (二是 / （二） / 二、 / 2.) after a
# sentence end: a prediction does not own the unpredicted items that follow it.
_ITEM_MARKER = re.compile(
    r"(?<=[。；！？!?;])\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)]"
    r"|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d))"
)
SAME_ITEM_SCORE = 0.3

CATEGORY_KEYS: tuple[str, ...] = ("metrics", "achievements", "problems", "plans")
ITEM_KEYS: tuple[str, ...] = ("achievements", "problems", "plans")
META_FIELDS: tuple[str, ...] = ("entity", "year", "kind")

Item = Achievement | Problem | Plan


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
    # Among matched metrics (the labelled headline figures found): the prediction has a
    # canonical name, so a table of many reports lines it up with the others.
    named: Ratio = Field(default_factory=Ratio)
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
    named: Ratio = Field(default_factory=Ratio)  # absent from runs recorded before it existed


# --- label quotes ----------------------------------------------------------------------------


class UnlocatedQuote(ValueError):
    """A label quote that is not in the report text."""

    def __init__(self, key: str, index: int, quote: str) -> None:
        self.key, self.index, self.quote = key, index, quote
        super().__init__(f"{key}[{index}] quote not found in the report: {quote[:40]!r}")


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


def _stretches(text: str, preds: Sequence[Item]) -> list[Span]:
    """Per prediction, the text it reports on: from its title as written (when the paragraph
    writes it just before or at the quote) or its quote, to the next prediction's start in the
    same paragraph, else the paragraph's end."""
    starts: list[tuple[int, Span]] = []
    for pred in preds:
        ev = pred.evidence
        para = paragraph_of(text, (ev.start, ev.end))
        start = ev.start
        title = pred.title.strip()
        if len(title) >= 4:
            written = text.rfind(title, para[0], ev.start + len(title))
            if written >= 0:
                start = min(start, written)
        starts.append((start, para))
    out: list[Span] = []
    for pred, (start, para) in zip(preds, starts, strict=True):
        later = [s for s, p in starts if p == para and s > start]
        marker = _ITEM_MARKER.search(text, start + 1, para[1])
        if marker:
            later.append(marker.start())
        end = min(later) if later else para[1]
        out.append((start, max(end, pred.evidence.end)))
    return out


def _item_candidates(
    labels: Sequence[LabelItem],
    label_spans: Sequence[list[Span]],
    preds: Sequence[Item],
    text: str,
    *,
    by_stretch: bool,
) -> list[Candidate]:
    out: list[Candidate] = []
    stretches = _stretches(text, preds) if by_stretch else None
    for li, lab in enumerate(labels):
        for pi, pred in enumerate(preds):
            pspan = (pred.evidence.start, pred.evidence.end)
            span = max((span_overlap(pspan, s) for s in label_spans[li]), default=0.0)
            closeness = max((iou(pspan, s) for s in label_spans[li]), default=0.0)
            similar = max(
                bigram_similarity(pred.title, lab.text),
                bigram_similarity(pred.evidence.quote, lab.quote),
            )
            inside = max(
                bigram_containment(pred.title, lab.text),
                bigram_containment(pred.evidence.quote, lab.quote),
            )
            if (
                span >= SPAN_MIN_OVERLAP
                or similar >= TEXT_MIN_SIMILARITY
                or inside >= TEXT_MIN_CONTAINMENT
            ):
                out.append((max(span, similar, inside), closeness, li, pi))
            elif stretches is not None and (
                any(span_overlap(stretches[pi], s) >= SPAN_MIN_OVERLAP for s in label_spans[li])
                or bigram_containment(pred.detail, lab.quote) >= TEXT_MIN_CONTAINMENT
            ):
                out.append((SAME_ITEM_SCORE, closeness, li, pi))
    return out


def _label_spans(
    key: str, labels: Sequence[LabelMetric | LabelItem], text: str
) -> list[list[Span]]:
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


# Fields of a matched metric compared with its label. The version-2 fields are scored only on
# labels that carry them (a label with `measure` set); v1 labels score the first three.
METRIC_FIELDS: tuple[str, ...] = ("change_pct", "status", "period")
FIGURE_FIELDS: tuple[str, ...] = ("measure", "direction", "bound", "span", "reference_year")


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, abs_tol=1e-9)


def _predicted_change(lab: LabelMetric, pred: Metric) -> float | None:
    """The prediction's change in the label's terms: a version-1 label gives a rate-only figure
    (增长5.3%) no change_pct; version 2 gives it the signed figure."""
    if lab.measure is None and pred.measure == "change":
        return None
    return pred.change_pct


def _figure_checks(lab: LabelMetric, pred: Metric) -> dict[str, bool]:
    same_range = _same_number(lab.low, pred.low) and _same_number(lab.high, pred.high)
    return {
        "measure": lab.measure == pred.measure,
        "direction": lab.direction == pred.direction,
        "bound": lab.bound == pred.bound and same_range,
        "span": lab.span == pred.span,
        "reference_year": lab.reference_year == pred.reference_year,
    }


def _metric_fields(
    pairs: Sequence[MatchPair], labels: Sequence[LabelMetric], preds: Sequence[Metric]
) -> dict[str, Ratio]:
    fields = {key: Ratio() for key in (*METRIC_FIELDS, *FIGURE_FIELDS)}
    for pair in pairs:
        lab, pred = labels[pair.label], preds[pair.pred]
        checks = {
            "change_pct": _same_number(lab.change_pct, _predicted_change(lab, pred)),
            "status": lab.status == pred.status,
            "period": compact(lab.period or "") == compact(pred.period or ""),
        }
        if lab.measure is not None:
            checks.update(_figure_checks(lab, pred))
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
        ok = compact(str(expected)) == compact(str(got)) if got is not None else False
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
        _metric_str(m.name, m.value, m.unit) for i, m in enumerate(label_metrics) if i not in hit_l
    ]
    extra["metrics"] = [
        _metric_str(m.name, m.value, m.unit) for i, m in enumerate(pred_metrics) if i not in hit_p
    ]
    metric_fields = _metric_fields(pairs, label_metrics, pred_metrics)
    named = Ratio(
        hits=sum(1 for p in pairs if pred_metrics[p.pred].canonical_name), total=len(pairs)
    )

    for key in ITEM_KEYS:
        label_items: list[LabelItem] = getattr(labels, key)
        pred_items: list[Item] = getattr(summary, key)
        spans = _label_spans(key, label_items, text)
        by_stretch = key in STRETCH_KEYS
        candidates = _item_candidates(label_items, spans, pred_items, text, by_stretch=by_stretch)
        pairs = _greedy(candidates)
        matches[key] = pairs
        categories[key] = Tally(
            matched=len(pairs), predicted=len(pred_items), labelled=len(label_items)
        )
        hit_l, hit_p = {p.label for p in pairs}, {p.pred for p in pairs}
        missed[key] = [
            _short(it.text or it.quote) for i, it in enumerate(label_items) if i not in hit_l
        ]
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
        named=named,
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
    faithfulness, grounding, named = Ratio(), Ratio(), Ratio()
    for s in scores:
        for k, t in s.categories.items():
            categories[k] = categories.get(k, Tally()) + t
        faithfulness = faithfulness + s.faithfulness
        grounding = grounding + s.grounding
        named = named + s.named
    return EvalTotals(
        reports=len(scores),
        categories=categories,
        faithfulness=faithfulness,
        grounding=grounding,
        meta=_sum_ratios((s.meta for s in scores), META_FIELDS),
        metric_fields=_sum_ratios(
            (s.metric_fields for s in scores), (*METRIC_FIELDS, *FIGURE_FIELDS)
        ),
        named=named,
    )
