"""Number parsing: figures as the reports write them (Arabic, Chinese, full-width, ranges)."""

from __future__ import annotations

import re

import pytest

from summarizer.lexicon.numbers import (
    NUMBER,
    UNIT,
    is_count_unit,
    number_forms,
    parse_change,
    parse_number,
    parse_quantity,
    to_ascii,
    value_in_quote,
)

QUANTITIES = [
    # written, value, unit, approx, upper
    ("4.01亿元", 4.01, "亿元", "", None),
    ("3061万元", 3061, "万元", "", None),
    ("8666万美元", 8666, "万美元", "", None),
    ("9.5万亿元", 9.5, "万亿元", "", None),
    ("44198元", 44198, "元", "", None),
    ("1,234.5万元", 1234.5, "万元", "", None),
    ("17个", 17, "个", "", None),
    ("1.8万平方米", 1.8, "万平方米", "", None),
    ("9.6亿人次", 9.6, "亿人次", "", None),
    ("2.12万亩", 2.12, "万亩", "", None),
    ("百分之十", 10, "%", "", None),
    ("百分之三点五", 3.5, "%", "", None),
    ("二十余家", 20, "家", "余", None),
    ("两万亩", 2, "万亩", "", None),
    ("一千二百万元", 1200, "万元", "", None),
    ("三十个", 30, "个", "", None),
    ("4.5%-5%", 4.5, "%", "", 5),
    ("4.5%—5%", 4.5, "%", "", 5),
    ("4.5-5%", 4.5, "%", "", 5),
    ("5%左右", 5, "%", "左右", None),
    ("6%以上", 6, "%", "以上", None),
    ("200余次", None, None, None, None),  # 次 is no unit the extractor reports
    ("约3.5万人", 3.5, "万人", "约", None),
    ("超25万个", 25, "万个", "超", None),
    ("440余家", 440, "家", "余", None),
    ("１２％", 12, "%", "", None),
    ("１２亿元", 12, "亿元", "", None),
    ("2020年", None, None, None, None),
    ("十四五", None, None, None, None),
    ("5G", None, None, None, None),
    ("", None, None, None, None),
]


@pytest.mark.parametrize(("written", "value", "unit", "approx", "upper"), QUANTITIES)
def test_parse_quantity(
    written: str, value: float | None, unit: str | None, approx: str | None, upper: float | None
) -> None:
    q = parse_quantity(written)
    if value is None:
        assert q is None
        return
    assert q is not None
    expected: tuple[object, ...] = (pytest.approx(value), unit, approx, upper)
    assert (q.value, q.unit, q.approx, q.upper) == expected


CHANGES = [
    ("同比增长6.8%", 6.8),
    ("同比下降13.3%", -13.3),
    ("同比减少14.4%", -14.4),
    ("增长-7.8%", -7.8),
    ("下降13.3%", -13.3),
    ("增幅23.36%", 23.36),
    ("比上年增长5%左右", 5),
    ("年均增长4.5%-5%", 4.5),
    ("增长百分之五", 5),
    ("下降百分之三点五", -3.5),
    ("负增长2%", -2),
    ("增长率150%", 150),
    ("增长1.5倍", None),  # a multiple is no percentage change
    ("增长5亿元", None),
    ("完成80.9%", None),
]


@pytest.mark.parametrize(("written", "change"), CHANGES)
def test_parse_change(written: str, change: float | None) -> None:
    got = parse_change(written)
    assert got == (pytest.approx(change) if change is not None else None)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4.01", 4.01),
        ("1,234.5", 1234.5),
        ("１２", 12),
        ("二十", 20),
        ("二十余", 20),
        ("三点五", 3.5),
        ("一百零五", 105),
        ("两万", 20000),
        ("1.5万", 15000),
        ("约300", 300),
        ("负三", -3),
        ("abc", None),
        ("", None),
        ("十四五", None),
    ],
)
def test_parse_number(written: str, value: float | None) -> None:
    got = parse_number(written)
    assert got == (pytest.approx(value) if value is not None else None)


def test_value_in_quote_matches_spec_forms() -> None:
    assert value_in_quote(4.01, "实现公共财政预算收入4.01亿元")
    assert value_in_quote(5.0, "增长5%左右")
    assert value_in_quote(138, "预计全年完成138亿元")
    assert not value_in_quote(1234.5, "1,234.5万元")  # why the extractor skips separators
    assert not value_in_quote(12, "１２亿元")  # nor full-width digits
    assert "4.01" in number_forms(4.010)
    assert "5" in number_forms(5.0)


def test_to_ascii_only_maps_fullwidth() -> None:
    assert to_ascii("１２．５％") == "12.5%"
    assert to_ascii("增长4.5%") == "增长4.5%"


def test_unit_alternation_prefers_longest() -> None:
    pat = re.compile(f"(?:{NUMBER})({UNIT})")
    cases = {"9.5万亿元": "万亿元", "9.6亿人次": "亿人次", "2.1万平方米": "万平方米", "5%": "%"}
    for written, unit in cases.items():
        m = pat.match(written)
        assert m is not None and m.group(1) == unit, written


def test_compound_units_are_one_unit() -> None:
    # 微克/立方米, 万元/人: what a figure is divided by is part of its unit, written as it is
    pat = re.compile(f"(?:{NUMBER})({UNIT})")
    cases = {
        "20.6微克/立方米": "微克/立方米",
        "42万元/人": "万元/人",
        "0.03人/百亿元": "人/百亿元",
        "30万吨/日": "万吨/日",
        "1.2万P": "万P",
        "12.1亿度": "亿度",
        "2.8个百分点": "个百分点",
        "236天": "天",
    }
    for written, unit in cases.items():
        m = pat.match(written)
        assert m is not None and m.group(1) == unit, written
    assert pat.match("45度") is None  # a bare 度 is an angle or a degree, not electricity
    assert not is_count_unit("万元/户") and is_count_unit("万户")


def test_number_pattern_is_ascii_only() -> None:
    assert re.fullmatch(NUMBER, "１２") is None
    assert re.fullmatch(NUMBER, "1,234.5") is not None
