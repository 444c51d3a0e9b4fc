"""Reading one register cell as offices write it: dates, statuses, kinds, leads, districts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from commands.districts import Districts
from storage.models import ITEM_KINDS

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts a 29 February 1900 that never was)
EXCEL_SERIALS = range(20_000, 80_000)  # 1954 to 2119: a bare number outside is not a date
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# A register is kept by the governance office, so "Complete"/"Closed" there is a sign-off:
# closed. "Implemented" keeps govbot's meaning (the lead says done, awaiting sign-off).
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "not started",
            "not yet started",
            "new",
            "open",
            "outstanding",
            "to do",
            "todo",
            "not due",
            "awaiting allocation",
        ),
        "not started",
    ),
    **dict.fromkeys(
        (
            "in progress",
            "ongoing",
            "on going",
            "underway",
            "under way",
            "started",
            "progressing",
            "on track",
            "partially complete",
            "partially completed",
            "partially implemented",
            "partially met",
            "wip",
        ),
        "in progress",
    ),
    **dict.fromkeys(("blocked", "on hold", "stalled", "delayed"), "blocked"),
    **dict.fromkeys(
        (
            "implemented",
            "awaiting sign off",
            "proposed for closure",
            "ready for closure",
            "pending closure",
            "awaiting closure",
            "for closure",
        ),
        "implemented",
    ),
    **dict.fromkeys(
        (
            "closed",
            "complete",
            "completed",
            "done",
            "signed off",
            "discharged",
            "achieved",
            "met",
            "fully implemented",
            "finished",
        ),
        "closed",
    ),
    **dict.fromkeys(
        ("superseded", "withdrawn", "no longer applicable", "not applicable", "n a", "replaced"),
        "superseded",
    ),
    **dict.fromkeys(("not accepted", "rejected", "declined", "not agreed"), "not accepted"),
}
KIND_WORDS: dict[str, str] = {
    **{k: k for k in ITEM_KINDS},
    "rec": "recommendation",
    "recommendations": "recommendation",
    "area for improvement": "afi",
    "areas for improvement": "afi",
    "afi": "afi",
    "actions": "action",
    "commitments": "commitment",
}
RAG_WORDS = {
    "r": "red",
    "red": "red",
    "a": "amber",
    "amber": "amber",
    "g": "green",
    "green": "green",
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_US_WORDY_DATE = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_USER_ID = re.compile(
    r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|(?<![A-Za-z0-9])@?([UW](?=[A-Z]*\d)[A-Z0-9]{5,})\b"
)
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;/&+\n]|\band\b)\s*", re.IGNORECASE)


def cell_text(value: object) -> str:
    """A cell as text, with the quote `cell_safe` put before a formula-like value taken off."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_LEADS:
        return text[1:]
    return text


def words(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: "Signed-off." → "signed off"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def parse_date(value: object) -> date:
    """A date as offices write it: 31/03/2016, 31 March 2016, 2016-03-31, an Excel date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in EXCEL_SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = cell_text(value)
    if text.isdecimal() and int(text) in EXCEL_SERIALS:
        return EXCEL_EPOCH + timedelta(days=int(text))
    for stamp in (text, text[:10]):
        try:
            return date.fromisoformat(stamp)
        except ValueError:
            pass
    lowered = text.lower()
    if match := _NUMERIC_DATE.match(lowered):
        day, month, year = (int(g) for g in match.groups())
        return date(year + 2000 if year < 100 else year, month, day)  # UK order: day first
    if match := _WORDY_DATE.match(lowered):
        day, month, year = match.groups()
        return date(int(year), _MONTHS[month], int(day))
    if match := _US_WORDY_DATE.match(lowered):
        month, day, year = match.groups()
        return date(int(year), _MONTHS[month], int(day))
    raise ValueError


def parse_status(text: str) -> str:
    """The status a register's word means (see STATUS_WORDS)."""
    return STATUS_WORDS[words(text)]


def parse_kind(text: str) -> str:
    return KIND_WORDS[words(text)]


def parse_rag(text: str) -> str:
    return RAG_WORDS[words(text)]


def parse_yes_no(text: str) -> bool:
    lowered = words(text)
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError


def parse_districts(text: str, districts: Districts) -> tuple[str, ...]:
    """The districts a cell names, in the configured order; "Force-wide"/"All" name none."""
    names = [n for n in _LIST_SEPARATORS.split(text) if n.strip()]
    if [words(n) for n in names] in (["force wide"], ["forcewide"], ["all"], ["force"]):
        return ()
    found = set()
    for name in names:
        whole = districts.find(name)
        parts = [whole] if whole else [districts.find(part) for part in words(name).split()]
        if not all(parts) or districts.find("other") in parts:
            raise KeyError(name.strip())
        found.update(parts)
    return tuple(d for d in districts.names if d in found)


def parse_lead(text: str) -> tuple[tuple[str, ...], str]:
    """Slack user ids in the cell, and what else it says (a name or role) as plain text."""
    ids: list[str] = []
    for match in _USER_ID.finditer(text):
        user = match.group(1) or match.group(2)
        if user not in ids:
            ids.append(user)
    rest = _USER_ID.sub(" ", text)
    rest = " ".join(re.sub(r"^[\s,;/&()\-]+|[\s,;/&()\-]+$", "", rest).split())
    return tuple(ids), rest
