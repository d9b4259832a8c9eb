"""Canonical names for the common indicators, so reports compare across a folder.

Reports name the same indicator many ways (公共财政预算收入 / 一般公共预算收入 / 地方一般公共预算收入;
规模工业总产值 / 规上工业总产值 / 规模以上工业总产值; 全市生产总值 / 地区生产总值 / GDP). A name is
first stripped of its scope prefix (全省/全市/街道/全社会 …), then matched against ordered
patterns; the first match gives the canonical name.

Decisions:
- 限额以上 (限上) 社会消费品零售总额 stays distinct from 社会消费品零售总额: it covers only the
  larger retailers and is not comparable with a whole-area total.
- 地方财政收入 is 一般公共预算收入 (its meaning in 统计公报); a bare 财政收入 is ambiguous (财政总收入
  or 一般公共预算收入, depending on the report) and stays unmapped.
- 人均 indicators (人均地区生产总值, 人均一般公共预算收入) are distinct from their totals.
- 城镇 / 农村 居民人均可支配收入 are distinct from the all-resident figure; 居民可支配收入 (as seed
  000 writes it) is the all-resident one.
- 实际利用外资 / 实际使用外资 / 到位外资 / 实到外资 are one indicator (the genre uses them
  interchangeably); 到位内资 is separate.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["canonical_name", "is_indicator"]

# Scope words in front of a name that do not change the indicator.
_SCOPE = re.compile(
    r"^(?:(?:[\u4e00-\u9fff]{2,3}(?:街道|园区|镇))|全街道|本街道|街道|园区|全镇|全区|全县|全市|全省|全州"
    r"|全社会|全年|年度|本年度|半年度|上半年|今年|累计|我省|我市|我区|全口径|完成|实现|实施|安排|推进|列入)+"
)

# (pattern on the scope-stripped name, canonical name) — first match wins, so specific before broad.
_RULES: list[tuple[str, str]] = [
    (r"^人均(?:地区)?生产总值$|^人均GDP$", "人均地区生产总值"),
    (r"^(?:地区)?生产总值(?:总量)?$|^GDP$|^经济总量$", "地区生产总值"),
    (r"^人均.*(?:公共)?(?:财政)?预算收入$", "人均一般公共预算收入"),
    (
        r"^(?:地方)?(?:一般)?公共(?:财政)?(?:预算)?收入$|^(?:地方)?一般公共财政预算收入$"
        r"|^(?:财政)?一般预算收入$|^地方财政收入$",
        "一般公共预算收入",
    ),
    (r"^财政总收入$", "财政总收入"),  # bare 财政收入 is ambiguous: left unmapped
    (r"^税收(?:收入|总额)?$", "税收收入"),
    (r"^(?:规模以上|规上|规模)工业(?:总)?产值$", "规上工业总产值"),
    (r"^(?:规模以上|规上|规模)?工业(?:企业)?增加值$", "规上工业增加值"),
    (
        r"^(?:[省市区县]+级?)?重点(?:建设|产业)?项目(?:完成|累计完成|年度)?(?:总)?投资(?:额)?$",
        "重点项目投资",
    ),
    (r"^(?:列入)?(?:[省市区县]+级?)?重点(?:建设|产业)?项目(?:数)?$", "重点项目数"),
    (r"^固定资产投资(?:总额|完成额)?$|^固投$", "固定资产投资"),
    (r"^(?:限额以上|限上)社会消费品零售(?:总)?额$|^限上社零额$", "限额以上社会消费品零售总额"),
    (r"^社会消费品零售(?:总)?额$|^社零(?:总)?额$", "社会消费品零售总额"),
    (r"^(?:外贸|货物|货物贸易)?进出口(?:总额|总值|额)?$|^外贸总额$", "进出口总额"),
    (r"^(?:自营|外贸|货物)?出口(?:总额|额|总值)?$", "出口总额"),
    (
        r"^实际(?:利用|使用|到位|到账)外资(?:金额|总额)?$|^(?:到位|实到|利用|使用)?外资$",
        "实际利用外资",
    ),
    (r"^(?:实际)?(?:到位|实到|利用)内资(?:总额)?$", "实际到位内资"),
    (r"^城镇(?:常住)?居民(?:人均)?可支配收入$", "城镇居民人均可支配收入"),
    (
        r"^农村(?:常住)?居民(?:人均)?可支配收入$|^农民人均(?:可支配|纯)收入$",
        "农村居民人均可支配收入",
    ),
    (r"^(?:全体)?居民(?:人均)?可支配收入$", "居民人均可支配收入"),
    (r"^城镇新增就业(?:人数)?$", "城镇新增就业"),
    (r"^城镇(?:调查)?失业率(?:平均值)?$", "城镇调查失业率"),
    (r"^居民消费价格(?:涨幅|指数)?$|^CPI$", "居民消费价格"),
    (r"^(?:研发|R&D)经费(?:投入|支出)?$|^研发投入$", "研发经费支出"),
    (r"^粮食(?:总)?产量$", "粮食产量"),
]
_COMPILED = [(re.compile(p), c) for p, c in _RULES]


@lru_cache(maxsize=4096)
def canonical_name(name: str) -> str | None:
    """The common name of a known indicator, or None when `name` is not one of them."""
    core = _SCOPE.sub("", name.strip()) or name.strip()
    core = re.sub(r"[“”\"\s]", "", core)
    for pattern, canonical in _COMPILED:
        if pattern.search(core):
            return canonical
    return None


# Endings that make a name an economic or social indicator rather than a count of activities.
_INDICATOR_TAIL = re.compile(
    r"(?:收入|产值|总值|总额|增加值|投资|投资额|销售额|营业额|零售额|营收|利润|税收|税源|出口|进口|进出口|外资"
    r"|内资|支出|产量|面积|里程|余额|吞吐量|客运量|货运量|发送量|游客|就业|失业率|价格|人口|经费|资金"
    r"|规模|总量|消费|贸易额|成交额|交易额|率|比重|占比|强度|指数|人数|企业|项目|产业|人才|岗位|学位"
    r"|床位|住房|用地|基站|市场主体|经营主体)$"
)


@lru_cache(maxsize=4096)
def is_indicator(name: str, unit: str, *, has_change: bool = False) -> bool:
    """Whether a named figure reads as an indicator worth a metrics row (not "锅炉 4台").

    Known indicators always do; otherwise a stated year-on-year change, a rate, or a name ending
    in an indicator noun (收入, 产值, 投资, 企业, 项目, …) does."""
    if canonical_name(name) is not None or has_change:
        return True
    if unit.endswith("元") and name.endswith("额"):
        return True  # an amount of money named as one: 引资额, 签约额, 合同额 …
    return bool(_INDICATOR_TAIL.search(name)) or (unit == "%" and name.endswith(("率", "比重")))
