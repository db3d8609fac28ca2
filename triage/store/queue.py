"""The agents' side of the store: the queue, one item in full, and closing or reopening an item.

Every message has its triage row (both are written in the same transaction),
so the reads join the two; each query selects its record's fields, in order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from triage.errors import NotFoundError
from triage.store.connection import Connection
from triage.store.rows import AuditEvent, Item, QueueRow, StoredDraft, reader

# Most urgent first; unreadable messages above everything, so nothing quarantined goes unseen.
_QUEUE_ORDER = "(m.status = 'error') DESC, coalesce(t.urgency, 0) DESC, m.received_at ASC, m.id ASC"


class QueueQueries(Connection):
    def message_queue(self, limit: int | None = None, include_done: bool = False) -> list[QueueRow]:
        """Open messages one by one, most urgent first (all with `include_done`); automated mail is stored closed."""
        sql = f"""SELECT m.id, m.mailbox, m.uid, m.received_at, m.from_addr, m.from_name, m.subject, m.status,
                         m.error, m.state, m.mailbox_name, m.no_reply, t.intents, t.scores, t.low_confidence,
                         t.redactions,
                         t.order_number, t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags
                  FROM messages m JOIN triage t ON t.message = m.id
                  WHERE (m.state = 'open' OR ?)
                  ORDER BY {_QUEUE_ORDER}"""
        params: list[Any] = [int(include_done)]
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.db.conn.execute(sql, params)
        row = reader(QueueRow, rows.description)
        return [row(r) for r in rows]

    def item(self, message: int) -> Item | None:
        """One message in full, with its thread's draft and its history; None when there is no such ID."""
        rows = self.db.conn.execute(
            """SELECT m.*, t.intents, t.scores, t.low_confidence, t.redactions, t.extraction, t.order_number,
                      t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags, t.evidence
               FROM messages m JOIN triage t ON t.message = m.id WHERE m.id = ?""",
            [message],
        )
        found = rows.fetchone()
        if found is None:
            return None
        item = reader(Item, rows.description)(found, draft=None, events=())
        # One draft per conversation: a follow-up's draft replaces the earlier one, so look it up by conversation.
        drafts = self.db.conn.execute(
            "SELECT * FROM drafts WHERE conversation = (SELECT conversation FROM messages WHERE id = ?)", [message]
        )
        draft = drafts.fetchone()
        audit = self.db.conn.execute(
            "SELECT at, actor, action, detail FROM events WHERE message = ? ORDER BY id", [message]
        )
        event = reader(AuditEvent, audit.description)
        stored = AuditEvent(item.stored_at, "triage", "stored", ",".join(item.intents))
        return replace(
            item,
            draft=reader(StoredDraft, drafts.description)(draft) if draft else None,
            events=(stored, *(event(e) for e in audit)),
        )

    def set_state(self, message: int, state: str, actor: str) -> bool:
        """Close or reopen an item, audited; False (and no audit event) when it already is in that state."""
        with self.transaction():
            row = self.db.execute("SELECT state FROM messages WHERE id = ?", [message]).fetchone()
            if row is None:
                raise NotFoundError(f"no item with ID {message} (see `triage queue`)")
            if row[0] == state:
                return False
            self.db.execute("UPDATE messages SET state = ? WHERE id = ?", [state, message])
            self._event(message, actor, state)
            return True
