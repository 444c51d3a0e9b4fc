"""Throughput of one `govbot run` against two, serving one PostgreSQL register (issue 14).

Run on demand (not a test, not in CI):

    .venv/bin/python benchmarks/replicas.py [--items 10000] [--seconds 20] [--clients 4]
        [--writes 0.2] [--postgres postgresql://…]   (default: a throwaway server)

The register (20 history entries per item) is written through the storage interface. Each
round starts the replicas as real `govbot run` processes (HTTP, scheduler and all) on one
database, then client processes send really signed slash commands, spread evenly over the
replicas, as fast as the answers come back: `/recs summary`, `/recs overdue` and `/recs ID`
reads, and `/recs set ID … note` updates (`--writes` of them). Printed: requests/s per round,
requests per CPU second of the replicas, p50/p95, the CPU seconds the replicas, the database and
the clients used, and the CPUs this machine has, which all of them share: where the replicas
cannot get a core each, the ratio measures the machine, and the per-CPU column the replicas.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bot/, storage/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from benchmarks.measure import stats  # noqa: E402
from benchmarks.store_register import fill_store  # noqa: E402
from benchmarks.workload import command_body  # noqa: E402
from bot.http_server import EVENTS_PATH  # noqa: E402
from storage.store import open_store  # noqa: E402
from tests.e2e.test_run_process import _env, _free_port, _start_run, _wait_healthy  # noqa: E402
from tests.fakes.signing import sign  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402
from tests.harness import ADMIN, SECRET  # noqa: E402
from tests.postgres import throwaway_cluster  # noqa: E402

HISTORY_PER_ITEM = 20
WARMUP_SECONDS = 3.0  # each replica's first looks decode the register: not counted
GOAL = 1.6  # two replicas at least this many times the throughput of one


def _client(
    urls: list[str], items: list[str], response_url: str, seconds: float, writes: float, seed: int
) -> dict[str, Any]:
    """Send requests round-robin over `urls` until `seconds` are up; count and time them.

    One kept-alive connection per replica, as a load balancer holds them: a new TCP
    connection per request would spend the shared CPUs on the client side."""
    rng = random.Random(seed)
    reads = ["/recs summary", "/recs overdue"]
    connections = [HTTPConnection(urlsplit(url).netloc, timeout=30) for url in urls]
    latencies: list[float] = []
    failures = 0
    turn = seed
    started = resource.getrusage(resource.RUSAGE_SELF)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        item = rng.choice(items)
        if rng.random() < writes:
            line = f"/recs set {item} in progress throughput note {rng.randrange(10**6)}"
        else:
            line = rng.choice([*reads, f"/recs {item}"])
        conn = connections[turn % len(connections)]
        turn += 1
        body = command_body(line, response_url, ADMIN)
        start = time.perf_counter()
        try:
            conn.request("POST", EVENTS_PATH, body.encode(), sign(SECRET, body))
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            conn.close()  # reconnects on the next request
            ok = False
        if ok:
            latencies.append((time.perf_counter() - start) * 1000)
        else:
            failures += 1
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime - started.ru_utime - started.ru_stime
    return {"latencies": latencies, "failures": failures, "cpu": cpu}


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu_seconds(data: Path | None) -> float:
    """CPU time used by the PostgreSQL server of data folder `data` (its postmaster and the
    backends it started), or nan for a server given by URL, which may be anywhere."""
    if data is None:
        return float("nan")
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    total = _cpu_seconds(postmaster)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    total += _cpu_seconds(int(entry.name))
            except OSError:
                continue  # the process ended while we looked
    return total


def round_of(
    replicas: int,
    url: str,
    items: list[str],
    args: argparse.Namespace,
    folder: Path,
    data: Path | None,
) -> dict[str, Any]:
    """Start `replicas` govbot processes, load them for `args.seconds`, stop them."""
    with FakeSlackAPI() as fake:
        ports = [_free_port() for _ in range(replicas)]
        procs = [
            _start_run(
                _env(folder, fake.api_url, port, GOVBOT_DB=url), folder, stdout=subprocess.DEVNULL
            )
            for port in ports
        ]
        try:
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            for base, proc in zip(urls, procs, strict=True):
                _wait_healthy(base, proc, timeout=60)
            with multiprocessing.Pool(args.clients) as pool:
                warm = [
                    (urls, items, fake.response_url(), WARMUP_SECONDS, args.writes, n)
                    for n in range(args.clients)
                ]
                pool.starmap(_client, warm)
                cpu_before = [_cpu_seconds(p.pid) for p in procs]
                db_before = _server_cpu_seconds(data)
                start = time.perf_counter()
                jobs = [
                    (urls, items, fake.response_url(), args.seconds, args.writes, 100 + n)
                    for n in range(args.clients)
                ]
                results = pool.starmap(_client, jobs)
                elapsed = time.perf_counter() - start
            cpu = [
                _cpu_seconds(p.pid) - before for p, before in zip(procs, cpu_before, strict=True)
            ]
            db_cpu = _server_cpu_seconds(data) - db_before
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.communicate(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()
    latencies = [ms for r in results for ms in r["latencies"]]
    return {
        "replicas": replicas,
        "requests": len(latencies),
        "failures": sum(r["failures"] for r in results),
        "per_second": len(latencies) / elapsed,
        "latency": stats(latencies) if latencies else {},
        "replica_cpu_s": cpu,
        "client_cpu_s": sum(r["cpu"] for r in results),
        "db_cpu_s": db_cpu,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=20.0, help="timed load per round")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--writes", type=float, default=0.2, help="share of /recs set updates")
    parser.add_argument("--postgres", default="", help="an empty database (default: throwaway)")
    args = parser.parse_args()
    cluster = None
    url = args.postgres
    if not url:
        cluster = throwaway_cluster()
        url = cluster.new_database()
    try:
        start = time.perf_counter()
        store = open_store(url)
        updatable = fill_store(store, args.items, HISTORY_PER_ITEM)
        store.close()
        print(f"{args.items:,} items written in {time.perf_counter() - start:.0f} s")
        items = [item_id for item_id, _, _ in updatable]
        with tempfile.TemporaryDirectory(prefix="govbot-replicas-") as tmp:
            data = cluster.data if cluster is not None else None
            rounds = [round_of(n, url, items, args, Path(tmp), data) for n in (1, 2)]
    finally:
        if cluster is not None:
            cluster.stop()
    report(rounds, args)


def per_cpu(result: dict[str, Any]) -> float:
    """Requests answered per CPU second the replicas used: flat when a replica adds no cost."""
    return result["requests"] / max(sum(result["replica_cpu_s"]), 1e-9)


def report(rounds: list[dict[str, Any]], args: argparse.Namespace) -> None:
    cpus = len(os.sched_getaffinity(0))
    print(
        f"\nCPUs available: {cpus} (os.cpu_count {os.cpu_count()}), shared by the replicas, "
        f"{args.clients} client processes and PostgreSQL; {args.writes:.0%} updates"
    )
    print(
        f"{'replicas':<9}{'requests/s':>11}{'per CPU s':>10}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'fail':>6}  CPU s over {args.seconds:.0f} s: replicas / database / clients"
    )
    for r in rounds:
        cpu = " + ".join(f"{c:.1f}" for c in r["replica_cpu_s"])
        lat = r["latency"]
        print(
            f"{r['replicas']:<9}{r['per_second']:>11.1f}{per_cpu(r):>10.1f}"
            f"{lat.get('p50', 0):>8.1f}{lat.get('p95', 0):>8.1f}{r['failures']:>6}"
            f"  {cpu} / {r['db_cpu_s']:.1f} / {r['client_cpu_s']:.1f}"
        )
    ratio = rounds[1]["per_second"] / rounds[0]["per_second"]
    verdict = "met" if ratio >= GOAL else "MISSED"
    print(f"two replicas / one: {ratio:.2f}x (goal >= {GOAL}x: {verdict})")
    print("RESULT " + json.dumps({"cpus": cpus, "rounds": rounds, "ratio": ratio}))


if __name__ == "__main__":
    main()
