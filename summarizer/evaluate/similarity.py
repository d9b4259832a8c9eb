"""Text and number normalisation for matching extraction against labels: pure functions.

Chinese needs no word splitting here: texts are compared as character bigrams, after folding
full-width forms to half-width (ＧＤＰ５．３％ → gdp5.3%) and dropping punctuation and spaces.
Quantities are compared in base units (4.01亿元 == 40100万元).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from summarizer.lexicon.indicators import canonical_name

__all__ = [
    "Span",
    "bigram_containment",
    "bigram_similarity",
    "compact",
    "fold",
    "iou",
    "locate",
    "name_similarity",
    "paragraph_of",
    "quantity",
    "same_quantity",
    "span_overlap",
]

# Float tolerance when comparing normalised quantities (4.01 * 1e8 vs 40100 * 1e4).
_REL_TOL = 1e-9

# --- text and number normalisation ---------------------------------------------------------------

_DROP_CATEGORIES = ("P", "Z", "C")  # punctuation, separators, controls: no meaning for matching


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    # Keep the text's length so offsets survive: only one-to-one foldings (full-width ＡＢ１２％,
    # ideographic space) are applied; expansions such as ㎡ → m2 are left alone.
    return folded.lower() if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Full-width → half-width and lower case, character by character (length-preserving)."""
    return "".join(_fold_char(ch) for ch in text)


def compact(text: str) -> str:
    """Folded text without punctuation and spaces: the form texts are compared in."""
    return "".join(
        ch for ch in fold(text) if not unicodedata.category(ch).startswith(_DROP_CATEGORIES)
    )


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


@lru_cache(maxsize=4096)
def _text_bigrams(text: str) -> Counter[str]:
    # Cached: scoring compares every label with every prediction of its kind.
    return _bigrams(compact(text))


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient over character bigrams of the compacted texts (0..1)."""
    ga, gb = _text_bigrams(a), _text_bigrams(b)
    total = sum(ga.values()) + sum(gb.values())
    if not total:
        return 0.0
    return 2 * sum((ga & gb).values()) / total


def bigram_containment(a: str, b: str, min_bigrams: int = 6) -> float:
    """Share of the shorter text's bigrams found in the longer one (0..1); 0 when the shorter
    has fewer than `min_bigrams` (a short phrase is contained in too many texts to tell)."""
    ga, gb = _text_bigrams(a), _text_bigrams(b)
    shorter = min(sum(ga.values()), sum(gb.values()))
    if shorter < min_bigrams:
        return 0.0
    return sum((ga & gb).values()) / shorter


def _canonical(name: str) -> str | None:
    # The indicator table is written in half-width forms (GDP, not ＧＤＰ).
    return canonical_name(unicodedata.normalize("NFKC", name).strip()) or canonical_name(name)


def name_similarity(label_name: str, pred_name: str, pred_canonical: str | None = None) -> float:
    """1.0 for the same canonical indicator, else bigram similarity of the names."""
    label_canon = _canonical(label_name)
    pred_canon = pred_canonical or _canonical(pred_name)
    if label_canon and pred_canon and label_canon == pred_canon:
        return 1.0
    return bigram_similarity(label_name, pred_name)


# Multipliers written in front of a unit, longest first. 千 only before currencies: 千米, 千克,
# 千瓦 are units of their own.
_MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("万", 1e4),
)
_THOUSAND_BEFORE = re.compile(r"^千(?=元|美元|欧元|港元|日元)")


def quantity(value: float, unit: str) -> tuple[float, str]:
    """(value in base units, base unit): (4.01, "亿元") → (401000000.0, "元")."""
    base = compact(unit)
    for prefix, factor in _MULTIPLIERS:
        if base.startswith(prefix):
            return value * factor, base[len(prefix) :]
    if _THOUSAND_BEFORE.match(base):
        return value * 1e3, base[1:]
    return value, base


def same_quantity(value_a: float, unit_a: str, value_b: float, unit_b: str) -> bool:
    qa, ua = quantity(value_a, unit_a)
    qb, ub = quantity(value_b, unit_b)
    return ua == ub and math.isclose(qa, qb, rel_tol=_REL_TOL, abs_tol=1e-12)


Span = tuple[int, int]


def locate(quote: str, text: str) -> list[Span]:
    """Every (start, end) of `quote` in `text`: verbatim first, else ignoring spaces, line
    breaks and full-/half-width differences (labels copied from a viewer lose those)."""
    spans: list[Span] = []
    pos = text.find(quote)
    while pos != -1:
        spans.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    if spans:
        return spans
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    folded = "".join(_fold_char(text[i]) for i in index)
    needle = "".join(_fold_char(ch) for ch in quote if not ch.isspace())
    if not needle:
        return []
    pos = folded.find(needle)
    while pos != -1:
        spans.append((index[pos], index[pos + len(needle) - 1] + 1))
        pos = folded.find(needle, pos + 1)
    return spans


def span_overlap(a: Span, b: Span) -> float:
    """Share of the shorter span that lies inside the other (0..1)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def iou(a: Span, b: Span) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def paragraph_of(text: str, span: Span) -> Span:
    """The line (paragraph) of `text` holding the start of `span`."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[0])
    return start, len(text) if end < 0 else end
