"""Span-level text helpers for the offline extractor: sentences, short quotes, titles, list items.

Everything here works on (start, end) offsets into the report text and never copies text
around, so every quote the rules backend emits is `text[start:end]` by construction.

The list shapes recognised are the genre's own: enumerators at a sentence start (一是…二是…,
（一）…, 1. …, ①…, 第一，…, "如…。如…。" groups), otherwise "；"- or "。"-separated items; a problem
passage opens with a formula ("在肯定成绩的同时，我们也清醒地看到…问题和不足：") and closes with a
resolution ("对此，我们将…"), neither of which is an item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from summarizer.lexicon.spaces import SPACES

__all__ = [
    "DETAIL_LIMIT",
    "QUOTE_LIMIT",
    "TITLE_LIMIT",
    "clip",
    "compact_title",
    "dash_starts",
    "enumerated_starts",
    "figure_sentence",
    "lead_starts",
    "paragraphs",
    "problem_item_spans",
    "result_sentence",
    "result_title",
    "sentence_end",
    "sub_lead_starts",
    "title_at",
    "trim",
]

QUOTE_LIMIT = 120  # evidence quotes: a clause or sentence, readable at a glance
TITLE_LIMIT = 30
DETAIL_LIMIT = 300

_WS = SPACES + "\r\n"  # and line breaks: a quote never starts or ends on one
_TRAIL = _WS + "，,；;：:、"
_SENT_END = re.compile(r"[。！？!?]|\n")
_SENT_END_CHARS = "。！？!?\n"
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?\n]")
_TITLE_END = re.compile(r"[。；;：:！？!?\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Item markers at the start of an item; group name = the list style.
_ENUM = re.compile(
    r"(?P<shi>[一二三四五六七八九十]{1,3}是(?=[^，,的]))"
    r"|(?P<paren>[（(][一二三四五六七八九十]{1,3}[）)])"
    r"|(?P<digit>\d{1,2}[\.．、](?![\d%％]))"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<di>第[一二三四五六七八九十]{1,3}[，,、])"
    r"|(?P<ru>如(?![期何果实此今同意愿数]))"
)
_ENUM_STYLES = ("shi", "paren", "digit", "circled", "di", "ru")
_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}(?:是|、)|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|\d{1,2}[\.．、](?!\d)|[①-⑳]|第[一二三四五六七八九十]{1,3}[，,、]|如(?![期何果实此今同意愿数])"
    r"|——)"
    rf"[{SPACES}]*"
)
# "——经济总体回升向好。…": the dash that opens each item of a review's overview.
_DASH = "——"
# "过去一年，我们…" / "半年来,我们…": the repeated lead of a review paragraph, not its content;
# so is a connective ("与此同时，其他各方面工作…").
_LEAD_FORMULA = re.compile(
    r"(?:过去的?一年|这一年|一年来|今年以来|半年来|上半年|这五年|五年来|过去五年)[，,]\s*"
    r"(?:我们|街道|全街道|全镇|全区|全市|全省)?|这是(?=[^，,。]{4,}的(?:一年|五年))"
    r"|(?:与此同时|同时|此外|另外)[，,]\s*"
)
# "今年是…之年。" / "2021年是…": a statement about the period, not an item head.
_STATEMENT = re.compile(r"(?:今年|明年|去年|本年|当年|20\d\d年)[，,]?是|.*(?:以下|如下)")
_VOCATIVE = re.compile(r"^(?:各位代表|同志们|各位委员)")

# Problem passages.
_PROBLEM_NOUN = re.compile(r"问题|不足|短板|弱项|困难|挑战|差距|矛盾|薄弱")
_FORMULA_VERB = re.compile(r"看到|认识到|意识到|存在|面临|还有|仍有|不少")
_LEAD_IN = re.compile(r"(?:主要|具体|集中)?(?:是|表现为|表现在|体现在|有)[：:]")
# The close of a problems passage: what will be done about "these problems" (对此，我们将…;
# 要直面问题挑战…), or a comment on them as a whole (这些问题，有些是长期积累的…).
_CLOSING = re.compile(
    r"^(?:对此|对于?这些|针对(?:这些|上述)|我们(?:将|要|一定|必须|会)|街道(?:将|要|会)|今后|下一步"
    r"|这些(?:问题|矛盾|困难|不足|短板))"
    r"|加以解决|解决这些问题|坚决改进|决不辜负|直面|正视"
)
# The lookbehind: blanks are read from the first of their run (searched from each blank of a
# long run, they would be read again and again); a match starting later was never the first.
_ETC = re.compile(r"[，,；;、]?(?<!\s)\s*等等[。.]?$")
# A comma clause that states a shortfall: used to split a single "A，B，C。" problem sentence.
_SHORTFALL = re.compile(
    r"不够|不足|不强|不高|不优|不牢|不多|不快|滞后|短板|弱项|薄弱|偏[低小弱少慢]|较[大低小弱多慢]"
    r"|有待|仍需|还需|亟需|亟待|突出|紧迫|艰巨|压力|风险|隐患|困难|差距|问题|不容忽视|存在|制约"
    r"|紧张|不稳|不平衡|不充分|不到位|多发|频发|堵点|干扰|短缺|缺乏|欠缺|乏力|过剩|下滑|放缓"
)
# A figure with a unit: what makes a sentence carry a review item's "key figure"; an
# approximate one too ("5700多亿元", "8300余万元").
# "\d\d*" rather than "\d+": a pattern opening with a plain character set lets the regex engine
# skip ahead to the next digit; one opening with a repeat is tried at every position. The
# lookbehind after the first digit starts a figure only where a run of digits starts: tried
# inside a long run with no unit after it, each start would scan the rest of the run again
# (quadratic); a figure found inside a run would have been found at its start anyway.
_FIGURE = re.compile(
    r"\d(?<!\d\d)\d*(?:\.\d+)?\s*(?:%|％|‰|倍|[多余]?(?:万亿|亿|万|千)?(?:元|美元|人次|人|户|家|个|项|件|次|平方米"
    r"|平方公里|公里|千米|亩|吨|辆|套|座|所|张|台|场|条|处|栋|间|名|批|万|亿))"
)
# A short sentence that opens or reads like this states a fact ("完成慧园二期绿化改造。", "首家外商
# 独资医院营业。"), not a sub-heading.
_FACT_START = re.compile(
    r"(?:完成|建成|新建|新增|开展|举办|组织|累计|共|已|目前|其中|同时)"
    r"|.*(?:首[个家条单批次届]|落地|运营|营业|开馆|开业|发布|颁布|投用|行列|完成|获批|通过)"
)
# Words that state an outcome rather than an activity.
_RESULT = re.compile(
    r"完成|建成|落成|投用|通车|竣工|获评|获得|荣获|获批|入选|成功|实现|全覆盖|排名|第一|首个|首家"
    r"|平稳|达标|通过验收|顺利|明显改善|显著"
)


def trim(text: str, a: int, b: int, trail: str = _TRAIL) -> tuple[int, int]:
    """(a, b) without leading whitespace and trailing whitespace / soft punctuation."""
    while a < b and text[a] in _WS:
        a += 1
    while b > a and text[b - 1] in trail:
        b -= 1
    return a, b


def sentence_end(text: str, a: int, b: int) -> int:
    """End (after the terminator) of the sentence starting at `a`, at most `b`."""
    m = _SENT_END.search(text, a, b)
    if not m:
        return b
    return m.end() if m.group() != "\n" else m.start()


def _sentence_start(text: str, a: int, pos: int) -> int:
    """Where `_sentences(text, a, …)` starts the walk step holding `pos`: just after the last
    sentence end before it (a step starts at `a` or right after a terminator)."""
    return max(a, *(text.rfind(c, a, pos) + 1 for c in _SENT_END_CHARS))


def _sentences(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """The trimmed sentences of [a, b), lazily: most callers stop at the first that fits.

    Each sentence runs to the next terminator (`sentence_end`); one scan of the span finds them
    all, rather than a regex search per sentence."""
    pos = a
    for m in _SENT_END.finditer(text, a, b):
        end_mark = m.start()
        if end_mark < pos:
            continue  # the newline right after a "。", passed over with it
        e = end_mark if text[end_mark] == "\n" else end_mark + 1
        s, t = trim(text, pos, e)
        if t > s:
            yield s, t
        pos = e + 1 if e < b and text[e] == "\n" else e
    if pos < b:
        s, t = trim(text, pos, b)
        if t > s:
            yield s, t


def paragraphs(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Non-blank lines within [a, b), trimmed of surrounding whitespace."""
    out = []
    pos = a
    while pos < b:
        nl = text.find("\n", pos, b)
        e = b if nl < 0 else nl
        s, t = trim(text, pos, e, _WS)
        if t > s:
            out.append((s, t))
        pos = e + 1
    return out


