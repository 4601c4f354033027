"""Read and write TimeML corpora: inline TimeML (``.tml``) and MEANTIME CAT XML.

The evaluation compares spans, so every reader turns a file into one plain text
plus TIMEX3 character offsets into it (Python ``str`` indices, so that
``doc.text[t.start:t.end] == t.text``). The plain text is the content of
``<TEXT>`` with every tag removed and XML entities decoded; line ends are
normalised to LF by the XML parser. The document creation time (DCT) is kept
as a date and is *not* one of the timexes (TempEval-3 does not score it).

:func:`write_timeml` writes tagger output back as TimeML 1.2, so that the output
can be read by the same reader (and by the official TempEval-3 toolkit).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from timeline.errors import InputError

__all__ = [
    "GoldTimex",
    "TimeMLDocument",
    "read_timeml",
    "read_cat",
    "read_corpus",
    "write_timeml",
]

#: Characters XML 1.0 cannot carry, even as character references.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DCT_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One annotated TIMEX3: its id, span in the plain text, and attributes.

    Attributes:
        tid: the annotation id (``tid`` in TimeML, ``m_id`` in CAT XML).
        start, end: Python ``str`` offsets into :attr:`TimeMLDocument.text`.
        text: ``document.text[start:end]``.
        type: TIMEX3 type (DATE, TIME, DURATION, SET).
        value: TIMEX3 value, as written in the file ("" if absent).
        mod: TIMEX3 mod, or None if absent.
    """

    tid: str
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True)
class TimeMLDocument:
    """A document of an annotated corpus: plain text, DCT and gold timexes.

    Attributes:
        doc_id: the ``<DOCID>`` (TimeML), ``doc_name`` (CAT) or the file stem.
        path: the file it was read from.
        text: the plain text the offsets refer to.
        dct: document creation time as a date, or None if absent/unparseable.
        timexes: gold TIMEX3 annotations in document order, DCT excluded.
    """

    doc_id: str
    path: str
    text: str
    dct: date | None
    timexes: tuple[GoldTimex, ...]


def local_name(tag: Any) -> str:
    """Tag name without an XML namespace (``{ns}TIMEX3`` -> ``TIMEX3``).

    Examples:
        >>> local_name("{http://example.org/ns}TIMEX3")
        'TIMEX3'
    """
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def parse_xml(path: Path) -> ET.Element:
    """The root element of an XML file; an :class:`~timeline.errors.InputError` naming the file
    when it cannot be read or is not well-formed."""
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputError(f"{path}: not well-formed XML ({err})") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read file ({err})") from err


_local = local_name
_parse_xml = parse_xml


def _parse_dct(value: str | None) -> date | None:
    """Date from the first 10 characters of a TIMEX3 value, None if not a date."""
    if not value:
        return None
    match = _DCT_DATE.match(value.strip()[:10])
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _is_creation_time(element: ET.Element) -> bool:
    return element.get("functionInDocument") == "CREATION_TIME"


def read_timeml(path: str | Path) -> TimeMLDocument:
    """Read an inline TimeML file into plain text, DCT and gold TIMEX3 spans.

    Raises:
        InputError: the file is missing, not well-formed XML, has no ``<TEXT>``,
            or has a TIMEX3 without ``type``.
    """
    path = Path(path)
    root = _parse_xml(path)
    return _timeml_from_root(root, path)


def text_spans(element: ET.Element) -> tuple[str, dict[int, tuple[int, int]]]:
    """The plain text inside ``element`` (tags removed) and the ``(start, end)`` span of every
    descendant, keyed by ``id(descendant)``. Iterative, so deep nesting cannot exhaust the stack.

    Examples:
        >>> root = ET.fromstring("<TEXT>On <TIMEX3>Friday</TIMEX3> night.</TEXT>")
        >>> text, spans = text_spans(root)
        >>> text, spans[id(root[0])]
        ('On Friday night.', (3, 9))
    """
    parts: list[str] = []
    length = 0
    spans: dict[int, tuple[int, int]] = {}
    # (element, entering?) pairs: on entering, record the start and push the children; on leaving,
    # record the end, then the element's tail (text after its closing tag) belongs to the parent
    stack: list[tuple[ET.Element, bool]] = [(element, True)]
    starts: dict[int, int] = {}
    while stack:
        node, entering = stack.pop()
        if entering:
            starts[id(node)] = length
            if node.text:
                parts.append(node.text)
                length += len(node.text)
            stack.append((node, False))
            stack.extend((child, True) for child in reversed(list(node)))
        else:
            spans[id(node)] = (starts[id(node)], length)
            if node is not element and node.tail:
                parts.append(node.tail)
                length += len(node.tail)
    return "".join(parts), spans


