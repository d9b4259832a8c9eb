"""summarizer: faithful one-page briefings of Chinese local-government work reports."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["Settings", "Summary", "render_html", "render_markdown", "run_batch", "summarize"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from summarizer.batch import run_batch
    from summarizer.config import Settings
    from summarizer.models import Summary
    from summarizer.pipeline import summarize
    from summarizer.render.pages import render_html, render_markdown

# Imported on first use: `summarizer --help` imports this package, and must stay fast.
_HOMES = {
    "Settings": "summarizer.config",
    "Summary": "summarizer.models",
    "summarize": "summarizer.pipeline",
    "run_batch": "summarizer.batch",
    "render_markdown": "summarizer.render.pages",
    "render_html": "summarizer.render.pages",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
