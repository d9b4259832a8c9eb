"""--shard i/N and `summarizer merge`: shards of a folder, merged, equal one unsharded batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.batch_files import FAILURES_FILE
from summarizer.cli import app
from summarizer.config import load_settings
from summarizer.errors import ConfigError
from summarizer.shards import Shard, merge_shards, parse_shard

from .batch_outputs import assert_same_outputs, reports_folder
from .conftest import SEEDS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return reports_folder(tmp_path / "reports")


def test_three_shards_merged_equal_one_batch(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "whole")])
    assert whole.exit_code == 1, whole.output  # the broken file
    parts = [tmp_path / f"shard-{i}" for i in (1, 2, 3)]
    for i, part in enumerate(parts, 1):
        shard = runner.invoke(app, ["batch", str(folder), "-o", str(part), "--shard", f"{i}/3"])
        assert shard.exit_code in (0, 1), shard.output
    held = [sorted(p.stem for p in part.glob("*.json")) for part in parts]
    assert all(held), "a shard got no report: the test would not show a merge"
    assert sorted(rid for part in held for rid in part) == sorted(
        p.stem for p in folder.iterdir() if p.stem != "000_broken"
    )

    merged = runner.invoke(app, ["merge", *map(str, parts), "-o", str(tmp_path / "merged")])
    assert merged.exit_code == 0, merged.output
    assert "merged 3 folders: 14 reports, 1 failed" in merged.output
    assert_same_outputs(tmp_path / "whole", tmp_path / "merged")
    failures = (tmp_path / "merged" / FAILURES_FILE).read_text("utf-8").splitlines()
    assert [json.loads(x)["path"] for x in failures] == [str(folder / "000_broken.txt")]


def test_a_shard_is_a_stable_hash_of_the_file_name() -> None:
    names = [Path(f"r{i}.txt") for i in range(300)]
    shards = [Shard(i, 4) for i in (1, 2, 3, 4)]
    owners = [[s.holds(p) for s in shards].count(True) for p in names]
    assert owners == [1] * len(names)  # each file in exactly one shard
    assert all(40 < len(s.select(names)) < 110 for s in shards)  # spread, not lumped
    # Fixed for good (1 + sha1("r0") mod 4): machines running different versions, or Python's
    # salted hash() in different processes, would otherwise split one corpus two ways.
    assert [s.index for s in shards if s.holds(Path("dir/r0.txt"))] == [2]
    assert Shard(1, 2).holds(Path("a/x.txt")) == Shard(1, 2).holds(Path("b/x.gb18030"))


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0", "-1/3"])
def test_a_malformed_shard_is_a_usage_error(text: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--shard must be i/N"):
        parse_shard(text)
    result = CliRunner().invoke(app, ["batch", str(SEEDS), "-o", str(tmp_path), "--shard", text])
    assert result.exit_code == 2 and "--shard must be i/N" in result.output


def test_an_empty_shard_writes_an_empty_batch_that_merges(tmp_path: Path) -> None:
    seed = next(SEEDS.glob("*.txt"))
    d = tmp_path / "one"
    d.mkdir()
    shutil.copy(seed, d / seed.name)
    empty = next(Shard(i, 2) for i in (1, 2) if not Shard(i, 2).holds(seed))
    result = run_batch(d, tmp_path / "empty", load_settings(), shard=empty)
    assert result.ok and not result.summaries
    assert (tmp_path / "empty" / "summaries.jsonl").read_text("utf-8") == ""
    run_batch(d, tmp_path / "full", load_settings(), shard=Shard(3 - empty.index, 2))
    merged = merge_shards([tmp_path / "empty", tmp_path / "full"], tmp_path / "merged")
    assert [s.report.id for s in merged.summaries] == [seed.stem]


def test_merge_refuses_a_report_in_two_folders_and_an_unfinished_one(tmp_path: Path) -> None:
    run_batch(SEEDS, tmp_path / "a", load_settings())
    run_batch(SEEDS, tmp_path / "b", load_settings())
    with pytest.raises(ConfigError, match=r"report '000_\w+' is in both .*a and .*b"):
        merge_shards([tmp_path / "a", tmp_path / "b"], tmp_path / "m")
    (tmp_path / "c").mkdir()
    result = CliRunner().invoke(app, ["merge", str(tmp_path / "c"), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "c: not a finished batch output (no summaries.jsonl)" in result.output
    assert not (tmp_path / "m").exists()


def test_a_report_renamed_to_keep_names_apart_is_named_alike_in_every_shard(
    tmp_path: Path,
) -> None:
    # x.source.txt would write x.source.html, the source page of x.txt: the folder renames it
    # (x.source_txt), and its shard must too, though x.txt is in another shard.
    d = tmp_path / "r"
    d.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], d / "x.txt")
    shutil.copy(seeds[1], d / "x.source.txt")
    shards = [Shard(i, 3) for i in (1, 2, 3)]
    assert [s.index for s in shards if s.holds(d / "x.txt")] != [
        s.index for s in shards if s.holds(d / "x.source.txt")
    ]
    whole = run_batch(d, tmp_path / "whole", load_settings())
    assert [s.report.id for s in whole.summaries] == ["x.source_txt", "x"]
    parts = [tmp_path / f"shard-{s.index}" for s in shards]
    for shard, part in zip(shards, parts, strict=True):
        run_batch(d, part, load_settings(), shard=shard)
    merge_shards(parts, tmp_path / "merged")
    assert_same_outputs(tmp_path / "whole", tmp_path / "merged")
