"""schemas/*.json are generated from the pydantic models and must not drift."""

from __future__ import annotations

from summarizer.models import CATEGORIES, Summary
from summarizer.schemas import render_schemas

from .conftest import ROOT


def test_committed_schemas_match_models() -> None:
    for name, text in render_schemas().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run python -m summarizer.schemas"


def test_summary_schema_has_the_spec_fields_and_enums() -> None:
    schema = Summary.model_json_schema()
    assert set(schema["required"]) >= {"report", "run"}
    assert {"schema_version", "achievements", "metrics", "problems", "plans"} <= set(
        schema["properties"]
    )
    defs = schema["$defs"]
    assert set(defs["ReportMeta"]["properties"]["kind"]["enum"]) == {
        "annual",
        "half_year",
        "multi_year",
        "other",
    }
    assert set(defs["Metric"]["properties"]["status"]["enum"]) == {"actual", "forecast", "target"}
    assert set(defs["Plan"]["properties"]["horizon"]["enum"]) == {
        "next_year",
        "second_half",
        "multi_year",
        "unspecified",
    }
    assert set(defs["Achievement"]["properties"]["category"]["enum"]) == set(CATEGORIES)
