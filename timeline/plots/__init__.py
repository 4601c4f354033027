"""Charts of the event table: a timeline that shows how precise each date is, and escalation panels.

Every function takes the events DataFrame (:data:`timeline.table.EVENT_COLUMNS`) and an
optional Axes, and returns the :class:`~matplotlib.figure.Figure`. Nothing here calls
``plt.show()``, touches pyplot's figure registry or changes ``rcParams``: figures are made
with :class:`matplotlib.figure.Figure` and an Agg canvas, so the package works headless
(``MPLBACKEND=Agg``), in notebooks (``display(fig)``) and in the CLI alike.

* :func:`plot_timeline` (:mod:`timeline.plots.timeline`): one lane per event type; a dot for
  an event dated to the day or finer, a bar from ``start`` to ``end`` for a vaguer one (bar
  length = uncertainty, fainter = vaguer), hatched bars for cumulative tolls. Background years
  back ("since 2011", "a decade ago") go to a separate context panel on the left. Past a few
  hundred items only the labelled ones are drawn one by one; the others are one dot cloud
  and one set of lines per lane, so the cost follows the events linearly and the height of
  the chart does not.
* :func:`plot_escalation`, :func:`escalation_data`, :func:`escalation_freq` and
  :func:`reported_tallies` (:mod:`timeline.plots.escalation`): events and deaths per day,
  week or month (by the window's length), each cluster of reports counted once, reported
  cumulative tolls kept apart from daily deaths. One artist per event type, whatever the
  number of periods.
* :func:`save_figure` and the shared helpers (:mod:`timeline.plots.style`): PNG and/or SVG at 150 dpi.
"""

from __future__ import annotations

from .escalation import _change_points, escalation_data, escalation_freq, plot_escalation, reported_tallies
from .style import TYPE_COLORS, dense_window, save_figure
from .timeline import plot_timeline

__all__ = [
    "TYPE_COLORS",
    "dense_window",
    "escalation_data",
    "escalation_freq",
    "plot_escalation",
    "plot_timeline",
    "reported_tallies",
    "save_figure",
]

# _change_points is imported for the tests and notebooks that check the surge rule.
_ = _change_points
