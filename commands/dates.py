"""Dates as people write them, the one parser every command uses (SPEC section 8).

ISO `2016-03-31`, UK `31/03/2016`, `31 March 2016`, a month `March 2016` or `07/2015`, a month
alone `jul`. A month without a day means its last day (a deadline "by March 2016").
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from commands.errors import BadInput
from commands.hygiene import check_plausible

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DATE_FORMS = "2016-03-31, 31/03/2016, 31 March 2016, March 2016 or 03/2016"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{4})")
_WRITTEN = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4})")
MAX_DATE_WORDS = 3  # "31 March 2016"


def month_number(word: str) -> int | None:
    """1–12 for a month name or its abbreviation of three letters or more ("jul", "Sept")."""
    key = word.lower().rstrip(".")
    if len(key) < 3:
        return None
    found = [n for n, name in enumerate(MONTHS, 1) if name.startswith(key)]
    return found[0] if len(found) == 1 else None


def month_name(number: int) -> str:
    """“March” for 3."""
    return MONTHS[number - 1].capitalize()


def calendar_date(year: int, month: int, day: int | None = None) -> date | None:
    """The day, or the month's last day when `day` is None; None if there is no such day."""
    if not 1 <= month <= 12:
        return None
    last = monthrange(year, month)[1]
    day = last if day is None else day
    return date(year, month, day) if 1 <= day <= last else None


def written_date(text: str, today: date | None = None, what: str = "date") -> date | None:
    """The date `text` is written as, or None if it is not written as a date at all.

    A month alone ("jul") needs `today`: it is the end of that month this year, or next year
    once this year's has passed. Raises BadInput for a date shape with no such day (31/02/2016).
    """
    words = " ".join(text.lower().split()).removeprefix("the ")
    found: date | None
    if match := _ISO.fullmatch(words):
        found = calendar_date(int(match[1]), int(match[2]), int(match[3]))
    elif match := _DAY_MONTH_YEAR.fullmatch(words):
        found = calendar_date(int(match[3]), int(match[2]), int(match[1]))
    elif match := _MONTH_YEAR.fullmatch(words):
        found = calendar_date(int(match[2]), int(match[1]))
    elif (match := _WRITTEN.fullmatch(words)) and (month := month_number(match[2])):
        found = calendar_date(int(match[3]), month, int(match[1]) if match[1] else None)
    elif today is not None and (month := month_number(words)) and " " not in words:
        found = calendar_date(today.year, month)
        if found is not None and found < today:
            found = calendar_date(today.year + 1, month)
    else:
        return None
    if found is None:
        raise BadInput(f"“{text}” is not a {what} (there is no such day): write {DATE_FORMS}.")
    return found


def parse_date(text: str, what: str = "date", today: date | None = None) -> date:
    """The date `text` names, within plausible years; a one-line refusal otherwise."""
    found = written_date(text, today, what)
    if found is None:
        raise BadInput(f"“{text}” is not a {what}: write it as {DATE_FORMS}.")
    return check_plausible(found, what)


def date_prefix(words: list[str], what: str = "date") -> tuple[date | None, int]:
    """The date the first one to three words write, and how many words it took."""
    for length in range(min(MAX_DATE_WORDS, len(words)), 0, -1):
        found = written_date(" ".join(words[:length]), what=what)
        if found is not None:
            return check_plausible(found, what), length
    return None, 0
