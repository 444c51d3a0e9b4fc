"""What the report extractor gives: the items a report makes, and what it passed over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Candidate:
    """One recommendation or area for improvement, as the report gives it."""

    number: int  # 1.. in report order; the item id is SOURCE-01, SOURCE-02 ...
    kind: str  # "recommendation" | "afi"
    area: str  # the report section it sits under, "" if none
    text: str
    timescale: str  # normalised as written: "immediately", "within three months", "urgently", ""
    deadline: date | None  # a date written in the text ("By 30 September 2023"), else None
    addressee: str  # as written: "chief constables", "the Home Office", "the force", "" ...
    force_delivers: bool  # False when addressed to other bodies only
    line: int  # 1-based line where it starts


@dataclass(frozen=True)
class Passed:
    """A paragraph that looked like a recommendation but was not taken, and why."""

    line: int
    excerpt: str
    heading: str
    reason: str

    def describe(self) -> str:
        """ "line 41: 'The force should …' under 'Conclusions' — not imported: <reason>"."""
        under = f" under '{self.heading}'" if self.heading else ""
        return f"line {self.line}: '{self.excerpt}'{under} — not imported: {self.reason}"


@dataclass(frozen=True)
class Extraction:
    items: tuple[Candidate, ...]
    passed: tuple[Passed, ...]


EXCERPT_CHARS = 80


def excerpt(text: str) -> str:
    """The text's first ~80 characters, cut at a word and marked when cut."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
