"""TinyDB beside PostgreSQL: one register served by each, timed over really signed HTTP.

Run on demand (not a test, not in CI):

    .venv/bin/python benchmarks/storage_backends.py [--items 10000] [--requests 100]
        [--postgres postgresql://…]   (default: a throwaway server, as the tests start)
        [--backend tinydb|postgres|both]   (default both)

The register (20 history entries per item) is written to TinyDB through the storage layer and
copied into PostgreSQL with the code `govbot migrate` uses. Each backend is then served in a
process of its own, so the peak RSS printed is that process's: `/recs overdue`, `/recs summary`,
`/recs set` and a thread update, p50/p95, `/gab` (the status changes since the last meeting),
and a sweep that finds nothing new to send (its
recurring cost, once a minute).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from benchmarks.http_latency import HISTORY_PER_ITEM, _thread_update, fmt  # noqa: E402
from benchmarks.measure import WARMUP, peak_rss_mb, stats, timed_post  # noqa: E402
from benchmarks.workload import build_register, command_body  # noqa: E402
from bot.http_server import EVENTS_PATH  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.sweep import run_sweep  # noqa: E402
from commands.gab_agenda import last_meeting_moment, load_gab, status_changes  # noqa: E402
from storage.copying import copy_store  # noqa: E402
from storage.store import open_store  # noqa: E402
from tests.fakes.signing import FORM  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import ADMIN, running_bot  # noqa: E402
from tests.postgres import throwaway_cluster  # noqa: E402

READS = ("/recs overdue", "/recs summary")
GAB = "/gab"
CHANGES = "/gab: status changes (direct)"
SET = "/recs set (HTTP)"
THREAD = "thread update (HTTP)"
SWEEP = "sweep, nothing new to send"
GOALS = {READS[0]: 25, READS[1]: 25, GAB: 100, CHANGES: 100, SET: 50, THREAD: 50, SWEEP: 2000}
BACKENDS = {"tinydb": "TinyDB", "postgres": "PostgreSQL"}


def serve(location: str, folder: Path, requests: int) -> dict[str, Any]:
    """Serve the register at `location` and time every request type against it."""
    targets = [tuple(t) for t in json.loads((folder / "updatable.json").read_text())]
    random.Random(7).shuffle(targets)
    with FakeSlackAPI() as fake, running_bot(folder, fake, store=open_store(location)) as bot:
        url = bot.url + EVENTS_PATH
        samples: dict[str, list[float]] = {}
        for line in (*READS, GAB):
            body = command_body(line, fake.response_url())
            times = [timed_post(url, body, FORM)[0] for _ in range(WARMUP + requests)]
            samples[line] = times[WARMUP:]
        sets = []
        for n in range(WARMUP + requests):
            item_id, _, _ = targets[n % len(targets)]
            line = f"/recs set {item_id} in progress benchmark note {n}"
            sets.append(timed_post(url, command_body(line, fake.response_url(), ADMIN), FORM)[0])
        samples[SET] = sets[WARMUP:]
        updates = [_thread_update(bot, targets[-1 - n]) for n in range(WARMUP + requests)]
        samples[THREAD] = [rtt for rtt, _ in updates[WARMUP:]]
        samples[CHANGES] = [time_status_changes(bot.services) for _ in range(WARMUP + requests)][
            WARMUP:
        ]
        now = bot.clock()
        run_sweep(bot.services, None, now, dry_run=True)  # warm
        sweeps = []
        for _ in range(5):
            start = time.perf_counter()
            run_sweep(bot.services, None, now, dry_run=True)
            sweeps.append((time.perf_counter() - start) * 1000)
        samples[SWEEP] = sweeps
    return {"stats": {k: stats(v) for k, v in samples.items()}, "rss_mb": peak_rss_mb()}


def time_status_changes(services: Services) -> float:
    """What `/gab` asks of history, timed in-process: the status changes since the last meeting."""
    ctx = services.context(ADMIN)
    start = time.perf_counter()
    data = load_gab(ctx.store, ctx.settings)
    local_now = ctx.now.astimezone(ctx.settings.tz).replace(tzinfo=None)
    with ctx.store.transaction() as store:
        status_changes(store, last_meeting_moment(data, local_now, ctx.settings.tz))
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per type")
    parser.add_argument("--postgres", default="", help="an empty database (default: throwaway)")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(serve(args.child, Path(args.folder), args.requests)))
        return
    wanted = [BACKENDS[b] for b in BACKENDS if args.backend in (b, "both")]
    cluster = None
    with tempfile.TemporaryDirectory(prefix="govbot-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        register = build_register(folder, args.items, HISTORY_PER_ITEM)
        (folder / "updatable.json").write_text(json.dumps(register.updatable))
        print(
            f"{args.items:,} items, {register.history:,} history entries: TinyDB written in "
            f"{time.perf_counter() - start:.0f} s"
        )
        locations = {"TinyDB": str(register.db_path)}
        url = args.postgres
        if "PostgreSQL" in wanted and not url:
            cluster = throwaway_cluster()
            url = cluster.new_database()
        try:
            if "PostgreSQL" in wanted:
                start = time.perf_counter()
                tiny, pg = open_store(register.db_path), open_store(url)
                copy_store(tiny, pg)
                pg.close()
                print(f"Copied into PostgreSQL in {time.perf_counter() - start:.0f} s")
                locations["PostgreSQL"] = url
            runs = {}
            for name in wanted:
                location = locations[name]
                extra = ["--folder", tmp, "--requests", str(args.requests)]
                runs[name] = child_of(location, extra)
        finally:
            if cluster is not None:
                cluster.stop()
    print(f"\n{'backend':<11} {'request':<28}{'p50 ms':>9}{'p95 ms':>9}  goal (p95)")
    for name, run in runs.items():
        for request, s in run["stats"].items():
            goal = GOALS[request]
            verdict = "met" if s["p95"] < goal else "MISSED"
            print(f"{name:<11} {request:<28}{fmt(s['p50'])} {fmt(s['p95'])}  < {goal}: {verdict}")
        rss = run["rss_mb"]
        print(
            f"{name:<11} {'peak RSS':<28}{rss:8.0f} MB      < 150: {'met' if rss < 150 else 'MISSED'}"
        )


def child_of(location: str, extra: list[str]) -> dict[str, Any]:
    """Serve in a process of its own and return the result it prints."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", location, *extra],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ROOT,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"{location} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


if __name__ == "__main__":
    main()
