"""timeline: from news articles to a dated, ordered table of events.

The temporal tagger is usable on its own::

    >>> import timeline
    >>> [(e.text, e.value) for e in timeline.tag("Two days later, talks resumed.", dct="2024-12-02")]
    [('Two days later', '2024-12-04')]
"""

from .errors import AnchorWarning, InputError, RuleError, TimelineError
from .model import TimeExpression
from .tagging import parse_dct, tag

__all__ = ["AnchorWarning", "InputError", "RuleError", "TimeExpression", "TimelineError", "parse_dct", "tag"]
__version__ = "0.1.0"
