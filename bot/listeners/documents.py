"""Posting the minutes and sending the Panel report: the slow part, after the command is answered."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk import WebClient

from bot.documents import PANEL_FORMATS, minutes_files, panel_report_file
from bot.people import names_and_roles
from bot.render.meetings import render_minutes
from bot.services import log
from commands.minutes import MinutesToPost
from commands.panel_report import ReportDocuments


def post_minutes(client: WebClient, reply: MinutesToPost) -> None:
    """The minutes as one message in the GAB channel, the Word and Markdown files in its thread."""
    minutes = reply.minutes
    payload = render_minutes(minutes)
    posted = client.chat_postMessage(channel=reply.channel, unfurl_links=False, **payload)
    people = names_and_roles(
        client, [*minutes.attendees, *(u for a in minutes.actions for u in a.leads)]
    )
    files = minutes_files(minutes, people)
    client.files_upload_v2(
        channel=posted["channel"],
        thread_ts=posted["ts"],
        file_uploads=[
            {"content": f.content, "filename": f.filename, "title": f.title} for f in files
        ],
    )
    log.info("minutes of %s posted to %s", minutes.meeting_id, reply.channel)


def send_panel_report(client: WebClient, user: str, reply: ReportDocuments) -> None:
    """The report as DOCX, HTML and Markdown, in a DM to the admin who asked."""
    report = replace(reply.report, people=names_and_roles(client, reply.report.lead_ids))
    files = [panel_report_file(report, fmt) for fmt in PANEL_FORMATS]
    dm = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        file_uploads=[
            {"content": f.content, "filename": f.filename, "title": f.title} for f in files
        ],
        initial_comment=f"The Panel progress report for {report.source.id}: "
        f"{len(report.rows)} item(s), as at {report.as_of.isoformat()}.",
    )
    log.info("panel report for %s sent to %s", report.source.id, user)
