"""City renewal works and farmland built, as the provincial and city reports count them: homes of
the old stock and urban villages rebuilt (in 户/套), a city's pipes renewed (in km), high-standard
farmland built new or rebuilt. Sentences copied from the reports (四川 2025/2026 and, for each
rule, at least one other report: 六盘水, 承德, 顺平, 广东, 赣州 …); tasks the next report states."""

from __future__ import annotations

import pytest

from summarizer.lexicon.indicators import indicator
from summarizer.track import track_summaries
from tests.test_track import _Report
from tests.test_track_province import _metrics


def _found(sentence: str) -> list[tuple[str | None, float, str]]:
    return [(m.canonical_name, m.value, m.unit) for m in _metrics(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # 四川 2025: one renewal word before a list of works, each counted in its own unit
            "开展城市更新和安全韧性提升行动，加力实施城市“里子”工程，改造老旧小区4000个以上、"
            "城市危旧房3万套、城中村10万户，更新改造燃气、供排水等老化管道6000公里以上，"
            "推进智能化市政基础设施建设改造，打造宜居、智慧、韧性城市。",
            [
                ("老旧小区改造", 4000.0, "个"),
                ("城市危旧房改造", 3.0, "万套"),
                ("城中村改造", 10.0, "万户"),
                ("管网改造", 6000.0, "公里"),
            ],
        ),
        (  # 四川 2026 reports the same works
            "推进城市有机更新，启动城市更新创新模式试点，新开工改造城镇老旧小区4402个、"
            "城中村5.1万户、城市危旧房3.1万套（间），既有住宅加装（更新）电梯9555部，"
            "完成燃气、排水、供水管网改造9436公里。",
            [
                ("老旧小区改造", 4402.0, "个"),
                ("城中村改造", 5.1, "万户"),
                ("城市危旧房改造", 3.1, "万套"),
                ("管网改造", 9436.0, "公里"),
            ],
        ),
        (  # 六盘水 2024 names the programme with its figure
            "推进国有土地上房屋征收安置房三年清零行动，实施城市危旧房改造2700户以上、"
            "老旧小区改造5700户以上，筹集保障性租赁住房1000套以上。",
            [
                ("城市危旧房改造", 2700.0, "户"),
                ("保障性租赁住房", 1000.0, "套"),
            ],
        ),
    ],
)
def test_renewal_works_in_a_list_are_each_their_indicator(
    sentence: str, expected: list[tuple[str, float, str]]
) -> None:
    assert [f for f in _found(sentence) if f[0]] == expected


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("铺设城区供水管网36公里，改造地下管网28.3公里。", 28.3),  # 顺平 2020
        ("系统推进城市管网排查整治和升级改造，新建改造地下管网175公里。", 175.0),  # 六盘水 2024
        ("全市更新老旧管网37公里，打造18条示范街道、14个精品口袋公园。", 37.0),  # 承德 2024
        ("新增改造城镇供排水管网超2000公里，新增改造污水处理能力30万吨/日。", 2000.0),  # 广东 2025
        ("新建改造地下管网管廊9000公里，完善城市排水防涝工程体系。", 9000.0),  # 广东 2026
        ("新增节水型社会建设达标县8个，新（改）建污水管网270公里。", 270.0),  # 赣州 2024
        # 四川 2025's review: pipes as 管道
        ("全省新开工改造老旧小区8523个，既有住宅加装电梯6748部，改造燃气管道12609公里。", 12609.0),
    ],
)
def test_pipes_renewed_are_counted_in_km(sentence: str, value: float) -> None:
    assert [f for f in _found(sentence) if f[0] == "管网改造"] == [("管网改造", value, "公里")]


@pytest.mark.parametrize(
    "sentence",
    [
        "铺设城区供水管网36公里。",  # 顺平 2020: pipes laid
        "治理疏通雨水、污水管网107.2公里。",  # 柳州 2024: pipes dredged
        "新增污水管网超2000公里、污水处理能力超30万吨/日。",  # 广东 2025: pipes added
    ],
)
def test_pipes_with_no_renewal_word_are_no_renewal(sentence: str) -> None:
    assert "管网改造" not in [f[0] for f in _found(sentence)]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        (
            "守牢耕地保护红线，深化耕地林地园地空间治理“一张图”建设，新（改）建高标准农田300万亩以上。",
            300.0,
        ),  # 四川 2026
        ("完善多元化投入机制，新建和提质改造高标准农田14.3万亩以上；", 14.3),  # 六盘水 2024
        (
            "生猪出栏6150万头，保持全国第1位。新建和改造高标准农田425万亩，耕地净增加60万亩以上。",
            425.0,
        ),  # 四川 2025
    ],
)
def test_farmland_built_new_or_rebuilt_is_high_standard_farmland(
    sentence: str, value: float
) -> None:
    name = "高标准农田建设"
    assert [f for f in _found(sentence) if f[0] == name] == [(name, value, "万亩")]


@pytest.mark.parametrize(
    ("name", "unit", "target", "actual", "verdict"),
    [
        # 四川 2025's plan against 四川 2026's review
        ("城中村改造", "万户", ("城中村10万户", 10.0), ("城中村5.1万户", 5.1), "missed"),
        ("城市危旧房改造", "万套", ("城市危旧房3万套", 3.0), ("城市危旧房3.1万套", 3.1), "met"),
        (
            "管网改造",
            "公里",
            ("更新改造燃气、供排水等老化管道6000公里以上", 6000.0),
            ("完成燃气、排水、供水管网改造9436公里", 9436.0),
            "met",
        ),
    ],
)
def test_a_renewal_task_is_judged_only_when_the_next_report_states_it(
    name: str, unit: str, target: tuple[str, float], actual: tuple[str, float], verdict: str
) -> None:
    table = indicator(name)
    assert table is not None and table.task
    a = _Report("sc_2025", 2025).target(
        target[0], value=target[1], name=name, canonical_name=name, unit=unit, bound="at_least"
    )
    b = _Report("sc_2026", 2026)
    assert track_summaries([a.summary(), b.summary()]).links == []  # a task, unreported
    b.actual(actual[0], value=actual[1], name=name, canonical_name=name, unit=unit)
    links = track_summaries([a.summary(), b.summary()]).links
    assert [(x.indicator, x.verdict) for x in links] == [(name, verdict)]
