"""Shared fixtures: a real Dovecot for the session, a fresh IMAP folder and config per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dovecot import PASSWORD, USER, Dovecot, imap_table

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
PASSWORD_ENV = "TRIAGE_TEST_IMAP_PASSWORD"
# The shipped model by default; TRIAGE_TEST_MODEL points the suite at another build (e.g. while retraining).
MODEL = Path(os.environ.get("TRIAGE_TEST_MODEL", ROOT / "models" / "intent"))


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    # Not under pytest's tmp dir: that is mode 0700, and Dovecot's auth process (user dovecot) must read it.
    root = Path(tempfile.mkdtemp(prefix="triage-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root / "srv")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_folder(dovecot: Dovecot) -> Iterator[str]:
    """A fresh, empty folder per test so tests never see each other's mail."""
    name = "T" + uuid.uuid4().hex[:10]
    c = dovecot.client()
    c.create_folder(name)
    c.logout()
    yield name


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
    env = dict(os.environ)
    env[PASSWORD_ENV] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_triage(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**triage_env(), **(env or {})},
        cwd=str(ROOT),
        **kw,  # type: ignore[arg-type]
    )


def spawn_triage(*args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=triage_env(),
        cwd=str(ROOT),
        **kw,  # type: ignore[arg-type]
    )
