"""Laws of the reader, for arbitrary input: only our own errors, and text survives encodings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.errors import InputError
from summarizer.read.source import decode_report

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a report could hold: CJK, ASCII, full-width forms and punctuation, newlines of all kinds.
report_chars = st.sampled_from(
    list("街道工作总结一二三四五、（）。；，：%０１２３４５ＡＢ\u3000 \t\n\r")
) | st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
report_text = st.text(report_chars, min_size=1, max_size=400).filter(lambda t: t.strip())


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_raise_input_error(raw: bytes) -> None:
    try:
        text, _ = decode_report(raw, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ")
        assert "\n" not in str(exc)
    else:
        assert "\r" not in text


@SETTINGS
@given(report_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_text_round_trips_through_every_supported_encoding(text: str, enc: str) -> None:
    try:
        raw = text.encode(enc)
    except UnicodeEncodeError:
        return
    decoded, _ = decode_report(raw, "x.txt")
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


@SETTINGS
@given(report_text)
def test_crlf_and_lf_files_give_the_same_text(text: str) -> None:
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    a, _ = decode_report(lf.encode("utf-8"), "a.txt")
    b, _ = decode_report(lf.replace("\n", "\r\n").encode("utf-8"), "b.txt")
    assert a == b == lf
