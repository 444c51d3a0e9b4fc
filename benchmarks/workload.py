"""The benchmark's register (items, sources, history, thread anchors, figures) and its requests.

Shared by `http_latency.py` (timed over HTTP) and `profile_handlers.py` (cProfile in-process).
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from commands.importing.figures_parser import METRICS
from storage.models import DISTRICTS, FIGURE_DISTRICTS, Figure, HistoryEntry, Item, Source
from storage.store import open_store
from tests.fakes.signing import event_body, slash_command_body
from tests.harness import ADMIN, Clock

CHANNEL = "C0GOV"
ITEMS_PER_SOURCE = 25
LEADS = tuple(f"U0LEAD{n:03d}" for n in range(40))
STATUS_WEIGHTS = {
    "not started": 30,
    "in progress": 35,
    "blocked": 5,
    "implemented": 10,
    "closed": 15,
    "superseded": 3,
    "not accepted": 2,
}
FIGURE_MONTHS = 24
READS = {"overdue": "/recs overdue", "summary": "/recs summary", "figures": "/figures"}
_PHRASE = (
    "the force should ensure that officers and staff review safeguarding referrals "
    "within agreed timescales and record the rationale for decisions on child protection "
    "strategy meetings with partner agencies across each district"
)
_WORDS = tuple(_PHRASE.split())


@dataclass(frozen=True)
class Register:
    """What was written, and which items a lead may update in their own thread."""

    db_path: Path
    items: int
    history: int
    updatable: tuple[tuple[str, str, str], ...]  # (item id, lead, anchor ts), open items only
    bytes_on_disk: int


def _text(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(_WORDS))
    return " ".join(_WORDS[(start + k) % len(_WORDS)] for k in range(words)).capitalize() + "."


def anchor_ts(serial: int) -> str:
    return f"1390000000.{serial:06d}"


def _sources(count: int, now: datetime) -> list[Source]:
    first = now.date() - timedelta(days=3 * 365)
    return [
        Source(
            id=f"BM{n:03d}",
            title=f"Benchmark inspection {n}",
            published=first + timedelta(days=n * 1095 // max(count, 1)),
            publisher="HMIC",
            kind="inspection" if n % 3 else "review",
        )
        for n in range(count)
    ]


def _items(rng: random.Random, sources: list[Source], count: int, now: datetime) -> list[Item]:
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    items = []
    for n in range(count):
        source = sources[n // ITEMS_PER_SOURCE]
        months = rng.choice((3, 6, 12, 18, 24))
        due = source.published + timedelta(days=30 * months)
        items.append(
            Item(
                id=f"{source.id}-{n % ITEMS_PER_SOURCE + 1:02d}",
                source=source.id,
                number=n % ITEMS_PER_SOURCE + 1,
                area=rng.choice(("Initial contact", "Assessment and help", "Investigation")),
                text=_text(rng, rng.randint(20, 45)),
                timescale=f"within {months} months",
                due=due,
                original_due=due,
                leads=() if rng.random() < 0.1 else (rng.choice(LEADS),),
                districts=tuple(rng.sample(DISTRICTS, rng.randint(0, 2))),
                status=rng.choices(statuses, weights)[0],
                updated_at=now - timedelta(days=rng.randint(0, 300)),
                has_evidence=rng.random() < 0.4,
            )
        )
    return items


def _history(rng: random.Random, item: Item, entries: int, now: datetime) -> list[HistoryEntry]:
    at = datetime.combine(item.original_due or now.date(), now.timetz()) - timedelta(days=400)
    history = [HistoryEntry(item.id, at, "import", "import", new="not started")]
    by = item.leads[0] if item.leads else ADMIN
    for k in range(1, entries):
        at += timedelta(hours=rng.randint(2, 400))
        ts = f"{1390000000 + k * 1000 + rng.randrange(1000)}.{rng.randrange(10**6):06d}"
        evidence = f"https://intranet.example/evidence/{item.id}/{k}" if k % 5 == 0 else ""
        history.append(
            HistoryEntry(
                item.id,
                at,
                by,
                "note" if k % 3 else "status",
                old="in progress",
                new="in progress",
                note=_text(rng, rng.randint(6, 18)),
                evidence=evidence,
                permalink=f"https://govbot-test.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}",
                channel=CHANNEL,
                ts=ts,
                key=f"msg:{CHANNEL}:{ts}",
            )
        )
    # Nothing is recorded after "now": move a history that would run past it back in time.
    overrun = history[-1].at - (now - timedelta(hours=rng.randint(1, 2000)))
    if overrun > timedelta(0):
        history = [replace(entry, at=entry.at - overrun) for entry in history]
    return history


def _figures(rng: random.Random) -> list[Figure]:
    months = [f"{2012 + m // 12}-{m % 12 + 1:02d}" for m in range(FIGURE_MONTHS)]
    return [
        Figure(district, metric, period, rng.randint(10, 99), "BENCH")
        for district, metric, period in itertools.product(FIGURE_DISTRICTS, METRICS, months)
    ]


def build_register(folder: Path, items: int, history_per_item: int, seed: int = 6) -> Register:
    """Write the register through the storage layer: one insert per table or shard."""
    rng = random.Random(seed)
    now = Clock().now
    db_path = folder / "govbot.json"
    store = open_store(db_path)
    sources = _sources(-(-items // ITEMS_PER_SOURCE), now)
    register = _items(rng, sources, items, now)
    history = [
        entry.to_doc() for item in register for entry in _history(rng, item, history_per_item, now)
    ]
    anchors = [
        {"channel": CHANNEL, "ts": anchor_ts(n), "item_id": item.id, "kind": "item"}
        for n, item in enumerate(register)
    ]
    with store.transaction() as tx:
        tx.db.table("sources").insert_multiple(s.to_doc() for s in sources)
        tx.items.save_many(register)
        tx.db.table("threads").insert_multiple(anchors)
        tx.history.load(history)  # one write per history shard and month log
        tx.figures.replace_source("BENCH", _figures(rng))
    updatable = tuple(
        (item.id, item.leads[0], anchor_ts(n))
        for n, item in enumerate(register)
        if item.leads and item.is_open
    )
    size = sum(p.stat().st_size for p in folder.glob("govbot*.json"))
    return Register(db_path, items, items * history_per_item, updatable, size)


# -- request bodies --------------------------------------------------------------------------

_ts_serial = itertools.count(1)


def command_body(line: str, response_url: str, user: str = ADMIN) -> str:
    name, _, text = line.partition(" ")
    return slash_command_body(
        name, text, user_id=user, channel_id=CHANNEL, response_url=response_url
    )


def fresh_ts() -> str:
    """A message ts never used before in this process (Slack's are unique per channel)."""
    return f"{int(time.time())}.{next(_ts_serial):06d}"


def thread_reply_body(item_id: str, lead: str, thread_ts: str, ts: str) -> str:
    """A lead's reply in the thread of an item's message, as an Events API delivery."""
    return event_body(
        {
            "type": "message",
            "channel": CHANNEL,
            "channel_type": "channel",
            "user": lead,
            "text": f"in progress: benchmark note for {item_id} at {ts}",
            "ts": ts,
            "thread_ts": thread_ts,
            "event_ts": ts,
            "team": "T0001",
        }
    )
