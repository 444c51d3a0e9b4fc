"""Items from any inspectorate layout, read paragraph by paragraph under its headings (pure).

A paragraph becomes an item when it opens with a recommending sentence ("We recommend that
…", "HMICFRS recommends …", "To address this cause of concern, we recommend …", "Recommendation
3: …", "AFI 7 – …") or sits in a section that holds recommendations or areas for improvement
(a "Recommendations" / "Recommendation 3" heading, an "Area(s) for improvement" heading) and
says what someone should do. A lead-in ending with ":" makes each bullet after it an item;
otherwise the bullets are parts of it. The area is the nearest heading above (a graded judgement
such as "Requires improvement" is no heading; topic headings straight under "Recommendations"
are its sub-sections). Paragraphs of findings, summaries, causes of concern, quoted replies and
status logs are never items; those that read like a recommendation are reported as passed, with
the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from commands.importing.report_items import Passed, excerpt
from commands.importing.report_lists import nest, render, split_list
from commands.importing.report_noise import (
    REPLY_START,
    SATISFIED,
    STATUS_LOG,
    looks_like_recommendation,
    says_what_a_body_should_do,
)
from commands.importing.report_text import (
    ANCHOR_TEXT,
    LEAD_IN,
    QUESTION_HEADING,
    RECOMMENDS,
    REFERENCE_LABEL,
    Chunk,
    chunks,
    nonblank,
    squash,
)
from commands.timescales import (
    Timescale,
    find_timescale,
    heading_timescale,
    opens_with_timescale,
)

_AFI_HEADING = re.compile(
    r"^(?:\d+\.?\s+)?(?:areas?\s+for\s+improvement|actions?\s+for\s+further\s+improvement"
    r"(?:\s*\(afis?\))?|afis?)(?:\s+\d+)?$",
    re.I,
)
_REC_HEADING = re.compile(
    r"^(?:our\s+|national\s+|further\s+|other\s+|force\s+|local\s+)?recommendations?"
    r"(?:\s+(?P<number>\d+[a-z]?))?(?:\s+(?:for|to)\s+.*)?$"
    rf"|^{ANCHOR_TEXT}$",
    re.I,
)
_ANCHOR = re.compile(rf"^{ANCHOR_TEXT}$", re.I)
_CONCERN_HEADING = re.compile(
    r"^(?:an?\s+)?causes?\s+of\s+concern(?:\s+\d+)?(?:\s*[:–-].*)?$", re.I
)
# Sections whose paragraphs are findings or commentary, never items.
_QUIET_HEADING = re.compile(
    r"^(?:\d+\.?\s+)?(?:(?:executive\s+)?summary(?:\s+of\s+findings)?|review\s+findings|"
    r"(?:our\s+)?(?:main\s+)?findings|conclusions?|introduction|background|strengths?|"
    r"(?:innovative|promising|notable)\s+practice|methodology|about\s+(?:this|the)\s+\w+|"
    r"progress(?:\s+since.*)?|(?:chief\s+constable|force|service)['’]?s?\s+response|"
    r"annex(?:e)?\s*\w*.*|appendix\s*\w*.*|glossary|foreword|overview)$",
    re.I,
)
_NUMBERED_TITLE = re.compile(r"^[A-Za-z]")
# "AFI 7 – The force should …", "Area for improvement 2: …", "Recommendation 3: By …".
_MARKED_ITEM = re.compile(
    r"^(?:(?P<afi>afi|areas?\s+for\s+improvement|actions?\s+for\s+further\s+improvement"
    r"(?:\s*\(afi\))?)|(?P<rec>recommendation))\s*(?P<number>\d+[a-z]?)?\s*[:.–—-]\s*(?P<text>\S.*)$",
    re.I,
)
# Says what to do near its start ("The service should …", "By March 2024, forces must …"), not a
# finding with a "should" deep inside it.
_SAYS_WHAT_TO_DO = re.compile(
    r"^(?:\S+\s+){0,12}?\S*\b(?:should|must|needs?\s+to|ought\s+to|is\s+to|are\s+to|"
    r"recommends?|(?:is|are)\s+required\s+to)\b",
    re.I,
)
_KNOWN_HEADING = re.compile(
    r"^(?:summary|conclusions?|recommendations?|areas?\s+for\s+improvement|causes?\s+of\s+concern|"
    r"strengths?|findings|introduction|background|annex\b.*|appendix\b.*)$",
    re.I,
)
# A lead-in that only announces a list: its bullets stand on their own.
_ANNOUNCES = re.compile(
    r"^(?:we|hmic\w*)\s+(?:make|makes|have\s+made|has\s+made)\b[^:]*:$"
    r"|^(?:we|hmic\w*)\s+recommends?\s+(?:the\s+following|as\s+follows)[^:]*:$",
    re.I,
)
_SENTENCE_LEAD_IN = re.compile(
    rf"(?<=[.!?])\s+(?=to address (?:this|these|the) causes? of concern\b|(?:we|hmic\w*)\s+{RECOMMENDS})",
    re.I,
)
_HEADING_WORDS = 12
# A graded judgement printed under a question heading: the grade, not a section of its own.
_GRADE = re.compile(
    r"^(?:(?:grade|rating|judgement)\s*[:–-]\s*)?"
    r"(?:outstanding|good|adequate|requires\s+improvement|inadequate)$",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """An item before numbering: its text, where it sits and what its lead-in said."""

    line: int  # 1-based
    kind: str
    area: str
    text: str
    timescale: Timescale


@dataclass
class _Place:
    """Where the reading is: the area, the last heading, and what kind of section it is."""

    area: str = ""
    heading: str = ""
    mode: str = "none"  # none | rec | rec-one | afi | afi-one | concern | reply
    timescale: Timescale = field(default_factory=Timescale)
    # "Recommendations" straight over a topic heading ("Custody") holds sub-sections: each topic
    # heading under it names the area and keeps this mode, until a section heading ends it.
    sections: str = ""
    after_heading: bool = False  # the last paragraph read was a heading
    section: int | None = None  # the number of the last numbered heading: 3 for "3. Findings"
    listed: int | None = None  # the number of the last numbered list item since then


def scan(lines: list[str]) -> tuple[list[Found], list[Passed]]:
    """Every item in the text and every recommendation-like paragraph passed over."""
    found: list[Found] = []
    passed: list[Passed] = []
    place = _Place()
    pieces = _split_lead_ins(list(chunks(lines, 0)))
    index = 0
    while index < len(pieces):
        chunk = pieces[index]
        index += 1
        if _GRADE.match(chunk.text):
            continue
        if STATUS_LOG.search(chunk.text):
            place.after_heading = False
            _pass(passed, chunk, place, "quoted status log")
            continue
        if _is_heading(chunk, place):
            _enter(place, chunk)
            place.after_heading = True
            if _ANCHOR.match(chunk.text) and (above := nonblank(lines, chunk.line, -1)) is not None:
                # the section's title sits right above, even when run into a footnote
                place.area = _area_name(lines[above])
            continue
        place.after_heading = False
        if REPLY_START.match(chunk.text):
            place.mode = "reply"
        elif place.mode == "reply" and (
            _MARKED_ITEM.match(chunk.text) or LEAD_IN.match(chunk.text)
        ):
            place.mode = "none"  # the next quoted recommendation after a reply
        if place.mode == "reply":
            _pass(passed, chunk, place, "chief officer's reply")
            continue
        if SATISFIED.match(chunk.text):
            _pass(passed, chunk, place, "a statement of assurance, not a recommendation")
            continue
        kind = _item_kind(chunk, place)
        if kind is None:
            listing = place.mode.startswith(("afi", "rec"))
            _pass(passed, chunk, place, _reason(place), always=listing)
            if listing and not chunk.bullet:
                place.mode = "none"  # explanation after the list: the list has ended
            continue
        bullets, index = _bullets_after(pieces, index, place)
        if not bullets and chunk.text.endswith(":") and LEAD_IN.match(chunk.text):
            # "HMIC recommends that:" over paragraphs of their own: it opens a list, it is
            # not an item; what follows is read as that list, with its timescale if it gives one.
            place.mode = "afi" if kind == "afi" else "rec"
            opened = find_timescale(chunk.text)
            place.timescale = opened if opened.text else place.timescale
            _pass(passed, chunk, place, "opens the list that follows", always=True)
            continue
        for numbered in (chunk, *bullets):
            place.listed = place.listed if numbered.number is None else numbered.number
        found += _items(chunk, bullets, kind, place)
        if place.mode in ("rec-one", "afi-one"):
            place.mode = "none"
    return found, passed


def _split_lead_ins(pieces: list[Chunk]) -> list[Chunk]:
    """Paragraphs split where a recommending sentence follows a finding in the same paragraph."""
    out: list[Chunk] = []
    for chunk in pieces:
        parts = _SENTENCE_LEAD_IN.split(chunk.text)
        out.append(
            Chunk(chunk.line, parts[0], chunk.bullet, numbered=chunk.numbered, number=chunk.number)
        )
        out += [Chunk(chunk.line, part) for part in parts[1:]]
    return out


def _is_heading(chunk: Chunk, place: _Place) -> bool:
    text = chunk.text
    if chunk.bullet and not (chunk.numbered and _NUMBERED_TITLE.match(text)):
        return False
    if (
        chunk.numbered
        and place.mode.startswith(("rec", "afi"))
        and not _KNOWN_HEADING.match(text)
        and not _next_section(chunk, place)
    ):
        return False  # "1. Review custody training" in a list of recommendations is an item
    if QUESTION_HEADING.match(text) and not chunk.bullet:
        return True
    if not text[:1].isupper() and not text[:1].isdigit():
        return False
    if _SAYS_WHAT_TO_DO.search(text) or LEAD_IN.match(text):
        return False  # "The force should review its custody policy", unpunctuated, is no title
    return len(text.split()) <= _HEADING_WORDS and not text.endswith(
        (".", ":", ";", ",", ")", "!", "?", "’", "”", '"')
    )


def _next_section(chunk: Chunk, place: _Place) -> bool:
    """Whether a numbered line carries on the headings' numbering ("4. Next steps" after
    "3. Recommendations") rather than the list's under it."""
    return (
        chunk.number is not None
        and place.section is not None
        and chunk.number == place.section + 1
        and chunk.number != (place.listed or 0) + 1
    )


