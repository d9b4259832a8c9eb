"""The tracking charts share one matplotlib figure per process (track/chart.py): a chart drawn
on it after others is the same SVG as one drawn on a new figure, and a caller's own rcParams
still reach the chart."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from summarizer import summarize
from summarizer.track import Link, track_summaries
from summarizer.track import chart as chart_module
from summarizer.track.chart import indicator_chart
from summarizer.track.figures import Figure

REPORTS = sorted((Path(__file__).parent / "data" / "tracking").glob("national_guowuyuan_*.txt"))


@pytest.fixture(scope="module")
def groups() -> list[list[Link]]:
    """The national reports' links, one list per chart (indicator and measure)."""
    result = track_summaries([summarize(p) for p in REPORTS])
    by_chart: dict[tuple[str, str], list[Link]] = {}
    for link in result.links:
        by_chart.setdefault((link.indicator, link.measure), []).append(link)
    # charts of several years (more ticks) and of one, so that leftovers would show
    assert len(by_chart) >= 4 and len({len(g) for g in by_chart.values()}) >= 2
    return list(by_chart.values())


def _href(f: Figure) -> str:
    return f"{f.report_id}.source.html#{f.anchor}"


def _fresh(links: list[Link], key: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The chart drawn on a figure made for it alone."""
    monkeypatch.setattr(chart_module, "_canvas", None)
    return indicator_chart(links, _href, key, 0.5)


def test_a_chart_is_the_same_after_others_as_on_a_new_figure(
    groups: list[list[Link]], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = [_fresh(links, f"c{n}", monkeypatch) for n, links in enumerate(groups)]
    assert len(set(alone)) == len(alone)
    monkeypatch.setattr(chart_module, "_canvas", None)
    # each chart after every other one, in both orders: the widest charts first, then last
    for order in (range(len(groups)), reversed(range(len(groups)))):
        for n in order:
            assert indicator_chart(groups[n], _href, f"c{n}", 0.5) == alone[n]


def test_a_callers_rcparams_reach_a_chart_drawn_after_others(
    groups: list[list[Link]], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = indicator_chart(groups[0], _href, "c0", 0.5)
    with matplotlib.rc_context({"axes.edgecolor": "#ff00ff", "ytick.major.size": 7}):
        styled = indicator_chart(groups[0], _href, "c0", 0.5)
        assert styled == _fresh(groups[0], "c0", monkeypatch)
    assert styled != plain and "#ff00ff" in styled
    assert indicator_chart(groups[0], _href, "c0", 0.5) == plain
