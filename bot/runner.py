"""`govbot run`: one process serving Slack (Socket Mode or HTTP) with its scheduler."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading

from bot.app import build_app
from bot.backoff import connect_with_backoff
from bot.config import Config, require_for_run
from bot.http_server import EVENTS_PATH, make_http_server
from bot.scheduler import start_scheduler
from bot.services import Services
from storage.store import open_store

log = logging.getLogger("govbot")


def run(config: Config) -> int:
    """Serve until interrupted; a second runner on one TinyDB file is refused (PostgreSQL takes many)."""
    require_for_run(config)
    store = open_store(config.db_path)
    # The parsed register lives as long as the process: keep it out of the collector's full
    # passes, whose pauses otherwise set the latency tail on large registers.
    gc.freeze()
    runner_lock = store.runner_lock()
    runner_lock.acquire(f"pid {os.getpid()} on {socket.gethostname()}")
    for stale in store.remove_stale_temporaries():
        log.info("removed %s, left by an interrupted write", stale.name)
    services = Services(config, store)
    app = build_app(services)
    scheduler = start_scheduler(services, app.client)
    try:
        if config.socket_mode:
            _serve_socket_mode(app, config)
        else:
            _serve_http(app, config)
    finally:
        scheduler.shutdown(wait=False)
        services.wait_idle(timeout=10)
        runner_lock.release()
    return 0


def _serve_http(app, config: Config) -> None:  # noqa: ANN001
    server = make_http_server(app, port=config.port, signing_secret=config.signing_secret)
    log.info("govbot listening on http://0.0.0.0:%s%s", server.effective_port, EVENTS_PATH)
    stop = threading.Event()

    def shutdown(signum: int, frame: object) -> None:
        stop.set()
        server.close()

    signal.signal(signal.SIGTERM, shutdown)
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        if not stop.is_set():
            raise


def _serve_socket_mode(app, config: Config) -> None:  # noqa: ANN001
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, config.app_token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    log.info("govbot connecting to Slack in Socket Mode")
    try:
        if connect_with_backoff(handler.connect, stop):
            log.info("govbot connected to Slack in Socket Mode")
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
