"""Timescales as inspectorates write them: found in a sentence, normalised, and measured (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commands.dates import MONTHS, calendar_date, month_name, month_number

_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "eighteen": 18,
    "twenty-one": 21,
    "twenty-four": 24,
    "twenty-eight": 28,
    "thirty": 30,
}
# Counts up to twelve are stored in words ("within 12 months" → "within twelve months"), larger
# ones in digits ("within 28 days"), so one timescale is always spelt one way.
_IN_WORDS = {n: word for word, n in _COUNTS.items() if n <= 12 and word not in ("a", "an")}
_COUNT = r"\d{1,3}|" + "|".join(sorted(_COUNTS, key=len, reverse=True)).replace("-", "[- ]")
_WITHIN = re.compile(
    rf"\b(?:within|(?:in|over)\s+the\s+next)\s+(?:the\s+next\s+)?(?P<count>{_COUNT})\s+(?:calendar\s+)?"
    r"(?P<unit>day|week|month|year)s?\b",
    re.I,
)
_MONTH = (
    "|".join(m.capitalize() for m in MONTHS) + "|" + "|".join(m[:3].capitalize() for m in MONTHS)
)
_DATE = (
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d\d)"
    r"|(?P<nday>\d{1,2})/(?P<nmonth>\d{1,2})/(?P<nyear>(?:19|20)\d\d)\b"  # UK order: 31/03/2024
)
# A year alone is a deadline only as "the end of 2024": "by 2016 the force had ..." is history.
_BY_DATE = re.compile(
    r"\b(?P<lead>(?:by|before|(?:not|no)\s+later\s+than)(?:\s+the\s+end\s+of)?)\s+"
    rf"(?:{_DATE}|(?<=end of )(?P<year_only>(?:19|20)\d\d)\b)",
    re.I,
)
_PLAIN = (
    ("immediately", re.compile(r"\bimmediately\b|\bwith immediate effect\b", re.I)),
    ("urgently", re.compile(r"\burgently\b|\bas a matter of (?:urgency|priority)\b", re.I)),
    (
        "as soon as possible",
        re.compile(r"\bas soon as (?:is\s+)?(?:reasonably\s+)?(?:possible|practicable)\b", re.I),
    ),
)
# "immediately" later in a long sentence is usually how something is done ("attend calls
# immediately"), not when; a timescale word counts only near the start of the recommendation.
_LEAD_WORDS = 12
# What may follow a "within N days" that is the recommendation's deadline.
_CLOSES = re.compile(
    r"\s*(?:[.;:!?)]|,?\s*(?:and|or)\b|$|of\s+(?:the\s+)?(?:publication|this\s+report|receiv|receipt))",
    re.I,
)


@dataclass(frozen=True)
class Timescale:
    """A timescale as normalised text, and the date it names if it names one."""

    text: str = ""
    deadline: date | None = None


def find_timescale(text: str) -> Timescale:
    """The first timescale the text states: 'within three months', 'by 30 September 2023' ..."""
    text = " ".join(text.split())
    found: list[tuple[int, Timescale]] = []
    lead = " ".join(text.split()[:_LEAD_WORDS])
    if match := next((m for m in _WITHIN.finditer(text) if _is_deadline(m, len(lead))), None):
        found.append((match.start(), Timescale(_within(match["count"], match["unit"]))))
    if match := _BY_DATE.search(text):
        found.append((match.start(), Timescale(_by_text(match), _deadline(match))))
    for name, pattern in _PLAIN:
        if match := pattern.search(lead):
            found.append((match.start(), Timescale(name)))
    if not found:
        return Timescale()
    return min(found, key=lambda pair: pair[0])[1]


def _is_deadline(match: re.Match[str], lead_length: int) -> bool:
    """Whether a "within N …" states when the recommendation is due, not a standard it sets.

    Months and years are deadlines near the start or wherever they stand; days and weeks only
    opening the text or a clause ("Forces should, within 28 days, …"), at the end of a sentence
    or counted from the report ("within 28 days of publication"). "Tell victims within five
    days who is dealing with their case" is a standard of service.
    """
    if match["unit"].lower() in ("month", "year"):
        return True
    before = match.string[: match.start()].rstrip()
    opens = not before or (before.endswith(",") and match.start() < lead_length)
    return opens or bool(_CLOSES.match(match.string, match.end()))


def opens_with_timescale(text: str) -> bool:
    """Whether the text starts with a timescale ("by 31 March 2026, makes …", "immediately stops …")."""
    text = " ".join(text.split())
    return any(pattern.match(text) for pattern in (_WITHIN, _BY_DATE, *(p for _, p in _PLAIN)))


def heading_timescale(text: str) -> Timescale | None:
    """The timescale a line made only of one states ("Within 3 months", "By March 2024"), else None."""
    stripped = text.strip().rstrip(":").strip()
    found = find_timescale(stripped)
    if not found.text:
        return None
    rest = _WITHIN.sub("", _BY_DATE.sub("", stripped))
    for _, pattern in _PLAIN:
        rest = pattern.sub("", rest)
    return found if not re.search(r"[A-Za-z]{3,}", rest) else None


def timescale_length(timescale: str) -> tuple[int, str] | None:
    """(count, unit) of a 'within N units' timescale, unit one of day/week/month/year; else None."""
    match = _WITHIN.search(timescale)
    if not match:
        return None
    return _count(match["count"]), match["unit"].lower()


def timescale_deadline(timescale: str) -> date | None:
    """The date a 'by …' / 'not later than …' timescale names, or None."""
    match = _BY_DATE.search(timescale)
    return _deadline(match) if match else None


def _count(word: str) -> int:
    word = word.lower().replace(" ", "-")
    return int(word) if word.isdigit() else _COUNTS[word]


def _within(count_word: str, unit: str) -> str:
    count = _count(count_word)
    unit = unit.lower()
    return f"within {_IN_WORDS.get(count, str(count))} {unit}{'' if count == 1 else 's'}"


def _by_text(match: re.Match[str]) -> str:
    lead = " ".join(match["lead"].lower().split())
    if match["year_only"]:
        return f"{lead} {match['year_only']}"
    if match["nyear"]:
        deadline = _deadline(match)
        return (
            f"{lead} {deadline.day} {month_name(deadline.month)} {deadline.year}"
            if deadline
            else f"{lead} {match['nday']}/{match['nmonth']}/{match['nyear']}"
        )
    month = month_name(month_number(match["month"]) or 0)
    day = f"{int(match['day'])} " if match["day"] else ""
    return f"{lead} {day}{month} {match['year']}"


def _deadline(match: re.Match[str]) -> date | None:
    """The named day; a month or year alone means its last day."""
    if match["year_only"]:
        return date(int(match["year_only"]), 12, 31)
    if match["nyear"]:
        return calendar_date(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
    month = month_number(match["month"]) or 0
    return calendar_date(int(match["year"]), month, int(match["day"]) if match["day"] else None)
