"""Line-level recognisers for the structure parser: numbered headings, paragraph leads, the
formulas that open problem and plan passages, and the role / horizon a heading's words imply.

All patterns describe the genre (工作总结 / 政府工作报告 conventions), not one report's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summarizer.lexicon.periods import PLAN_PERIOD
from summarizer.lexicon.spaces import SPACES
from summarizer.models import Horizon

__all__ = [
    "CN_DIGITS",
    "LineHeading",
    "Role",
    "cn_number",
    "heading_role",
    "horizon_of",
    "match_heading",
    "problem_opening",
    "title_of",
]

# The part of a report a section belongs to; "boilerplate" is web debris, never extracted.
Role = Literal["review", "problems", "plans", "other", "boilerplate"]

CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(CN_DIGITS)}

# level 1 一、  level 2 （一）  level 3 1. / 1、 / （1）  level 4 一是
_L1 = re.compile(rf"([{CN_DIGITS}]{{1,3}})[、，,]")
_L2 = re.compile(rf"[（(]([{CN_DIGITS}]{{1,3}})[）)]")
_L3 = re.compile(r"(\d{1,2})(?:[\.．、](?![\d％%])|\s)|[（(](\d{1,2})[）)]|([①-⑳])")
_L4 = re.compile(rf"([{CN_DIGITS}]{{1,3}})是(?=[^，,的])")
# "一、二季度" / "一、二、三产业": a numeral list, not a heading
_NUMERAL_LIST = re.compile(rf"[{CN_DIGITS}](?:季度|产|[、，,]|[至到])")


def cn_number(s: str) -> int | None:
    """Value of a small Chinese numeral ("三" 3, "十二" 12, "二十" 20); None if not one."""
    if not s or any(c not in _CN_VALUE for c in s):
        return None
    if len(s) == 1:
        return _CN_VALUE[s]
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN_VALUE[s[1]] if s[1] != "十" else None
    if len(s) == 2 and s[1] == "十":
        return _CN_VALUE[s[0]] * 10
    if len(s) == 3 and s[1] == "十" and s[2] != "十":
        return _CN_VALUE[s[0]] * 10 + _CN_VALUE[s[2]]
    return None


@dataclass(frozen=True)
class LineHeading:
    level: int  # 1..4
    number: int
    marker: str
    offset: int  # where the marker starts within the line
    body: int  # where the text after the marker starts within the line

    @property
    def style(self) -> str:
        """The numbering's shape: "1." and "（1）" are both level 3 but "（1）" nests under "1."."""
        if self.marker[0] in "（(":
            return "paren"
        return "circled" if self.marker[0] in "①②③④⑤⑥⑦⑧⑨⑩" else "plain"


def match_heading(line: str) -> LineHeading | None:
    """The numbered heading a line starts with (after optional whitespace), if any."""
    indent = len(line) - len(line.lstrip(SPACES))
    rest = line[indent:]
    if not rest:
        return None
    m = _L1.match(rest)
    if m and m.group(0)[-1] == "、":
        n = cn_number(m.group(1))
        after = rest[m.end() :]
        if n and after and not _NUMERAL_LIST.match(after) and after[0] not in "，,。、；;":
            return LineHeading(1, n, m.group(0), indent, indent + m.end())
    m = _L2.match(rest)
    if m:
        n = cn_number(m.group(1))
        if n and len(rest) > m.end():
            return LineHeading(2, n, m.group(0), indent, indent + m.end())
    m = _L3.match(rest)
    if m:
        n = ord(m.group(3)) - ord("①") + 1 if m.group(3) else int(m.group(1) or m.group(2))
        after = rest[m.end() :].lstrip(SPACES)
        if 0 < n <= 60 and after and after[0] not in "，,。、；;%％" and not after[0].isdigit():
            return LineHeading(3, n, m.group(0).strip(SPACES), indent, indent + m.end())
    m = _L4.match(rest)
    if m:
        n = cn_number(m.group(1))
        if n:
            return LineHeading(4, n, m.group(0), indent, indent + m.end())
    return None


_TITLE_END = re.compile(r"[。；;！!？?：:]")


def title_of(line: str, limit: int = 60) -> str:
    """A heading's title: the line up to its first sentence end (or the whole short line)."""
    line = line.strip(SPACES)
    m = _TITLE_END.search(line)
    title = line[: m.start()] if m else line
    return title.strip(SPACES)[:limit]


