"""The scorer on hand-made cases: what must match, what must not, and what must not count twice."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.evaluate.scoring import (
    NAME_MIN_SIMILARITY,
    SPAN_MIN_OVERLAP,
    Ratio,
    Tally,
    UnlocatedQuote,
    aggregate,
    score_report,
)
from summarizer.evaluate.similarity import (
    bigram_similarity,
    locate,
    name_similarity,
    same_quantity,
    span_overlap,
)
from summarizer.models import (
    Achievement,
    Evidence,
    LabelFile,
    LabelItem,
    LabelMeta,
    LabelMetric,
    Metric,
    Plan,
    Problem,
    ReportMeta,
    RunInfo,
    Summary,
)

TEXT = (
    "2020年工作总结\n"
    "一、经济运行\n"
    "今年1-10月实现公共财政预算收入4.01亿元，同比减少14.4%。"
    "完成固定资产投资25.7亿元，同比增长7.3%。"
    "地区生产总值增长5.3%，社会消费品零售总额增长5.3%。\n"
    "二、存在的问题\n"
    "一是经济下行压力较大，部分企业生产经营困难。"
    "二是城市管理精细化水平不高，老旧小区改造任务重。\n"
    "三、明年工作打算\n"
    "一是全力推进重点项目建设，确保全年完成投资30亿元。"
    "二是持续改善人居环境，完成老旧小区改造10个。\n"
)


def ev(quote: str, text: str = TEXT) -> Evidence:
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def metric(name: str, value: float, unit: str, quote: str, **kw: Any) -> Metric:
    return Metric(name=name, value=value, unit=unit, evidence=ev(quote), **kw)


def problem(title: str, quote: str) -> Problem:
    return Problem(title=title, evidence=ev(quote))


def plan(title: str, quote: str) -> Plan:
    return Plan(title=title, evidence=ev(quote))


def summary(**items: Any) -> Summary:
    meta = ReportMeta(id="r", source="r.txt", chars=len(TEXT), sha256="0", **items.pop("meta", {}))
    return Summary(report=meta, run=RunInfo(backend="test", prompt_version="t"), **items)


def labels(**items: Any) -> LabelFile:
    return LabelFile(report="r", **items)


REVENUE = LabelMetric(
    name="公共财政预算收入",
    value=4.01,
    unit="亿元",
    change_pct=-14.4,
    quote="公共财政预算收入4.01亿元",
)
PRESSURE = LabelItem(text="经济下行压力较大", quote="一是经济下行压力较大，部分企业生产经营困难。")
OLD_TOWN = LabelItem(
    text="城市管理精细化水平不高", quote="二是城市管理精细化水平不高，老旧小区改造任务重。"
)


# --- metrics ---------------------------------------------------------------------------------------


def test_exact_metric_match_scores_one() -> None:
    pred = metric("公共财政预算收入", 4.01, "亿元", "公共财政预算收入4.01亿元", change_pct=-14.4)
    score = score_report(summary(metrics=[pred]), labels(metrics=[REVENUE]), TEXT)
    tally = score.categories["metrics"]
    assert (tally.matched, tally.precision, tally.recall, tally.f1) == (1, 1.0, 1.0, 1.0)
    assert score.missed["metrics"] == [] and score.extra["metrics"] == []
    assert score.metric_fields["change_pct"] == Ratio(hits=1, total=1)


def test_matched_metrics_with_a_canonical_name_are_counted() -> None:
    invest = LabelMetric(name="固定资产投资", value=25.7, unit="亿元", quote="固定资产投资25.7亿元")
    named = metric(
        "公共财政预算收入",
        4.01,
        "亿元",
        "公共财政预算收入4.01亿元",
        canonical_name="一般公共预算收入",
    )
    unnamed = metric("固定资产投资", 25.7, "亿元", "固定资产投资25.7亿元")
    extra = metric("地区生产总值", 5.3, "%", "地区生产总值增长5.3%", canonical_name="地区生产总值")
    score = score_report(
        summary(metrics=[named, unnamed, extra]), labels(metrics=[REVENUE, invest]), TEXT
    )
    assert score.named == Ratio(hits=1, total=2)  # the matched ones only: not the extra figure
    assert aggregate([score, score]).named == Ratio(hits=2, total=4)


def test_yi_and_wan_are_normalised() -> None:
    assert same_quantity(4.01, "亿元", 40100, "万元")
    assert same_quantity(1.2, "万亿元", 12000, "亿元")
    assert same_quantity(3, "千元", 3000, "元")
    assert not same_quantity(3, "千米", 3000, "米")  # 千米 is a unit of its own, not 千 × 米
    pred = metric("公共财政预算收入", 40100, "万元", "公共财政预算收入4.01亿元")
    score = score_report(summary(metrics=[pred]), labels(metrics=[REVENUE]), TEXT)
    assert score.categories["metrics"].matched == 1


def test_right_value_wrong_unit_does_not_match() -> None:
    pred = metric("公共财政预算收入", 4.01, "万元", "公共财政预算收入4.01亿元")
    score = score_report(summary(metrics=[pred]), labels(metrics=[REVENUE]), TEXT)
    tally = score.categories["metrics"]
    assert (tally.matched, tally.precision, tally.recall) == (0, 0.0, 0.0)
    assert score.missed["metrics"] == ["公共财政预算收入 4.01亿元"]
    assert score.extra["metrics"] == ["公共财政预算收入 4.01万元"]


def test_same_figure_of_another_indicator_does_not_match() -> None:
    gdp = LabelMetric(name="地区生产总值", value=5.3, unit="%", quote="地区生产总值增长5.3%")
    retail = metric("社会消费品零售总额", 5.3, "%", "社会消费品零售总额增长5.3%")
    assert name_similarity("地区生产总值", "社会消费品零售总额") < NAME_MIN_SIMILARITY
    score = score_report(summary(metrics=[retail]), labels(metrics=[gdp]), TEXT)
    assert score.categories["metrics"].matched == 0


def test_canonical_names_match_despite_different_wording() -> None:
    label = REVENUE.model_copy(update={"name": "一般公共预算收入"})
    assert bigram_similarity("一般公共预算收入", "公共财政收入") < NAME_MIN_SIMILARITY
    pred = metric("公共财政收入", 4.01, "亿元", "公共财政预算收入4.01亿元")
    score = score_report(summary(metrics=[pred]), labels(metrics=[label]), TEXT)
    assert score.categories["metrics"].matched == 1


def test_full_width_and_half_width_forms_agree() -> None:
    label = LabelMetric(name="ＧＤＰ增速", value=5.3, unit="％", quote="地区生产总值增长５．３％")
    pred = metric("GDP增速", 5.3, "%", "地区生产总值增长5.3%")
    score = score_report(summary(metrics=[pred]), labels(metrics=[label]), TEXT)
    assert score.categories["metrics"].matched == 1
    assert bigram_similarity("二是持续改善人居环境", "二是持续改善人居环境") == 1.0
    assert bigram_similarity("完成老旧小区改造１０个", "完成老旧小区改造10个") == 1.0


def test_duplicate_metric_predictions_count_once() -> None:
    pred = metric("公共财政预算收入", 4.01, "亿元", "公共财政预算收入4.01亿元")
    score = score_report(summary(metrics=[pred, pred]), labels(metrics=[REVENUE]), TEXT)
    tally = score.categories["metrics"]
    assert (tally.matched, tally.predicted, tally.labelled) == (1, 2, 1)
    assert tally.precision == 0.5 and tally.recall == 1.0
    assert len(score.extra["metrics"]) == 1


def test_repeated_figure_goes_to_the_prediction_quoting_the_labelled_place() -> None:
    text = "上半年完成投资5亿元。全年完成投资5亿元。"
    label = LabelMetric(name="投资", value=5, unit="亿元", quote="全年完成投资5亿元")
    first = Metric(name="投资", value=5, unit="亿元", evidence=ev("上半年完成投资5亿元", text))
    second = Metric(name="投资", value=5, unit="亿元", evidence=ev("全年完成投资5亿元", text))
    score = score_report(summary(metrics=[first, second]), labels(metrics=[label]), text)
    assert [(p.label, p.pred) for p in score.matches["metrics"]] == [(0, 1)]


def test_faithfulness_needs_the_value_written_in_a_grounded_quote() -> None:
    written = metric("固定资产投资", 25.7, "亿元", "完成固定资产投资25.7亿元")
    invented = metric("固定资产投资", 26.0, "亿元", "完成固定资产投资25.7亿元")
    moved = written.model_copy(
        update={"evidence": Evidence(quote=written.evidence.quote, start=0, end=5)}
    )
    score = score_report(summary(metrics=[written, invented, moved]), labels(), TEXT)
    assert score.faithfulness == Ratio(hits=1, total=3)
    assert score.grounding == Ratio(hits=2, total=3)


# --- problems, plans, achievements -------------------------------------------------------------------


def test_item_with_the_labelled_quote_matches() -> None:
    pred = problem("经济下行压力大", "一是经济下行压力较大，部分企业生产经营困难。")
    score = score_report(summary(problems=[pred]), labels(problems=[PRESSURE, OLD_TOWN]), TEXT)
    tally = score.categories["problems"]
    assert (tally.matched, tally.precision, tally.recall) == (1, 1.0, 0.5)
    assert score.missed["problems"] == ["城市管理精细化水平不高"]


def test_partial_span_inside_the_label_quote_matches() -> None:
    pred = problem("企业困难", "部分企业生产经营困难")  # a clause of the labelled sentence
    score = score_report(summary(problems=[pred]), labels(problems=[PRESSURE]), TEXT)
    assert score.categories["problems"].matched == 1


def test_span_that_only_touches_the_label_does_not_match() -> None:
    # Mostly the next sentence, with the last few characters of the labelled one.
    quote = "生产经营困难。二是城市管理精细化水平不高，老旧小区改造任务重"
    pred_span = (ev(quote).start, ev(quote).end)
    assert 0 < span_overlap(pred_span, locate(PRESSURE.quote, TEXT)[0]) < 0.5
    pred = problem("管理水平不高", quote)
    score = score_report(summary(problems=[pred]), labels(problems=[PRESSURE]), TEXT)
    assert score.categories["problems"].matched == 0


def test_paraphrase_without_span_overlap_matches_by_text() -> None:
    # Evidence elsewhere in the report, but the title says what the label says.
    pred = plan("全力推进重点项目建设", "三、明年工作打算")
    label = LabelItem(
        text="全力推进重点项目建设", quote="一是全力推进重点项目建设，确保全年完成投资30亿元。"
    )
    score = score_report(summary(plans=[pred]), labels(plans=[label]), TEXT)
    assert score.categories["plans"].matched == 1
    unrelated = plan("持续改善人居环境", "三、明年工作打算")
    score = score_report(summary(plans=[unrelated]), labels(plans=[label]), TEXT)
    assert score.categories["plans"].matched == 0


def test_duplicate_item_predictions_count_once() -> None:
    pred = problem("经济下行压力较大", "一是经济下行压力较大")
    score = score_report(summary(problems=[pred, pred, pred]), labels(problems=[PRESSURE]), TEXT)
    tally = score.categories["problems"]
    assert (tally.matched, tally.predicted) == (1, 3)
    assert tally.f1 == pytest.approx(2 * 1 / (3 + 1))


def test_greedy_assignment_pairs_each_prediction_with_its_own_label() -> None:
    preds = [
        problem("城市管理水平不高", "城市管理精细化水平不高"),
        problem("经济下行压力较大", "经济下行压力较大"),
    ]
    score = score_report(summary(problems=preds), labels(problems=[PRESSURE, OLD_TOWN]), TEXT)
    assert sorted((p.label, p.pred) for p in score.matches["problems"]) == [(0, 1), (1, 0)]


def test_achievements_are_scored_like_the_other_items() -> None:
    ach = Achievement(title="投资增长", evidence=ev("完成固定资产投资25.7亿元，同比增长7.3%"))
    label = LabelItem(text="固定资产投资增长7.3%", quote="完成固定资产投资25.7亿元，同比增长7.3%。")
    score = score_report(summary(achievements=[ach]), labels(achievements=[label]), TEXT)
    assert score.categories["achievements"].f1 == 1.0


# --- labels, meta, aggregation -------------------------------------------------------------------


def test_label_quote_is_located_across_line_breaks_and_widths() -> None:
    spans = locate("存在的问题一是经济下行压力较大", TEXT)
    ((start, end),) = spans
    assert TEXT[start:end] == "存在的问题\n一是经济下行压力较大"
    assert locate("２０２０年工作总结", TEXT) == [(0, 9)]


def test_label_quote_not_in_report_is_an_error_naming_it() -> None:
    bad = LabelItem(text="x", quote="这句话不在报告里")
    with pytest.raises(UnlocatedQuote, match=r"problems\[0\].*这句话不在报告里"):
        score_report(summary(), labels(problems=[bad]), TEXT)


def test_meta_accuracy_counts_each_labelled_field() -> None:
    s = summary(meta={"entity": "新闸街道", "year": 2019, "kind": "annual"})
    score = score_report(s, labels(meta=LabelMeta(entity="新闸街道", year=2020)), TEXT)
    assert score.meta == {"entity": Ratio(hits=1, total=1), "year": Ratio(hits=0, total=1)}


def test_tally_edge_cases() -> None:
    assert Tally().f1 == 1.0 and Tally().precision == 1.0
    nothing_found = Tally(matched=0, predicted=0, labelled=4)
    assert (nothing_found.precision, nothing_found.recall, nothing_found.f1) == (0.0, 0.0, 0.0)
    assert Tally(matched=0, predicted=3, labelled=0).precision == 0.0


def test_aggregate_is_a_micro_average() -> None:
    full = problem("经济下行压力较大", "一是经济下行压力较大")
    a = score_report(summary(problems=[full]), labels(problems=[PRESSURE]), TEXT)
    b = score_report(summary(), labels(problems=[PRESSURE, OLD_TOWN]), TEXT)
    totals = aggregate([a, b])
    problems = totals.categories["problems"]
    assert (problems.matched, problems.predicted, problems.labelled) == (1, 1, 3)
    assert problems.recall == pytest.approx(1 / 3)  # the macro average would be 0.5
    assert totals.reports == 2


# --- laws ------------------------------------------------------------------------------------------

_QUOTES = [
    "公共财政预算收入4.01亿元",
    "完成固定资产投资25.7亿元",
    "一是经济下行压力较大，部分企业生产经营困难。",
    "二是城市管理精细化水平不高，老旧小区改造任务重。",
    "一是全力推进重点项目建设，确保全年完成投资30亿元。",
    "二是持续改善人居环境，完成老旧小区改造10个。",
]


def _perfect(picks: list[int]) -> tuple[Summary, LabelFile]:
    """Labels made of the chosen quotes, and a summary predicting exactly those."""
    metric_quotes = [q for i, q in enumerate(_QUOTES[:2]) if i in picks]
    item_quotes = [q for i, q in enumerate(_QUOTES[2:], start=2) if i in picks]
    label_metrics = [
        LabelMetric(
            name=q[:4],
            value=float(q.split("收入")[-1].split("投资")[-1][:-2]),
            unit="亿元",
            quote=q,
        )
        for q in metric_quotes
    ]
    label_items = [LabelItem(text=q[2:10], quote=q) for q in item_quotes]
    preds_m = [metric(m.name, m.value, m.unit, m.quote) for m in label_metrics]
    preds_p = [problem(it.text, it.quote) for it in label_items]
    return summary(metrics=preds_m, problems=preds_p), labels(
        metrics=label_metrics, problems=label_items
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(_QUOTES) - 1), unique=True), st.randoms(use_true_random=False))
def test_predicting_the_labels_scores_one_in_any_order(
    picks: list[int], rnd: random.Random
) -> None:
    s, lab = _perfect(picks)
    shuffled = s.model_copy(
        update={
            "metrics": rnd.sample(s.metrics, len(s.metrics)),
            "problems": rnd.sample(s.problems, len(s.problems)),
        }
    )
    score = score_report(shuffled, lab, TEXT)
    for key in ("metrics", "problems"):
        assert score.categories[key].f1 == 1.0
        assert score.categories[key].matched == len(getattr(lab, key))


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value="0.01", max_value="99999", places=2).map(float),
    st.sampled_from(
        [("亿元", "万元", 1e4), ("万亿元", "亿元", 1e4), ("万元", "元", 1e4), ("亿元", "元", 1e8)]
    ),
)
def test_quantity_is_the_same_in_either_unit(value: float, units: tuple[str, str, float]) -> None:
    big, small, factor = units
    assert same_quantity(value, big, value * factor, small)
    assert not same_quantity(value, big, value * factor * 10, small)
    assert not same_quantity(value, big, value, small)


def test_heading_title_inside_a_longer_label_text_matches() -> None:
    label = LabelItem(
        text="全力推进重点项目建设：确保全年完成投资30亿元，推动一批产业项目落地见效",
        quote="确保全年完成投资30亿元",
    )
    heading = plan("全力推进重点项目建设", "一是全力推进重点项目建设")
    assert bigram_similarity(heading.title, label.text) < 0.5  # Dice alone would miss it
    score = score_report(summary(plans=[heading]), labels(plans=[label]), TEXT)
    assert score.categories["plans"].matched == 1
    # A short phrase is inside too many texts to count as the same item.
    short = plan("重点项目", "一是全力推进重点项目建设")
    score = score_report(summary(plans=[short]), labels(plans=[label]), TEXT)
    assert score.categories["plans"].matched == 0


ITEMS_TEXT = (
    "一、经济运行\n"
    "一是项目建设提速。全年开工项目12个。二是营商环境优化。新增市场主体800户，办结诉求300件。"
    "三是招商成效明显。签约项目20个。\n"
    "二、存在的问题\n"
    "一是项目储备不足；二是营商环境有待优化。\n"
)


def item_ev(quote: str) -> Evidence:
    return ev(quote, ITEMS_TEXT)


def test_achievement_named_by_its_lead_owns_the_rest_of_its_item() -> None:
    # The prediction is titled by the sub-item's lead and quotes its first figure; the label
    # quotes a later sentence of the same sub-item.
    pred = Achievement(title="营商环境优化", evidence=item_ev("新增市场主体800户"))
    later = Achievement(title="招商成效明显", evidence=item_ev("三是招商成效明显"))
    label = LabelItem(text="办结诉求300件", quote="办结诉求300件")
    score = score_report(
        summary(achievements=[pred, later]), labels(achievements=[label]), ITEMS_TEXT
    )
    assert [(p.label, p.pred) for p in score.matches["achievements"]] == [(0, 0)]
    assert score.matches["achievements"][0].score < SPAN_MIN_OVERLAP  # a weaker kind of match


def test_achievement_stretch_ends_at_the_next_item() -> None:
    first = Achievement(title="项目建设提速", evidence=item_ev("全年开工项目12个"))
    second = Achievement(title="营商环境优化", evidence=item_ev("二是营商环境优化"))
    in_second = LabelItem(text="办结诉求300件", quote="办结诉求300件")
    in_third = LabelItem(text="签约项目20个", quote="签约项目20个")  # nobody predicted 三是
    both = labels(achievements=[in_second, in_third])
    score = score_report(summary(achievements=[first, second]), both, ITEMS_TEXT)
    assert [(p.label, p.pred) for p in score.matches["achievements"]] == [(0, 1)]
    # Alone, the first prediction still does not own the numbered items after it.
    score = score_report(summary(achievements=[first]), both, ITEMS_TEXT)
    assert score.matches["achievements"] == []


def test_direct_matches_win_over_stretch_matches() -> None:
    lead = Achievement(title="营商环境优化", evidence=item_ev("二是营商环境优化"))
    exact = Achievement(title="办结诉求", evidence=item_ev("办结诉求300件"))
    label = LabelItem(text="办结诉求300件", quote="办结诉求300件")
    score = score_report(
        summary(achievements=[lead, exact]), labels(achievements=[label]), ITEMS_TEXT
    )
    assert [(p.label, p.pred) for p in score.matches["achievements"]] == [(0, 1)]


def test_problems_are_matched_clause_by_clause_not_by_stretch() -> None:
    first = Problem(title="项目储备不足", evidence=item_ev("一是项目储备不足"))
    label = LabelItem(text="营商环境有待优化", quote="二是营商环境有待优化")
    score = score_report(summary(problems=[first]), labels(problems=[label]), ITEMS_TEXT)
    assert score.categories["problems"].matched == 0


def test_one_prediction_cannot_satisfy_two_labels() -> None:
    # One quote spanning both labelled problems is one prediction: it matches one of them.
    both = "一是经济下行压力较大，部分企业生产经营困难。二是城市管理精细化水平不高，老旧小区改造任务重。"
    pred = problem("经济和城市管理问题", both)
    score = score_report(summary(problems=[pred]), labels(problems=[PRESSURE, OLD_TOWN]), TEXT)
    tally = score.categories["problems"]
    assert (tally.matched, tally.recall, tally.precision) == (1, 0.5, 1.0)
    revenue = metric("公共财政预算收入", 4.01, "亿元", "公共财政预算收入4.01亿元")
    twice = labels(metrics=[REVENUE, REVENUE.model_copy()])
    assert score_report(summary(metrics=[revenue]), twice, TEXT).categories["metrics"].matched == 1


def test_full_width_indicator_name_finds_its_canonical_name() -> None:
    assert name_similarity("ＧＤＰ", "地区生产总值") == 1.0
