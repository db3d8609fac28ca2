"""Watching a triage run from outside, as an agent would: rows in its store, and waiting for a condition."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path


def rows(db: Path, sql: str = "SELECT count(*) FROM messages") -> int:
    """One number from the store (0 while the file or its schema does not exist yet), read without a lock."""
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=30)
    try:
        return int(con.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        con.close()


def wait_for(predicate: Callable[[], object], timeout: float, step: float = 0.02) -> float:
    """Poll until `predicate()` holds; the seconds it took. A guard against a hang, failing after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")
