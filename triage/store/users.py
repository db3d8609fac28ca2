"""Web accounts in the store: users and their argon2 hashes, sessions, login attempts, and who is assigned what.

Hashing happens outside (triage/web/auth.py); the store only keeps the hash. A
session is a random token whose SHA-256 is kept here, so a copy of the file
cannot be replayed as a cookie; removing a user deletes their sessions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from triage.errors import NotFoundError, StoreError
from triage.store.codec import now_text
from triage.store.connection import Connection


@dataclass(frozen=True, slots=True)
class User:
    name: str
    password_hash: str
    manager: bool


@dataclass(frozen=True, slots=True)
class Session:
    user: str
    manager: bool
    csrf: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserQueries(Connection):
    def add_user(self, name: str, password_hash: str, manager: bool) -> None:
        with self.transaction():
            if self.db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise StoreError(f"user {name!r} exists (change the password with `triage user passwd {name}`)")
            now = now_text()
            self.db.execute(
                "INSERT INTO users (name, password_hash, manager, created_at, updated_at) VALUES (?,?,?,?,?)",
                [name, password_hash, int(manager), now, now],
            )
            self._event(None, "admin", "user_added", name)

    def set_password(self, name: str, password_hash: str) -> None:
        """A new password ends the user's sessions: whoever knew the old one is logged out."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?", [password_hash, now_text(), name]
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no user {name!r} (add one with `triage user add {name}`)")
            self.db.execute("DELETE FROM sessions WHERE user = ?", [name])
            self._event(None, "admin", "password_changed", name)

    def remove_user(self, name: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM sessions WHERE user = ?", [name])
            self.db.execute("DELETE FROM assignments WHERE user = ?", [name])
            cur = self.db.execute("DELETE FROM users WHERE name = ?", [name])
            if cur.rowcount == 0:
                raise NotFoundError(f"no user {name!r}")
            self._event(None, "admin", "user_removed", name)

    def user(self, name: str) -> User | None:
        row = self.db.execute("SELECT name, password_hash, manager FROM users WHERE name = ?", [name]).fetchone()
        return User(row[0], row[1], bool(row[2])) if row else None

    def user_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM users ORDER BY name")]

    # -- sessions ---------------------------------------------------------------------------------------

    def start_session(self, name: str, token: str, csrf: str) -> None:
        now = now_text()
        self.db.execute(
            "INSERT INTO sessions (token_hash, user, csrf, created_at, seen_at) VALUES (?,?,?,?,?)",
            [token_hash(token), name, csrf, now, now],
        )

    def session(self, token: str, max_age: timedelta) -> Session | None:
        """The live session behind a cookie's token; None when it ended, expired or its user is gone."""
        since = (datetime.now(UTC) - max_age).isoformat(timespec="seconds")
        row = self.db.execute(
            """SELECT s.user, u.manager, s.csrf FROM sessions s JOIN users u ON u.name = s.user
               WHERE s.token_hash = ? AND s.created_at >= ?""",
            [token_hash(token), since],
        ).fetchone()
        return Session(row[0], bool(row[1]), row[2]) if row else None

    def end_session(self, token: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash(token)])

    # -- login attempts -----------------------------------------------------------------------------------

    def record_login(self, name: str, address: str, ok: bool) -> None:
        self.db.execute(
            "INSERT INTO login_attempts (at, user, address, ok) VALUES (?,?,?,?)", [now_text(), name, address, int(ok)]
        )

    def failed_logins(self, name: str, address: str, window: timedelta) -> tuple[int, int]:
        """Failed attempts within `window` (for this account, from this address), each since its last success."""
        since = (datetime.now(UTC) - window).isoformat(timespec="seconds")
        counts = []
        for column, value in (("user", name), ("address", address)):
            row = self.db.execute(
                f"""SELECT count(*) FROM login_attempts WHERE {column} = ? AND ok = 0 AND at >= ?
                    AND id > coalesce((SELECT max(id) FROM login_attempts WHERE {column} = ? AND ok = 1), 0)""",
                [value, since, value],
            ).fetchone()
            counts.append(int(row[0]))
        return counts[0], counts[1]

    # -- assignments and the change counter ---------------------------------------------------------------

    def assign(self, conversation: int, name: str | None, actor: str) -> None:
        """Give a conversation to a user (None: to nobody), audited on the conversation."""
        with self.transaction():
            if name is None:
                self.db.execute("DELETE FROM assignments WHERE conversation = ?", [conversation])
            else:
                if self.user(name) is None:
                    raise StoreError(f"no user {name!r}")
                self.db.execute(
                    "INSERT INTO assignments (conversation, user, at) VALUES (?,?,?) "
                    "ON CONFLICT(conversation) DO UPDATE SET user = excluded.user, at = excluded.at",
                    [conversation, name, now_text(self.clock)],
                )
            first = self.db.execute("SELECT min(id) FROM messages WHERE conversation = ?", [conversation]).fetchone()[0]
            self._event(first, actor, "assigned", name or "", conversation)

    def assignee(self, conversation: int) -> str | None:
        row = self.db.execute("SELECT user FROM assignments WHERE conversation = ?", [conversation]).fetchone()
        return row[0] if row else None

    def assignees(self) -> dict[int, str]:
        """{conversation id: user} for every assigned conversation."""
        return {r[0]: r[1] for r in self.db.execute("SELECT conversation, user FROM assignments")}

    def change_counter(self) -> tuple[int, int, int]:
        """Cheap to poll: grows when a message is stored, anything is audited, or an assignment changes."""
        row = self.db.execute(
            """SELECT (SELECT coalesce(max(id), 0) FROM messages), (SELECT coalesce(max(id), 0) FROM events),
                      (SELECT count(*) FROM assignments)"""
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])
