"""Hygiene for what people type: text fit to store, evidence links, plausible dates."""

from __future__ import annotations

import re
from datetime import date

from commands.errors import BadInput

# C0 controls except tab and newline, DEL, C1 controls (ESC, CSI… drive terminals), and lone
# surrogates (not encodable as UTF-8: they would break the file they are written to).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# A link to anything but a web page: `javascript:`, `data:`, `file://`, `vbscript:`…
_SCHEME = re.compile(r"(?i)(?<![\w/])([a-z][a-z0-9+.-]*):(//)?\S")
_SAFE_SCHEMES = frozenset({"http", "https"})
_SCRIPT_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
# The register's reports start in the 1990s; nothing it plans reaches past this century.
EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline kept) or lone surrogates."""
    return _UNSTORABLE.sub("", text)


def check_evidence(evidence: str) -> str:
    """Evidence as stored: http(s) links or plain text; any other kind of link is refused."""
    evidence = clean_text(evidence).strip()
    for match in _SCHEME.finditer(evidence):
        scheme = match[1].lower()
        is_link = bool(match[2]) or scheme in _SCRIPT_SCHEMES
        if is_link and scheme not in _SAFE_SCHEMES:
            raise BadInput(
                f"Evidence must be an http(s) link or plain text, not a {scheme}: link. "
                "Nothing was changed."
            )
    return evidence


def check_plausible(day: date, what: str = "date") -> date:
    """`day` if it lies between 1990 and 2099; otherwise a one-line refusal."""
    if not EARLIEST <= day <= LATEST:
        raise BadInput(
            f"{day.isoformat()} is not a plausible {what}: use a date between "
            f"{EARLIEST.year} and {LATEST.year}."
        )
    return day
