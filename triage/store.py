"""The SQLite store: redacted messages, triage results, orders, drafts, audit events, mailbox checkpoints.

Only redacted text ever reaches this module. A batch of messages, their triage
and the mailbox checkpoint are written in one transaction, so a crash at any
point leaves either all of them or none: the next run resumes from the
checkpoint and nothing is triaged twice. Unique keys on (mailbox, UIDVALIDITY,
UID) make a second process or a re-run a no-op rather than a duplicate.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import sqlite_utils

from triage.errors import StoreError
from triage.records import Checkpoint, Order, StoredRef, Triaged

SCHEMA_VERSION = 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: object) -> str:
    """Compact JSON for the columns written per message: orjson, about ten times json.dumps on these
    small lists and dicts, which was a fifth of the store's share of ingest."""
    return orjson.dumps(value).decode()


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def _migrate_1(db: sqlite_utils.Database) -> None:
    db["messages"].create(
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
    db["messages"].create_index(["mailbox", "uidvalidity", "uid"], unique=True)
    db["messages"].create_index(["mailbox", "fingerprint"])
    db["messages"].create_index(["thread_key"])
    db["messages"].create_index(["state"])
    db["triage"].create(
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
    db["triage"].create_index(["urgency"])
    db["orders"].create(
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
    db["orders"].create_index(["email"])
    db["drafts"].create(
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
    db["drafts"].create_index(["thread_key"], unique=True)
    db["events"].create(
        {"id": int, "message": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="id",
    )
    db["events"].create_index(["message"])
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["mailbox_state"].create(
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


_MIGRATIONS = [_migrate_1]


class Store:
    """One SQLite file opened in WAL mode; safe to share between processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
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
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {path}: {exc} (check [store] path and its permissions)") from exc

    def close(self) -> None:
        self.db.conn.close()

    # -- schema ---------------------------------------------------------------

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer triage (schema {version}); upgrade triage")
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                if self.db.execute("PRAGMA user_version").fetchone()[0] > number:
                    continue  # another process migrated meanwhile
                _MIGRATIONS[number](self.db)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

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

    # -- mailbox state --------------------------------------------------------

    def checkpoint(self, mailbox: str) -> Checkpoint | None:
        row = self.db.execute("SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = ?", [mailbox]).fetchone()
        if row is None or row[0] is None:
            return None
        return Checkpoint(mailbox, row[0], row[1] or 0)

    def _set_checkpoint(self, mailbox: str, uidvalidity: int, last_uid: int) -> None:
        self.db.execute(
            """INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid, messages_seen) VALUES (?, ?, ?, 0)
               ON CONFLICT(mailbox) DO UPDATE SET
                 last_uid = CASE WHEN uidvalidity = excluded.uidvalidity
                                 THEN max(last_uid, excluded.last_uid) ELSE excluded.last_uid END,
                 uidvalidity = excluded.uidvalidity""",
            [mailbox, uidvalidity, last_uid],
        )

    def reset_checkpoint(self, mailbox: str, uidvalidity: int) -> None:
        """A new UIDVALIDITY: start over at UID 0 (already-stored messages are skipped by fingerprint)."""
        with self.transaction():
            self._set_checkpoint(mailbox, uidvalidity, 0)
            self.db.execute("UPDATE mailbox_state SET last_uid = 0 WHERE mailbox = ?", [mailbox])
            self._event(None, "triage", "uidvalidity_changed", f"{mailbox}: rescan with UIDVALIDITY {uidvalidity}")

    def heartbeat(self, mailbox: str, error: str | None = None) -> None:
        """Record a successful poll, or the last error, for `queue` and the summary to show."""
        now = _now()
        self.db.execute(
            "INSERT INTO mailbox_state (mailbox, messages_seen) VALUES (?, 0) ON CONFLICT(mailbox) DO NOTHING",
            [mailbox],
        )
        if error is None:
            self.db.execute("UPDATE mailbox_state SET last_poll_at = ? WHERE mailbox = ?", [now, mailbox])
        else:
            self.db.execute(
                "UPDATE mailbox_state SET last_error = ?, last_error_at = ? WHERE mailbox = ?",
                [error[:500], now, mailbox],
            )

    def health(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM mailbox_state ORDER BY mailbox"))

    # -- messages -------------------------------------------------------------

    def known_uids(self, mailbox: str, uidvalidity: int) -> set[str]:
        return {
            r[0]
            for r in self.db.execute(
                "SELECT uid FROM messages WHERE mailbox = ? AND uidvalidity = ?", [mailbox, uidvalidity]
            )
        }

    def has_other_uidvalidity(self, mailbox: str, uidvalidity: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM messages WHERE mailbox = ? AND uidvalidity != ? LIMIT 1", [mailbox, uidvalidity]
        ).fetchone()
        return row is not None

    def has_fingerprint(self, mailbox: str, fingerprint: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM messages WHERE mailbox = ? AND fingerprint = ? LIMIT 1", [mailbox, fingerprint]
            ).fetchone()
            is not None
        )

    def thread_history(self, thread_keys: Sequence[str]) -> tuple[int, tuple[str, ...]]:
        """Earlier messages in the thread: how many, and the requests they made (for follow-ups)."""
        keys = [k for k in thread_keys if k]
        if not keys:
            return 0, ()
        marks = ",".join("?" * len(keys))
        sql = f"""SELECT t.intents FROM messages m LEFT JOIN triage t ON t.message = m.id
                  WHERE m.no_reply IS NULL AND (m.thread_key IN ({marks}) OR m.message_id IN ({marks}))
                  ORDER BY m.id"""
        rows = self.db.execute(sql, keys + keys).fetchall()
        intents: list[str] = []
        for (encoded,) in rows:
            for label in json.loads(encoded or "[]"):
                if label != "other" and label not in intents:
                    intents.append(label)
        return len(rows), tuple(intents)

    def save_batch(
        self,
        items: Iterable[tuple[StoredRef, Triaged]],
        checkpoint: Checkpoint | None,
    ) -> list[int]:
        """Store triaged messages and advance the checkpoint in one transaction. Returns new row ids."""
        ids: list[int] = []
        now = _now()  # one batch, one transaction, one stored_at
        with self.transaction():
            for ref, result in items:
                row_id = self._insert(ref, result, now)
                if row_id is not None:
                    ids.append(row_id)
            if checkpoint is not None:
                self._set_checkpoint(checkpoint.mailbox, checkpoint.uidvalidity, checkpoint.last_uid)
            if ids:
                mailbox = checkpoint.mailbox if checkpoint else None
                if mailbox:
                    self.db.execute(
                        "UPDATE mailbox_state SET messages_seen = coalesce(messages_seen, 0) + ? WHERE mailbox = ?",
                        [len(ids), mailbox],
                    )
        return ids

    def _insert(self, ref: StoredRef, t: Triaged, now: str) -> int | None:
        p = t.parsed
        execute = self.db.conn.execute  # once per message: skip sqlite-utils' wrapper
        cur = execute(
            """INSERT INTO messages (mailbox, uidvalidity, uid, fingerprint, message_id, thread_key, in_reply_to,
                     received_at, stored_at, from_addr, from_name, reply_to, to_addrs, subject, text, quoted_text,
                     signature, attachments, no_reply, html_only, defects, size, status, error, state)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(mailbox, uidvalidity, uid) DO NOTHING""",
            [
                ref.mailbox,
                ref.uidvalidity,
                ref.uid,
                ref.fingerprint,
                p.message_id,
                ref.thread_key,
                p.in_reply_to,
                _iso(ref.received_at),
                now,
                p.from_addr,
                p.from_name,
                p.reply_to,
                _json(p.to + p.cc),
                p.subject,
                p.new_text,
                p.quoted_text,
                p.signature,
                _json([vars(a) for a in p.attachments]) if p.attachments else "[]",
                p.no_reply,
                int(p.html_only),
                _json(p.defects) if p.defects else "[]",
                t.raw_size,
                t.status,
                t.error,
                "open" if t.status == "error" or p.no_reply is None else "done",
            ],
        )
        if cur.rowcount == 0:
            return None
        row_id = int(cur.lastrowid or 0)
        order = t.match.order
        execute(
            """INSERT INTO triage (message, intents, scores, low_confidence, redactions, extraction, order_number,
                 match_how, stage, urgency, reasons, deadline, missing, flags)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                row_id,
                _json(t.intent.intents),
                _json(t.intent.scores),
                int(t.intent.low_confidence),
                _json(t.redactions),
                _json(vars(t.extraction)),
                order.number if order else None,
                t.match.how,
                order.stage if order else "unknown",
                t.urgency.score,
                _json(t.urgency.reasons),
                _iso(t.urgency.deadline),
                _json(t.missing),
                _json(t.flags),
            ],
        )
        if t.draft is not None:
            d = t.draft
            execute(
                """INSERT INTO drafts (message, thread_key, to_addr, subject, body, in_reply_to, refs, language,
                     created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(thread_key) DO UPDATE SET message = excluded.message, to_addr = excluded.to_addr,
                     subject = excluded.subject, body = excluded.body, in_reply_to = excluded.in_reply_to,
                     refs = excluded.refs, language = excluded.language, updated_at = excluded.updated_at,
                     synced_at = NULL""",
                [
                    row_id,
                    ref.thread_key,
                    d.to,
                    d.subject,
                    d.body,
                    d.in_reply_to,
                    _json(d.references),
                    d.language,
                    now,
                    now,
                ],
            )
        if t.status == "error":  # a triaged row's own stored_at says when; quarantines are audited too
            self._event(row_id, "triage", "error", t.error or "")
        return row_id

    def _event(self, message: int | None, actor: str, action: str, detail: str = "") -> None:
        self.db.execute(
            "INSERT INTO events (message, at, actor, action, detail) VALUES (?,?,?,?,?)",
            [message, _now(), actor, action, detail],
        )

    def set_state(self, message: int, state: str, actor: str) -> None:
        with self.transaction():
            cur = self.db.execute("UPDATE messages SET state = ? WHERE id = ?", [state, message])
            if cur.rowcount == 0:
                raise StoreError(f"no item with ID {message} (see `triage queue`)")
            self._event(message, actor, state)

    def count_messages(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM messages").fetchone()[0])

    # -- reading --------------------------------------------------------------

    def queue(self, limit: int | None = None, include_done: bool = False) -> list[dict[str, Any]]:
        """Open items, most urgent first; messages that never get a reply are not in the queue."""
        sql = """SELECT m.id, m.mailbox, m.uid, m.received_at, m.from_addr, m.from_name, m.subject, m.status,
                        m.error, m.state, m.no_reply, t.intents, t.scores, t.low_confidence, t.redactions,
                        t.order_number, t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags
                 FROM messages m LEFT JOIN triage t ON t.message = m.id
                 WHERE (m.state = 'open' OR ?)
                 ORDER BY (m.status = 'error') DESC, coalesce(t.urgency, 0) DESC, m.received_at ASC, m.id ASC"""
        params: list[Any] = [int(include_done)]
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [_decode(r) for r in self.db.query(sql, params)]

    def item(self, message: int) -> dict[str, Any] | None:
        rows = list(
            self.db.query(
                """SELECT m.*, t.intents, t.scores, t.low_confidence, t.redactions, t.extraction, t.order_number,
                          t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags
                   FROM messages m LEFT JOIN triage t ON t.message = m.id WHERE m.id = ?""",
                [message],
            )
        )
        if not rows:
            return None
        item = _decode(rows[0])
        # One draft per thread: a follow-up's draft replaces the earlier one, so look it up by thread.
        item["draft"] = next(
            iter(self.db.query("SELECT * FROM drafts WHERE thread_key = ?", [item.get("thread_key") or ""])), None
        )
        stored = {
            "at": item["stored_at"],
            "actor": "triage",
            "action": "stored",
            "detail": ",".join(item.get("intents") or []),
        }
        audit = self.db.query("SELECT at, actor, action, detail FROM events WHERE message = ?", [message])
        item["events"] = [stored, *audit]
        return item

    # -- orders ---------------------------------------------------------------

    def upsert_orders(self, orders: Iterable[Order]) -> int:
        rows = [
            {
                "number": o.number,
                "email": (o.email or "").lower() or None,
                "stage": o.stage,
                "created_at": _iso(o.created_at),
                "fulfilled_at": _iso(o.fulfilled_at),
                "canceled_at": _iso(o.canceled_at),
                "financial_status": o.financial_status,
                "fulfillment_status": o.fulfillment_status,
                "customer_name": o.customer_name,
                "country": o.country,
                "items": json.dumps(list(o.items)),
                "total": o.total,
                "imported_at": _now(),
            }
            for o in orders
        ]
        with self.transaction():
            self.db["orders"].upsert_all(rows, pk="number")
        return len(rows)

    def drafts_to_sync(self) -> list[dict[str, Any]]:
        """Drafts written or changed since they were last put in the mailbox's Drafts folder."""
        return list(self.db.query("SELECT * FROM drafts WHERE synced_at IS NULL ORDER BY id"))

    def draft_synced(self, draft_id: int, folder: str, uid: int | None, message_id: str) -> None:
        self.db.execute(
            "UPDATE drafts SET imap_folder = ?, imap_uid = ?, message_id_header = ?, synced_at = ? WHERE id = ?",
            [folder, uid, message_id, _now(), draft_id],
        )

    def update_draft_body(self, message: int, body: str, actor: str) -> None:
        with self.transaction():
            cur = self.db.execute(
                """UPDATE drafts SET body = ?, updated_at = ?, synced_at = NULL
                   WHERE thread_key = (SELECT thread_key FROM messages WHERE id = ?)""",
                [body, _now(), message],
            )
            if cur.rowcount == 0:
                raise StoreError(f"item {message} has no draft (see `triage show {message}`)")
            self._event(message, actor, "draft_edited")

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def orders(self) -> list[Order]:
        return [_order(r) for r in self.db.query("SELECT * FROM orders")]


_JSON_COLUMNS = (
    "intents",
    "scores",
    "redactions",
    "reasons",
    "missing",
    "flags",
    "extraction",
    "attachments",
    "defects",
)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _order(r: dict[str, Any]) -> Order:
    return Order(
        number=r["number"],
        email=r["email"],
        stage=r["stage"],
        created_at=_parse_dt(r["created_at"]),
        fulfilled_at=_parse_dt(r["fulfilled_at"]),
        canceled_at=_parse_dt(r["canceled_at"]),
        financial_status=r["financial_status"],
        fulfillment_status=r["fulfillment_status"],
        customer_name=r["customer_name"],
        country=r["country"],
        items=tuple(json.loads(r["items"] or "[]")),
        total=r["total"],
    )
