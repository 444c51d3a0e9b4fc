"""Paragraph chunking and text helpers shared by the report parser and its area matching."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Chunk:
    line: int  # 0-based index into the report's lines
    text: str
    bullet: bool = False
    children: list[str] = field(default_factory=list)


TIMESCALE = r"immediately|within\s+\w+\s+months?"
ANCHOR_TEXT = r"recommendations? from (?:the )?inspection report"
# Lines that are always a paragraph of their own, even with no blank line around them.
_STANDALONE = re.compile(rf"^(?:summary|review findings|{ANCHOR_TEXT}|{TIMESCALE})$", re.I)
WE_RECOMMEND = re.compile(r"^we recommend\b", re.I)
# OCR renders printed bullets as "e" or "¢"; "o" is Word's second-level bullet.
_BULLET = re.compile(r"^[e¢•·●▪◦‣*o\-–—]\s+(?P<text>\S.*)$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_FOOTNOTE = re.compile(r"^[\u00b9\u00b2\u00b3\u2070-\u2079]")


def squash(text: str) -> str:
    """The text with each run of whitespace made one space, and none at the ends."""
    return " ".join(text.split())


def text_key(text: str) -> str:
    """The text squashed and case-folded, for comparing headings with contents entries."""
    return squash(text).casefold()


def _join(head: str, tail: str) -> str:
    if len(head) > 1 and head.endswith("-") and head[-2].isalpha():
        return head + tail  # "multi-" + "agency": a hyphenated word broken over two lines
    return f"{head} {tail}"


def nonblank(lines: list[str], start: int, step: int) -> int | None:
    """Index of the first non-blank line from start + step on, moving by step; None if none."""
    index = start + step
    while 0 <= index < len(lines):
        if lines[index].strip():
            return index
        index += step
    return None


def last_start(starts: list[tuple[int, str]], line: int) -> str:
    """Title of the last (line, title) start at or before the line, or ''."""
    return next((title for index, title in reversed(starts) if index <= line), "")


def chunks(lines: list[str], start: int) -> Iterator[Chunk]:
    """Paragraphs and bullets from `start` on, with page numbers, footnotes and wraps undone."""
    current: Chunk | None = None
    gap = False
    for index in range(start, len(lines)):
        text = squash(lines[index])
        if not text or _PAGE_NUMBER.match(text) or _FOOTNOTE.match(text):
            gap = True
            continue
        bullet = _BULLET.match(text)
        starts_new = bullet or WE_RECOMMEND.match(text) or _STANDALONE.match(text)
        # After a page break a paragraph carries on with a lower-case word.
        if current is not None and not starts_new and (not gap or text[0].islower()):
            current.text = _join(current.text, text)
        else:
            if current is not None:
                yield current
            current = Chunk(index, bullet["text"] if bullet else text, bullet is not None)
            if _STANDALONE.match(text):
                yield current
                current = None
        gap = False
    if current is not None:
        yield current
