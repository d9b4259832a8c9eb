"""The exception tree. Every message is one line a user can act on.

SummarizerError
├── ConfigError        unknown backend or mode, missing model or key, bad flag or argument
├── InputError         unreadable report or label file (names the file and the reason)
├── BackendError       transport still failing after retries, or a rejected request
│   ├── ExtractionError    validation re-asks exhausted
│   └── TruncatedOutput    the model stopped at its length limit
├── CacheError         cache directory unusable (corrupt, locked, not writable)
├── OutputError        OUTDIR not writable
└── InternalError      a broken invariant; a bug in summarizer
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BackendError",
    "CacheError",
    "ConfigError",
    "ExtractionError",
    "InputError",
    "InternalError",
    "OutputError",
    "SummarizerError",
    "TruncatedOutput",
    "failure_line",
    "same_id",
    "shown",
]


def shown(path: str | Path) -> str:
    """A file name as messages write it: as it is when every character is printable, else
    quoted with escapes (repr), so that a newline or an escape sequence in a name can neither
    split a one-line error nor reach the terminal. Only then: most names need no quotes."""
    text = str(path)
    return text if text.isprintable() else repr(text)


class SummarizerError(Exception):
    """Root of every error summarizer raises on purpose."""

    exit_code = 1


class ConfigError(SummarizerError):
    exit_code = 2


class InputError(SummarizerError):
    """A report or label file that cannot be used; the message names the file."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{shown(self.path)}: {reason}")


def same_id(path: str | Path, report_id: str, holder: Path) -> InputError:
    """A second file of one report id: its <id>.* outputs would overwrite `holder`'s."""
    return InputError(path, f"same report id {report_id!r} as {shown(holder.name)}")


class BackendError(SummarizerError):
    def __init__(
        self,
        message: str,
        *,
        backend: str = "openai",
        model: str | None = None,
        status: int | None = None,
    ) -> None:
        self.backend = backend
        self.model = model
        self.status = status
        super().__init__(message)


class ExtractionError(BackendError):
    pass


class TruncatedOutput(BackendError):
    pass


class CacheError(SummarizerError):
    pass


class OutputError(SummarizerError):
    pass


class InternalError(SummarizerError):
    pass


def failure_line(path: str | Path, exc: Exception) -> str:
    """The one line that names the report `path` and why it failed. A bug must not cost the
    user the rest of a batch, so it becomes a line too, pointing at --debug."""
    if isinstance(exc, SummarizerError):
        return str(exc) if shown(path) in str(exc) else f"{shown(path)}: {exc}"
    return f"{shown(path)}: internal error ({type(exc).__name__}: {exc}); rerun with --debug"
