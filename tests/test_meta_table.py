"""`--meta FILE`: entity, year and kind the text does not say, given per report in a CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import summarize
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.read.meta_table import MetaOverride, load_meta_table

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "001_cc94938a8e691cbc.txt"  # never names its 街道


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "meta.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_keyed_by_report_id_with_or_without_extension(tmp_path: Path) -> None:
    table = load_meta_table(
        _csv(tmp_path, "file,entity,year,kind\na.txt,新城街道,2017,\nb,,2020,half_year\n")
    )
    assert table.get("a") == MetaOverride("新城街道", 2017, None)
    assert table.get("b") == MetaOverride(None, 2020, "half_year")
    assert table.get("c") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name,x\na,b\n", "needs a header with file (or id)"),
        ("file,year\na.txt,20x5\n", "row 2: year '20x5' is not a year"),
        ("id,kind\na,yearly\n", "row 2: kind 'yearly'"),
        ("file,entity\na.txt,甲\na,乙\n", "row 3: 'a' is listed twice"),
        ("file,entity\n,甲\n", "row 2: no file"),
    ],
)
def test_a_bad_row_is_one_line_naming_file_and_row(tmp_path: Path, text: str, reason: str) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_meta_table(path)
    assert str(err.value).startswith(f"{path}: ") and reason in str(err.value)
    assert "\n" not in str(err.value)


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read --meta file"):
        load_meta_table(tmp_path / "nope.csv")


def test_overrides_replace_only_what_they_give(tmp_path: Path) -> None:
    plain = summarize(SEED)
    assert plain.report.entity is None
    table = load_meta_table(_csv(tmp_path, f"file,entity\n{SEED.name},园区街道\n"))
    given = summarize(SEED, Settings(meta=table))
    assert given.report.entity == "园区街道"
    assert (given.report.year, given.report.kind) == (plain.report.year, plain.report.kind)


def test_cli_meta_reaches_every_report_of_a_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    meta = _csv(tmp_path, f"file,entity,year\n{SEED.name},园区街道,2016\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "--meta", str(meta)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))["report"]
    assert (report["entity"], report["year"]) == ("园区街道", 2016)


def test_cli_bad_meta_exits_2_with_one_line(tmp_path: Path) -> None:
    meta = _csv(tmp_path, "file,year\nx.txt,soon\n")
    result = CliRunner().invoke(app, ["brief", str(SEED), "--format", "json", "--meta", str(meta)])
    assert result.exit_code == 2
    assert "year 'soon' is not a year" in result.output
