"""Web-page debris in reports copied from government sites: which lines are not report text.

Reports are often saved from a web page, so the text carries navigation ("您当前的位置：首页 >"),
article metadata ("来源：", "发布时间"), font-size and print widgets ("【字号：大 中 小】",
"打印本页", "关闭窗口"), share prompts ("分享到", "扫一扫"), editor credits and a footer of related
links. We only *find* these lines (as spans); the text is never changed, because every offset in the
output indexes the text as read.

Besides the known words of page furniture, chrome is recognised by its shape:
- at the top, a block of label：value fields under at most a few title lines ("标题：…", "发文单位：…",
  "阅读：" / "182", "内容摘要：" / a teaser cut off with "……"), the page's or a collector's header;
- at the bottom, a run of short lines that are no sentences (titles of other pages, their dates,
  "上一篇：", 阅读排行, 标签) holding page furniture: the site's link lists;
- a licence notice in the last fifth ("本作品…属于公有领域", "Public domain", "版权所有"): the page
  ends there.
"""

from __future__ import annotations

import re

from summarizer.lexicon.spaces import SPACES

__all__ = ["find_boilerplate"]

# A whole (stripped) line that is page furniture, whatever its length.
_DEBRIS_LINE = re.compile(
    r"^(?:"
    r"(?:您)?当前(?:的)?位置\s*[:：].*"
    r"|首页\s*[>＞].*"
    # article metadata lines: "发布时间：2022-01-10  来源：管委会  字号：[大 中 小]  浏览次数：1236"
    r"|(?:(?:信息)?来源|(?:发布|发稿|更新|成文)?(?:时间|日期)|作者|(?:浏览|阅读|点击|访问)(?:次数|量)"
    r"|主办单位|承办单位|联系电话|联系方式|地址|网站标识码|版权所有)\s*[:：][^。]{0,100}"
    r"|(?:浏览|阅读|点击|访问)(?:次数|量|数)\s*[:：]?.{0,20}"
    r"|【?\s*(?:字号|字体)\s*[:：]?.{0,12}"
    r"|.{0,40}ICP备.{0,40}|(?:Copyright|版权所有|©).{0,60}"
    r"|(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|下载|全屏|分享)[】\]]?\s*)+[:：]?"
    r"|分享到\s*[:：]?.{0,30}"
    r"|.{0,10}扫一扫.{0,20}"
    r"|[（(]此件(?:公开|主动公开|不公开)?发布[)）]"
    r"|(?:相关|延伸)(?:链接|附件|报道|阅读|新闻|文章)\s*(?:[:：]|>>)?"
    r"|(?:责任|文字|网络)?编辑\s*[:：].{0,20}"
    r"|(?:审核|校对|供稿|作者)\s*[:：].{0,20}"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[时:：]\d{1,2}分?.{0,4}"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|[0-9a-f]{16,64}\s*[:：]?"
    r"|.{2,40}(?:记者|通讯员).{0,12}摄"
    r")$"
)
# Tiny widget labels that are debris only next to other debris ("【字号：" / "加大" / "还原").
_WIDGET_TOKEN = re.compile(r"^(?:[大中小】【]|加大|还原|减小|默认|打印|收藏|全屏|下载|分享[:：]?)$")
# After a footer marker near the end of a page, everything is footer (related links and so on).
_FOOTER_START = re.compile(
    r"^(?:(?:[【\[]?(?:打印本页|关闭窗口|打印|关闭)[】\]]?\s*)+|(?:相关|延伸)(?:链接|附件|报道|阅读)\s*(?:[:：]|>>)?"
    r"|(?:责任)?编辑\s*[:：].{0,20})$"
)
# A line that is only a label waiting for its value on the next line ("来源:" / "四川日报").
_LABEL_ONLY = re.compile(r"^(?:(?:信息)?来源|责任编辑|编辑|作者)\s*[:：]$")
_HEX_ID = re.compile(r"^[0-9a-f]{16,64}\s*[:：]?$")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans of web debris lines in `text`."""
    lines = _lines(text)
    stripped = [text[a:b].strip(SPACES) for a, b in lines]
    debris = [bool(s) and len(s) <= 120 and _DEBRIS_LINE.match(s) is not None for s in stripped]
    _mark_label_values(stripped, debris)
    _mark_widgets(stripped, debris)
    _mark_header_fields(stripped, debris)
    footer = _footer_start(text, lines, stripped, debris)
    if footer is not None:
        for j in range(footer, len(lines)):
            debris[j] = True
    return _merged_spans(text, lines, debris)


def _mark_label_values(stripped: list[str], debris: list[bool]) -> None:
    """Label lines whose value sits on the next line, and the title after a related-article id."""
    for i, s in enumerate(stripped[:-1]):
        if debris[i] and (_LABEL_ONLY.match(s) or _HEX_ID.match(s)) and len(stripped[i + 1]) <= 60:
            debris[i + 1] = True


def _mark_widgets(stripped: list[str], debris: list[bool]) -> None:
    """Widget tokens count when a neighbour (skipping other tokens) is debris."""
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(stripped):
            if debris[i] or not _WIDGET_TOKEN.match(s):
                continue
            if (i > 0 and debris[i - 1]) or (i + 1 < len(stripped) and debris[i + 1]):
                debris[i] = changed = True


# --- the page's header: label：value fields -------------------------------------------------
# A field: a short label, a colon, and a value that is no sentence ("标题：高阳县2015年政府工作报告",
# "来源URL：https://…"), or the label alone with its value on the next line ("评论：" / "0").
_FIELD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,8}\s*[:：]\s*(?P<value>.{0,100})$")
_SENTENCE_MARK = re.compile(r"[，。；！？、]")
# A value on a line of its own that only chrome has: a count or a date, or a teaser cut short.
_NUMBER_VALUE = re.compile(r"^[\d\s.:：\-/]+$")
_TEASER = re.compile(r"(?:\.{3,}|…+|。{3,})$")
_TITLE_LINE_MAX, _TITLE_LINES, _MIN_FIELDS = 40, 3, 2


def _is_title_line(s: str) -> bool:
    return len(s) <= _TITLE_LINE_MAX and not _SENTENCE_MARK.search(s) and not _FIELD.match(s)


def _mark_header_fields(stripped: list[str], debris: list[bool]) -> None:
    """A block of fields at the top of the page, under at most a few title lines, is chrome.

    A label alone on its line takes the next line as its value when that is a count, a date or a
    cut-off teaser ("评论：" / "0"); before a sentence it is the speech's address ("各位代表：" /
    "现在，我代表…") and the block ends there.
    """
    rows = [i for i, s in enumerate(stripped) if s]
    k = 0
    while k < min(len(rows), _TITLE_LINES) and not debris[rows[k]]:
        if not _is_title_line(stripped[rows[k]]):
            break
        k += 1
    marks: list[int] = []
    fields = 0
    while k < len(rows):
        i = rows[k]
        s = stripped[i]
        field = _FIELD.match(s)
        if not debris[i] and (field is None or _SENTENCE_MARK.search(field.group("value"))):
            break
        if s.endswith((":", "：")) and k + 1 < len(rows):
            value = stripped[rows[k + 1]]
            if _NUMBER_VALUE.match(value) or _TEASER.search(value):
                marks += [i, rows[k + 1]]
                fields += 1
                k += 2
                continue
            if _SENTENCE_MARK.search(value) and not debris[i]:
                break  # "各位代表：" opening the speech
        marks.append(i)
        fields += 1
        k += 1
    if fields >= _MIN_FIELDS:
        for i in marks:
            debris[i] = True


# --- the page's footer ----------------------------------------------------------------------
# A short line that is no sentence: a link title, its date, a label ("上一篇："), a tag.
_LINK_LINE_MAX, _MIN_LINK_LINES = 40, 5
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LABEL_ALONE = re.compile(r"^[^\s，。；！？]{2,8}[:：]$")
# Licence and copyright notices; a notice speaks of the page itself or stands alone on a short line.
_LICENCE = re.compile(
    r"公有领域|public domain|版权所有|著作权法|知识共享|creative commons|licen[cs]e"
    r"|保留所有权利|all rights reserved",
    re.IGNORECASE,
)
_SELF = re.compile(r"本作品|本文|本站|本网|本页|this work", re.IGNORECASE)
_LICENCE_LINE_MAX = 30


def _footer_start(
    text: str, lines: list[tuple[int, int]], stripped: list[str], debris: list[bool]
) -> int | None:
    """The first line of the page's footer in the last fifth of the text, or None."""
    tail_from = len(text) * 4 // 5
    tail = next((i for i, (a, _) in enumerate(lines) if a >= tail_from), len(lines))
    starts = [
        _footer_marker(stripped, debris, tail),
        _link_lists(stripped, debris),
        _licence_notice(stripped, debris, tail),
    ]
    found = [i for i in starts if i is not None and i >= tail]
    return min(found) if found else None


