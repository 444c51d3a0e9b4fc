"""Recommendations extracted from the plain text of an inspection report (pure, no I/O).

Two report shapes are understood:

* a closing "Recommendations" section grouped under "Immediately" / "Within three months" /
  ... sub-headings, one recommendation per paragraph (HMIC 2013 CSE report);
* "We recommend that, within three months, ..." paragraphs under section headings, possibly
  leading into OCR bullet lists (HMIC 2015 post-inspection review).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from math import log


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


@dataclass
class _Chunk:
    line: int  # 0-based index into the report's lines
    text: str
    bullet: bool = False
    children: list[str] = field(default_factory=list)


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six")
_NUMBER_WORDS += ("seven", "eight", "nine", "ten", "eleven", "twelve")
_WITHIN = re.compile(r"\bwithin\s+(\w+)\s+months?\b", re.I)
_IMMEDIATELY = re.compile(r"\bimmediately\b", re.I)
_TIMESCALE = r"immediately|within\s+\w+\s+months?"
_ANCHOR_TEXT = r"recommendations? from (?:the )?inspection report"
_TIMESCALE_HEADING = re.compile(rf"^(?:{_TIMESCALE})$", re.I)
_ANCHOR = re.compile(rf"^{_ANCHOR_TEXT}$", re.I)
# Lines that are always a paragraph of their own, even with no blank line around them.
_STANDALONE = re.compile(rf"^(?:summary|review findings|{_ANCHOR_TEXT}|{_TIMESCALE})$", re.I)
_WE_RECOMMEND = re.compile(r"^we recommend\b", re.I)
_NUMBERED_HEADING = re.compile(r"^\d+\.\s+(?P<title>[A-Za-z].*)$")
_GROUPED_HEADING = re.compile(r"^(?:\d+\.?\s+)?recommendations$", re.I)
# OCR renders printed bullets as "e" or "¢"; "o" is Word's second-level bullet.
_BULLET = re.compile(r"^[e¢•·●▪◦‣*o\-–—]\s+(?P<text>\S.*)$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_FOOTNOTE = re.compile(r"^[\u00b9\u00b2\u00b3\u2070-\u2079]")
_BULLET_TAIL = re.compile(r"\s*(?:[;,]\s*(?:and|or)?|\band|\bor)$", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.*?)(?:\t|\s{2,}|\s*\.{2,}|\s*…)[\s.…]*\d+$")
_CLOSING = re.compile(r"^(?:strengths?|areas? for improvement)$", re.I)
_AFI = re.compile(r"^areas? for improvement$", re.I)
# How clearly a recommendation must match an area-for-improvement paragraph (see _matching_area).
_MIN_SHARE = 0.2
_MIN_LEAD = 1.5


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


# Shared text helpers


def _squash(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    return _squash(text).casefold()


def _join(head: str, tail: str) -> str:
    if len(head) > 1 and head.endswith("-") and head[-2].isalpha():
        return head + tail  # "multi-" + "agency": a hyphenated word broken over two lines
    return f"{head} {tail}"


def _looks_like_heading(text: str) -> bool:
    return len(text.split()) <= 12 and not text.endswith((".", ":", ";", ",", ")", "?", "!"))


def _nonblank(lines: list[str], start: int, step: int) -> int | None:
    index = start + step
    while 0 <= index < len(lines):
        if lines[index].strip():
            return index
        index += step
    return None


def _last_start(starts: list[tuple[int, str]], line: int) -> str:
    return next((title for index, title in reversed(starts) if index <= line), "")


def _chunks(lines: list[str], start: int) -> Iterator[_Chunk]:
    """Paragraphs and bullets from `start` on, with page numbers, footnotes and wraps undone."""
    current: _Chunk | None = None
    gap = False
    for index in range(start, len(lines)):
        text = _squash(lines[index])
        if not text or _PAGE_NUMBER.match(text) or _FOOTNOTE.match(text):
            gap = True
            continue
        bullet = _BULLET.match(text)
        starts_new = bullet or _WE_RECOMMEND.match(text) or _STANDALONE.match(text)
        # After a page break a paragraph carries on with a lower-case word.
        if current is not None and not starts_new and (not gap or text[0].islower()):
            current.text = _join(current.text, text)
        else:
            if current is not None:
                yield current
            current = _Chunk(index, bullet["text"] if bullet else text, bullet is not None)
            if _STANDALONE.match(text):
                yield current
                current = None
        gap = False
    if current is not None:
        yield current


# Shape 1: a closing "Recommendations" section grouped by timescale


def _grouped_recommendations(lines: list[str]) -> list[ParsedRecommendation] | None:
    """Paragraphs of a 'Recommendations' section split by timescale headings; None if absent."""
    start = next(
        (
            index
            for index, line in enumerate(lines)
            if _GROUPED_HEADING.match(line.strip())
            and (after := _nonblank(lines, index, 1)) is not None
            and _TIMESCALE_HEADING.match(lines[after].strip())
        ),
        None,
    )
    if start is None:
        return None
    paragraphs = _improvement_paragraphs(lines, start)
    found: list[ParsedRecommendation] = []
    timescale = ""
    for chunk in _chunks(lines, start + 1):
        if _TIMESCALE_HEADING.match(chunk.text):
            timescale = _timescale(chunk.text)
        elif _looks_like_heading(chunk.text):
            break
        else:
            area = _matching_area(chunk.text, paragraphs)
            found.append(ParsedRecommendation(0, area, timescale, chunk.text, chunk.line + 1))
    return found


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.casefold()))


def _matching_area(text: str, paragraphs: list[tuple[str, frozenset[str]]]) -> str:
    """Section of the area-for-improvement paragraph sharing most of the text's rarer words.

    Words are weighted by inverse document frequency over those paragraphs, so "force",
    "should" and "child sexual exploitation" count for little and "audit" or "internet" for
    much. The best section is taken only when it holds _MIN_SHARE of the weight and leads every
    other section by _MIN_LEAD times; otherwise no paragraph is clearly the source and the area
    is left blank rather than guessed.
    """
    frequency = Counter(word for _, words in paragraphs for word in words)
    weight = {word: log((len(paragraphs) + 1) / (frequency[word] + 0.5)) for word in _words(text)}
    total = sum(weight.values()) or 1.0
    best: dict[str, float] = {}
    for area, words in paragraphs:
        share = sum(weight[word] for word in words & weight.keys()) / total
        best[area] = max(best.get(area, 0.0), share)
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True) + [("", 0.0)] * 2
    (area, top), (_, runner_up) = ranked[0], ranked[1]
    return area if top >= _MIN_SHARE and top >= _MIN_LEAD * runner_up else ""


def _improvement_paragraphs(lines: list[str], end: int) -> list[tuple[str, frozenset[str]]]:
    """(top-level section, words) of each paragraph under an 'Area(s) for improvement' heading.

    Headings are the contents list's entries found as lines on their own in the body; the
    executive summary is skipped because it restates findings made in the body's sections.
    """
    titles, body = _contents(lines)
    sections = _top_level_sections(lines, titles, body)
    keys = {_key(title) for title in titles}
    paragraphs: list[tuple[str, frozenset[str]]] = []
    in_improvements = False
    for chunk in _chunks(lines, body):
        if chunk.line >= end:
            break
        if _key(chunk.text) in keys:
            in_improvements = bool(_AFI.match(chunk.text))
        elif in_improvements:
            area = _last_start(sections, chunk.line)
            if "summary" not in area.casefold():
                paragraphs.append((area, _words(chunk.text)))
    return paragraphs


def _contents(lines: list[str]) -> tuple[list[str], int]:
    """Entry titles of the table of contents, and the index of the first line after it."""
    start = next((i + 1 for i, line in enumerate(lines) if _key(line) == "contents"), None)
    if start is None:
        return [], 0
    titles: list[str] = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        entry = _CONTENTS_ENTRY.match(text)
        if entry is None:
            return titles, index
        titles.append(_squash(entry["title"]))
    return titles, len(lines)


def _top_level_sections(lines: list[str], titles: list[str], body: int) -> list[tuple[int, str]]:
    """(body line, title) where each top-level section starts.

    A contents entry is top-level when it opens the contents, follows the "Strength(s)" /
    "Area(s) for improvement" entries that close each findings chapter, or has no text of its
    own (its heading is followed directly by the next entry's). An entry missing from the body
    starts where the next entry found there does.
    """
    found: list[int | None] = []
    position = body
    for title in titles:
        index = next(
            (i for i in range(position, len(lines)) if _key(lines[i]) == _key(title)), None
        )
        found.append(index)
        position = position if index is None else index + 1
    sections = []
    for k, title in enumerate(titles):
        start = next((index for index in found[k:] if index is not None), len(lines))
        after = None if found[k] is None else _nonblank(lines, found[k], 1)
        next_title = titles[k + 1] if k + 1 < len(titles) else None
        no_text = (
            after is not None and next_title is not None and _key(lines[after]) == _key(next_title)
        )
        if (k == 0 or _CLOSING.match(titles[k - 1]) or no_text) and not _CLOSING.match(title):
            sections.append((start, title))
    return sections


# Shape 2: "We recommend that ..." paragraphs under section headings


def _paragraph_recommendations(lines: list[str]) -> list[ParsedRecommendation]:
    """Recommendations from each 'We recommend that ...' paragraph and the bullets after it."""
    groups: list[tuple[_Chunk, list[_Chunk]]] = []
    in_group = False
    for chunk in _chunks(lines, 0):
        if _WE_RECOMMEND.match(chunk.text):
            groups.append((chunk, []))
            in_group = True
        elif chunk.bullet and in_group:
            groups[-1][1].append(chunk)
        else:
            in_group = False
    areas = _section_headings(lines)
    return [
        ParsedRecommendation(
            0, _last_start(areas, intro.line), _timescale(intro.text), text, line + 1
        )
        for intro, bullets in groups
        for line, text in _split(intro, _nest(bullets))
    ]


def _section_headings(lines: list[str]) -> list[tuple[int, str]]:
    """(line, area) for headings above 'Recommendations from inspection report' and '3. X' ones."""
    headings = []
    for index, line in enumerate(lines):
        text = _squash(line)
        numbered = _NUMBERED_HEADING.match(text)
        if _ANCHOR.match(text) and (above := _nonblank(lines, index, -1)) is not None:
            headings.append((above, _area_name(lines[above])))
        elif numbered and _looks_like_heading(numbered["title"]):
            headings.append((index, _area_name(numbered["title"])))
    return sorted(headings)


def _area_name(heading: str) -> str:
    name = re.sub(r"^(?:\d+\.\s*)?(?:findings:\s*)?", "", _squash(heading), flags=re.I)
    return name[:1].upper() + name[1:]


def _nest(chunks: list[_Chunk]) -> list[_Chunk]:
    """Top-level bullets, each holding the sub-bullets listed after it when it ends with ':'."""
    top: list[_Chunk] = []
    for chunk in chunks:
        text = _BULLET_TAIL.sub("", chunk.text)
        if top and top[-1].text.endswith(":") and not _resumes_top_level(text, top):
            top[-1].children.append(text)
        else:
            top.append(_Chunk(chunk.line, text, bullet=True))
    return top


def _resumes_top_level(text: str, top: list[_Chunk]) -> bool:
    """Whether a bullet after a ':' bullet starts like the top-level ones ("ensures ...")."""
    first = _first_word(text)
    earlier = [_first_word(bullet.text) for bullet in top]
    return first in earlier or (_third_person(first) and all(map(_third_person, earlier)))


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0].casefold() if text.strip() else ""


def _third_person(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def _split(intro: _Chunk, bullets: list[_Chunk]) -> list[tuple[int, str]]:
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
