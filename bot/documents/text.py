"""The words of the Panel report and the minutes, shared by every format."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from commands.minutes import Minutes
from commands.panel_report import PanelReport, ReportRow
from storage.models import Item

PANEL_COLUMNS = (
    "Ref",
    "Recommendation",
    "Timescale",
    "Due",
    "Status",
    "RAG",
    "Lead",
    "Latest update",
    "Evidence",
)
ACTION_COLUMNS = ("Ref", "Action", "Owner", "Due", "Status")
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def uk_date(day: date | None, missing: str = "—") -> str:
    """“31 January 2014”."""
    return f"{day.day} {day:%B %Y}" if day else missing


def uk_moment(at: datetime) -> str:
    """“Tuesday 29 December 2026 at 10:00”."""
    return f"{at:%A} {uk_date(at.date())} at {at:%H:%M}"


def panel_title(report: PanelReport) -> str:
    return f"Progress report: {report.source.title}"


def panel_facts(report: PanelReport) -> list[tuple[str, str]]:
    """The lines under the title: what the source is and where the response stands."""
    source = report.source
    facts = [
        ("Source", f"{source.title} ({source.id})"),
        ("Published by", source.publisher or "—"),
        ("Published", uk_date(source.published)),
    ]
    if report.response_due or source.response_published:
        facts.append(("PCC's response due", uk_date(report.response_due)))
        facts.append(("PCC's response published", uk_date(source.response_published, "not yet")))
    facts.append(("Position as at", uk_date(report.as_of)))
    return facts


def panel_cells(report: PanelReport, row: ReportRow) -> list[str]:
    """One row of the table, in PANEL_COLUMNS order, as plain text."""
    item = row.item
    return [
        item.id,
        item.text,
        item.timescale[:1].upper() + item.timescale[1:] if item.timescale else "None given",
        due_text(item),
        item.status.capitalize(),
        RAG_WORDS[row.rag],
        report.leads_of(item),
        latest_update_text(row),
        "; ".join(row.evidence) or "None recorded",
    ]


def due_text(item: Item) -> str:
    if item.due is None:
        return "No due date"
    moved = f" (originally {uk_date(item.original_due)})" if item.original_due else ""
    return uk_date(item.due) + moved


def latest_update_text(row: ReportRow) -> str:
    entry = row.latest_update
    if entry is None:
        return "No update reported"
    what = entry.note or (f"status {entry.new}" if entry.change == "status" else entry.evidence)
    return f"{uk_date(entry.at.date())}: {what}"


def panel_totals(report: PanelReport) -> list[tuple[str, int]]:
    """(status, count) rows and the total."""
    return [(s.capitalize(), n) for s, n in report.totals.items()] + [("Total", len(report.rows))]


def minutes_title(minutes: Minutes) -> str:
    return f"Governance and Assurance Board: minutes of {uk_date(minutes.meeting.date())}"


def person(people: Mapping[str, str], user: str) -> str:
    return people.get(user, user)


def minutes_sections(minutes: Minutes, people: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """The sections before the actions, as (heading, bullet lines)."""
    meeting = [f"Held on {uk_moment(minutes.meeting)} in Slack ({minutes.meeting_id})."]
    attendance = [person(people, u) for u in minutes.attendees] or ["No one posted during it."]
    standing = [
        s.title + (f" ({person(people, s.owner)})" if s.owner else "") for s in minutes.standing
    ] or ["None."]
    discussed = []
    for entry in minutes.discussed:
        item = entry.item
        line = f"{item.id}: {item.text} — now {item.status}"
        changes = [
            f"{c.old} → {c.new} on {uk_date(c.at.date())} by {person(people, c.by)}"
            for c in entry.changes
        ]
        if changes:
            line += "; changes since the last meeting: " + ", ".join(changes)
        if entry.note:
            line += f". Note: {entry.note}"
        discussed.append(line)
    return [
        ("Meeting", meeting),
        ("Attendance", attendance),
        ("Standing items", standing),
        ("Items discussed", discussed or ["None recorded."]),
    ]


def next_meeting_text(minutes: Minutes) -> str:
    return uk_moment(minutes.next_meeting) if minutes.next_meeting else "Not yet scheduled."


def action_cells(action: Item, people: Mapping[str, str]) -> list[str]:
    """One action in ACTION_COLUMNS order."""
    owners = "; ".join(person(people, u) for u in action.leads) or "Awaiting allocation"
    return [action.id, action.text, owners, uk_date(action.due, "No date"), action.status]