def _enter(place: _Place, chunk: Chunk) -> None:
    """Move the place on past a heading."""
    text = squash(chunk.text)
    if chunk.number is not None:
        place.section, place.listed = chunk.number, None
    place.heading = text
    if REFERENCE_LABEL.match(text):
        # It names the entry below, which need not share the last heading's subject: no area
        # is better than a wrong one.
        place.area = ""
        return
    if (timescale := heading_timescale(text)) is not None:
        place.timescale = timescale
        if not place.mode.startswith(("rec", "afi")):
            place.mode = "rec"
        return
    if chunk.numbered and not _AFI_HEADING.match(text) and not _REC_HEADING.match(text):
        place.area = _area_name(text)
    if _AFI_HEADING.match(text):
        place.mode = "afi" if re.search(r"areas|actions|afis", text, re.I) else "afi-one"
    elif rec := _REC_HEADING.match(text):
        # "Recommendation 3" or "Recommendation" heads one item; "Recommendations" a list
        one = rec["number"] or not re.search(r"recommendations", text, re.I)
        place.mode = "rec-one" if one else "rec"
        if chunk.numbered:
            place.area = _area_name(text)
    elif _CONCERN_HEADING.match(text):
        place.mode = "concern"
    elif _QUIET_HEADING.match(text):
        place.mode = "reply" if REPLY_START.match(text) or "response" in text.lower() else "none"
    else:
        if place.after_heading and place.mode in ("rec", "afi", "concern"):
            place.sections = place.mode
        place.area = _area_name(text)
        place.mode = place.sections or "none"
        place.timescale = Timescale()
        return
    place.sections = ""
    place.timescale = Timescale()


