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

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:  # imported where used: an in-memory build never needs Parquet (start-up)
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


class Coded:
    """A text column kept as its distinct values and each row's index into them (see
    :func:`text_codes`), built a chunk at a time with :meth:`add`: reading a large dataset's
    text column part by part, only the distinct values and an int per row stay in memory."""

    def __init__(self) -> None:
        self._index: dict[str | None, int] = {}
        self._codes: list[Any] = []

    def add(self, column: pa.Array | pa.ChunkedArray) -> None:
        import numpy as np

        values, codes = text_codes(column)
        remap = np.array([self._index.setdefault(v, len(self._index)) for v in values], dtype=np.int64)
        self._codes.append(remap[codes] if len(values) else codes.astype(np.int64))

    @property
    def values(self) -> list[str | None]:
        return list(self._index)

    @property
    def codes(self) -> Any:
        import numpy as np

        if len(self._codes) != 1:
            self._codes = [np.concatenate(self._codes) if self._codes else np.array([], dtype=np.int64)]
        return self._codes[0]

    def __len__(self) -> int:
        return len(self.codes)


def text_codes(column: pa.Array | pa.ChunkedArray | Coded) -> tuple[list[Any], Any]:
    """A text column as its distinct values (Python ``str``, ``None`` for missing) and each row's
    index into them (a NumPy int array): equal texts become one Python object, not one per row.

    Examples:
        >>> values, codes = text_codes(pa.array(["a", None, "a", "b"]))
        >>> values, codes.tolist()
        (['a', None, 'b'], [0, 1, 0, 2])
    """
    import pyarrow.compute as pc

    if isinstance(column, Coded):
        return column.values, column.codes
    distinct = pc.unique(column)
    codes = pc.index_in(column, value_set=distinct)  # a missing value finds the missing entry
    if isinstance(codes, pa.ChunkedArray):
        codes = codes.combine_chunks() if codes.num_chunks != 1 else codes.chunk(0)
    return distinct.to_pylist(), codes.to_numpy(zero_copy_only=False)


def _objects(values: list[Any], codes: Any) -> Any:
    import numpy as np

    distinct = np.empty(len(values), dtype=object)
    distinct[:] = values
    return distinct[codes]


def text_objects(column: pa.Array | pa.ChunkedArray | Coded) -> Any:
    """A text column as a NumPy object array in which equal texts are one Python object
    (``None`` for missing): a table of many rows that repeat a few places, triggers or
    sentences costs one string per distinct value, not one per row."""
    return _objects(*text_codes(column))


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


class Columns:
    """Columns of a table given a piece at a time (the parts of a dataset): text columns kept as
    distinct values and codes (:class:`Coded`), the others as one Arrow table. Reading a large
    dataset this way holds one part's text at a time, then an int per row and column.

    ``plain`` names text columns whose every value is its own (ids): they stay Arrow text,
    which is smaller than a table of distinct values.
    """

    def __init__(self, tables: Iterable[pa.Table], table_schema: pa.Schema, plain: Iterable[str] = ()) -> None:
        self.schema = table_schema
        plain = set(plain)
        self._text = {f.name: Coded() for f in table_schema if _is_text(f.type) and f.name not in plain}
        others = [f.name for f in table_schema if f.name not in self._text]
        kept = []
        for table in tables:
            for name, coded in self._text.items():
                coded.add(table.column(name))
            kept.append(table.select(others))
            del table
        self._other: pa.Table | None = pa.concat_tables(kept) if kept else pa.schema(
            [table_schema.field(n) for n in others]).empty_table()
        del kept
        self.num_rows = self._other.num_rows

    def column(self, name: str) -> Any:
        """An Arrow column, or a text column's :class:`Coded`."""
        if self._other is None:
            raise ValueError("the columns were handed over to pandas (to_pandas)")
        return self._text[name] if name in self._text else self._other.column(name)

    def to_pandas(self, columns: Mapping[str, Any]) -> pd.DataFrame:
        """The frame of ``columns`` (name -> pandas dtype), as :func:`from_arrow` makes it. The
        columns are handed over: each is released as it is converted (call this once)."""
        if self._other is None:
            raise ValueError("the columns were handed over to pandas already")
        texts = {}
        for name in columns:
            if name in self._text:
                coded = self._text.pop(name)
                texts[name] = _text_array(*text_codes(coded), columns[name])
                del coded
        others = self._other.select([name for name in columns if name not in texts])
        self._other = None
        frame = _arrow_frame(others)
        del others
        return _assemble(frame, texts, columns, self.num_rows)


