"""Generate `schemas/*.json` from the pydantic models: `python -m summarizer.schemas [DIR]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from summarizer.models import LabelFile, Summary

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "summary.schema.json": Summary,
    "label.schema.json": LabelFile,
}


def render_schemas() -> dict[str, str]:
    """File name → JSON text, exactly as it is committed under `schemas/`."""
    return {
        name: json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
        for name, model in SCHEMA_MODELS.items()
    }


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_schemas().items():
        (out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
