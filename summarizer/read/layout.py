"""The text as the structure reader sees it: line breaks stored as literal escapes made real.

Some collectors store a report's line breaks as the literal text "\\r\\n" (four characters: a
backslash, r, a backslash, n), so the whole report is one line and no heading starts a line. The
reader must see those as breaks, while every offset still indexes the decoded text unchanged: each
escape becomes spaces and one real "\\n" of the same length. The pipeline takes every quote back
from the decoded text, so an output never shows the padding.
"""

from __future__ import annotations

import re

__all__ = ["layout_text"]

_LITERAL_BREAK = re.compile(r"(?:\\r)?\\n|\\r")
# Escapes count as breaks only where they stand in for the lines: a handful of them, and more
# than the real line breaks (a stray "\n" in a quoted file path is text).
_MIN_ESCAPES = 3


def layout_text(text: str) -> str:
    """`text` with literal "\\r\\n", "\\n" and "\\r" escapes read as line breaks, same length."""
    escapes = text.count("\\n") + text.count("\\r")
    if escapes < _MIN_ESCAPES or escapes <= text.count("\n"):
        return text
    return _LITERAL_BREAK.sub(lambda m: " " * (len(m.group()) - 1) + "\n", text)
