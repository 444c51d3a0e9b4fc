"""What an import found, as lines of text: shown by the CLI and by Slack alike (pure)."""

from __future__ import annotations

import re
from collections import Counter

from commands.deadlines import no_deadline_note
from commands.imports import ReportImport
from storage.models import Item

_TEXT_CHARS = 70
# The short text skips what every item from one lead-in shares, to show what each one asks.
_LEAD = re.compile(r"^.{0,60}?\brecommends?\s+that\b[,:]?\s*", re.I)
_TIMESCALE_FIRST = re.compile(
    r"^(?:within\s+(?:the\s+next\s+)?\S+\s+(?:day|week|month|year)s?|immediately|urgently"
    r"|(?:by|not later than)\s+(?:the\s+end\s+of\s+)?(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4})"
    r",?\s+",
    re.I,
)


def describe_import(result: ReportImport) -> list[str]:
    """Counts per kind and timescale, each item on a line, then each paragraph passed over."""
    verb = "Would store" if result.dry_run else "Stored"
    name = result.file_name or "the report"
    lines = [f"{verb} {len(result.items)} items from {name} as {result.source.id}"]
    if not result.items:
        recorded = "would be recorded" if result.dry_run else "recorded"
        lines.append(f"  no items found; source {result.source.id} {recorded} all the same")
    else:
        lines.append("  " + _counts(Counter(i.kind for i in result.items)))
        lines.append("  " + _counts(result.counts_by_timescale()))
    for item, found in zip(result.items, result.found, strict=False):
        lines.append(f"  line {found.line:<5} {_item_line(item)}")
    if result.passed:
        lines.append(
            f"Passed over {len(result.passed)} paragraph(s) that read like recommendations:"
        )
        lines += [f"  {p.describe()}" for p in result.passed]
    if not result.dry_run:
        lines.append(
            f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged"
        )
    return lines


def _counts(counts: Counter[str] | dict[str, int]) -> str:
    return " · ".join(f"{key}: {count}" for key, count in counts.items())


def _item_line(item: Item) -> str:
    due = item.due.isoformat() if item.due else no_deadline_note(item.timescale) or "no due date"
    who = item.addressee or "—"
    if not item.force_delivers:
        who += " (not the force's to deliver)"
    text = _LEAD.sub("", " ".join(item.text.split()), count=1)
    text = _TIMESCALE_FIRST.sub("", text, count=1)
    if len(text) > _TEXT_CHARS:
        text = text[: _TEXT_CHARS - 1] + "…"
    timescale = item.timescale or "no timescale"
    return f"{item.id}  {item.kind}  {timescale}  {due}  {who}  {text}"
