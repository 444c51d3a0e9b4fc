"""Recommendations and areas for improvement extracted from a report's plain text (pure).

`extract_items` reads any layout paragraph by paragraph (report_scan), except one: a report
whose closing "Recommendations" section is grouped under "Immediately" / "Within three months"
/ ... headings (the HMIC 2013 CSE shape). There that section is the report's list, one
recommendation per paragraph, and the "Areas for improvement" paragraphs in the body sections
are its sources, restated: they are not extra items but are listed as passed, and they give
each closing recommendation its area (report_areas). Any other report's "Area(s) for
improvement" are items of kind "afi".

Every paragraph that reads like a recommendation but is not taken is listed as passed with the
reason; an item whose text repeats an earlier one (a summary list restated in the body) is
passed as a repeat.
"""

from __future__ import annotations

import re

from commands.importing.report_addressees import addressee_of
from commands.importing.report_areas import improvement_paragraphs, matching_area
from commands.importing.report_items import Candidate, Extraction, Passed, excerpt
from commands.importing.report_noise import looks_like_recommendation, without_furniture
from commands.importing.report_scan import Found, scan
from commands.importing.report_text import chunks, nonblank
from commands.timescales import Timescale, heading_timescale

_GROUPED_HEADING = re.compile(r"^(?:\d+\.?\s+)?recommendations$", re.I)
_AFI_HEADING = re.compile(r"^areas? for improvement$", re.I)
_RESTATED = "restates the closing Recommendations section (its source or summary)"


def extract_items(text: str) -> Extraction:
    """Every recommendation and area for improvement in the text, and what was passed over."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned, contents = without_furniture(lines)
    grouped = _grouped_recommendations(lines)
    if grouped is None:
        found, passed = scan(cleaned)
    else:
        start, end, found = grouped
        body = cleaned[:start] + [""] * (end - start) + cleaned[end:]
        restated, body_passed = scan(body)
        passed = [Passed(f.line, excerpt(f.text), f.area, _RESTATED) for f in restated]
        passed += [_restated(p) if _AFI_HEADING.match(p.heading) else p for p in body_passed]
    listed = [text for _, text in contents if looks_like_recommendation(text)]
    if listed:
        first = next(index for index, text in contents if text == listed[0])
        passed.append(Passed(first + 1, excerpt("; ".join(listed)), "Contents", "contents list"))
    items, repeats = _numbered(found)
    return Extraction(tuple(items), tuple(sorted(passed + repeats, key=lambda p: p.line)))


def _restated(passed: Passed) -> Passed:
    return Passed(passed.line, passed.excerpt, passed.heading, _RESTATED)


def _numbered(found: list[Found]) -> tuple[list[Candidate], list[Passed]]:
    """Candidates numbered in report order; a repeat of an earlier item's text is passed."""
    items: list[Candidate] = []
    repeats: list[Passed] = []
    seen: dict[str, int] = {}
    for f in found:
        key = " ".join(re.findall(r"[a-z0-9]+", f.text.casefold()))
        if key in seen:
            reason = f"repeats item {seen[key]} (line {items[seen[key] - 1].line})"
            repeats.append(Passed(f.line, excerpt(f.text), f.area, reason))
            continue
        seen[key] = len(items) + 1
        who = addressee_of(f.text)
        items.append(
            Candidate(
                number=len(items) + 1,
                kind=f.kind,
                area=f.area,
                text=f.text,
                timescale=f.timescale.text,
                deadline=f.timescale.deadline,
                addressee=who.text,
                force_delivers=who.force_delivers,
                line=f.line,
            )
        )
    return items, repeats


def _looks_like_heading(text: str) -> bool:
    return len(text.split()) <= 12 and not text.endswith((".", ":", ";", ",", ")", "?", "!"))


# Shape 1: a closing "Recommendations" section grouped by timescale


def _grouped_recommendations(lines: list[str]) -> tuple[int, int, list[Found]] | None:
    """(first line, line after, items) of a 'Recommendations' section split by timescale
    headings; None if the report has none."""
    start = next(
        (
            index
            for index, line in enumerate(lines)
            if _GROUPED_HEADING.match(line.strip())
            and (after := nonblank(lines, index, 1)) is not None
            and heading_timescale(lines[after]) is not None
        ),
        None,
    )
    if start is None:
        return None
    paragraphs = improvement_paragraphs(lines, start)
    found: list[Found] = []
    timescale = Timescale()
    end = len(lines)
    for chunk in chunks(lines, start + 1):
        if (heading := heading_timescale(chunk.text)) is not None:
            timescale = heading
        elif _looks_like_heading(chunk.text):
            end = chunk.line
            break
        else:
            area = matching_area(chunk.text, paragraphs)
            found.append(Found(chunk.line + 1, "recommendation", area, chunk.text, timescale))
    return start, end, found
