"""summarizer.track: the verdict rules (table-driven), linking, series and scoring."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from summarizer.models import Metric, ReportMeta, RunInfo, Summary
from summarizer.track import track_summaries
from summarizer.track.scoring import LabelFigure, LabelLink, score_links
from summarizer.track.series import entity_key
from summarizer.track.verdict import Target, judge
from tests.render_fixtures import TextBuilder

VERDICTS = Path(__file__).parent / "data" / "tracking" / "verdicts.csv"


def _cases() -> list[dict[str, str]]:
    with VERDICTS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _float(s: str) -> float | None:
    return float(s) if s else None


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["rule"])
def test_verdict_rules(case: dict[str, str]) -> None:
    t = float(case["target"])
    target = Target(
        value=t,
        bound=case["bound"] or None,  # type: ignore[arg-type]
        low=_float(case["low"]),
        high=_float(case["high"]),
        falls=t < 0,
        in_points=case["unit"] in ("%", "个百分点"),
    )
    better = case["better"]
    assert better in ("higher", "lower")
    verdict = judge(target, float(case["actual"]), better)  # type: ignore[arg-type]
    assert verdict == case["verdict"], case["example"]


def test_tolerance_is_configurable() -> None:
    about = Target(value=7.5, bound="about", in_points=True)
    assert judge(about, 7.0) == "met"
    assert judge(about, 7.0, tolerance_pp=0.3) == "missed"
    assert judge(about, 7.2, tolerance_pp=0.3) == "met"


# --- linking on summaries built by hand ------------------------------------------------------


class _Report:
    """One report's text and metrics, built sentence by sentence."""

    def __init__(self, rid: str, year: int, entity: str = "某县") -> None:
        self.rid, self.year, self.entity = rid, year, entity
        self.text = TextBuilder(f"{entity}{year}年政府工作报告\n")
        self.metrics: list[Metric] = []

    def add(self, sentence: str, quote: str, **fields: Any) -> _Report:
        ev = self.text.add(sentence, quote)
        fields.setdefault("name", fields.get("canonical_name", "x"))
        fields.setdefault("span", "year")
        self.metrics.append(Metric(evidence=ev, **fields))
        return self

    def target(self, quote: str, **fields: Any) -> _Report:
        fields.setdefault("reference_year", self.year + 1)
        return self.add(f"今年的目标是{quote}。", quote, status="target", **fields)

    def actual(self, quote: str, **fields: Any) -> _Report:
        fields.setdefault("reference_year", self.year)
        return self.add(f"去年{quote}。", quote, status="actual", **fields)

    def summary(self, kind: str = "annual") -> Summary:
        meta = ReportMeta(
            id=self.rid,
            source=f"{self.rid}.txt",
            entity=self.entity,
            year=self.year,
            kind=kind,  # type: ignore[arg-type]
            chars=len(self.text.text),
            sha256="0" * 64,
        )
        run = RunInfo(backend="rules", prompt_version="t")
        return Summary(report=meta, metrics=self.metrics, run=run)


GDP = {"canonical_name": "地区生产总值", "name": "地区生产总值"}
GDP_UP = {**GDP, "measure": "change", "direction": "up", "unit": "%"}


def _one(links: list[Any], indicator: str) -> Any:
    found = [link for link in links if link.indicator == indicator]
    assert len(found) == 1, found
    return found[0]


def test_a_growth_target_links_to_the_growth_actual_not_to_the_level() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长6%左右", value=6, bound="about", **GDP_UP)
    b = _Report("a_2021", 2021)
    b.actual("地区生产总值达到500亿元", value=500, unit="亿元", **GDP)  # a level
    b.actual("地区生产总值增长5.6%", value=5.6, **GDP_UP)
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert (link.year, link.measure, link.verdict) == (2021, "change", "met")
    assert link.actual is not None and link.actual.quote == "地区生产总值增长5.6%"
    assert link.target.report_id == "a_2020" and link.actual.report_id == "a_2021"


def test_the_change_stated_beside_a_level_is_an_actual_of_the_change() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长7%", value=7, **GDP_UP)
    b = _Report("a_2021", 2021).actual(
        "地区生产总值达到500亿元，增长6.9%", value=500, unit="亿元", change_pct=6.9, **GDP
    )
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert link.actual is not None and link.actual.value == 6.9 and link.actual.beside
    assert link.verdict == "missed"  # exact 7: 6.9 is on the worse side


