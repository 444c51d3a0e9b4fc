"""Thread-update latency as the bot ages and its ledgers fill (issue 10).

Run on demand (not a test, not in CI):

    .venv/bin/python benchmarks/ledger_growth.py [--updates 60] [--json out.json]

A bot that has run for 10, 100 and 1,000 days at a steady 100 ledger entries a day (60
Slack deliveries and 40 sent reminders) holds 1k, 10k and 100k ledger entries. Each age is
served twice over really signed HTTP: with every entry kept (as before housekeeping), and
after `prune_ledgers` ran as the bot's first sweep runs it (delivery keys 7 days, sent
reminders 90 days). Latency is the round trip of a lead's thread reply, which records its
update and its delivery key in the same transaction.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from benchmarks.measure import WARMUP, stats, timed_post  # noqa: E402
from benchmarks.workload import CHANNEL, fresh_ts, thread_reply_body  # noqa: E402
from bot.edge import EVENTS_PATH  # noqa: E402
from commands.housekeeping import prune_ledgers  # noqa: E402
from storage.models import Item, Source  # noqa: E402
from storage.store import Store, open_store  # noqa: E402
from storage.threads import Anchor  # noqa: E402
from tests.fakes.signing import JSON  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import LONDON, Clock, running_bot  # noqa: E402

AGES_DAYS = (10, 100, 1000)
DELIVERIES_PER_DAY = 60
REMINDERS_PER_DAY = 40
LEAD = "ULEADBENCH"
THREAD_TS = "1700000000.000100"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)


def aged_store(folder: Path, age_days: int, seed: int = 7) -> Store:
    """One item with its thread, and the ledgers of a bot `age_days` old."""
    rng = random.Random(seed)
    store = open_store(folder / "govbot.json")
    with store.transaction() as tx:
        tx.sources.save(Source("BENCH", "Benchmark", date(2020, 1, 1)))
        tx.items.save(Item("BENCH-01", "BENCH", 1, leads=(LEAD,)))
        tx.threads.remember(Anchor(CHANNEL, THREAD_TS, "BENCH-01", "item"))

        def stamp() -> str:
            return (NOW - timedelta(seconds=rng.uniform(0, age_days * 86400))).isoformat()

        tx.events.load(
            [
                {"key": f"msg:{CHANNEL}:{n}.000001", "at": stamp()}
                for n in range(age_days * DELIVERIES_PER_DAY)
            ]
        )
        tx.sent.load(
            [
                {"key": f"due:X-{n}:2020-01-01:before-7:{CHANNEL}", "state": "sent", "at": stamp()}
                for n in range(age_days * REMINDERS_PER_DAY)
            ]
        )
    return store


def time_updates(store: Store, folder: Path, count: int) -> list[float]:
    with FakeSlackAPI() as fake, running_bot(folder, fake, clock=Clock(NOW), store=store) as bot:
        url = bot.url + EVENTS_PATH
        samples = []
        for n in range(WARMUP + count):
            ts = fresh_ts()
            elapsed, _ = timed_post(url, thread_reply_body("BENCH-01", LEAD, THREAD_TS, ts), JSON)
            if n >= WARMUP:
                samples.append(elapsed)
        bot.drain()
    return samples


def ledger_size(store: Store) -> int:
    with store.transaction() as tx:
        return len(tx.events.entries()) + len(tx.sent.entries())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=60)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    print(f"{'age':>6} {'entries':>8} {'mode':>7} {'kept':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for age in AGES_DAYS:
        for mode in ("kept", "pruned"):
            with tempfile.TemporaryDirectory(prefix="govbot-ledger-") as tmp:
                folder = Path(tmp)
                store = aged_store(folder, age)
                entries = ledger_size(store)
                if mode == "pruned":
                    prune_ledgers(store, NOW)
                kept = ledger_size(store)
                summary = stats(time_updates(store, folder, args.updates))
            rows.append(
                {"age_days": age, "entries": entries, "mode": mode, "kept": kept, **summary}
            )
            print(
                f"{age:>5}d {entries:>8} {mode:>7} {kept:>7} "
                f"{summary['p50']:>8.1f} {summary['p95']:>8.1f}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
