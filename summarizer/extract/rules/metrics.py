"""Offline metric extraction: indicator name + figure + unit (+ signed change) from report text.

These reports state their indicators in a fixed clause shape:

    [period][status word][verb] NAME [verb] FIGURE UNIT [，同比增长|下降 RATE%]
    今年1-10月实现公共财政预算收入4.01亿元，…，同比减少14.4%；预计全年完成4.3亿元，同比下降13.3%
    地区生产总值增长3.9%          (a figure given only as a rate: value 3.9, unit %)

so one regex finds the figures and each figure is read against the text before it in its clause:
a change word right before a percentage makes it the change of the figure just stated (or, with a
name of its own, a rate metric); otherwise the clause text, stripped of period, status and verb
words, is the indicator name. A figure with no name of its own ("预计全年完成4.3亿元") takes the
name of the previous figure in the same sentence. A change stated in points ("提高2.8个百分点")
or in a unit ("农村贫困人口减少1240万") is a figure of its own, never the % change of another;
the latter is named with its change word. Figures that are not indicators — thresholds
("2000万元以上工业项目"), shares ("24.1%的增量"), completion rates ("完成年度计划的80.9%"),
ordinals ("第4个") — are dropped: a missing metric costs less than a wrong one. A figure closed by
a noun of its own is no qualifier: "拟按3%安排", "迈上14万亿元新台阶", "完成796人的减贫任务".
A count written before its noun takes the noun as its name ("打造83个智慧安防小区"); so does any
figure whose noun, read to where it ends and without its asides, is a known indicator in that
figure's unit ("41.8公里“四好农村路”[25]", "近1400万农业转移人口在城镇落户") — but not people
counted as they leave the noun ("3.33万贫困人口实现脱贫"), nor what each one reaches ("村集体
收入全部突破5万元").

The scans (figures, change words, periods) live in `metrics_scan`, name reading in
`metrics_names`; lists ("城镇、农村居民人均可支配收入分别增长3.4%、5.2%", "城乡居民…达到2.36
万元和1.53万元", "办结率、满意率均达到100%"), read as whole groups, in `metrics_lists`; a
figure's status (actual, target, forecast) and period in `metrics_status`, read last and only
for the kept metrics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer.extract.rules.metrics_lists import ListItem, ListScan, find_list_items
from summarizer.extract.rules.metrics_names import (
    ATTRIBUTE_NAME,
    FIRMS_AT_WORK,
    MAX_NAME,
    NEW_WORD,
    NOUN_AFTER,
    REJECT_NAME,
    SHARED_ATTRIBUTE,
    SHARED_VERB,
    balance_quotes,
    clean_name,
    clean_noun,
    find_name,
    known_noun_after,
    with_list_head,
    with_subject,
    with_zone,
)
from summarizer.extract.rules.metrics_scan import change_tail, figures
from summarizer.extract.rules.metrics_status import (
    CLAUSE_END,
    COMPLETION,
    Breaks,
    FigureAt,
    StatusReader,
    breaks_of,
    last_before,
)
from summarizer.lexicon.indicators import (
    canonical_name,
    figure_indicator,
    is_indicator,
    may_grow_into_name,
)
from summarizer.lexicon.numbers import CHANGE_DOWN, UNITS, is_count_unit, value_in_quote
from summarizer.lexicon.spaces import SPACES
from summarizer.models import Metric, Status

__all__ = ["Level", "extract_metrics"]

Level = Literal["headline", "indicator", "all"]

_TO_AFTER = re.compile(r"[^，,。；;0-9]{0,4}?(?:到|至)[0-9]")
# "由2015年的386亿元增加到2020年的612亿元": the years before the figures date them.
_TO_PREFIX = re.compile(r"[^，,。；;0-9]{0,4}?(?:到|至)(?P<year>[0-9]{4}年(?:底|末)?)?的?")
# "赤字率从去年的2.1%提高到2.3%": a base dated by a relative year is a base too, and so is a
# standard's per head and period ("补助标准由每人每年240元提高到280元", "从人均40元提高到45元",
# "孤儿基本生活保障最低标准从每人每月2295元提高到2375元", "公用经费最低标准从每生每年6000元").
_FROM_PREFIX = re.compile(
    r"(?:从|由)(?:(?:[0-9]{4}年(?:底|末)?|去年|上年|前年)的?|每[人生户](?:每[年月])?|人均)?$"
)
_DOWN = re.compile(CHANGE_DOWN)

_MONEY_OR_COUNT_NOUN = re.compile(r"[\u4e00-\u9fff“\"]")
# Words after a figure that close it rather than name what it qualifies: "赤字率拟按3%安排",
# "迈上14万亿元新台阶", "突破10亿大关".
_CLOSES = re.compile(r"安排|新台阶|大关")
# "调查失业率稳定在5%左右的较低水平": the level the figure is, not a share of something ("24.1%的
# 增量") nor a noun it qualifies.
_AT_LEVEL = re.compile(r"的(?:较低|较高|合理|正常)?水平")
# "完成37.8亿元的年度投资计划": a figure qualifying a plan it completes is that plan's figure.
_PLAN_OF = re.compile(r"的(?P<noun>[\u4e00-\u9fff]{2,10}?)(?:计划|任务)")
_PLAN_YEAR = re.compile(r"^(?:年度|全年|年初)")

# Units that count things; only these take a following noun as the name ("17个重点项目").
_COUNT_UNITS = frozenset(u for u in UNITS if is_count_unit(u))
# An area the noun after it measures, as a count counts it: "打造2万亩高标准农田".
_AREA_UNITS = frozenset(f"{m}{u}" for m in ("", "万", "亿") for u in ("亩", "公顷"))

# A count followed by an amount is the scope of the amount, not its value: "全镇12个行政村村级
# 集体经济收入…达到486万元" counts villages; the income is the money figure after it.
_AMOUNT_NOUN = re.compile(
    r"收入|产值|总值|增加值|总额|利润|税收|营收|资金|投资额|销售额|余额|支出|规模"
)

_POINTS = "个百分点"
_RATE_UNITS = ("%", _POINTS)  # figures that are rates: no % change attaches to them

_MAX_NAMES = 3 * MAX_NAME  # a list of names ("A、B、C增加值") in one clause
_MAX_QUOTE = 120
_MAX_GAP = 30  # "4.01亿元，完成年初计划4.96亿元（调整）的80.9%，同比减少14.4%"
_MAX_PREFIX = 40
_QUOTE_SKIP = SPACES + "，,、；;：:"  # what a metric's quote never starts on


@dataclass
class _Pending:
    """The last metric emitted in the current segment: a following "同比增长X%" attaches to it."""

    index: int
    segment: int
    q_start: int
    fig_end: int
    unit: str


@dataclass(slots=True)
class _Figure:
    """One figure in its clause: the match, its unit, the sentence, segment and clause it sits
    in, and the clause text before it (its `prefix`: at most _MAX_PREFIX characters, never
    reaching back past the previous figure), where its name and change word are read."""

    m: re.Match[str]
    start: int
    end: int
    unit: str
    after: str  # the three characters after the figure
    sent: int
    seg: int
    clause: int
    prefix_start: int
    prefix: str
    prev_end: int  # where the figure before it ended


@dataclass(slots=True)
class _Named:
    """A figure's name, where the name is written, and where the metric's quote may start and
    end (a counted noun after the figure, "10个重点项目", ends it)."""

    name: str
    name_pos: int
    prefix_start: int
    end: int
    measures: str | None = None  # for a change stated in a unit, the indicator it changes


def _clean_names(prefix: str) -> str | None:
    """A list of names, cleaned as one name is ("先进制造业、高技术制造业增加值占规模以上工业比重")."""
    return clean_name(prefix, max_len=_MAX_NAMES)


def _in_skip(pos: int, skip: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in skip)


def extract_metrics(
    text: str,
    start: int,
    end: int,
    *,
    role: str = "review",
    skip: Sequence[tuple[int, int]] = (),
    level: Level = "indicator",
) -> list[Metric]:
    """Metrics stated in text[start:end]; evidence offsets index `text` (absolute).

    `role` is the section role ("plans" makes figures targets unless clearly achieved); `skip`
    holds boilerplate spans whose figures are ignored. `level` chooses how much to keep:
    "headline" only the known indicators (those with a canonical name), "indicator" (default)
    also named figures that read as indicators (a stated change, a rate, 收入/产值/投资/企业/项目
    …), "all" every named figure, counts of activities included."""
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return []
    skip = [(a, b) for a, b in skip if b > start and a < end]
    breaks = breaks_of(text, start, end)
    drafts = _Reader(text, start, end, breaks).read(skip)
    return _kept(text, start, role, breaks, drafts, level)


def _kept(
    text: str, start: int, role: str, breaks: Breaks, drafts: list[_Draft], level: Level
) -> list[Metric]:
    """The drafts worth keeping at `level`, with their status and period, as Metrics."""
    # The change attached later extends a quote but never drops its value; checked once more
    # because SPEC's contract checker rejects a whole report on one ungrounded value.
    wanted = [_keep(d, level) and value_in_quote(d.value, d.quote) for d in drafts]
    # Status and period last, and only for the metrics kept: most figures read are dropped.
    reader = StatusReader(text, start, role, breaks)
    read = reader.resolve([d.at for d in drafts], wanted)
    out = []
    for i, d in enumerate(drafts):
        if wanted[i]:
            status, period = read[i]
            # "增加到2020年的612亿元": the level of 2020
            out.append(_metric(d, status, d.to_year or period))
    return out


class _Reader:
    """Reads the figures of text[start:end], in order, into drafts.

    A figure's reading depends on the figures just before it; that is all the state here: the
    metric a following "同比增长X%" attaches to, the names earlier in the sentence (a nameless
    "预计全年完成4.3亿元" continues the last one, a bare attribute "总投资" belongs to the first),
    the base of a "从A增加到B" pair, and how many figures the sentence has had (a trailing
    "分别增长a%、b%" pairs with as many)."""

    def __init__(self, text: str, start: int, end: int, breaks: Breaks) -> None:
        self.text, self.start, self.end, self.breaks = text, start, end, breaks
        self.drafts: list[_Draft] = []
        self.pending: _Pending | None = None
        self.last_name: tuple[int, str] | None = None  # (sentence start, name)
        self.first_name: tuple[int, str] | None = None  # (sentence start, its first name)
        # (sentence start, the last projects counted in it), while no 其中 came after its first
        self.projects: tuple[int, str] | None = None
        self.from_name: tuple[int, str, int] | None = None  # (end of a 从 figure, name, q start)
        self.seen_figs = (-1, 0)  # (sentence start, figures read in it)

    def read(self, skip: Sequence[tuple[int, int]]) -> list[_Draft]:
        text, start, end = self.text, self.start, self.end
        scan = find_list_items(text, start, end, _clean_names)
        groups: dict[int, list[ListItem]] = {}
        for item in scan.items:
            groups.setdefault(item.list_start, []).append(item)
        group_at = {items[0].fig_start: items for items in groups.values()}
        prev_end = start
        for m in figures(text, start, end):
            fig_prev_end, prev_end = prev_end, m.end()
            if skip and _in_skip(m.start(), skip):
                continue
            if m.start("num") in scan.consumed:
                # A 分别 group ("城镇、农村居民人均可支配收入分别增长3.4%、5.2%"), read as a whole.
                self._read_group(m, group_at.get(m.start("num"), []), scan)
                continue
            self._read_figure(self._figure(m, fig_prev_end))
        return self.drafts

    def _read_group(self, m: re.Match[str], items: list[ListItem], scan: ListScan) -> None:
        for item in items:
            self.drafts.append(_list_draft(self.text, item))
        sent = last_before(self.breaks.sentences, m.start(), self.start)
        changes = scan.changes.get(m.start("num"))
        if changes and self.seen_figs == (sent, len(changes[0])):
            _pair_changes(self.text, self.drafts, changes, sent)
        self.pending = None

    def _figure(self, m: re.Match[str], prev_end: int) -> _Figure:
        """The figure in its clause. Counts it in its sentence, and forgets a pending metric of
        another segment."""
        text, start, breaks = self.text, self.start, self.breaks
        fig_start = m.start()
        sent = last_before(breaks.sentences, fig_start, start)
        self.seen_figs = (sent, self.seen_figs[1] + 1 if self.seen_figs[0] == sent else 1)
        unit = "%" if m.group("unit") in ("%", "％") else (m.group("mag") or "") + m.group("unit")
        seg = last_before(breaks.segments, fig_start, start)
        clause = last_before(breaks.clauses, fig_start, start)
        prefix_start = max(clause, prev_end, fig_start - _MAX_PREFIX)
        if self.pending and self.pending.segment != seg:
            self.pending = None
        after = text[m.end() : m.end() + 3]
        prefix = text[prefix_start:fig_start]
        return _Figure(
            m, fig_start, m.end(), unit, after, sent, seg, clause, prefix_start, prefix, prev_end
        )

    def _read_figure(self, fig: _Figure) -> None:
        if self._is_base(fig):
            return
        named_from, to_year = self._from_base(fig)
        plan = _PLAN_OF.match(self.text, fig.end) if fig.after.startswith("的") else None
        if plan and "完成" not in fig.prefix:
            plan = None
        at_level = _AT_LEVEL.match(self.text, fig.end) is not None
        if not plan and not at_level and _not_indicator(fig):
            return
        change = None if named_from else change_tail(fig.prefix)
        sign = fig.m.group("sign")
        if sign and not change:
            fig.start += 1  # a dash before a figure with no change word is not a sign
        if fig.unit == _POINTS:
            if not change:
                return  # "高于全国0.7个百分点": a comparison, not a change of the indicator
            # "优良天数比例提高2.8个百分点": a change in points has a name of its own; it is never
            # the % change of the level before it.
            named = self._rate_name(fig, clean_name(fig.prefix[: change.start()]))
        elif fig.unit == "%" and change:
            head_name = clean_name(fig.prefix[: change.start()])
            if head_name == "" and self._attach_change(fig, change):
                return
            named = self._rate_name(fig, head_name)
        elif change:
            named = self._unit_change_name(fig, change)
        elif plan:
            named = self._plan_name(fig, plan)
        else:
            named = self._level_name(fig, named_from, at_level)
        if named is None or len(named.name) < 2:
            return
        named.name = self._clause_subject(fig, named.name)
        if named_from:
            named.name = self._raised_with_head(fig, named.name)
        named.name = with_list_head(named.name, self.text, fig.clause, self.start)
        named.name = with_zone(named.name, self.text, fig.sent, fig.clause)
        self._emit(fig, named, _metric_value(fig, change), change, to_year)

    def _clause_subject(self, fig: _Figure, name: str) -> str:
        """A bare attribute or stage ("新开工", "财政补助标准") whose subject an earlier clause
        of its sentence names with no figure of its own: "加大保障性安居工程建设力度，今年新开工
        700万套以上", "完善城乡居民基本医保，财政补助标准由每人每年320元提高到380元". Taken only
        when subject and name together are a known indicator; the nearest clause first."""
        in_sentence = self.first_name is not None and self.first_name[0] == fig.sent
        if canonical_name(name) is not None:
            return name
        if in_sentence:
            last = self.last_name
            return _shared_subject(last[1], name) if last and last[0] == fig.sent else name
        if not may_grow_into_name(name):  # no clause before it could complete it: skip them all
            return name
        before = self.text[fig.sent : fig.clause]
        for clause in reversed(_CLAUSE_SPLIT.split(before)):
            clause = clause.strip(SPACES)[-_MAX_SUBJECT:]
            # the longest subject first: 城乡居民基本医保 before 基本医保
            for size in range(len(clause), 1, -1):
                for at in range(len(clause) - size + 1):
                    joined = clause[at : at + size] + name
                    if canonical_name(joined) is not None:
                        return joined
        return name

    def _raised_with_head(self, fig: _Figure, name: str) -> str:
        """A standard raised "从A到B" for a group named alone, after one raised for a group of
        the same noun in its sentence, shares that one's head (see `_shared_head`)."""
        last = self.last_name
        if not (last and last[0] == fig.sent) or is_indicator(name, fig.unit):
            return name
        return _shared_head(last[1], name, fig.unit)

    def _is_base(self, fig: _Figure) -> bool:
        """ "全市生产总值从4.16万亿元增加到5.67万亿元": the first figure is the base; the second
        is the level now, named by the text before 从. "由2015年的386亿元增加到2020年的612亿元"
        is the same form, dated. The change that follows ("，年均增长7.8%") is kept as change_pct,
        as the labels and SPEC's "X亿元，增长Y%" read it: the genre gives the average annual rate
        where a one-year review gives 同比."""
        prefix = fig.prefix
        base_at = _FROM_PREFIX.search(prefix) if ("从" in prefix or "由" in prefix) else None
        if not (base_at and _TO_AFTER.match(self.text, fig.end)):
            return False
        base = clean_name(prefix[: base_at.start()])
        self.from_name = (fig.end, base, fig.prefix_start) if base else None
        return True

    def _from_base(self, fig: _Figure) -> tuple[tuple[int, str, int] | None, str | None]:
        """The base that a figure right after "从A…到" continues, and the year written after 到
        ("增加到2020年的612亿元"); (None, None) for any other figure."""
        from_name, self.from_name = self.from_name, None
        if not (from_name and from_name[0] == fig.prev_end):
            return None, None
        to = _TO_PREFIX.fullmatch(fig.prefix)
        if to is None:
            return None, None
        return from_name, to.group("year")

    def _attach_change(self, fig: _Figure, change: re.Match[str]) -> bool:
        """ "X亿元，同比增长Y%": a nameless change right after a level is that level's change
        (written into it when the quote stays short). True when the figure is used up so."""
        pending = self.pending
        if not pending or pending.unit in _RATE_UNITS:
            return False
        old = self.drafts[pending.index]
        between = self.text[pending.fig_end : fig.start]
        if (
            fig.end - pending.q_start <= _MAX_QUOTE
            and len(between) <= _MAX_GAP
            and len(CLAUSE_END.findall(between)) <= 2
        ):
            old.change_pct = _signed_change(fig, change)
            old.quote = self.text[pending.q_start : fig.end]
            old.start, old.end = pending.q_start, fig.end
        self.pending = None
        return True

    def _rate_name(self, fig: _Figure, head_name: str | None) -> _Named | None:
        """The name of a figure given as a rate ("地区生产总值增长5.3%"): the text before its
        change word (`head_name`, cleaned)."""
        if not head_name or REJECT_NAME.search(head_name):
            return None
        name_pos = fig.prefix_start + find_name(fig.prefix, head_name)
        name = with_subject(head_name, self.first_name, fig.sent, self.projects)
        return _Named(name, name_pos, fig.prefix_start, fig.end)

    def _plan_name(self, fig: _Figure, plan: re.Match[str]) -> _Named | None:
        """ "圆满完成796人的减贫任务", "完成37.8亿元的年度投资计划": a plan completed, named by the
        clause before the figure or else by the plan itself; quoted to the plan's end."""
        cleaned = clean_name(fig.prefix)
        if cleaned is None:
            return None
        name = cleaned or _PLAN_YEAR.sub("", plan.group("noun"))
        name = with_subject(name, self.first_name, fig.sent, self.projects)
        if REJECT_NAME.search(name):
            return None
        name_pos = fig.prefix_start + find_name(fig.prefix, cleaned) if cleaned else fig.start
        return _Named(name, name_pos, fig.prefix_start, plan.end())

    def _right_after(self, fig: _Figure) -> bool:
        """Whether the last metric read ends where this figure starts, in another unit."""
        last = self.drafts[-1] if self.drafts else None
        return last is not None and last.end == fig.start and last.unit != fig.unit

    def _in_sentence(self, fig: _Figure) -> bool:
        """Whether the last metric read is in this figure's sentence, close enough to quote
        with it."""
        last = self.drafts[-1] if self.drafts else None
        return (
            last is not None
            and self.last_name is not None
            and self.last_name[0] == fig.sent
            and last.start >= fig.sent
            and fig.end - last.start <= _MAX_QUOTE
        )

    def _unit_change_name(self, fig: _Figure, change: re.Match[str]) -> _Named | None:
        """ "农村贫困人口减少1240万", "补助标准提高30元": a change stated in a unit is a figure of
        its own, named with its change word so that no table reads it as the level; kept when
        the indicator it changes would be. Without a name of its own ("，增加1.5万人") it says
        nothing readable."""
        head_name = clean_name(fig.prefix[: change.start()])
        if not head_name or REJECT_NAME.search(head_name) or ATTRIBUTE_NAME.match(head_name):
            return None
        name_pos = fig.prefix_start + find_name(fig.prefix, head_name)
        word = change.group("dir")
        return _Named(head_name + word, name_pos, fig.prefix_start, fig.end, measures=head_name)

    def _level_name(
        self, fig: _Figure, named_from: tuple[int, str, int] | None, at_level: bool = False
    ) -> _Named | None:
        """The name of a level ("实现公共财政预算收入4.01亿元"): the base's name after 从…到, the
        counted noun after a count ("10个重点项目"), the clause text before it, the name before
        it in the sentence when the clause has only filler words ("预计全年完成4.3亿元"), or that
        name and the whole of a share ("…，占一般公共预算支出80.2%")."""
        prefix, after = fig.prefix, fig.after
        cleaned = named_from[1] if named_from else clean_name(prefix)
        name_pos = fig.prefix_start + find_name(prefix, cleaned) if cleaned else fig.prefix_start
        prefix_start = fig.prefix_start
        if named_from:
            name_pos = prefix_start = named_from[2]
        noun_end = fig.end
        qualifies = (
            _MONEY_OR_COUNT_NOUN.match(after[:1] or " ")
            and not _CLOSES.match(after)
            and not at_level
        )
        counted = self._counted_noun(fig, cleaned) if qualifies else None
        if counted is not None:
            # "10个重点项目", "41.8公里“四好农村路”" — the noun after the figure is the name.
            name, noun_end = counted
        elif cleaned is None or qualifies:
            if cleaned is None:
                # a subject too long to name came between: a nameless figure after it is its
                # figure, not one of the name before ("税率…降至13%，…起征点从月销售额3万元
                # 提高到15万元")
                self.last_name = None
            return None  # unclear lead-in, or a money figure qualifying a noun ("10万元消费券")
        elif not cleaned:
            last = self.last_name
            if not (last and last[0] == fig.sent and (prefix.strip() or self._right_after(fig))):
                return None
            # "预计全年完成4.3亿元" continues the previous indicator; so does a figure written
            # right after the last one, in another unit ("实际脱贫1157户2376人").
            name = last[1]
        elif cleaned.startswith("占") and fig.unit == "%" and self._in_sentence(fig):
            # "财政民生资金支出304.3亿元，占一般公共预算支出80.2%": the share of the indicator
            # just stated, quoted with it.
            name = self.last_name[1] + cleaned if self.last_name else cleaned
            prefix_start = self.drafts[-1].start
        else:
            name = cleaned
        # "重点项目17个，年度计划总投资29.745亿元": an attribute takes its subject first; alone,
        # "年度计划…" names a plan's completion, not an indicator.
        name = with_subject(name, self.first_name, fig.sent, self.projects)
        # a known indicator is no plan's remainder: "20个老旧小区改造任务全部完成"
        if REJECT_NAME.search(name) and canonical_name(name) is None:
            return None
        return _Named(name, name_pos, prefix_start, noun_end)

    def _counted_noun(self, fig: _Figure, cleaned: str | None) -> tuple[str, int] | None:
        """The noun a figure counts, written after it, and where it ends: "17个重点项目" (any
        noun after a count or an area), "年底前完成41.8公里“四好农村路”", "近1400万农业转移人口
        在城镇落户" (a known indicator's, in a unit it takes: a length, a bare 万 of people). A
        threshold ("2000万元以上工业项目") or an amount's scope ("12个行政村…收入") counts none."""
        nm = NOUN_AFTER.match(self.text, fig.end, min(self.end, fig.end + 16))
        if fig.m.group("post") or (nm and _AMOUNT_NOUN.search(nm.group("noun"))):
            return None
        unit = fig.unit
        counts = unit in _COUNT_UNITS or unit in _AREA_UNITS  # "新开工10个重点项目"
        lazy_end = nm.end() if nm else fig.end
        new = NEW_WORD.search(cleaned or "")
        known = known_noun_after(
            self.text, fig.end, self.end, lazy_end, lambda n: _takes(n, unit, new)
        )
        if known is not None:
            noun, end = known
            if _LEAVES.match(self.text, end) and not _LEAVES.search(noun):
                return None
            with_new = (new.group(0) if new else "") + noun
            return (with_new if counts or _takes(with_new, unit, None) else noun), end
        if not nm or not counts:
            return None
        if _LEAVES.match(self.text, nm.end()):
            return None
        name = (new.group(0) if new else "") + balance_quotes(clean_noun(nm.group("noun")))
        return name, nm.end()

    def _emit(
        self,
        fig: _Figure,
        named: _Named,
        value: float,
        change: re.Match[str] | None,
        to_year: str | None,
    ) -> None:
        """The draft of a named figure, quoted from its lead-in (or its name, when the lead-in is
        long) to its end; it becomes the pending metric and a name of its sentence."""
        text, fig_start = self.text, fig.start
        q_start = (
            named.prefix_start if fig_start - named.prefix_start <= _MAX_PREFIX else named.name_pos
        )
        while q_start < fig_start and text[q_start] in _QUOTE_SKIP:
            q_start += 1
        quote = text[q_start : named.end]
        if not quote:
            return
        # A sign skipped (fig.start + 1) is no boundary: sent and clause still hold.
        at = FigureAt(fig_start, fig.sent, fig.clause)
        name = named.name
        draft = _Draft(name, value, fig.unit, None, quote, q_start, named.end, at, to_year)
        draft.measures = named.measures
        self.drafts.append(draft)
        self.pending = _Pending(len(self.drafts) - 1, fig.seg, q_start, named.end, fig.unit)
        self.last_name = (fig.sent, name)
        if not self.first_name or self.first_name[0] != fig.sent:
            self.first_name = (fig.sent, name)
        self._count_projects(fig, name)

    def _count_projects(self, fig: _Figure, name: str) -> None:
        """Keep the projects counted last in the sentence, an investment's subject; a part of
        them (其中) gives the subject back to the first name, the whole."""
        if "其中" in self.text[fig.sent : fig.start]:
            self.projects = None
        elif "项目" in name and fig.unit in _COUNT_UNITS:  # a count, not 项目开工率 nor 投资
            self.projects = (fig.sent, name)


