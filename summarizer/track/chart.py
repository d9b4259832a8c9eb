"""One static SVG chart per indicator: the targets over the years against the actuals.

Drawn with matplotlib's SVG backend (no display, no network). A target is a band where it is
one — a range (6.5%—7%) or 左右 with its tolerance — else a bar at its value with a mark for its
bound (▲ at least, ▼ at most); an actual is a point coloured by its verdict. Each band, bar and
point links to its sentence in the report's source view. Text stays text (svg.fonttype none),
so the page's CJK fonts draw it and the file stays small. The chart holds years, numbers and
the unit; the indicator's name is the page's heading above it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from summarizer.track.figures import Figure
from summarizer.track.link import Link
from summarizer.track.verdict import LEVEL_TOLERANCE

if TYPE_CHECKING:  # matplotlib is imported by the first chart, not with the CLI
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.figure import Figure as MplFigure

__all__ = ["VERDICT_COLOURS", "indicator_chart"]

VERDICT_COLOURS = {
    "met": "#1d7a43",
    "missed": "#b42318",
    "not_reported": "#8a94a6",
    "unclear": "#c46a12",
}
_TARGET_COLOUR = "#2563a8"
_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
_HALF = 0.3  # half a band's width, in years
# matplotlib writes the date and a creator line: a chart is the same bytes for the same links
_METADATA = {"Date": None, "Creator": None}
_METADATA_BLOCK = re.compile(r"\s*<metadata>.*?</metadata>", re.S)  # RDF boilerplate, no content


def _band(t: Figure, tolerance_pp: float) -> tuple[float, float] | None:
    """A target's band (signed): a range's ends, or 左右's tolerance either side."""
    if t.bound == "range" and t.low is not None and t.high is not None:
        lo, hi = sorted((t.sign * t.low, t.sign * t.high))
        return lo, hi
    if t.bound == "about":
        target = t.as_target()
        room = tolerance_pp if target.in_points else abs(t.signed) * LEVEL_TOLERANCE
        return t.signed - room, t.signed + room
    return None


def indicator_chart(
    links: Sequence[Link], href: Callable[[Figure], str], key: str, tolerance_pp: float
) -> str:
    """The SVG (as text, no XML declaration) of one indicator's `links`, in the first target's
    unit. `href(figure)` is the link of a figure's sentence; `key` makes the SVG's ids unique
    on a page holding several charts."""
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib.ticker import MaxNLocator

    unit_of = links[0].target
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # keys typed as literals
        fig, ax = _blank_axes()
        for link in links:
            _draw_target(ax, link, tolerance_pp, href)
            if link.actual is not None and link.actual.comparable(unit_of):
                value = link.actual.in_unit_of(unit_of)
                colour = VERDICT_COLOURS[link.verdict]
                dots = ax.scatter([link.year], [value], s=36, color=colour, zorder=3)
                dots.set_urls([href(link.actual)])
                ax.annotate(
                    _number(value),
                    (link.year, value),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                    color=colour,
                )
        years = sorted({link.year for link in links})
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
        ax.set_ylabel(_unit_label(unit_of))
        ax.margins(y=0.25)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        buf = io.StringIO()
        matplotlib.rcParams["svg.hashsalt"] = key  # restored with the rest as the context ends
        fig.savefig(buf, format="svg", metadata=_METADATA)
    svg = buf.getvalue()
    return _METADATA_BLOCK.sub("", svg[svg.index("<svg") :])


# What a chart looks like, beside its data: set while each chart is made and drawn.
_STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": _FONTS,
    "font.size": 9,
}


@dataclass
class _Canvas:
    figure: MplFigure
    axes: Axes
    params: dict[str, Any]  # the rcParams it was made in


_canvas: _Canvas | None = None  # the process's one canvas, made by the first chart