def clip(
    text: str, a: int, b: int, focus: int | None = None, limit: int = QUOTE_LIMIT
) -> tuple[int, int]:
    """A readable span of at most `limit` chars inside [a, b): whole clauses, containing `focus`
    (an offset that must be quoted, e.g. a figure's end) when given."""
    a, b = trim(text, a, b)
    if b - a <= limit:
        return a, b
    focus = a if focus is None else min(max(focus, a), b)
    start = a
    if focus - a > limit * 2 // 3:
        # start at the clause holding the focus, one clause earlier when that is short
        starts = [m.end() for m in _CLAUSE_END.finditer(text, a, focus)]
        starts = [s for s in starts if s < focus] or [a]
        start = starts[-1]
        if len(starts) > 1 and focus - starts[-2] <= limit // 2:
            start = starts[-2]
        start = trim(text, start, b)[0]
    ends = [m.end() for m in _CLAUSE_END.finditer(text, start, b)]
    fitting = [e for e in ends if e - start <= limit and e >= focus]
    end = fitting[-1] if fitting else min(b, start + limit)
    return trim(text, start, end)


def _strip_marker(text: str, a: int, b: int) -> int:
    """Offset after an item marker ("一是", "（三）", "2.", "如") and a lead formula at `a`."""
    a = trim(text, a, b)[0]
    m = _MARKER.match(text, a, b)
    if m:
        a = m.end()
    m = _LEAD_FORMULA.match(text, a, b)
    if m:
        a = m.end()
    return a


