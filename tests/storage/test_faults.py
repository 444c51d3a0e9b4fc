"""Faults (SPEC section 8, issue 6): many threads, two processes at once, kill -9 mid-burst.

Nothing acknowledged is lost, every file stays whole JSON, and each process sees the other's
writes without a restart.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from commands.context import Context, Settings
from commands.updates import UpdateRequest, apply_update
from storage.models import Item, Source
from storage.store import Store, open_store
from tests.conftest import CSE13, reference
from tests.harness import ADMIN, LONDON

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
STATUSES = ["in progress", "implemented", "not started", "blocked"]


@pytest.fixture
def ram_folder(tmp_path) -> Iterator[Path]:
    """A RAM disk folder when there is one, for the tests of many writes in one place: locking,
    atomic renames and the journal behave the same there (a killed process is not a power
    cut), and the tests take a second however slow the disk's fsync."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    path = Path(tempfile.mkdtemp(prefix="govbot-faults-", dir=shm))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def seeded(path: Path, count: int = 4) -> Store:
    store = open_store(path)
    with store.transaction():
        store.sources.save(Source("GAB14", "GAB actions", date(2014, 1, 28), kind="meeting"))
        store.items.save_many([Item(f"GAB14-{n:02d}", "GAB14", n) for n in range(1, count + 1)])
    return store


def assert_whole_json(folder: Path) -> None:
    for file in folder.glob("*.json"):
        assert isinstance(json.loads(file.read_bytes()), dict), file.name


