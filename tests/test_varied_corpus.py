"""The varied held-out corpus (evals/varied): hand-written reports of other genres and forms than
the five 街道 seeds — 镇, 县 政府工作报告, 开发区, 区 十三五 review, 市 — annual, half-year and
five-year, stored as UTF-8, UTF-8 with BOM, GB18030 and CRLF, one with web-page debris.

Two things are checked. First the corpus itself: labels fit their reports exactly (the same
rules as tests/test_labels.py, through the same helper) and each file really is stored in the
form it is meant to exercise. Then the offline pipeline on each report, with properties any
correct extractor has whatever its wording choices: evidence grounded, metadata right, most
labelled problems and plans found (one prediction per label), no plans where the report has
none, nothing quoted from web debris, every metric's figure written in its own quote.
"""

from __future__ import annotations

import functools
import json

import pytest

from summarizer.lexicon.numbers import number_forms, value_in_quote
from summarizer.models import LabelFile, LabelItem, Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from tests.conftest import ROOT, assert_grounded
from tests.test_labels import ITEM_KEYS, MAX_QUOTE_CHARS, _check_labels_module

VARIED = ROOT / "evals" / "varied"
REPORTS = VARIED / "reports"
LABELS = VARIED / "labels"
LABEL_FILES = sorted(LABELS.glob("*.json"))
REPORT_IDS = [p.stem for p in LABEL_FILES]

# The storage form each special file exercises (the others are plain UTF-8 with "\n").
GB18030_REPORT = "v2_linxi_county_gov_2024"
CRLF_REPORT = "v3_guihua_jiedao_2022h1"
BOM_REPORT = "v7_yunchuan_shi_2022"
# Web-page debris of the saved page: lines starting with these are navigation, page furniture
# and footer, never report content.
DEBRIS_REPORT = "v4_jiangzhou_kaifaqu_2021"
DEBRIS_LINE_STARTS = (
    "您当前的位置：",
    "发布时间：",
    "（此件公开发布）",
    "【打印本页】",
    "分享到：",
    "主办单位：",
    "联系电话：",
)

# Which horizon the plans of each report have, read off its plans heading.
PLAN_HORIZONS = {
    "v1_liutang_zhen_2023": "next_year",  # 三、2024年工作思路
    "v2_linxi_county_gov_2024": "next_year",  # 三、2024年重点工作
    "v3_guihua_jiedao_2022h1": "second_half",  # 三、下半年工作打算
    "v4_jiangzhou_kaifaqu_2021": "next_year",  # 三、2022年工作安排
    "v5_wutong_qu_shisanwu": "multi_year",  # 三、"十四五"时期发展思路和重点任务
    "v6_baishawan_zhen_2021": "next_year",  # 2022年，全镇将…
}

MIN_RECALL = 0.5
# A predicted item takes a labelled one when at least half of the shorter span lies in the other.
MIN_OVERLAP = 0.5


def _labels(report_id: str) -> LabelFile:
    return LabelFile.model_validate_json((LABELS / f"{report_id}.json").read_text("utf-8"))


def _text(report_id: str) -> str:
    return read_report(REPORTS / f"{report_id}.txt").text


@functools.cache
def _summary(report_id: str) -> Summary:
    # One pipeline run per report for the whole module; the rules backend needs no cache dir.
    return summarize(REPORTS / f"{report_id}.txt")


# --- the corpus itself -------------------------------------------------------------------------


def test_every_report_has_labels_and_the_corpus_varies() -> None:
    reports = {p.stem for p in REPORTS.glob("*.txt")}
    assert reports == set(REPORT_IDS)
    assert len(reports) >= 6
    metas = [_labels(r).meta for r in REPORT_IDS]
    assert {m.kind for m in metas} >= {"annual", "half_year", "multi_year"}
    # Several administrative levels, not only 街道.
    suffixes = {
        next(s for s in ("街道", "镇", "县", "区", "市") if (m.entity or "").endswith(s))
        for m in metas
    }
    assert len(suffixes) >= 4, suffixes
    assert any(not _labels(r).plans for r in REPORT_IDS), "no report without a plans section"


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_labels_pass_the_label_checker(report_id: str) -> None:
    check = _check_labels_module()
    errors, labels = check.check_label_file(LABELS / f"{report_id}.json", REPORTS)
    assert errors == []
    assert labels is not None and labels.report == report_id


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_labels_are_exact_and_complete(report_id: str) -> None:
    raw = json.loads((LABELS / f"{report_id}.json").read_text("utf-8"))
    assert set(raw) == {"report", "meta", "metrics", "achievements", "problems", "plans"}
    labels = _labels(report_id)
    text = _text(report_id)
    meta = labels.meta
    assert meta.year is not None and 1990 <= meta.year <= 2100
    assert meta.kind is not None
    assert meta.entity is not None and meta.entity in text
    for metric in labels.metrics:
        assert 0 < len(metric.quote) <= MAX_QUOTE_CHARS and metric.quote in text, metric.name
        written = {form + metric.unit for form in number_forms(metric.value)}
        assert any(w in metric.quote for w in written), (metric.name, metric.value, metric.unit)
        if metric.change_pct is not None:
            assert value_in_quote(abs(metric.change_pct), metric.quote), metric.name
    for key in ITEM_KEYS:
        items: list[LabelItem] = getattr(labels, key)
        for item in items:
            assert item.text.strip() and item.quote.strip(), (key, item)
            assert len(item.quote) <= MAX_QUOTE_CHARS, (key, item.quote)
            # Unique in the report, so that locating the quote is unambiguous for scoring.
            assert text.count(item.quote) == 1, (key, item.quote)
    assert labels.problems, "every varied report has a problem passage"


