"""Paired enumerations: "城镇、农村居民人均可支配收入分别增长3.4%、5.2%".

The genre packs several indicators into one clause with 分别 ("respectively"): a list of names,
分别 + verb, then as many figures, optionally followed by "，分别增长a%、b%" for their changes.
Read figure by figure, the clause would give every figure the whole list as its name, so these
groups are read as a whole: names and figures are paired in order, and only when their counts
agree — otherwise the group yields nothing (a missing metric costs less than a mispaired one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP, NUMBER, UNIT

__all__ = ["ListItem", "ListScan", "find_list_items"]

_FIG = rf"(?<![0-9.])(?:{NUMBER})(?:余|多)?(?:{UNIT}|％)(?:左右|以上|以下|以内)?"
_GROUP = re.compile(
    rf"分别(?P<verb>[^0-9，,。；;：:、\n]{{0,5}}?)(?P<figs>{_FIG}(?:[、和及]{_FIG})+)"
)
_CHANGES = re.compile(
    rf"[，,]?(?:同比|比上年|年均)?分别(?P<dir>{CHANGE_UP}|{CHANGE_DOWN})"
    rf"(?P<figs>{_FIG}(?:[、和]{_FIG})+)"
)
_ONE_FIG = re.compile(rf"(?P<num>{NUMBER})(?:余|多)?(?P<unit>{UNIT}|％)(?:左右|以上|以下|以内)?")
_TO_FIGS = re.compile(rf"[^，,。；;0-9]{{0,4}}?(?:到|至)(?P<figs>{_FIG}(?:[、和及]{_FIG})+)")
_CHANGE_WORD = re.compile(f"{CHANGE_UP}|{CHANGE_DOWN}")
_DOWN = re.compile(CHANGE_DOWN)
_LIST_START = re.compile(r"[，,；;：:。！？!?\n]")
# Words an item can share with the last one: "刑事治安、涉毒警情" → 刑事治安警情.
_SHARED_TAIL = re.compile(
    r"(?:占.{2,14}比重|(?:居民)?人均可支配收入|水质优良(?:比例|率)|进出口总额|利润总额|贷款余额|存款余额"
    r"|增加值|总产值|产值|产量|余额|总额|营业额|销售额|收入|支出|警情|案件|普及率|覆盖率|比重|比例"
    r"|吞吐量|客运量|货运量|人数|起数|标准)$"
)
_COMPLETE = re.compile(
    r"(?:收入|支出|产值|增加值|总额|产量|余额|销售额|营业额|游客|人数|起数|率|比重|比例|吞吐量|客运量"
    r"|投资|消费|花费|数|量|价格|警情|案件)$"
)


@dataclass(frozen=True)
class ListItem:
    """One name–figure pair of a 分别 group; offsets are absolute."""

    name: str
    num: str
    unit: str
    is_rate: bool  # the verb was a change word: a figure given only as a rate
    change: float | None
    fig_start: int
    fig_end: int
    list_start: int  # where the name list starts (quote start)
    quote_end: int


@dataclass
class ListScan:
    """What `find_list_items` found: paired items; the figures it consumed (start offsets); and
    trailing change lists with no names of their own ("A 4.16亿人次、B 936万人次，分别增长6.7%、
    39.6%") keyed by their first figure, as (signed changes, end offset), for the caller to pair
    with the figures it has just read."""

    items: list[ListItem]
    consumed: set[int]
    changes: dict[int, tuple[list[float], int]]


def _split_names(names: str) -> list[str]:
    if names.startswith("城乡居民") and "、" not in names:
        rest = names[2:]
        return ["城镇" + rest, "农村" + rest]
    items = [n for n in names.split("、")] if "、" in names else names.split("和")
    items = [n.strip() for n in items]
    if len(items) < 2 or any(not n for n in items):
        return []
    last = items[-1]
    heads = {len(n) for n in items[:-1]}
    out = []
    for item in items[:-1]:
        if _COMPLETE.search(item) and len(item) > 2:
            out.append(item)
            continue
        if len(heads) == 1 and max(heads) <= 2 and len(last) > max(heads) + 1:
            out.append(item + last[max(heads) :])  # parallel heads: 城镇、农村…, 广州、深圳…
            continue
        tail = _SHARED_TAIL.search(last)
        if not tail:
            return []
        out.append(item + tail.group(0))
    if len(last) <= 2 and len(out[0]) > 2:
        last = out[0][: -len(last)] + last  # "地方财政收入、支出"
    return [*out, last]


def _figs(text: str, a: int, b: int) -> list[re.Match[str]]:
    return list(_ONE_FIG.finditer(text, a, b))


def find_list_items(
    text: str, start: int, end: int, clean: Callable[[str], str | None]
) -> ListScan:
    """The pairs of every 分别 group in text[start:end], the start offsets of every figure the
    groups consumed (paired or not) so the caller does not read them again, and nameless
    trailing change lists."""
    items: list[ListItem] = []
    consumed: set[int] = set()
    orphans: dict[int, tuple[list[float], int]] = {}
    for g in _GROUP.finditer(text, start, end):
        figs = _figs(text, g.start("figs"), g.end("figs"))
        consumed.update(f.start() for f in figs)
        to = _TO_FIGS.match(text, g.end(), end)
        if "从" in g.group("verb") or to:
            # "分别从771家、481家增加到1076家、636家": before/after pairs, read neither.
            if to:
                consumed.update(f.start() for f in _figs(text, to.start("figs"), to.end()))
            continue
        is_rate = _CHANGE_WORD.search(g.group("verb")) is not None
        list_start = start
        for b in _LIST_START.finditer(text, max(start, g.start() - 60), g.start()):
            list_start = b.end()
        names = clean(text[list_start : g.start()])
        if names == "" and is_rate and all(f.group("unit") in ("%", "％") for f in figs):
            down = _DOWN.search(g.group("verb")) is not None
            values = [float(f.group("num")) * (-1 if down else 1) for f in figs]
            orphans[figs[0].start()] = (values, g.end())
            continue
        split = _split_names(names) if names else []
        if len(split) != len(figs):
            continue
        changes: list[float | None] = [None] * len(figs)
        quote_ends = [g.end()] * len(figs)
        ch = _CHANGES.match(text, g.end(), end)
        if ch:
            cfigs = _figs(text, ch.start("figs"), ch.end("figs"))
            consumed.update(f.start() for f in cfigs)
            if len(cfigs) == len(figs) and not is_rate:
                down = _DOWN.fullmatch(ch.group("dir")) is not None
                for i, f in enumerate(cfigs):
                    if f.group("unit") in ("%", "％"):
                        v = float(f.group("num").replace(",", ""))
                        changes[i] = -v if down else v
                        quote_ends[i] = ch.end()
        for name, fig, change, q_end in zip(split, figs, changes, quote_ends, strict=True):
            unit = "%" if fig.group("unit") in ("%", "％") else fig.group("unit")
            if "," in fig.group("num") or (is_rate and unit != "%"):
                continue
            num = fig.group("num")
            items.append(
                ListItem(
                    name, num, unit, is_rate, change, fig.start(), fig.end(), list_start, q_end
                )
            )
    return ListScan(items, consumed, orphans)
