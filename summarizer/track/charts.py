"""The charts of a tracking run, each drawn once: in worker processes when jobs > 1, and kept
in the chart cache so that a rerun draws only the charts whose data changed.

The chart cache shares the LLM cache's folder and store (--cache-dir; none with --no-cache):
JSON values under `c1:` keys, cleared by `summarizer cache clear`. A chart's key holds all its
SVG is made of: its links (years, figures, verdicts), the folder its links point into, the salt
of its ids and the tolerance, with the code's version, matplotlib's and the rcParams it is
drawn in. A cache that cannot be opened or read costs only the time of drawing every chart.

A chart that raises fails alone, as does a worker that dies with the charts it held: each is a
`Failed` in its place, for the caller to fail its page.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote

from summarizer.errors import CacheError
from summarizer.pool import Failed, map_in_workers
from summarizer.track.chart import indicator_chart
from summarizer.track.figures import Figure
from summarizer.track.link import Link

__all__ = ["ChartJob", "draw_chart", "draw_charts", "source_href"]

# Charts per worker task: few enough that the workers finish together, enough that sending
# the tasks costs little beside drawing them (12–20 ms a chart).
_TASKS_PER_WORKER = 10
_LEAST_PER_TASK = 4


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: an indicator's links (of one measure) and what its SVG's links and
    ids are made of."""

    links: tuple[Link, ...]
    salt: str  # makes the SVG's ids unique on its page
    source_base: str  # the folder, relative to the page, of the reports' source views
    tolerance_pp: float


def source_href(source_base: str, f: Figure) -> str:
    """The link to a figure's sentence in its report's source view."""
    return f"{source_base}{quote(f.report_id)}.source.html#{f.anchor}"


def draw_chart(job: ChartJob) -> str:
    href = partial(source_href, job.source_base)
    return indicator_chart(job.links, href, job.salt, job.tolerance_pp)


def draw_charts(
    jobs: Sequence[ChartJob], workers: int = 1, cache_dir: Path | None = None
) -> list[str | Failed]:
    """Each job's SVG, or why it could not be drawn, in the jobs' order: from the cache in
    `cache_dir` (if any) where it holds the chart, else drawn (in `workers` processes when
    more than one) and stored there."""
    cache = _ChartCache.open(cache_dir) if jobs else None
    keys = cache.keys(jobs) if cache else []
    found = cache.get_many(keys) if cache else {}
    done: dict[int, str | Failed] = {i: found[k] for i, k in enumerate(keys) if k in found}
    todo = [i for i in range(len(jobs)) if i not in done]
    done.update(zip(todo, _draw([jobs[i] for i in todo], workers), strict=True))
    if cache:
        new = {keys[i]: svg for i in todo if isinstance(svg := done[i], str)}
        if new:
            cache.put_many(new)
        cache.close()
    return [done[i] for i in range(len(jobs))]


def _draw_each(jobs: Sequence[ChartJob]) -> list[str | Failed]:
    """Each chart's SVG or why it failed: one chart's fault costs no other."""
    drawn: list[str | Failed] = []
    for job in jobs:
        try:
            drawn.append(draw_chart(job))
        except Exception as exc:  # a line for its page: not every exception pickles
            drawn.append(Failed(f"{type(exc).__name__}: {exc}"))
    return drawn


def _draw(jobs: Sequence[ChartJob], workers: int) -> list[str | Failed]:
    size = max(_LEAST_PER_TASK, math.ceil(len(jobs) / (workers * _TASKS_PER_WORKER)))
    if workers <= 1 or len(jobs) <= size + 1:  # a pool would cost more than it saves
        return _draw_each(jobs)
    # The first chart here: the forked workers inherit what it loaded (matplotlib, the CJK
    # fonts, the canvas), which each would load again, 0.2–0.5 s, before its first chart.
    first = _draw_each(jobs[:1])
    tasks = [jobs[i : i + size] for i in range(1, len(jobs), size)]  # in the pages' order
    drawn: list[list[str | Failed]] = [first] + [[] for _ in tasks]
    for i, result in map_in_workers(_draw_each, tasks, workers):
        drawn[i + 1] = [result] * len(tasks[i]) if isinstance(result, Failed) else result
    return [svg for task in drawn for svg in task]


class _ChartCache:
    """The charts in the LLM cache's store, under keys of their own."""

    def __init__(self, directory: Path) -> None:
        from summarizer.extract.llm.cache import LLMCache

        self._store = LLMCache(directory)
        self._style = _style()

    @classmethod
    def open(cls, directory: Path | None) -> _ChartCache | None:
        if directory is None:
            return None
        try:
            return cls(directory)
        except CacheError:  # locked or unusable: the charts are drawn, as without a cache
            return None

    def keys(self, jobs: Sequence[ChartJob]) -> list[str]:
        from summarizer.corpus.incremental import code_version
        from summarizer.extract.llm.cache import make_key

        made = {"code": code_version(), "style": self._style}
        return [make_key({"chart": repr(job), **made}) for job in jobs]

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        try:
            values = {key: self._store.get(key) for key in keys}
        except CacheError:
            return {}
        return {k: v["svg"] for k, v in values.items() if v and isinstance(v.get("svg"), str)}

    def put_many(self, svgs: dict[str, str]) -> None:
        with suppress(CacheError):  # not stored: the next run draws them again
            self._store.set_many({key: {"svg": svg} for key, svg in svgs.items()})

    def close(self) -> None:
        self._store.close()


# rcParams that do not reach a chart's SVG: the backend's (a chart is always printed by the SVG
# canvas; the first chart of a process switches to it), the salt (each chart sets its own).
_NOT_STYLE = frozenset({"backend", "backend_fallback", "svg.hashsalt"})


def _style() -> str:
    """matplotlib's version and the rcParams a chart is drawn in (a caller's own style, a
    matplotlibrc), as a digest."""
    import matplotlib

    params = matplotlib.rcParams
    items = sorted((k, repr(v)) for k, v in params.items() if k not in _NOT_STYLE)
    return hashlib.sha256(repr((matplotlib.__version__, items)).encode()).hexdigest()
