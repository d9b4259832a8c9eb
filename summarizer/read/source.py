"""Reading a report file: bytes → text exactly as SPEC defines it, plus id and sha256.

SPEC: the text is the file decoded (UTF-8 with or without BOM, else GB18030), line endings read
as "\\n", nothing else changed. We also accept UTF-16 with a BOM. Every offset in the output
indexes this text, so nothing here may strip, trim or normalise anything else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "Report", "count_controls", "decode_report", "read_report"]

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


@dataclass(frozen=True)
class Report:
    """A decoded report. `text` is what every offset refers to."""

    id: str
    source: str
    text: str
    encoding: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# C0 control characters other than the whitespace ones (\t \n \v \f \r): plain text has next
# to none, binary data decoded as text has many.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def count_controls(text: str) -> int:
    """How many C0 control characters other than \\t \\n \\v \\f \\r `text` holds."""
    return sum(1 for _ in _CONTROLS.finditer(text))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        if "\x00" in text:
            raise InputError(path, "not a text report: contains NUL bytes (binary data?)")
        if count_controls(text) > max(8, len(text) // 100):
            raise InputError(path, "not a text report: too many control characters (binary data?)")
        text = _normalise_newlines(text)
        if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            # Offsets must index the file as it is; tags would end up inside quotes.
            raise InputError(path, "an HTML page, not report text: save the page's text as .txt")
        if not text.strip():
            raise InputError(path, "no text: the file holds only whitespace")
        return text, enc
    raise InputError(path, "cannot decode: neither UTF-8, UTF-16 with BOM nor GB18030")


def read_report(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read and decode one report file. The report id is the file name without extension."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(p, "is a directory, not a report file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(
                p,
                f"too large: {size / 1e6:.1f} MB exceeds the limit of {max_bytes / 1e6:.1f} MB "
                "(raise it with --max-mb)",
            )
        raw = p.read_bytes()
    except InputError:
        raise
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from exc
    text, enc = decode_report(raw, p)
    return Report(id=p.stem, source=str(path), text=text, encoding=enc)
