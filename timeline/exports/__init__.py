"""Exports of the event table for other tools: TimelineJS 3 and ACLED.

* :func:`to_timelinejs` / :func:`write_timelinejs`: Knight Lab's TimelineJS 3 JSON
  (https://timeline.knightlab.com/docs/json-format.html), one slide per cluster of reports,
  dates given only to the precision that is known, and a ``display_date`` that says how
  vague an imprecise date is ("early December 2024", "2011 to 2 Dec 2024").
* :func:`to_acled` / :func:`write_acled`: a table with ACLED's export columns, in ACLED's
  order (:data:`ACLED_COLUMNS`), one row per event (cluster) of an ACLED event type.
* :func:`write_csv`: the one CSV writer of the project (events.csv, documents.csv,
  acled.csv); it neutralises spreadsheet formulas (:func:`csv_safe`).

Both take the events DataFrame of :data:`timeline.table.EVENT_COLUMNS` and return plain
structures (a dict, a DataFrame); empty input gives an empty structure, never None.

Modules: :mod:`.timelinejs`, :mod:`.acled`, :mod:`.csvsafe`; dates in :mod:`._dates`, the
shared one-pass grouping of clusters in :mod:`._common`.
"""

from __future__ import annotations

from ._dates import display_date
from .acled import ACLED_COLUMNS, ACLED_EVENT_TYPES, to_acled, write_acled
from .csvsafe import FORMULA_PREFIXES, csv_safe, write_csv
from .timelinejs import to_timelinejs, write_timelinejs

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_EVENT_TYPES",
    "FORMULA_PREFIXES",
    "csv_safe",
    "display_date",
    "to_acled",
    "to_timelinejs",
    "write_acled",
    "write_csv",
    "write_timelinejs",
]
