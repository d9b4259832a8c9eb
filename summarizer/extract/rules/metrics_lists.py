"""Paired enumerations: "城镇、农村居民人均可支配收入分别增长3.4%、5.2%".

The genre packs several indicators into one clause: a list of names, a verb, then as many
figures, optionally followed by their changes. Read figure by figure, the clause would give every
figure the whole list as its name, so these groups are read as a whole: names and figures are
paired in order, and only when their counts agree — otherwise the group yields nothing (a missing
metric costs less than a mispaired one). The shapes:

- 分别 + verb + figures: "城镇、农村居民人均可支配收入分别增长3.4%、5.2%";
- a list of names and figures joined by 和/、 with no 分别: "城乡居民人均可支配收入达到2.36万元和
  1.53万元" (read only when the names split into as many as there are figures);
- the base and the level reached: "分别从771家、481家增加到1076家、636家" gives 1076 and 636;
- one figure all the names share: "办结率、满意率均达到100%", "化学需氧量、氨氮排放量都要减少2%"
  (分别 with a single figure too: "…排放量要分别下降2%"; a target's bare 要: "…排放量要下降2%");
- the changes that follow: "，分别增长9%和9.8%", "，增长8.5%和10%", "，均增长8.5%", and changes in
  a unit ("，分别比2011年增加8129元和7091元": figures of their own, named with the change word).

"城乡" names two subjects in one word: "城乡常住居民人均可支配收入" is 城镇… and 农村….
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP, NUMBER, UNIT

__all__ = ["ListItem", "ListScan", "find_list_items"]


def _starting_with(*words: str) -> str:
    """A lookahead for the first characters of `words` (literal words, or plain alternations
    such as CHANGE_UP). Put first in a pattern that is scanned for (finditer), where every
    match begins with one of the words, it makes the scan pass any other character at once,
    instead of trying the whole pattern there: the same matches, 2–6× faster."""
    alternatives = [w for alternation in words for w in alternation.split("|")]
    if any(not w or re.escape(w) != w for w in alternatives):
        raise ValueError(f"not literal words: {words}")
    return "(?=[" + "".join(sorted({w[0] for w in alternatives})) + "])"


_FIG = rf"(?<![0-9.])(?:{NUMBER})(?:余|多)?(?:{UNIT}|％)(?:左右|以上|以下|以内)?"
_FIGS = rf"{_FIG}(?:[、和及]{_FIG})+"
# A run of two or more figures joined by 、/和/及, and what stands right before it.
_RUN = re.compile(rf"(?=[0-9])(?P<figs>{_FIGS})")
_RESPECTIVELY = re.compile(r"分别(?P<verb>[^0-9，,。；;：:、\n]{0,5})$")
_CHANGE = rf"(?P<dir>{CHANGE_UP}|{CHANGE_DOWN})"
_CHANGES = re.compile(
    rf"[，,]?(?:同比|比上年|年均)?(?:分别)?(?:(?:比|较)[0-9]{{4}}年)?{_CHANGE}(?P<figs>{_FIGS})"
)
# ", 均增长8.5%": one change every item of the list shares.
_SHARED_CHANGE = re.compile(rf"[，,](?:同比|比上年)?均{_CHANGE}(?P<figs>{_FIG})")
# "办结率、满意率均达到100%": one figure every name shares (年均, 人均 … are no such 均); a
# target's 要 before a change says so too ("二氧化硫、氮氧化物排放量要下降3%").
# A plan's change word may come before the 均: "广义货币M2和社会融资规模余额预期增长均为12%左右".
_SHARED = re.compile(
    _starting_with("预期", CHANGE_UP, CHANGE_DOWN, "要|均|都|分别")
    + rf"(?:(?:预期)?(?P<rate>{CHANGE_UP}|{CHANGE_DOWN}))?"
    rf"(?<![年人村户亩日月])(?:要?(?:均|都要?|分别)|要(?={CHANGE_UP}|{CHANGE_DOWN}))(?P<verb>(?:{CHANGE_UP}|{CHANGE_DOWN})?(?:为|达到|达|超过|在|保持在)?)"
    rf"(?P<figs>{_FIG})(?![、和及]?[0-9])"
)
_ONE_FIG = re.compile(rf"(?P<num>{NUMBER})(?:余|多)?(?P<unit>{UNIT}|％)(?:左右|以上|以下|以内)?")
_TO_FIGS = re.compile(rf"[^，,。；;0-9]{{0,4}}?(?:到|至)(?P<figs>{_FIGS})")
_FROM = re.compile(r"(?:从|由)(?:[0-9]{4}年(?:底|末)?的?)?$")
_CHANGE_WORD = re.compile(f"{CHANGE_UP}|{CHANGE_DOWN}")
_CHANGE_AT_END = re.compile(rf"(?:同比|比上年|年均|实际|可比)?(?:{CHANGE_UP}|{CHANGE_DOWN})$")
_DOWN = re.compile(CHANGE_DOWN)
_LIST_START = re.compile(r"[，,；;：:。！？!?\n]")
_LOOK_BACK = 60  # how far before its figures a list of names may start
# Words an item can share with the last one: "刑事治安、涉毒警情" → 刑事治安警情.
_SHARED_TAIL = re.compile(
    r"(?:占.{2,14}比重|(?:居民)?人均可支配收入|水质优良(?:比例|率)|进出口总额|利润总额|贷款余额|存款余额"
    r"|增加值|总产值|产值|产量|余额|总额|营业额|销售额|收入|支出|警情|案件|普及率|覆盖率|比重|比例"
    r"|吞吐量|客运量|货运量|人数|起数|人均财政补助标准|财政补助标准|标准|排放量|排放)$"
)
_COMPLETE = re.compile(
    r"(?:收入|支出|产值|增加值|总额|产量|余额|销售额|营业额|游客|人数|起数|率|比重|比例|吞吐量|客运量"
    r"|投资|消费|花费|数|量|价格|警情|案件|能耗|浓度|天数)$"
)
# "城乡居民…", "全省城乡常住居民…": the one word that names both the urban and the rural figure.
_URBAN_RURAL = re.compile(r"^(?P<scope>[^、和]{0,4}?)城乡(?P<rest>[^、和]{2,})$")
_MIN_SHARED_SUFFIX = (
    2  # "先进制造业、高技术制造业增加值": heads sharing 制造业 share what follows it
)


@dataclass(frozen=True)
class ListItem:
    """One name–figure pair of a group; offsets are absolute."""

    name: str
    num: str
    unit: str
    is_rate: bool  # the verb was a change word: a figure given only as a rate
    change: float | None
    fig_start: int
    fig_end: int
    list_start: int  # where the name list starts (quote start)
    quote_end: int
    measures: str | None = None  # a change stated in a unit: the indicator it changes


@dataclass
class ListScan:
    """What `find_list_items` found: paired items; the figures it consumed (start offsets); and
    trailing change lists with no names of their own ("A 4.16亿人次、B 936万人次，分别增长6.7%、
    39.6%") keyed by their first figure, as (signed changes, end offset), for the caller to pair
    with the figures it has just read."""

    items: list[ListItem]
    consumed: set[int]
    changes: dict[int, tuple[list[float], int]]


def _common_suffix_tail(item: str, last: str) -> str | None:
    """What follows, in `last`, the longest ending `item` shares with it: "先进制造业" and
    "高技术制造业增加值占…比重" share 制造业, so the first is 先进制造业增加值占…比重."""
    for k in range(len(item), _MIN_SHARED_SUFFIX - 1, -1):
        at = last.find(item[-k:])
        if at > 0:
            tail = last[at + k :]
            return tail or None
    return None


def _split_names(names: str) -> list[str]:
    both = _URBAN_RURAL.match(names)
    if both:
        scope, rest = both.group("scope"), both.group("rest")
        return [f"{scope}城镇{rest}", f"{scope}农村{rest}"]
    items = [n for n in names.split("、")] if "、" in names else names.split("和")
    items = [n.strip() for n in items]
    if len(items) < 2 or any(not n for n in items):
        return []
    last = items[-1]
    heads = {len(n) for n in items[:-1]}
    # A list that names a whole indicator before its last ("进口货值、免签入境游客、…、离岛免税
    # 销售额") lists whole names: none of them borrows the last one's ending.
    whole = any(_COMPLETE.search(n) and len(n) > 2 for n in items[:-1])
    out = []
    for item in items[:-1]:
        if whole or (_COMPLETE.search(item) and len(item) > 2):
            out.append(item)
            continue
        if len(heads) == 1 and max(heads) <= 2 and len(last) > max(heads) + 1:
            out.append(item + last[max(heads) :])  # parallel heads: 城镇、农村…, 广州、深圳…
            continue
        tail = _SHARED_TAIL.search(last)
        shared = tail.group(0) if tail else None
        if len(item) > 2:
            shared = _common_suffix_tail(item, last) or shared
        if not shared:
            return []
        out.append(item + shared)
    if len(last) <= 2 and len(out[0]) > 2:
        last = out[0][: -len(last)] + last  # "地方财政收入、支出"
    return [*out, last]


def _figs(text: str, a: int, b: int) -> list[re.Match[str]]:
    return list(_ONE_FIG.finditer(text, a, b))


def _is_pct(fig: re.Match[str]) -> bool:
    return fig.group("unit") in ("%", "％")


# A hard-wrapped text sets a subscript on a line of its own ("广义货币M\n2\n和社会融资规模余额"):
# those line breaks are inside a name, no clause break.
_SUBSCRIPT_LINE = re.compile(r"(?<=[A-Za-z])\n([0-9]{1,2})\n")


def _list_start(text: str, start: int, at: int) -> int:
    """Where the clause holding the names before `at` starts."""
    list_start = start
    for b in _LIST_START.finditer(text, max(start, at - _LOOK_BACK), at):
        if b.group() == "\n" and _in_subscript_wrap(text, b.start()):
            continue
        list_start = b.end()
    return list_start


def _in_subscript_wrap(text: str, pos: int) -> bool:
    """Whether the line break at `pos` sets off a subscript line (see _SUBSCRIPT_LINE)."""
    for a in (pos, pos - 2, pos - 3):
        m = _SUBSCRIPT_LINE.match(text, a) if a >= 0 else None
        if m and m.start() <= pos < m.end():
            return True
    return False


def _unwrap_subscripts(lead: str) -> str:
    """The names with a subscript line joined back: "广义货币M\n2\n和…" → "广义货币M2和…"."""
    return _SUBSCRIPT_LINE.sub(r"\1", lead) if "\n" in lead else lead


@dataclass
class _Group:
    """A run of figures and the names before it: `lead` is the clause text up to the verb."""

    list_start: int
    lead: str
    verb: str
    figs: list[re.Match[str]]
    end: int  # where the figures end (a 从…到 group: where the figures reached end)
    respectively: bool  # written with 分别: the group is read as one even when it cannot pair


class _Finder:
    """The groups of text[start:end], read in order."""

    def __init__(self, text: str, start: int, end: int, clean: Callable[[str], str | None]):
        self.text, self.start, self.end, self.clean = text, start, end, clean
        self.scan = ListScan([], set(), {})

    def run(self) -> ListScan:
        for group in self._groups():
            self._read(group)
        self._read_shared()
        return self.scan

    def _groups(self) -> Iterator[_Group]:
        text, start = self.text, self.start
        for run in _RUN.finditer(text, start, self.end):
            figs = _figs(text, run.start("figs"), run.end("figs"))
            list_start = _list_start(text, start, run.start())
            lead = text[list_start : run.start()]
            resp = _RESPECTIVELY.search(lead)
            if resp:
                yield _Group(
                    list_start, lead[: resp.start()], resp.group("verb"), figs, run.end(), True
                )
            else:
                yield _Group(list_start, lead, "", figs, run.end(), False)

    def _read(self, g: _Group) -> None:
        scan = self.scan
        if g.figs[0].start() in scan.consumed:
            return  # the levels reached of a 从…到 group already read
        verb, lead = g.verb, g.lead
        base = "从" in verb or "由" in verb or _FROM.search(lead) is not None
        if base:
            reached = self._reached(g)
            if reached is None:
                return
            g, verb, lead = reached, "", reached.lead
        elif not g.respectively:
            rate = _CHANGE_AT_END.search(lead)
            if rate:  # "城乡居民人均可支配收入增长9%和9.8%"
                verb, lead = rate.group(0), lead[: rate.start()]
        is_rate = _CHANGE_WORD.search(verb) is not None
        names = self.clean(lead)
        figs = g.figs
        if g.respectively or base:
            scan.consumed.update(f.start() for f in figs)
        if names == "" and g.respectively and is_rate and all(_is_pct(f) for f in figs):
            down = _DOWN.search(verb) is not None
            values = [float(f.group("num")) * (-1 if down else 1) for f in figs]
            scan.changes[figs[0].start()] = (values, g.end)
            return
        split = _split_names(names) if names else []
        if len(split) == len(figs):
            scan.consumed.update(f.start() for f in figs)
            self._pair(g, split, is_rate, _CHANGE_WORD.search(verb))

    def _reached(self, g: _Group) -> _Group | None:
        """ "分别从771家、481家增加到1076家、636家": the group of the figures reached (the levels),
        or None when no 到 list follows; the base figures are used up either way."""
        self.scan.consumed.update(f.start() for f in g.figs)
        to = _TO_FIGS.match(self.text, g.end, self.end)
        if not to:
            return None
        lead = _FROM.sub("", g.lead)
        reached = _figs(self.text, to.start("figs"), to.end())
        return _Group(g.list_start, lead, "", reached, to.end(), g.respectively)

    def _pair(
        self, g: _Group, names: list[str], is_rate: bool, rate: re.Match[str] | None = None
    ) -> None:
        """One item per name and figure, with the changes written after the group."""
        changes, quote_ends, extra = self._changes(g.end, names, is_rate)
        for name, fig, change, q_end in zip(names, g.figs, changes, quote_ends, strict=True):
            unit = "%" if _is_pct(fig) else fig.group("unit")
            if "," in fig.group("num"):
                continue
            if is_rate and unit != "%":
                if rate is not None:  # "…标准分别再增加30元和5元": changes in a unit, named so
                    word = rate.group(0)
                    self._add(name + word, fig, unit, False, None, g.list_start, q_end, name)
                continue
            self._add(name, fig, unit, is_rate, change, g.list_start, q_end)
        for name, measured, fig, q_end in extra:
            self._add(name, fig, fig.group("unit"), False, None, g.list_start, q_end, measured)

    def _add(
        self,
        name: str,
        fig: re.Match[str],
        unit: str,
        is_rate: bool,
        change: float | None,
        list_start: int,
        quote_end: int,
        measures: str | None = None,
    ) -> None:
        self.scan.items.append(
            ListItem(
                name,
                fig.group("num"),
                unit,
                is_rate,
                change,
                fig.start(),
                fig.end(),
                list_start,
                quote_end,
                measures,
            )
        )

    def _changes(
        self, at: int, names: list[str], is_rate: bool
    ) -> tuple[list[float | None], list[int], list[tuple[str, str, re.Match[str], int]]]:
        """The changes written right after a group ending at `at`, one per name: their signed
        values in % (None where there is none), where each item's quote ends, and the changes
        stated in a unit (named with the change word) as figures of their own."""
        text, n = self.text, len(names)
        changes: list[float | None] = [None] * n
        quote_ends = [at] * n
        extra: list[tuple[str, str, re.Match[str], int]] = []
        shared = _SHARED_CHANGE.match(text, at, self.end)
        ch = shared or _CHANGES.match(text, at, self.end)
        if not ch:
            return changes, quote_ends, extra
        cfigs = _figs(text, ch.start("figs"), ch.end("figs"))
        if shared:
            cfigs = cfigs * n
        self.scan.consumed.update(f.start() for f in cfigs)
        if len(cfigs) != n or is_rate:
            return changes, quote_ends, extra
        down = _DOWN.fullmatch(ch.group("dir")) is not None
        word = ch.group("dir")
        for i, f in enumerate(cfigs):
            if "," in f.group("num"):
                continue
            if _is_pct(f):
                v = float(f.group("num"))
                changes[i] = -v if down else v
                quote_ends[i] = ch.end()
            else:
                extra.append((names[i] + word, names[i], f, ch.end()))
        return changes, quote_ends, extra

    def _read_shared(self) -> None:
        """ "办结率、满意率均达到100%": each name of the list gets the one figure."""
        text, scan = self.text, self.scan
        for m in _SHARED.finditer(text, self.start, self.end):
            fig = _ONE_FIG.match(text, m.start("figs"))
            if fig is None or fig.start() in scan.consumed or "," in fig.group("num"):
                continue
            list_start = _list_start(text, self.start, m.start())
            names = self.clean(_unwrap_subscripts(text[list_start : m.start()]))
            split = _split_names(names) if names and ("、" in names or "和" in names) else []
            if len(split) < 2:
                continue
            is_rate = (
                m.group("rate") is not None or _CHANGE_WORD.search(m.group("verb")) is not None
            )
            unit = "%" if _is_pct(fig) else fig.group("unit")
            if is_rate and unit != "%":
                continue
            scan.consumed.add(fig.start())
            for name in split:
                self._add(name, fig, unit, is_rate, None, list_start, m.end())


def find_list_items(
    text: str, start: int, end: int, clean: Callable[[str], str | None]
) -> ListScan:
    """The pairs of every group in text[start:end], the start offsets of every figure the groups
    consumed (paired or not) so the caller does not read them again, and nameless trailing
    change lists."""
    return _Finder(text, start, end, clean).run()