def _blank_axes() -> tuple[MplFigure, Axes]:
    """A figure and its axes framed as every chart is, holding no data: one pair made once and
    emptied for each chart, since making them (and their ticks) again took half a chart's time.
    Made again when the rcParams differ from those it was made in (a caller's own style)."""
    global _canvas
    import matplotlib
    from matplotlib.figure import Figure as Canvas

    params: dict[str, Any] = {k: v for k, v in matplotlib.rcParams.items()}
    if _canvas is None or _canvas.params != params:
        fig = Canvas(figsize=(6.4, 2.6))
        _measuring_canvas()(fig)  # the figure's canvas from now on: savefig prints with it
        ax = fig.add_subplot()
        ax.grid(axis="y", color="#e3e7ed", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        # A fixed frame, not tight_layout: that draws every chart twice to measure its text
        # (half a batch's tracking time) and the ticks' room is known: years, short numbers.
        fig.subplots_adjust(left=0.11, right=0.98, top=0.95, bottom=0.12)
        _canvas = _Canvas(fig, ax, params)
    ax = _canvas.axes
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts]:
        artist.remove()
    ax.relim()  # the data limits of no data, as in new axes
    return _canvas.figure, ax


def _measuring_canvas() -> type[FigureCanvasBase]:
    """matplotlib's SVG canvas, measuring each text once for all the charts drawn on it, not
    once per chart: matplotlib keeps the sizes of texts for one renderer, and makes a renderer
    for each chart, so a chart measured its years and numbers anew (a fifth of its time). The
    sizes are the same (the SVG renderer measures with its font files alone), so are the SVGs;
    print_svg is matplotlib's, but for the renderer it makes."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
    from matplotlib.font_manager import FontProperties

    Size = tuple[float, float, float]

    class MeasuringRenderer(RendererSVG):
        def __init__(self, *args: Any, sizes: dict[tuple[str, int, Any], Size], **kw: Any):
            super().__init__(*args, **kw)  # type: ignore[no-untyped-call]
            self.sizes = sizes

        def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> Size:
            # a FontProperties is equal to another of the same hash (matplotlib's own rule)
            key = (s, hash(prop), ismath)
            size = self.sizes.get(key)
            if size is None:
                measure = super().get_text_width_height_descent
                size = self.sizes[key] = measure(s, prop, ismath)  # type: ignore[no-untyped-call]
            return size

    class MeasuringCanvas(FigureCanvasSVG):
        def __init__(self, figure: MplFigure) -> None:
            super().__init__(figure)
            # this canvas's: a text's size depends on the rcParams (the fonts) it was made in
            self.sizes: dict[tuple[str, int, Any], Size] = {}

        def print_svg(
            self,
            filename: io.StringIO,
            *,
            bbox_inches_restore: Any = None,
            metadata: Any = None,
            **_: Any,  # facecolor …: for other formats (matplotlib's print_svg drops them)
        ) -> None:
            dpi = self.figure.dpi
            self.figure.dpi = 72  # print_figure sets it back
            width, height = self.figure.get_size_inches()
            svg = MeasuringRenderer(
                width * 72,
                height * 72,
                filename,
                image_dpi=dpi,
                metadata=metadata,
                sizes=self.sizes,
            )
            renderer = MixedModeRenderer(  # type: ignore[no-untyped-call]
                self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
            )
            self.figure.draw(renderer)  # type: ignore[arg-type]  # it stands in for one
            renderer.finalize()

    return MeasuringCanvas


def _draw_target(ax: Axes, link: Link, tolerance_pp: float, href: Callable[[Figure], str]) -> None:
    t, y = link.target, link.year
    band = _band(t, tolerance_pp)
    if band is not None:
        patch = ax.fill_between(
            [y - _HALF, y + _HALF], band[0], band[1], color=_TARGET_COLOUR, alpha=0.18, lw=0
        )
        patch.set_url(href(t))
    levels = band if t.bound == "range" and band else (t.signed,)  # a range: its two ends
    for level in levels:
        (bar,) = ax.plot([y - _HALF, y + _HALF], [level, level], color=_TARGET_COLOUR, lw=1.6)
        bar.set_url(href(t))
    mark = {"at_least": "^", "at_most": "v"}.get(t.bound or "")
    if mark:
        (arrow,) = ax.plot([y], [t.signed], marker=mark, color=_TARGET_COLOUR, ms=5)
        arrow.set_url(href(t))


def _number(v: float) -> str:
    return re.sub(r"\.?0+$", "", f"{v:.2f}") if v % 1 else str(int(v))


def _unit_label(t: Figure) -> str:
    return f"{'变化' if t.measure == 'change' else '数值'}（{t.unit}）"
