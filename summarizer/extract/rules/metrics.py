"""Offline metric extraction: indicator name + figure + unit (+ signed change) from report text.

These reports state their indicators in a fixed clause shape:

    [period][status word][verb] NAME [verb] FIGURE UNIT [，同比增长|下降 RATE%]
    今年1-10月实现公共财政预算收入4.01亿元，…，同比减少14.4%；预计全年完成4.3亿元，同比下降13.3%
    地区生产总值增长3.9%          (a figure given only as a rate: value 3.9, unit %)

so one regex finds the figures and each figure is read against the text before it in its clause:
a change word right before a percentage makes it the change of the figure just stated (or, with a
name of its own, a rate metric); otherwise the clause text, stripped of period, status and verb
words, is the indicator name. A figure with no name of its own ("预计全年完成4.3亿元") takes the
name of the previous figure in the same sentence. Figures that are not indicators — thresholds
("2000万元以上工业项目"), shares ("24.1%的增量"), completion rates ("完成年度计划的80.9%"),
ordinals ("第4个") — are dropped: a missing metric costs less than a wrong one.

The scans (figures, change words, periods) live in `metrics_scan`, name reading in
`metrics_names`; 分别 enumerations ("城镇、农村居民人均可支配收入分别
增长3.4%、5.2%"), read as whole groups, in `metrics_lists`; a figure's status (actual,
target, forecast) and period in `metrics_status`, read last and only for the kept metrics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer.extract.rules.metrics_lists import ListItem, find_list_items
from summarizer.extract.rules.metrics_names import (
    ATTRIBUTE_NAME,
    NEW_WORD,
    NOUN_AFTER,
    REJECT_NAME,
    balance_quotes,
    clean_name,
    with_subject,
)
from summarizer.extract.rules.metrics_scan import change_tail, figures
from summarizer.extract.rules.metrics_status import (
    CLAUSE_END,
    COMPLETION,
    FigureAt,
    StatusReader,
    breaks_of,
    last_before,
)
from summarizer.lexicon.indicators import canonical_name, is_indicator
from summarizer.lexicon.numbers import CHANGE_DOWN, UNITS, is_count_unit, value_in_quote
from summarizer.lexicon.spaces import SPACES
from summarizer.models import Metric, Status

__all__ = ["Level", "extract_metrics"]

Level = Literal["headline", "indicator", "all"]

_TO_AFTER = re.compile(r"[^，,。；;0-9]{0,4}?(?:到|至)[0-9]")
# "由2015年的386亿元增加到2020年的612亿元": the years before the figures date them.
_TO_PREFIX = re.compile(r"[^，,。；;0-9]{0,4}?(?:到|至)(?P<year>[0-9]{4}年(?:底|末)?)?的?")
_FROM_PREFIX = re.compile(r"(?:从|由)(?:[0-9]{4}年(?:底|末)?的?)?$")
_DOWN = re.compile(CHANGE_DOWN)

_MONEY_OR_COUNT_NOUN = re.compile(r"[\u4e00-\u9fff“\"]")

# Units that count things; only these take a following noun as the name ("17个重点项目").
_COUNT_UNITS = frozenset(u for u in UNITS if is_count_unit(u))

# A count followed by an amount is the scope of the amount, not its value: "全镇12个行政村村级
# 集体经济收入…达到486万元" counts villages; the income is the money figure after it.
_AMOUNT_NOUN = re.compile(
    r"收入|产值|总值|增加值|总额|利润|税收|营收|资金|投资额|销售额|余额|支出|规模"
)

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
    sentences, segments, clauses = breaks.sentences, breaks.segments, breaks.clauses

    scan = find_list_items(text, start, end, clean_name)
    groups: dict[int, list[ListItem]] = {}
    for item in scan.items:
        groups.setdefault(item.list_start, []).append(item)
    group_at = {items[0].fig_start: items for items in groups.values()}

    metrics: list[_Draft] = []
    pending: _Pending | None = None
    last_name: tuple[int, str] | None = None  # (sentence start, name)
    first_name: tuple[int, str] | None = None  # (sentence start, first name in that sentence)
    prev_fig_end = start
    from_name: tuple[int, str, int] | None = None  # (end of a 从 figure, its name, quote start)
    seen_figs = (-1, 0)  # (sentence start, figures read in it): trailing change lists need it

    for m in figures(text, start, end):
        fig_start, fig_end = m.start(), m.end()
        after = text[fig_end : fig_end + 3]
        prev_end, prev_fig_end = prev_fig_end, fig_end
        if skip and _in_skip(fig_start, skip):
            continue
        if m.start("num") in scan.consumed:
            # A 分别 group ("城镇、农村居民人均可支配收入分别增长3.4%、5.2%"), read as a whole.
            for item in group_at.get(m.start("num"), []):
                metrics.append(_list_draft(text, item))
            sent = last_before(sentences, fig_start, start)
            if m.start("num") in scan.changes and seen_figs == (
                sent,
                len(scan.changes[m.start("num")][0]),
            ):
                _pair_changes(text, metrics, scan.changes[m.start("num")], sent)
            pending = None
            continue
        sent = last_before(sentences, fig_start, start)
        seen_figs = (sent, seen_figs[1] + 1 if seen_figs[0] == sent else 1)
        unit = "%" if m.group("unit") in ("%", "％") else (m.group("mag") or "") + m.group("unit")
        num = m.group("num")
        seg = last_before(segments, fig_start, start)
        clause = last_before(clauses, fig_start, start)
        prefix_start = max(clause, prev_end, fig_start - _MAX_PREFIX)
        prefix = text[prefix_start:fig_start]
        if pending and pending.segment != seg:
            pending = None
        # "全市生产总值从4.16万亿元增加到5.67万亿元": the first figure is the base; the second is
        # the level now, named by the text before 从.
        # "由2015年的386亿元增加到2020年的612亿元" is the same form, dated. The change that
        # follows ("，年均增长7.8%") is kept as change_pct, as the labels and SPEC's "X亿元，增长Y%"
        # read it: the genre gives the average annual rate where a one-year review gives 同比.
        base_at = _FROM_PREFIX.search(prefix) if ("从" in prefix or "由" in prefix) else None
        if base_at and _TO_AFTER.match(text, fig_end):
            base = clean_name(prefix[: base_at.start()])
            from_name = (fig_end, base, prefix_start) if base else None
            continue
        named_from = from_name if from_name and from_name[0] == prev_end else None
        from_name = None
        to_year = None
        if named_from:
            to = _TO_PREFIX.fullmatch(prefix)
            if to is None:
                named_from = None
            else:
                to_year = to.group("year")

        # Not indicators: thresholds, shares, ordinals, point changes, multiples, separators.
        if after.startswith("的") or after.startswith("百分点") or unit == "倍":
            continue
        if m.group("post") in ("以上", "以下") and _MONEY_OR_COUNT_NOUN.match(after[:1] or " "):
            continue
        if "," in num:
            continue  # "1,234" — SPEC's value_in_quote cannot hold for 1234; skipped on purpose
        if unit == "%" and COMPLETION.search(prefix):
            continue

        value = float(num)
        change = None if named_from else change_tail(prefix)
        if m.group("sign") and not change:
            fig_start += 1  # a dash before a figure with no change word is not a sign
        elif m.group("sign") and m.group("sign") == "-":
            value = -value
        signed = value
        if change and _DOWN.fullmatch(change.group("dir")):
            signed = -abs(value)
        head = prefix[: change.start()] if change else prefix

        if unit == "%" and change:
            head_name = clean_name(head)
            if pending and head_name == "" and pending.unit != "%":
                # "X亿元，同比增长Y%": the change of the figure just stated.
                old = metrics[pending.index]
                between = text[pending.fig_end : fig_start]
                if (
                    fig_end - pending.q_start <= _MAX_QUOTE
                    and len(between) <= _MAX_GAP
                    and len(CLAUSE_END.findall(between)) <= 2
                ):
                    old.change_pct = signed
                    old.quote = text[pending.q_start : fig_end]
                    old.start, old.end = pending.q_start, fig_end
                pending = None
                continue
            if not head_name or REJECT_NAME.search(head_name):
                continue
            name, name_pos = head_name, prefix_start + prefix.find(head_name)
            name = with_subject(name, first_name, sent)
        else:
            if change:  # "增长1.5万人" — a change stated in a unit: no clean level to report
                continue
            cleaned = named_from[1] if named_from else clean_name(prefix)
            name_pos = prefix_start + prefix.find(cleaned) if cleaned else prefix_start
            if named_from:
                name_pos = prefix_start = named_from[2]
            noun_end = fig_end
            if unit in _COUNT_UNITS and _MONEY_OR_COUNT_NOUN.match(after[:1] or " "):
                # "10个重点项目" — the counted noun follows the figure and is the name.
                nm = NOUN_AFTER.match(text, fig_end, min(end, fig_end + 16))
                if not nm or m.group("post") or _AMOUNT_NOUN.search(nm.group("noun")):
                    continue
                new = NEW_WORD.search(cleaned or "")
                name = (new.group(0) if new else "") + balance_quotes(nm.group("noun"))
                noun_end = nm.end()
            elif cleaned is None or _MONEY_OR_COUNT_NOUN.match(after[:1] or " "):
                continue  # unclear lead-in, or a money figure qualifying a noun ("10万元消费券")
            elif not cleaned:
                if not (last_name and last_name[0] == sent and prefix.strip()):
                    continue
                name = last_name[1]  # "预计全年完成4.3亿元" continues the previous indicator
            else:
                name = cleaned
            if REJECT_NAME.search(name):
                continue
            name = with_subject(name, first_name, sent)
            fig_end = noun_end

        if len(name) < 2:
            continue
        q_start = prefix_start if fig_start - prefix_start <= _MAX_PREFIX else name_pos
        while q_start < fig_start and text[q_start] in _QUOTE_SKIP:
            q_start += 1
        quote = text[q_start:fig_end]
        if not quote:
            continue

        metric_value = value if unit != "%" or not change else abs(value)
        if m.group("sign") == "-" and unit == "%" and change:
            metric_value = value  # "增长-7.8%" written with its sign
        # A sign skipped above (fig_start + 1) is no boundary: sent and clause still hold.
        at = FigureAt(fig_start, sent, clause)
        metrics.append(_Draft(name, metric_value, unit, None, quote, q_start, fig_end, at, to_year))
        pending = _Pending(len(metrics) - 1, seg, q_start, fig_end, unit)
        last_name = (sent, name)
        if not first_name or first_name[0] != sent:
            first_name = (sent, name)
    # The change attached later extends a quote but never drops its value; checked once more
    # because SPEC's contract checker rejects a whole report on one ungrounded value.
    wanted = [_keep(d, level) and value_in_quote(d.value, d.quote) for d in metrics]
    # Status and period last, and only for the metrics kept: most figures read are dropped.
    reader = StatusReader(text, start, role, breaks)
    read = reader.resolve([d.at for d in metrics], wanted)
    out = []
    for i, d in enumerate(metrics):
        if wanted[i]:
            status, period = read[i]
            # "增加到2020年的612亿元": the level of 2020
            out.append(_metric(d, status, d.to_year or period))
    return out


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
    canonical_name: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.canonical_name = canonical_name(self.name)


def _list_draft(text: str, item: ListItem) -> _Draft:
    q_start, q_end = item.list_start, item.quote_end
    if q_end - q_start > _MAX_QUOTE:  # keep the clause readable: stop at this item's figure
        q_end = item.fig_end
    change = item.change if q_end >= item.quote_end else None
    quote = text[q_start:q_end]
    return _Draft(
        item.name,
        float(item.num),
        item.unit,
        change,
        quote,
        q_start,
        q_end,
        FigureAt(item.fig_start),
    )


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
    # Two-character names ("企业", "投资", "收入") and bare attributes with no subject ("总投资")
    # say too little to stand alone in a table.
    if ATTRIBUTE_NAME.match(metric.name):
        return False
    return len(metric.name) >= 3 and is_indicator(
        metric.name, metric.unit, has_change=metric.change_pct is not None
    )