def _area_name(heading: str) -> str:
    name = re.sub(r"^(?:\d+\.\s*)?(?:findings:\s*)?", "", squash(heading), flags=re.I)
    return name[:1].upper() + name[1:]


def _item_kind(chunk: Chunk, place: _Place) -> str | None:
    """'recommendation' or 'afi' when the paragraph is an item where it sits, else None."""
    text = chunk.text
    if marked := _MARKED_ITEM.match(text):
        return "afi" if marked["afi"] else "recommendation"
    if LEAD_IN.match(text):
        return "afi" if place.mode.startswith("afi") else "recommendation"
    if place.mode.startswith("afi") and (
        chunk.bullet or _SAYS_WHAT_TO_DO.search(text) or says_what_a_body_should_do(text)
    ):
        return "afi"
    if place.mode in ("rec", "rec-one") and (chunk.bullet or _SAYS_WHAT_TO_DO.search(text)):
        return "recommendation"
    if place.mode == "rec-one":
        return "recommendation"  # the paragraph under "Recommendation 3" is that recommendation
    return None


def _reason(place: _Place) -> str:
    if place.mode == "concern":
        return "cause of concern: a finding, not an item (its recommendations are)"
    if place.mode.startswith(("afi", "rec")):
        return "says nothing to do: read as the explanation after the list"
    return "no recommendation heading"