def title_at(text: str, a: int, b: int, limit: int = TITLE_LIMIT) -> str:
    """A short title taken from the text at `a`: its first sentence, else its first clause."""
    a = _strip_marker(text, a, b)
    m = _TITLE_END.search(text, a, b)
    s, e = trim(text, a, m.start() if m else b)
    if e - s > 20:
        # a long sentence: its first clause reads better, when it is long enough to say something
        c = re.search(r"[，,]", text[s:e])
        if c and 4 <= c.start() <= limit:
            e = s + c.start()
    e = min(e, s + limit)
    return text[s:e].strip(_TRAIL)


def _is_lead_sentence(text: str, s: int, e: int) -> bool:
    """A sentence short enough to be an item's title: 4-30 chars, Chinese, not "各位代表！"."""
    if e > s and text[e - 1] in "！？!?":
        return False
    a, t = trim(text, s, e, _WS + "。")
    body = compact_title(text[a:t])
    return (
        4 <= len(body) <= TITLE_LIMIT and len(_CJK.findall(body)) >= 4 and not _VOCATIVE.match(body)
    )


def lead_starts(
    text: str,
    a: int,
    b: int,
    skip_first: bool = True,
    min_count: int = 2,
    heading_owns_body: bool = False,
) -> list[int]:
    """Paragraphs in [a, b) that open with a short title-like sentence ("综合实力稳步提升。"), the
    unnumbered item heads of a section. The first paragraph (the section's own heading or intro)
    is skipped unless `skip_first` is false. A first sentence ending in "：" introduces a list, and
    the paragraph right after a bare title line ("这是…的五年。") is that title's body; so is the one
    after a bare section heading line when `heading_owns_body` (an item heading, not a frame)."""
    out = []
    after_bare = False
    for i, (s, t) in enumerate(paragraphs(text, a, b)):
        e = sentence_end(text, s, t)
        bare = trim(text, e, t)[0] >= t  # the paragraph is one sentence: a title line
        is_lead = (
            not after_bare
            and not (skip_first and i == 0)
            and not re.search(r"[：:]", text[s:e])
            and (_CJK.match(text, s) is not None or text[s] in '“"《')
            and _is_lead_sentence(text, s, e)
            and not _STATEMENT.match(text, s, e)
        )
        if is_lead:
            out.append(s)
        # a bare heading line (the section's own, or a lead) owns the paragraph after it
        after_bare = bare and (is_lead or (skip_first and i == 0 and heading_owns_body))
    # Item heads come in series; a lone short sentence is an intro ("今年是…之年。").
    return out if len(out) >= min_count else []


