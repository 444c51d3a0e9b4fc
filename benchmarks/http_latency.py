"""End-to-end latency of govbot over really signed HTTP, beside two bare-Bolt framework floors.

Run on demand (not a test, not in CI):

    .venv/bin/python benchmarks/http_latency.py [--items 1000,10000] [--requests 200]

Each register size and each floor is served in a process of its own (waitress + Bolt on a free
port, the fake Slack Web API beside it), so the peak RSS printed is that process's alone. The
register is written beforehand through the storage layer, in a temporary folder.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from benchmarks.floors import FLOORS, run_floor  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    UPDATE,
    WARMUP,
    GcPauses,
    peak_rss_mb,
    read_lines,
    stats,
    time_reads,
    timed_post,
)
from benchmarks.workload import (  # noqa: E402
    Register,
    build_register,
    command_body,
    fresh_ts,
    thread_reply_body,
)
from bot.dispatch import COMMANDS  # noqa: E402
from bot.http_server import EVENTS_PATH  # noqa: E402
from storage.store import open_store  # noqa: E402
from tests.fakes.signing import FORM, JSON  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import running_bot  # noqa: E402

HISTORY_PER_ITEM = 20
CHILD_TIMEOUT_S = 900
REPLY = "thread update (reply posted)"
AFTER_UPDATE = "/recs overdue, after an update"


# -- the govbot process ----------------------------------------------------------------------


def _thread_update(bot: Any, target: tuple[str, str, str]) -> tuple[float, float]:
    """A lead's reply in an item's thread: (HTTP round trip, until Slack got the reply) in ms."""
    item_id, lead, anchor = target
    fake = bot.fake
    posted = len(fake.calls("chat.postMessage"))
    sent = time.time()
    rtt, _ = timed_post(
        bot.url + EVENTS_PATH, thread_reply_body(item_id, lead, anchor, fresh_ts()), JSON
    )
    reply = fake.wait_for("chat.postMessage", count=posted + 1, timeout=30)[-1]
    if reply.args.get("thread_ts") != anchor or item_id not in reply.args.get("text", ""):
        raise RuntimeError(f"unexpected thread reply for {item_id}: {reply.args}")
    bot.drain()  # the permalink and the ✅ too, so the next request starts from quiet
    return rtt, (reply.at - sent) * 1000


def run_govbot(folder: Path, requests: int, freeze: bool) -> dict[str, Any]:
    """Serve the register in `folder` and time every request type against it."""
    targets = [tuple(t) for t in json.loads((folder / "updatable.json").read_text())]
    random.Random(7).shuffle(targets)
    baseline_rss = peak_rss_mb()
    with (
        FakeSlackAPI() as fake,
        running_bot(folder, fake, store=open_store(folder / "govbot.json")) as bot,
    ):
        url = bot.url + EVENTS_PATH
        answers, cold = {}, {}
        for line in read_lines().values():
            cold[line], raw = timed_post(url, command_body(line, fake.response_url()), FORM)
            reply = json.loads(raw)
            answers[line] = f"{reply.get('text', '')[:70]!r}, {len(reply.get('blocks', []))} blocks"
        if freeze:  # what-if: the register parsed at start-up, kept out of the collector's scans
            gc.freeze()
        collections = GcPauses()
        gc.callbacks.append(collections)
        time_reads(url, fake, WARMUP)
        samples = time_reads(url, fake, requests)
        for target in targets[:WARMUP]:
            _thread_update(bot, target)
        updates = [
            _thread_update(bot, targets[(WARMUP + n) % len(targets)]) for n in range(requests)
        ]
        samples[UPDATE] = [rtt for rtt, _ in updates]
        samples[REPLY] = [reply for _, reply in updates]
        overdue = command_body("/recs overdue", fake.response_url())
        after = []
        for n in range(max(10, requests // 4)):
            _thread_update(bot, targets[n % len(targets)])
            after.append(timed_post(url, overdue, FORM)[0])
        samples[AFTER_UPDATE] = after
        gc.callbacks.remove(collections)
    return {
        "stats": {name: stats(values) for name, values in samples.items()},
        "cold": cold,
        "answers": answers,
        "gc": collections.summary(),
        "rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline_rss,
    }


# -- the parent: build, run each process, print ----------------------------------------------


def child(args: list[str]) -> dict[str, Any]:
    """Run this script as a child process and return the result it prints."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        cwd=ROOT,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"child {args} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


def prepare(folder: Path, items: int) -> tuple[Register, float]:
    folder.mkdir()
    start = time.perf_counter()
    register = build_register(folder, items, HISTORY_PER_ITEM)
    (folder / "updatable.json").write_text(json.dumps(register.updatable))
    return register, time.perf_counter() - start


def fmt(ms: float) -> str:
    return f"{ms:8.2f}" if ms < 100 else f"{ms:8.1f}"


def machine() -> str:
    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("slack_bolt", "waitress", "tinydb")
    )
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {libraries}"
    )


