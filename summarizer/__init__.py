"""summarizer: faithful one-page briefings of Chinese local-government work reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Settings", "Summary", "summarize"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from summarizer.config import Settings
    from summarizer.models import Summary
    from summarizer.pipeline import summarize


def __getattr__(name: str) -> Any:  # late imports keep `summarizer --help` fast
    if name == "summarize":
        from summarizer.pipeline import summarize

        return summarize
    if name == "Settings":
        from summarizer.config import Settings

        return Settings
    if name == "Summary":
        from summarizer.models import Summary

        return Summary
    raise AttributeError(name)