def sub_lead_starts(text: str, a: int, b: int) -> list[int]:
    """In-paragraph item heads of the item text[a:b]: short figure-free sentences such as
    "经济引擎持续发力。", "群防群控，成效令人欣喜。" or "“老字号”产业加速升级。" that open a run of
    sentences. The item's own first sentence (its title) is not, nor its second when the first is
    a bare title ("综合实力稳步提升。" then its head sentence), nor a sentence the item ends on. After
    a numbered heading ("（一）着力转方式、调结构，产业转型步伐持续加快。") the second sentence may
    open the first sub-item: the heading is the item's title line, not a lead with a head."""
    out = []
    sentences = list(_sentences(text, a, b))
    numbered = sentences and _MARKER.match(text, *sentences[0])
    first = 1 if numbered and numbered.group().strip() != _DASH else 2
    for i in range(first, len(sentences) - 1):
        (s, e), nxt = sentences[i], sentences[i + 1]
        if text[e - 1 : e] != "。":
            continue
        body = compact_title(text[s : e - 1])  # a hard-wrapped line's padding is no length
        if (
            6 <= len(body) <= 16
            and len(_CJK.findall(body)) >= 6
            and not re.search(r"\d|[：:；;（(]", body)
            and not _STATEMENT.match(body)
            and not _FACT_START.match(body)
            and nxt[1] - nxt[0] >= 12
        ):
            out.append(s)
    return out


def dash_starts(text: str, a: int, b: int) -> list[int]:
    """Paragraphs in [a, b) opened by a dash ("——经济总体回升向好。…"): the items of the overview
    that opens the review part of national, province and many city reports."""
    return [s for s, _ in paragraphs(text, a, b) if text.startswith(_DASH, s)]


def enumerated_starts(
    text: str, a: int, b: int, styles: tuple[str, ...] = _ENUM_STYLES, min_count: int = 2
) -> list[int]:
    """Starts of the items of the dominant enumeration in [a, b): markers at `a` or right after a
    sentence, clause-list (；) or colon boundary. Empty unless one style occurs `min_count` times."""
    found: dict[str, list[int]] = {}
    positions = [a] + [a + m.end() for m in re.finditer(r"[。；;！？!?\n：:]", text[a:b])]
    landed = -1
    for pos in positions:
        if pos <= landed:
            continue  # inside the blank run skipped from the last boundary: lands there too
        while pos < b and text[pos] in _WS:
            pos += 1
        landed = pos
        m = _ENUM.match(text, pos, b)
        if m and m.lastgroup in styles:
            found.setdefault(m.lastgroup, []).append(pos)
    for style in styles:
        starts = sorted(set(found.get(style, [])))
        if len(starts) >= min_count:
            return starts
    return []