def _text_array(values: list[Any], codes: Any, dtype: Any) -> Any:
    """A text column given as distinct values and codes, as a pandas array of ``dtype``: text
    (one object per distinct value) or categories (straight from the codes)."""
    import numpy as np

    if isinstance(dtype, pd.CategoricalDtype):
        position = {c: i for i, c in enumerate(dtype.categories)}
        mapped = np.array([-1 if v is None else position.get(v, -1) for v in values], dtype=np.int64)
        return pd.Categorical.from_codes(mapped[codes], dtype=dtype)
    array = pd.array(_objects(values, codes), dtype=_TEXT)
    return array if array.dtype == dtype else pd.Series(array).astype(dtype).array


def _arrow_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=_NULLABLE.get, coerce_temporal_nanoseconds=False, ignore_metadata=True,
                           self_destruct=True, split_blocks=True)


def _assemble(frame: pd.DataFrame, texts: dict[str, Any], columns: Mapping[str, Any], n: int) -> pd.DataFrame:
    """The frame of ``columns``, in order: the converted non-text columns, then the text arrays."""
    names = list(columns)
    if not len(frame.columns):
        frame = pd.DataFrame(index=pd.RangeIndex(n))
    for name in list(texts):
        frame[name] = texts.pop(name)
    frame = frame[names] if list(frame.columns) != names else frame
    for name, dtype in columns.items():
        if frame[name].dtype != dtype or (isinstance(dtype, pd.CategoricalDtype) and
                                          not isinstance(frame[name].dtype, pd.CategoricalDtype)):
            frame[name] = frame[name].astype(dtype)
    return frame


def from_arrow(table: pa.Table, columns: Mapping[str, Any]) -> pd.DataFrame:
    """The pandas frame of an Arrow table, with exactly the dtypes in ``columns`` (and in that order).

    Text columns hold one Python string per distinct value (:func:`text_objects`), not one per row;
    a categorical column is built from the codes of its distinct values.
    """
    texts = {n: _text_array(*text_codes(table.column(n)), columns[n]) for n in columns
             if _is_text(table.schema.field(n).type)}
    frame = _arrow_frame(table.select([n for n in columns if n not in texts]))
    return _assemble(frame, texts, columns, table.num_rows)


class PartWriter:
    """Appends tables to a dataset folder as they come, as part files of about ``rows_per_part``
    rows each. Tables are gathered into row groups of about ``rows_per_group`` rows, written into
    the open part as soon as they fill, so the writer holds one row group at most, however many
    rows a part gets; :meth:`flush` ends the part (and :meth:`close` the last one)."""

    def __init__(self, folder: str | Path, rows_per_part: int = 65_536, rows_per_group: int = 8_192) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rows_per_part = rows_per_part
        self.rows_per_group = min(rows_per_group, rows_per_part)
        self.parts = 0
        self.rows = 0
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._writer: pq.ParquetWriter | None = None
        self._path: Path | None = None
        self._in_part = 0

    def append(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= self.rows_per_group:
            self._write_group()
        if self._in_part >= self.rows_per_part:
            self.flush()

    def _write_group(self) -> None:
        if not self._buffer:
            return
        group = pa.concat_tables(self._buffer)
        self._buffer, self._buffered = [], 0
        if self._writer is None:
            self._path = self.folder / f"part-{self.parts:05d}.parquet"
            import pyarrow.parquet as pq

            self._writer = pq.ParquetWriter(self._path, group.schema)
        self._writer.write_table(group, row_group_size=max(group.num_rows, 1))
        self._in_part += group.num_rows

    def flush(self) -> Path | None:
        """End the part being written (its buffered rows included) and return its path
        (None when nothing was appended since the last part)."""
        self._write_group()
        if self._writer is None:
            return None
        self._writer.close()
        path = self._path
        self._writer, self._path, self._in_part = None, None, 0
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
    import pyarrow.parquet as pq

    return pa.concat_tables([pq.read_table(p, use_threads=False) for p in files])


def iter_dataset(folder: str | Path) -> Iterator[pa.Table]:
    """The parts of a dataset folder one at a time, in write order."""
    import pyarrow.parquet as pq

    for path in parts(folder):
        yield pq.read_table(path)


def write_dataset(frame: pd.DataFrame, folder: str | Path, columns: Mapping[str, Any],
                  rows_per_part: int = ROWS_PER_PART) -> list[Path]:
    """Write ``frame`` as a dataset folder of part files (at least one, even when empty), each
    part one row group."""
    writer = PartWriter(folder, rows_per_part, rows_per_group=rows_per_part)
    written = []
    for lo in range(0, max(len(frame), 1), rows_per_part):
        writer.append(to_arrow(frame.iloc[lo:lo + rows_per_part], columns))
        written.append(writer.flush())
    return [p for p in written if p is not None]


def write_table(frame: pd.DataFrame, path: str | Path, columns: Mapping[str, Any]) -> Path:
    """Write ``frame`` as one Parquet file."""
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(frame, columns), path)
    return Path(path)


def read_table(path: str | Path, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A Parquet file written by :func:`write_table`, with exactly the dtypes in ``columns``."""
    import pyarrow.parquet as pq

    return from_arrow(pq.read_table(path), columns)
