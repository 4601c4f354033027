"""The events dataset of an output folder, written and read without the whole table in memory.

A build spools its event blocks (Parquet parts, in the order documents finish) into a scratch
folder. :func:`order_spool` then reads back only the key columns (dates, document, position
and what :func:`timeline.table.cluster_labels` compares), finds the table order and the
clusters, and :func:`write_ordered` writes the published ``events.parquet/`` in that order:
each spooled row goes to the bucket of the output part it belongs to (one pass over the spool,
a batch at a time), then each bucket is sorted and written as its part. The wide text columns
(sentences, notes) are never all in memory at once; the result equals
``build(...).to_parquet(out)``, row for row. :func:`iter_events` and :func:`write_events_csv`
read the dataset back a batch at a time, :func:`read_events` only the columns asked for.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import store
from .table import BLOCK_COLUMNS, CLUSTER_COLUMNS, EVENT_COLUMNS, _seconds, cluster_labels, doc_ranks, sort_order

__all__ = ["Ordering", "iter_events", "order_spool", "read_events", "write_events_csv", "write_ordered"]

#: The key columns the order and the clusters are computed from.
KEY_COLUMNS = tuple(dict.fromkeys((*CLUSTER_COLUMNS, "_pos")))
#: Rows per batch when a dataset is read back (CSV, bucketing).
BATCH_ROWS = 16_384


@dataclass
class Ordering:
    """Where each spooled row goes, and the columns only the whole table can fill.

    ``rows[k]`` is the spool row (counted across its parts, in order) that comes ``k``-th in
    the table; the other fields are columns in table order.
    """

    rows: np.ndarray
    cluster_id: pa.Array
    n_sources: pa.Array
    dct_source: pa.Array
    dct_status: pa.Array


def _spool_parts(spool: str | Path) -> list[Path]:
    return store.parts(spool) if Path(spool).is_dir() else []


def _batches(files: Iterable[Path], columns: Iterable[str] | None = None) -> Iterator[pa.Table]:
    """The rows of these Parquet files a batch at a time (:data:`BATCH_ROWS`), only ``columns``
    where given: reading a batch, not a whole part, keeps the decoding buffers small."""
    names = None if columns is None else list(columns)
    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=names, use_threads=False):
            yield pa.Table.from_batches([batch])


def _by_doc(doc_ids: store.Coded, rows: np.ndarray, value: dict[str | None, Any], column: str) -> pa.Array:
    """A per-document value (``dct_source``, ``dct_status``) for each row in table order, as
    :func:`timeline.build` sets it: a value outside the column's categories is missing."""
    categories = set(EVENT_COLUMNS[column].categories)
    distinct = np.empty(len(doc_ids.values), dtype=object)
    distinct[:] = [v if v in categories else None for v in (value.get(d) for d in doc_ids.values)]
    return pa.array(distinct[doc_ids.codes[rows]], type=pa.string())


def order_spool(spool: str | Path, doc_order: dict[str, int],
                anchor_of: dict[str, tuple[str, str]]) -> Ordering:
    """The table order and clusters of the spooled event blocks, from their key columns only.

    ``doc_order`` ranks the documents in input order (the tie-break after the date) and
    ``anchor_of`` gives each document's ``(dct_source, dct_status)``, as in :func:`timeline.build`.
    """
    key_schema = store.schema({name: BLOCK_COLUMNS[name] for name in KEY_COLUMNS})
    keys = store.Columns(_batches(_spool_parts(spool), KEY_COLUMNS), key_schema)
    rows = sort_order(_seconds(keys.column("date")), doc_ranks(keys.column("doc_id"), doc_order),
                      keys.column("_pos").to_numpy())
    ids, n_sources = cluster_labels(keys, rows) if keys.num_rows else ([], [])
    cluster_id, sources = pa.array(ids, type=pa.string()), pa.array(n_sources, type=pa.int64())
    del ids, n_sources
    doc_ids = keys.column("doc_id")
    del keys
    return Ordering(
        rows=rows,
        cluster_id=cluster_id,
        n_sources=sources,
        dct_source=_by_doc(doc_ids, rows, {d: a[0] for d, a in anchor_of.items()}, "dct_source"),
        dct_status=_by_doc(doc_ids, rows, {d: a[1] for d, a in anchor_of.items()}, "dct_status"),
    )


_FILLED = ("cluster_id", "n_sources", "dct_source", "dct_status")
#: The categorical columns and their categories: a value outside them is missing in the table.
_CATEGORIES = {name: pa.array(list(dtype.categories), type=pa.string())
               for name, dtype in EVENT_COLUMNS.items() if isinstance(dtype, pd.CategoricalDtype)}


def _within(column: Any, categories: pa.Array) -> Any:
    """The column with its values outside ``categories`` made missing (as a categorical does)."""
    import pyarrow.compute as pc

    inside = pc.is_in(column, value_set=categories)
    if pc.all(pc.or_kleene(inside, pc.is_null(column))).as_py() is not False:
        return column
    return pc.if_else(inside, column, pa.scalar(None, type=column.type))


