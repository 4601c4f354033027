"""timeline: from news articles to a dated, ordered table of events.

The temporal tagger is usable on its own::

    >>> import timeline
    >>> [(e.text, e.value) for e in timeline.tag("Two days later, talks resumed.", dct="2024-12-02")]
    [('Two days later', '2024-12-04')]
"""

from .errors import AnchorWarning, InputError, RuleError, TimelineError
from .model import TimeExpression
from .tagging import parse_dct, tag

__all__ = ["AnchorWarning", "EventAnchor", "InputError", "RuleError", "TimeExpression", "Timeline", "TimelineError",
           "anchor_events", "build", "load", "parse_dct", "tag"]
__version__ = "0.1.0"


def __getattr__(name: str):  # lazy: `import timeline` for tagging alone stays light
    if name in ("build", "Timeline", "load"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("anchor_events", "EventAnchor"):
        from .events import anchor

        return getattr(anchor, name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