# People counted as they leave what the noun names or move: "3.33万贫困人口实现脱贫" counts
# people lifted out of poverty, "960多万贫困人口实现易地搬迁" people resettled, not the poor
# (unless the name says so: "1374名贫困人口稳定脱贫" is 脱贫人口); "超2万名高校毕业生等青年到粤东
# 粤西粤北地区稳定就业" (广东 2025, 2026) those drawn to a place, not the year's graduates (as
# "超500名专家到县级医院开展技术帮扶", 广东 2025, counts no experts).
_LEAVES = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(?:脱贫|搬迁)|(?:等[\u4e00-\u9fff]{1,3})?到(?![0-9位期])"
)


def _takes(noun: str, unit: str, new: re.Match[str] | None) -> bool:
    """Whether `noun` (with the verb `new` before the figure, if any) names a known indicator
    that is written in `unit`; a noun opening on a verb is read without it, as `clean_noun`
    reads it ("6个新签约项目" counts 项目, no indicator)."""
    noun = clean_noun(noun)
    if new is not None and figure_indicator(new.group(0) + noun, unit) is not None:
        return True
    return figure_indicator(noun, unit) is not None


def _shared_subject(first: str, name: str) -> str:
    """A bare attribute right after a figure of its sentence shares the subject that figure's
    name opens with, when the two make a known indicator: "确保粮食播种面积稳定在33万亩以上，年产量
    12.6万吨以上" (粮食年产量); else the name as written. Any other name shares only the verb the
    figure's name opens with ("退出钢铁产能…、煤炭产能…", "改造老旧小区33个、棚户区3199套"), never
    its qualifiers: "新签约引进亿元以上工业项目1个,2000万元以上工业项目3个" are no 亿元以上 projects."""
    attribute = SHARED_ATTRIBUTE.match(name) is not None
    for k in range(len(first) - 1, 1, -1):
        if not attribute and not SHARED_VERB.fullmatch(first[:k]):
            continue
        joined = first[:k] + name
        if canonical_name(joined) is not None:
            return joined
    return name