def figure_sentence(text: str, a: int, b: int) -> tuple[int, int, int] | None:
    """(sentence start, end, figure end) of the first sentence in [a, b) stating a figure with a
    unit; None when the span states none. An item states its headline result first ("新增国家高
    新技术企业90家…" before the percentages that follow), so the first figure is its key figure."""
    # One search of the whole span finds where its first figure is (no sentence can state one
    # before it: _FIGURE's lookbehind reads the same character in either search), so the walk
    # starts at that figure's sentence.
    first = _FIGURE.search(text, a, b)
    if first is None:
        return None
    for s, e in _sentences(text, _sentence_start(text, a, first.start()), b):
        m = _FIGURE.search(text, s, e)
        if m:
            return s, e, m.end()
    return None


# A result title's clause ends at a clause mark; a list item ("、") may end it when it is long.
_RESULT_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_LIST_MARK = re.compile(r"[、]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# A clause this short ("增长5.2%", "占全国18%") names no subject: its title takes the clause before.
_BARE_CLAUSE = 8


def result_title(text: str, a: int, b: int, focus: int, limit: int = TITLE_LIMIT) -> str:
    """The title of a key result quoted as text[a:b]: the quote's own clause holding `focus` (a
    figure's or outcome word's end), so the title says what its evidence says. A bare clause takes
    the clause before it. A long clause ends at the list item ("、") holding the focus, or at the
    focus; one whose focus lies beyond the limit keeps its first and last list items around an
    ellipsis ("六大优势产业…绿色低碳优势产业增加值分别增长6.8%")."""
    focus = min(max(focus, a), b)
    starts = [a] + [m.end() for m in _RESULT_CLAUSE_END.finditer(text, a, focus)]
    s = starts[-1]
    m = _RESULT_CLAUSE_END.search(text, focus, b)
    e = m.start() if m else b
    if _cjk_count(text, s, e) < _BARE_CLAUSE and len(starts) > 1 and e - starts[-2] <= limit:
        s = starts[-2]
    s = trim(text, _strip_marker(text, s, e), e)[0]
    if e - s > limit:
        cut = _LIST_MARK.search(text, focus, e)
        if cut and cut.start() - s <= limit:
            e = cut.start()
        elif focus - s <= limit:
            e = focus
        else:
            return _elided(text, s, focus, limit)
    s, e = trim(text, s, e)
    return compact_title(text[s:e])


def _elided(text: str, s: int, focus: int, limit: int) -> str:
    """text[s:focus] too long for a title: its first list item, "…" and its last list item up to
    the focus, when that fits ("六大优势产业…绿色低碳优势产业增加值分别增长6.8%"); else its head and
    "…", cut at a list item when one ends in the second half."""
    marks = [m.start() for m in _LIST_MARK.finditer(text, s, focus)]
    if marks:
        head = compact_title(text[s : marks[0]])
        tail = compact_title(text[marks[-1] + 1 : focus])
        if len(head) + 1 + len(tail) <= limit:
            return f"{head}…{tail}"
    cut = [m for m in marks if limit // 2 <= m - s < limit]
    end = cut[-1] if cut else s + limit - 1
    while end > s and (text[end - 1].isdigit() or text[end - 1] == "."):
        end -= 1  # never half a number
    return compact_title(text[s:end]) + "…"


def compact_title(title: str) -> str:
    """`title` without the blanks a layout leaves inside it (a hard-wrapped line's break between
    two characters); one space stays between two Latin letters or digits ("C919 大飞机" keeps
    none, "Windows 11" keeps one)."""
    parts = re.split(f"[{_WS}]+", title.strip(_WS))
    out = parts[0]
    for part in parts[1:]:
        if _ASCII_WORD.match(out[-1:]) and _ASCII_WORD.match(part[:1]):
            out += " "
        out += part
    return out


def result_sentence(text: str, a: int, b: int) -> tuple[int, int, int] | None:
    """(start, end, end of the result word) of the first sentence in [a, b) stating an outcome
    ("…主体修缮基本完成", "获评…", "…形势总体平稳"), for items that give no figure."""
    for s, e in _sentences(text, a, b):
        m = _RESULT.search(text, s, e)
        if m:
            return s, e, m.end()
    return None


# --- problem passages ----------------------------------------------------------------------
_SEMICOLON = re.compile(r"[；;]")
_LONG_LIST = 5
_COMMA = re.compile(r"[，,]")


def _content_start(text: str, a: int, b: int) -> int:
    """Where the items of a problem passage begin: after its opening formula and lead-in."""
    e = sentence_end(text, a, b)
    colon = re.search(r"[：:]", text[a:e])
    first = text[a : a + colon.start()] if colon else text[a:e]
    verb = _FORMULA_VERB.search(first)
    if _PROBLEM_NOUN.search(first) and verb:
        a = a + colon.end() if colon else _after_opening_clause(text, a + verb.end(), e)
    a = trim(text, a, b)[0]
    m = _LEAD_IN.match(text, a, b)
    if m:
        a = trim(text, m.end(), b)[0]
    return a


def _after_opening_clause(text: str, verb_end: int, e: int) -> int:
    """Where the list starts in an opening sentence without a colon: after the clause of its
    formula verb when the rest of the sentence is itself a list ("我们也清醒地看到，A；B；C。" or
    three and more comma clauses), else after the whole sentence ("…存在一些问题和不足。")."""
    comma = _COMMA.search(text, verb_end, e)
    if comma is None:
        return e
    rest = text[comma.end() : e]
    is_list = _SEMICOLON.search(rest) is not None or len(_COMMA.findall(rest)) >= 2
    return comma.end() if is_list else e


def _content_end(text: str, a: int, b: int) -> int:
    """Where the closing resolution ("对此，我们将…") starts, or `b`."""
    for s, e in _sentences(text, a, b):
        if s > a and _CLOSING.search(text[s:e]):
            return s
    return b


def _cjk_count(text: str, a: int, b: int) -> int:
    return len(_CJK.findall(text[a:b]))


def problem_item_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The problems listed in the passage text[a:b], one span each, formula and resolution left out."""
    a = _content_start(text, a, b)
    b = _content_end(text, a, b)
    if a >= b:
        return []
    starts = enumerated_starts(text, a, b)
    pieces: list[tuple[int, int]] = []
    if starts:
        bounds = [*starts, b]
        pieces = [(bounds[i], bounds[i + 1]) for i in range(len(starts))]
    else:
        pos = a
        for m in re.finditer(r"[。；;！？!?\n]", text[a:b]):
            pieces.append((pos, a + m.end()))
            pos = a + m.end()
        pieces.append((pos, b))
        if not _SEMICOLON.search(text, a, b):
            # A list separates its items at its strongest separator: with "；" the commas are
            # inside items; with sentences only, a sentence of shortfall clauses is a list.
            pieces = _split_comma_list(text, pieces)
    out = []
    for s, e in pieces:
        s, e = trim(text, s, e)
        etc = _ETC.search(text[s:e])
        if etc:
            s, e = trim(text, s, s + etc.start())
        if _cjk_count(text, s, e) >= 4:
            out.append((s, e))
    return out


def _split_comma_list(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A sentence "A不够强，B不够好，C相对滞后。" of a problem passage lists one problem per clause:
    split every sentence whose comma clauses all state a shortfall."""
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        clauses = []
        pos = s
        for m in re.finditer(r"[，,]", text[s:e]):
            clauses.append((pos, s + m.start()))
            pos = s + m.end()
        clauses.append((pos, e))
        stated = [
            _cjk_count(text, c, d) >= 4 and bool(_SHORTFALL.search(text[c:d])) for c, d in clauses
        ]
        # Every clause states a shortfall, or — in a long run of them — all but one does: the
        # genre's lists mix in a clause worded without the usual words (地区经济走势分化).
        is_list = len(clauses) >= 2 and (
            all(stated) or (len(clauses) >= _LONG_LIST and stated.count(False) <= 1)
        )
        out.extend(clauses if is_list else [(s, e)])
    return out
