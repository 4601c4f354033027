"""Shared style and helpers of the charts: fonts, sizes, colours, date numbers, empty figures,
the main window of a story (:func:`dense_window`), captions and :func:`save_figure`."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ..vocabulary import TYPE_COLORS

__all__ = ["TYPE_COLORS", "dense_window", "save_figure"]

# TYPE_COLORS (fixed colour per event type: Okabe-Ito, greys for the talk-only types) is
# defined in timeline.vocabulary with the types themselves, and re-exported here.
_UNKNOWN_COLOR = "#CCCCCC"

_POINT_PRECISIONS = frozenset({"minute", "hour", "part-of-day", "day"})
#: Precisions kept by the escalation chart (a week or finer).
_FINE_PRECISIONS = ("minute", "hour", "part-of-day", "day", "week")
_PRECISION_RANK = {p: i for i, p in enumerate(
    ("minute", "hour", "part-of-day", "day", "week", "month", "season", "quarter", "half", "year", "decade",
     "century"))}

_DEATH_WORDS = frozenset({"killed", "dead", "deaths", "death toll", "died", "toll", "killing", "fatalities"})
_FONT = 9            # base font size (>= 8 everywhere)
_ROW_IN = 0.23       # height of one sub-row of a lane, inches
_LANE_PAD = 0.45     # blank rows between lanes
_DAY = 1.0           # matplotlib date units are days


# --------------------------------------------------------------------------------------------
# Helpers shared by both charts
# --------------------------------------------------------------------------------------------

def _new_figure(width: float, height: float) -> Figure:
    """A figure outside pyplot's registry, with an Agg canvas (text extents need a renderer)."""
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _renderer(fig: Figure) -> Any:
    get = getattr(fig.canvas, "get_renderer", None)
    if get is not None:
        return get()
    # private matplotlib API, absent from its stubs: non-Agg canvases (e.g. a PDF-only backend)
    return fig._get_renderer()  # type: ignore[attr-defined]  # noqa: SLF001


def _num(values: Any) -> np.ndarray:
    """Datetimes (numpy/pandas, any unit, NaT allowed) as matplotlib date numbers (float days)."""
    arr = np.asarray(values, dtype="datetime64[s]")
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnat(arr)
    if ok.any():
        out[ok] = mdates.date2num(arr[ok])
    return out


def _from_num(x: float) -> np.datetime64:
    return np.datetime64(mdates.num2date(x).replace(tzinfo=None), "s")


def _fmt_day(x: float | np.datetime64, year: bool = True) -> str:
    ts = mdates.num2date(x) if not isinstance(x, np.datetime64) else pd.Timestamp(x)
    return f"{ts.day} {ts:%b}" + (f" {ts.year}" if year else "")


def _empty(ax: Axes | None, message: str, title: str | None) -> Figure:
    if ax is None:
        fig = _new_figure(8, 2.5)
        ax = fig.add_subplot()
    fig = cast(Figure, ax.figure)  # a SubFigure only when the caller's Axes lives in one
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="0.35", transform=ax.transAxes)
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    return fig


def _is_empty(events: pd.DataFrame | None) -> bool:
    return events is None or len(events) == 0 or "date" not in events or bool(events["date"].isna().all())


def _truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;:·-") + "…"


