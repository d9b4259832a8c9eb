"""Plan-period words: which five-year plan names the genre's patterns accept, and which plan
a report's year leads into."""

from __future__ import annotations

import re

import pytest

from summarizer.lexicon.periods import PLAN_PERIOD, upcoming_plan_name


@pytest.mark.parametrize(
    ("year", "plan"),
    [(1985, "七五"), (2000, "十五"), (2005, "十一五"), (2020, "十四五"), (2025, "十五五")],
)
def test_the_plan_after_a_year(year: int, plan: str) -> None:
    assert upcoming_plan_name(year) == plan


def test_no_plan_outside_the_plan_era() -> None:
    assert upcoming_plan_name(None) is None
    assert upcoming_plan_name(1980) is None


def test_every_plan_a_report_can_name_from_the_eleventh_on_is_a_plan_period() -> None:
    # 十一五 (2006) is the oldest plan these reports look back to; 十九五 ends in 2050.
    for year in range(2005, 2049):
        plan = upcoming_plan_name(year)
        assert plan is not None and re.fullmatch(PLAN_PERIOD, plan), (year, plan)


@pytest.mark.parametrize("text", ["十五个重点项目", "二十五家企业", "三十五岁以下", "十五年来"])
def test_a_number_is_not_a_plan_period(text: str) -> None:
    assert re.search(PLAN_PERIOD, text) is None


def test_plans_after_the_nineteenth_are_named_too() -> None:
    # A report whose year reads 2050 or later once made the structure parser raise here.
    assert upcoming_plan_name(2050) == "二十五"
    assert upcoming_plan_name(2055) == "二十一五"
    assert upcoming_plan_name(2099) == "二十九五"
