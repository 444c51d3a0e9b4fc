"""Where a request's time goes: cProfile over Bolt's dispatch of really signed requests, in-process.

Run on demand (not a test, not in CI):

    .venv/bin/python benchmarks/profile_handlers.py [--items 10000] [--requests 50] [--top 20]

No waitress and no sockets on our side: each request is a `BoltRequest` built from the signed
body and headers and handed to `App.dispatch`, so the profile covers signature checking, Bolt's
middleware and listener runner, `answer()`, TinyDB, JSON and rendering. Slack work that the bot
normally defers to its background pool runs inline here, so a thread update's profile includes
the permalink lookup, the history write-back and the reply post.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402
from slack_bolt.request import BoltRequest  # noqa: E402

from benchmarks.workload import (  # noqa: E402
    READS,
    build_register,
    command_body,
    fresh_ts,
    thread_reply_body,
)
from bot.app import build_app  # noqa: E402
from bot.dispatch import COMMANDS  # noqa: E402
from bot.services import Services  # noqa: E402
from storage.store import open_store  # noqa: E402
from tests.fakes.signing import sign  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import SECRET, Clock, make_config  # noqa: E402

WARMUP = 3


def dispatch(app: App, body: str) -> float:
    """Hand one signed request to Bolt; the time it took in ms. Anything but 200 is a failure."""
    start = time.perf_counter()
    response = app.dispatch(BoltRequest(body=body, headers=sign(SECRET, body)))
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {response.body[:200]}")
    return elapsed


def report(title: str, profile: cProfile.Profile, timings: list[float], top: int) -> None:
    timings.sort()
    print(f"\n=== {title}: median {timings[len(timings) // 2]:.2f} ms over {len(timings)} ===")
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(n for n, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"--- by {key} ---")
        print("\n".join(lines[start : start + top + 1]))


def profile_requests(title: str, bodies: list[str], app: App, top: int) -> None:
    for body in bodies[:WARMUP]:
        dispatch(app, body)
    profile = cProfile.Profile()
    timings = []
    for body in bodies[WARMUP:]:
        profile.enable()
        timings.append(dispatch(app, body))
        profile.disable()
    report(title, profile, timings, top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--only", help="profile only request names containing this")
    args = parser.parse_args()
    count = WARMUP + args.requests
    with tempfile.TemporaryDirectory(prefix="govbot-profile-") as tmp, FakeSlackAPI() as fake:
        folder = Path(tmp)
        register = build_register(folder, args.items, 20)
        services = Services(
            make_config(register.db_path, fake), open_store(register.db_path), clock=Clock()
        )
        services.later = lambda fn: fn()  # deferred Slack work inline, inside the profile
        app = build_app(services)
        requests = {
            line: [command_body(line, fake.response_url())] * count
            for line in READS.values()
            if line.split()[0] in COMMANDS
        }
        requests["thread update"] = [
            thread_reply_body(item_id, lead, anchor, fresh_ts())
            for item_id, lead, anchor in (register.updatable * 2)[:count]
        ]
        print(f"{args.items:,} items, {register.history:,} history entries")
        for title, bodies in requests.items():
            if args.only is None or args.only in title:
                profile_requests(title, bodies, app, args.top)


if __name__ == "__main__":
    main()
