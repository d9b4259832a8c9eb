"""The Files and Batches endpoints, through the openai SDK.

Management calls are few and cheap, so the SDK's own retries (with its backoff and
Retry-After) cover their transport faults; a fault that outlasts them is one BackendError line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import openai
from openai.types import Batch

from summarizer.config import Settings
from summarizer.errors import BackendError
from summarizer.extract.llm.batchapi.lines import ENDPOINT
from summarizer.extract.llm.endpoint import DEFAULT_BASE_URL, api_key, public_url
from summarizer.extract.llm.redact import redact, secrets_of

__all__ = ["TERMINAL", "BatchJobs"]

TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})
T = TypeVar("T")


class BatchJobs:
    def __init__(self, settings: Settings) -> None:
        self._secret = api_key(settings)
        self._secrets = secrets_of(self._secret, settings.base_url)
        self.where = public_url(settings.base_url)
        self._client = openai.OpenAI(
            base_url=settings.base_url or DEFAULT_BASE_URL,
            api_key=self._secret,
            timeout=max(settings.timeout, 300.0),  # an upload of 200 MB takes a while
            max_retries=4,
        )

    def _do(self, what: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except openai.APIError as exc:
            status = getattr(exc, "status_code", None)
            # masked before it is cut: a cut could keep a prefix of the key that no mask finds
            detail = redact(" ".join(str(getattr(exc, "message", exc)).split()), self._secrets)
            detail = detail[:160]
            text = f"openai backend: {self.where}: {what} failed ({detail})"
            if status == 404:
                text += (
                    "; does this server have the Files and Batches API? (else: batch-api export)"
                )
            raise BackendError(redact(text, self._secrets), status=status) from None

    def upload(self, name: str, data: bytes) -> str:
        created = self._do(
            f"uploading {name}",
            lambda: self._client.files.create(file=(name, data), purpose="batch"),
        )
        return str(created.id)

    def create(self, file_id: str, metadata: dict[str, str]) -> Batch:
        return self._do(
            f"creating a batch of {file_id}",
            lambda: self._client.batches.create(
                input_file_id=file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata=metadata,
            ),
        )

    def find(self, file_id: str) -> Batch | None:
        """The batch made of `file_id`, if one was created (a run killed right after creating
        it never recorded its id)."""

        def search() -> Batch | None:
            for batch in self._client.batches.list(limit=100):
                if batch.input_file_id == file_id:
                    return batch
            return None

        return self._do("listing batches", search)

    def retrieve(self, batch_id: str) -> Batch:
        return self._do(f"polling {batch_id}", lambda: self._client.batches.retrieve(batch_id))

    def content(self, file_id: str) -> str:
        return self._do(f"downloading {file_id}", lambda: self._client.files.content(file_id).text)

    def close(self) -> None:
        self._client.close()