def _clean(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def dense_window(dates: Any, share: float = 0.8) -> tuple[np.datetime64, np.datetime64] | None:
    """The main period of a story: the shortest window holding ``share`` of the dates, grown
    outwards over neighbouring dates that lie close (within a quarter of its width, at least
    3 days).

    Returns ``(first, last)`` dates (inclusive), or None when there are no dates.

    Examples:
        >>> import numpy as np
        >>> d = np.array(["1970-01-01", "2011-01-01", "2024-11-27", "2024-11-28", "2024-11-30",
        ...               "2024-12-01", "2024-12-02", "2024-12-04", "2024-12-05", "2024-12-08"],
        ...              dtype="datetime64[s]")
        >>> [str(x)[:10] for x in dense_window(d)]
        ['2024-11-27', '2024-12-08']
    """
    x = np.sort(_num(dates))
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return None
    k = max(1, math.ceil(share * len(x)))
    widths = x[k - 1:] - x[: len(x) - k + 1]
    i = int(np.argmin(widths))
    lo_i, hi_i = i, i + k - 1
    tol = max(3.0, 0.25 * (x[hi_i] - x[lo_i]))
    while lo_i > 0 and x[lo_i] - x[lo_i - 1] <= tol:
        lo_i -= 1
    while hi_i < len(x) - 1 and x[hi_i + 1] - x[hi_i] <= tol:
        hi_i += 1
    return _from_num(x[lo_i]), _from_num(x[hi_i])


def _caption_sources(events: pd.DataFrame) -> str:
    n_docs = events["doc_id"].nunique() if "doc_id" in events else 0
    pub = events["published"].dropna() if "published" in events else pd.Series([], dtype="datetime64[s]")
    if len(pub):
        first, last = pd.Timestamp(pub.min()), pd.Timestamp(pub.max())
        when = (f"published {_fmt_day(np.datetime64(first, 's'))}" if first == last else
                f"published {_fmt_day(np.datetime64(first, 's'), year=first.year != last.year)} – "
                f"{_fmt_day(np.datetime64(last, 's'))}")
    else:
        when = "with no publication date"
    return (f"Source: {n_docs} news report{'s' if n_docs != 1 else ''} {when}; relative dates "
            f"(\u201cFriday night\u201d, \u201ca decade ago\u201d) are resolved against each report's "
            f"publication date (its anchor date).")


def _break_marks(left: Axes, right: Axes, size: float = 0.012) -> None:
    """The classic diagonal marks of a broken axis, on the facing edges of two axes."""
    for ax, xs in ((left, (1.0,)), (right, (0.0,))):
        # Marks drawn in axes coordinates, corrected for the axes' aspect so both sides match.
        w, h = ax.get_position().width, ax.get_position().height
        dx = size * 0.6 / max(w, 1e-6) * 0.25
        dy = size * 1.2 / max(h, 1e-6) * 0.25
        for x in xs:
            for y in (0.0, 1.0):
                ax.plot([x - dx, x + dx], [y - dy, y + dy], transform=ax.transAxes, color="0.2",
                        lw=1.0, clip_on=False, zorder=10, gid="break-mark")



def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)


# --------------------------------------------------------------------------------------------
# save_figure
# --------------------------------------------------------------------------------------------

def save_figure(fig: Figure, path: str | Path, *, formats: Iterable[str] = ("png",), dpi: int = 150) -> list[Path]:
    """Write ``fig`` once per format: ``save_figure(fig, "out/timeline", formats=("png", "svg"))``
    writes ``out/timeline.png`` and ``out/timeline.svg`` (150 dpi, tight bounding box).

    A suffix on ``path`` is replaced by each format's. Parent folders are created.
    Returns the paths written.

    A PNG is drawn once (:func:`_write_png`): the tight box is measured without matplotlib's
    extra layout-only draw, and an opaque image is written as RGB (the same pixels, a quarter
    less to compress).
    """
    base = Path(path)
    if base.suffix.lower().lstrip(".") in {"png", "svg", "pdf", "jpg", "jpeg"}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        out = base.with_name(f"{base.name}.{fmt}")
        if fmt == "png":
            _write_png(fig, out, dpi)
        else:
            fig.savefig(out, format=fmt, dpi=dpi, bbox_inches="tight", facecolor="white")
        written.append(out)
    return written


#: ``savefig``'s padding around a tight bounding box (its default, :rc:`savefig.pad_inches`).
_PAD_INCHES = 0.1


