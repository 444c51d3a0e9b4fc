"""The PostgreSQL schema, as numbered steps applied once each, in one transaction at start.

Every table keeps the record as the TinyDB document (`doc`, JSONB: dates and datetimes as the
ISO text they were written with, so they come back exactly, offset included) plus the columns
that are queried, constrained or ordered by. `seq` keeps insertion order where ties are broken
by it. A step is never edited once released: a change is a new step.
"""

from __future__ import annotations

import psycopg

from storage.errors import StorageError

MIGRATION_LOCK = 7_401_001  # pg_advisory_xact_lock key: one process migrates at a time

_V1 = """
CREATE TABLE items (
    seq bigserial NOT NULL,
    id text PRIMARY KEY,
    source text NOT NULL,
    number integer NOT NULL,
    status text NOT NULL,
    due date,
    doc jsonb NOT NULL
);
CREATE INDEX items_by_source ON items (source COLLATE "C", number);
CREATE INDEX items_open_by_due ON items (due)
    WHERE status IN ('not started', 'in progress', 'blocked', 'implemented');

CREATE TABLE history (
    seq bigserial PRIMARY KEY,
    item_id text NOT NULL,
    at timestamptz NOT NULL,
    key text NOT NULL DEFAULT '',
    doc jsonb NOT NULL
);
CREATE INDEX history_of_item ON history (item_id, at, seq);
CREATE INDEX history_by_time ON history (at);
CREATE INDEX history_by_message ON history (item_id, key) WHERE key <> '';

CREATE TABLE sources (
    seq bigserial NOT NULL,
    id text PRIMARY KEY,
    published date NOT NULL,
    doc jsonb NOT NULL
);

CREATE TABLE figures (
    seq bigserial PRIMARY KEY,
    source text NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX figures_by_source ON figures (source);

CREATE TABLE gab_standing (seq bigserial NOT NULL, id text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE gab_meetings (seq bigserial NOT NULL, held_on text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE gab_extra (seq bigserial NOT NULL, at text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE gab_cancelled (seq bigserial NOT NULL, on_day text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE sent_ledger (
    seq bigserial NOT NULL,
    key text PRIMARY KEY,
    state text NOT NULL CHECK (state IN ('claimed', 'sent')),
    at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX sent_ledger_sent ON sent_ledger (key) WHERE state = 'sent';

CREATE TABLE events (
    seq bigserial NOT NULL,
    key text PRIMARY KEY,
    at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX events_by_time ON events (at);

CREATE TABLE threads (
    seq bigserial NOT NULL,
    channel text NOT NULL,
    ts text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (channel, ts)
);

CREATE TABLE snoozes (seq bigserial NOT NULL, item_id text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE gab_speakers (
    seq bigserial NOT NULL,
    meeting text NOT NULL,
    "user" text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (meeting, "user")
);

CREATE TABLE gab_discussed (
    seq bigserial NOT NULL,
    meeting text NOT NULL,
    item_id text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (meeting, item_id)
);
"""

# Which transaction last wrote each item: a process keeps the decoded register and re-reads only
# the rows written since its last look (see `records.RowCache`).
_V2 = """
ALTER TABLE items ADD COLUMN changed xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX items_by_change ON items (changed);
"""

# What main added beside the register: personal snoozes (legacy rows name nobody, user '', and
# are ignored as on TinyDB), reminder settings, subscriptions, settings, and pruning sent keys.
_V3 = """
ALTER TABLE snoozes ADD COLUMN "user" text NOT NULL DEFAULT '';
ALTER TABLE snoozes DROP CONSTRAINT snoozes_pkey;
ALTER TABLE snoozes ADD PRIMARY KEY ("user", item_id);

CREATE TABLE reminder_prefs (seq bigserial NOT NULL, "user" text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE subscriptions (
    seq bigserial NOT NULL,
    channel text NOT NULL,
    field text NOT NULL,
    value text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (channel, field, value)
);

CREATE TABLE settings (seq bigserial NOT NULL, name text PRIMARY KEY, doc jsonb NOT NULL);

CREATE INDEX sent_ledger_by_time ON sent_ledger (at);
"""

# Sources are cached as items are (`records.RowCache`): /recs summary reads every one.
_V4 = """
ALTER TABLE sources ADD COLUMN changed xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX sources_by_change ON sources (changed);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4)  # step n is MIGRATIONS[n - 1]


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply the steps this database lacks, all in one transaction; returns the steps applied."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        newest = max(done, default=0)
        if newest > len(MIGRATIONS):
            raise StorageError(
                f"the database has schema version {newest}, newer than this govbot "
                f"({len(MIGRATIONS)}); upgrade govbot"
            )
        applied = []
        for version, sql in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            applied.append(version)
        return applied
