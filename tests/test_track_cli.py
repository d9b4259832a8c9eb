"""`summarizer track` end to end on three national reports (2015–2017, tests/data/tracking),
the batch's tracking step with its scorecard lines, and the entity page's escaping."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.models import Metric, ReportMeta, RunInfo, Status, Summary
from summarizer.track import track_summaries
from summarizer.track.outputs import write_tracking_outputs
from tests.render_fixtures import TextBuilder

DATA = Path(__file__).parent / "data" / "tracking"
REPORTS = sorted(DATA.glob("national_guowuyuan_*.txt"))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three reports in a folder of their own, tracked by the CLI into OUT."""
    root = tmp_path_factory.mktemp("national")
    folder = root / "reports"
    folder.mkdir()
    for path in REPORTS:
        shutil.copy(path, folder)
    result = CliRunner().invoke(app, ["track", str(folder), "-o", str(root / "out")])
    assert result.exit_code == 0, result.output
    assert "1 series" in result.output
    return root / "out"


def _rows(out: Path) -> list[dict[str, str]]:
    raw = (out / "tracking.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads the Chinese
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_gdp_targets_sit_beside_the_next_reports_actuals(national: Path) -> None:
    gdp = {
        r["year"]: r
        for r in _rows(national)
        if r["indicator"] == "地区生产总值" and r["measure"] == "change"
    }
    assert (gdp["2015"]["target_value"], gdp["2015"]["target_bound"]) == ("7", "about")
    assert (gdp["2015"]["actual_value"], gdp["2015"]["verdict"]) == ("6.9", "met")
    assert gdp["2016"]["target_bound"] == "range"
    assert (gdp["2016"]["target_low"], gdp["2016"]["target_high"]) == ("6.5", "7")
    assert (gdp["2016"]["actual_value"], gdp["2016"]["verdict"]) == ("6.7", "met")
    assert gdp["2016"]["actual_report"] == "national_guowuyuan_2017"
    assert gdp["2017"]["verdict"] == "unclear"  # no report on 2017 in the folder


def test_every_quote_is_verbatim_at_its_offsets(national: Path) -> None:
    texts = {p.stem: p.read_text("utf-8").replace("\r\n", "\n") for p in REPORTS}
    doc = json.loads((national / "tracking.json").read_text("utf-8"))
    assert doc["series"][0]["entity"] == "国务院" and doc["links"]
    for link in doc["links"]:
        for side in ("target", "actual"):
            f = link[side]
            if f is not None:
                assert texts[f["report"]][f["start"] : f["end"]] == f["quote"]
        if link["verdict"] == "not_reported":
            assert link["actual"] is None


def test_entity_page_links_every_point_to_its_sentence(national: Path) -> None:
    page = (national / "tracking_national_guowuyuan.html").read_text("utf-8")
    assert page.count("<svg") >= 3 and "地区生产总值（增速）" in page
    for fetch in ("src=", "<link", "<script", "@import", "url(http"):  # nothing from a network
        assert fetch not in page
    source = (national / "national_guowuyuan_2017.source.html").read_text("utf-8")
    doc = json.loads((national / "tracking.json").read_text("utf-8"))
    actual = next(x["actual"] for x in doc["links"] if x["year"] == 2016 and x["actual"])
    anchors = [a.split("#")[1] for a in page.split('"') if a.startswith("national_guowuyuan_2017")]
    assert anchors and all(f'id="{a}"' in source for a in anchors)
    assert actual["quote"] in source


def test_batch_tracks_and_puts_the_scorecard_in_the_later_briefing(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in REPORTS[:2]:
        shutil.copy(path, folder)
    result = run_batch(folder, tmp_path / "out")
    assert [p.name for p in result.tracking] == [
        "tracking.csv",
        "tracking.json",
        "tracking_national_guowuyuan.html",
    ]
    later = (tmp_path / "out" / "national_guowuyuan_2016.html").read_text("utf-8")
    earlier = (tmp_path / "out" / "national_guowuyuan_2015.html").read_text("utf-8")
    doc = json.loads((tmp_path / "out" / "tracking.json").read_text("utf-8"))
    of_2015 = [x for x in doc["links"] if x["year"] == 2015]
    met = sum(x["verdict"] == "met" for x in of_2015)
    assert f"2015年目标 {len(of_2015)} 项：达成 {met}，" in later
    assert "年目标 " not in earlier.split('class="overview"')[1].split("</p>")[1][:200]
    md = (tmp_path / "out" / "national_guowuyuan_2016.md").read_text("utf-8")
    assert f"2015年目标 {len(of_2015)} 项" in md


def test_batch_of_one_year_writes_no_tracking(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REPORTS[0], folder)
    assert run_batch(folder, tmp_path / "out").tracking == []
    assert not (tmp_path / "out" / "tracking.csv").exists()


def test_track_reads_a_batch_output_folder_and_links_back_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in REPORTS[:2]:
        shutil.copy(path, folder)
    run_batch(folder, tmp_path / "batch")
    (tmp_path / "batch" / "broken.json").write_text("{}", "utf-8")
    result = CliRunner().invoke(app, ["track", str(tmp_path / "batch"), "-o", str(tmp_path / "t")])
    assert result.exit_code == 1  # the broken file is named; the rest is tracked
    assert "broken.json" in result.output
    page = (tmp_path / "t" / "tracking_national_guowuyuan.html").read_text("utf-8")
    assert 'href="../batch/national_guowuyuan_2015.source.html#' in page


HOSTILE = '<script>alert(1)</script>"&'


def test_the_page_escapes_report_text(tmp_path: Path) -> None:
    summaries = []
    for year in (2020, 2021):
        t = TextBuilder(f"报告{HOSTILE}\n")
        name = f"补助{HOSTILE}标准"
        status: Status = "target" if year == 2020 else "actual"
        quote = f"{name}提高到30元"
        ev = t.add(f"今年{quote}。", quote)
        m = Metric(
            name=name,
            value=30,
            unit="元",
            status=status,
            evidence=ev,
            span="year",
            reference_year=2021,
        )
        meta = ReportMeta(
            id=f"x_{year}",
            source="x.txt",
            entity=f"某县{HOSTILE}",
            year=year,
            kind="annual",
            chars=len(t.text),
            sha256="0" * 64,
        )
        summaries.append(
            Summary(report=meta, metrics=[m], run=RunInfo(backend="rules", prompt_version="t"))
        )
    result = track_summaries(summaries)
    assert [x.verdict for x in result.links] == ["met"]
    files = write_tracking_outputs(result, tmp_path).files
    page = next(p for p in files if p.suffix == ".html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    rows = _rows(tmp_path)
    assert rows[0]["indicator"].startswith("补助")


def _gdp_labels(path: Path) -> None:
    doc = {
        "series": "three",
        "entity": "国务院",
        "reports": [p.stem for p in REPORTS],
        "links": [
            {
                "indicator": "地区生产总值",
                "measure": "change",
                "year": 2016,
                "target": {
                    "report": "national_guowuyuan_2016",
                    "quote": "国内生产总值增长6.5%－7%",
                    "value": None,
                    "unit": "%",
                    "bound": "range",
                    "low": 6.5,
                    "high": 7,
                },
                "actual": {"report": "national_guowuyuan_2017", "quote": "增长6.7%", "value": 6.7},
                "verdict": "met",
            },
            {
                "indicator": "某某",
                "measure": "level",
                "year": 2016,
                "target": {
                    "report": "national_guowuyuan_2016",
                    "quote": "不存在的目标",
                    "value": 1,
                },
                "actual": None,
                "verdict": "not_reported",
            },
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_eval_track_scores_and_gates_on_a_baseline(tmp_path: Path) -> None:
    labels = tmp_path / "labels"
    labels.mkdir()
    _gdp_labels(labels / "three.json")
    baseline = tmp_path / "baseline.json"
    args = [
        "eval-track",
        "--labels",
        str(labels),
        "--reports",
        str(DATA),
        "--show",
        "0",
        "--baseline",
        str(baseline),
    ]
    saved = CliRunner().invoke(app, [*args, "--save-baseline"])
    assert saved.exit_code == 0, saved.output
    figures = json.loads(baseline.read_text("utf-8"))["total"]
    assert (figures["labelled"], figures["correct"], figures["recall"]) == (2, 1, 0.5)
    assert CliRunner().invoke(app, args).exit_code == 0  # the same scores: no regression
    figures["recall"] = 0.9
    baseline.write_text(json.dumps({"series": {}, "total": figures}), "utf-8")
    worse = CliRunner().invoke(app, args)
    assert worse.exit_code == 1 and "recall" in worse.output
