"""Writing output files. Every file is written to a temp file and renamed: never half a file."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from summarizer.errors import OutputError, shown
from summarizer.models import Summary
from summarizer.render.briefing import build_briefing
from summarizer.render.pages import (
    render_html,
    render_index_html,
    render_jsonl,
    render_markdown,
    stream_source_html,
)
from summarizer.render.tables import render_metrics_csv, render_panel_csv

__all__ = [
    "atomic_write_text",
    "make_outdir",
    "remove_stale_temp_files",
    "report_output_paths",
    "summary_json",
    "summary_json_bytes",
    "summary_json_pieces",
    "write_all",
    "write_batch_outputs",
    "write_report_outputs",
]

# .<name>.<pid>.<mkstemp's random part>.tmp: the pid tells a live writer from a killed one
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.tmp$")


def _file_mode() -> int:
    """The mode open() would give a new file (0o666 less the umask). mkstemp makes its files
    owner-only (0o600) and the rename keeps that, which would hide outputs from a web server
    or a colleague. Read once: os.umask can only be read by setting it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


# What a file is written from: the text, its UTF-8 bytes, or its text in pieces (a page
# streamed from its template: never the whole page in memory at once).
Content = str | bytes | Iterable[str]


def _write_temp(path: Path, content: Content, durable: bool = True) -> Path:
    """`content` (UTF-8) in a temp file beside `path`, ready to be renamed onto it; `durable`:
    synced to disk first."""
    prefix = f".{path.name}.{os.getpid()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        fh: IO[Any] = (
            os.fdopen(fd, "wb")
            if isinstance(content, bytes)
            else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with fh:
            for piece in [content] if isinstance(content, (str, bytes)) else _joined(content):
                fh.write(piece)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp, _FILE_MODE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _joined(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """`pieces` joined into strings of about `size` characters: a template streams thousands
    of small pieces, and one write call each would cost more than the rendering."""
    group: list[str] = []
    length = 0
    for piece in pieces:
        group.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(group)
            group.clear()
            length = 0
    yield "".join(group)


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"{shown(path)}: cannot write: {exc.strerror or exc}")


def atomic_write_text(path: Path, content: Content, *, durable: bool = True) -> None:
    """Write `content` (UTF-8) to `path` via a temp file in the same folder and a rename: no
    reader and no kill of the program ever finds half a file. `durable` adds an fsync before
    the rename, so the new file also survives a power cut; a batch leaves it out for its
    per-report files (a rerun rewrites them) and keeps it for the batch files."""
    write_all({path: content}, durable=durable)


def write_all(
    files: Mapping[Path, Content | Callable[[], Content]], *, durable: bool = True
) -> None:
    """Write every file of `files` or none: each goes to a temp file first, and only when all
    are written are they renamed into place. On a failure (a full disk, a rendering fault) the
    temp files and any file already renamed are removed, so what is left is all new files or
    none. A callable is rendered only when its file's turn comes, so that one rendered page at
    a time is in memory. `durable`: as in atomic_write_text."""
    temps: dict[Path, Path] = {}
    renamed: list[Path] = []
    path = next(iter(files), Path("."))
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            made = content() if callable(content) else content
            temps[path] = _write_temp(path, made, durable)
            del made  # the next page is rendered without this one beside it
        for path, tmp in temps.items():
            os.replace(tmp, path)
            renamed.append(path)
    except BaseException as exc:
        for leftover in [*temps.values(), *renamed]:
            leftover.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise


