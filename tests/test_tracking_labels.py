"""The hand labels of target→actual links (evals/tracking/*.json) are the yardstick of
`summarizer track`: they must fit their reports and the rules of evals/tracking/README.md.
A quote that drifted from its report, a verdict outside the four, a met link without its
actual or a target year outside the series would silently skew every tracking score."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from summarizer.read.source import read_report
from tests.conftest import ROOT

TRACKING = ROOT / "evals" / "tracking"
REPORTS = TRACKING / "reports"
LABEL_FILES = sorted(TRACKING.glob("*.json"))
VERDICTS = {"met", "missed", "not_reported", "unclear"}
MEASURES = {"change", "level"}
BOUNDS = {None, "about", "at_least", "at_most", "range"}
MAX_QUOTE_CHARS = 80
# Where a stored text keeps its line breaks as the literal text "\r\n", no quote may span one.
_LITERAL_BREAK = re.compile(r"\\[rn]")
_FILE_YEAR = re.compile(r"_(\d{4})$")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _links(path: Path) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = _load(path)["links"]
    return links


def _file_year(report: str) -> int:
    match = _FILE_YEAR.search(report)
    assert match, report
    return int(match.group(1))


def _texts(reports: list[str]) -> dict[str, str]:
    return {name: read_report(REPORTS / f"{name}.txt").text for name in reports}


def _written(value: float) -> str:
    return f"{value:g}"


@pytest.fixture(params=LABEL_FILES, ids=[p.stem for p in LABEL_FILES])
def label_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


HELD_OUT = {"heldout_gaoyang", "heldout_hebei", "heldout_guangdong", "heldout_sichuan"}


def test_the_labelled_series_are_all_there() -> None:
    # The four labelled series (issue 16 asks for two or more) and the four held out.
    assert {"national_2013_2019", "yixian", "shunping", "national_2021_2025"} | HELD_OUT <= {
        p.stem for p in LABEL_FILES
    }


def test_every_report_of_a_series_is_kept_in_the_repo(label_path: Path) -> None:
    labels = _load(label_path)
    assert labels["series"] == label_path.stem
    assert labels["entity"]
    assert labels["tolerance_pp"] > 0
    reports: list[str] = labels["reports"]
    years = [_file_year(r) for r in reports]
    assert years == sorted(years) and len(set(years)) == len(years), reports
    for name in reports:
        assert (REPORTS / f"{name}.txt").is_file(), name


def test_links_are_well_formed(label_path: Path) -> None:
    for i, link in enumerate(_links(label_path)):
        where = (label_path.stem, i, link["indicator"], link["year"])
        assert link["indicator"].strip(), where
        assert link["measure"] in MEASURES, where
        assert link["verdict"] in VERDICTS, where
        target = link["target"]
        assert target["bound"] in BOUNDS, where
        if target["bound"] == "range":
            assert target["low"] is not None and target["high"] is not None, where
            assert target["low"] < target["high"], where
        else:
            assert target["value"] is not None, where
        for side in (target, link["actual"]):
            if side is not None:
                assert side["unit"], where
                assert side.get("direction") in (None, "down"), where


def test_an_actual_is_given_exactly_when_the_verdict_needs_one(label_path: Path) -> None:
    for i, link in enumerate(_links(label_path)):
        where = (label_path.stem, i, link["indicator"], link["year"], link["verdict"])
        if link["verdict"] in ("met", "missed"):
            assert link["actual"] is not None, where
        if link["verdict"] == "not_reported":
            assert link["actual"] is None, where
        if link["verdict"] == "unclear":
            assert link.get("note"), where  # an unclear link always says why


def test_target_years_are_in_the_series_and_actuals_in_the_next_report(label_path: Path) -> None:
    labels = _load(label_path)
    reports: list[str] = labels["reports"]
    by_year = {_file_year(r): r for r in reports}
    for i, link in enumerate(labels["links"]):
        where = (label_path.stem, i, link["indicator"], link["year"])
        year: int = link["year"]
        # A report delivered in Y (file year Y) sets the targets of Y and reviews Y-1.
        assert link["target"]["report"] == by_year.get(year), where
        following = by_year.get(year + 1)
        if link["actual"] is not None:
            assert link["actual"]["report"] == following, where
        if following is None:
            assert link["verdict"] == "unclear", where


def test_quotes_are_verbatim_short_and_carry_their_figures(label_path: Path) -> None:
    labels = _load(label_path)
    texts = _texts(labels["reports"])
    for i, link in enumerate(labels["links"]):
        for side in (link["target"], link["actual"]):
            if side is None:
                continue
            quote: str = side["quote"]
            where = (label_path.stem, i, link["indicator"], link["year"], quote)
            assert quote.strip() and len(quote) <= MAX_QUOTE_CHARS, where
            assert quote in texts[side["report"]], where
            assert "\n" not in quote and not _LITERAL_BREAK.search(quote), where
            values = [side["value"]] if side.get("value") is not None else []
            values += [side[k] for k in ("low", "high") if side.get(k) is not None]
            assert values, where
            for value in values:
                assert _written(value) in quote, (where, value)


def test_one_link_per_indicator_measure_and_year(label_path: Path) -> None:
    keys = [(link["indicator"], link["measure"], link["year"]) for link in _links(label_path)]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates


def test_the_national_series_keeps_the_well_known_gdp_pattern() -> None:
    # Issue 16's check: GDP targets 7.5% 左右 (2013, 2014), 7% 左右 (2015), 6.5–7% (2016) …
    gdp = {
        link["year"]: link
        for link in _links(TRACKING / "national_2013_2019.json")
        if link["indicator"] == "地区生产总值" and link["measure"] == "change"
    }
    assert sorted(gdp) == list(range(2013, 2020))
    assert [gdp[y]["target"]["value"] for y in (2013, 2014, 2015)] == [7.5, 7.5, 7]
    assert (gdp[2016]["target"]["low"], gdp[2016]["target"]["high"]) == (6.5, 7)
    assert [gdp[y]["actual"]["value"] for y in range(2013, 2019)] == [7.7, 7.4, 6.9, 6.7, 6.9, 6.6]
    assert gdp[2019]["verdict"] == "unclear"


def test_the_held_out_provinces_keep_their_2025_gdp_verdicts() -> None:
    # 2025 targets against the 2026 reports, which review 2025 and the five-year 十四五 term:
    # the year's growth is the actual, not the five-year levels beside it.
    gdp: dict[str, tuple[float, float, str]] = {}
    for name in ("heldout_hebei", "heldout_guangdong", "heldout_sichuan"):
        for link in _links(TRACKING / f"{name}.json"):
            key = (link["indicator"], link["measure"], link["year"])
            if key == ("地区生产总值", "change", 2025):
                gdp[name] = (link["target"]["value"], link["actual"]["value"], link["verdict"])
    assert gdp == {
        "heldout_hebei": (5, 5.6, "met"),
        "heldout_guangdong": (5, 3.9, "missed"),
        "heldout_sichuan": (5.5, 5.5, "met"),
    }


def test_a_gap_in_a_series_leaves_the_years_targets_unclear() -> None:
    # 高阳县 has no report on 2015 (delivered 2016): the 2015 report's targets have no next report.
    labels = _load(TRACKING / "heldout_gaoyang.json")
    assert [_file_year(r) for r in labels["reports"]] == [2015, 2017, 2018]
    verdicts = {link["verdict"] for link in labels["links"] if link["year"] == 2015}
    assert verdicts == {"unclear"}
