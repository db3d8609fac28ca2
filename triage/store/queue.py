"""The agents' side of the store: the queue, one item in full, and closing or reopening an item.

Every message has its triage row (both are written in the same transaction),
so the reads join the two and decode the JSON columns once, into records.
"""

from __future__ import annotations

from typing import Any

from triage.errors import StoreError
from triage.records import Attachment
from triage.store.codec import decode_dict, decode_list
from triage.store.connection import Connection
from triage.store.drafts import STORED_DRAFT_COLUMNS, stored_draft
from triage.store.rows import AuditEvent, Item, QueueRow

# Most urgent first; unreadable messages above everything, so nothing quarantined goes unseen.
_QUEUE_ORDER = "(m.status = 'error') DESC, coalesce(t.urgency, 0) DESC, m.received_at ASC, m.id ASC"


class QueueQueries(Connection):
    def queue(self, limit: int | None = None, include_done: bool = False) -> list[QueueRow]:
        """Open items, most urgent first (all of them with `include_done`); automated mail is stored closed."""
        sql = f"""SELECT m.id, m.mailbox, m.uid, m.received_at, m.from_addr, m.from_name, m.subject, m.status,
                         m.error, m.state, m.no_reply, t.intents, t.scores, t.low_confidence, t.redactions,
                         t.order_number, t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags
                  FROM messages m JOIN triage t ON t.message = m.id
                  WHERE (m.state = 'open' OR ?)
                  ORDER BY {_QUEUE_ORDER}"""
        params: list[Any] = [int(include_done)]
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        # By index, not by name: 10,000 rows in well under a second. The SELECT above lists the columns in order.
        return [
            QueueRow(
                id=r[0],
                mailbox=r[1],
                uid=r[2],
                received_at=r[3],
                from_addr=r[4],
                from_name=r[5],
                subject=r[6],
                status=r[7],
                error=r[8],
                state=r[9],
                no_reply=r[10],
                intents=decode_list(r[11]),
                scores=decode_dict(r[12]),
                low_confidence=bool(r[13]),
                redactions=decode_dict(r[14]),
                order_number=r[15],
                match_how=r[16],
                stage=r[17],
                urgency=r[18],
                reasons=decode_list(r[19]),
                deadline=r[20],
                missing=decode_list(r[21]),
                flags=decode_list(r[22]),
            )
            for r in self.db.conn.execute(sql, params)
        ]

    def item(self, message: int) -> Item | None:
        """One message in full, with its thread's draft and its history; None when there is no such ID."""
        row = next(
            self.db.query(
                """SELECT m.*, t.intents, t.scores, t.low_confidence, t.redactions, t.extraction, t.order_number,
                          t.match_how, t.stage, t.urgency, t.reasons, t.deadline, t.missing, t.flags
                   FROM messages m JOIN triage t ON t.message = m.id WHERE m.id = ?""",
                [message],
            ),
            None,
        )
        if row is None:
            return None
        intents = decode_list(row["intents"])
        # One draft per thread: a follow-up's draft replaces the earlier one, so look it up by thread.
        draft = self.db.conn.execute(
            f"SELECT {STORED_DRAFT_COLUMNS} FROM drafts WHERE thread_key = ?", [row["thread_key"] or ""]
        ).fetchone()
        audit = self.db.conn.execute(
            "SELECT at, actor, action, detail FROM events WHERE message = ? ORDER BY id", [message]
        )
        stored = AuditEvent(row["stored_at"], "triage", "stored", ",".join(intents))
        return Item(
            **row
            | {
                "to_addrs": decode_list(row["to_addrs"]),
                "attachments": tuple(Attachment(**a) for a in decode_list(row["attachments"])),
                "html_only": bool(row["html_only"]),
                "defects": decode_list(row["defects"]),
                "intents": intents,
                "scores": decode_dict(row["scores"]),
                "low_confidence": bool(row["low_confidence"]),
                "redactions": decode_dict(row["redactions"]),
                "extraction": decode_dict(row["extraction"]),
                "reasons": decode_list(row["reasons"]),
                "missing": decode_list(row["missing"]),
                "flags": decode_list(row["flags"]),
                "draft": stored_draft(draft) if draft else None,
                "events": (stored, *(AuditEvent(*e) for e in audit)),
            }
        )

    def set_state(self, message: int, state: str, actor: str) -> None:
        """Close or reopen an item, audited."""
        with self.transaction():
            cur = self.db.execute("UPDATE messages SET state = ? WHERE id = ?", [state, message])
            if cur.rowcount == 0:
                raise StoreError(f"no item with ID {message} (see `triage queue`)")
            self._event(message, actor, state)