def _timeml_from_root(root: ET.Element, path: Path) -> TimeMLDocument:
    text_element = root if _local(root.tag) == "TEXT" else None
    if text_element is None:
        text_element = next((e for e in root.iter() if _local(e.tag) == "TEXT"), None)
    if text_element is None:
        raise InputError(f"{path}: no <TEXT> element; expected a TimeML document")

    dct_timex = None
    for element in root.iter():
        if _local(element.tag) == "DCT":
            dct_timex = next((e for e in element.iter() if _local(e.tag) == "TIMEX3"), None)
            if dct_timex is not None:
                break
    if dct_timex is None:
        dct_timex = next(
            (e for e in root.iter() if _local(e.tag) == "TIMEX3" and _is_creation_time(e)),
            None,
        )

    text, spans = text_spans(text_element)
    found = [(e, *spans[id(e)]) for e in text_element.iter()
             if e is not text_element and _local(e.tag) == "TIMEX3" and e is not dct_timex]

    timexes = []
    for element, start, end in sorted(found, key=lambda item: (item[1], -item[2])):
        if start == end:  # non-consuming TIMEX3: no extent to score
            continue
        timex_type = element.get("type")
        if timex_type is None:
            tid = element.get("tid", "?")
            raise InputError(f"{path}: TIMEX3 {tid} has no type attribute (DATE, TIME, DURATION or SET)")
        timexes.append(
            GoldTimex(
                tid=element.get("tid", ""),
                start=start,
                end=end,
                text=text[start:end],
                type=timex_type,
                value=element.get("value", ""),
                mod=element.get("mod"),
            )
        )

    doc_id = next(
        ((e.text or "").strip() for e in root.iter() if _local(e.tag) == "DOCID"),
        "",
    )
    return TimeMLDocument(
        doc_id=doc_id or path.stem,
        path=str(path),
        text=text,
        dct=_parse_dct(dct_timex.get("value")) if dct_timex is not None else None,
        timexes=tuple(timexes),
    )


def read_cat(path: str | Path) -> TimeMLDocument:
    """Read a MEANTIME CAT XML file (token-based stand-off) as a plain-text document.

    The text joins tokens with one space inside a sentence and a newline between
    sentences, so the spans are exact but the spacing is not the original one.
    TIMEX3 markables without token anchors and the DCT are left out.

    Raises:
        InputError: the file is missing, not well-formed, not CAT XML, or a
            TIMEX3 points at a token that does not exist.
    """
    path = Path(path)
    root = _parse_xml(path)
    return _cat_from_root(root, path)


def _cat_from_root(root: ET.Element, path: Path) -> TimeMLDocument:
    if _local(root.tag) != "Document":
        raise InputError(f"{path}: root element is <{_local(root.tag)}>, expected CAT XML <Document>")

    parts: list[str] = []
    length = 0
    token_spans: dict[str, tuple[int, int]] = {}
    sentence = None
    for token in root.iter():
        if _local(token.tag) != "token":
            continue
        if parts:
            separator = "\n" if token.get("sentence") != sentence else " "
            parts.append(separator)
            length += 1
        sentence = token.get("sentence")
        word = token.text or ""
        token_spans[token.get("t_id", "")] = (length, length + len(word))
        parts.append(word)
        length += len(word)
    text = "".join(parts)

    dct = None
    timexes = []
    markables = [e for e in root.iter() if _local(e.tag) == "Markables"]
    for markables_element in markables:
        for element in markables_element:
            if _local(element.tag) != "TIMEX3":
                continue
            if _is_creation_time(element):
                dct = dct or _parse_dct(element.get("value"))
                continue
            anchors = [a.get("t_id", "") for a in element if _local(a.tag) == "token_anchor"]
            if not anchors:
                continue
            missing = [t for t in anchors if t not in token_spans]
            if missing:
                raise InputError(f"{path}: TIMEX3 m_id={element.get('m_id')} anchors unknown token(s) {missing}")
            start = min(token_spans[t][0] for t in anchors)
            end = max(token_spans[t][1] for t in anchors)
            timexes.append(
                GoldTimex(
                    tid=element.get("m_id", ""),
                    start=start,
                    end=end,
                    text=text[start:end],
                    type=element.get("type", ""),
                    value=element.get("value", ""),
                    mod=element.get("mod") or None,
                )
            )
    timexes.sort(key=lambda t: (t.start, -t.end))
    return TimeMLDocument(
        doc_id=root.get("doc_name") or root.get("doc_id") or path.stem,
        path=str(path),
        text=text,
        dct=dct,
        timexes=tuple(timexes),
    )


