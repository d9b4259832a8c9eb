"""Canonical names for the common indicators, so reports compare across a folder.

Reports name one indicator many ways (公共财政预算收入 / 一般公共预算收入 / 地方一般公共预算收入;
规模工业总产值 / 规上工业总产值; 全市生产总值 / 地区生产总值 / GDP). The vocabulary — canonical names,
the ways reports write them, the scope words that may stand before them, the units a level and a
change of each are written in — is data: `indicators.toml` beside this file, whose header
describes its format (and README.md its table). This module loads it and matches names:

- `canonical_name(name)`: the indicator a written name is, or None. The name is one of the
  table's written forms, whole, after any run of lead words (全市, 完成 …), place names (新闸街道)
  or the indicator's own scopes (规模以上 工业增加值); the longest known ending wins.
- `figure_indicator(name, unit)`: the canonical name of a figure — its name may also carry a
  change word (农村贫困人口减少, 减少农村贫困人口), and its unit must be one the indicator
  takes, so a count of firms (规模以上工业企业7.6万家) never takes an output's name.
- `is_indicator(name, unit)`: whether an unnamed figure still reads as an indicator.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the package supports 3.10 with the tomli backport
    import tomli as tomllib

__all__ = [
    "TABLE_PATH",
    "Better",
    "Indicator",
    "PatternError",
    "Table",
    "canonical_name",
    "figure_indicator",
    "indicator",
    "indicators",
    "is_indicator",
    "is_outcome_name",
    "markdown_table",
    "may_grow_into_name",
    "parts_of",
    "read_table",
]

TABLE_PATH = Path(__file__).with_name("indicators.toml")

Better = Literal["higher", "lower"]


# --- the pattern syntax: [optional], {one|of}, … (one to eight characters; scopes only) ---------


class PatternError(ValueError):
    """A written form or scope the table's syntax cannot read."""


_Node = list["str | tuple[bool, list[_Node]]"]  # a sequence: characters and groups


def _parse(pattern: str) -> _Node:
    """The pattern as a sequence of characters and groups (optional?, alternatives)."""
    seq, pos = _parse_seq(pattern, 0, "")
    if pos != len(pattern):
        raise PatternError(f"unbalanced {pattern[pos]!r} in {pattern!r}")
    return seq


def _parse_seq(pattern: str, pos: int, closers: str) -> tuple[_Node, int]:
    seq: _Node = []
    while pos < len(pattern) and pattern[pos] not in closers:
        ch = pattern[pos]
        if ch in "[{":
            close = "]" if ch == "[" else "}"
            alternatives: list[_Node] = []
            while True:
                alt, pos = _parse_seq(pattern, pos + 1, "|" + close)
                alternatives.append(alt)
                if pos >= len(pattern):
                    raise PatternError(f"{ch!r} never closed in {pattern!r}")
                if pattern[pos] == close:
                    break
            seq.append((ch == "[", alternatives))
        elif ch in "]}|":
            raise PatternError(f"unbalanced {ch!r} in {pattern!r}")
        else:
            seq.append(ch)
        pos += 1
    return seq, pos


def _expand(seq: _Node) -> set[str]:
    """Every string the sequence writes (the table's forms are few: no blow-up)."""
    out = {""}
    for part in seq:
        if isinstance(part, str):
            if part == "…":
                raise PatternError("… (any characters) may stand in scopes only")
            options = {part}
        else:
            optional, alternatives = part
            options = set().union(*(_expand(a) for a in alternatives))
            if optional:
                options.add("")
        out = {head + tail for head in out for tail in options}
    return out


def _regex(seq: _Node) -> str:
    out = []
    for part in seq:
        if isinstance(part, str):
            out.append(".{1,8}" if part == "…" else re.escape(part))
        else:
            optional, alternatives = part
            out.append("(?:" + "|".join(_regex(a) for a in alternatives) + ")" + "?" * optional)
    return "".join(out)