def write_ordered(spool: str | Path, ordering: Ordering, folder: str | Path, *, work: str | Path,
                  rows_per_part: int = store.ROWS_PER_PART) -> int:
    """Write the spooled rows as the dataset folder ``folder``, in table order (``ordering``),
    ``rows_per_part`` rows per part (one row group each; at least one part, even when empty),
    as :func:`timeline.store.write_dataset` writes the table. Returns the number of rows.

    One pass over the spool puts each row into the bucket file (under ``work``) of its output
    part; each bucket is then sorted and written. Memory: a batch of the spool, then one part.
    """
    folder, work = Path(folder), Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    out_schema = store.schema(EVENT_COLUMNS)
    n = len(ordering.rows)
    if n == 0:
        pq.write_table(out_schema.empty_table(), folder / "part-00000.parquet")
        return 0
    position = np.empty(n, dtype=np.int64)
    position[ordering.rows] = np.arange(n, dtype=np.int64)
    n_parts = -(-n // rows_per_part)
    work.mkdir(parents=True, exist_ok=True)
    writers: dict[int, pq.ParquetWriter] = {}
    seen = 0
    try:
        for path in _spool_parts(spool):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, use_threads=False):
                where = position[seen:seen + batch.num_rows]
                seen += batch.num_rows
                bucket = where // rows_per_part
                grouped = np.argsort(bucket, kind="stable")
                cuts = np.flatnonzero(np.diff(bucket[grouped])) + 1
                table = pa.Table.from_batches([batch]).drop_columns(["_pos", *_FILLED])
                for piece in np.split(grouped, cuts):
                    b = int(bucket[piece[0]])
                    chunk = table.take(piece).append_column("_row", pa.array(where[piece]))
                    if b not in writers:
                        writers[b] = pq.ParquetWriter(work / f"bucket-{b:05d}.parquet", chunk.schema)
                    writers[b].write_table(chunk)
    finally:
        for writer in writers.values():
            writer.close()
    if seen != n:
        raise ValueError(f"the spool holds {seen} rows, the ordering {n}")
    for b in range(n_parts):
        lo, hi = b * rows_per_part, min(n, (b + 1) * rows_per_part)
        path = work / f"bucket-{b:05d}.parquet"
        table = pq.read_table(path, use_threads=False)
        path.unlink()
        order = np.argsort(table.column("_row").to_numpy())
        filled = {"cluster_id": ordering.cluster_id[lo:hi], "n_sources": ordering.n_sources[lo:hi],
                  "dct_source": ordering.dct_source[lo:hi], "dct_status": ordering.dct_status[lo:hi]}
        arrays = []
        for field in out_schema:
            if field.name in filled:
                column = filled[field.name]
            else:  # taken in order, the bucket's own column released at once
                column = table.column(field.name).take(order)
                table = table.drop_columns([field.name])
            if column.type != field.type:
                column = column.cast(field.type)
            if field.name in _CATEGORIES and field.name not in filled:
                column = _within(column, _CATEGORIES[field.name])
            arrays.append(column)
        del table
        pq.write_table(pa.Table.from_arrays(arrays, schema=out_schema), folder / f"part-{b:05d}.parquet")
        del arrays
    shutil.rmtree(work, ignore_errors=True)
    return n


def iter_events(folder: str | Path, columns: Iterable[str] | None = None,
                batch_rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """The events dataset a batch of rows at a time, in table order, with the dtypes of
    :data:`timeline.table.EVENT_COLUMNS` (only ``columns`` where given). At least one frame
    (empty for an empty dataset)."""
    names = list(EVENT_COLUMNS) if columns is None else list(columns)
    dtypes = {name: EVENT_COLUMNS[name] for name in names}
    given = False
    for path in store.parts(folder):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=names, use_threads=False):
            given = True
            yield store.from_arrow(pa.Table.from_batches([batch]), dtypes)
    if not given:
        yield store.from_arrow(store.schema(dtypes).empty_table(), dtypes)


def read_events(folder: str | Path, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """The events dataset as one frame (only ``columns`` where given), with the dtypes of
    :data:`timeline.table.EVENT_COLUMNS`. It is read a part at a time, and its text columns hold
    one string per distinct value (:class:`timeline.store.Columns`)."""
    names = list(EVENT_COLUMNS) if columns is None else list(columns)
    dtypes = {name: EVENT_COLUMNS[name] for name in names}
    columns_read = store.Columns(_batches(store.parts(folder), names), store.schema(dtypes), plain=("event_id",))
    return columns_read.to_pandas(dtypes)


def write_events_csv(folder: str | Path, path: str | Path, batch_rows: int = BATCH_ROWS) -> Path:
    """``events.csv`` from the events dataset, ``batch_rows`` rows at a time; the same file as
    :meth:`timeline.pipeline.Timeline.to_csv` writes from the whole table."""
    from .exports.csvsafe import write_csv_chunks
    from .table import CSV_DATE_FORMATS

    return write_csv_chunks(iter_events(folder, batch_rows=batch_rows), path, date_format=CSV_DATE_FORMATS["events"])
