"""Laws of the reader, for arbitrary input: only our own errors, and what text survives which
encoding.

Not every text survives every encoding: short GB18030 bytes can also be valid UTF-8 ("台" is
CC A8, a combining ogonek in UTF-8), and a text that begins like an HTML page is refused. The
laws below say what does hold; tests/test_source.py pins the cases by name.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarizer.errors import InputError
from summarizer.read.source import decode_report

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a report could hold: CJK, ASCII, full-width forms and punctuation, newlines of all kinds,
# and characters whose GB18030 bytes read as UTF-8 too (台品药职业学校平), so that texts made
# only of them, valid either way, come up often.
report_chars = st.sampled_from(
    list("街道工作总结一二三四五、（）。；，：%０１２３４５ＡＢ\u3000 \t\n\r台品药职业学校平")
) | st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
# A text does not begin with U+FEFF: written in UTF-8 that is the BOM, not text (pinned in
# tests/test_source.py).
report_text = st.text(report_chars, min_size=1, max_size=400).filter(
    lambda t: t.strip() and not t.startswith("\ufeff")
)


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_han(text: str) -> bool:
    """Holds a Chinese character (CJK Unified Ideographs), as every report does."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def utf8_or_none(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_or_html(raw: bytes, text: str) -> str | None:
    """The decoded text; None when the reader refused it as an HTML page, which it may do only
    for a text that starts with a tag."""
    try:
        decoded, _ = decode_report(raw, "x.txt")
    except InputError as exc:
        assert "HTML page" in str(exc) and text.lstrip().startswith("<"), str(exc)
        return None
    return decoded


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
@given(report_text, st.sampled_from(["utf-8-sig", "utf-16"]))
@example("<!DOCTYPE HTML", "utf-8-sig")
def test_any_text_survives_an_encoding_with_a_bom(text: str, enc: str) -> None:
    decoded = decode_or_html(text.encode(enc), text)
    assert decoded is None or decoded == lf(text)


@SETTINGS
@given(report_text)
@example("<!DOCTYPE HTML")
@example("café")  # no Chinese in UTF-8, Chinese in GB18030: read as "caf茅"
def test_utf8_text_survives_unless_only_its_gb18030_reading_is_chinese(text: str) -> None:
    raw = text.encode("utf-8")
    decoded = decode_or_html(raw, text)
    if decoded is None:
        return
    if has_han(text):
        assert decoded == lf(text)
    else:
        # the other reading is taken only when it is Chinese: never mojibake without Chinese
        assert decoded == lf(text) or (decoded == lf(raw.decode("gb18030")) and has_han(decoded))


@SETTINGS
@given(report_text)
@example("台")  # CC A8: U+0328 in UTF-8
@example("食品药品")
@example("洹板啊")  # its UTF-8 reading "䡰尡" is Chinese too: UTF-8 first, as the SPEC orders
def test_gb18030_text_survives_unless_its_bytes_read_as_chinese_utf8(text: str) -> None:
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        return
    decoded = decode_or_html(raw, text)
    if decoded is None:
        return
    as_utf8 = utf8_or_none(raw)
    if as_utf8 is None:
        assert decoded == lf(text)  # one reading only
    elif has_han(as_utf8) or not has_han(text):
        assert decoded == lf(as_utf8)  # the GB18030 reading is no more Chinese: UTF-8 first
    else:
        # only the GB18030 reading is Chinese: it is taken, unless the UTF-8 one is East Asian
        # text of another kind (kana, Hangul, full-width forms: all from U+2E80 up)
        assert decoded == lf(text) or (
            decoded == lf(as_utf8) and any(ord(ch) >= 0x2E80 for ch in as_utf8)
        )


@SETTINGS
@given(report_text)
def test_crlf_and_lf_files_give_the_same_text(text: str) -> None:
    text = lf(text)
    a = decode_or_html(text.encode("utf-8"), text)
    b = decode_or_html(text.replace("\n", "\r\n").encode("utf-8"), text)
    assert a == b