def _read_any(path: Path) -> TimeMLDocument:
    """Read one file: ``.tml`` as TimeML, ``.xml`` as CAT or TimeML by its root element."""
    root = _parse_xml(path)
    tag = _local(root.tag)
    if path.suffix.lower() == ".tml" or tag == "TimeML":
        return _timeml_from_root(root, path)
    if tag == "Document":
        return _cat_from_root(root, path)
    raise InputError(
        f"{path}: root element <{tag}> is neither TimeML (<TimeML>) nor CAT XML (<Document>); "
        "point at a folder holding only TimeML/CAT files"
    )


def read_corpus(path: str | Path) -> list[TimeMLDocument]:
    """Read a corpus: one file, or every ``.tml``/``.xml`` file under a folder.

    Folders are walked recursively in path order; hidden files (``.*``, such as
    macOS ``._`` forks) are not documents. ``.tml`` files are read as TimeML,
    ``.xml`` files as CAT XML or TimeML according to their root element.

    Raises:
        InputError: the path does not exist, holds no such file, or a file is
            malformed (the message names the file).
    """
    path = Path(path)
    if path.is_file():
        return [_read_any(path)]
    if not path.is_dir():
        raise InputError(f"{path}: no such file or folder; expected a TimeML file or a corpus folder")
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in (".tml", ".xml") and not p.name.startswith(".")
    )
    if not files:
        raise InputError(f"{path}: no .tml or .xml files found")
    return [_read_any(p) for p in files]


def _escape_text(text: str) -> str:
    # "\r" as a character reference: a literal CR would be normalised to LF on reading.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attribute(value: str) -> str:
    return (
        _escape_text(value)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _attributes(pairs: Iterable[tuple[str, Any]]) -> str:
    return "".join(f' {name}="{_escape_attribute(str(value))}"' for name, value in pairs if value is not None)


def xml_safe(text: str) -> tuple[str, int]:
    """``text`` with each character XML 1.0 cannot hold (control characters) replaced by a
    space, so every offset stays the same, and how many were replaced."""
    count = 0

    def space(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return " "

    return _INVALID_XML_CHARS.sub(space, text), count


def write_timeml(
    path: str | Path,
    doc_id: str,
    text: str,
    dct: date | None,
    expressions: Iterable[Any],
) -> Path:
    """Write a text and its temporal expressions as an inline TimeML 1.2 file.

    ``expressions`` are objects with ``start``, ``end``, ``type``, ``value`` and
    ``mod`` attributes (``quant``/``freq`` are written too when present and not
    None), e.g. :class:`timeline.model.TimeExpression`. When expressions
    overlap, the first one given is kept and later overlapping ones are dropped,
    since inline XML cannot represent crossing spans. Reading the file back
    gives ``text`` exactly and the same spans and values. Without a DCT the
    ``<DCT>`` element is left out. Parent folders are created.

    Returns:
        The path written.

    Raises:
        InputError: a span lies outside the text or is empty, or the text holds
            characters XML 1.0 cannot represent.
    """
    path = Path(path)
    bad = _INVALID_XML_CHARS.search(text)
    if bad:
        raise InputError(
            f"{doc_id}: text has character {bad.group()!r} at offset {bad.start()}, which XML 1.0 cannot represent"
        )

    kept: list[Any] = []
    for expression in expressions:
        start, end = expression.start, expression.end
        if not (0 <= start < end <= len(text)):
            raise InputError(
                f"{doc_id}: expression span ({start}, {end}) is empty or outside the text (length {len(text)})"
            )
        if all(end <= other.start or start >= other.end for other in kept):
            kept.append(expression)
    kept.sort(key=lambda e: e.start)

    out = []
    position = 0
    for number, expression in enumerate(kept, start=1):
        attributes = _attributes(
            [
                ("tid", f"t{number}"),
                ("type", expression.type),
                ("value", expression.value),
                ("mod", getattr(expression, "mod", None)),
                ("quant", getattr(expression, "quant", None)),
                ("freq", getattr(expression, "freq", None)),
            ]
        )
        out.append(_escape_text(text[position : expression.start]))
        out.append(f"<TIMEX3{attributes}>{_escape_text(text[expression.start : expression.end])}</TIMEX3>")
        position = expression.end
    out.append(_escape_text(text[position:]))

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<TimeML>",
        f"<DOCID>{_escape_text(doc_id)}</DOCID>",
    ]
    if dct is not None:
        dct_attributes = _attributes(
            [
                ("tid", "t0"),
                ("type", "DATE"),
                ("value", dct.isoformat()),
                ("temporalFunction", "false"),
                ("functionInDocument", "CREATION_TIME"),
            ]
        )
        lines.append(f"<DCT><TIMEX3{dct_attributes}>{dct.isoformat()}</TIMEX3></DCT>")
    lines.append(f"<TEXT>{''.join(out)}</TEXT>")
    lines.append("</TimeML>\n")

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return path
