"""Reading reports: every supported encoding gives the same text; bad files get one clear line."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import InputError
from summarizer.read.source import count_controls, decode_report, read_report

TEXT = "新闸街道2020年工作总结\n一、经济发展\n\u3000\u3000公共财政预算收入4.01亿元，同比下降14.4%。\t \n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),  # with the platform's BOM
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_each_supported_encoding_gives_the_same_text(raw: bytes, encoding: str) -> None:
    text, used = decode_report(raw, "r.txt")
    assert text == TEXT
    assert used == encoding
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("enc", ["utf-8", "gb18030", "utf-16"])
def test_line_endings_become_newlines_and_nothing_else_changes(newline: str, enc: str) -> None:
    raw = TEXT.replace("\n", newline).encode(enc)
    text, _ = decode_report(raw, "r.txt")
    assert text == TEXT
    # indentation, tabs and trailing spaces survive: offsets index this exact text
    assert "\u3000\u3000公共" in text and "\t \n" in text


def test_mixed_line_endings_and_unicode_line_separators() -> None:
    text, _ = decode_report("甲\r\n乙\r丙\n丁\u2028戊".encode(), "r.txt")
    assert text == "甲\n乙\n丙\n丁\u2028戊"  # only CR/CRLF are line endings by SPEC


def _bad(raw: bytes) -> str:
    with pytest.raises(InputError) as info:
        decode_report(raw, "bad.txt")
    message = str(info.value)
    assert message.startswith("bad.txt: ") and "\n" not in message
    assert info.value.path == "bad.txt"
    return info.value.reason


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\r\n", "whitespace"),
        ("\u3000\u3000\n \n".encode(), "whitespace"),
        (b"\xef\xbb\xbf \r\n", "whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office"),
        ("正文\x00\x00\x00二进制".encode(), "NUL"),
        (b"\x80\xff\x80\xff\x80" * 50, "cannot decode"),
        (bytes(range(1, 9)) * 40 + "正文".encode(), "control characters"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
    ],
)
def test_bad_bytes_raise_input_error_naming_the_reason(raw: bytes, reason: str) -> None:
    assert reason in _bad(raw)


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_refused(seed: int) -> None:
    raw = random.Random(seed).randbytes(4096)
    assert _bad(raw)


def test_utf16_without_bom_is_refused_not_misread() -> None:
    assert _bad("街道工作总结 2020 report".encode("utf-16-le"))


# --- short GB18030 files that are valid UTF-8 as well ------------------------------------------

# Phrases of the province samples (one a whole short file, with a CRLF) whose GB18030 bytes are
# also valid UTF-8: that reading gives Cyrillic, Hebrew, Armenian, IPA letters or combining marks.
SHORT_BOTH_WAYS = ["台", "食品药品", "职业学校", "平台效应", "医药协同", "职业学校 平台效应\r\n"]


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("text", SHORT_BOTH_WAYS)
def test_short_gb18030_file_that_is_also_utf8_is_read_as_gb18030(tmp_path: Path, text: str) -> None:
    raw = text.encode("gb18030")
    assert not _has_han(raw.decode("utf-8"))  # the case at hand: a UTF-8 reading exists
    path = tmp_path / "short.txt"
    path.write_bytes(raw)
    report = read_report(path)
    assert (report.text, report.encoding) == (text.replace("\r\n", "\n"), "gb18030")


@pytest.mark.parametrize("text", SHORT_BOTH_WAYS)
def test_the_same_short_text_saved_as_utf8_stays_utf8(text: str) -> None:
    assert decode_report(text.encode("utf-8")) == (text.replace("\r\n", "\n"), "utf-8")


def test_gb18030_bytes_whose_utf8_reading_is_chinese_too_are_read_as_utf8() -> None:
    # Constructed from rare characters (no common one starts such a run): both readings are
    # Chinese, nothing tells them apart, and the SPEC's order (UTF-8 first) decides.
    raw = "洹板啊".encode("gb18030")
    assert decode_report(raw) == ("䡰尡", "utf-8")


@pytest.mark.parametrize("text", ["２０２３，", "한국어 보고서", "カタカナ", "2023 report"])
def test_utf8_east_asian_or_ascii_text_without_chinese_characters_stays_utf8(text: str) -> None:
    assert decode_report(text.encode("utf-8")) == (text, "utf-8")


def test_utf8_latin_text_with_no_east_asian_character_reads_as_gb18030_when_that_is_chinese() -> (
    None
):
    # The rule's price (README, limits): such a file is no report of this genre either way.
    assert decode_report("café".encode()) == ("caf茅", "gb18030")


def test_a_leading_feff_in_utf8_is_the_bom_not_text() -> None:
    assert decode_report("\ufeff街道".encode()) == ("街道", "utf-8-sig")
    with pytest.raises(InputError, match="only whitespace"):
        decode_report("\ufeff".encode())


def test_read_report_id_source_sha_and_text(tmp_path: Path) -> None:
    path = tmp_path / "007_镇 报告.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("gb18030"))
    report = read_report(path)
    assert report.id == "007_镇 报告"
    assert report.source == str(path)
    assert report.text == TEXT and report.encoding == "gb18030"
    assert report.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def test_read_report_file_problems_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.txt: cannot read"):
        read_report(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_report(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes("字".encode() * 1000)
    with pytest.raises(InputError, match=r"big.txt: too large"):
        read_report(big, max_bytes=100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty.txt: empty file"):
        read_report(empty)


# --- the control-character count -------------------------------------------------------------


def _ref_controls(text: str) -> int:
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")


_C0_HEAVY = st.text(
    st.one_of(st.characters(max_codepoint=0x20), st.sampled_from("正文二〇\x7f\x85\u2028 a")),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_C0_HEAVY, st.text(max_size=300)))
def test_control_count_equals_the_per_character_rule(text: str) -> None:
    assert count_controls(text) == _ref_controls(text)


@pytest.mark.parametrize("extra", [0, 1])
def test_control_threshold_is_exact(extra: int) -> None:
    body = "街道工作总结正文。" * 200  # 1800 characters: the limit is max(8, 18) = 18
    n = 18 + extra
    text = "\x01\x1f" * (n // 2) + "\x0e" * (n % 2) + "\t\v\f\r\n" * 5 + body
    limit = max(8, len(text) // 100)
    assert count_controls(text) == n and limit == 18
    raw = text.encode()
    if extra:
        assert "control characters" in _bad(raw)
    else:
        assert decode_report(raw)[0].endswith(body)
