"""Reading the rule files: PyYAML's safe loader, libyaml's C version when PyYAML has it.

The C loader gives the same result as :func:`yaml.safe_load` and is several times faster; the
rule files are read at every start, so it matters for start-up (and their parsed data is kept
across processes: :mod:`timeline._startcache`).
"""

from __future__ import annotations

from typing import Any

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml when available; a text parsed by an earlier process
    comes from the start-up cache (:func:`timeline._startcache.load_yaml`), as a fresh copy.

    Examples:
        >>> safe_load("a: [1, two]")
        {'a': [1, 'two']}
    """
    from ._startcache import load_yaml

    return load_yaml(text, _parse)


def _parse(text: str) -> Any:
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
