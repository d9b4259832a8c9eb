"""Settings: flags > environment > defaults. The only module that reads `os.environ`.

SPEC: with a key or base URL set and no backend named, the backend is still `rules`; results
never change silently with the environment.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from summarizer.read.meta_table import MetaTable

__all__ = ["BACKENDS", "MODES", "Settings", "check_base_url", "debug_from_env", "load_settings"]

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
    timeout: float = 60.0  # seconds between reads of one HTTP call
    deadline: float = 300.0  # seconds one HTTP call may take in all (connect, headers, body)
    max_retries: int = 2  # validation re-asks
    max_attempts: int = 5  # transport attempts (tenacity)
    max_wait: float = 120.0  # total seconds spent waiting between transport attempts
    concurrency: int = 4
    chunk_size: int = 2500
    cache_dir: Path = Path("cache")
    use_cache: bool = True
    max_bytes: int = 50 * 1024 * 1024
    debug: bool = False
    meta: MetaTable | None = None  # --meta FILE: entity/year/kind the text does not say

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
        if self.backend == "openai" and self.base_url is not None:
            # Only where it is used: a stray OPENAI_BASE_URL must not stop an offline run.
            check_base_url(self.base_url, self.api_key)
        if self.chunk_size < 200:
            raise ConfigError(f"chunk size must be at least 200 characters, got {self.chunk_size}")
        if not self.deadline > 0:  # also NaN
            raise ConfigError(f"deadline must be a positive number of seconds, got {self.deadline}")
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {self.concurrency}")
        return self


# A host name's labels: letters, digits, hyphens inside, and the underscore that container
# and intranet names (docker-compose services) use.
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?", re.IGNORECASE)
_IPV4_LIKE = re.compile(r"[0-9.]+")


def _idna(host: str) -> str:
    """`host` in its ASCII form, with the encoder the HTTP client uses (idna, IDNA 2008),
    else with Python's own codec."""
    try:
        import idna
    except ImportError:
        return host.encode("idna").decode("ascii")
    return str(idna.encode(host.lower()).decode("ascii"))


def _host_problem(host: str, bracketed: bool) -> str | None:
    """Why `host` (from a URL, without port) cannot be connected to, or None."""
    if bracketed or ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"{host!r} is not an IPv6 address"
        return None
    if _IPV4_LIKE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f"{host!r} is not an IPv4 address"
        return None
    if not host.isascii():
        try:
            host = _idna(host)
        except UnicodeError:  # idna's IDNAError is one
            return f"{host!r} is not a valid host name"
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"{host!r} is not a valid host name"
    return None


def _url_problem(url: str) -> str | None:
    if any(c.isspace() or not c.isprintable() for c in url):
        return "it contains a space or control character"
    try:
        parts = urlsplit(url)
        port = parts.port  # a non-number or out of range raises
    except ValueError as exc:
        return str(exc)
    if parts.scheme.lower() not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    if port == 0:
        return "port 0 cannot be connected to"
    return _host_problem(parts.hostname, bracketed="[" in parts.netloc)


def _shown(url: str, api_key: str | None) -> str:
    """`url` fit for a message: no user:password part, query, or anything like a key."""
    url = re.sub(r"(//)[^/?#]*@", r"\1***@", url)
    url = re.sub(r"\?.*", "?***", url)
    if api_key:
        url = url.replace(api_key, "***")
    return re.sub(r"sk-[\w-]{6,}", "sk-***", url)


def check_base_url(url: str, api_key: str | None = None) -> None:
    """ConfigError (one line, exit 2) unless `url` is an http(s) URL with a usable host: a
    placeholder such as "https://…/v1" fails here at once, not after five connection attempts."""
    problem = _url_problem(url)
    if problem is not None:
        raise ConfigError(
            f"invalid base URL {_shown(url, api_key)!r} (--base-url or OPENAI_BASE_URL): {problem}"
        )


def debug_from_env(env: dict[str, str] | None = None) -> bool:
    """SUMMARIZER_DEBUG=1: show tracebacks (read before any flag is parsed)."""
    env = dict(os.environ) if env is None else env
    return env.get("SUMMARIZER_DEBUG", "").lower() not in ("", "0", "false")


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    value = env.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}") from None


def load_settings(env: dict[str, str] | None = None, **flags: Any) -> Settings:
    """Build settings from the environment, then apply command-line flags (non-None win)."""
    env = dict(os.environ) if env is None else env
    base = Settings(
        backend=env.get("SUMMARIZER_BACKEND") or "rules",
        model=env.get("SUMMARIZER_MODEL") or None,
        base_url=env.get("OPENAI_BASE_URL") or None,
        api_key=env.get("OPENAI_API_KEY") or None,
        cache_dir=Path(env.get("SUMMARIZER_CACHE_DIR") or "cache"),
        deadline=_seconds(env, "SUMMARIZER_DEADLINE", Settings.deadline),
        debug=debug_from_env(env),
    )
    return base.with_(**flags).validate()
