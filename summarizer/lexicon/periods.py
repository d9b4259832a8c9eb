"""The five-year plan periods as these reports name them: “十四五”时期, 十五五规划, 十三五以来 …

`PLAN_PERIOD` is a regex fragment (no group) for one plan's name: 十一五 (2006–2010) to 十九五
(2046–2050). The tenth plan, 十五 (2001–2005), is left out: the same two characters are the
number fifteen (十五个, 十五年), and reports written today look back no further than 十一五.
`upcoming_plan_name` names the plan the year after a given year falls in.
"""

from __future__ import annotations

__all__ = [
    "BASE_BEFORE",
    "FROM_TO",
    "HALF_YEAR_WORDS",
    "MONTHS_WORDS",
    "MULTI_YEAR_WORDS",
    "PLAN_PERIOD",
    "QUARTER_WORDS",
    "STOCK_WORDS",
    "YEAR_WORDS",
    "plan_last_year",
    "upcoming_plan_name",
]

PLAN_PERIOD = "十[一二三四五六七八九]五"

_DIGITS = "一二三四五六七八九"


def upcoming_plan_name(year: int | None) -> str | None:
    """The five-year plan the year after `year` falls in ("十五五" for 2025)."""
    if year is None or not 1981 <= year <= 2099:
        return None
    n = (year + 1 - 1981) // 5 + 6  # 六五 began in 1981
    tens, ones = divmod(n, 10)  # the plan number in numerals: 七, 十, 十一, 二十, 二十一 …
    return (
        (_DIGITS[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (_DIGITS[ones - 1] if ones else "")
        + "五"
    )


# The stretch of time a figure covers, as its period or lead-in writes it (regex fragments;
# matched against "PERIOD LEAD-IN", so ^五年\s is a period written as just 五年).
MULTI_YEAR_WORDS = (
    r"五年来|过去的?五年|这五年|今后五年|未来五年|今后一[个段]时期|五年累计|累计五年|五年[间内]|年均(?:增长|增速|递增|提高|上涨|下降)"
    r"|五年(?=增长|提高|下降|增加|减少)|^五年\s"
    rf"|到20\d\d年|{PLAN_PERIOD}”?(?:期间|时期|以来)"
)
# A year right after these is the base a change is measured from, not the figure's period:
# "比2016年增加80天" (易县 2021), "较2020年增长90%" (海南 2026), "与2015年相比…下降34.6%" (顺平 2021).
BASE_BEFORE = "比较与"
# A level reached from a start: "由3.2亿元增长到5.5亿元", "从2015年的87.55亿元增长到…", "从689万户
# 增至951万户". The level reached is the end's; a change stated beside it spans from the start.
FROM_TO = r"[从由][^，,；;。]*?(?:到|至)"
HALF_YEAR_WORDS = r"上半年|下半年|半年"
QUARTER_WORDS = r"^[一二三四1-4]季度|^第[一二三四1-4]季度"
MONTHS_WORDS = r"\d{1,2}\s*[-—–－至到]\s*\d{1,2}\s*月|前[一二三]季度|前\d{1,2}个?月|\d{1,2}月份?$"
YEAR_WORDS = r"全年|年度|今年|去年|上年|明年|20\d\d年|年末|年底"
# A stock counted at a point in time, not a flow over a year: 存贷款余额, 市场主体总数.
STOCK_WORDS = r"余额|总数|保有量|存量|拥有|总量达|累计达"


def plan_last_year(name: str) -> int | None:
    """The last year of a five-year plan named 十一五 … 十九五 (十四五 → 2025)."""
    digits = name.strip('“”"')
    if len(digits) != 3 or digits[0] != "十" or digits[2] != "五" or digits[1] not in _DIGITS:
        return None
    n = 10 + _DIGITS.index(digits[1]) + 1
    return 1981 + 5 * (n - 6) + 4
