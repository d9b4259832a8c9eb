"""Whether a target was met: the verdict rules (README "Plan against actual"), and nothing else.

Values are signed (a fall is negative: 下降3.9% → −3.9) and in one unit. An indicator has a
better direction, higher unless the indicator table says lower (prices, unemployment, energy
intensity, emissions, poverty):

- exact (no bound): met when the actual equals the target or is on its better side;
- about (左右, 约): met within the tolerance — `tolerance_pp` percentage points for a figure in
  % or 个百分点, 1% of the target for any other unit — or on the better side;
- at_least / at_most: a ≥ t / a ≤ t, in the direction the target states: for a fall
  (能耗下降3.9%以上, signed −3.9) "at least" means a fall of at least 3.9, a ≤ −3.9;
- range: met between its ends, or beyond them on the better side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.lexicon.indicators import Better
from summarizer.models import Bound

__all__ = [
    "DEFAULT_TOLERANCE_PP",
    "LEVEL_TOLERANCE",
    "VERDICTS",
    "Target",
    "Verdict",
    "judge",
]

Verdict = Literal["met", "missed", "not_reported", "unclear"]
VERDICTS: tuple[Verdict, ...] = ("met", "missed", "not_reported", "unclear")
DEFAULT_TOLERANCE_PP = 0.5  # percentage points, for 左右 of a figure in %
LEVEL_TOLERANCE = 0.01  # for 左右 of any other figure: 1% of the target
_EPS = 1e-9  # float noise: 6.9 - 6.4 is 0.5000000000000009


@dataclass(frozen=True)
class Target:
    """A target as the rules read it: signed value(s) in the unit the actual is compared in."""

    value: float  # signed
    bound: Bound | None
    low: float | None = None  # signed ends of a range, either order
    high: float | None = None
    falls: bool = False  # a change target stated as a fall (下降, 减少)
    in_points: bool = False  # a figure in % or 个百分点: the tolerance is in points


def _better(a: float, t: float, better: Better) -> bool:
    """a is on the better side of t (strictly)."""
    return a > t + _EPS if better == "higher" else a < t - _EPS


def judge(
    target: Target,
    actual: float,
    better: Better = "higher",
    tolerance_pp: float = DEFAULT_TOLERANCE_PP,
) -> Verdict:
    """met or missed: the actual (signed, in the target's unit) against `target`."""
    t, a = target.value, actual
    if target.bound == "range" and target.low is not None and target.high is not None:
        lo, hi = sorted((target.low, target.high))
        inside = lo - _EPS <= a <= hi + _EPS
        beyond = _better(a, hi, better) if better == "higher" else _better(a, lo, better)
        return "met" if inside or beyond else "missed"
    if target.bound == "about":
        room = tolerance_pp if target.in_points else abs(t) * LEVEL_TOLERANCE
        return "met" if abs(a - t) <= room + _EPS or _better(a, t, better) else "missed"
    if target.bound in ("at_least", "at_most"):
        # "at least" a fall of 3.9 is a signed value at most −3.9
        upward = (target.bound == "at_least") != target.falls
        return "met" if (a >= t - _EPS if upward else a <= t + _EPS) else "missed"
    return "met" if abs(a - t) <= _EPS or _better(a, t, better) else "missed"
