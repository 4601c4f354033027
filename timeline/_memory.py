"""Giving freed memory back to the operating system between the phases of a large build.

A build's main process reads tables back, sorts, clusters and draws them, one phase after the
other; what a phase frees should not stay resident for the next. CPython and Arrow free their
large buffers with ``free``, and glibc's malloc keeps freed memory in its heap unless it was
mapped on its own. These helpers do nothing where the C library is not glibc.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

_LIBC: list[Any] = []


def _libc() -> Any:
    if not _LIBC:
        handle = None
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                handle = ctypes.CDLL(None)
                handle.mallopt, handle.malloc_trim  # noqa: B018 - glibc has both
            except (OSError, AttributeError):  # pragma: no cover - another C library
                handle = None
        _LIBC.append(handle)
    return _LIBC[0]


def map_large_blocks() -> None:
    """Keep every block of 128 KiB or more mapped on its own, so that freeing it returns it.

    glibc maps large blocks on their own, but each time such a block is freed it raises the size
    above which it does so to that block's (up to 32 MiB): after the first phase the Arrow
    buffers and NumPy arrays land in the heap and stay there. ``mallopt`` with a fixed threshold
    turns that off (and so trims the heap's top from 128 KiB free).
    """
    libc = _libc()
    if libc is not None:
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 128 * 1024)
        libc.mallopt(m_trim_threshold, 128 * 1024)


def release() -> None:
    """Collect garbage and give the heap's free pages back (``malloc_trim``): between phases."""
    gc.collect()
    trim()


def trim() -> None:
    """Give the heap's free pages back (``malloc_trim``) without collecting garbage: after a phase
    whose data is freed by reference counting alone (a table read back and converted, frames and
    lists), where :func:`release`'s full collection, a walk over every object of the process, finds
    nothing to free."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
