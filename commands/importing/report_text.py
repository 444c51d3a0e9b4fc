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
    numbered: bool = False  # "1.", "2)", "(a)", "(iv)": a list item, or a numbered heading
    number: int | None = None  # the marker's number when it is a digit: 2 for "2)" or "2."


TIMESCALE = r"immediately|within\s+\w+\s+months?"
# A register's status log: "[on]8th December 2016 [status]…" anywhere, or a line opening with
# "RAG status:", "Progress update –", "Update (May 2024):", "Current position:".
STATUS_TAG = r"\[\s*(?:on|status|date|update)\s*\]"
STATUS_LABEL = (
    r"(?:(?:rag\s+)?status|(?:progress\s+|latest\s+)?update(?:\s*\([^)]{0,30}\))?"
    r"|current\s+position)\s*[:–-]"
)
# "We recommend", "We also recommend", "HMICFRS further recommends": how a recommendation opens.
RECOMMENDS = r"(?:also\s+|further\s+|therefore\s+|now\s+|additionally\s+)?recommends?\b"
ANCHOR_TEXT = r"recommendations? from (?:the )?inspection report"
# A reference label on a line of its own, "Item 7", "Ref: 2016/14", "Rec no. 12", "ID R-3": it
# names the entry below it, so it is neither the entry's area nor a running header.
REFERENCE_LABEL = re.compile(
    r"^(?:item|ref(?:erence)?|rec(?:ommendation)?\.?\s*(?:no\.?|number|ref)|id|no\.?)"
    r"\s*(?:no\.?\s*)?[:.#–-]?\s*[A-Z]{0,4}[-/]?\d[\w./-]*\s*[:.]?$",
    re.I,
)
# Headings that are always a paragraph of their own, even with no blank line around them.
STRUCTURAL = (
    r"summary|review findings|conclusions?|strengths?|areas? for improvement|causes? of concern"
    r"|recommendations?(?:\s+\d+[a-z]?)?|our recommendations"
)
_STANDALONE = re.compile(rf"^(?:{STRUCTURAL}|{ANCHOR_TEXT}|{TIMESCALE})$", re.I)
# An inspection question heads its section: "How effective is the service at …?"
QUESTION_HEADING = re.compile(r"^(?:how|what|to what extent|does|is|are)\b[^.]{5,160}\?$", re.I)
# Sentences that open a recommendation start a paragraph of their own.
LEAD_IN = re.compile(
    r"^(?:(?:within|by|before|no\s+later\s+than|not\s+later\s+than|immediately)\b[^,.;:]{0,40},\s*)?"
    r"(?:to address (?:this|these|the) causes? of concern,?\s*)?"
    r"(?:we|hmic\w*|hm inspectorate\b[^,]{0,60}?|the (?:inspectorate|report|review|inspection))"
    rf"\s+{RECOMMENDS}",
    re.I,
)
# Lines that open a paragraph of their own: a numbered recommendation or AFI, a quoted reply.
_OPENS = re.compile(
    r"^(?:recommendation|afi|areas?\s+for\s+improvement|action\s+for\s+further\s+improvement)"
    r"(?:\s*\(afi\))?\s*\d+[a-z]?\s*[:.–—-]\s*\S"
    r"|^(?:(?:the\s+)?(?:chief\s+constable|chief\s+fire\s+officer|force|service)['’]?s?\s+"
    r"(?:response|responded|replied))\b|^response\s*[:–-]"
    rf"|^{STATUS_TAG}|^{STATUS_LABEL}",
    re.I,
)
# "The force should …" with a capital opens a sentence, so a new item in an unpunctuated list.
_OPENS_CASED = re.compile(r"^The\s+(?:force|service|constabulary)\s+(?:should|must|needs\s+to)\b")
# OCR renders printed bullets as "e" or "¢"; "o" is Word's second-level bullet.
_BULLET = re.compile(r"^[e¢•·●▪◦‣*o\-–—]\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(
    r"^(?:\(?(?:\d{1,2}|[a-h]|[ivx]{1,4})\)|\d{1,2}\.(?!\d)|[ivx]{1,4}\.)\s+(?P<text>\S.*)$"
)
# A numbered paragraph, "5.1 We recommend …" or "2.3.1 Governance": the number is no list marker.
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+(?P<text>[A-Z“\"‘'(].*)$")
# A line with one of these is a sentence, never a heading, however short.
_SAYS_TO_DO = re.compile(r"\b(?:should|must|recommend\w*)\b", re.I)
# A heading is much shorter than the first line of the paragraph under it; a wrapped
# paragraph's first line is about as long as its second.
_HEADING_SHARE = 0.75
# Several printed bullets run together on one line: "• review x • improve y".
_INLINE_BULLET = re.compile(r"\s+[•●▪]\s+")
# A status log run on after the recommendation: "… every month. [on]3rd May 2024 [status]…".
_STATUS_TAG = re.compile(STATUS_TAG, re.I)
_LONE_HEADING_WORDS = 8
# An entry of an unmarked list ends with ';', '; and' or '; or'; it is never longer than this.
_ENTRY_END = re.compile(r";(?:\s+(?:and|or))?$", re.I)
_ENTRY_LINES = 4
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


def _pieces(text: str) -> list[str]:
    """The line, or its parts when several printed bullets or a status log run together on it."""
    log: list[str] = []
    if (tag := _STATUS_TAG.search(text)) and tag.start() > 0:
        text, log = text[: tag.start()].rstrip(), [text[tag.start() :]]
    parts = _INLINE_BULLET.split(text)
    if len(parts) > 1:
        parts = [parts[0]] + [f"• {part}" for part in parts[1:]]
    return parts + log


def _lone_heading(lines: list[str], index: int, current: Chunk | None, gap: bool) -> bool:
    """A heading between paragraphs with no blank lines around it, as PDF text often has it:
    an inspection question, or a short title-like line after a finished sentence and before a
    capitalised line, or one that opens a section (after a blank line or a heading) with a
    paragraph straight under it."""
    text = squash(lines[index])
    after = squash(lines[index + 1]) if index + 1 < len(lines) else ""
    if numbered := _NUMBERED.match(after) or _PARAGRAPH_NUMBER.match(after):
        after = numbered["text"]  # "12. HMICFRS recommends …" under the heading
    finished = current is not None and current.text.endswith((".", "!", "?"))
    if QUESTION_HEADING.match(text) and text[:1].isupper() and (finished or current is None):
        return True
    if not (
        text[:1].isupper()
        and len(text.split()) <= _LONE_HEADING_WORDS
        and not text.endswith((".", ",", ";", ":", "!", "?"))
    ):
        return False
    if finished:
        return not after or after[:1].isupper() or after[:1] in "•·●▪"
    return (
        (current is None or (gap and not current.text.endswith(":")))  # no list under a lead-in
        and after[:1].isupper()
        and len(text) <= _HEADING_SHARE * len(after)
        and not _SAYS_TO_DO.search(text)
    )


def _unmarked_list_starts(lines: list[str]) -> set[int]:
    """Indexes of lines opening the entries of a list printed without markers under a lead-in
    ending with ':', as PDF text often loses the bullets: every entry but the last ends with
    ';' (or '; and', '; or'), the last with '.', and none runs over more than a few lines."""
    starts: set[int] = set()
    for index, line in enumerate(lines):
        if not squash(line).endswith(":"):
            continue
        entries, end = _list_entries(lines, index + 1)
        if len(entries) >= 2 and squash(lines[end]).endswith("."):
            starts.update(entries)
    return starts


def _list_entries(lines: list[str], start: int) -> tuple[list[int], int]:
    """Where each ';'-ended entry from `start` opens, and the last line read."""
    entries: list[int] = []
    opened: int | None = None
    index = nonblank(lines, start - 1, 1)
    while index is not None:
        text = squash(lines[index])
        if opened is None:
            if _BULLET.match(text) or _NUMBERED.match(text) or text.endswith(":"):
                break
            opened = index
        elif index - opened >= _ENTRY_LINES:
            break
        if _ENTRY_END.search(text):
            entries.append(opened)
            opened = None
        elif text.endswith("."):
            entries.append(opened)
            return entries, index
        if opened is None:  # blank lines may part entries, never an entry's lines
            index = nonblank(lines, index, 1)
        else:
            index = index + 1 if index + 1 < len(lines) and lines[index + 1].strip() else None
    return [], start


def chunks(lines: list[str], start: int) -> Iterator[Chunk]:
    """Paragraphs and bullets from `start` on, with page numbers, footnotes and wraps undone."""
    current: Chunk | None = None
    gap = False
    unmarked = _unmarked_list_starts(lines)
    for index in range(start, len(lines)):
        line = squash(lines[index])
        if index in unmarked:
            line = f"• {line}"
        if not line or _PAGE_NUMBER.match(line) or _FOOTNOTE.match(line):
            gap = True
            continue
        for text in _pieces(line):
            bullet = _BULLET.match(text)
            numbered = None if bullet else _NUMBERED.match(text)
            marked = bullet or numbered
            paragraph = None if marked else _PARAGRAPH_NUMBER.match(text)
            opener = marked or paragraph
            body = opener["text"] if opener else text
            alone = _STANDALONE.match(body) or _lone_heading(lines, index, current, gap)
            # a capitalised line after a bullet's closing full stop is the next paragraph
            after_list = current is not None and current.bullet and current.text.endswith(".")
            starts_new = (
                marked
                or paragraph
                or LEAD_IN.match(text)
                or _OPENS.match(text)
                or _OPENS_CASED.match(text)
                or alone
                or (after_list and text[:1].isupper())
            )
            # After a page break a paragraph carries on with a lower-case word.
            if current is not None and not starts_new and (not gap or text[0].islower()):
                current.text = _join(current.text, text)
            else:
                if current is not None:
                    yield current
                current = Chunk(index, body, marked is not None, numbered=numbered is not None)
                if numbered and (digits := re.match(r"\W*(\d+)", text)):
                    current.number = int(digits[1])
                if alone:
                    yield current
                    current = None
            gap = False
    if current is not None:
        yield current
