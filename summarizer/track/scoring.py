"""Scoring tracking links against hand labels (evals/tracking/<series>.json; format in the
label brief and README): link recall and precision, verdict accuracy, and how often a target
the labels call not_reported was called met or missed (which must be never).

A predicted link *matches* a labelled one when both are for the same year, from the same target
report, of the same measure and target value, and either name the same indicator or the
label's target quote overlaps the predicted target's span. A matched link is *correct* when
its actual agrees: both none, or the same report and value. Recall: correct / labelled;
precision: correct / predicted; verdict accuracy: equal verdicts / matched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from summarizer.errors import InputError
from summarizer.models import Measure
from summarizer.track.link import Link
from summarizer.track.verdict import Verdict

__all__ = [
    "LabelFigure",
    "LabelLink",
    "SeriesLabels",
    "TrackScore",
    "load_series_labels",
    "quote_spans",
    "same_actual",
    "score_links",
]


class _Label(BaseModel):
    model_config = ConfigDict(extra="ignore")


class LabelFigure(_Label):
    report: str
    quote: str
    value: float | None = None
    unit: str | None = None
    bound: str | None = None
    low: float | None = None
    high: float | None = None
    direction: str | None = None

    @property
    def number(self) -> float | None:
        """The figure's value; a range's low end when only its ends are given."""
        return self.value if self.value is not None else self.low


class LabelLink(_Label):
    indicator: str
    measure: Measure
    year: int
    target: LabelFigure
    actual: LabelFigure | None = None
    verdict: Verdict
    note: str | None = None


class SeriesLabels(_Label):
    series: str
    entity: str
    reports: list[str]
    tolerance_pp: float = 0.5
    links: list[LabelLink]


def load_series_labels(path: Path) -> SeriesLabels:
    """One label file; InputError names the file and the first problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SeriesLabels.model_validate(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot read labels: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(path, f"invalid labels: {where}: {first['msg']}") from None


@dataclass
class TrackScore:
    labelled: int = 0
    predicted: int = 0
    correct: int = 0  # matched, with the same actual
    matched: int = 0
    verdicts_equal: int = 0
    not_reported_judged: int = 0  # labelled not_reported, called met or missed
    missed_links: list[LabelLink] = field(default_factory=list)
    extra_links: list[Link] = field(default_factory=list)
    wrong: list[tuple[LabelLink, Link]] = field(default_factory=list)  # matched, differ

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def verdict_accuracy(self) -> float:
        return self.verdicts_equal / self.matched if self.matched else 1.0

    def add(self, other: TrackScore) -> None:
        for name in (
            "labelled",
            "predicted",
            "correct",
            "matched",
            "verdicts_equal",
            "not_reported_judged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed_links += other.missed_links
        self.extra_links += other.extra_links
        self.wrong += other.wrong

    def figures(self) -> dict[str, float | int]:
        return {
            "labelled": self.labelled,
            "predicted": self.predicted,
            "correct": self.correct,
            "matched": self.matched,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "verdict_accuracy": round(self.verdict_accuracy, 4),
            "not_reported_judged": self.not_reported_judged,
        }


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def _overlaps(text: str | None, quote: str, start: int, end: int) -> bool:
    if text is None:
        return False
    return any(a < end and start < b for a, b in quote_spans(text, quote))


def _same_number(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 1e-9


def _matches(label: LabelLink, link: Link, texts: Mapping[str, str]) -> bool:
    t = link.target
    if (label.year, label.measure, label.target.report) != (link.year, link.measure, t.report_id):
        return False
    if not _same_number(label.target.number, t.value):
        return False
    return label.indicator == link.indicator or _overlaps(
        texts.get(t.report_id), label.target.quote, t.start, t.end
    )


def same_actual(label: LabelLink, link: Link) -> bool:
    if label.actual is None or link.actual is None:
        return label.actual is None and link.actual is None
    a = link.actual
    return label.actual.report == a.report_id and _same_number(label.actual.number, a.value)


def score_links(
    labels: Sequence[LabelLink], links: Sequence[Link], texts: Mapping[str, str]
) -> TrackScore:
    """Score `links` (the tool's, for the labelled reports) against `labels`. `texts`: report
    id → text, to place the labels' quotes."""
    score = TrackScore(labelled=len(labels), predicted=len(links))
    free = list(links)
    for label in labels:
        found = next((link for link in free if _matches(label, link, texts)), None)
        if found is None:
            score.missed_links.append(label)
            continue
        free.remove(found)
        score.matched += 1
        right_actual = same_actual(label, found)
        score.correct += right_actual
        score.verdicts_equal += label.verdict == found.verdict
        if label.verdict == "not_reported" and found.verdict in ("met", "missed"):
            score.not_reported_judged += 1
        if not right_actual or label.verdict != found.verdict:
            score.wrong.append((label, found))
    score.extra_links = free
    return score