# An aside in brackets after a group: "散居孤儿（含艾滋病病毒感染儿童）".
_GROUP_ASIDE = re.compile(r"（[^（）]*）$|\([^()]*\)$")


def _shared_head(first: str, name: str, unit: str) -> str:
    """A group named alone, after a figure of its sentence whose name opens on a group ending in
    the same noun, shares that name's head: a standard list writes the head once ("集中供养孤儿
    基本生活保障省定最低标准从每人每月2295元提高到2375元，散居孤儿（含艾滋病病毒感染儿童）从每人
    每月1484元提高到1536元": 散居孤儿基本生活保障省定最低标准); else the name as written."""
    group = _GROUP_ASIDE.sub("", name)
    for size in range(len(group) - 1, 1, -1):  # the longest shared noun first, never all of it
        at = first.find(group[-size:], 1)
        head = first[at + size :] if at > 0 else ""
        if head and is_indicator(head, unit):
            return group + head
    return name


_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
_MAX_SUBJECT = 16  # the clause's last characters searched for a subject


def _not_indicator(fig: _Figure) -> bool:
    """Figures that are not indicators: thresholds ("2000万元以上工业项目"), shares ("24.1%的
    增量"), point changes, multiples, numbers with thousands separators, completion rates."""
    after, unit = fig.after, fig.unit
    if after.startswith("的") or after.startswith("百分点") or unit == "倍":
        return True
    if fig.m.group("post") in ("以上", "以下") and _MONEY_OR_COUNT_NOUN.match(after[:1] or " "):
        return True
    if "," in fig.m.group("num"):
        return True  # "1,234" — SPEC's value_in_quote cannot hold for 1234; skipped on purpose
    if unit != "%" and _EACH_REACHES.search(fig.prefix):
        return True
    return unit == "%" and COMPLETION.search(fig.prefix) is not None


