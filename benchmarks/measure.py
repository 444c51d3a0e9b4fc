"""Timing signed requests, summarising samples, and the process's memory and GC pauses."""

from __future__ import annotations

import resource
import time
from pathlib import Path

from benchmarks.workload import READS, command_body
from bot.dispatch import COMMANDS
from tests.fakes.signing import FORM, post_signed
from tests.fakes.slack_api import FakeSlackAPI
from tests.harness import SECRET

WARMUP = 5  # untimed requests of each type before the timed ones
UPDATE = "thread update (HTTP)"


def timed_post(url: str, body: str, content_type: str) -> tuple[float, bytes]:
    """One signed POST; the round trip in ms and the answer. Anything but 200 is a failure."""
    start = time.perf_counter()
    status, raw, _ = post_signed(url, body, SECRET, content_type=content_type)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"HTTP {status} from {url}: {raw[:200]!r}")
    return elapsed, raw


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    rank95 = max(0, -(-len(ordered) * 95 // 100) - 1)  # nearest-rank percentile
    return {
        "p50": ordered[(len(ordered) - 1) // 2],
        "p95": ordered[rank95],
        "max": ordered[-1],
        "n": len(ordered),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (exec), in MB."""
    try:  # VmHWM restarts at exec; ru_maxrss would carry over the parent's peak from fork
        status = Path("/proc/self/status").read_text()
        return (
            next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
            / 1024
        )
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def read_lines() -> dict[str, str]:
    """The read requests to time; /figures only when the bot registers it."""
    return {name: line for name, line in READS.items() if line.split()[0] in COMMANDS}


def time_reads(url: str, fake: FakeSlackAPI, count: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {}
    for line in read_lines().values():
        body = command_body(line, fake.response_url())
        samples[line] = [timed_post(url, body, FORM)[0] for _ in range(count)]
    return samples


class GcPauses:
    """Durations of the cyclic garbage collector's full (generation 2) collections."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._started) * 1000)

    def summary(self) -> dict[str, float]:
        return {
            "count": len(self.pauses),
            "max": max(self.pauses, default=0.0),
            "total": sum(self.pauses),
        }
