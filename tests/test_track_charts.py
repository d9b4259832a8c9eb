"""The tracking charts (track/charts.py): drawn by worker processes they are the bytes drawn in
one process; the chart cache gives back a chart whose data did not change and draws again one
whose data did; a chart that fails, or a worker that dies, costs only its entity's page."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
from pathlib import Path

import matplotlib
import pytest

from summarizer import summarize
from summarizer.batch import run_batch
from summarizer.config import Settings
from summarizer.models import Summary
from summarizer.pool import Failed
from summarizer.track import TrackResult, charts, track_summaries
from summarizer.track import chart as chart_module
from summarizer.track.charts import ChartJob, draw_charts
from summarizer.track.outputs import chart_jobs, page_names, write_tracking_outputs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork, SIGKILL")

TRACKING = Path(__file__).parent / "data" / "tracking"
REPORTS = sorted(TRACKING.glob("national_guowuyuan_*.txt"))
OTHER = "某省"  # the second entity: the national reports under another name


def _renamed(s: Summary) -> Summary:
    rid = s.report.id.replace("national_guowuyuan", "province_mou")
    return s.model_copy(update={"report": s.report.model_copy(update={"id": rid, "entity": OTHER})})


@pytest.fixture(scope="module")
def summaries() -> list[Summary]:
    return [summarize(p) for p in REPORTS]


@pytest.fixture(scope="module")
def result(summaries: list[Summary]) -> TrackResult:
    """Two entities, each with its page of charts."""
    return track_summaries([*summaries, *(_renamed(s) for s in summaries)])


def _jobs(result: TrackResult, source_base: str = "") -> list[ChartJob]:
    return [
        job
        for s in result.series
        for _, job in chart_jobs(result.of(s.entity), source_base, result.tolerance_pp)
    ]


def test_charts_drawn_by_workers_are_the_bytes_drawn_in_process(
    result: TrackResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs(result)
    assert len(jobs) > 2 * charts._LEAST_PER_TASK  # more than one task for the pool
    here = draw_charts(jobs, workers=1)
    assert all(isinstance(svg, str) and svg.startswith("<svg") for svg in here)
    draw = charts.draw_chart

    def signed(job: ChartJob) -> str:  # which process drew it
        return f"{draw(job)}<!--{os.getpid()}-->"

    monkeypatch.setattr(charts, "draw_chart", signed)  # the forked workers inherit it
    there = draw_charts(jobs, workers=2)
    pids = [int(re.findall(r"<!--(\d+)-->$", str(svg))[0]) for svg in there]
    # the first here (the workers inherit the fonts it loaded), every other one by a worker
    assert pids[0] == os.getpid() and os.getpid() not in pids[1:]
    assert [re.sub(r"<!--\d+-->$", "", str(svg)) for svg in there] == here


def test_the_chart_cache_draws_only_the_charts_whose_data_changed(
    result: TrackResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[ChartJob] = []
    draw = charts.draw_chart

    def counted(job: ChartJob) -> str:
        drawn.append(job)
        return draw(job)

    monkeypatch.setattr(charts, "draw_chart", counted)
    jobs, cache = _jobs(result), tmp_path / "cache"
    first = draw_charts(jobs, cache_dir=cache)
    assert len(drawn) == len(jobs)
    drawn.clear()
    assert draw_charts(jobs, cache_dir=cache) == first and not drawn  # all from the cache
    # the backend the process had before its first chart (which sets svg) is no part of it
    with matplotlib.rc_context({"backend": "agg", "backend_fallback": True}):
        assert draw_charts(jobs, cache_dir=cache) == first and not drawn

    # one target's value changed: that chart alone is drawn again, and shows it
    n = next(i for i, job in enumerate(jobs) if len(job.links) > 1)
    link = jobs[n].links[-1]
    moved = dataclasses.replace(link, target=dataclasses.replace(link.target, value=99.5))
    changed = [*jobs]
    changed[n] = dataclasses.replace(jobs[n], links=(*jobs[n].links[:-1], moved))
    again = draw_charts(changed, cache_dir=cache)
    assert drawn == [changed[n]]
    assert again[n] != first[n] and ">99.5<" not in str(first[n])
    assert again[:n] + again[n + 1 :] == first[:n] + first[n + 1 :]

    # what else goes into the SVG: the links' folder and the rcParams it is drawn in
    drawn.clear()
    elsewhere = draw_charts(_jobs(result, "../reports/"), cache_dir=cache)
    assert len(drawn) == len(jobs) and 'href="../reports/' in str(elsewhere[0])
    drawn.clear()
    with matplotlib.rc_context({"axes.edgecolor": "#ff00ff"}):
        styled = draw_charts(jobs[:1], cache_dir=cache)
    assert len(drawn) == 1 and styled != first[:1]


def test_a_chart_that_fails_in_a_worker_fails_only_its_entity(
    result: TrackResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = write_tracking_outputs(result, tmp_path / "whole")
    assert not whole.failures and len(whole.files) == 2 + 2  # CSV, JSON, two pages
    draw = charts.draw_chart

    def broken(job: ChartJob) -> str:
        if job.links[0].entity == OTHER and job.salt == "c2":
            raise RuntimeError("boom")
        return draw(job)

    monkeypatch.setattr(charts, "draw_chart", broken)
    out = tmp_path / "out"
    written = write_tracking_outputs(result, out, jobs=2)
    page = page_names(result)[OTHER]
    assert written.failures == [
        f"{out / page}: not written ({OTHER}): chart 3 could not be drawn (RuntimeError: boom)"
    ]
    assert not (out / page).exists()
    assert sorted(p.name for p in written.files) == sorted(
        p.name for p in whole.files if p.name != page
    )
    for path in written.files:  # the other entity's page and the tables, as without the fault
        assert path.read_bytes() == (tmp_path / "whole" / path.name).read_bytes()


def test_a_worker_that_dies_fails_the_pages_of_the_charts_it_held(
    result: TrackResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tracking_outputs(result, tmp_path / "whole")
    draw = charts.draw_chart

    def killed(job: ChartJob) -> str:
        if job.links[0].entity == OTHER and job.salt == "c2":
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return draw(job)

    monkeypatch.setattr(charts, "draw_chart", killed)
    out = tmp_path / "out"
    written = write_tracking_outputs(result, out, jobs=2)
    page = page_names(result)[OTHER]
    assert written.failures and not (out / page).exists()
    assert f"{out / page}: not written ({OTHER}): chart " in written.failures[-1]
    assert "the worker process died (killed by signal 9)" in written.failures[-1]
    assert (out / "tracking.csv").is_file()
    for path in written.files:
        assert path.read_bytes() == (tmp_path / "whole" / path.name).read_bytes()


def test_a_batch_names_the_page_a_chart_cost_and_draws_it_on_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in REPORTS:
        (folder / path.name).write_bytes(path.read_bytes())
    settings = Settings(use_cache=False)
    draw = charts.draw_chart

    def broken(job: ChartJob) -> str:
        if job.salt == "c0":
            raise RuntimeError("boom")
        return draw(job)

    monkeypatch.setattr(charts, "draw_chart", broken)
    out = tmp_path / "out"
    first = run_batch(folder, out, settings, jobs=2)
    page = out / "tracking_national_guowuyuan.html"
    assert not first.failures and len(first.summaries) == len(REPORTS)
    assert first.output_error == (
        f"{page}: not written (国务院): chart 1 could not be drawn (RuntimeError: boom)"
    )
    assert not page.exists() and (out / "tracking.csv").is_file()
    monkeypatch.setattr(charts, "draw_chart", draw)
    second = run_batch(folder, out, settings, jobs=2)  # summaries reused, tracking not
    assert second.reused == len(REPORTS) and second.output_error is None
    assert page.is_file() and page in second.tracking


def test_the_measuring_canvas_prints_matplotlibs_own_svg(
    result: TrackResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    jobs = _jobs(result)[:6]
    monkeypatch.setattr(chart_module, "_canvas", None)
    measured = [charts.draw_chart(job) for job in jobs]
    canvas = chart_module._canvas
    assert canvas is not None and type(canvas.figure.canvas) is not FigureCanvasSVG
    FigureCanvasSVG(canvas.figure)  # the figure's canvas from now on: matplotlib's print_svg
    assert [charts.draw_chart(job) for job in jobs] == measured


def test_failed_is_what_draw_charts_gives_for_a_chart_it_could_not_draw(
    result: TrackResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(job: ChartJob) -> str:
        raise ValueError("no axes")

    monkeypatch.setattr(charts, "draw_chart", broken)
    assert draw_charts(_jobs(result)[:2]) == [Failed("ValueError: no axes")] * 2
