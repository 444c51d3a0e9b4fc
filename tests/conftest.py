"""Shared fixtures: the reference reports, a store, a fake Slack, a running bot."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.files import read_text
from commands.imports import import_report
from storage.copying import copy_store
from storage.interface import REPOSITORIES
from storage.store import Store, open_store
from tests.fakes.slack_api import FakeSlackAPI
from tests.harness import ADMIN
from tests.postgres import Cluster, server_bindir

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
CSE13 = REFERENCE / "2013_hmic-syp-response-to-cse.txt"
NCP15 = REFERENCE / "2015_hmic-ncp-post-inspection-review_findings.txt"
PANEL15 = REFERENCE / "2015-09-11_panel-report_ncp-post-inspection-review.txt"


def reference(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference report {path.name} is not beside this clone")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201 - pytest's hook signature
    """In CI (`CI` set) a test skipped for want of the reference reports fails instead."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and "reference report" in str(report.longrepr):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{reason}: CI must run with ../shared/reference beside the clone"


@pytest.fixture
def fake_slack():
    with FakeSlackAPI() as fake:
        yield fake


def import_cse13(store: Store) -> Store:
    """The 2013 CSE report imported as CSE13, published 2014-01-31."""
    import_report(
        store,
        read_text(reference(CSE13)),
        file_name=CSE13.name,
        source_id="CSE13",
        title="SYP response to CSE",
        published=date(2014, 1, 31),
        now=datetime(2014, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/London")),
    )
    return store


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server for the whole run, stopped and removed at the end."""
    bindir = server_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server here (neither pg_config --bindir nor /usr/lib/postgresql)"
        )
    cluster = Cluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def cli_db(cse13_store, stores, tmp_path, monkeypatch) -> Store:
    """The CSE13 register as `govbot` on the command line finds it, without Slack settings."""
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOVBOT_DB", stores.location_of(cse13_store))
    monkeypatch.setenv("GOVBOT_ADMINS", ADMIN)
    return cse13_store


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:
    """An empty register in PostgreSQL, given back to the cluster at the end."""
    made = pg_cluster.new_database()
    yield made
    pg_cluster.release(made)


@pytest.fixture
def pg_stores(pg_url) -> Iterator[Callable[[], Store]]:
    """Opens stores on `pg_url` as separate processes would; all closed at the end."""
    opened: list[Store] = []

    def open_one() -> Store:
        store = open_store(pg_url)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture(scope="session", params=["tinydb", "postgres"])
def backend(request) -> str:
    """Each test taking a store runs once on TinyDB and once on PostgreSQL."""
    return request.param


class Stores:
    """Opens stores of one backend; every one is closed (and its database freed) at the end."""

    def __init__(self, backend: str, folder: Callable[[], Path], cluster: Cluster | None) -> None:
        self.backend = backend
        self._folder = folder
        self._cluster = cluster
        self._opened: list[Store] = []
        self._databases: list[str] = []
        self._locations: dict[int, str] = {}

    def location(self) -> str:
        """Where a new, empty register lives: a TinyDB file or a PostgreSQL database."""
        if self._cluster is None:
            return str(self._folder() / "govbot.json")
        url = self._cluster.new_database()
        self._databases.append(url)
        return url

    def open(self, location: str) -> Store:
        store = open_store(location)
        self._opened.append(store)
        self._locations[id(store)] = location
        return store

    def location_of(self, store: Store) -> str:
        """Where a store this opened lives: for GOVBOT_DB, or another process's store."""
        return self._locations[id(store)]

    def new(self) -> Store:
        return self.open(self.location())

    def copy(self, store: Store) -> Store:
        """A new store holding what `store` holds, for tests that change it."""
        target = self.new()
        copy_store(store, target)
        return target

    def close(self) -> None:
        for store in self._opened:
            store.close()
        if self._cluster is not None:
            for url in self._databases:
                self._cluster.release(url)


def contents(store: Store) -> dict[str, list[str]]:
    """Every record of every repository, to show that nothing was written."""
    with store.transaction():
        return {
            name: sorted(json.dumps(d, sort_keys=True) for d in getattr(store, name).dump())
            for name in REPOSITORIES
        }


def _stores(backend: str, folder: Callable[[], Path], request) -> Stores:
    cluster = request.getfixturevalue("pg_cluster") if backend == "postgres" else None
    return Stores(backend, folder, cluster)


@pytest.fixture
def stores(backend, tmp_path_factory, request) -> Iterator[Stores]:
    made = _stores(backend, lambda: tmp_path_factory.mktemp("store"), request)
    yield made
    made.close()


@pytest.fixture(scope="module")
def module_stores(backend, tmp_path_factory, request) -> Iterator[Stores]:
    """Stores that live for a module (an import made once, read by many tests)."""
    made = _stores(backend, lambda: tmp_path_factory.mktemp("store"), request)
    yield made
    made.close()


@pytest.fixture(scope="session")
def cse13_register(backend, tmp_path_factory, request) -> Iterator[Store]:
    """CSE13 imported once per backend, for `cse13_store` to copy: a copy costs a fifth."""
    made = _stores(backend, lambda: tmp_path_factory.mktemp("cse13"), request)
    yield import_cse13(made.new())
    made.close()


@pytest.fixture
def cse13_store(cse13_register, stores) -> Store:
    """CSE13 imported, on each backend: a register of its own for each test."""
    return stores.copy(cse13_register)
