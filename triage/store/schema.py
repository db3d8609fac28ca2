"""The one place the tables are defined: the migrations that build them, and the rule for a row's first state.

`PRAGMA user_version` counts the migrations applied. Each runs in its own
BEGIN IMMEDIATE transaction, so two processes starting on a new file migrate it
once between them; a file from a newer triage is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils

from triage.errors import StoreError

SCHEMA_VERSION = 7


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
    # Keyed by the queue item's id: a message's until conversations (schema 4), a conversation's since (5).
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


def fts5_available(db: sqlite_utils.Database) -> bool:
    """Whether this SQLite was built with FTS5 (Debian's and python.org's are; a few minimal builds are not)."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    db.execute("DROP TABLE temp.fts5_probe")
    return True


def _migrate_web_queries(db: sqlite_utils.Database) -> None:
    """The web queue filters, searches and pages in SQL: assignments name conversations, and the messages'
    redacted texts get a full-text index.

    `assignments.item` becomes `conversation`. Since schema 4 the web writes conversation ids there; a store
    still waiting for regrouping (its messages predate conversations) holds message ids instead, kept in
    `assignments_by_message` until regrouping maps them (`save_regrouped`).

    The index `message_search` is an FTS5 table over messages.subject and messages.text (external content,
    so no second copy of the text), kept in step by triggers on `messages`: every writer (ingest, retriage,
    regrouping, a pruning DELETE) is covered without each having to remember. Without FTS5 the search falls
    back to LIKE (`store/web_queries.py` looks for the table).
    """
    db.execute("ALTER TABLE assignments RENAME COLUMN item TO conversation")
    if db.execute("SELECT value FROM meta WHERE key = 'regroup_pending'").fetchone():
        db.execute("CREATE TABLE assignments_by_message AS SELECT conversation AS message, user, at FROM assignments")
        db.execute("DELETE FROM assignments")
    db.execute("CREATE INDEX assignments_user ON assignments(user)")
    db.execute("CREATE INDEX conversations_order ON conversations(order_number)")
    if not fts5_available(db):
        return
    db.execute(
        """CREATE VIRTUAL TABLE message_search USING fts5(subject, text, content='messages', content_rowid='id',
             tokenize='unicode61 remove_diacritics 2')"""
    )
    db.execute(
        """CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
             INSERT INTO message_search (rowid, subject, text) VALUES (new.id, new.subject, new.text); END"""
    )
    db.execute(
        """CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
             INSERT INTO message_search (message_search, rowid, subject, text)
             VALUES ('delete', old.id, old.subject, old.text); END"""
    )
    db.execute(
        """CREATE TRIGGER message_search_update AFTER UPDATE OF subject, text ON messages BEGIN
             INSERT INTO message_search (message_search, rowid, subject, text)
             VALUES ('delete', old.id, old.subject, old.text);
             INSERT INTO message_search (rowid, subject, text) VALUES (new.id, new.subject, new.text); END"""
    )
    db.execute("INSERT INTO message_search (message_search) VALUES ('rebuild')")


def _migrate_corrections(db: sqlite_utils.Database) -> None:
    """Agents' corrections of a message's intents (`triage relabel`): the redacted new text and its language
    (what `train --with-corrections` learns from) and what was there before (what `relabel --undo` restores)."""
    db.execute(
        """CREATE TABLE corrections (id INTEGER PRIMARY KEY, conversation INTEGER NOT NULL, message INTEGER NOT NULL,
                                     message_key TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
                                     labels TEXT NOT NULL, subject TEXT NOT NULL, text TEXT NOT NULL,
                                     lang TEXT NOT NULL, before TEXT NOT NULL, undone_at TEXT, undone_by TEXT)"""
    )
    db.execute("CREATE INDEX corrections_conversation ON corrections(conversation)")
    db.execute("CREATE INDEX corrections_message ON corrections(message)")


_MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _migrate_1,
    _migrate_2,
    _migrate_mailbox_names,
    _migrate_conversations,
    _migrate_evidence,
    _migrate_web_queries,
    _migrate_corrections,
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
