"""The five-year plan periods as these reports name them: “十四五”时期, 十五五规划, 十三五以来 …

`PLAN_PERIOD` is a regex fragment (no group) for one plan's name: 十一五 (2006–2010) to 十九五
(2046–2050). The tenth plan, 十五 (2001–2005), is left out: the same two characters are the
number fifteen (十五个, 十五年), and reports written today look back no further than 十一五.
`upcoming_plan_name` names the plan the year after a given year falls in.
"""

from __future__ import annotations

__all__ = ["PLAN_PERIOD", "upcoming_plan_name"]

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
