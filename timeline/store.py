"""Typed tables as Parquet: the event blocks of a build and the datasets of an output folder.

A column's pandas dtype (from :data:`timeline.table.EVENT_COLUMNS` or
:data:`~timeline.table.DOCUMENT_COLUMNS`) maps to one plain Arrow type, so the files
read in any Parquet reader (pandas, DuckDB, R arrow, Spark): categories are stored as
strings, dates as ``timestamp[s]`` (the 11th century fits), nullable integers, booleans
and floats as such. :func:`from_arrow` gives back exactly the pandas dtypes.

A dataset is a folder of ``part-00000.parquet``, ``part-00001.parquet``...; its parts
are read in name order, so the rows keep the order they were written in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: Rows per part file of a published dataset (a part is one file, one row group).
ROWS_PER_PART = 100_000
PART_GLOB = "part-*.parquet"


def arrow_type(dtype: Any) -> pa.DataType:
    """The Arrow type a column of this pandas dtype is stored as.

    Examples:
        >>> arrow_type("datetime64[s]"), arrow_type("Int64"), arrow_type(pd.CategoricalDtype(["a"]))
        (TimestampType(timestamp[s]), DataType(int64), DataType(string))
    """
    name = str(dtype)
    if isinstance(dtype, pd.CategoricalDtype) or name == "string":
        return pa.string()
    if name.startswith("datetime64"):
        return pa.timestamp(name[len("datetime64["):-1] or "s")
    types = {"Int64": pa.int64(), "int64": pa.int64(), "boolean": pa.bool_(), "Float64": pa.float64(),
             "float64": pa.float64()}
    if name not in types:
        raise TypeError(f"no Parquet storage type for dtype {name!r}")
    return types[name]


def schema(columns: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema of a table with these columns (name -> pandas dtype)."""
    return pa.schema([pa.field(name, arrow_type(dtype)) for name, dtype in columns.items()])


def to_arrow(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pa.Table:
    """The columns of ``frame`` named in ``columns``, in that order, as an Arrow table."""
    arrays = []
    for name, dtype in columns.items():
        values = frame[name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("string")
        arrays.append(pa.array(values, type=arrow_type(dtype), from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema(columns))


def _second(value: Any) -> Any:
    """A date or datetime at second precision, as ``typed_frame`` stores it (None stays None)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise TypeError(f"not a date: {value!r}")


def lists_to_arrow(data: Mapping[str, list[Any]], columns: Mapping[str, Any]) -> pa.Table:
    """Plain Python column lists (``None`` for missing) as an Arrow table of :func:`schema`, without
    building a pandas frame first: a worker's block for one short document costs microseconds, not
    the milliseconds of 37 pandas conversions. Raises ``TypeError`` or ``pyarrow.ArrowException`` on
    a value of another type (the caller then takes the pandas path, :func:`to_arrow`)."""
    arrays = []
    for name, dtype in columns.items():
        values = data[name]
        kind = arrow_type(dtype)
        if pa.types.is_timestamp(kind):
            values = [_second(v) for v in values]
        elif pa.types.is_string(kind):
            if any(v is not None and not isinstance(v, str) for v in values):
                raise TypeError(f"column {name}: not text")
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, schema=schema(columns))


#: Text comes back with Python storage, as :data:`timeline.table.STRING` (see there why).
_TEXT = pd.StringDtype("python")
_NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype(),
             pa.string(): _TEXT, pa.large_string(): _TEXT}


def from_arrow(table: pa.Table, columns: Mapping[str, Any]) -> pd.DataFrame:
    """The pandas frame of an Arrow table, with exactly the dtypes in ``columns`` (and in that order)."""
    frame = table.select(list(columns)).to_pandas(types_mapper=_NULLABLE.get, coerce_temporal_nanoseconds=False,
                                                   ignore_metadata=True, self_destruct=True, split_blocks=True)
    for name, dtype in columns.items():
        if frame[name].dtype != dtype or isinstance(dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(dtype)
    return frame


class PartWriter:
    """Appends tables to a dataset folder as they come: they are buffered, and written as one
    part file each time ``rows_per_part`` rows have gathered (and at :meth:`close`), so a long
    build makes a few large parts, not one tiny file per worker block."""

    def __init__(self, folder: str | Path, rows_per_part: int = 65_536) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rows_per_part = rows_per_part
        self.parts = 0
        self.rows = 0
        self._buffer: list[pa.Table] = []
        self._buffered = 0

    def append(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= self.rows_per_part:
            self.flush()

    def flush(self) -> Path | None:
        """Write the buffered tables as the next part file (nothing when the buffer is empty)."""
        if not self._buffer:
            return None
        path = self.folder / f"part-{self.parts:05d}.parquet"
        pq.write_table(pa.concat_tables(self._buffer), path)
        self._buffer, self._buffered = [], 0
        self.parts += 1
        return path

    def close(self) -> None:
        self.flush()


def parts(folder: str | Path) -> list[Path]:
    """The part files of a dataset folder, in the order they were written."""
    return sorted(Path(folder).glob(PART_GLOB))


def read_dataset(folder: str | Path, columns: Mapping[str, Any] | None = None) -> pa.Table:
    """All parts of a dataset folder as one Arrow table (rows in write order).

    With ``columns``, a folder without parts gives an empty table of that schema.
    """
    files = parts(folder)
    if not files:
        if columns is None:
            raise FileNotFoundError(f"no {PART_GLOB} files in {folder}")
        return schema(columns).empty_table()
    return pa.concat_tables([pq.read_table(p, use_threads=False) for p in files])


def iter_dataset(folder: str | Path) -> Iterator[pa.Table]:
    """The parts of a dataset folder one at a time, in write order."""
    for path in parts(folder):
        yield pq.read_table(path)


def write_dataset(frame: pd.DataFrame, folder: str | Path, columns: Mapping[str, Any],
                  rows_per_part: int = ROWS_PER_PART) -> list[Path]:
    """Write ``frame`` as a dataset folder of part files (at least one, even when empty)."""
    writer = PartWriter(folder, rows_per_part)
    written = []
    for lo in range(0, max(len(frame), 1), rows_per_part):
        writer.append(to_arrow(frame.iloc[lo:lo + rows_per_part], columns))
        written.append(writer.flush())
    return [p for p in written if p is not None]


def write_table(frame: pd.DataFrame, path: str | Path, columns: Mapping[str, Any]) -> Path:
    """Write ``frame`` as one Parquet file."""
    pq.write_table(to_arrow(frame, columns), path)
    return Path(path)


def read_table(path: str | Path, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A Parquet file written by :func:`write_table`, with exactly the dtypes in ``columns``."""
    return from_arrow(pq.read_table(path), columns)