def make_outdir(outdir: Path) -> None:
    """Create `outdir` and its parents; OutputError names the real obstacle, since the
    rename's own error would read "OUT/<id>.json: cannot write: File exists"."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # outdir, or a folder on its way, is a file
        blocker = next((p for p in (outdir, *outdir.parents) if p.is_file()), outdir)
        where = "" if blocker == outdir else f" (on the way to {shown(outdir)})"
        raise OutputError(f"{shown(blocker)}: is a file, not a folder{where}") from None
    except OSError as exc:
        raise OutputError(
            f"{shown(outdir)}: cannot create the folder: {exc.strerror or exc}"
        ) from None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale_temp_files(outdir: Path) -> list[Path]:
    """Delete the temp files of writers killed mid-write (kill -9 skips their cleanup), never
    those of a live writer. POSIX only: on Windows os.kill would end the process."""
    removed: list[Path] = []
    if os.name != "posix" or not outdir.is_dir():
        return removed
    for path in outdir.glob(".*.tmp"):
        found = _TEMP_NAME.match(path.name)
        if found and not _alive(int(found.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def summary_json(summary: Summary) -> str:
    return summary.model_dump_json(indent=2) + "\n"


def report_output_paths(outdir: Path, report_id: str) -> list[Path]:
    """The files a report's summary is written to: <id>.json, .md, .html, .source.html."""
    return [outdir / f"{report_id}{ext}" for ext in (".json", ".md", ".html", ".source.html")]


def summary_json_bytes(summary: Summary) -> bytes:
    """summary_json as UTF-8 bytes, made as such: no second copy of a large summary as text."""
    return summary.__pydantic_serializer__.to_json(summary, indent=2) + b"\n"


def summary_json_pieces(summary: Summary) -> Iterator[str]:
    """summary_json in pieces, one item of a list at a time, the same text: the JSON of a large
    report (1.4× its size) is never whole in memory beside the summary it is made from."""
    names = list(Summary.model_fields)
    yield "{\n"
    for n, name in enumerate(names):
        comma = ",\n" if n < len(names) - 1 else "\n"
        items = getattr(summary, name)
        if name in _ITEM_LISTS and items:
            yield f'  "{name}": [\n'
            for i, item in enumerate(items):
                body = item.__pydantic_serializer__.to_json(item, indent=2).decode()
                # an item sits two levels in; JSON escapes every newline inside a string
                yield (
                    "    " + body.replace("\n", "\n    ") + (",\n" if i < len(items) - 1 else "\n")
                )
            yield "  ]" + comma
        else:  # {"name": value} at the top level, without its braces
            field = summary.__pydantic_serializer__.to_json(summary, indent=2, include={name})
            yield field.decode()[2:-2] + comma
    yield "}\n"


_ITEM_LISTS = ("achievements", "metrics", "problems", "plans")


def write_report_outputs(
    summary: Summary, text: str, outdir: Path, *, durable: bool = True
) -> list[Path]:
    """Write <id>.json, <id>.md, <id>.html and <id>.source.html; return the paths. Each is
    rendered when its turn comes and written to its temp file, so that one rendered page at a
    time is in memory (the source page streamed); a rendering fault leaves no mix of new and
    old files behind. `durable`: as in atomic_write_text."""
    make_outdir(outdir)
    rid = summary.report.id
    briefing = build_briefing(summary)  # one selection for both the Markdown and the HTML
    json_path, md_path, html_path, source_path = report_output_paths(outdir, rid)
    pages: dict[Path, Callable[[], Content]] = {
        json_path: lambda: summary_json_pieces(summary),
        md_path: lambda: render_markdown(summary, briefing),
        html_path: lambda: render_html(summary, briefing),
        source_path: lambda: stream_source_html(summary, text),
    }
    write_all(pages, durable=durable)  # a report's files are all new or absent, never a mix
    return list(pages)


def write_batch_outputs(
    summaries: Sequence[Summary], outdir: Path, failures: Sequence[str] = ()
) -> list[Path]:
    """Write index.html (listing `failures` too), metrics.csv, panel.csv and summaries.jsonl,
    and clear the temp files an earlier, killed run left behind. Each is written on its own,
    so a file that cannot be (a full disk) costs only itself; it is then removed rather than
    left from an earlier run, and OutputError names every such file, after the others."""
    make_outdir(outdir)
    remove_stale_temp_files(outdir)
    files = {
        outdir / "index.html": render_index_html(summaries, failures),
        outdir / "metrics.csv": render_metrics_csv(summaries),
        outdir / "panel.csv": render_panel_csv(summaries),
        outdir / "summaries.jsonl": render_jsonl(summaries),
    }
    errors = []
    for path, content in files.items():
        try:
            atomic_write_text(path, content)
        except OutputError as exc:
            errors.append(str(exc))
            path.unlink(missing_ok=True)
    if errors:
        raise OutputError("; ".join(errors))
    return list(files)
