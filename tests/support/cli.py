"""Running the command line from a test: an inbox.toml for the test Dovecot, and `run_triage.py` as a process
(to completion, or left running to signal), with the test IMAP password in its environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support import MODEL, ROOT
from tests.support.dovecot import PASSWORD, USER, Dovecot, imap_table

PASSWORD_ENV = "TRIAGE_TEST_IMAP_PASSWORD"


def write_config(tmp: Path, dovecot: Dovecot, folder: str, **imap: object) -> Path:
    """An inbox.toml pointing at the test Dovecot over STARTTLS with the test CA."""
    settings = {
        "host": dovecot.host,
        "port": dovecot.port,
        "tls": "starttls",
        "ca_file": dovecot.cafile,
        "username": USER,
        "password_env": PASSWORD_ENV,
        "folder": folder,
        "poll_seconds": 30,
        "batch_size": 50,
    }
    settings.update(imap)
    lines = [
        "[shop]",
        'name = "Test Shop"',
        'support_address = "support@example.com"',
        "[source]",
        'kind = "imap"',
        "[store]",
        f'path = "{tmp / "triage.db"}"',
        "[model]",
        f'path = "{MODEL}"',
        *imap_table(settings),
    ]
    path = tmp / "inbox.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def triage_env() -> dict[str, str]:
    """This environment plus the test IMAP password, with the repository importable."""
    env = dict(os.environ)
    env[PASSWORD_ENV] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_triage(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """`run_triage.py ARGS` as a process, to completion."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**triage_env(), **(env or {})},
        cwd=str(ROOT),
        **kw,
    )


def spawn_triage(*args: str, **kw: Any) -> subprocess.Popen[str]:
    """`run_triage.py ARGS` as a process left running (to signal, kill, or stop later)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=triage_env(),
        cwd=str(ROOT),
        **kw,
    )


def stop(proc: subprocess.Popen[str]) -> str:
    """SIGTERM a spawned run (a daemon stops cleanly on it) and return its stderr; SIGKILL if it hangs."""
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    except Exception:
        proc.kill()
        _, err = proc.communicate()
    return err
