"""The rules backend on small hand-written reports (so its rules are not tuned to the seeds'
wording), its text helpers, and its contract with the pipeline (chunks, grounding, determinism)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.config import Settings
from summarizer.extract.backend import ExtractionStats
from summarizer.extract.rules.backend import RulesBackend
from summarizer.extract.rules.categories import category_of
from summarizer.extract.rules.text import (
    clip,
    enumerated_starts,
    lead_starts,
    problem_item_spans,
    title_at,
    trim,
)
from summarizer.models import Achievement, Metric, Plan, Problem, Summary
from summarizer.pipeline import summarize_report
from summarizer.read.chunking import chunk_report
from summarizer.read.source import Report
from summarizer.read.structure import parse_structure
from tests.conftest import assert_grounded, seed_path

SEMICOLON_REPORT = """2023年，青山镇在县委、县政府的坚强领导下，各项工作稳步推进。
一、2023年工作回顾
（一）经济运行稳中有进。全年完成地区生产总值52.3亿元，同比增长6.1%；一般公共预算收入3.2亿元，同比增长4.5%。
（二）城乡面貌持续改善。完成农村道路改造12公里，新建污水管网8公里。
（三）民生保障更加有力。新增城镇就业1200人，发放救助资金560万元。
在肯定成绩的同时，我们也清醒地看到，工作中还存在一些问题和不足：工业项目储备不足，后劲不强；农民增收渠道偏窄；基层治理能力有待提升。对此，我们将采取有力措施切实加以解决。
二、2024年工作打算
（一）抓项目促发展。力争全年引进亿元以上项目10个。
（二）抓环境促提升。完成河道整治5条，创建美丽乡村3个。
（三）抓民生促和谐。新增就业岗位300个。
"""

YISHI_NESTED_PLANS_REPORT = """2022年上半年，红星街道紧紧围绕年度目标任务，统筹推进各项工作。
一、上半年工作总结
一是招商引资成效明显。上半年新签约项目8个，协议总投资26亿元。
二是城市管理精细有序。整治背街小巷14条，拆除违法建筑1.2万平方米。
三是社会事业稳步发展。新建社区养老服务站3个，服务老人2400人次。
但也要看到，街道发展仍面临一些困难和问题：一是经济下行压力较大，部分企业生产经营困难；二是城市更新任务繁重，资金缺口较大；三是社区服务能力与群众需求相比还有差距。
二、下半年工作计划
（一）全力稳住经济基本盘
1.加快项目建设。确保8个签约项目年内开工。
2.优化营商环境。深化“一网通办”改革。
（二）持续提升城市品质
1.推进老旧小区改造。完成5个小区改造。
（三）用心办好民生实事
1.完善养老服务。新增养老床位100张。
2.促进充分就业。举办招聘会10场。
"""

PROBLEM_SECTION_REPORT = """2021年，白沙镇全面完成各项目标任务。
一、主要工作成效
（一）农业生产稳定发展。全年粮食播种面积3.5万亩，总产1.6万吨。
（二）乡村振兴扎实推进。建成省级美丽宜居村2个。
二、存在的问题
（一）产业结构单一。全镇以传统农业为主，二三产业占比偏低。
（二）基础设施薄弱。部分村组道路狭窄，农田水利设施老化。
（三）人才支撑不足。专业技术人才引不进、留不住。
三、2022年工作思路
（一）做强特色产业。发展优质水果基地1万亩。
（二）完善基础设施。新建改建农村公路20公里。
"""

NO_HEADINGS_REPORT = """今年以来，街道坚持稳中求进工作总基调，全年完成税收收入3.2亿元，同比增长5%，固定资产投资8.6亿元。
街道持续推进老旧小区改造，完成改造小区6个，惠及居民2100户。
同时也要看到，街道发展仍面临不少困难和挑战：产业层次不高，公共服务短板明显，社区治理水平有待加强。
"""

NEXT_STEP_IN_REVIEW_REPORT = """2020年，东湖街道统筹推进疫情防控和经济社会发展，全年实现一般公共预算收入2.1亿元。
过去一年，我们聚焦经济发展，综合实力稳中有进。全年实现规上工业总产值35.6亿元，同比增长6.5%。下一步，将继续加大招商引资力度，力争引进更多优质项目。
过去一年，我们聚焦城市建设，城乡面貌持续改善。完成拆迁12万平方米，新建公园3个。下一步，街道将加快推进城市更新。
过去一年，我们聚焦民生福祉，服务效能全面提升。全年民生支出3061万元，占财政总支出的69.5%。
"""


SUB_ITEMS_REPORT = """2022年上半年，金桥街道各项工作有序推进。
一、上半年工作总结
以韧克难，经济运行稳中提质。经济引擎持续发力。1-5月，规模工业产值3.2亿元，增长12%。楼宇服务精准精细。深入走访重点企业，帮助企业解决用工难题35个。
多措并举，城区面貌持续刷新。开展背街小巷整治行动，对辖区道路进行全面排查。玉带路改造工程主体基本完成。
二、下半年工作打算
下半年，街道将重点做好以下工作。
进一步强化精准服务，力促经济回升。加大项目招引力度。
进一步树牢匠心理念，提升城市品质。推进老旧小区改造。
"""


def _summarize(text: str, chunk_size: int = 2500) -> Summary:
    report = Report(id="t", source="t.txt", text=text, encoding="utf-8")
    summary = summarize_report(report, Settings(chunk_size=chunk_size), RulesBackend())
    assert_grounded(text, summary)
    return summary


def _quotes(items: Sequence[Achievement | Metric | Problem | Plan]) -> list[str]:
    return [item.evidence.quote for item in items]


# --- variants --------------------------------------------------------------------------------
def test_semicolon_problem_list() -> None:
    s = _summarize(SEMICOLON_REPORT)
    assert _quotes(s.problems) == [
        "工业项目储备不足，后劲不强",
        "农民增收渠道偏窄",
        "基层治理能力有待提升。",
    ]
    assert [p.horizon for p in s.plans] == ["next_year"] * 3
    assert [p.title for p in s.plans] == ["抓项目促发展", "抓环境促提升", "抓民生促和谐"]
    assert [a.title for a in s.achievements] == [
        "经济运行稳中有进",
        "城乡面貌持续改善",
        "民生保障更加有力",
    ]
    assert "52.3亿元" in s.achievements[0].evidence.quote
    assert [a.category for a in s.achievements] == ["economy", "urban", "livelihood"]
    # metrics are read with the role of their section: plan figures are targets
    plans_start = SEMICOLON_REPORT.index("二、2024年工作打算")
    statuses = {m.status for m in s.metrics if m.evidence.start > plans_start}
    assert statuses == {"target"}
    assert any(m.value == 52.3 and m.status == "actual" for m in s.metrics)


def test_yishi_problems_and_nested_plans_keep_the_top_level() -> None:
    s = _summarize(YISHI_NESTED_PLANS_REPORT)
    assert len(s.problems) == 3
    assert [q[:2] for q in _quotes(s.problems)] == ["一是", "二是", "三是"]
    assert "资金缺口较大" in s.problems[1].evidence.quote
    # three （一） items, not their five 1./2. sub-items
    assert [p.title for p in s.plans] == [
        "全力稳住经济基本盘",
        "持续提升城市品质",
        "用心办好民生实事",
    ]
    assert {p.horizon for p in s.plans} == {"second_half"}
    assert len(s.achievements) == 3


def test_problems_section_with_numbered_subsections() -> None:
    s = _summarize(PROBLEM_SECTION_REPORT)
    assert [p.title for p in s.problems] == ["产业结构单一", "基础设施薄弱", "人才支撑不足"]
    assert "二三产业占比偏低" in s.problems[0].evidence.quote
    assert len(s.plans) == 2 and {p.horizon for p in s.plans} == {"next_year"}
    assert [a.title for a in s.achievements] == ["农业生产稳定发展", "乡村振兴扎实推进"]


def test_report_without_headings() -> None:
    s = _summarize(NO_HEADINGS_REPORT)
    assert s.plans == []
    assert _quotes(s.problems) == ["产业层次不高", "公共服务短板明显", "社区治理水平有待加强。"]
    assert len(s.achievements) == 2
    # the preamble is read for metrics (headline figures often sit there)
    assert [(m.name, m.value, m.unit) for m in s.metrics][:1] == [("税收收入", 3.2, "亿元")]


def test_next_step_sentence_in_review_is_not_a_plan() -> None:
    s = _summarize(NEXT_STEP_IN_REVIEW_REPORT)
    assert s.plans == []
    assert len(s.achievements) == 3
    assert not any("下一步" in q for q in _quotes(s.achievements))


def test_sub_items_and_outcome_sentences() -> None:
    s = _summarize(SUB_ITEMS_REPORT)
    by_title = {a.title: a.evidence.quote for a in s.achievements}
    # the paragraph lead is an item; so is a short sub-heading sentence inside the paragraph
    assert "以韧克难，经济运行稳中提质" in by_title
    assert by_title["以韧克难，经济运行稳中提质"].startswith("1-5月，规模工业产值3.2亿元")
    # an in-paragraph sub-item is titled from its own quote, not from its short lead sentence
    assert by_title["帮助企业解决用工难题35个"].startswith("深入走访重点企业")
    assert "楼宇服务精准精细" not in by_title
    # no figure: the sentence stating an outcome, not the lead
    assert by_title["多措并举，城区面貌持续刷新"] == "玉带路改造工程主体基本完成。"
    assert [p.title for p in s.plans] == [
        "进一步强化精准服务，力促经济回升",
        "进一步树牢匠心理念，提升城市品质",
    ]
    assert {p.horizon for p in s.plans} == {"second_half"}


# --- backend contract -----------------------------------------------------------------------
def _items(summary: Summary) -> list[tuple[str, int, int, str]]:
    out = []
    for key in ("achievements", "problems", "plans"):
        for item in getattr(summary, key):
            out.append((key, item.evidence.start, item.evidence.end, item.title))
    return out


def test_items_do_not_depend_on_chunk_boundaries() -> None:
    text = seed_path("000").read_text(encoding="utf-8")
    big = _summarize(text, chunk_size=100_000)
    small = _summarize(text, chunk_size=300)
    assert small.run.chunks > 20
    assert _items(small) == _items(big)


def test_each_item_lands_in_the_chunk_holding_its_start() -> None:
    text = SEMICOLON_REPORT + YISHI_NESTED_PLANS_REPORT
    structure = parse_structure(text)
    chunks = chunk_report(structure, 200)
    done: list[int] = []
    results, stats = RulesBackend(Settings()).extract(structure, chunks, done.append)
    assert len(results) == len(chunks) == sum(done)
    assert stats.llm_calls == 0
    for chunk, result in zip(chunks, results, strict=True):
        assert result.chunk_index == chunk.index
        items: list[Achievement | Problem | Plan] = [
            *result.achievements,
            *result.problems,
            *result.plans,
        ]
        for item in items:
            assert chunk.start <= item.evidence.start < chunk.end


def test_deterministic() -> None:
    text = seed_path("002").read_text(encoding="utf-8")
    a, b = _summarize(text), _summarize(text)
    strip = {"run"}
    assert a.model_dump(exclude=strip) == b.model_dump(exclude=strip)


def test_backend_interface() -> None:
    backend = RulesBackend(Settings())
    assert (backend.name, backend.model, backend.mode) == ("rules", None, None)
    assert backend.prompt_version
    results, stats = backend.extract(parse_structure(""), [])
    assert results == []
    assert stats == ExtractionStats()


# --- text helpers ---------------------------------------------------------------------------
def _spans(text: str) -> list[str]:
    return [text[a:b] for a, b in problem_item_spans(text, 0, len(text))]


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        (
            "我们也清醒地看到，发展中还存在一些问题：一是产业层次偏低；二是创新能力不强；三是民生短板较多。",
            ["一是产业层次偏低", "二是创新能力不强", "三是民生短板较多。"],
        ),
        (
            "当前还面临不少困难和挑战。如项目储备不足，后劲不强。如城市功能不够完善。我们将认真加以解决。",
            ["如项目储备不足，后劲不强。", "如城市功能不够完善。"],
        ),
        (
            "存在的主要问题：（一）财政收支矛盾突出。（二）招商引资难度加大。",
            ["（一）财政收支矛盾突出。", "（二）招商引资难度加大。"],
        ),
        (
            "工作中还存在一些不足：1.服务意识有待增强；2.工作作风不够扎实。",
            ["1.服务意识有待增强", "2.工作作风不够扎实。"],
        ),
        (
            "同时也存在一些问题，主要是：部分企业经营困难；群众增收渠道不宽；等等。对此，我们将采取措施加以解决。",
            ["部分企业经营困难", "群众增收渠道不宽"],
        ),
        (
            "但仍面临一些挑战，主要是：产业基础薄弱，要素保障不足，人才支撑不够。",
            ["产业基础薄弱", "要素保障不足", "人才支撑不够。"],
        ),
    ],
)
def test_problem_passage_shapes(passage: str, expected: list[str]) -> None:
    assert _spans(passage) == expected


def test_comma_sentence_that_is_not_a_list_stays_whole() -> None:
    passage = "但也存在一些问题。街道在推进城市更新过程中，由于历史原因，部分地块征收进展缓慢。"
    assert _spans(passage) == ["街道在推进城市更新过程中，由于历史原因，部分地块征收进展缓慢。"]


def test_enumeration_needs_two_items() -> None:
    text = "一是加强领导。其他工作正常推进。"
    assert enumerated_starts(text, 0, len(text)) == []
    text2 = "一是加强领导。二是压实责任。"
    assert enumerated_starts(text2, 0, len(text2)) == [0, 7]


def test_lead_paragraphs_come_in_series() -> None:
    lone = "一、工作回顾\n今年是关键之年。全年完成投资5亿元。\n全年实现税收2亿元，同比增长3%。"
    assert lead_starts(lone, 0, len(lone)) == []
    series = "一、工作回顾\n经济平稳增长。全年完成投资5亿元。\n民生持续改善。新增就业300人。"
    assert [series[s : s + 4] for s in lead_starts(series, 0, len(series))] == [
        "经济平稳",
        "民生持续",
    ]


def test_category_keywords() -> None:
    assert category_of("招商引资力度不减") == "economy"
    assert category_of("坚决打赢蓝天保卫战") == "environment"
    assert category_of("夯实基层党建") == "party"
    assert category_of("社会保障精准实施") == "livelihood"
    assert category_of("好好学习") == "other"


_CJK_TEXT = st.text(
    alphabet=st.sampled_from(list("经济发展增长项目建设民生城市。，；：、12345.6亿元%\n一二是如")),
    min_size=0,
    max_size=400,
)


@settings(max_examples=150, deadline=None)
@given(_CJK_TEXT, st.integers(min_value=0, max_value=400))
def test_clip_is_a_short_span_holding_its_focus(text: str, focus: int) -> None:
    focus = min(focus, len(text))
    a, b = clip(text, 0, len(text), focus=focus)
    assert 0 <= a <= b <= len(text)
    assert b - a <= 120
    ta, tb = trim(text, 0, len(text))
    if tb - ta <= 120:
        assert (a, b) == (ta, tb)  # short enough: the whole span


@settings(max_examples=150, deadline=None)
@given(_CJK_TEXT)
def test_titles_and_problem_spans_are_verbatim(text: str) -> None:
    title = title_at(text, 0, len(text))
    assert len(title) <= 30
    assert title in text
    for a, b in problem_item_spans(text, 0, len(text)):
        assert 0 <= a < b <= len(text)
        assert text[a:b].strip() == text[a:b]


@settings(max_examples=100, deadline=None)
@given(_CJK_TEXT)
def test_backend_output_is_always_grounded(text: str) -> None:
    _summarize(text, chunk_size=200)


ANNOUNCED_PLANS = """2023年，全镇经济社会平稳发展，一般公共预算收入1.2亿元，同比增长4%。
2024年，全镇主要预期目标：地区生产总值增长6%左右；一般公共预算收入增长5%；固定资产投资增长8%。
2024年，全镇将重点抓好三个方面工作：着力壮大特色产业，培育农产品加工企业；着力改善人居环境，推进农村污水治理；着力加强基层治理，深化平安乡村建设。
"""


def test_plans_listed_after_a_colon_in_one_sentence() -> None:
    summary = _summarize(ANNOUNCED_PLANS)
    quotes = _quotes(summary.plans)
    assert len(quotes) == 3, quotes
    assert [q[:6] for q in quotes] == ["着力壮大特色", "着力改善人居", "着力加强基层"]
    # the target list is metrics, not work plans
    assert not any("地区生产总值" in q for q in quotes)
    assert all(p.horizon == "next_year" for p in summary.plans)
