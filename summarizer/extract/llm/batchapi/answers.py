"""What the Batch API answered, as the openai backend serves it when assembling reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.errors import ExtractionError
from summarizer.extract.backend import ChunkResult, ExtractionStats
from summarizer.extract.llm.packing import LLMCall

__all__ = ["BatchAnswers"]


@dataclass
class BatchAnswers:
    """`answered`: the accounting of each call answered in this run (its answer is in the
    cache); `failed`: why a call has no answer. A call in neither was never asked."""

    model: str | None
    answered: dict[str, ExtractionStats] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def missing(self, call: LLMCall, cid: str) -> tuple[list[ChunkResult], ExtractionStats]:
        """A call the cache cannot serve: the report fails, and no live call is made."""
        why = self.failed.get(cid) or "no answer from the batches"
        raise ExtractionError(
            f"openai backend: {call.label}: {why}; run the same command again to retry",
            model=self.model,
        )
