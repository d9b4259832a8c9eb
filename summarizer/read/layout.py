"""The text as the structure reader sees it: where its lines really break.

Offsets always index the decoded text, so every change here keeps the length: a character that
is not what it seems becomes a space or a real "\\n". The pipeline takes every quote back from the
decoded text, so an output never shows the padding. Three ways a stored text misstates its lines:

- line breaks stored as the literal text "\\r\\n" (a backslash, r, a backslash, n): the whole
  report is one line and no heading starts a line. Each escape becomes spaces and one "\\n".
- hard-wrapped text (a PDF's lines of ~30 characters, page numbers "— 8 —" between them): most
  lines stop mid-sentence. A break after a line that ends mid-sentence, before a line that does
  not open a heading, is a wrap: it becomes spaces, and so does a page number inside it.
- a wrap any text can show: a line that is only a zero-width space inside a sentence (pages
  scraped from a wiki), a line that starts with "，" or "》" or ends with "《": it cannot be a
  paragraph break; nor can a line holding only a subscript (M / 2 / 增长13.6%: M2).
"""

from __future__ import annotations

import itertools
import re

from summarizer.lexicon.spaces import SPACES
from summarizer.read.headings import match_heading

__all__ = ["layout_text"]

_LITERAL_BREAK = re.compile(r"(?:\\r)?\\n|\\r")
# Escapes count as breaks only where they stand in for the lines: a handful of them, and more
# than the real line breaks (a stray "\n" in a quoted file path is text).
_MIN_ESCAPES = 3

_INVISIBLE = SPACES + "\u200b"  # and the zero-width space a scraped page leaves
_SENTENCE_END = tuple("。！？；：!?;:…”’」』）)】")
# In wrapped text a line ending in "；" or "，" is mid-paragraph; these end a paragraph.
_PARAGRAPH_END = tuple("。！？：!?:…”’」』）)】")
_PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d{1,4}[—–\-－\s]*$")
# A text is hard-wrapped when most of its longer lines stop mid-sentence.
_WRAPPED_SHARE, _MIN_WRAPPED_LINES, _LONG = 0.6, 20, 15
# Breaks no paragraph can have: around a zero-width-space line, before a comma, stop or closing
# quote or bracket ("，。、；》）”"), after an opening one ("《（“"). Every match starts at a
# break: said first, the scan passes every other character at once (5× faster, same matches).
_IMPOSSIBLE_BREAK = re.compile(
    r"(?=\n)(?:(?<=[^\s。！？；：!?;:])\n[ \t\u3000]*\u200b[\s\u200b]*\n(?=[^\s\u200b])"
    r"|\n(?=[，。、；》）”’」』])|(?<=[《（“‘「『])\n)"
)

# A subscript a web copy set on its own line: "广义货币M\n2\n增长13.6%" is M2 (national reports
# 2013–2017); the digit stays, its breaks become spaces.
_SUBSCRIPT = re.compile(r"(?=\n)(?<=[A-Za-z])\n([0-9]{1,2})\n(?=[^\s0-9])")


def layout_text(text: str) -> str:
    """`text` with its line breaks where they really are, same length, same offsets."""
    escapes = text.count("\\n") + text.count("\\r")
    if escapes >= _MIN_ESCAPES and escapes > text.count("\n"):
        text = _LITERAL_BREAK.sub(lambda m: " " * (len(m.group()) - 1) + "\n", text)
    text = _IMPOSSIBLE_BREAK.sub(lambda m: " " * len(m.group()), text)
    text = _SUBSCRIPT.sub(lambda m: f" {m.group(1)} ", text)
    if _is_hard_wrapped(text):
        text = _unwrap(text)
    return text


def _is_hard_wrapped(text: str) -> bool:
    lines = [s for line in text.split("\n") if len(s := line.strip(_INVISIBLE)) >= _LONG]
    if len(lines) < _MIN_WRAPPED_LINES:
        return False
    open_ended = sum(not line.endswith(_SENTENCE_END) for line in lines)
    return open_ended >= _WRAPPED_SHARE * len(lines)


def _unwrap(text: str) -> str:
    """Blank every break (with blank and page-number lines) that wraps a sentence."""
    out = list(text)
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    content = [
        i
        for i, line in enumerate(lines)
        if line.strip(_INVISIBLE) and not _PAGE_NUMBER.match(line.strip(_INVISIBLE))
    ]
    for i, j in itertools.pairwise(content):
        line = lines[i].rstrip(_INVISIBLE)
        if line.endswith(_PARAGRAPH_END) or match_heading(lines[i]) or match_heading(lines[j]):
            continue
        for k in range(
            starts[i] + len(line), starts[j] + len(lines[j]) - len(lines[j].lstrip(_INVISIBLE))
        ):
            out[k] = " "
    return "".join(out)
