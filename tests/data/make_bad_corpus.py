"""Build the bad-input corpus: the committed small files of tests/data/bad/ plus the big or
binary ones, generated here so they need not live in git.

    python tests/data/make_bad_corpus.py OUTDIR [--big-mb 30]

Each entry's expected outcome is in EXPECTED: "ok" (decoded and summarised) or a fragment of
the one-line error that must name it.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import socket
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "bad"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "003_edf690f87470ca0e.txt"

# file name → "ok" or a fragment of the error line
EXPECTED: dict[str, str] = {
    "empty.txt": "empty file",
    "whitespace.txt": "only whitespace",
    "report.pdf": "PDF",
    "image.png": "PNG",
    "archive.zip": "ZIP",
    "document.docx": "docx",
    "random.bin": "cannot decode",
    "gbk.txt": "ok",
    "utf16.txt": "ok",
    "page.html": "HTML",
    "big.txt": "ok",
    "english.txt": "ok",
    "no_headings.txt": "ok",
    "-报告 with spaces.txt": "ok",
    "loop.txt": "symbolic link",
    # not regular files: refused before they are opened (a FIFO would block, a device not end)
    "fifo.txt": "refused: a FIFO",
    "socket.txt": "refused: a socket",
    "device.txt": "refused: a character device",  # a link to /dev/zero
}

# Long runs of one character class (a table of figures, an ID, a scanned page) that once took
# the rules extractor minutes (issue 19): name → (the unit repeated, where in seed 000 it goes).
# Each must be read and summarised like any report, in time linear in its length.
_SEED_000 = SEED.parent / "000_d690860a6c90c664.txt"
_ITEM_SENTENCE = "今年1-10月实现公"  # a sentence inside an item of seed 000
LONG_RUNS: dict[str, tuple[str, str | None]] = {
    "digits.txt": ("1234567890", None),  # the whole file: '1234567890' * 2500
    "digit_run_in_item.txt": ("1234567890", _ITEM_SENTENCE),
    "fullwidth_digit_run_in_item.txt": ("１２３４５６７８９０", _ITEM_SENTENCE),
    "blank_lines_in_item.txt": ("\n", _ITEM_SENTENCE),
}
LONG_RUN_CHARS = 25_000
EXPECTED.update(dict.fromkeys(LONG_RUNS, "ok"))


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>2020年工作总结</w:document>")
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


def build(out: Path, big_mb: float = 30.0) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for p in HERE.iterdir():
        if p.is_file():
            shutil.copyfile(p, out / p.name)
    seed = SEED.read_text(encoding="utf-8")
    rng = random.Random(7)
    (out / "empty.txt").write_bytes(b"")
    (out / "whitespace.txt").write_text(" \n\u3000\t\r\n  ", encoding="utf-8")
    (out / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    (out / "image.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(64))
    )
    (out / "archive.zip").write_bytes(_zip())
    (out / "document.docx").write_bytes(_docx())
    (out / "random.bin").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (out / "gbk.txt").write_bytes(seed.encode("gbk"))
    (out / "utf16.txt").write_bytes(seed.encode("utf-16"))
    (out / "-报告 with spaces.txt").write_text(seed, encoding="utf-8")
    reps = int(big_mb * 1e6) // len(seed.encode("utf-8")) + 1
    (out / "big.txt").write_text(seed * reps, encoding="utf-8")
    loop = out / "loop.txt"
    if loop.is_symlink() or loop.exists():
        loop.unlink()
    os.symlink("loop.txt", loop)
    _not_files(out)
    _write_long_runs(out)
    return out


def _not_files(out: Path) -> None:
    """A FIFO, a socket and a device in the folder (POSIX)."""
    for name in ("fifo.txt", "socket.txt", "device.txt"):
        if (out / name).exists() or (out / name).is_symlink():
            (out / name).unlink()
    os.mkfifo(out / "fifo.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(out / "socket.txt"))  # the socket file stays after close
    os.symlink("/dev/zero", out / "device.txt")


def _write_long_runs(out: Path) -> None:
    host = _SEED_000.read_text(encoding="utf-8")
    for name, (unit, before) in LONG_RUNS.items():
        run = (unit * (LONG_RUN_CHARS // len(unit) + 1))[:LONG_RUN_CHARS]
        at = host.index(before) if before else 0
        text = host[:at] + run + host[at:] if before else run
        (out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    args = sys.argv[1:]
    mb = float(args[args.index("--big-mb") + 1]) if "--big-mb" in args else 30.0
    build(Path(args[0]), mb)