# "力争村集体收入全部突破10万元", "12个行政村村级集体经济收入均达到30万元": what each one of
# them reaches, a floor for every village, not the indicator's level.
_EACH_REACHES = re.compile(r"(?:全部|均|都)(?:突破|达到|超过|达)\s*$")


def _written_value(fig: _Figure, change: re.Match[str] | None) -> float:
    """The number with the sign written before it, when a change word makes it one."""
    value = float(fig.m.group("num"))
    if change and fig.m.group("sign") == "-":
        return -value
    return value


def _signed_change(fig: _Figure, change: re.Match[str]) -> float:
    """The figure as a signed change: a fall (下降/减少 …) is negative."""
    value = _written_value(fig, change)
    return -abs(value) if _DOWN.fullmatch(change.group("dir")) else value


def _metric_value(fig: _Figure, change: re.Match[str] | None) -> float:
    """The value a metric reports: a rate as written without the sign its change word gives
    ("下降3.2%" → 3.2), but "增长-7.8%" with the sign it is written with."""
    value = _written_value(fig, change)
    if fig.unit != "%" or not change:
        return value
    return value if fig.m.group("sign") == "-" else abs(value)


@dataclass(slots=True)
class _Draft:
    """A metric being read. Most figures read are dropped at the end (`_keep`), and a change
    found later is written into the metric before it, so metrics stay plain records until kept
    and are validated into `Metric`s once, at the end."""

    name: str
    value: float
    unit: str
    change_pct: float | None
    quote: str
    start: int
    end: int
    at: FigureAt  # where the figure is: its status and period are read from the text before it
    to_year: str | None = None  # the period a "增加到2020年的…" figure states
    measures: str | None = None  # a change stated in a unit: the indicator it changes
    canonical_name: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.canonical_name = canonical_name(self.name)