def print_latency(sizes: list[int], runs: dict[int, dict], floors: dict[str, dict]) -> None:
    print("\nLatency in ms (client-measured round trip of a signed request; cold = first request)")
    head = f"{'items':>7}  {'request':<31}{'p50':>8}{'p95':>8}{'max':>8}{'cold':>8}"
    head += "  | fast floor p50  p95 | default floor p50  p95"
    print(head)
    print("-" * len(head))
    for size in sizes:
        run = runs[size]
        for name, s in run["stats"].items():
            cold = run["cold"].get(name)
            row = f"{size:>7,}  {name:<31}{fmt(s['p50'])}{fmt(s['p95'])}{fmt(s['max'])}"
            row += fmt(cold) if cold is not None else " " * 8
            fast, default = (floors[k]["stats"].get(name) for k in ("fast", "default"))
            if fast and default:
                row += f"  |     {fmt(fast['p50'])}{fmt(fast['p95'])}"
                row += f" |        {fmt(default['p50'])}{fmt(default['p95'])}"
            print(row)
    if "/figures" not in COMMANDS:
        print("(/figures is not registered in bot.dispatch.COMMANDS: skipped)")


def print_targets(sizes: list[int], runs: dict[int, dict], floors: dict[str, dict]) -> None:
    fast, default = floors["fast"]["stats"], floors["default"]["stats"]
    print(
        "\nRatios (p50): govbot / fast floor (target ≤ 3× at 1,000 items); "
        "default floor / govbot (target ≥ 4× at 1,000 items)"
    )
    for size in sizes:
        for line in read_lines().values():
            ours = runs[size]["stats"][line]["p50"]
            slower = ours / fast[line]["p50"]
            faster = default[line]["p50"] / ours
            verdict = ""
            if size == 1000:
                verdict = "  " + ("met" if slower <= 3 and faster >= 4 else "MISSED")
            print(
                f"{size:>7,}  {line:<16} govbot/fast = {slower:5.2f}×   default/govbot = {faster:5.2f}×{verdict}"
            )
    print("\np95 targets: reads < 100 ms, updates < 200 ms (at 10,000 items); everything < 3 s")
    for size in sizes:
        for name, s in runs[size]["stats"].items():
            limit = 200 if name.startswith("thread update") else 100
            verdict = "met" if s["p95"] < limit else "MISSED"
            note = "" if size == 10000 else " (target is set at 10,000)"
            print(f"{size:>7,}  {name:<31} p95 {fmt(s['p95'])} < {limit} ms: {verdict}{note}")
    worst = max(s["max"] for run in runs.values() for s in run["stats"].values())
    print(f"Slowest request of the run: {worst:.1f} ms (Slack waits 3,000 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", default="1000,10000", help="register sizes, comma-separated")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per type")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="what-if: gc.freeze() once the register is loaded (the bot does not do this)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "govbot":
        result = run_govbot(Path(args.folder), args.requests, args.gc_freeze)
        print("RESULT " + json.dumps(result))
        return
    if args.child in FLOORS:
        print("RESULT " + json.dumps(run_floor(args.child, args.requests)))
        return
    sizes = [int(n) for n in args.items.split(",") if n.strip()]
    print(f"Machine: {machine()}")
    print(
        f"{args.requests} timed requests per type after {WARMUP} warm-up; {HISTORY_PER_ITEM} history entries per item"
    )
    floors = {}
    for kind, label in FLOORS.items():
        floors[kind] = child(["--child", kind, "--requests", str(args.requests)])
        print(f"Floor '{kind}' ({label}): peak RSS {floors[kind]['rss_mb']:.0f} MB")
    runs = {}
    with tempfile.TemporaryDirectory(prefix="govbot-bench-") as tmp:
        for size in sizes:
            register, built_s = prepare(Path(tmp) / f"items-{size}", size)
            print(
                f"Register of {size:,} items, {register.history:,} history entries: "
                f"{register.bytes_on_disk / 1e6:.1f} MB of JSON, written in {built_s:.1f} s"
            )
            folder = str(register.db_path.parent)
            freeze = ["--gc-freeze"] if args.gc_freeze else []
            runs[size] = child(
                ["--child", "govbot", "--folder", folder, "--requests", str(args.requests), *freeze]
            )
            run, pauses = runs[size], runs[size]["gc"]
            print(
                f"  served: peak RSS {run['rss_mb']:.0f} MB "
                f"(before opening the register {run['baseline_rss_mb']:.0f} MB); "
                f"{pauses['count']} full GC collections while timing, "
                f"longest {pauses['max']:.0f} ms, {pauses['total']:.0f} ms in all"
                + (" (gc.freeze() what-if)" if args.gc_freeze else "")
            )
            for line, answer in run["answers"].items():
                print(f"  {line}: {answer}")
    print_latency(sizes, runs, floors)
    print_targets(sizes, runs, floors)


if __name__ == "__main__":
    main()
