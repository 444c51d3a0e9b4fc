"""The details a report import needs (source id, title, published, publisher): given or guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from commands.errors import BadInput

FIELDS = ("source", "title", "published", "publisher")
TITLE_LIMIT = 150
FIRST_PAGE_CHARS = 3000
MAX_SOURCE_ID = 12
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august")
_MONTHS += ("september", "october", "november", "december")
_MONTH = "|".join(_MONTHS)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_KEYWORD = re.compile(rf"\b({'|'.join(FIELDS)})\b\s*[:=]?\s*", re.I)
_STOP_WORDS = frozenset({"a", "an", "and", "of", "on", "the", "to", "in", "for", "into", "with"})


@dataclass(frozen=True)
class ImportDetails:
    source_id: str
    title: str
    published: date
    publisher: str = "HMIC"
    guessed: tuple[str, ...] = ()  # which of FIELDS were guessed, to be checked

    def confirmed(self) -> ImportDetails:
        return replace(self, guessed=())


def details_in_message(text: str) -> dict[str, str]:
    """“source CSE13 published 2014-01-31 title Child sexual exploitation” → the named values."""
    parts = _KEYWORD.split(text.strip())
    return {
        name.lower(): value.strip().strip("\"“”'")
        for name, value in zip(parts[1::2], parts[2::2], strict=True)
        if value.strip()
    }


def import_details(file_name: str, text: str, given: dict[str, str], today: date) -> ImportDetails:
    """The details given, checked; the rest guessed from the file name and the first page."""
    first_page = text[:FIRST_PAGE_CHARS]
    if "published" in given:
        published = parse_published(given["published"])
    else:
        published = date_in_text(first_page) or today
    return ImportDetails(
        source_id=checked_source_id(given.get("source") or source_id_from_name(file_name)),
        title=(given.get("title") or title_from_text(first_page) or Path(file_name).stem)[
            :TITLE_LIMIT
        ],
        published=published,
        publisher=(given.get("publisher") or "HMIC")[:TITLE_LIMIT],
        guessed=tuple(name for name in FIELDS[:3] if name not in given),
    )


def checked_source_id(text: str) -> str:
    source_id = text.strip().upper()
    if not source_id.isalnum() or not source_id.isascii() or len(source_id) > MAX_SOURCE_ID:
        raise BadInput(
            f"source {text!r}: use up to {MAX_SOURCE_ID} letters and digits only, e.g. CSE13"
        )
    return source_id


def parse_published(text: str) -> date:
    """A date written 2014-01-31 or 31 January 2014."""
    found = date_in_text(text)
    if found is None:
        raise BadInput(f"published {text!r}: write the date as 2014-01-31 or 31 January 2014")
    return found


def source_id_from_name(file_name: str) -> str:
    """“2013_hmic-syp-response-to-cse.pdf” → “HSRC13”: word initials and the year's last two."""
    stem = Path(file_name).stem
    year = re.search(r"(?:19|20)(\d\d)", stem)
    words = [w for w in re.findall(r"[A-Za-z]+", stem) if w.lower() not in _STOP_WORDS]
    letters = "".join(w[0] for w in words).upper()[: MAX_SOURCE_ID - 2] or "REPORT"
    return letters + (year.group(1) if year else "")


def title_from_text(text: str) -> str:
    """The first line that reads like a heading: a few words, no closing full stop."""
    for line in text.splitlines():
        words = line.split()
        heading_like = 3 <= len(words) <= 20 and not line.rstrip().endswith((".", ",", ";", ":"))
        if heading_like and date_in_text(line) is None and re.search(r"[A-Za-z]{3}", line):
            return " ".join(words)[:TITLE_LIMIT]
    return ""


def date_in_text(text: str) -> date | None:
    """The first date written 2014-01-31, 31 January 2014 or January 2014 (its first day)."""
    candidates = []
    if m := _ISO.search(text):
        candidates.append((m.start(), lambda m=m: date(int(m[1]), int(m[2]), int(m[3]))))
    if m := _DAY_MONTH_YEAR.search(text):
        candidates.append((m.start(), lambda m=m: date(int(m[3]), _month(m[2]), int(m[1]))))
    if m := _MONTH_YEAR.search(text):
        candidates.append((m.start(), lambda m=m: date(int(m[2]), _month(m[1]), 1)))
    for _, make in sorted(candidates, key=lambda c: c[0]):
        try:
            return make()
        except ValueError:  # 31 February
            continue
    return None


def _month(name: str) -> int:
    return _MONTHS.index(name.lower()) + 1
