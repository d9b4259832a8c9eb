"""Settings: flags > environment > defaults; the environment never switches the backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import Settings, load_settings
from summarizer.errors import ConfigError


def test_defaults_are_offline() -> None:
    s = load_settings(env={})
    assert s.backend == "rules"
    assert s.model is None and s.api_key is None
    assert s.cache_dir == Path("cache")


def test_key_or_base_url_alone_does_not_switch_backend() -> None:
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    s = load_settings(env=env)
    assert s.backend == "rules"
    assert s.base_url == "http://127.0.0.1:9/v1"


def test_env_backend_and_flag_precedence() -> None:
    env = {"SUMMARIZER_BACKEND": "openai", "SUMMARIZER_MODEL": "m-env"}
    assert load_settings(env=env).model == "m-env"
    assert load_settings(env=env, model="m-flag").model == "m-flag"
    assert load_settings(env=env, backend="rules").backend == "rules"
    # a flag that was not given (None) leaves the environment's value
    assert load_settings(env=env, model=None).model == "m-env"


def test_cache_dir_from_env(tmp_path: Path) -> None:
    s = load_settings(env={"SUMMARIZER_CACHE_DIR": str(tmp_path)})
    assert s.cache_dir == tmp_path


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        ({"backend": "gpt"}, "unknown backend 'gpt'"),
        ({"backend": "openai"}, "needs a model"),
        ({"mode": "xml"}, "unknown mode 'xml'"),
        ({"chunk_size": 10}, "chunk size"),
        ({"concurrency": 0}, "concurrency"),
    ],
)
def test_bad_settings_name_the_fix(flags: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        load_settings(env={}, **flags)


def test_api_key_is_not_in_repr() -> None:
    s = Settings(api_key="sk-test-SECRET")
    assert "SECRET" not in repr(s)
