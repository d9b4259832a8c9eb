"""Report metadata from the text: the unit reported on, the year reviewed, period and kind.

These reports name themselves in a few fixed places: the title lines ("2026年河北省政府工作报告",
"——2026年1月26日在广东省第十四届人民代表大会…", "广东省省长 孟凡利"), the subject of the first
sentences ("新闸街道党工委、办事处在区委、区政府的领导下…"), the review heading ("一、2025年工作
回顾", "一、2022年上半年工作总结") or the opening ("2020年，是…收官之年").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarizer.lexicon.periods import MULTI_YEAR_WORDS, PLAN_PERIOD
from summarizer.lexicon.places import count_places, place_named
from summarizer.lexicon.spaces import SPACES
from summarizer.models import Horizon, Kind, Level

__all__ = ["guess_entity", "guess_kind_period", "guess_level", "guess_year", "reviews_the_year"]

_HAN = "\u4e00-\u9fff"
_HEAD_LINES = 15
# Blanks after the dash are read with it: "\s*(?:——)?\s*" splits a run of blanks two ways.
_LEADING_YEAR = re.compile(r"^\s*(?:——\s*)?20\d\d年度?")
# A county may be named by one character (易县, 雄县, 蠡县, 滑县, 歙县): the names below take two
# or more before their suffix, else that one.
_ONE_CHAR_COUNTY = rf"[{_HAN}]县"
_TITLE_PATTERNS = [
    re.compile(
        rf"([{_HAN}]{{2,12}}?(?:省|自治区|市|区|县|镇|乡|街道)|{_ONE_CHAR_COUNTY})(?:人民)?政府工作报告"
    ),
    re.compile(
        rf"在([{_HAN}]{{2,12}}?(?:省|自治区|市|区|县|镇|乡)|{_ONE_CHAR_COUNTY})第?[一二三四五六七八九十]+届"
    ),
    re.compile(
        rf"^([{_HAN}]{{2,12}}?(?:省|自治区|市|区|县)|{_ONE_CHAR_COUNTY})(?:人民政府)?"
        r"(?:代?(?:省|市|区|县)长|主席)"
    ),
    re.compile(
        rf"^([{_HAN}]{{2,12}}?(?:街道|镇|乡|区|县|市)|{_ONE_CHAR_COUNTY})(?:办事处|党工委|人民政府)?"
        r"(?:20\d\d年)?.{0,8}工作(?:总结|报告|思路|打算)"
    ),
]
# "新闸街道党工委" / "雕庄街道坚持…": a named 街道/镇/乡 acting as the subject of a sentence.
# Anchored on the suffix (a literal the regex engine finds fast); the name is the 2 chars before.
_SUBJECT = re.compile(
    r"(街道|镇|乡)(?=党工委|党委|办事处|人民政府|政府|坚持|上下|认真|紧紧|始终|围绕|"
    r"聚焦|全力|积极|扎实|深入|以)"
)
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_NOT_A_NAME_START = set("全各本该我为此其这那在对把将由与和及或个等级向从到至了的是所办召开共")


# "现在，我代表国务院/顺平县人民政府/市人民政府，向大会报告工作": the report's own opening names
# the government delivering it, or at least its level.
_DELEGATE = re.compile(rf"我代表([{_HAN}]{{1,14}}?)(?:人民政府|政府)?[，,]?\s*向")
_LEVELS = ("省", "自治区", "市", "州", "县", "区", "旗")
# "全市" / "全县": how a report that does not say 我代表 refers to its own level. A report also
# names the level above it (a county's 全市), so its own is the lowest one it names often.
_WHOLE = re.compile(r"全(省|自治区|市|州|县|区|旗|街道|镇|乡)")
_LOW_TO_HIGH = ("街道", "镇", "乡", "区", "县", "旗", "市", "州", "自治区", "省")
# A 街道/镇/乡 report calls itself 街道/本镇 at least about once per 1,000 characters; a county
# or city report names a 街道 or 镇 only in passing (and the table holds no townships).
_TOWNSHIP_SELF = re.compile(r"街道|[全我本](?:镇|乡)")
_TOWNSHIP_MIN, _TOWNSHIP_PER_CHARS = 6, 1000
# A place counts as the report's own when it is named this often and more than any other.
_MIN_MENTIONS = 3


def _own_level(joined: str) -> str | None:
    """The level word of the report's own government (市, 县 …) from 我代表… or 全市/全县."""
    if m := _DELEGATE.search(joined):
        return m.group(1) if m.group(1) in _LEVELS else None
    named = Counter(m.group(1) for m in _WHOLE.finditer(joined))
    own = next((w for w in _LOW_TO_HIGH if named[w] >= _MIN_MENTIONS), None)
    return own if own in _LEVELS else None


