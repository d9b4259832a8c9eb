"""The hand labels (evals/labels/*.json) are the yardstick of every eval: they must fit their
reports exactly. A quote that drifted from the report text, a metric whose value its quote does
not carry, or a seed without labels would silently skew every score computed from them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.lexicon.numbers import number_forms, value_in_quote
from summarizer.models import LabelFile, LabelItem, LabelMetric
from summarizer.read.source import read_report
from tests.conftest import ROOT, SEEDS

LABELS = ROOT / "evals" / "labels"
LABEL_FILES = sorted(LABELS.glob("*.json"))
# Every labelled set: the seeds, the held-out written reports and the real corpus reports.
LABEL_SETS = {
    LABELS: SEEDS,
    ROOT / "evals" / "varied" / "labels": ROOT / "evals" / "varied" / "reports",
    ROOT / "evals" / "real" / "labels": ROOT / "evals" / "real" / "reports",
}
ALL_LABEL_FILES = sorted(p for folder in LABEL_SETS for p in folder.glob("*.json"))
MAX_QUOTE_CHARS = 200
ITEM_KEYS = ("achievements", "problems", "plans")


def _load(path: Path) -> LabelFile:
    return LabelFile.model_validate_json(path.read_text(encoding="utf-8"))


def _report_text(labels: LabelFile, label_path: Path) -> str:
    return read_report(LABEL_SETS[label_path.parent] / f"{labels.report}.txt").text


def _all_quotes(labels: LabelFile) -> list[tuple[str, int, str]]:
    quotes = [("metrics", i, m.quote) for i, m in enumerate(labels.metrics)]
    for key in ITEM_KEYS:
        items: list[LabelItem] = getattr(labels, key)
        quotes += [(key, i, item.quote) for i, item in enumerate(items)]
    return quotes


def test_every_seed_has_a_label_file_and_every_label_file_a_seed() -> None:
    seeds = {p.stem for p in SEEDS.glob("*.txt")}
    labelled = {p.stem for p in LABEL_FILES}
    assert seeds, "no seed reports found"
    assert seeds == labelled


@pytest.mark.parametrize(("labels", "reports"), list(LABEL_SETS.items())[1:])
def test_every_labelled_report_is_kept_beside_its_labels(labels: Path, reports: Path) -> None:
    assert {p.stem for p in labels.glob("*.json")} == {p.stem for p in reports.glob("*.txt")}


@pytest.fixture(params=ALL_LABEL_FILES, ids=[p.stem[:24] for p in ALL_LABEL_FILES])
def label_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_label_file_validates_and_names_its_report(label_path: Path) -> None:
    labels = _load(label_path)
    assert labels.report == label_path.stem
    # The labelled year is a plausible year under review, and a kind is always given.
    assert labels.meta.year is not None and 1990 <= labels.meta.year <= 2100
    assert labels.meta.kind is not None


def test_quotes_are_verbatim_short_and_non_empty(label_path: Path) -> None:
    labels = _load(label_path)
    text = _report_text(labels, label_path)
    for key, i, quote in _all_quotes(labels):
        assert quote.strip(), (key, i)
        assert len(quote) <= MAX_QUOTE_CHARS, (key, i, len(quote))
        assert quote in text, (key, i, quote)


def test_metric_value_and_change_are_written_in_the_quote(label_path: Path) -> None:
    labels = _load(label_path)
    text = _report_text(labels, label_path)
    for metric in labels.metrics:
        assert value_in_quote(metric.value, metric.quote), (metric.name, metric.value)
        assert metric.unit.strip(), metric.name
        # SPEC: the value is written as in the report, with its unit right after it ("4.01亿元"),
        # or after 多/余 ("600多万套"), or — where the text is hard-wrapped — at the start of the
        # next line, the quote ending with the value.
        forms = number_forms(metric.value)
        written = {form + gap + metric.unit for form in forms for gap in ("", "多", "余")}
        wrapped = any(metric.quote.endswith(form) for form in forms) and text.split(
            metric.quote, 1
        )[1].lstrip(" \n\u200b\u3000").startswith(metric.unit)
        assert wrapped or any(w in metric.quote for w in written), (metric.name, metric.value)
        if metric.change_pct is not None:
            # "同比减少14.4%" is labelled -14.4: the written magnitude must be in the quote.
            assert value_in_quote(abs(metric.change_pct), metric.quote), metric.name


def test_items_have_text_and_no_item_is_labelled_twice(label_path: Path) -> None:
    labels = _load(label_path)
    for key in ITEM_KEYS:
        items: list[LabelItem] = getattr(labels, key)
        assert all(item.text.strip() for item in items), key
        quotes = [item.quote for item in items]
        assert len(quotes) == len(set(quotes)), f"{key}: the same quote labelled twice"


def test_entity_when_given_is_written_in_the_report(label_path: Path) -> None:
    labels = _load(label_path)
    entity = labels.meta.entity
    if entity is not None:
        # In full, or short as a city names itself (嘉兴 for 嘉兴市).
        assert entity in _report_text(labels, label_path) or entity[:-1] in _report_text(
            labels, label_path
        )


def test_label_files_are_utf8_json_objects_with_all_sections(label_path: Path) -> None:
    raw = json.loads(label_path.read_text(encoding="utf-8"))
    assert set(raw) == {"report", "meta", "metrics", "achievements", "problems", "plans"}


def test_every_metric_writes_out_every_version_2_field(label_path: Path) -> None:
    # A key left out reads as null and would be scored as a decision nobody took.
    raw = json.loads(label_path.read_text(encoding="utf-8"))
    keys = {"measure", "direction", "bound", "low", "high", "span", "reference_year"}
    for i, metric in enumerate(raw["metrics"]):
        assert keys <= set(metric), (i, metric["name"], sorted(keys - set(metric)))
        assert metric["measure"] is not None, (i, metric["name"])


def test_figure_fields_agree_with_each_other_the_quote_and_the_year(label_path: Path) -> None:
    check = _check_labels_module()
    labels = _load(label_path)
    text = _report_text(labels, label_path)
    for metric in labels.metrics:
        tail = check.wrapped_tail(text, metric.quote)
        assert check.figure_errors(metric, labels.meta.year, tail) == [], metric.name


# --- scripts/check_labels.py, the labeller's helper -------------------------------------------


def _check_labels_module() -> ModuleType:
    path = ROOT / "scripts" / "check_labels.py"
    spec = importlib.util.spec_from_file_location("check_labels", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_labels", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("labels", "reports"), list(LABEL_SETS.items()))
def test_check_labels_passes_on_every_label_set(labels: Path, reports: Path) -> None:
    check = _check_labels_module()
    assert check.main(["--labels", str(labels), "--reports", str(reports)]) == 0


def test_check_labels_reports_each_broken_field(tmp_path: Path) -> None:
    check = _check_labels_module()
    reports = tmp_path / "reports"
    labels_dir = tmp_path / "labels"
    reports.mkdir()
    labels_dir.mkdir()
    (reports / "r1.txt").write_text(
        "一般公共预算收入1.04亿元,同比增长11%。\r\n一是经济下行。", "utf-8"
    )
    (reports / "r2.txt").write_text("无标注的报告。", "utf-8")
    bad = {
        "report": "other",
        "meta": {"entity": None, "year": 2020, "kind": "annual"},
        "metrics": [
            {"name": "收入", "value": 2.5, "unit": "亿元", "quote": "一般公共预算收入1.04亿元"},
            {
                "name": "收入",
                "value": 1.04,
                "unit": "亿元",
                "change_pct": 12,
                "quote": "一般公共预算收入1.04亿元,同比增长11%",
            },
        ],
        "problems": [{"text": "下行", "quote": "二是经济下行"}, {"text": "x", "quote": "经" * 201}],
    }
    path = labels_dir / "r1.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    errors, labels = check.check_label_file(path, reports)
    assert labels is not None
    joined = "\n".join(errors)
    assert "report field 'other'" in joined
    assert "value 2.5 not written" in joined
    assert "change 12 not written" in joined
    assert "problems[0]: quote not in report" in joined
    assert "problems[1]: quote has 201 chars" in joined
    # The clean metric (CRLF in the file is read as "\n") raises nothing of its own.
    assert not any("metrics[1]" in e and "value" in e for e in errors)
    assert check.main(["--labels", str(labels_dir), "--reports", str(reports)]) == 1


def test_check_labels_rejects_a_label_file_of_the_wrong_shape(tmp_path: Path) -> None:
    check = _check_labels_module()
    path = tmp_path / "r1.json"
    path.write_text(json.dumps({"report": "r1", "metrics": [{"name": "x"}]}), "utf-8")
    errors, labels = check.check_label_file(path, tmp_path)
    assert labels is None
    assert len(errors) == 1 and "invalid label file" in errors[0]


def _figure(**fields: object) -> LabelMetric:
    """A labelled metric that is right as it stands: 固定资产投资下降3.2%, a 2024 result."""
    base: dict[str, object] = {
        "name": "固定资产投资",
        "value": 3.2,
        "unit": "%",
        "status": "actual",
        "change_pct": -3.2,
        "quote": "固定资产投资同比下降3.2%",
        "measure": "change",
        "direction": "down",
        "span": "year",
        "reference_year": 2024,
    }
    return LabelMetric.model_validate(base | fields)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, None),
        ({"direction": "up", "change_pct": 3.2}, "the quote writes down before it"),
        ({"change_pct": 3.2}, "change_pct 3.2 should be -3.2"),
        ({"change_pct": None}, "change_pct None should be -3.2"),
        ({"direction": None}, "a change figure needs a direction"),
        ({"measure": "level", "change_pct": None}, "a level has no direction"),
        ({"unit": "个百分点", "quote": "下降3.2个百分点"}, "null for a change in 个百分点"),
        ({"bound": "about"}, "bound about but no word of it"),
        ({"bound": "at_least", "quote": "固定资产投资下降3.2%左右"}, "bound at_least"),
        ({"low": 3.2, "high": 4.0}, "low/high without a range"),
        ({"reference_year": 2031}, "reference_year 2031 is far from the year reviewed"),
        ({"reference_year": 2025}, "an actual figure for 2025, after the year reviewed"),
        ({"status": "target", "reference_year": 2023}, "a target for 2023, before"),
    ],
)
def test_check_labels_reports_each_wrong_figure_field(
    fields: dict[str, object], error: str | None
) -> None:
    check = _check_labels_module()
    errors = check.figure_errors(_figure(**fields), 2024)
    if error is None:
        assert errors == []
    else:
        assert any(error in e for e in errors), errors


def test_a_range_is_checked_end_to_end() -> None:
    check = _check_labels_module()
    quote = "固定资产投资增长5%-6%"
    right = {"quote": quote, "direction": "up", "value": 5, "change_pct": 5, "bound": "range"}
    assert check.figure_errors(_figure(**right, low=5, high=6), 2024) == []
    errors = check.figure_errors(_figure(**right, low=5, high=7), 2024)
    assert errors == ["range end 7 not written in the quote"]
    errors = check.figure_errors(_figure(**right, low=4, high=6), 2024)
    assert errors == ["a range needs value == low < high (low 4.0, high 6.0)"]


def test_a_bound_cut_off_by_a_hard_wrap_is_read_on_the_next_line() -> None:
    check = _check_labels_module()
    text = "主要预期目标是：地区生产总值增长6%左\n\n右，一般公共预算收入增长5%左右"
    quote = "地区生产总值增长6%左"
    tail = check.wrapped_tail(text, quote)
    metric = _figure(
        quote=quote, value=6, change_pct=6, direction="up", bound="about", status="target"
    )
    assert tail.startswith("右")
    assert check.figure_errors(metric, 2024, tail) == []
    # Mid-line, what follows the quote is no part of it.
    assert check.wrapped_tail(text, "地区生产总值增长6%") == ""


def test_check_labels_names_a_metric_without_the_version_2_fields(tmp_path: Path) -> None:
    check = _check_labels_module()
    (tmp_path / "r1.txt").write_text("地区生产总值增长5%。", "utf-8")
    metric = {"name": "地区生产总值", "value": 5, "unit": "%", "quote": "地区生产总值增长5%"}
    label = {"report": "r1", "meta": {"year": 2024}, "metrics": [metric | {"measure": "change"}]}
    path = tmp_path / "r1.json"
    path.write_text(json.dumps(label, ensure_ascii=False), "utf-8")
    errors, _ = check.check_label_file(path, tmp_path)
    assert "r1.json: metrics[0]: no direction, bound, low, high, span, reference_year" in errors
