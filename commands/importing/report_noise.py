"""What in a report's text is not a recommendation: page furniture, contents lists, quoted
status logs, chief officers' replies, and which paragraphs still deserve a mention (pure)."""

from __future__ import annotations

import re
from collections import Counter

from commands.importing.report_areas import CONTENTS_ENTRY
from commands.importing.report_text import (
    ANCHOR_TEXT,
    RECOMMENDS,
    REFERENCE_LABEL,
    STATUS_LABEL,
    STATUS_TAG,
    STRUCTURAL,
    squash,
)

# "Page 3 of 40", "3 | Page", "- 12 -": the page's number, not its text.
_PAGE_LABEL = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*\|\s*page|page\s*\|\s*\d+|[-–]\s*\d+\s*[-–]|\d+\s+of\s+\d+)$",
    re.I,
)
# A running header or footer that ends with the page's number: "Blankshire Police – PEEL   Page 6 of 24".
_PAGE_LABEL_TAIL = re.compile(r"\S(?:\s+Page\s+\d+\s+of\s+\d+|(?:\s{2,}|\s*\|\s*)Page\s+\d+)$")
_CONTENTS_HEADING = re.compile(r"^(?:table\s+of\s+)?contents$", re.I)
_DOT_LEADER = re.compile(r"^\S.*?(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d+$")  # "Summary ........ 3"
_CONTENTS_TAIL = re.compile(r"^\S.*\D\s\d{1,3}$")
_KNOWN_HEADING = re.compile(rf"^(?:\d+\.?\s+)?(?:{STRUCTURAL}|{ANCHOR_TEXT})$", re.I)
_RUNNING_REPEATS = 3  # a line seen on this many pages is a running header or footer

STATUS_LOG = re.compile(rf"{STATUS_TAG}|^{STATUS_LABEL}", re.I)
REPLY_START = re.compile(
    r"^[“\"‘']?\s*(?:the\s+)?(?:deputy\s+)?(?:chief\s+(?:constable|fire\s+officer|executive)|"
    r"force|service|commissioner|pcc)(?:['’]s)?\s+(?:responded|replied|response|comments?|said)\b"
    r"|^(?:response|reply)\s+(?:from|of)\s+the\s+(?:chief|force|service)"
    r"|^(?:chief\s+constable|chief\s+fire\s+officer|force|service)['’]?s?\s+response\b"
    r"|^(?:our\s+)?response\s*[:–-]",
    re.I,
)
SATISFIED = re.compile(
    r"^[“\"‘']?\s*(?:i|we)\s+(?:am|are)\s+(?:satisfied|pleased|content|assured)\b", re.I
)
# Sentences a governance officer would want to hear about when they are not taken: a body told
# what it should do, a recommendation or area for improvement named as such.
_OBLIGED = re.compile(
    r"\b(?:the\s+)?(?:force|forces|service|services|constabulary|police|chief\s+constables?|"
    r"chief\s+fire\s+officers?|college\s+of\s+policing|home\s+office|npcc(?:\s+lead)?|pccs?|"
    r"commissioners?)(?:\s+and\s+its\s+partners)?\s+(?:should|must|needs\s+to|ought\s+to)\b",
    re.I,
)
# Told at the opening of a sentence ("South Yorkshire Police should …") or of a "that" clause
# ("HMIC considers that the force must …"); not "… areas where the force should improve".
_OBLIGED_OPENING = re.compile(rf"^(?:\S+\s+){{0,5}}?{_OBLIGED.pattern}", re.I)
_OBLIGED_AFTER_THAT = re.compile(rf"\bthat\s+(?:\S+\s+){{0,4}}?{_OBLIGED.pattern}", re.I)
_NAMED = re.compile(
    rf"\brecommends?\s+that\b|\bwe\s+{RECOMMENDS}|\bareas?\s+for\s+improvement\b|\bAFI\s*\d"
    r"|^recommendation\s+\d",
    re.I,
)


def says_what_a_body_should_do(text: str) -> bool:
    """Whether a sentence opens with a body told what to do: "… . The force should review …"."""
    return any(_OBLIGED_OPENING.match(s) for s in re.split(r"(?<=[.!?])\s+", text))


def looks_like_recommendation(text: str) -> bool:
    """Whether a paragraph reads like a recommendation, an area for improvement or one's source."""
    return bool(
        says_what_a_body_should_do(text) or _OBLIGED_AFTER_THAT.search(text) or _NAMED.search(text)
    )


def without_furniture(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines with page furniture and contents entries blanked (so line numbers hold), and the
    (index, text) of each contents entry removed."""
    shapes = Counter(_shape(line) for line in lines if _shape(line))
    contents: list[tuple[int, str]] = []
    cleaned = list(lines)
    in_contents = False
    for index, line in enumerate(lines):
        text = squash(line)
        if not text:
            continue
        if _CONTENTS_HEADING.match(text):
            in_contents = True
            cleaned[index] = ""
            continue
        entry = _DOT_LEADER.match(text) or (
            in_contents and (CONTENTS_ENTRY.match(line.strip()) or _CONTENTS_TAIL.match(text))
        )
        if entry:
            contents.append((index, text))
            cleaned[index] = ""
            continue
        in_contents = False
        if (
            _PAGE_LABEL.match(text)
            or _PAGE_LABEL_TAIL.search(line.strip())
            or shapes[_shape(line)] >= _RUNNING_REPEATS
        ):
            cleaned[index] = ""
    return cleaned, contents


def _shape(line: str) -> str:
    """The line with its numbers masked, when it could be a running header or footer; else ''."""
    text = squash(line)
    if len(text) < 4 or text.endswith((".", ":", ";", ",")) or _KNOWN_HEADING.match(text):
        return ""
    if text[0] in "•·●▪-–—*" or text[0].islower() or len(text.split()) > 20:
        return ""
    if re.search(r"\b(?:recommend\w*|should|must)\b", text, re.I) or REFERENCE_LABEL.match(text):
        return ""
    return re.sub(r"\d+", "#", text).casefold()
