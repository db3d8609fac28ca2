"""Serving the web app on uvicorn: on its own (`triage web`) or in a thread beside the mail loop (`triage run`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import uvicorn

from triage.config import Config
from triage.store import Store
from triage.web.app import create_app


def make_server(
    cfg: Config,
    store_path: Path,
    clock: Callable[[], datetime],
    sync: Callable[[Store], object] | None = None,
    host: str | None = None,
    port: int | None = None,
) -> uvicorn.Server:
    """A uvicorn server for the app; `run()` blocks until SIGTERM/Ctrl-C, or `should_exit` in a thread."""
    app = create_app(cfg, store_path, clock, sync)
    config = uvicorn.Config(
        app,
        host=host or cfg.web.host,
        port=port or cfg.web.port,
        log_level="warning",
        access_log=False,  # URLs carry search terms (e-mail addresses): keep them out of the logs
        proxy_headers=bool(cfg.web.public_url),
        forwarded_allow_ips="127.0.0.1" if cfg.web.public_url else None,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def serve_in_thread(server: uvicorn.Server) -> threading.Thread:
    """Run the server beside something else (the daemon); stop it with `server.should_exit = True`."""
    thread = threading.Thread(target=server.run, name="triage-web", daemon=True)
    thread.start()
    return thread
