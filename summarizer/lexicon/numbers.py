"""Numbers as these reports write them: 4.01亿元, 3061万元, 增长-7.8%, 百分之十, 二十余家 …

Two layers:
- regex building blocks (`NUMBER`, `UNIT`, `CHANGE_UP`, `CHANGE_DOWN`) that the metric extractor
  scans with — Arabic digits only, since a metric is emitted only when its value is written in
  Arabic digits inside its quote (SPEC);
- a parser (`parse_number`, `parse_quantity`, `parse_change`) for a whole written figure, which
  also reads Chinese numerals (百分之十, 二十余家, 一千二百万元) and full-width digits.

`value_in_quote` / `number_forms` carry the SPEC rule and match the contract checker exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "BOUND_ABOUT_AFTER",
    "BOUND_ABOUT_BEFORE",
    "BOUND_AT_LEAST_AFTER",
    "BOUND_AT_LEAST_BEFORE",
    "BOUND_AT_MOST_AFTER",
    "BOUND_AT_MOST_BEFORE",
    "CHANGE_DOWN",
    "CHANGE_UP",
    "NUMBER",
    "UNIT",
    "UNITS",
    "Quantity",
    "is_count_unit",
    "number_forms",
    "parse_change",
    "parse_number",
    "parse_quantity",
    "to_ascii",
    "value_in_quote",
]


def number_forms(value: float) -> set[str]:
    """Ways `value` can be written in Arabic digits (4.01, 4.010 → "4.01"; 5.0 → "5")."""
    forms = {repr(value), str(value), f"{value:g}"}
    if float(value).is_integer():
        forms.add(str(int(value)))
    forms |= {f.rstrip("0").rstrip(".") for f in list(forms) if "." in f}
    return {f for f in forms if f}


@lru_cache(maxsize=4096)
def _forms(value: float) -> tuple[str, ...]:
    return tuple(number_forms(value))


def value_in_quote(value: float, quote: str) -> bool:
    """SPEC: a metric's value must be written inside its own quote."""
    return any(f in quote for f in _forms(float(value)))


# --- regex building blocks ---------------------------------------------------------------------

# Units the genre writes after a figure. Magnitude prefixes (万/亿/万亿) combine with base units;
# the alternation is sorted longest first so 万亿元 wins over 亿元 and 人次 over 人.
_MONEY = ["元", "美元"]
_BASE_UNITS = [
    "个",
    "家",
    "亩",
    "平方米",
    "平方公里",
    "立方米",
    "公里",
    "千米",
    "米",
    "吨",
    "人次",
    "人",
    "名",
    "户",
    "项",
    "件",
    "套",
    "座",
    "所",
    "辆",
    "台",
    "条",
    "处",
    "张",
    "间",
    "株",
    "头",
    "只",
    "艘",
    "架",
    "斤",
    "公斤",
    "千克",
    "公顷",
    "千瓦",
    "千瓦时",
    "标箱",
    "标准箱",
    "床",
    "张床位",
    "部",
    "批",
    "场",
    "栋",
    "幢",
    "天",  # 优良天数达到236天
    "微克",  # PM2.5平均浓度23微克 (per cubic metre: see _PER)
    "P",  # computing power: 算力规模达到1.2万P
]
# Units written only with a magnitude: 全社会用电量12.1亿度 (a bare 度 is an angle or a degree).
_MAGNITUDE_ONLY = ["度"]
_MAGNITUDES = ["万亿", "亿", "万"]
UNITS: tuple[str, ...] = tuple(
    sorted(
        {*_MONEY, *_BASE_UNITS, "%", "倍", "个百分点"}
        | {m + u for m in _MAGNITUDES for u in (*_MONEY, *_BASE_UNITS, *_MAGNITUDE_ONLY)}
        | {"万", "亿", "万亿"},  # "销售额1078万" — magnitude alone, money implied
        key=lambda u: (-len(u), u),
    )
)
# What a compound unit divides by: 微克/立方米, 万元/人, 万吨/日, 人/百亿元. The unit is kept whole,
# as written: "42万元/人" is not 42万元.
_PER = sorted(
    (
        *("立方米", "平方米", "平方公里", "公里", "亩", "吨"),
        *("百亿元", "亿元", "万元", "人", "户"),
        *("小时", "秒", "日", "天", "月", "年"),
    ),
    key=lambda u: (-len(u), u),
)
UNIT = (
    "(?:"
    + "|".join(re.escape(u) for u in UNITS)
    + ")(?:/(?:"
    + "|".join(re.escape(u) for u in _PER)
    + "))?"
)

# How a unit that counts things ends (17个, 7.6万家, 3所), as against money and measures.
_COUNT_ENDINGS = frozenset("个家项件套座所辆台名户处间株头只艘架")


def is_count_unit(unit: str) -> bool:
    """Whether `unit` counts things (个, 万家 …) rather than measuring an amount (万元/户 is an
    amount per household)."""
    return "/" not in unit and unit[-1:] in _COUNT_ENDINGS


# An Arabic number: 4.01, 3061, 1,234.5 (thousands separators are kept so callers can see them).
NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"  # ASCII only

CHANGE_UP = "增长率|增长|增加|提高|提升|上升|上涨|增幅|增速|涨幅|回升|扩大"
CHANGE_DOWN = "下降|减少|降低|下滑|回落|下跌|降幅|缩减|减幅|负增长"

