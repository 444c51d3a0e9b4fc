"""Recommendations extracted from the plain text of an inspection report (pure, no I/O).

Two report shapes are understood:

* a closing "Recommendations" section grouped under "Immediately" / "Within three months" /
  ... sub-headings, one recommendation per paragraph (HMIC 2013 CSE report);
* "We recommend that, within three months, ..." paragraphs under section headings, possibly
  leading into OCR bullet lists (HMIC 2015 post-inspection review).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from commands.importing.report_areas import improvement_paragraphs, matching_area
from commands.importing.report_text import (
    ANCHOR_TEXT,
    TIMESCALE,
    WE_RECOMMEND,
    Chunk,
    chunks,
    last_start,
    nonblank,
    squash,
)


@dataclass(frozen=True)
class ParsedRecommendation:
    """One recommendation as the report gives it."""

    number: int
    area: str
    timescale: str
    text: str
    line: int


class ReportParseError(ValueError):
    """The report text could not be read as recommendations; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six")
_NUMBER_WORDS += ("seven", "eight", "nine", "ten", "eleven", "twelve")
_WITHIN = re.compile(r"\bwithin\s+(\w+)\s+months?\b", re.I)
_IMMEDIATELY = re.compile(r"\bimmediately\b", re.I)
_TIMESCALE_HEADING = re.compile(rf"^(?:{TIMESCALE})$", re.I)
_ANCHOR = re.compile(rf"^{ANCHOR_TEXT}$", re.I)
_NUMBERED_HEADING = re.compile(r"^\d+\.\s+(?P<title>[A-Za-z].*)$")
_GROUPED_HEADING = re.compile(r"^(?:\d+\.?\s+)?recommendations$", re.I)
_BULLET_TAIL = re.compile(r"\s*(?:[;,]\s*(?:and|or)?|\band|\bor)$", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def parse_report(text: str) -> list[ParsedRecommendation]:
    """Every recommendation in the report text, in order. Raises ReportParseError when none found."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = _grouped_recommendations(lines)
    if found is None:
        found = _paragraph_recommendations(lines)
    if not found:
        raise ReportParseError(
            1,
            "no recommendations found: expected a 'Recommendations' section grouped by "
            "timescale, or 'We recommend that ...' paragraphs",
        )
    return [replace(rec, number=number) for number, rec in enumerate(found, 1)]


def _timescale(text: str) -> str:
    """'immediately', 'within <word> months' or '' for the timescale a phrase states."""
    if _IMMEDIATELY.search(text):
        return "immediately"
    match = _WITHIN.search(text)
    if not match:
        return ""
    count = match.group(1).lower()
    if count.isdigit() and 1 <= int(count) <= len(_NUMBER_WORDS):
        count = _NUMBER_WORDS[int(count) - 1]
    return f"within {count} {'month' if count in ('one', 'a') else 'months'}"


def _looks_like_heading(text: str) -> bool:
    return len(text.split()) <= 12 and not text.endswith((".", ":", ";", ",", ")", "?", "!"))


# Shape 1: a closing "Recommendations" section grouped by timescale


def _grouped_recommendations(lines: list[str]) -> list[ParsedRecommendation] | None:
    """Paragraphs of a 'Recommendations' section split by timescale headings; None if absent."""
    start = next(
        (
            index
            for index, line in enumerate(lines)
            if _GROUPED_HEADING.match(line.strip())
            and (after := nonblank(lines, index, 1)) is not None
            and _TIMESCALE_HEADING.match(lines[after].strip())
        ),
        None,
    )
    if start is None:
        return None
    paragraphs = improvement_paragraphs(lines, start)
    found: list[ParsedRecommendation] = []
    timescale = ""
    for chunk in chunks(lines, start + 1):
        if _TIMESCALE_HEADING.match(chunk.text):
            timescale = _timescale(chunk.text)
        elif _looks_like_heading(chunk.text):
            break
        else:
            area = matching_area(chunk.text, paragraphs)
            found.append(ParsedRecommendation(0, area, timescale, chunk.text, chunk.line + 1))
    return found


# Shape 2: "We recommend that ..." paragraphs under section headings


def _paragraph_recommendations(lines: list[str]) -> list[ParsedRecommendation]:
    """Recommendations from each 'We recommend that ...' paragraph and the bullets after it."""
    groups: list[tuple[Chunk, list[Chunk]]] = []
    in_group = False
    for chunk in chunks(lines, 0):
        if WE_RECOMMEND.match(chunk.text):
            groups.append((chunk, []))
            in_group = True
        elif chunk.bullet and in_group:
            groups[-1][1].append(chunk)
        else:
            in_group = False
    areas = _section_headings(lines)
    return [
        ParsedRecommendation(
            0, last_start(areas, intro.line), _timescale(intro.text), text, line + 1
        )
        for intro, bullets in groups
        for line, text in _split(intro, _nest(bullets))
    ]


def _section_headings(lines: list[str]) -> list[tuple[int, str]]:
    """(line, area) for headings above 'Recommendations from inspection report' and '3. X' ones."""
    headings = []
    for index, line in enumerate(lines):
        text = squash(line)
        numbered = _NUMBERED_HEADING.match(text)
        if _ANCHOR.match(text) and (above := nonblank(lines, index, -1)) is not None:
            headings.append((above, _area_name(lines[above])))
        elif numbered and _looks_like_heading(numbered["title"]):
            headings.append((index, _area_name(numbered["title"])))
    return sorted(headings)


def _area_name(heading: str) -> str:
    name = re.sub(r"^(?:\d+\.\s*)?(?:findings:\s*)?", "", squash(heading), flags=re.I)
    return name[:1].upper() + name[1:]


def _nest(chunks: list[Chunk]) -> list[Chunk]:
    """Top-level bullets, each holding the sub-bullets listed after it when it ends with ':'."""
    top: list[Chunk] = []
    for chunk in chunks:
        text = _BULLET_TAIL.sub("", chunk.text)
        if top and top[-1].text.endswith(":") and not _resumes_top_level(text, top):
            top[-1].children.append(text)
        else:
            top.append(Chunk(chunk.line, text, bullet=True))
    return top


def _resumes_top_level(text: str, top: list[Chunk]) -> bool:
    """Whether a bullet after a ':' bullet starts like the top-level ones ("ensures ...")."""
    first = _first_word(text)
    earlier = [_first_word(bullet.text) for bullet in top]
    return first in earlier or (_third_person(first) and all(map(_third_person, earlier)))


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0].casefold() if text.strip() else ""


def _third_person(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def _split(intro: Chunk, bullets: list[Chunk]) -> list[tuple[int, str]]:
    """(line, text) of each recommendation a paragraph and its bullets make.

    When the "We recommend" sentence itself leads into the list, each top-level bullet
    completes it and is a recommendation; otherwise the bullets are parts of the paragraph's
    single recommendation.
    """
    if bullets and intro.text.endswith(":") and not _SENTENCE_BREAK.search(intro.text):
        lead = intro.text[:-1].rstrip()
        return [(b.line, _render(f"{lead} {b.text}", b.children)) for b in bullets]
    parts = [_render(b.text, b.children, indent="  ") for b in bullets]
    return [(intro.line, _render(intro.text, parts))]


def _render(head: str, parts: list[str], indent: str = "") -> str:
    return head + "".join(f"\n{indent}- {part}" for part in parts)
