"""The one place the tables are defined: the migrations that build them, and the rule for a row's first state.

`PRAGMA user_version` counts the migrations applied. Each runs in its own
BEGIN IMMEDIATE transaction, so two processes starting on a new file migrate it
once between them; a file from a newer triage is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils

from triage.errors import StoreError

SCHEMA_VERSION = 5


def initial_state(status: str, no_reply: str | None) -> str:
    """The state a message is stored in: open, unless it must never get a reply; an unreadable one is always open."""
    if status == "duplicate":
        return "done"
    return "open" if status == "error" or no_reply is None else "done"


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.table("messages").create(
        {
            "id": int,
            "mailbox": str,
            "uidvalidity": int,
            "uid": str,
            "fingerprint": str,
            "message_id": str,
            "thread_key": str,
            "in_reply_to": str,
            "received_at": str,
            "stored_at": str,
            "from_addr": str,
            "from_name": str,
            "reply_to": str,
            "to_addrs": str,
            "subject": str,
            "text": str,
            "quoted_text": str,
            "signature": str,
            "attachments": str,
            "no_reply": str,
            "html_only": int,
            "defects": str,
            "size": int,
            "status": str,
            "error": str,
            "state": str,
        },
        pk="id",
        not_null={"mailbox", "uidvalidity", "uid", "fingerprint", "status", "state"},
        defaults={"state": "open", "status": "ok"},
    )
    db.table("messages").create_index(["mailbox", "uidvalidity", "uid"], unique=True)
    db.table("messages").create_index(["mailbox", "fingerprint"])
    db.table("messages").create_index(["thread_key"])
    db.table("messages").create_index(["state"])
    db.table("triage").create(
        {
            "message": int,
            "intents": str,
            "scores": str,
            "low_confidence": int,
            "redactions": str,
            "extraction": str,
            "order_number": str,
            "match_how": str,
            "stage": str,
            "urgency": int,
            "reasons": str,
            "deadline": str,
            "missing": str,
            "flags": str,
        },
        pk="message",
        foreign_keys=[("message", "messages", "id")],
    )
    db.table("triage").create_index(["urgency"])
    db.table("orders").create(
        {
            "number": str,
            "email": str,
            "stage": str,
            "created_at": str,
            "fulfilled_at": str,
            "canceled_at": str,
            "financial_status": str,
            "fulfillment_status": str,
            "customer_name": str,
            "country": str,
            "items": str,
            "total": str,
            "imported_at": str,
        },
        pk="number",
    )
    db.table("orders").create_index(["email"])
    db.table("drafts").create(
        {
            "id": int,
            "message": int,
            "thread_key": str,
            "to_addr": str,
            "subject": str,
            "body": str,
            "in_reply_to": str,
            "refs": str,
            "language": str,
            "created_at": str,
            "updated_at": str,
            "imap_folder": str,
            "imap_uid": int,
            "message_id_header": str,
            "synced_at": str,
        },
        pk="id",
        foreign_keys=[("message", "messages", "id")],
    )
    db.table("drafts").create_index(["thread_key"], unique=True)
    db.table("events").create(
        {"id": int, "message": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="id",
    )
    db.table("events").create_index(["message"])
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("mailbox_state").create(
        {
            "mailbox": str,
            "uidvalidity": int,
            "last_uid": int,
            "last_poll_at": str,
            "last_error": str,
            "last_error_at": str,
            "messages_seen": int,
        },
        pk="mailbox",
    )


def _migrate_2(db: sqlite_utils.Database) -> None:
    """Web accounts: users (argon2 hashes), their sessions, login attempts (rate limits), who works what."""
    db.execute(
        """CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, manager INTEGER NOT NULL DEFAULT 0,
                               created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""
    )
    # A session row is what a signed cookie points at: removing the user (or the password change) ends it.
    db.execute(
        """CREATE TABLE sessions (token_hash TEXT PRIMARY KEY,
                                  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                                  csrf TEXT NOT NULL, created_at TEXT NOT NULL, seen_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX sessions_user ON sessions(user)")
    db.execute(
        "CREATE TABLE login_attempts (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT, address TEXT, ok INTEGER)"
    )
    db.execute("CREATE INDEX login_attempts_user ON login_attempts(user, at)")
    db.execute("CREATE INDEX login_attempts_address ON login_attempts(address, at)")
    # Keyed by the queue item's id (a conversation's, once conversations land).
    db.execute("CREATE TABLE assignments (item INTEGER PRIMARY KEY, user TEXT NOT NULL, at TEXT NOT NULL)")


def _migrate_mailbox_names(db: sqlite_utils.Database) -> None:
    """Several mailboxes: which configured mailbox a message came from, and a heartbeat per mailbox."""
    db.table("messages").add_column("mailbox_name", str)
    # Rows from before: a single-mailbox config names its one mailbox by its store key.
    db.execute("UPDATE messages SET mailbox_name = mailbox")
    for column in ("name", "last_wake_at"):
        db.table("mailbox_state").add_column(column, str)
    db.table("mailbox_state").add_column("backlog", int)
    db.table("mailbox_state").add_column("failing", int)  # 1 when the last attempt failed (seconds can tie)


def _migrate_conversations(db: sqlite_utils.Database) -> None:
    """Conversations: the unit of the agents' work. Messages point at theirs; drafts are one per conversation
    and know who wrote them last. Messages stored before are grouped by `run/regroup.py` at the next start
    (the meta key `regroup_pending` says so)."""
    db.table("conversations").create(
        {
            "id": int,
            "key": str,
            "customer": str,
            "subject": str,
            "thread_subject": str,
            "state": str,
            "status": str,
            "error": str,
            "opened_at": str,
            "last_at": str,
            "intents": str,
            "withdrawn": str,
            "order_number": str,
            "match_how": str,
            "stage": str,
            "urgency": int,
            "reasons": str,
            "deadline": str,
            "missing": str,
            "flags": str,
            "redactions": str,
            "low_confidence": int,
            "automated": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"key", "state"},
        defaults={"state": "open", "status": "ok"},
    )
    db.table("conversations").create_index(["key"], unique=True)
    db.table("conversations").create_index(["state", "urgency"])
    db.table("conversations").create_index(["customer", "thread_subject"])
    messages = db.table("messages")
    messages.add_column("conversation", int)
    messages.add_column("message_key", str)
    messages.add_column("facts", str)
    messages.add_column("follow_up", str)
    db.execute("UPDATE messages SET message_key = fingerprint")
    messages.create_index(["conversation"])
    messages.create_index(["message_key"])
    messages.create_index(["message_id"])
    drafts = db.table("drafts")
    drafts.add_column("conversation", int)
    drafts.add_column("owner", str)
    drafts.add_column("triage_hash", str)
    db.execute("UPDATE drafts SET owner = 'triage'")
    drafts.create_index(["conversation"], unique=True)
    db.table("events").add_column("conversation", int)
    db.table("events").create_index(["conversation"])
    if db.execute("SELECT count(*) FROM messages").fetchone()[0]:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regroup_pending', '1')")


def _migrate_evidence(db: sqlite_utils.Database) -> None:
    """Each intent's evidence (the clause that carries it), JSON {intent: clause}; older rows have none."""
    db.table("triage").add_column("evidence", str)


_MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _migrate_1,
    _migrate_2,
    _migrate_mailbox_names,
    _migrate_conversations,
    _migrate_evidence,
]


def migrate(db: sqlite_utils.Database, path: Path, transaction: Callable[[], AbstractContextManager[None]]) -> None:
    """Bring the file up to SCHEMA_VERSION; a no-op when it is already there."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer triage (schema {version}); upgrade triage")
    for number in range(version, SCHEMA_VERSION):
        with transaction():
            if db.execute("PRAGMA user_version").fetchone()[0] > number:
                continue  # another process migrated meanwhile
            _MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
