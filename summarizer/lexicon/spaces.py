"""The blank characters of the genre, defined once: what pads a line, an indent or a clause."""

from __future__ import annotations

__all__ = ["SPACES"]

# ASCII space and tab; the full-width space that indents a paragraph (U+3000); the no-break
# space a web page leaves (U+00A0); a byte-order mark left inside the text where files were
# pasted together (U+FEFF). Not the line break: callers that may cross lines add "\n".
SPACES = " \t\u3000\xa0\ufeff"
