"""Settings: flags > environment > defaults. The only module that reads `os.environ`.

SPEC: with a key or base URL set and no backend named, the backend is still `rules`; results
never change silently with the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError

__all__ = ["BACKENDS", "MODES", "Settings", "debug_from_env", "load_settings"]

BACKENDS = ("rules", "openai")
MODES = ("tools", "json_schema", "json", "md_json")


@dataclass(frozen=True)
class Settings:
    backend: str = "rules"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed, cached or written
    mode: str | None = None  # None: chosen per endpoint by the openai backend
    temperature: float = 0.0
    timeout: float = 60.0
    max_retries: int = 2  # validation re-asks
    max_attempts: int = 5  # transport attempts (tenacity)
    max_wait: float = 120.0  # total seconds spent waiting between transport attempts
    concurrency: int = 4
    chunk_size: int = 2500
    cache_dir: Path = Path("cache")
    use_cache: bool = True
    max_bytes: int = 50 * 1024 * 1024
    debug: bool = False

    def with_(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; `None` values are ignored (flag not given)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def validate(self) -> Settings:
        if self.backend not in BACKENDS:
            raise ConfigError(
                f"unknown backend {self.backend!r}: choose one of {', '.join(BACKENDS)}"
            )
        if self.mode is not None and self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")
        if self.backend == "openai" and not self.model:
            raise ConfigError(
                "the openai backend needs a model: pass --model or set SUMMARIZER_MODEL"
            )
        if self.chunk_size < 200:
            raise ConfigError(f"chunk size must be at least 200 characters, got {self.chunk_size}")
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {self.concurrency}")
        return self


def debug_from_env(env: dict[str, str] | None = None) -> bool:
    """SUMMARIZER_DEBUG=1: show tracebacks (read before any flag is parsed)."""
    env = dict(os.environ) if env is None else env
    return env.get("SUMMARIZER_DEBUG", "").lower() not in ("", "0", "false")


def load_settings(env: dict[str, str] | None = None, **flags: Any) -> Settings:
    """Build settings from the environment, then apply command-line flags (non-None win)."""
    env = dict(os.environ) if env is None else env
    base = Settings(
        backend=env.get("SUMMARIZER_BACKEND") or "rules",
        model=env.get("SUMMARIZER_MODEL") or None,
        base_url=env.get("OPENAI_BASE_URL") or None,
        api_key=env.get("OPENAI_API_KEY") or None,
        cache_dir=Path(env.get("SUMMARIZER_CACHE_DIR") or "cache"),
        debug=debug_from_env(env),
    )
    return base.with_(**flags).validate()
