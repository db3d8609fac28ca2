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

SCHEMA_VERSION = 2


def initial_state(status: str, no_reply: str | None) -> str:
    """The state a message is stored in: open, unless it must never get a reply; an unreadable one is always open."""
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
    """Each intent's evidence (the clause that carries it), JSON {intent: clause}; older rows have none."""
    db.table("triage").add_column("evidence", str)


_MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_1, _migrate_2]


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