# --- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One row of the table."""

    name: str
    names: tuple[str, ...]  # as the file writes them (patterns)
    scopes: tuple[str, ...]
    level: tuple[str, ...]  # units, magnitude left off (元 for 亿元)
    change: tuple[str, ...]
    heads: re.Pattern[str]  # what may stand before a written form: lead words, places, scopes
    better: Better = "higher"  # which way is good (prices, unemployment, emissions: lower)
    outcome: bool = True  # false: a plan's figure that is no outcome (赤字, 专项债券, 毕业生)
    task: bool = False  # a task count (km of rural road): a next report states it only at will
    cut: bool = False  # a sum cut (减税降费): its change in money is the sum itself
    part_of: str | None = None  # the indicator this is a part of (减税 of 减税降费)

    def takes(self, unit: str, measure: str | None = None) -> bool:
        """Whether a figure in `unit` (亿元, 万家, %) can be a level or change of this (or, with
        `measure`, that measure of it)."""
        if measure is None:
            units = (*self.level, *self.change)
        else:
            units = self.level if measure == "level" else self.change
        unit = unicodedata.normalize("NFKC", unit).strip()
        if unit and set(unit) <= _MAGNITUDE_CHARS:  # 减少1240万: the indicator's own unit
            return any(u not in _RATIO_UNITS for u in units)
        return any(
            unit.endswith(u) and set(unit[: len(unit) - len(u)]) <= _MAGNITUDE_CHARS for u in units
        )


_MAGNITUDE_CHARS = frozenset("十百千万亿")
_RATIO_UNITS = frozenset({"%", "个百分点"})
_FIELDS = frozenset(
    {"name", "names", "scopes", "level", "change", "better", "outcome", "task", "cut", "part_of"}
)


@dataclass(frozen=True)
class Table:
    """The loaded table: its indicators, every written form, the endings `is_indicator` reads."""

    indicators: tuple[Indicator, ...]
    forms: dict[str, Indicator]  # every written form → its indicator
    endings: re.Pattern[str]  # names that read as indicators (is_indicator)
    money_endings: tuple[str, ...]
    outcome_endings: tuple[str, ...]  # names the table lacks that are outcomes (is_outcome_name)
    rule_words: tuple[str, ...]  # … except the names of a rule the state applies


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: {key} must be a list of words")
    return tuple(value)


def _lead_regex(lead: dict[str, Any]) -> str:
    """Lead words and place names (two or three characters and a place ending, not 城镇)."""
    words = sorted(_strings(lead, "words", "[lead]"), key=len, reverse=True)
    endings = []
    for ending in _strings(lead, "place_endings", "[lead]"):
        # 城镇 ends in 镇 but is no town: the place may not end in a not_places word.
        guards = "".join(
            f"(?<!{re.escape(w[: -len(ending)])})"
            for w in _strings(lead, "not_places", "[lead]")
            if w.endswith(ending) and len(w) > len(ending)
        )
        endings.append(guards + re.escape(ending))
    place = r"[\u4e00-\u9fff]{2,3}(?:" + "|".join(endings) + ")"
    return "|".join([place, *(re.escape(w) for w in words)])


