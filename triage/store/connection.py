"""The store's one SQLite connection: opening the file, its transactions, the audit log and the meta table.

Every query module of the store builds on `Connection`; `Store` (in
`triage/store/__init__.py`) is them all put together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from triage.errors import StoreError
from triage.store.codec import Clock, now_text
from triage.store.schema import migrate


class Connection:
    """One SQLite file opened in WAL mode; safe to share between processes.

    `clock` stamps what the store writes (stored_at, drafts, audit events, heartbeats): the wall clock by
    default, the command's pinned time when it has one.
    """

    def __init__(self, path: str | Path, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock = clock
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            conn.execute("PRAGMA busy_timeout = 30000")
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.db, self.path, self.transaction)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {path}: {exc} (check [store] path and its permissions)") from exc

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT: all or nothing, and writers queue instead of failing."""
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from exc
        try:
            yield
        except sqlite3.Error as exc:
            if conn.in_transaction:  # SQLite already rolled back after e.g. SQLITE_FULL
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot write to the store {self.path}: {exc} (disk full or read-only?)") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot write to the store {self.path}: {exc} (disk full or read-only?)") from exc

    def _event(
        self, message: int | None, actor: str, action: str, detail: str = "", conversation: int | None = None
    ) -> None:
        """One line of the audit log (who closed, reopened or edited what, and when)."""
        self.db.execute(
            "INSERT INTO events (message, at, actor, action, detail, conversation) VALUES (?,?,?,?,?,?)",
            [message, now_text(self.clock), actor, action, detail, conversation],
        )

    # -- meta: small named values the commands keep (the orders file's stamp, summaries sent) ----------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