def test_five_year_figures_are_never_linked() -> None:
    a = _Report("a_2020", 2020)
    a.target("地区生产总值年均增长6%", value=6, span="multi_year", reference_year=2025, **GDP_UP)
    a.target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("a_2021", 2021)
    b.actual("五年来地区生产总值年均增长7%", value=7, span="multi_year", **GDP_UP)
    links = track_summaries([a.summary(), b.summary()]).links
    link = _one(links, "地区生产总值")
    assert link.target.quote == "地区生产总值增长6%"
    assert (link.actual, link.verdict) == (None, "not_reported")


def test_a_part_of_the_year_is_no_actual() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("a_2021", 2021).actual(
        "上半年地区生产总值增长8%", value=8, span="half_year", **GDP_UP
    )
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert link.verdict == "not_reported"


def test_a_gap_or_the_last_year_is_unclear() -> None:
    a = _Report("a_2019", 2019).target("地区生产总值增长6%", value=6, **GDP_UP)
    c = _Report("a_2021", 2021).target("地区生产总值增长5%", value=5, **GDP_UP)
    links = track_summaries([a.summary(), c.summary()]).links
    assert [(x.year, x.verdict) for x in links] == [(2020, "unclear"), (2022, "unclear")]
    assert all("no report on" in x.note for x in links)


def test_two_different_actual_figures_are_unclear_with_both_in_the_note() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("a_2021", 2021)
    b.actual("地区生产总值增长6.1%", value=6.1, **GDP_UP)
    b.actual("地区生产总值增长5.2%", value=5.2, **GDP_UP)
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert link.verdict == "unclear" and "6.1%" in link.note and "5.2%" in link.note


def test_an_actual_in_another_unit_is_unclear() -> None:
    jobs = {"canonical_name": "城镇新增就业", "name": "城镇新增就业", "unit": "万人"}
    a = _Report("a_2020", 2020).target("城镇新增就业5万人以上", value=5, bound="at_least", **jobs)
    b = _Report("a_2021", 2021).actual(
        "城镇新增就业增长3%",
        value=3,
        measure="change",
        direction="up",
        **{**jobs, "unit": "%"},
    )
    c = _Report("b_2021", 2021, "他县")  # another entity's figure is never an actual
    link = _one(track_summaries([a.summary(), b.summary(), c.summary()]).links, "城镇新增就业")
    assert link.verdict == "not_reported"  # a change is no level: other measure, not linked
    b2 = _Report("a_2021", 2021).actual(
        "城镇新增就业5.2千人", value=5.2, **{**jobs, "unit": "千人"}
    )
    link = _one(track_summaries([a.summary(), b2.summary()]).links, "城镇新增就业")
    assert link.verdict == "unclear" and "other units" in link.note


def test_units_of_one_base_convert() -> None:
    jobs = {"canonical_name": "城镇新增就业", "name": "城镇新增就业"}
    a = _Report("a_2020", 2020).target(
        "城镇新增就业1亿人以上", value=1, unit="亿人", bound="at_least", **jobs
    )
    b = _Report("a_2021", 2021).actual("城镇新增就业9800万人", value=9800, unit="万人", **jobs)
    assert _one(track_summaries([a.summary(), b.summary()]).links, "城镇新增就业").verdict == (
        "missed"
    )


def test_a_fall_target_is_met_by_a_larger_fall() -> None:
    energy = {
        "canonical_name": "单位地区生产总值能耗",
        "name": "单位国内生产总值能耗",
        "measure": "change",
        "direction": "down",
        "unit": "%",
    }
    a = _Report("n_2014", 2014).target("能耗下降3.9%以上", value=3.9, bound="at_least", **energy)
    b = _Report("n_2015", 2015).actual("能耗下降4.8%", value=4.8, **energy)
    link = _one(track_summaries([a.summary(), b.summary()]).links, "单位地区生产总值能耗")
    assert link.verdict == "met"


