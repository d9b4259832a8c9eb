"""Bad input: each file either works or gets one clear line naming it; the batch finishes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.read.source import read_capped, read_report

from .data.make_bad_corpus import EXPECTED, build

CLI = [sys.executable, "-m", "summarizer.cli"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("bad"), big_mb=30)  # the 30 MB report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_works_or_names_its_reason(corpus: Path, name: str) -> None:
    expected = EXPECTED[name]
    if expected == "ok":
        report = read_report(corpus / name)
        assert report.text.strip()
        return
    with pytest.raises(InputError) as info:
        read_report(corpus / name)
    message = str(info.value)
    assert name in message and expected in message
    assert "\n" not in message


def test_batch_over_bad_folder_finishes_good_reports_and_lists_bad(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [*CLI, "batch", str(corpus), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    bad = {n for n, e in EXPECTED.items() if e != "ok"}
    good = {n for n, e in EXPECTED.items() if e == "ok"}
    for name in bad:
        assert name in proc.stderr, f"{name} not named in the error lines"
    for name in good:
        data = json.loads((out / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
        assert data["report"]["id"] == Path(name).stem
    assert len((out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()) == len(good)
    # no temp files are left behind by the atomic writes
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_brief_on_a_file_named_with_a_leading_dash(corpus: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            *CLI,
            "brief",
            "--format",
            "json",
            "-o",
            str(tmp_path),
            "--",
            str(corpus / "-报告 with spaces.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["report"]["id"] == "-报告 with spaces"


def test_size_limit_names_the_file_and_the_flag(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"big\.txt: too large.*--max-mb"):
        read_report(corpus / "big.txt", max_bytes=1_000_000)


def test_unknown_report_path_is_one_line_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CLI, "brief", str(tmp_path / "missing.txt")], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "missing.txt" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_brief_on_a_device_is_one_line_not_an_endless_read(device: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CLI, "brief", device, "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.strip() == f"error: {device}: refused: a character device, not a regular file"
    )


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_longer_than_its_size_says_is_read_only_up_to_the_cap() -> None:
    # /proc files are regular files that report a size of 0 and hold more: the cap, not
    # the size, stops the read.
    assert Path("/proc/self/status").stat().st_size == 0
    with pytest.raises(InputError, match=r"status: too large: over the limit of 0.0 MB"):
        read_capped("/proc/self/status", max_bytes=16)
    assert len(read_capped("/proc/self/status", max_bytes=1_000_000)) > 16
