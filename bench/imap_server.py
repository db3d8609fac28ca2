"""A throwaway Dovecot for the IMAP benchmarks: started in a world-readable temp dir, filled by MULTIAPPEND."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.corpus import Message
from bench.harness import PASSWORD_ENV, ROOT


@contextlib.contextmanager
def dovecot() -> Iterator[Any]:
    """A throwaway Dovecot in a world-readable temp dir (its auth process runs as another user)."""
    from tests.support.dovecot import Dovecot

    root = Path(tempfile.mkdtemp(prefix="triage-bench-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root / "srv")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def fill(server: Any, folder: str, messages: list[Message]) -> float:
    """Create `folder` and MULTIAPPEND the messages; returns messages/s."""
    c = server.client()
    try:
        c.create_folder(folder)
        t0 = time.perf_counter()
        for i in range(0, len(messages), 250):
            c.multiappend(folder, [m.raw for m in messages[i : i + 250]])
        return len(messages) / (time.perf_counter() - t0)
    finally:
        c.logout()


def env() -> dict[str, str]:
    from tests.support.dovecot import PASSWORD

    env = dict(os.environ)
    env[PASSWORD_ENV] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def imap_settings(server: Any, folder: str) -> dict[str, object]:
    from tests.support.dovecot import USER

    return {
        "host": server.host,
        "port": server.port,
        "tls": "starttls",
        "ca_file": server.cafile,
        "username": USER,
        "folder": folder,
    }
