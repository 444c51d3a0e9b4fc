"""What the Slack listeners share: the store, the clock, settings and a background pool."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.config import Config
from bot.errors import report_failure
from commands.context import Context
from commands.districts import Districts, stored_districts
from storage.store import Store

Clock = Callable[[], datetime]
log = logging.getLogger("govbot")


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    config: Config
    store: Store
    clock: Clock = system_clock
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="govbot-bg")
    )
    bot_user_id: str = ""
    _pending: set[Future] = field(default_factory=set)
    _pending_lock: threading.Lock = field(default_factory=threading.Lock)

    def context(self, user: str, channel: str = "", is_dm: bool = False) -> Context:
        settings = replace(self.config.settings(), districts=self.districts())
        now = self.clock().astimezone(settings.tz)
        return Context(self.store, now, user, settings, channel=channel, is_dm=is_dm)

    def districts(self) -> Districts:
        """The force's districts: `govbot districts set` if stored, else GOVBOT_DISTRICTS or the default."""
        return stored_districts(self.store) or self.config.districts

    def later(self, fn: Callable[[], object]) -> None:
        """Run slow Slack work after the HTTP response; failures are logged, never raised."""

        def run() -> None:
            try:
                fn()
            except Exception as err:
                report_failure(err, "background task")

        future = self.background.submit(run)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future) -> None:
        with self._pending_lock:
            self._pending.discard(future)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until the background work queued so far is done (tests, CLI, shutdown)."""
        with self._pending_lock:
            pending = set(self._pending)
        wait(pending, timeout=timeout)