# --- roles ---------------------------------------------------------------------------------
_REVIEW_WORDS_IN_PLANS = re.compile(r"回顾|总结|工作情况|完成情况|进展情况|过去")
# …and words of results, which inside a plans part name an aim: "巩固治理成效", "做文章、见成效",
# "推进新型城镇化取得新成效", "奋力实现“三年初见成效”目标" (顺平 2020 and 2023, 易县 2021, 广东 2025).
_REVIEW_WORDS = re.compile(rf"{_REVIEW_WORDS_IN_PLANS.pattern}|成绩|成效|成就")
_PROBLEM_WORDS = re.compile(
    r"(?:存在|面临)的?(?:主要|突出)?(?:问题|困难|不足)|问题(?:和|与|及)(?:不足|差距|短板|挑战|困难)"
    r"|不足(?:之处|和|与)|(?:困难|短板|差距|矛盾)(?:和|与|及)(?:问题|不足|挑战)|^(?:主要)?问题$|薄弱环节"
)
# "frame" plan words: enough on their own, at any depth
_PLAN_STRONG = re.compile(
    r"工作(?:打算|计划|思路|安排|要点|重点|建议)|下半年|明年|下一步|展望|今后|未来五年"
    rf"|{PLAN_PERIOD}|五年规划|规划纲要|目标任务|主要目标|预期目标|总体要求"
)
# weaker plan words: only for top-level headings
_PLAN_WEAK = re.compile(r"(?:重点|主要)(?:工作|任务)|打算|思路|安排|计划|举措")
_OTHER_WORDS = re.compile(r"学习|精神|重要讲话|重要指示|批示|附件|附录|名词解释|注释|说明$")


def heading_role(title: str, top_level: bool, in_plans: bool = False) -> Role | None:
    """The role a heading's own words give its section, or None to inherit. `in_plans`: the
    heading is under a plans section, where 成效/成绩/成就 are what the year is to bring.

    Order matters: "2022年上半年工作总结" is review although it names a period, and
    "“十四五”时期经济社会发展回顾" is review although it names a five-year plan.
    """
    review = _REVIEW_WORDS_IN_PLANS if in_plans else _REVIEW_WORDS
    if review.search(title) and not re.search(r"下半年|展望|工作(?:打算|计划|思路)", title):
        return "review"
    if _PROBLEM_WORDS.search(title):
        return "problems"
    if _PLAN_STRONG.search(title):
        return "plans"
    if top_level and _OTHER_WORDS.search(title) and not _PLAN_WEAK.search(title):
        return "other"
    if top_level and _PLAN_WEAK.search(title):
        return "plans"
    return None


# --- passages ------------------------------------------------------------------------------
_PROBLEM_OPEN = re.compile(
    r"(?:清醒|冷静|客观|深刻)地?(?:看到|认识到|意识到)"
    r"|(?:在(?:肯定|总结|看到|回顾)成绩的同时|(?:也|还|更)(?:要|应|必须|应当)(?:看到|认识到))"
    r"[^。]{0,60}?(?:问题|不足|短板|困难|挑战|差距|薄弱)"
    r"|(?:^|[，,。；;])\s*(?:但是?|然而|不过|同时|与此同时|当然)[^。：:]{0,30}?"
    r"(?:仍然?|还|依然|也|仍旧)[^。：:]{0,6}?(?:存在|面临|有)着?[^。：:]{0,16}?"
    r"(?:问题|不足|短板|困难|挑战|差距|薄弱|短处|矛盾)"
    r"|^(?:当前|目前)?[^。：:]{0,20}?(?:存在|面临)的?(?:主要)?(?:问题|困难|不足)[：:]"
)
# _PROBLEM_OPEN past the paragraph start, where its `^` branches cannot match: without them the
# regex engine can skip ahead to the characters a branch starts with instead of trying each one.
_PROBLEM_OPEN_INNER = re.compile(
    r"(?:清醒|冷静|客观|深刻)地?(?:看到|认识到|意识到)"
    r"|(?:在(?:肯定|总结|看到|回顾)成绩的同时|(?:也|还|更)(?:要|应|必须|应当)(?:看到|认识到))"
    r"[^。]{0,60}?(?:问题|不足|短板|困难|挑战|差距|薄弱)"
    r"|[，,。；;]\s*(?:但是?|然而|不过|同时|与此同时|当然)[^。：:]{0,30}?"
    r"(?:仍然?|还|依然|也|仍旧)[^。：:]{0,6}?(?:存在|面临|有)着?[^。：:]{0,16}?"
    r"(?:问题|不足|短板|困难|挑战|差距|薄弱|短处|矛盾)"
)
_PROBLEM_HINTS = ("问题", "不足", "短板", "困难", "挑战", "差距", "薄弱", "短处", "矛盾")
_ADVERSATIVE = re.compile(r"但是?|然而|不过")