def _bullets_after(pieces: list[Chunk], index: int, place: _Place) -> tuple[list[Chunk], int]:
    """The bullets straight after a paragraph (not numbered headings), and where they end."""
    bullets = []
    while index < len(pieces) and pieces[index].bullet and not _is_heading(pieces[index], place):
        bullets.append(pieces[index])
        index += 1
    return bullets, index


def _items(intro: Chunk, bullets: list[Chunk], kind: str, place: _Place) -> list[Found]:
    """The item(s) a paragraph and its bullets make, each with its own or its lead-in's timescale.

    Under a "Recommendation 3" or "Area for improvement" heading, or after an "AFI 7 –" marker,
    the report counts one item: its bullets are parts of it, not items of their own, unless a
    bullet opens with its own timescale: then each bullet is a deliverable with its own due date.
    """
    whole = place.mode in ("rec-one", "afi-one")
    if marked := _MARKED_ITEM.match(intro.text):
        intro = Chunk(intro.line, marked["text"], intro.bullet)
        whole = True
    if whole and any(opens_with_timescale(b.text) for b in bullets):
        whole = False
    lead_timescale = find_timescale(intro.text)
    if not lead_timescale.text:
        lead_timescale = place.timescale
    if whole:
        parts = [render(b.text, b.children, indent="  ") for b in nest(bullets)]
        listed = [(intro.line, render(intro.text, parts))]
    elif intro.bullet:
        listed = [(b.line, render(b.text, b.children)) for b in nest([intro, *bullets])]
    elif bullets and _ANNOUNCES.match(intro.text):
        listed = [(b.line, render(b.text, b.children)) for b in nest(bullets)]
    else:
        listed = split_list(intro, nest(bullets))
    return [
        Found(line + 1, kind, place.area, text, _own_timescale(text, intro.text, lead_timescale))
        for line, text in listed
    ]


def _own_timescale(text: str, lead: str, lead_timescale: Timescale) -> Timescale:
    """A bullet's own timescale wins over its lead-in's."""
    head = lead.rstrip(":").rstrip()
    own = find_timescale(text[len(head) :] if text.startswith(head) else text)
    return own if own.text else lead_timescale


def _pass(
    passed: list[Passed], chunk: Chunk, place: _Place, reason: str, *, always: bool = False
) -> None:
    """Note a paragraph not taken: under a recommendations heading always, elsewhere when it
    reads like a recommendation."""
    if always or looks_like_recommendation(chunk.text):
        passed.append(Passed(chunk.line + 1, excerpt(chunk.text), place.heading, reason))