def _indicator(entry: dict[str, Any], lead: str) -> Indicator:
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"an [[indicator]] without a name: {entry}")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"{name}: unknown field(s) {sorted(unknown)}")
    names = _strings(entry, "names", name)
    if not names:
        raise ValueError(f"{name}: no names")
    scopes = _strings(entry, "scopes", name)
    own = [_regex(_parse(s)) for s in scopes]
    heads = re.compile("(?:" + "|".join([lead, *own]) + ")+")
    level, change = _strings(entry, "level", name), _strings(entry, "change", name)
    if not level and not change:
        raise ValueError(f"{name}: takes no unit")
    better = entry.get("better", "higher")
    if better not in ("higher", "lower"):
        raise ValueError(f'{name}: better must be "higher" or "lower", got {better!r}')
    outcome = entry.get("outcome", True)
    if not isinstance(outcome, bool):
        raise ValueError(f"{name}: outcome must be true or false, got {outcome!r}")
    flags = {key: entry.get(key, False) for key in ("task", "cut")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise ValueError(f"{name}: {key} must be true or false, got {value!r}")
    part_of = entry.get("part_of")
    if part_of is not None and (not isinstance(part_of, str) or not part_of):
        raise ValueError(f"{name}: part_of must be an indicator's name, got {part_of!r}")
    return Indicator(
        name, names, scopes, level, change, heads, better, outcome, part_of=part_of, **flags
    )


def read_table(text: str) -> Table:
    """The table in `text` (the TOML of indicators.toml); ValueError when it is not a valid one."""
    data = tomllib.loads(text)
    lead = _lead_regex(data.get("lead", {}))
    table = tuple(_indicator(e, lead) for e in data.get("indicator", []))
    forms: dict[str, Indicator] = {}
    for ind in table:
        for pattern in ind.names:
            for form in _expand(_parse(pattern)):
                other = forms.setdefault(form, ind)
                if other is not ind:
                    raise ValueError(f"{form!r} is both {other.name} and {ind.name}")
    if "" in forms:
        raise ValueError(f"{forms[''].name}: a written form may not be empty")
    seen = [ind.name for ind in table]
    twice = sorted({n for n in seen if seen.count(n) > 1})
    if twice:
        raise ValueError(f"indicators named twice: {twice}")
    unknown = sorted(f"{i.name}: {i.part_of}" for i in table if i.part_of and i.part_of not in seen)
    if unknown:
        raise ValueError(f"part_of names no indicator of the table: {unknown}")
    endings = data.get("endings", {})
    tails = sorted(_strings(endings, "indicator", "[endings]"), key=len, reverse=True)
    return Table(
        indicators=table,
        forms=forms,
        endings=re.compile("(?:" + "|".join(re.escape(t) for t in tails) + ")$"),
        money_endings=_strings(endings, "money", "[endings]"),
        outcome_endings=_strings(endings, "outcome", "[endings]"),
        rule_words=_strings(endings, "rule", "[endings]"),
    )


@cache
def _table() -> Table:
    return read_table(TABLE_PATH.read_text("utf-8"))


@cache  # asked for every target the next report gives no figure of
def parts_of(name: str) -> tuple[str, ...]:
    """The indicators the table says are parts of `name` (减税降费 and 留抵退税 of 退税减税)."""
    return tuple(i.name for i in _table().indicators if i.part_of == name)


def indicators() -> tuple[Indicator, ...]:
    """The table's indicators, in the file's order."""
    return _table().indicators


@cache
def indicator(name: str) -> Indicator | None:
    """The table's indicator of canonical name `name`, or None."""
    return next((ind for ind in _table().indicators if ind.name == name), None)


# --- matching ------------------------------------------------------------------------------------

# Quote marks, brackets and blanks are no part of a name (“双30”项目, 细颗粒物（PM2.5）浓度).
_NOISE = re.compile(r"[“”\"‘’'()\s]")
# A change word before a name (减少农村贫困人口) …
_CHANGE_LEAD = re.compile(rf"^(?:{CHANGE_UP}|{CHANGE_DOWN}|净增|净减)")
# … and after it, with how it is compared (地区生产总值同比增长, 一般公共预算收入年均增长).
_CHANGE_TAIL = re.compile(rf"(?:年均|同比|比上年|较上年)?(?:{CHANGE_UP}|{CHANGE_DOWN}|净增|净减)$")


def _clean(name: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", name))


def _match(core: str, *, change_lead: bool = False) -> Indicator | None:
    """The indicator whose written form is the longest ending of `core` with only lead words,
    places or the indicator's scopes (or, with `change_lead`, a change word) before it."""
    forms = _table().forms
    for k in range(len(core)):
        ind = forms.get(core[k:])
        if ind is None:
            continue
        head = core[:k]
        if not head or ind.heads.fullmatch(head):
            return ind
        if change_lead:
            rest = _CHANGE_LEAD.sub("", head, count=1)
            if rest != head and (not rest or ind.heads.fullmatch(rest)):
                return ind
    return None


@lru_cache(maxsize=8192)
def canonical_name(name: str) -> str | None:
    """The common name of a known indicator, or None when `name` is not one of them."""
    ind = _match(_clean(name))
    return ind.name if ind else None


@cache
def _form_endings() -> frozenset[str]:
    """Every proper ending of a written form (公共预算收入, 预算收入, 收入 of 一般公共预算收入)."""
    return frozenset(form[i:] for form in _table().forms for i in range(1, len(form)))


# Characters before which NFKC never changes the text in front (they compose with nothing
# before them): Han ideographs and ASCII. A name starting with one is cleaned apart from its
# prefix, _clean(prefix + name) == _clean(prefix) + _clean(name).
_CLEAN_APART = re.compile(r"[\u4e00-\u9fff\x21-\x7e]")


@lru_cache(maxsize=8192)
def may_grow_into_name(name: str) -> bool:
    """Whether words written before `name` could make a known indicator's name of it (新开工 →
    保障性安居工程新开工). False only when none can: no ending of `name` is a written form and
    `name` ends none, so `canonical_name(words + name)` is None whatever the words (a name
    needs an ending in the table). Lets a search over many prefixes skip them all."""
    core = _clean(name)
    if not core or not _CLEAN_APART.match(name):
        return True
    forms = _table().forms
    if any(core[k:] in forms for k in range(len(core))):
        return True
    return core in _form_endings()


@lru_cache(maxsize=8192)
def figure_indicator(name: str, unit: str) -> str | None:
    """The canonical name of a figure named `name` in `unit`, or None.

    A change word before or after the name leaves the indicator as it is (农村贫困人口减少1240万
    is a change of 农村贫困人口; its `measure` says so). A unit the indicator takes neither as a
    level nor as a change makes the figure some other quantity: no name."""
    core = _clean(name)
    ind = _match(core, change_lead=True)
    if ind is None:
        bare = _CHANGE_TAIL.sub("", core)
        if bare != core and bare:
            ind = _match(bare, change_lead=True)
    return ind.name if ind is not None and ind.takes(unit) else None


@lru_cache(maxsize=4096)
def is_indicator(name: str, unit: str, *, has_change: bool = False) -> bool:
    """Whether a named figure reads as an indicator worth a metrics row (not "锅炉 4台").

    Known indicators always do; otherwise a stated year-on-year change, a rate, or a name ending
    in an indicator noun (收入, 产值, 投资, 企业, 项目, …) does."""
    if canonical_name(name) is not None or has_change:
        return True
    table = _table()
    if unit.endswith("元") and name.endswith(table.money_endings):
        return True  # an amount of money named as one: 引资额, 合同额, 补助标准, 低保标准 …
    return bool(table.endings.search(name)) or (
        unit == "%" and name.endswith(("率", "比重", "比例"))
    )


def is_outcome_name(name: str) -> bool:
    """Whether a name the table lacks is, by its last word, an outcome a report sets as a target
    (水产品总产量, 电子信息产业规模, 护理补贴标准), not a count of things delivered."""
    table = _table()
    if not name.endswith(table.outcome_endings) or any(w in name for w in table.rule_words):
        return False
    # the share of a programme's own grade reached (净美达标村达标率: the 达标村 it certifies) is
    # that programme's count, a task, not a standard met by the water or the dykes
    return not (name.endswith("达标率") and "达标" in name[: -len("达标率")])


# --- the README's table --------------------------------------------------------------------------


def markdown_table() -> str:
    """The table as README.md shows it: one line per indicator."""

    def cell(items: tuple[str, ...]) -> str:
        return ", ".join(items).replace("|", "\\|") or "—"

    lines = [
        "| indicator | written | scopes | level | change |",
        "|---|---|---|---|---|",
    ]
    for ind in indicators():
        lines.append(
            f"| {ind.name} | {cell(ind.names)} | {cell(ind.scopes)} "
            f"| {cell(ind.level)} | {cell(ind.change)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