def _may_open_problems(head: str) -> bool:
    """Literal words every _PROBLEM_OPEN branch needs (看到/认识到/意识到/成绩的同时, 存在/面临, or
    a 但 … 也 … 有 turn): without them the regex cannot match, and a scan for words is cheap."""
    if any(word in head for word in ("看到", "认识到", "意识到", "成绩的同时", "存在", "面临")):
        return True
    return (
        "有" in head
        and any(word in head for word in ("但", "然而", "不过", "同时", "当然"))
        and any(word in head for word in ("仍", "还", "依然", "也"))
    )


# The passage's shape, whatever its wording ("成绩固然可喜，问题也不容忽视。一是…"): a sentence
# that names problems and admits them, followed at once by the first of a numbered list.
_LIST_AFTER = re.compile(r"[。：:]\s*(?:一是|首先|其一|第一[，,、])")
_NAMES_PROBLEMS = re.compile(r"问题|不足|短板|挑战|困难|差距|薄弱")
_ADMITS = re.compile(r"有|存在|面临|忽视|看到|深知|认识|清醒|仍|依然")
_ACTS_ON = re.compile(r"解决|破解|着力|推进|加强|聚焦|围绕|针对|补齐|补短板")


def _problem_list_shape(head: str) -> int | None:
    """Start of the sentence that opens a numbered problem list, or None."""
    for m in _LIST_AFTER.finditer(head):
        start = max(head.rfind(c, 0, m.start()) for c in "。！？!?；;") + 1
        sentence = head[start : m.start()]
        if (
            _NAMES_PROBLEMS.search(sentence)
            and _ADMITS.search(sentence)
            and not _ACTS_ON.search(sentence)
        ):
            return start
    return None


def problem_opening(para: str, window: int = 400) -> int | None:
    """Where a problems passage opens in a paragraph, or None.

    The passage starts at the sentence that carries the formula ("在肯定成绩的同时，我们也清醒
    看到…"); when the formula turns a sentence round with 但/然而 ("…提供有力保障，但经济社会发展
    仍然存在不少短板：") it starts at that word.
    """
    head = para[:window]
    if not any(word in head for word in _PROBLEM_HINTS):
        return None  # cheap literal scan first: most paragraphs name no problem at all
    if not _may_open_problems(head):
        return _problem_list_shape(head)
    # = _PROBLEM_OPEN.search(head): every branch at the start, then the unanchored ones
    m = _PROBLEM_OPEN.match(head) or _PROBLEM_OPEN_INNER.search(head, 1)
    if not m:
        return _problem_list_shape(head)
    seg = para[m.start() : m.end()]
    adv = _ADVERSATIVE.search(seg)
    if adv and seg[: adv.start()].strip(SPACES + "，,。；;") == "":
        return m.start() + adv.start()
    sentence_start = max(para.rfind(c, 0, m.start() + 1) for c in "。！？!?；;") + 1
    return sentence_start


# --- horizons ------------------------------------------------------------------------------
_YEAR = re.compile(r"(20\d\d)年")


def horizon_of(title: str, reviewed_year: int | None) -> Horizon | None:
    """The plan horizon a heading or lead names, or None when it names none."""
    if "下半年" in title:
        return "second_half"
    m = _YEAR.search(title)
    if m and reviewed_year is not None:
        y = int(m.group(1))
        if y == reviewed_year + 1:
            return "next_year"
        if y > reviewed_year + 1:
            return "multi_year"
    if re.search(rf"{PLAN_PERIOD}|五年|规划纲要|远景", title):
        return "multi_year"
    if re.search(r"明年|新的一年|今年(?!以来)", title) or (m and reviewed_year is None):
        return "next_year"
    return None
