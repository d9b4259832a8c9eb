"""Plan against actual: each year's quantified targets linked to the next report's outcome.

    >>> from summarizer.track import track_summaries
    >>> result = track_summaries(summaries)          # summaries of one folder
    >>> [(l.indicator, l.year, l.verdict) for l in result.links]

`series` groups the reports by entity and year, `figures` reads the targets and actuals out of
each summary, `link` pairs them, `verdict` judges each pair (the rules of the README),
`outputs` writes tracking.csv, tracking.json and one page per entity with `chart`'s charts, and
`scoring` scores links against the hand labels of evals/tracking/.
"""

from summarizer.track.link import Link, TrackResult, track_summaries
from summarizer.track.verdict import DEFAULT_TOLERANCE_PP, Verdict

__all__ = ["DEFAULT_TOLERANCE_PP", "Link", "TrackResult", "Verdict", "track_summaries"]