def test_forecast_stands_in_only_without_an_actual() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("a_2021", 2021).add(
        "预计全年地区生产总值增长6.2%。",
        "地区生产总值增长6.2%",
        status="forecast",
        reference_year=2021,
        value=6.2,
        **GDP_UP,
    )
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert link.verdict == "met" and "预计" in link.note
    b.actual("地区生产总值增长5.5%", value=5.5, **GDP_UP)
    link = _one(track_summaries([a.summary(), b.summary()]).links, "地区生产总值")
    assert link.verdict == "missed" and link.actual is not None and link.actual.status == "actual"


def test_plan_figures_and_unknown_names_are_tracked_only_with_an_outcome() -> None:
    deficit = {"canonical_name": "赤字率", "name": "赤字率", "unit": "%"}
    other = {"name": "新增护理型床位", "unit": "张"}  # a count of things delivered
    a = _Report("a_2020", 2020)
    a.target("赤字率拟按3%", value=3, **deficit)
    a.target("新增护理型床位1000张", value=1000, **other)
    b = _Report("a_2021", 2021)
    assert track_summaries([a.summary(), b.summary()]).links == []
    b.actual("新增护理型床位1200张", value=1200, **other)
    link = _one(track_summaries([a.summary(), b.summary()]).links, "新增护理型床位")
    assert link.verdict == "met"


def test_entities_are_grouped_by_their_own_name_and_half_years_are_left_out() -> None:
    assert entity_key("河北省保定市清苑区") == entity_key("清苑区人民政府") == "清苑区"
    assert entity_key("国务院") == "国务院" and entity_key("保定市") == "保定市"
    a = _Report("q_2020", 2020, "保定市清苑区").target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("q_2021", 2021, "清苑区").actual("地区生产总值增长6.5%", value=6.5, **GDP_UP)
    h = _Report("q_2021h", 2021, "清苑区").actual("地区生产总值增长1%", value=1, **GDP_UP)
    result = track_summaries([a.summary(), b.summary(), h.summary("half_year")])
    assert [s.entity for s in result.series] == ["清苑区"]
    assert _one(result.links, "地区生产总值").verdict == "met"
    assert result.scorecard("清苑区", 2021) == {
        "met": 1,
        "missed": 0,
        "not_reported": 0,
        "unclear": 0,
    }


# --- scoring -----------------------------------------------------------------------------------


def test_scoring_counts_links_verdicts_and_not_reported_judged() -> None:
    a = _Report("a_2020", 2020).target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("a_2021", 2021).actual("地区生产总值增长6.5%", value=6.5, **GDP_UP)
    links = track_summaries([a.summary(), b.summary()]).links
    texts = {"a_2020": a.text.text, "a_2021": b.text.text}
    target = LabelFigure(report="a_2020", quote="增长6%", value=6)
    right = LabelLink(
        indicator="GDP",
        measure="change",
        year=2021,
        target=target,
        actual=LabelFigure(report="a_2021", quote="增长6.5%", value=6.5),
        verdict="met",
    )
    score = score_links([right], links, texts)  # the indicator differs, the quote overlaps
    assert (score.recall, score.precision, score.verdict_accuracy) == (1.0, 1.0, 1.0)
    silent = right.model_copy(update={"actual": None, "verdict": "not_reported"})
    score = score_links([silent], links, texts)
    assert score.correct == 0 and score.matched == 1 and score.not_reported_judged == 1
    elsewhere = right.model_copy(update={"year": 2022})
    score = score_links([elsewhere], links, texts)
    assert score.matched == 0 and score.recall == 0.0 and score.precision == 0.0


def test_a_term_review_is_the_next_report_on_the_terms_last_year() -> None:
    # a five-year review (kind multi_year, on the term's last year) is the first report after
    # that year: a target it gives no figure for is not_reported, not "no report on 2020"
    a = _Report("t_2019", 2019).target("地区生产总值增长6%", value=6, **GDP_UP)
    a.target("城镇新增就业1500人", value=1500, unit="人", canonical_name="城镇新增就业")
    b = _Report("t_2020", 2020).actual(
        "城镇新增就业1.2万人",
        value=1.2,
        unit="万人",
        span="multi_year",
        canonical_name="城镇新增就业",
    )
    b.actual("地区生产总值增长3.5%", value=3.5, **GDP_UP)
    links = track_summaries([a.summary(), b.summary("multi_year")]).links
    assert _one(links, "地区生产总值").verdict == "missed"
    assert _one(links, "城镇新增就业").verdict == "not_reported"
