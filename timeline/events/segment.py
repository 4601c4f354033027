"""Split an article into sentences with offsets, and mark page furniture.

Sentence splitting uses syntok (a maintained rule-based segmenter that keeps
character offsets). Page furniture ("Related Posts", "Subscribe to ...", author
biographies after "Discover more from ...") and headings (lines without final
punctuation) are kept but flagged so that no event is read from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import syntok.segmenter as syntok_segmenter
import yaml


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: offsets into the document text and flags."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    is_heading: bool = False
    is_furniture: bool = False

    @property
    def is_body(self) -> bool:
        """True when events may be read from this sentence."""
        return not (self.is_heading or self.is_furniture)


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = yaml.safe_load(
        (resources.files("timeline") / "rules" / "en" / "events" / "furniture.yaml").read_text(encoding="utf-8")
    )

    def alternation(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"^\W*(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)

    return alternation(data["end_of_article"]), alternation(data["furniture_line"])


_FINAL_PUNCT = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets; headings and page furniture flagged.

    Examples:
        >>> [s.text for s in split_sentences("Rebels entered Aleppo. The army withdrew.")]
        ['Rebels entered Aleppo.', 'The army withdrew.']
    """
    end_cue, line_cue = _furniture()
    out: list[Sentence] = []
    after_end = False
    for p_index, paragraph in enumerate(syntok_segmenter.analyze(text)):
        for sentence in paragraph:
            if not sentence:
                continue
            start = sentence[0].offset
            last = sentence[-1]
            end = last.offset + len(last.value)
            chunk = text[start:end]
            if end_cue.search(chunk):
                after_end = True
            furniture = after_end or bool(line_cue.search(chunk))
            heading = not _FINAL_PUNCT.search(chunk)
            out.append(Sentence(len(out), start, end, chunk, p_index, is_heading=heading, is_furniture=furniture))
    return out
