"""`govbot demo`: the reference reports in a scratch database, and the bot answering about them."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.dispatch import answer
from bot.figure_files import import_figures_file
from bot.files import read_text
from bot.render.general import render
from bot.render.reminders import render_message
from bot.render.text import blocks_to_text
from bot.services import Services
from bot.sweep import run_sweep
from bot.thread_updates import handle_thread_reply
from bot.tick import delivery_line
from commands.anchors import remember_thread
from commands.imports import import_report
from storage.store import open_store

DEMO_DATA = Path(__file__).parent / "demo_data"
ADMIN, LEAD, STRANGER = "U0ADMIN", "U0LEAD", "U0STRANGER"
LONDON = ZoneInfo("Europe/London")


@dataclass
class DemoClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def default_reference() -> Path:
    return Path.cwd().resolve().parent / "shared" / "reference"


def run_demo(reference: Path | None = None) -> int:
    reference = reference or default_reference()
    with tempfile.TemporaryDirectory(prefix="govbot-demo-") as scratch:
        config = Config(
            db_path=str(Path(scratch) / "demo.json"),
            admins=frozenset({ADMIN}),
            channel="C0GOV",
            gab_channel="C0GAB",
        )
        clock = DemoClock(datetime(2014, 4, 16, 9, 30, tzinfo=LONDON))
        services = Services(config, open_store(config.db_path), clock=clock)
        source_id, item_id, figures_file = _load(services, reference)
        _walkthrough(services, source_id, item_id, figures_file)
        services.background.shutdown(wait=True)
    return 0


def _load(services: Services, reference: Path) -> tuple[str, str, Path]:
    report = reference / "2013_hmic-syp-response-to-cse.txt"
    panel = reference / "2015-09-11_panel-report_ncp-post-inspection-review.txt"
    now = services.clock()
    if report.exists() and panel.exists():
        _heading(f"Importing the reference reports from {reference}")
        result = import_report(
            services.store,
            read_text(report),
            file_name=report.name,
            source_id="CSE13",
            now=now,
            published=date(2014, 1, 31),
            title="South Yorkshire Police's response to child sexual exploitation",
        )
        _print_import(result)
        return "CSE13", "CSE13-04", panel
    _heading("The reference reports are not beside this clone: using the demo register")
    result = import_report(
        services.store,
        read_text(DEMO_DATA / "demo-report.txt"),
        file_name="demo-report.txt",
        source_id="DEMO14",
        now=now,
        published=date(2014, 1, 31),
        title="Demo Constabulary's response to missing children",
    )
    _print_import(result)
    return "DEMO14", "DEMO14-02", DEMO_DATA / "demo-figures.csv"


def _print_import(result) -> None:  # noqa: ANN001 - commands.imports.ReportImport
    counts = ", ".join(f"{n} {t}" for t, n in result.counts_by_timescale().items())
    print(f"{len(result.items)} recommendations from {result.source.id}: {counts}")


def _heading(text: str) -> None:
    print(f"\n{'━' * 78}\n{text}\n{'━' * 78}")


def ask(services: Services, line: str, user: str = ADMIN) -> None:
    """Answer a slash command exactly as Slack would, and print it as text."""
    print(f"\n» {line}    (as {user}, {services.clock():%a %d %b %Y %H:%M})")
    command, _, text = line.partition(" ")
    print(blocks_to_text(render(answer(services.context(user), command, text))))


def _walkthrough(services: Services, source_id: str, item_id: str, figures_file: Path) -> None:
    _heading("The register on Wednesday 16 April 2014")
    for line in ("/recs summary", "/recs overdue", "/recs due 30", f"/recs {item_id}"):
        ask(services, line)
    _thread_update(services, item_id)
    _reminders_and_gab(services)
    _heading("District figures")
    result = import_figures_file(
        services.store, figures_file, districts=services.districts(), source_id="PANEL15"
    )
    print(f"Imported {len(result.figures)} figures; total mismatches: {len(result.mismatches)}")
    services.clock.now = datetime(2015, 9, 11, 9, 30, tzinfo=LONDON)
    for line in ("/figures", "/figures rotherham", "/figures referrals jul"):
        ask(services, line)


def _thread_update(services: Services, item_id: str) -> None:
    _heading("A lead updates an item by replying in its Slack thread")
    ask(services, f"/recs assign {item_id} <@{LEAD}|lead>")
    thread_ts = "1397637000.000100"
    remember_thread(services.store, "C0GOV", thread_ts, item_id, "item")
    print(f"\n(the bot posts {item_id} to #governance; replies in its thread are updates)")
    for user, text, ts in (
        (STRANGER, "done", "1397637100.000200"),
        (
            LEAD,
            "in progress: vulnerability training rolled out to 1,700 frontline staff",
            "1397637200.000300",
        ),
        (LEAD, "thanks all, see you at GAB", "1397637300.000400"),
    ):
        event = {"channel": "C0GOV", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts}
        outcome = handle_thread_reply(services, event)
        print(f"\n  {user} in the thread: “{text}”")
        print(f"  bot: {outcome.reply if outcome else '(not an update: ignored silently)'}")
    ask(services, f"/recs {item_id}")


def _reminders_and_gab(services: Services) -> None:
    _heading("Reminders a sweep sends on Wednesday 16 April 2014 (tick --dry-run)")
    at = datetime(2014, 4, 16, 9, 0, tzinfo=LONDON)
    report = run_sweep(services, None, at, dry_run=True)
    for message in report.messages:
        for delivery in message.deliveries:
            print("  " + delivery_line(delivery))
    print(
        f"  {len(report.pending)} reminders in {len(report.messages)} messages: one per recipient"
    )
    _heading("The Governance and Assurance Board (last Tuesday of each month, 10:00)")
    ask(
        services,
        "/gab standing add Protecting vulnerable people (including CSE) performance report",
    )
    services.clock.now = datetime(2014, 4, 22, 9, 30, tzinfo=LONDON)
    ask(services, "/gab next")
    at = datetime(2014, 4, 22, 9, 0, tzinfo=LONDON)
    messages = [
        m
        for m in run_sweep(services, None, at, dry_run=True).messages
        if any(d.kind == "gab_digest" for d in m.deliveries)
    ]
    for msg in messages[:1]:
        print(f"\nThe message posted to #{msg.destination} on {at:%a %d %b}:")
        print(blocks_to_text(render_message(msg)))