def _list_draft(text: str, item: ListItem) -> _Draft:
    q_start, q_end = item.list_start, item.quote_end
    if q_end - q_start > _MAX_QUOTE:  # keep the clause readable: stop at this item's figure
        q_end = item.fig_end
    change = item.change if q_end >= item.quote_end else None
    quote = text[q_start:q_end]
    draft = _Draft(
        item.name,
        float(item.num),
        item.unit,
        change,
        quote,
        q_start,
        q_end,
        FigureAt(item.fig_start),
    )
    draft.measures = item.measures
    return draft


def _metric(d: _Draft, status: Status, period: str | None) -> Metric:
    """The validated Metric. One `model_validate` of a dict validates the nested Evidence too,
    at about half the cost of building the two models one by one."""
    return Metric.model_validate(
        {
            "name": d.name,
            "canonical_name": d.canonical_name,
            "value": d.value,
            "unit": d.unit,
            "period": period,
            "status": status,
            "change_pct": d.change_pct,
            "evidence": {"quote": d.quote, "start": d.start, "end": d.end},
        }
    )


def _pair_changes(
    text: str, metrics: list[_Draft], changes: tuple[list[float], int], sent: int
) -> None:
    """ "A 4.16亿人次、B 936万人次，分别增长6.7%、39.6%": the changes go, in order, to the last
    metrics of the sentence — only when the sentence has exactly that many without a change."""
    values, end = changes
    n = len(values)
    if len(metrics) < n:
        return
    tail = metrics[-n:]
    earlier = metrics[-n - 1] if len(metrics) > n else None
    if any(m.start < sent or m.change_pct is not None or m.unit == "%" for m in tail):
        return
    if earlier is not None and earlier.start >= sent and earlier.change_pct is None:
        return  # more figures than changes in this sentence: which ones pair is unclear
    for m, v in zip(tail, values, strict=True):
        if end - m.start <= _MAX_QUOTE:
            m.change_pct, m.quote, m.end = v, text[m.start : end], end


def _keep(metric: _Draft, level: Level) -> bool:
    if level == "all":
        return True
    if level == "headline":
        return metric.canonical_name is not None
    if metric.canonical_name is not None:
        return True
    if metric.measures is not None:  # a change stated in a unit, kept as its indicator would be
        measured = metric.measures
        return canonical_name(measured) is not None or (
            len(measured) >= 3 and is_indicator(measured, metric.unit)
        )
    # Two-character names ("企业", "投资", "收入") and bare attributes with no subject ("总投资")
    # say too little to stand alone in a table.
    if ATTRIBUTE_NAME.match(metric.name):
        return False
    if metric.unit.endswith("家") and FIRMS_AT_WORK.search(metric.name):
        return True  # firms counted by the work upgrading them: "1万家工业企业技术改造"
    return len(metric.name) >= 3 and is_indicator(
        metric.name, metric.unit, has_change=metric.change_pct is not None
    )