def _most_named_place(joined: str, level: str) -> str | None:
    """The place of that level the text names most often (full or short), if clearly ahead."""
    ranked = [(n, p.name) for p, n in count_places(joined).items() if p.name.endswith(level)]
    ranked.sort(reverse=True)
    if not ranked or ranked[0][0] < _MIN_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return None
    return ranked[0][1]


def guess_entity(lines: Sequence[str]) -> str | None:
    """The unit the report is about, or None when the text never names it."""
    found = _entity_from_title(lines)
    if found:
        return found
    joined = "\n".join(lines)
    if (m := _DELEGATE.search(joined)) and m.group(1) not in _LEVELS:
        name = m.group(1)
        return name if name[0] not in _NOT_A_NAME_START else None
    township = len(_TOWNSHIP_SELF.findall(joined))
    if township >= max(_TOWNSHIP_MIN, len(joined) / _TOWNSHIP_PER_CHARS):
        return _named_subject(joined)
    level = _own_level(joined)
    return _most_named_place(joined, level) if level is not None else _named_subject(joined)


def _entity_from_title(lines: Sequence[str]) -> str | None:
    for line in lines[:_HEAD_LINES]:
        s = _LEADING_YEAR.sub("", line.strip(SPACES))
        if not s or len(s) > 90:
            continue
        for rx in _TITLE_PATTERNS:
            m = rx.search(s)
            if m and m.group(1)[0] not in _NOT_A_NAME_START:
                return m.group(1)
    return None


def _named_subject(joined: str) -> str | None:
    """The 街道/镇/乡 most often the subject of a sentence ("新闸街道党工委…")."""
    counts: Counter[str] = Counter()
    # One scan of the lines joined by "\n" finds what a scan per line finds: neither the suffix
    # nor its lookahead matches a newline, and a name reaching back over one is no name.
    for m in _SUBJECT.finditer(joined):
        name = joined[max(0, m.start() - 2) : m.start()]
        is_name = len(name) == 2 and all(_HAN_CHAR.match(c) for c in name)
        if is_name and name[0] not in _NOT_A_NAME_START:
            counts[name + m.group(1)] += 1
    if counts:
        return counts.most_common(1)[0][0]
    return None


_OPENING_YEAR = re.compile(r"^(?:刚刚过去的|过去的)?(20\d\d)年(?:是|，|,|以来|上半年|全年|里)")
_PAST_YEAR = re.compile(r"(?:刚刚过去|过去)的(20\d\d)年")
_DELIVERED = re.compile(r"(20\d\d)年(?:\d{1,2}月\d{1,2}日|.{0,12}政府工作报告)")
# a title such as "城关镇2023年工作总结及2024年工作打算" (not "2026年…政府工作报告")
_TITLE_YEAR = re.compile(r"^[^。，,]{0,20}?(20\d\d)年度?[^。，,]{0,16}?(?:工作)?(?:总结|回顾)")
# = "(?<!\d)(20\d\d)年" with the lookbehind moved after the "2": a pattern opening with a
# literal lets the regex engine skip ahead to it (it scans the whole report: 30x faster).
_ANY_YEAR = re.compile(r"(2(?<!\d2)0\d\d)年")


