"""Compare two batch output folders file by file: the proof that a change kept every byte.

Usage: python scripts/compare_outputs.py OLD NEW

OLD and NEW are the OUT folders of `summarizer batch` over the same reports, made by two
versions of the code (say main and a branch that only makes the batch faster). Every file must
be in both with the same content, but for what differs between any two runs or versions: the
clock (a run's seconds and time stamps, as tests/batch_outputs masks them) and the code
fingerprint summaries.sqlite records to tell a rerun which summaries still hold (`"code":
"c1:…"` and the settings hash made with it). A database is compared as its SQL dump.

Prints one line per differing or missing file and exits 1 if there is any.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from any folder

from tests.batch_outputs import comparable_text  # after the path is set

# The code's fingerprint, and the per-report settings hash made from it (reports table).
_CODE = re.compile(r'("code": ?)"c1:[0-9a-f]+"')
_SETTINGS_HASH = re.compile(r"(\}',)'[0-9a-f]{16}'")


def comparable_across_versions(path: Path) -> str:
    text = comparable_text(path)
    return _SETTINGS_HASH.sub(r"\1'…'", _CODE.sub(r'\1"…"', text))


def differences(old: Path, new: Path) -> list[str]:
    """One line per file missing from either folder or differing in content."""
    names_old = {p.name for p in old.iterdir()}
    names_new = {p.name for p in new.iterdir()}
    lines = [f"only in {old}: {n}" for n in sorted(names_old - names_new)]
    lines += [f"only in {new}: {n}" for n in sorted(names_new - names_old)]
    for name in sorted(names_old & names_new):
        a, b = comparable_across_versions(old / name), comparable_across_versions(new / name)
        if a != b:
            first = next(
                (
                    d
                    for d in difflib.unified_diff(a.splitlines(), b.splitlines(), n=0, lineterm="")
                    if d[:1] in "+-" and d[:3] not in ("---", "+++")
                ),
                "",
            )
            lines.append(f"differs: {name}: {first[:160]}")
    return lines


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[2])
    old, new = Path(sys.argv[1]), Path(sys.argv[2])
    lines = differences(old, new)
    for line in lines:
        print(line)
    count = len({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    print(f"{count} files, {len(lines)} different or missing")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
