"""Errors and warnings raised by timeline.

One hierarchy so callers can catch everything from this package with
``except TimelineError`` while still getting the built-in type they expect
(``InputError`` is also a ``ValueError``).
"""

from __future__ import annotations


class TimelineError(Exception):
    """Base class of every error raised by timeline."""


class InputError(TimelineError, ValueError):
    """A value given by the user is malformed; the message names it and the accepted forms."""


class RuleError(TimelineError):
    """A rule file is malformed (bad regex, unknown word list, missing field)."""


class AnchorWarning(UserWarning):
    """The anchor date (DCT) looks implausible given the text, or is missing."""
