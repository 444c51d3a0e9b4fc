"""Period headers as people write them in spreadsheets: Apr-15, April 2015, 2015-04, 04/2015, Apr."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from commands.importing.figures_common import SNAPSHOT_METRICS, fold

EXPECTED_PERIOD = "a month such as Apr-15, Apr 15, April 2015, 2015-04, 04/2015 or Apr, or a date"
_MONTH_NAMES: tuple[str, ...] = tuple(m.lower() for m in calendar.month_name[1:])
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
_NAMED_MONTH = re.compile(r"([a-z]{3,9})\.?[\s'’-]*(\d{2}|\d{4})?")
_NAMED_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?[\s'’-]+(\d{2}|\d{4})")
_FINANCIAL_YEAR = re.compile(r"(?<!\d)(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class HeaderPeriod:
    """A period header as read: the year may be missing ("Apr"), the day is there for a date."""

    month: int
    year: int | None = None
    day: int | None = None
    from_date_cell: bool = False  # a spreadsheet date: Excel keeps "Apr-15" as 1 April 2015


@dataclass(frozen=True)
class YearContext:
    """The year month-only headers belong to: a calendar year, or a financial year from April."""

    start: int
    financial: bool

    def year_of(self, month: int) -> int:
        return self.start + 1 if self.financial and month < 4 else self.start


def read_period_header(value: object) -> HeaderPeriod | None:
    """The period a header cell names, or None when it names none."""
    if isinstance(value, datetime | date):
        return HeaderPeriod(value.month, value.year, value.day, from_date_cell=True)
    if not isinstance(value, str):
        return None
    text = " ".join(fold(value).strip().lower().split())
    if m := _ISO_DATE.fullmatch(text):
        return _checked(int(m[2]), int(m[1]), int(m[3]))
    if m := _ISO_MONTH.fullmatch(text):
        return _checked(int(m[2]), int(m[1]))
    if m := _SLASH_DATE.fullmatch(text):
        return _checked(int(m[2]), _full_year(m[3]), int(m[1]))
    if m := _SLASH_MONTH.fullmatch(text):
        return _checked(int(m[1]), int(m[2]))
    if m := _NAMED_DATE.fullmatch(text):
        month = _month_number(m[2])
        return _checked(month, _full_year(m[3]), int(m[1])) if month else None
    if m := _NAMED_MONTH.fullmatch(text):
        month = _month_number(m[1])
        year = _full_year(m[2]) if m[2] else None
        return HeaderPeriod(month, year) if month else None
    return None


def year_context(text: str) -> YearContext | None:
    """The year a heading gives: "2015/16" (financial) or one four-digit year; else None."""
    folded = fold(text)
    for m in _FINANCIAL_YEAR.finditer(folded):
        start, end = int(m[1]), int(m[2])
        if end in (start + 1, (start + 1) % 100):
            return YearContext(start, financial=True)
    years = {int(y) for y in _YEAR.findall(folded)}
    return YearContext(years.pop(), financial=False) if len(years) == 1 else None


class UnresolvedHeader(ValueError):
    """A period header that cannot be given a period: its index among the headers, and why."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


def resolve_periods(
    headers: list[HeaderPeriod], metric: str, year: YearContext | None
) -> list[str]:
    """Each header's period: YYYY-MM, or YYYY-MM-DD for a snapshot measure."""
    # Spreadsheet dates all on the 1st are months typed as dates ("Apr-15"), not snapshots.
    dates_are_months = all(h.day in (None, 1) for h in headers if h.from_date_cell)
    periods: list[str] = []
    previous: tuple[int, int] | None = None
    for index, header in enumerate(headers):
        day = None if header.from_date_cell and dates_are_months else header.day
        if header.year is not None:
            when = (header.year, header.month)
        elif year is None:
            raise UnresolvedHeader(
                index,
                "has no year: put one in a heading above the table (e.g. 2015/16) or give --year",
            )
        elif year.financial:
            when = (year.year_of(header.month), header.month)
        else:
            # A calendar-year heading over months that wrap (Nov, Dec, Jan): the year moves on.
            rolled = previous[0] + (header.month < previous[1]) if previous else year.start
            when = (rolled, header.month)
        previous = when
        if day is not None and metric not in SNAPSHOT_METRICS:
            label = metric.replace("_", " ")
            raise UnresolvedHeader(
                index, f"is a date, but {label} is monthly: expected a month like Apr-15"
            )
        periods.append(_period(metric, when[0], when[1], day))
    return periods


def _period(metric: str, year: int, month: int, day: int | None) -> str:
    if metric not in SNAPSHOT_METRICS:
        return f"{year:04d}-{month:02d}"
    if day is None:  # a snapshot given by month: the number open at its end
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        return (first_of_next - timedelta(days=1)).isoformat()
    return date(year, month, day).isoformat()


def _checked(month: int, year: int, day: int | None = None) -> HeaderPeriod | None:
    try:
        date(year, month, day or 1)
    except ValueError:
        return None
    return HeaderPeriod(month, year, day)


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month_number(word: str) -> int | None:
    matches = [n for n, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)]
    return matches[0] if len(matches) == 1 and len(word) >= 3 else None
