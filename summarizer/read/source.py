"""Reading a report file: bytes → text exactly as SPEC defines it, plus id and sha256.

SPEC: the text is the file decoded (UTF-8 with or without BOM, else GB18030), line endings read
as "\\n", nothing else changed. We also accept UTF-16 with a BOM. Every offset in the output
indexes this text, so nothing here may strip, trim or normalise anything else.

One refinement of "UTF-8, else GB18030": a short GB18030 file can also be valid UTF-8 ("台" is
CC A8, which UTF-8 reads as a combining ogonek; "食品药品" reads as "ʳƷҩƷ"). Reports are Chinese
prose, so when the UTF-8 reading holds no East Asian text at all and the GB18030 reading of the
same bytes holds Chinese characters, the GB18030 reading is the right one. A real UTF-8 report
always holds Chinese characters and is never affected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Report",
    "count_controls",
    "decode_report",
    "read_capped",
    "read_report",
    "with_id",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Leading bytes of common binary formats people drop into a folder of reports by mistake.
_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old MS Office document",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
}


_HASH_SLICE = 1 << 18  # characters encoded at a time for the digest


@dataclass(frozen=True)
class Report:
    """A decoded report. `text` is what every offset refers to."""

    id: str
    source: str
    text: str
    encoding: str

    @property
    def sha256(self) -> str:
        """Of the text as UTF-8, encoded a slice at a time: not a second copy of the report."""
        digest = hashlib.sha256()
        for i in range(0, len(self.text), _HASH_SLICE):
            digest.update(self.text[i : i + _HASH_SLICE].encode("utf-8"))
        return digest.hexdigest()


# C0 control characters other than the whitespace ones (\t \n \v \f \r): plain text has next
# to none, binary data decoded as text has many.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def count_controls(text: str) -> int:
    """How many C0 control characters other than \\t \\n \\v \\f \\r `text` holds."""
    return sum(1 for _ in _CONTROLS.finditer(text))


# Chinese characters (CJK Unified Ideographs): every Chinese text, however short, is mostly
# written with them.
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Any East Asian script or punctuation (radicals, CJK punctuation, kana, Ext A, Han, Hangul,
# compatibility and full-width forms, the supplementary ideograph planes): a UTF-8 reading with
# any of these is East Asian text and stands, as the SPEC's order has it.
_CJK = re.compile(
    "[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


def _gb18030_reading(raw: bytes, utf8_text: str) -> str | None:
    """The GB18030 reading of bytes that are also valid UTF-8, when it is the right one: it holds
    Chinese characters and the UTF-8 reading holds no East Asian text at all (it is then
    combining marks, Latin-1 letters, Cyrillic … — not the prose of a report). Else None."""
    if utf8_text.isascii() or _CJK.search(utf8_text):
        return None  # ASCII reads the same either way; East Asian UTF-8 text stands
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _HAN.search(text) else None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_words(text: str, n: int = 15) -> str:
    """The first `n` characters after the leading whitespace (the text is not all whitespace)."""
    start = next(i for i, ch in enumerate(text) if not ch.isspace())
    return text[start : start + n]


def decode_report(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name). Raises InputError with the reason."""
    if not raw:
        raise InputError(path, "empty file")
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        for magic, what in _MAGIC.items():
            if raw.startswith(magic):
                raise InputError(path, f"not a text report: looks like {what}")
        encodings = ["utf-8", "gb18030"]
    for enc in encodings:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" and (gb_text := _gb18030_reading(raw, text)) is not None:
            text, enc = gb_text, "gb18030"
        if "\x00" in text:
            raise InputError(path, "not a text report: contains NUL bytes (binary data?)")
        if count_controls(text) > max(8, len(text) // 100):
            raise InputError(path, "not a text report: too many control characters (binary data?)")
        text = _normalise_newlines(text)
        # Both checks look at the text's start only: a strip() would copy a 50 MB report whole.
        if not text or text.isspace():
            raise InputError(path, "no text: the file holds only whitespace")
        if _first_words(text).lower().startswith(("<!doctype html", "<html")):
            # Offsets must index the file as it is; tags would end up inside quotes.
            raise InputError(path, "an HTML page, not report text: save the page's text as .txt")
        return text, enc
    raise InputError(path, "cannot decode: neither UTF-8, UTF-16 with BOM nor GB18030")


# What a path is when it is not a regular file; only regular files are reports. A FIFO would
# block the read until a writer came, a device (/dev/zero) never ends.
_NOT_FILES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
# O_NONBLOCK: opening a FIFO swapped in after the stat returns at once instead of waiting for
# a writer (the fstat then refuses it); no effect on a regular file. O_NOCTTY: a terminal
# device never becomes ours.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _refuse_non_file(path: Path, mode: int) -> None:
    for test, kind in _NOT_FILES:
        if test(mode):
            if kind == "a directory":
                raise InputError(path, "is a directory, not a report file")
            raise InputError(path, f"refused: {kind}, not a regular file")
    if not stat.S_ISREG(mode):
        raise InputError(path, "refused: not a regular file")


def _too_large(path: Path, size: int | None, max_bytes: int) -> InputError:
    """`size` None: more than the limit was read, whatever the file's size said."""
    limit = f"the limit of {max_bytes / 1e6:.1f} MB"
    over = f"over {limit}" if size is None else f"{size / 1e6:.1f} MB exceeds {limit}"
    return InputError(path, f"too large: {over} (raise it with --max-mb)")


def read_capped(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file `path`, at most `max_bytes` of them whatever its size
    says (a file that grows while read, a size the file system gets wrong); InputError for
    anything else, before it is opened when a stat can tell."""
    p = Path(path)
    try:
        info = p.stat()
        _refuse_non_file(p, info.st_mode)
        if info.st_size > max_bytes:
            raise _too_large(p, info.st_size, max_bytes)
        with os.fdopen(os.open(p, _OPEN_FLAGS), "rb") as fh:
            _refuse_non_file(p, os.fstat(fh.fileno()).st_mode)  # the file we opened
            raw = fh.read(max_bytes + 1)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise _too_large(p, None, max_bytes)
    return raw


def with_id(report: Report, rid: str) -> Report:
    """`report` under another id (summarizer.render.names renames one whose files collide)."""
    return report if report.id == rid else dataclasses.replace(report, id=rid)


def read_report(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read and decode one report file. The report id is the file name without extension."""
    p = Path(path)
    text, enc = decode_report(read_capped(p, max_bytes), p)
    return Report(id=p.stem, source=str(path), text=text, encoding=enc)
