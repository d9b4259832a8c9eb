"""The LLM cache: keys, JSON values, multi-process reads, broken cache folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.config import Settings
from summarizer.errors import CacheError
from summarizer.extract.backend import get_backend
from summarizer.extract.llm.cache import LLMCache, clear_cache, make_key
from summarizer.extract.llm.replies import ChunkExtraction, locate, output_item
from summarizer.pipeline import summarize

from .conftest import ROOT
from .openai_server import ScriptedServer

PARTS = {"backend": "openai", "model": "m", "temperature": 0.0, "messages": [{"c": "正文"}]}


def test_key_is_canonical_and_sensitive_to_every_part() -> None:
    assert make_key(PARTS) == make_key(dict(reversed(list(PARTS.items()))))
    assert make_key(PARTS).startswith("c1:")
    for name, other in [("model", "m2"), ("temperature", 0.1), ("messages", [{"c": "正文。"}])]:
        assert make_key({**PARTS, name: other}) != make_key(PARTS)


def test_key_refuses_secrets() -> None:
    with pytest.raises(ValueError, match="secrets"):
        make_key({**PARTS, "api_key": "sk-x"})


def test_values_round_trip_between_processes(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path)
    cache.set("k", {"extraction": {"plans": []}, "n": 3, "文": "字"})
    cache.close()
    code = (
        "import sys; from pathlib import Path; from summarizer.extract.llm.cache import LLMCache;"
        f"print(LLMCache(Path({str(tmp_path)!r})).get('k'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == str({"extraction": {"plans": []}, "n": 3, "文": "字"})
    assert LLMCache(tmp_path).get("missing") is None


def test_set_many_stores_all_entries_or_none(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path / "c")
    cache.set_many({"a": {"n": 1}, "b": {"n": 2}})
    assert (cache.get("a"), cache.get("b")) == ({"n": 1}, {"n": 2})
    with pytest.raises(TypeError):  # the third value cannot be stored: nothing is
        cache.set_many({"c": {"n": 3}, "d": {"n": 4}, "e": {"n": object()}})
    assert cache.get("c") is None and cache.stats().entries == 2
    cache.close()


def test_stats_and_clear(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path)
    for i in range(3):
        cache.set(f"k{i}", {"i": i})
    assert cache.stats().entries == 3
    cache.close()
    assert clear_cache(tmp_path) == 3
    assert LLMCache(tmp_path).stats().entries == 0


def test_corrupt_cache_is_a_cache_error_and_clear_rebuilds_it(tmp_path: Path) -> None:
    LLMCache(tmp_path).close()
    (tmp_path / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(CacheError) as info:
        LLMCache(tmp_path)
    assert str(tmp_path) in str(info.value) and "cache clear" in str(info.value)
    clear_cache(tmp_path)
    cache = LLMCache(tmp_path)
    cache.set("k", {"v": 1})
    assert cache.get("k") == {"v": 1}


def test_cache_dir_that_is_a_file_is_a_cache_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CacheError, match="unusable"):
        LLMCache(target)


def test_tampered_entry_is_a_miss_never_a_wrong_answer(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("一、工作回顾\n全年完成税收12.5亿元，同比增长3.2%。\n", encoding="utf-8")
    with ScriptedServer() as srv:
        settings = Settings(
            backend="openai", model="m", base_url=srv.url, api_key="k", cache_dir=tmp_path / "c"
        )
        first = summarize(report, settings, get_backend(settings))
        cache = LLMCache(tmp_path / "c")
        (key,) = list(cache._cache)
        forged = {"achievements": [{"title": "假", "quote": "不在原文中的句子"}]}
        cache.set(key, {"extraction": forged, "dropped": 0})
        cache.close()
        again = summarize(report, settings, get_backend(settings))
        assert len(srv.requests) == 2 and again.run.cache_hits == 0
        assert again.metrics == first.metrics


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=80), st.data())
def test_grounded_offsets_index_the_whole_report(chunk_text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(chunk_text) - 1))
    end = data.draw(st.integers(start + 1, len(chunk_text)))
    quote = chunk_text[start:end].strip()
    if not quote:
        return
    prefix = data.draw(st.text(max_size=20))
    extraction = ChunkExtraction.model_validate(
        {"problems": [{"title": "t", "quote": quote}]}, context={"chunk_text": chunk_text}
    )
    (found,), dropped = locate(extraction, chunk_text)
    ev = output_item(found.kind, found.item, len(prefix) + found.pos).evidence
    assert dropped == 0 and (prefix + chunk_text)[ev.start : ev.end] == quote


def test_cli_cache_stats_and_clear_a_corrupt_cache(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app

    cache = LLMCache(tmp_path)
    cache.set("k", {"v": 1})
    cache.close()
    runner = CliRunner()
    stats = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert stats.exit_code == 0 and "1 entries" in stats.output
    (tmp_path / "cache.db").write_bytes(b"garbage" * 500)
    broken = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert broken.exit_code == 1 and "cache clear" in broken.output
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert cleared.exit_code == 0
    again = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert again.exit_code == 0 and "0 entries" in again.output