def _footer_marker(stripped: list[str], debris: list[bool], tail: int) -> int | None:
    """A footer marker (打印/关闭窗口, 相关链接, 编辑：): the rest is page furniture."""
    for i in range(tail, len(stripped)):
        if debris[i] and _FOOTER_START.match(stripped[i]):
            return i
    return None


def _link_lists(stripped: list[str], debris: list[bool]) -> int | None:
    """The site's link lists at the end: from the first piece of page furniture in the run of
    short non-sentence lines that ends the text (when the run is long enough to be lists)."""
    first: int | None = None
    count = 0
    for i in range(len(stripped) - 1, -1, -1):
        s = stripped[i]
        if not s:
            continue
        if len(s) > _LINK_LINE_MAX or _SENTENCE_END.search(s):
            break
        count += 1
        if debris[i] or _LABEL_ALONE.match(s):
            first = i
    return first if count >= _MIN_LINK_LINES else None


def _licence_notice(stripped: list[str], debris: list[bool], tail: int) -> int | None:
    """The first line of the paragraph that carries the page's licence, or None."""
    for i in range(tail, len(stripped)):
        s = stripped[i]
        if not _LICENCE.search(s) or not (_SELF.search(s) or len(s) <= _LICENCE_LINE_MAX):
            continue
        start = i
        for j in range(i - 1, tail - 1, -1):  # back to the start of its (wrapped) paragraph
            if not stripped[j]:
                continue
            if _SENTENCE_END.search(stripped[j][-2:]) or debris[j]:
                break
            start = j
        return start
    return None


def _merged_spans(
    text: str, lines: list[tuple[int, int]], debris: list[bool]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(lines):
        if not debris[i] or a == b:
            continue
        if spans and a - spans[-1][1] <= 8 and text[spans[-1][1] : a].strip() == "":
            spans[-1] = (spans[-1][0], b)  # merge across the newline / blank lines between
        else:
            spans.append((a, b))
    return spans
