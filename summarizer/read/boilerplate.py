"""Web-page debris in reports copied from government sites: which lines are not report text.

Reports are often saved from a web page, so the text carries navigation ("您当前的位置：首页 >"),
article metadata ("来源：", "发布时间"), font-size and print widgets ("【字号：大 中 小】",
"打印本页", "关闭窗口"), share prompts ("分享到", "扫一扫"), editor credits and a footer of related
links. We only *find* these lines (as spans); the text is never changed, because every offset in the
output indexes the text as read.
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
    debris = [False] * len(lines)
    for i, s in enumerate(stripped):
        if s and len(s) <= 120 and _DEBRIS_LINE.match(s):
            debris[i] = True
    # Label lines whose value sits on the next line, and the title after a related-article id.
    for i, s in enumerate(stripped[:-1]):
        if debris[i] and (_LABEL_ONLY.match(s) or _HEX_ID.match(s)) and len(stripped[i + 1]) <= 60:
            debris[i + 1] = True
    # Widget tokens count when a neighbour (skipping other tokens) is debris.
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(stripped):
            if debris[i] or not _WIDGET_TOKEN.match(s):
                continue
            if (i > 0 and debris[i - 1]) or (i + 1 < len(lines) and debris[i + 1]):
                debris[i] = changed = True
    # Footer: from a footer marker in the last fifth of the text, the rest is page furniture.
    tail_from = len(text) * 4 // 5
    for i, s in enumerate(stripped):
        if lines[i][0] >= tail_from and debris[i] and _FOOTER_START.match(s):
            for j in range(i, len(lines)):
                debris[j] = True
            break
    spans: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(lines):
        if not debris[i] or a == b:
            continue
        if spans and a - spans[-1][1] <= 8 and text[spans[-1][1] : a].strip() == "":
            spans[-1] = (spans[-1][0], b)  # merge across the newline / blank lines between
        else:
            spans.append((a, b))
    return spans