def _tight_bbox(fig: Figure, dpi: float) -> Bbox | None:
    """The box ``bbox_inches="tight"`` gives on an Agg canvas at ``dpi``, padded, in inches; None
    where it needs the layout-only draw that ``savefig`` makes first (a layout engine, axes placed
    by a locator, another canvas).

    ``savefig(bbox_inches="tight")`` draws the whole figure once without rendering, measures the
    box, then draws it again: with fixed axes the box can be measured directly, at the same dpi
    (the text extents measured here are cached for the one real draw).
    """
    if (not isinstance(fig.canvas, FigureCanvasAgg) or fig.get_layout_engine() is not None
            or any(ax.get_axes_locator() is not None for ax in fig.axes)):
        return None
    figure_dpi = fig.dpi
    fig.dpi = dpi
    try:
        # text is measured by the renderer's fonts at its dpi, whatever its size: a one-pixel
        # canvas, not a second full-size one beside the one the figure is then drawn on
        box = fig.get_tightbbox(RendererAgg(1, 1, dpi))
    finally:
        fig.dpi = figure_dpi
    return None if box is None else box.padded(_PAD_INCHES)


class _Pixels:
    """A write-only file for ``savefig(format="rgba")`` that keeps the renderer's buffer it is given
    (a memoryview, which keeps the renderer alive) instead of copying it."""

    def __init__(self) -> None:
        self.parts: list[memoryview] = []

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.parts.append(view)
        return view.nbytes

    def seek(self, offset: int, whence: int = 0) -> int:  # matplotlib asks for a file that has one
        return 0

    def array(self, width: int, height: int) -> np.ndarray | None:
        """The pixels as a (height, width, 4) array, or None if they are not that many bytes."""
        data: Any = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
        if memoryview(data).nbytes != width * height * 4:
            return None
        return np.frombuffer(data, dtype=np.uint8).reshape(height, width, 4)


def _write_png(fig: Figure, out: Path, dpi: int) -> None:
    """``fig.savefig(out, dpi=dpi, bbox_inches="tight", facecolor="white")`` with one draw instead of
    two; the image is the same, pixel for pixel, written as RGB when every pixel is opaque (it is, on
    the white face) by :func:`_png_bytes`."""
    box = _tight_bbox(fig, dpi)
    if box is not None:
        width, height = int(box.width * dpi), int(box.height * dpi)
        pixels = _Pixels()
        # a file-like object to matplotlib (write and seek), not an IO to its stubs
        fig.savefig(cast(Any, pixels), format="rgba", dpi=dpi, bbox_inches=box, facecolor="white")
        rgba = pixels.array(width, height) if width > 0 and height > 0 else None
        if rgba is not None:
            out.write_bytes(_png_bytes(rgba, dpi))
            return
    fig.savefig(out, format="png", dpi=dpi, bbox_inches="tight", facecolor="white", metadata={"Software": None})


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: Rows filtered and compressed at a time by :func:`_png_bytes` (a few MB, not a copy of the image).
_PNG_ROWS = 128


def _png_bytes(rgba: np.ndarray, dpi: float) -> bytes:
    """An 8-bit PNG of an (height, width, 4) image: RGB when it is opaque, else RGBA; its resolution
    (``pHYs``) as matplotlib writes it, no text chunks.

    Each row is filtered against the row above (PNG filter "Up": a chart's rows repeat the one above
    but for a few pixels) and compressed at zlib's default level, :data:`_PNG_ROWS` rows at a time:
    Pillow's encoder, which tries every filter on every row, takes about twice as long for a file
    a few percent larger.
    """
    height, width, _ = rgba.shape
    opaque = int(rgba[:, :, 3].min()) == 255
    channels = 3 if opaque else 4
    compressor = zlib.compressobj(6)
    idat: list[bytes] = []
    above = np.zeros(width * channels, dtype=np.uint8)  # the row "above" the first one
    for r0 in range(0, height, _PNG_ROWS):
        rows = rgba[r0:r0 + _PNG_ROWS, :, :channels].reshape(-1, width * channels)
        block = np.empty((len(rows), width * channels + 1), dtype=np.uint8)
        block[:, 0] = 2  # filter type "Up"
        np.subtract(rows[:1], above, out=block[:1, 1:])  # modulo 256, as PNG wants
        np.subtract(rows[1:], rows[:-1], out=block[1:, 1:])
        above = rows[-1].copy()
        idat.append(compressor.compress(block.data))
    idat.append(compressor.flush())
    per_metre = int(dpi / 0.0254 + 0.5)
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join((b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header),
                     _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _png_chunk(b"IDAT", b"".join(idat)), _png_chunk(b"IEND", b"")))