# How exact a figure is, by the words right after it (增长6%左右) or right before (约5%).
BOUND_ABOUT_AFTER = r"\s*(?:左右|上下)"
BOUND_AT_LEAST_AFTER = r"\s*(?:及?以上|多|余|新台阶)"
BOUND_AT_MOST_AFTER = r"\s*(?:以内|以下)"
BOUND_ABOUT_BEFORE = "约|近|大约|接近|大概"
BOUND_AT_LEAST_BEFORE = "超过|超|突破|逾|不低于|不少于|高于|迈上|跨越|跃上|至少"
# 不低于/不少于 end in 低于/少于 but are at least: "力争项目库储备不低于80个".
BOUND_AT_MOST_BEFORE = "不超过|不高于|(?<!不)低于|(?<!不)少于|控制在|控制|至多"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"


def to_ascii(s: str) -> str:
    """Full-width digits and signs as ASCII (for parsing only — never for quotes)."""
    return s.translate(_FULLWIDTH)


_APPROX_PREFIX = re.compile(r"^(?:约|近|超过|超|逾|达到|达|共|计|累计)")
_APPROX_SUFFIX = re.compile(r"(?:余|多|几|左右|以上|以下|以内|上下)$")


def parse_number(s: str) -> float | None:
    """A number written in Arabic (4.01, 1,234.5, full-width １２) or Chinese (二十, 三点五, 两万)
    digits, with approximation words (约/近/超/余/多/左右/以上) ignored. None when unreadable."""
    t = to_ascii(s.strip())
    t = _APPROX_PREFIX.sub("", t)
    prev = None
    while prev != t:
        prev, t = t, _APPROX_SUFFIX.sub("", t)
    if not t:
        return None
    if re.fullmatch(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", t):
        return float(t.replace(",", ""))
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)(万亿|亿|千万|百万|万|千)", t)
    if m:  # "1.5万" as a bare number
        mult = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
        return float(m.group(1)) * mult[m.group(2)]
    if t.startswith("负"):
        v = parse_number(t[1:])
        return -v if v is not None else None
    if t and all(c in _CN_DIGITS for c in t):
        import cn2an  # late: importing cn2an costs ~0.5 s, and most reports never need it

        try:
            return float(cn2an.cn2an(t, "normal"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    return None


@dataclass(frozen=True)
class Quantity:
    """A written figure: value as written, unit as written, approximation, range upper bound."""

    value: float
    unit: str
    approx: str = ""  # 左右 / 以上 / 余 / 多 / 约 / 近 / 超 …
    upper: float | None = None  # second number of a range "4.5%-5%"


_CN_NUM = f"[{_CN_DIGITS}]+?"  # lazy: "两万亩" is 2 万亩, as "2万亩" would be
_QTY_RE = re.compile(
    rf"^(?P<pre>约|近|超过|超|逾)?"
    rf"(?P<num>[-+]?(?:{NUMBER}|{_CN_NUM}))"
    rf"(?P<mid>余|多)?"
    rf"(?:(?P<u1>{UNIT})?(?P<dash>[-—–~～至到])(?P<num2>{NUMBER}|{_CN_NUM}))?"
    rf"(?P<mid2>余|多)?"
    rf"(?P<unit>{UNIT})"
    rf"(?P<post>左右|以上|以下|以内|上下)?$"
)
_PERCENT_WORDS = re.compile(
    rf"^(?P<pre>约|近|超过|超)?百分之(?P<num>{_CN_NUM}|{NUMBER})(?P<post>左右|以上|以下)?$"
)


def parse_quantity(s: str) -> Quantity | None:
    """A whole figure with its unit: "4.01亿元", "二十余家", "百分之十", "4.5%-5%", "5%左右"."""
    t = to_ascii(s.strip())
    m = _PERCENT_WORDS.match(t)
    if m:
        v = parse_number(m.group("num"))
        if v is None:
            return None
        return Quantity(v, "%", m.group("pre") or m.group("post") or "")
    m = _QTY_RE.match(t)
    if not m:
        return None
    v = parse_number(m.group("num"))
    if v is None:
        return None
    upper = parse_number(m.group("num2")) if m.group("num2") else None
    if m.group("u1") and m.group("u1") != m.group("unit"):
        return None  # "5个-8%" is no range
    approx = m.group("pre") or m.group("mid") or m.group("mid2") or m.group("post") or ""
    return Quantity(v, m.group("unit"), approx, upper)


_CHANGE_RE = re.compile(
    rf"^(?:同比|比上年|较上年|比去年|较去年|比上年同期|比去年同期|较去年同期|年均)?(?:分别)?"
    rf"(?P<dir>{CHANGE_UP}|{CHANGE_DOWN})(?:了|为|达|达到)?(?P<fig>.+)$"
)


def parse_change(s: str) -> float | None:
    """Signed percent change: "同比增长6.8%" → 6.8, "下降13.3%" → -13.3, "增长-7.8%" → -7.8."""
    m = _CHANGE_RE.match(to_ascii(s.strip()))
    if not m:
        return None
    q = parse_quantity(m.group("fig"))
    if q is None or q.unit != "%":
        return None
    down = re.fullmatch(CHANGE_DOWN, m.group("dir")) is not None
    return -abs(q.value) if down else q.value
