"""Search hits in the terminal: a rich table, the query marked in each quote.

Report text reaches the terminal only as `Text` (never markup), through the console's
`terminal_text`: a report must not move the cursor, recolour or retitle the terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.console import terminal_text as _terminal_text
from summarizer.corpus.search import Hit, SearchResult

__all__ = ["CATEGORY_LABELS", "excerpt", "print_hits"]


def terminal_text(s: str | None) -> str:
    """`s` on one line with no escape sequence or control character."""
    return _terminal_text(s or "", one_line=True)


CATEGORY_LABELS = {"problems": "问题", "plans": "计划", "achievements": "成绩", "metrics": "指标"}

# A hit in the detail or title (not in the quote) says so: the cell is headed 引文 quote.
_FIELD_NOTE = {"detail": "（详情）", "title": "（标题）"}
_AROUND = 60  # characters of context kept on each side of the first match


def excerpt(hit: Hit, around: int = _AROUND) -> Text:
    """The quote (or the detail or title holding the match, when the quote does not), cut
    to `around` characters on each side of its first match, the matches in bold red."""
    quote = hit.matched_text
    first = hit.marks[0][0] if hit.marks else 0
    lo = max(0, first - around)
    hi = min(len(quote), (hit.marks[0][1] if hit.marks else 0) + 2 * around)
    text = Text(_FIELD_NOTE.get(hit.matched_in, ""), style="dim")
    text.append("…" if lo else "")
    pos = lo
    for start, end in hit.marks:
        if start < lo or end > hi:
            continue
        text.append(terminal_text(quote[pos:start]))
        text.append(terminal_text(quote[start:end]), style="bold red")
        pos = end
    text.append(terminal_text(quote[pos:hi]))
    if hi < len(quote):
        text.append("…")
    return text


def print_hits(result: SearchResult, console: Console | None = None) -> None:
    console = console or Console()
    shown = len(result.hits)
    hits = f"{result.total} hit" + ("" if result.total == 1 else "s")
    reports = f"{result.reports} report" + ("" if result.reports == 1 else "s")
    title = f"“{terminal_text(result.query)}”: {hits} in {reports}"
    if shown < result.total:
        title += f" (first {shown}; --limit 0 shows all)"
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        header_style="bold",
        border_style="cyan",
        show_lines=True,
        expand=True,  # so that the quote takes two shares of the width to the link's one
    )
    table.add_column("主体 entity", overflow="fold")
    table.add_column("年份", justify="right")
    table.add_column("类别")
    table.add_column("引文 quote", overflow="fold", ratio=2)
    table.add_column("链接 link", overflow="fold", ratio=1, style="dim")
    for hit in result.hits:
        table.add_row(
            Text(terminal_text(hit.entity or hit.report_id)),
            Text(str(hit.year or "")),
            Text(CATEGORY_LABELS.get(hit.category, hit.category)),
            excerpt(hit),
            Text(terminal_text(hit.link)),
        )
    console.print(table)
