"""The fast printed-width helpers give exactly what the plain per-character rules give."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.render.format import HEADLINES, clip, headline_rank, text_width

# --- reference implementations: the straightforward rules, one character at a time ----------


def ref_text_width(s: str) -> float:
    w = 0.0
    for ch in s:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 1.0
        elif ch == " ":
            w += 0.3
        else:
            w += 0.58
    return w


def ref_clip(s: str, max_em: float) -> str:
    s = " ".join(s.split())
    if ref_text_width(s) <= max_em:
        return s
    out, w = [], 1.0
    for ch in s:
        cw = ref_text_width(ch)
        if w + cw > max_em:
            break
        out.append(ch)
        w += cw
    return "".join(out).rstrip("，、；：,;: ") + "…"


def ref_headline_rank(name: str) -> int:
    if any(k in name for k in ("占", "比重", "贡献率", "比例", "覆盖率", "达标率")):
        return len(HEADLINES)
    for rank, keys in enumerate(HEADLINES):
        if rank == 0 and "人均" in name:
            continue
        if any(k in name for k in keys):
            return rank
    return len(HEADLINES)


# Report-like text: CJK, full-width and Latin punctuation, digits, spaces and other whitespace,
# plus arbitrary code points (combining marks, emoji, controls) so no width class is missed.
_REPORT_CHARS = st.sampled_from(
    list("地区生产总值增长亿元，、；：。（）%％ＡＢ１２ abcXYZ0123.,;:-\t\n\u3000…")
)
TEXT = st.one_of(
    st.text(_REPORT_CHARS, max_size=120),
    st.text(max_size=120),
    st.lists(st.one_of(_REPORT_CHARS, st.characters()), max_size=120).map("".join),
)
EM = st.one_of(
    st.floats(min_value=-2, max_value=80, allow_nan=False),
    st.integers(min_value=0, max_value=80).map(float),
    # widths that land exactly on a character boundary (the `>` vs `>=` edge)
    st.integers(min_value=0, max_value=60).map(lambda n: 1.0 + 0.58 * n),
)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_text_width_equals_the_per_character_rule_to_the_float(s: str) -> None:
    assert text_width(s) == ref_text_width(s)


@settings(max_examples=200, deadline=None)
@given(TEXT, EM)
def test_clip_equals_the_per_character_loop(s: str, max_em: float) -> None:
    assert clip(s, max_em) == ref_clip(s, max_em)


@settings(max_examples=100, deadline=None)
@given(st.text(_REPORT_CHARS, min_size=1, max_size=200), st.integers(min_value=0, max_value=200))
def test_clip_at_every_prefix_width_of_the_text(s: str, cut: int) -> None:
    # max_em equal to the exact running width of a prefix: the tightest possible boundary
    prefix = " ".join(s.split())[:cut]
    max_em = 1.0 + ref_text_width(prefix)
    assert clip(s, max_em) == ref_clip(s, max_em)


def test_clip_keeps_short_text_and_cuts_long_text_within_the_width() -> None:
    assert clip("  地区 生产\n总值 ", 20) == "地区 生产 总值"
    long = "规模以上工业增加值增长6.8%，" * 6
    cut = clip(long, 15)
    assert cut.endswith("…") and cut != long and text_width(cut) <= 15
    assert clip(long, 15) == ref_clip(long, 15)


_NAME_PARTS = st.sampled_from(
    [key for keys in HEADLINES for key in keys]
    + ["人均", "占", "比重", "贡献率", "全市", "全年", "锅炉", "粮食产量", "增速"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_NAME_PARTS, max_size=4).map("".join))
def test_headline_rank_equals_the_rank_by_rank_rule(name: str) -> None:
    assert headline_rank(name) == ref_headline_rank(name)