def guess_year(
    lines: Sequence[str],
    review_titles: Sequence[str],
    plan_titles: Sequence[str],
    preamble: Sequence[str],
) -> tuple[int | None, bool]:
    """(year reviewed, whether the text states it) — falls back to the most named year."""
    for title in review_titles:
        m = _ANY_YEAR.search(title)
        if m:
            return int(m.group(1)), True
    for line in lines[:3]:
        m = _TITLE_YEAR.search(line)
        if m:
            return int(m.group(1)), True
    for para in preamble[:4]:
        m = _OPENING_YEAR.match(para.strip(SPACES)) or _PAST_YEAR.search(para[:200])
        if m:
            return int(m.group(1)), True
    head = "\n".join(lines[:_HEAD_LINES])
    if "政府工作报告" in head:
        m = _DELIVERED.search(head)
        if m:
            return int(m.group(1)) - 1, True
    for title in plan_titles:
        m = _ANY_YEAR.search(title)
        if m:
            return int(m.group(1)) - 1, True
    counts = Counter(int(m.group(1)) for m in _ANY_YEAR.finditer("\n".join(lines)))
    if counts:
        best = max(counts.values())
        return max(y for y, c in counts.items() if c == best), False
    return None, False


_TERM = re.compile(MULTI_YEAR_WORDS)
_ONE_YEAR = re.compile(r"20\d\d年|一年|今年|去年")


def reviews_the_year(review_text: str, year: int | None) -> bool:
    """Whether a paragraph of the review opens on the year reviewed (刚刚过去的2017年，… /
    2020年，面对… / 过去一年，…): a term's review that has one reviews its year too."""
    if year is None:
        return False
    opening = re.compile(
        rf"^(?:刚刚过去的|过去的)?{year}年(?:是|，|,|里|全年)|^(?:刚刚)?过去一年|^一年来"
    )
    return any(opening.match(para.strip(SPACES)) for para in review_text.split("\n"))


def _reviews_a_term(review_titles: Sequence[str]) -> bool:
    """Whether the review headings and leads that name a period all name a five-year term and
    none a single year (not 2025年和“十四五”时期工作回顾, nor 过去一年和五年工作回顾)."""
    timed = [t for t in review_titles if _TERM.search(t) or _ONE_YEAR.search(t)]
    return bool(timed) and not any(_ONE_YEAR.search(t) for t in timed)


def guess_kind_period(
    year: int | None,
    stated: bool,
    head: str,
    review_titles: Sequence[str],
    plan_horizons: Sequence[Horizon],
    year_reviewed: bool = False,
) -> tuple[Kind, str | None]:
    """(kind, period) per SPEC: annual | half_year | multi_year | other. `year_reviewed`: the
    review part has a paragraph on the year itself (see `reviews_the_year`)."""
    reviews = " ".join(review_titles)
    if year is not None and re.search(r"上半年|半年来", reviews):
        return "half_year", f"{year}年上半年"
    # A review headed by a five-year term (一、过去五年工作回顾; 一、“十三五”时期…回顾) is of no
    # single year unless a paragraph of it reviews the year (刚刚过去的2017年，…): either way it
    # is no half-year report, even with a plan for the year's second half after it (a new
    # term's first session in July). The year reviewed is the term's last.
    if year is not None and _reviews_a_term(review_titles):
        if year_reviewed:
            return "annual", f"{year}年"
        plan = re.search(PLAN_PERIOD, reviews)
        return "multi_year", f"“{plan.group(0)}”时期" if plan else f"{year - 4}—{year}年"
    if year is not None and "second_half" in plan_horizons:
        return "half_year", f"{year}年上半年"
    if year is not None and (stated or "政府工作报告" in head):
        return "annual", f"{year}年"
    m = re.search(PLAN_PERIOD, reviews)
    if m:
        return "multi_year", f"“{m.group(0)}”时期"
    if year is not None and review_titles:
        return "annual", f"{year}年"
    return "other", None


# The level an entity's name says, by its suffix, where the divisions table does not list it.
_LEVEL_SUFFIXES: tuple[tuple[str, Level], ...] = (
    ("国务院", "national"),
    ("开发区", "park"),
    ("园区", "park"),
    ("新区", "park"),
    ("高新区", "park"),
    ("街道", "township"),
    ("镇", "township"),
    ("乡", "township"),
    ("自治区", "province"),
    ("省", "province"),
    ("自治州", "city"),
    ("地区", "city"),
    ("盟", "city"),
    ("市", "city"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "county"),
)


def guess_level(entity: str | None) -> Level | None:
    """The administrative level of `entity` (a 市 may be a prefecture or a county-level city)."""
    if not entity:
        return None
    place = place_named(entity)
    if place is not None:
        return place.level
    return next((level for suffix, level in _LEVEL_SUFFIXES if entity.endswith(suffix)), None)
