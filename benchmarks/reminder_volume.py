"""How many Slack posts reminders make: one per delivery (before) against one per recipient per
sweep (after), over eight weeks of daily sweeps on the two reference reports with five leads.

    .venv/bin/python benchmarks/reminder_volume.py [--weeks 8] [--start 2015-07-06]

Each sweep runs the real `run_sweep` against the local fake Slack Web API; "before" counts the
deliveries each recipient was sent (each was one post, or more for a paged digest, before
reminders were combined), "after" counts the top-level messages actually posted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from bot.services import Services  # noqa: E402
from bot.slack_client import make_client  # noqa: E402
from bot.sweep import run_sweep  # noqa: E402
from commands.calendar import is_working_day  # noqa: E402
from commands.imports import import_report  # noqa: E402
from storage.store import Store, open_store  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import Clock, make_config  # noqa: E402

LONDON = ZoneInfo("Europe/London")
REFERENCE = ROOT.parent / "shared" / "reference"
REPORTS = (
    ("CSE13", "2013_hmic-syp-response-to-cse.txt", "SYP response to CSE", date(2014, 1, 31)),
    (
        "NCP15",
        "2015_hmic-ncp-post-inspection-review_findings.txt",
        "NCP post-inspection review",
        date(2015, 6, 30),
    ),
)
LEADS = tuple(f"ULEAD00{n}" for n in range(1, 6))
ADMINS = frozenset({"UADMIN01", "UADMIN02"})
CHANNELS = {"C0GOV": "#governance", "C0GAB": "#gab"}


def build_register(store: Store) -> None:
    """Both reports imported, their items shared round-robin among the five leads."""
    for source_id, name, title, published in REPORTS:
        import_report(
            store,
            REFERENCE / name,
            source_id=source_id,
            title=title,
            published=published,
            now=datetime.combine(published, datetime.min.time(), LONDON),
        )
    with store.transaction():
        items = sorted(store.items.all(), key=lambda i: (i.source, i.number))
        store.items.save_many(
            [replace(item, leads=(LEADS[n % len(LEADS)],)) for n, item in enumerate(items)]
        )


def simulate(start: date, weeks: int) -> tuple[dict, dict, Counter]:
    """(before, after) posts per recipient per week, and the most posts any recipient got in
    one sweep, per recipient."""
    before: dict[str, Counter] = defaultdict(Counter)
    after: dict[str, Counter] = defaultdict(Counter)
    worst: Counter = Counter()
    with tempfile.TemporaryDirectory() as folder, FakeSlackAPI() as fake:
        config = make_config(Path(folder) / "govbot.json", fake, admins=ADMINS)
        services = Services(config, open_store(config.db_path), clock=Clock())
        build_register(services.store)
        client = make_client(config)
        for offset in range(weeks * 7):
            day = start + timedelta(days=offset)
            if not is_working_day(day):
                continue
            at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)
            services.clock.now = at
            posted = len(fake.calls("chat.postMessage"))
            report = run_sweep(services, client, at)
            week = offset // 7 + 1
            for delivery in report.sent:
                before[delivery.destination][week] += 1
            sweep_posts = Counter(
                c.args["channel"] for c in fake.calls("chat.postMessage")[posted:]
            )
            for destination, count in sweep_posts.items():
                after[destination][week] += count
                worst[destination] = max(worst[destination], count)
        services.background.shutdown(wait=True)
    return before, after, worst


def table(before: dict, after: dict, worst: Counter, weeks: int) -> str:
    """Markdown: one row per recipient, "before → after" per week."""
    recipients = sorted(set(before) | set(after), key=lambda r: (r not in CHANNELS, r))
    head = "| recipient | " + " | ".join(f"wk {w}" for w in range(1, weeks + 1))
    lines = [head + " | total | max/sweep after |", "|---" * (weeks + 3) + "|"]
    for who in recipients:
        name = CHANNELS.get(who, ("admin " if who in ADMINS else "lead ") + who)
        cells = [f"{before[who][w]} → {after[who][w]}" for w in range(1, weeks + 1)]
        total = f"{sum(before[who].values())} → {sum(after[who].values())}"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {total} | {worst[who]} |")
    all_before = sum(sum(c.values()) for c in before.values())
    all_after = sum(sum(c.values()) for c in after.values())
    lines.append(f"\nAll recipients: {all_before} posts before, {all_after} after.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2015, 7, 6))
    args = parser.parse_args()
    before, after, worst = simulate(args.start, args.weeks)
    print(f"Daily sweeps from {args.start:%a %d %b %Y} for {args.weeks} weeks, 09:00 London")
    print(table(before, after, worst, args.weeks))


if __name__ == "__main__":
    main()
