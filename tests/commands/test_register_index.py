"""The register index: the same answers as looking at every item, and never a stale one."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.items import render_summary
from commands.context import Context, Settings
from commands.deadlines import rag
from commands.recs import run_recs
from commands.register_index import RegisterIndex, register_index
from commands.replies import ItemList, SourceSummary, Summary
from storage.models import STATUSES, Item
from tests.harness import ADMIN, LONDON

TODAY = date(2015, 6, 10)
NOW = datetime(2015, 6, 10, 9, 0, tzinfo=LONDON)


def register(count: int, seed: int = 3) -> list[Item]:
    rng = random.Random(seed)
    items = [
        Item(
            f"S{n % 7}-{n:03d}",
            f"S{n % 7}",
            n,
            due=None if rng.random() < 0.15 else TODAY + timedelta(days=rng.randint(-60, 60)),
            status=rng.choice(STATUSES),
            leads=() if rng.random() < 0.3 else ("U0LEAD1",),
        )
        for n in range(count)
    ]
    return sorted(items, key=lambda i: (i.source, i.number))


def test_dated_views_are_the_open_items_in_range_by_due_date_then_id():
    items = register(400)
    index = RegisterIndex(items)
    by_due = sorted((i for i in items if i.is_open and i.due), key=lambda i: (i.due, i.id))
    overdue = [i for i in by_due if i.due < TODAY]
    assert overdue and list(index.open_due_between(None, TODAY - timedelta(days=1))) == overdue
    week = [i for i in by_due if TODAY <= i.due <= TODAY + timedelta(days=7)]
    assert week and list(index.open_due_between(TODAY, TODAY + timedelta(days=7))) == week
    assert index.open_due_between(TODAY, TODAY - timedelta(days=1)) == ()


def test_rag_counts_are_those_of_every_open_item_on_the_day():
    items = register(400)
    counts = RegisterIndex(items).rag_counts(TODAY)
    expected = Counter(rag(i, TODAY) for i in items if i.is_open)
    assert dict(counts.total) == {k: expected[k] for k in ("red", "amber", "green")}
    s3 = Counter(rag(i, TODAY) for i in items if i.is_open and i.source == "S3")
    assert sum(counts.by_source["S3"].values()) == sum(s3.values())
    later = RegisterIndex(items).rag_counts(TODAY + timedelta(days=90))
    assert later.total != counts.total  # a later day is worked out afresh


def test_the_index_is_reused_while_the_register_is_unchanged_and_rebuilt_after_a_change():
    items = register(50)
    first = register_index(items)
    assert register_index(list(items)) is first
    decoded_again = register_index(register(50))  # equal, but not the objects indexed
    assert decoded_again is not first and decoded_again.open_by_due == first.open_by_due
    changed = [replace(items[0], status="closed" if items[0].is_open else "in progress")]
    rebuilt = register_index(changed + items[1:])
    assert register_index(changed + items[1:]) is rebuilt
    assert rebuilt is not first and rebuilt.items[0].status == changed[0].status


def test_a_closed_item_leaves_the_overdue_list_at_once(cse13_store):
    ctx = Context(cse13_store, NOW, ADMIN, Settings(admins=frozenset({ADMIN})))
    overdue = run_recs(ctx, "overdue")
    assert isinstance(overdue, ItemList) and overdue.rows
    first = overdue.rows[0].item.id
    run_recs(ctx, f"evidence {first} https://intranet.example/evidence/1")
    run_recs(ctx, f"set {first} closed done")
    after = run_recs(ctx, "overdue")
    assert first not in [row.item.id for row in after.rows]
    assert after.total == overdue.total - 1
    summary = run_recs(ctx, "summary")
    assert summary.by_status["closed"] == 1


@pytest.mark.parametrize("sources", [3, 48, 49, 120])
def test_a_summary_shows_the_sources_that_fit_and_says_when_there_are_more(sources):
    summaries = tuple(
        SourceSummary(f"R{n:03d}", f"Report {n}", {"in progress": 1}, {"red": 1}, 0)
        for n in range(sources)
    )
    reply = Summary(summaries, {"in progress": sources}, {"red": sources}, sources)
    blocks = render_summary(reply)["blocks"]
    assert len(blocks) <= 50
    shown = [b for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*R")]
    cut = blocks[-1]["type"] == "context"
    assert cut == (sources + 2 > 50)
    assert len(shown) == (47 if cut else sources)
    assert shown[-1]["text"]["text"].startswith(f"*R{len(shown) - 1:03d}*")


def test_search_matches_id_area_and_text_in_any_case(cse13_store):
    ctx = Context(cse13_store, NOW, ADMIN, Settings(admins=frozenset({ADMIN})))
    with cse13_store.transaction():
        items = cse13_store.items.all()
    word = items[3].text.split()[-1].strip(".,").upper()
    reply = run_recs(ctx, f"search {word}")
    expected = [i.id for i in items if word.lower() in f"{i.id} {i.area} {i.text}".lower()]
    assert [row.item.id for row in reply.rows] == expected[:20] and reply.total == len(expected)


def _views(index: RegisterIndex, days: list[date]) -> dict:
    """Everything an index answers, to compare a patched index with a fresh one."""
    return {
        "items": index.items,
        "source_ids": index.source_ids,
        "by_source": index.by_source,
        "status_counts": index.status_counts,
        "source_status_counts": index.source_status_counts,
        "open_by_due": index.open_by_due,
        "awaiting": dict(index.awaiting_allocation),
        "between": [index.open_due_between(d, d + timedelta(days=14)) for d in days],
        "rag": [index.rag_counts(d) for d in days],
        "search": [index.search_text(i) for i in index.items[::37]],
    }


_CHANGES = st.lists(
    st.tuples(
        st.integers(0, 299),
        st.sampled_from(STATUSES),
        st.one_of(st.none(), st.integers(-90, 90)),
        st.booleans(),
        st.text(alphabet="abc ", max_size=8),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(changes=_CHANGES, warm=st.booleans())
def test_an_index_patched_after_updates_answers_as_one_built_afresh(changes, warm):
    items = register(300)
    old = RegisterIndex(items)
    days = [TODAY, TODAY + timedelta(days=40)]
    if warm:  # RAG counts and search texts already worked out are patched, not dropped
        _views(old, days)
    updated = list(items)
    for at, status, due, led, area in changes:
        updated[at] = replace(
            updated[at],
            status=status,
            due=None if due is None else TODAY + timedelta(days=due),
            leads=("U0LEAD2",) if led else (),
            area=area,
        )
    patched = old.patched(updated)
    assert patched is not None
    assert _views(patched, days) == _views(RegisterIndex(updated), days)
    assert _views(old, days) == _views(RegisterIndex(items), days)  # the old one is untouched


def test_an_index_is_built_afresh_when_items_come_or_go_or_move():
    items = register(50)
    index = RegisterIndex(items)
    assert index.patched(items[:-1]) is None
    moved = [*items]
    moved[3] = replace(moved[3], source="S9")
    assert index.patched(moved) is None
    assert index.patched(list(reversed(items))) is None  # 50 changed positions, ids differ
    assert register_index(moved).by_source["S9"] == (moved[3],)
