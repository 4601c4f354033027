"""Reading the rule files: PyYAML's safe loader, libyaml's C version when PyYAML has it.

The C loader gives the same result as :func:`yaml.safe_load` and is several times faster; the
rule files are read at every start, so it matters for start-up.
"""

from __future__ import annotations

from typing import Any

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml when available.

    Examples:
        >>> safe_load("a: [1, two]")
        {'a': [1, 'two']}
    """
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
