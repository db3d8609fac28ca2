"""Fixtures only: a real Dovecot and the intent model once per session, a fresh IMAP folder per test, the CLI.

The helpers behind them (and the ones tests call directly) live in tests/support/, which bench/ shares.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support import MODEL
from tests.support.cli import TriageCli
from tests.support.dovecot import Dovecot
from triage.understand.classify import IntentModel

# The suite's property tests draw the same examples on every run, so a run on a clean checkout is
# reproducible and a pass means what it meant last time. Exploring new examples is a separate, deliberate
# run: HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_redact*.py (a failure it finds
# becomes a fixed example in a test table).
# Caches triage writes (the redaction prescan's compiled databases) go to a folder of this run, never the
# user's ~/.cache: set before any test or spawned process looks.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="triage-test-cache-")

# No per-example deadline: a timing is no assertion here, and a loaded CI machine would make it a flake.
settings.register_profile("suite", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


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


@pytest.fixture(scope="session")
def intent_model() -> IntentModel:
    """The intent model (MODEL: the shipped one unless TRIAGE_TEST_MODEL says otherwise), loaded once:
    a load takes seconds, and classifying does not change it."""
    return IntentModel.load(MODEL)


@pytest.fixture(scope="session")
def triage_cli(intent_model: IntentModel) -> TriageCli:
    """The command line in this process, handing the session's model to every config that names MODEL."""
    return TriageCli(MODEL, intent_model)