def start(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def finish(proc: subprocess.Popen, timeout: float = 20) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


# Threads


def test_eight_threads_of_updates_lose_nothing(ram_folder):
    store = seeded(ram_folder / "govbot.json")
    errors: list[BaseException] = []

    def updates(thread: int) -> None:
        for n in range(100):
            status = STATUSES[(thread + n) % len(STATUSES)]
            ctx = Context(store, NOW + timedelta(seconds=n), ADMIN, Settings(frozenset({ADMIN})))
            request = UpdateRequest(
                f"GAB14-{(thread + n) % 4 + 1:02d}",
                status,
                note=f"t{thread} n{n}",
                key=f"{thread}:{n}",
            )
            try:
                apply_update(ctx, request)
            except BaseException as err:  # reported below, with the thread's other work done
                errors.append(err)

    threads = [threading.Thread(target=updates, args=(t,)) for t in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so that any race shows
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []

    reopened = open_store(ram_folder / "govbot.json")
    with reopened.transaction():
        for item in reopened.items.all():
            table = reopened.db.history_table(item.id)
            entries = sorted(
                (d for d in table.all() if d["item_id"] == item.id), key=lambda d: d.doc_id
            )
            assert len(entries) == 200
            # each update read the status the one before it wrote: no two raced on one item
            for before, after in zip(entries, entries[1:], strict=False):
                assert after["old"] == before["new"]
            assert item.status == entries[-1]["new"]
        keys = {e.key for i in reopened.items.all() for e in reopened.history.for_item(i.id)}
    assert keys == {f"{t}:{n}" for t in range(8) for n in range(100)}
    assert_whole_json(ram_folder)


# Processes

INSERTER = """
    import sys
    import time
    from pathlib import Path
    from storage.models import Item
    from storage.store import open_store

    path, prefix, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = open_store(path)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    for n in range(1, 201):
        with store.transaction():
            store.items.save(Item(f"{prefix}-{n:03d}", prefix, n))
    print("done", flush=True)
"""


def test_two_processes_inserting_at_once_both_land(tmp_path):
    # on the real disk: noticing another process's write depends on its file system
    path = tmp_path / "govbot.json"
    open_store(path)
    go = tmp_path / "go"
    procs = [start(INSERTER, str(path), prefix, str(go)) for prefix in ("ONE", "TWO")]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        assert finish(proc).strip() == "done"

    store = open_store(path)
    with store.transaction():
        ids = store.items.ids()
    assert len(ids) == 400
    assert sorted(ids) == sorted(f"{p}-{n:03d}" for p in ("ONE", "TWO") for n in range(1, 201))
    assert_whole_json(tmp_path)


IMPORTER = """
    import sys
    from datetime import date, datetime, timezone
    from pathlib import Path
    from bot.files import read_text
    from commands.imports import import_report
    from storage.store import open_store

    store = open_store(sys.argv[1])
    result = import_report(
        store, read_text(Path(sys.argv[2])), file_name="cse.txt", source_id="CSE13", title="CSE",
        published=date(2014, 1, 31), now=datetime.now(timezone.utc),
    )
    print(result.created, flush=True)
"""


def test_an_import_while_the_bot_writes_both_land_and_the_bot_sees_it_at_once(tmp_path):
    # on the real disk: noticing another process's write depends on its file system
    path = tmp_path / "govbot.json"
    bot = seeded(path)
    ctx = Context(bot, NOW, ADMIN, Settings(frozenset({ADMIN})))
    with bot.transaction():
        assert bot.items.by_source("CSE13") == []  # the bot has read the register already

    importer = start(IMPORTER, str(path), str(reference(CSE13)))
    n = 0
    while importer.poll() is None or n < 20:
        apply_update(ctx, UpdateRequest(f"GAB14-0{n % 4 + 1}", None, note=f"n{n}", key=f"bot:{n}"))
        n += 1
    assert finish(importer).strip() == "15"

    with bot.transaction():  # the same store, not reopened
        assert len(bot.items.by_source("CSE13")) == 15
        assert sum(len(bot.history.for_item(f"GAB14-0{k}")) for k in range(1, 5)) == n
    assert_whole_json(tmp_path)


SEE_AT_ONCE = """
    import sys
    from storage.models import Item
    from storage.store import open_store

    store = open_store(sys.argv[1])
    with store.transaction():
        item = store.items.get("GAB14-01")
        store.items.save(Item(**{**item.__dict__, "status": "blocked"}))
        store.items.save(Item("GAB14-99", "GAB14", 99, text="added elsewhere"))
"""


def test_a_write_by_another_process_is_seen_at_once(tmp_path):
    # on the real disk: noticing another process's write depends on its file system
    path = tmp_path / "govbot.json"
    store = seeded(path)
    with store.transaction():
        assert store.items.get("GAB14-01").status == "not started"
    finish(start(SEE_AT_ONCE, str(path)))
    with store.transaction():
        assert store.items.get("GAB14-01").status == "blocked"
        assert store.items.get("GAB14-99").text == "added elsewhere"


# kill -9

UPDATER = """
    import sys
    from datetime import datetime, timezone
    from commands.context import Context, Settings
    from commands.updates import UpdateRequest, apply_update
    from storage.store import open_store

    store = open_store(sys.argv[1])
    run = sys.argv[2]
    admins = frozenset({"UADMIN01"})
    statuses = ["in progress", "implemented", "not started"]
    n = 0
    while True:
        ctx = Context(store, datetime.now(timezone.utc), "UADMIN01", Settings(admins))
        key = f"{run}-{n}"
        item_id = f"GAB14-{n % 8 + 1:02d}"
        apply_update(ctx, UpdateRequest(item_id, statuses[n % 3], note=key, key=key))
        print(item_id, key, flush=True)  # acknowledged: the transaction has returned
        n += 1
"""


def _acknowledged_then_killed(path: Path, run: str, wanted: int, delay: float, deadline: float):
    """Run the updater until it has acknowledged `wanted` updates, then kill -9 it `delay`
    seconds later, wherever it is in its loop. A watchdog kills it at `deadline` regardless."""
    updater = start(UPDATER, str(path), run)
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), updater.kill)
    watchdog.start()
    acknowledged: list[tuple[str, str]] = []
    try:
        while len(acknowledged) < wanted and (line := updater.stdout.readline()):
            item_id, key = line.split()
            acknowledged.append((item_id, key))
        time.sleep(delay)
    finally:
        os.kill(updater.pid, signal.SIGKILL)
        updater.wait(5)
        watchdog.cancel()
    assert updater.returncode == -signal.SIGKILL
    assert len(acknowledged) == wanted, updater.stderr.read() or "the updater was too slow"
    return acknowledged


def test_kill_9_during_bursts_loses_no_acknowledged_update(ram_folder):
    path = ram_folder / "govbot.json"
    seeded(path, count=8)
    deadline = time.monotonic() + 9
    acknowledged = []
    cycles = [(137, 0.0), (90, 0.003), (53, 0.007), (71, 0.011), (64, 0.019)]
    for run, (wanted, delay) in enumerate(cycles):
        acknowledged += _acknowledged_then_killed(path, f"run{run}", wanted, delay, deadline)

        assert_whole_json(ram_folder)
        store = open_store(path)  # the restart loads
        with store.transaction():
            missing = [k for item_id, k in acknowledged if not store.history.has_key(item_id, k)]
            for item in store.items.all():  # no half-made update: item and history agree
                entries = store.history.for_item(item.id)
                assert not entries or item.status == entries[-1].new
        assert missing == []
