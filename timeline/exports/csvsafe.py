"""CSV: the one writer of the project (events.csv, documents.csv, acled.csv), safe to open
in a spreadsheet (OWASP "CSV injection")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "csv_safe", "write_csv", "write_csv_chunks"]

#: First characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a
#: cell as a formula (OWASP "CSV injection"): such text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _neutralise(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    if "\r" in value:  # the csv writer quotes "\n" but not a bare "\r", which readers take as a row end
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    a leading apostrophe (the usual convention, OWASP "CSV injection"), so that
    ``=HYPERLINK(...)`` in a document id, file name, sentence or note is shown as text.
    Numeric, boolean and date columns are left as they are, and so is a text cell that
    is only a number (``-12``, ``+3.5``): a negative number is not a formula. A carriage
    return inside a text cell becomes a line feed, which the CSV writer quotes (a bare
    carriage return would end the row for most readers). Only CSV goes through this;
    Parquet and JSON keep the raw text.

    Examples:
        >>> csv_safe(pd.DataFrame({"doc_id": ["=1+1", "-x", "ok", "-12"], "n": [-1, 2, 3, 4]})).to_dict("list")
        {'doc_id': ["'=1+1", "'-x", 'ok', '-12'], 'n': [-1, 2, 3, 4]}
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            if any(_neutralise(c) is not c for c in column.cat.categories):
                out[name] = column.astype("string").map(_neutralise, na_action="ignore").astype("string")
        elif isinstance(column.dtype, pd.StringDtype):  # vectorised test: tables can have millions of rows
            risky = (column.str.startswith(FORMULA_PREFIXES) | column.str.contains("\r", regex=False)).fillna(False)
            if risky.any():
                out[name] = column.where(~risky, column[risky].map(_neutralise)).astype(column.dtype)
        elif column.dtype == object:
            out[name] = column.map(_neutralise, na_action="ignore")
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, **kw: Any) -> Path:
    """Write ``frame`` as UTF-8 CSV without its index, formulas neutralised (:func:`csv_safe`).

    Every CSV the project writes goes through here; ``kw`` is passed to
    :meth:`pandas.DataFrame.to_csv` (e.g. ``date_format``). Returns the path.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_safe(frame).to_csv(out, index=False, **kw)
    return out


def write_csv_chunks(frames: Iterable[pd.DataFrame], path: str | Path, **kw: Any) -> Path:
    """:func:`write_csv` of the frames one after the other (the header once, from the first):
    the same file as ``write_csv(pd.concat(frames), path)``, without the whole table in memory.
    ``frames`` must give at least one frame (an empty one for an empty table)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    first = True
    with out.open("w", encoding="utf-8", newline="") as handle:
        for frame in frames:
            csv_safe(frame).to_csv(handle, index=False, header=first, **kw)
            first = False
    if first:
        raise ValueError("write_csv_chunks needs at least one frame (the header comes from it)")
    return out
