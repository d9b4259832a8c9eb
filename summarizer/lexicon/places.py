"""China's administrative divisions: which names in a text are provinces, cities and counties.

`places.csv` lists the 3,511 divisions with their 6-digit codes (data of the MIT-licensed cpca
package, 2020 edition). The code says the level: 130000 a province, 130600 a prefecture-level
city, 130633 a county-level unit. A report that names itself only as 市人民政府 or 全县 still
names its place many times, in full (柳州市) or short (柳州); counting those mentions finds it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["Place", "PlaceLevel", "count_places", "place_named"]

PlaceLevel = Literal["province", "city", "county"]
_DATA = Path(__file__).with_name("places.csv")
# Suffixes dropped to get the short name a report uses (柳州市 → 柳州); longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "林区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)
# "市辖区", "省直辖县级行政区划" and the like are rows of the table, not names.
_NOT_NAMES = ("市辖", "直辖", "行政区划")


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # as officially written: 柳州市, 易县, 广西壮族自治区

    @property
    def level(self) -> PlaceLevel:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"


def _short(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@cache
def _forms() -> dict[str, dict[str, list[Place]]]:
    """First two characters → written form (full or short) → the places it can name."""
    index: dict[str, dict[str, list[Place]]] = {}
    with _DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            place = Place(row["adcode"], row["name"])
            if any(word in place.name for word in _NOT_NAMES):
                continue
            for form in {place.name, _short(place.name) or place.name}:
                index.setdefault(form[:2], {}).setdefault(form, []).append(place)
    return index


@cache
def _starts() -> re.Pattern[str]:
    """Any character a written form starts with: the scan jumps from one to the next in C
    instead of looking up every two characters of the text (most hold no place name)."""
    return re.compile("[" + "".join(sorted({re.escape(key[0]) for key in _forms()})) + "]")


def count_places(text: str) -> Counter[Place]:
    """How often each place is named in `text`, full or short, at the longest match."""
    forms = _forms()
    counts: Counter[Place] = Counter()
    i = 0  # where the text is not yet read: a name found is skipped whole
    for start in _starts().finditer(text):
        at = start.start()
        if at < i:
            continue
        candidates = forms.get(text[at : at + 2])
        if not candidates:
            continue
        best = max((f for f in candidates if text.startswith(f, at)), key=len, default=None)
        if best is not None:
            counts.update(candidates[best])
            i = at + len(best)
    return counts


@cache
def _by_name() -> dict[str, Place]:
    """Full name → place; a name two places share keeps the higher level (code order)."""
    out: dict[str, Place] = {}
    for forms in _forms().values():
        for form, places in forms.items():
            for place in places:
                if form == place.name:
                    out.setdefault(form, place)
    return out


def place_named(name: str) -> Place | None:
    """The division whose official name is `name` (柳州市, 易县), if the table has one."""
    return _by_name().get(name)
