"""Laws of the number parser for arbitrary Unicode: no exception, and what it reads is real."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.lexicon.numbers import parse_change, parse_number, parse_quantity, value_in_quote

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=300, deadline=None)

# Arbitrary Unicode, plus strings built from the characters figures are written with.
figure_like = st.text(
    st.sampled_from(
        list("0123456789.,-－%％一二三四五六七八九十百千万亿两余多左右增长下降减少元个家")
    ),
    max_size=20,
)
anything = st.text(max_size=40) | figure_like


@SETTINGS
@given(anything)
def test_parsers_never_raise_and_return_finite_numbers(s: str) -> None:
    for value in (parse_number(s), parse_change(s)):
        assert value is None or math.isfinite(value)
    q = parse_quantity(s)
    assert q is None or (math.isfinite(q.value) and q.unit)


@SETTINGS
@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False))
def test_arabic_numbers_round_trip_and_are_found_in_their_text(d: object) -> None:
    text = f"{d}"
    value = parse_number(text)
    assert value is not None and math.isclose(value, float(text))
    assert value_in_quote(value, f"完成{text}亿元")