def test_gb18030_report_is_stored_as_gb18030() -> None:
    raw = (REPORTS / f"{GB18030_REPORT}.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    report = read_report(REPORTS / f"{GB18030_REPORT}.txt")
    assert report.encoding == "gb18030"
    assert report.text == raw.decode("gb18030").replace("\r\n", "\n")
    assert "临溪县" in report.text


def test_crlf_report_has_crlf_line_ends_and_full_width_indents() -> None:
    raw = (REPORTS / f"{CRLF_REPORT}.txt").read_bytes()
    assert raw.count(b"\r\n") >= 20
    assert raw.count(b"\n") == raw.count(b"\r\n"), "a bare LF line end"
    text = _text(CRLF_REPORT)
    assert "\r" not in text
    indented = [line for line in text.split("\n") if line.startswith("\u3000\u3000")]
    assert len(indented) >= 20


def test_bom_report_starts_with_a_utf8_bom() -> None:
    raw = (REPORTS / f"{BOM_REPORT}.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    report = read_report(REPORTS / f"{BOM_REPORT}.txt")
    assert report.encoding == "utf-8-sig" and not report.text.startswith("\ufeff")


def _debris_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.startswith(DEBRIS_LINE_STARTS):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def test_debris_report_has_its_debris_at_top_and_bottom() -> None:
    text = _text(DEBRIS_REPORT)
    spans = _debris_spans(text)
    assert len(spans) == len(DEBRIS_LINE_STARTS)
    assert spans[0][0] == 0 and spans[-1][1] >= len(text.rstrip("\n"))
    # Every label quote is report content, none of it debris.
    labels = _labels(DEBRIS_REPORT)
    quotes = [m.quote for m in labels.metrics]
    quotes += [i.quote for key in ITEM_KEYS for i in getattr(labels, key)]
    for quote in quotes:
        start = text.index(quote)
        assert not any(a < start + len(quote) and start < b for a, b in spans), quote


# --- the offline pipeline on each report ----------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return max(0, inter) / shorter if shorter > 0 else 0.0


def _missed(text: str, labelled: list[LabelItem], predicted: list[tuple[int, int]]) -> list[str]:
    """Labels left unmatched when each predicted span may take one label (best overlaps first)."""
    spans = []
    for item in labelled:
        start = text.index(item.quote)
        spans.append((start, start + len(item.quote)))
    pairs = sorted(
        (
            (_overlap(ls, ps), li, pi)
            for li, ls in enumerate(spans)
            for pi, ps in enumerate(predicted)
        ),
        reverse=True,
    )
    used_l: set[int] = set()
    used_p: set[int] = set()
    for score, li, pi in pairs:
        if score < MIN_OVERLAP:
            break
        if li not in used_l and pi not in used_p:
            used_l.add(li)
            used_p.add(pi)
    return [item.text for li, item in enumerate(labelled) if li not in used_l]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pipeline_evidence_is_grounded(report_id: str) -> None:
    text = _text(report_id)
    summary = _summary(report_id)
    assert_grounded(text, summary)
    assert summary.report.chars == len(text)


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pipeline_metadata_matches_the_labels(report_id: str) -> None:
    meta = _labels(report_id).meta
    got = _summary(report_id).report
    assert (got.year, got.kind) == (meta.year, meta.kind)
    assert got.entity == meta.entity


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pipeline_finds_most_labelled_problems(report_id: str) -> None:
    labels = _labels(report_id)
    summary = _summary(report_id)
    spans = [(p.evidence.start, p.evidence.end) for p in summary.problems]
    missed = _missed(_text(report_id), labels.problems, spans)
    recall = 1 - len(missed) / len(labels.problems)
    assert recall >= MIN_RECALL, f"recall {recall:.2f}, {len(spans)} found, missed: {missed}"


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pipeline_finds_most_labelled_plans_and_none_where_there_are_none(report_id: str) -> None:
    labels = _labels(report_id)
    summary = _summary(report_id)
    if not labels.plans:
        assert [p.evidence.quote for p in summary.plans] == []
        return
    spans = [(p.evidence.start, p.evidence.end) for p in summary.plans]
    missed = _missed(_text(report_id), labels.plans, spans)
    recall = 1 - len(missed) / len(labels.plans)
    assert recall >= MIN_RECALL, f"recall {recall:.2f}, {len(spans)} found, missed: {missed}"


@pytest.mark.parametrize("report_id", sorted(PLAN_HORIZONS))
def test_pipeline_plans_have_the_horizon_of_their_section(report_id: str) -> None:
    plans = _summary(report_id).plans
    assert plans
    assert {p.horizon for p in plans} == {PLAN_HORIZONS[report_id]}


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pipeline_metric_figures_are_written_in_their_quotes(report_id: str) -> None:
    for metric in _summary(report_id).metrics:
        quote = metric.evidence.quote
        assert value_in_quote(metric.value, quote), (metric.name, metric.value, quote)
        if metric.change_pct is not None:
            assert value_in_quote(abs(metric.change_pct), quote), (metric.name, quote)


def test_pipeline_quotes_nothing_from_web_debris() -> None:
    text = _text(DEBRIS_REPORT)
    spans = _debris_spans(text)
    summary = _summary(DEBRIS_REPORT)
    for key in ("achievements", "metrics", "problems", "plans"):
        for item in getattr(summary, key):
            ev = item.evidence
            assert not any(a < ev.end and ev.start < b for a, b in spans), (key, ev.quote)
