"""Which section of a 2013-shape report a closing recommendation came from (pure, no I/O).

The report's contents list names its sections; the "Areas for improvement" paragraphs under
each are matched against a recommendation by weighted word overlap.
"""

from __future__ import annotations

import re
from collections import Counter
from math import log

from commands.importing.report_text import chunks, last_start, nonblank, squash, text_key

CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.*?)(?:\t|\s{2,}|\s*\.{2,}|\s*…)[\s.…]*\d+$")
_CLOSING = re.compile(r"^(?:strengths?|areas? for improvement)$", re.I)
_AFI = re.compile(r"^areas? for improvement$", re.I)
# How clearly a recommendation must match an area-for-improvement paragraph (see matching_area).
_MIN_SHARE = 0.2
_MIN_LEAD = 1.5


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.casefold()))


def matching_area(text: str, paragraphs: list[tuple[str, frozenset[str]]]) -> str:
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


def improvement_paragraphs(lines: list[str], end: int) -> list[tuple[str, frozenset[str]]]:
    """(top-level section, words) of each paragraph under an 'Area(s) for improvement' heading.

    Headings are the contents list's entries found as lines on their own in the body; the
    executive summary is skipped because it restates findings made in the body's sections.
    """
    titles, body = _contents(lines)
    sections = _top_level_sections(lines, titles, body)
    keys = {text_key(title) for title in titles}
    paragraphs: list[tuple[str, frozenset[str]]] = []
    in_improvements = False
    for chunk in chunks(lines, body):
        if chunk.line >= end:
            break
        if text_key(chunk.text) in keys:
            in_improvements = bool(_AFI.match(chunk.text))
        elif in_improvements:
            area = last_start(sections, chunk.line)
            if "summary" not in area.casefold():
                paragraphs.append((area, _words(chunk.text)))
    return paragraphs


def _contents(lines: list[str]) -> tuple[list[str], int]:
    """Entry titles of the table of contents, and the index of the first line after it."""
    start = next((i + 1 for i, line in enumerate(lines) if text_key(line) == "contents"), None)
    if start is None:
        return [], 0
    titles: list[str] = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        entry = CONTENTS_ENTRY.match(text)
        if entry is None:
            return titles, index
        titles.append(squash(entry["title"]))
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
            (i for i in range(position, len(lines)) if text_key(lines[i]) == text_key(title)), None
        )
        found.append(index)
        position = position if index is None else index + 1
    sections = []
    for k, title in enumerate(titles):
        start = next((index for index in found[k:] if index is not None), len(lines))
        after = None if found[k] is None else nonblank(lines, found[k], 1)
        next_title = titles[k + 1] if k + 1 < len(titles) else None
        no_text = (
            after is not None
            and next_title is not None
            and text_key(lines[after]) == text_key(next_title)
        )
        if (k == 0 or _CLOSING.match(titles[k - 1]) or no_text) and not _CLOSING.match(title):
            sections.append((start, title))
    return sections
