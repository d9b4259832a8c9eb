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


def _openai(base_url: str, **env: str) -> dict[str, str]:
    return {
        "SUMMARIZER_BACKEND": "openai",
        "SUMMARIZER_MODEL": "m",
        **env,
        "OPENAI_BASE_URL": base_url,
    }


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://…/v1", "'…' is not a valid host name"),  # the README's placeholder
        ("notaurl", "must start with http:// or https://"),
        ("localhost:8000/v1", "must start with http:// or https://"),
        ("ftp://example.com/v1", "must start with http:// or https://"),
        ("https:///v1", "names no host"),
        ("https://exa mple.com/v1", "space"),
        ("https://example.com/v1\n", "control character"),
        ("https://☃.com/v1", "not a valid host name"),  # IDNA 2008 refuses symbols
        ("http://a..b/v1", "'a..b' is not a valid host name"),
        ("http://-x-.com/v1", "not a valid host name"),
        ("http://999.1.1.1/v1", "not an IPv4 address"),
        ("http://host:port/v1", "Port"),
        ("http://host:70000/v1", "Port out of range"),
    ],
)
def test_a_malformed_base_url_is_a_usage_error_naming_the_problem(url: str, problem: str) -> None:
    with pytest.raises(ConfigError, match="invalid base URL") as info:
        load_settings(env=_openai(url))
    assert problem in str(info.value)
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "HTTP://LOCALHOST:11434/v1",
        "http://127.0.0.1:8080/v1",
        "http://[::1]:8000/v1",
        "http://ollama:11434/v1",  # a docker-compose service name
        "http://my_llm:8000/v1",
        "https://例子.测试/v1",
        "https://api.example.com./v1",
    ],
)
def test_a_well_formed_base_url_is_taken(url: str) -> None:
    assert load_settings(env=_openai(url)).base_url == url


def test_an_invalid_base_url_message_never_shows_a_key() -> None:
    key = "sk-test-SECRET123"
    for url in (f"ftp://user:{key}@host/v1", f"ftp://host/v1?api_key={key}", key):
        with pytest.raises(ConfigError) as info:
            load_settings(env=_openai(url, OPENAI_API_KEY=key))
        assert "SECRET" not in str(info.value), str(info.value)


def test_a_stray_base_url_does_not_stop_the_offline_backend() -> None:
    assert load_settings(env={"OPENAI_BASE_URL": "https://…/v1"}).backend == "rules"


def test_settings_made_in_python_are_checked_by_the_openai_backend(tmp_path: Path) -> None:
    from summarizer.extract.llm.backend import OpenAIBackend

    settings = Settings(backend="openai", model="m", base_url="https://…/v1", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="invalid base URL"):
        OpenAIBackend(settings)
