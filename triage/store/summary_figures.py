"""What the managers' daily summary reads: messages by arrival, items whose state can be replayed, orders written about.

The summary (triage/report/summary.py) does the counting and the comparisons;
these queries only hand it typed rows. Times come back as aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from triage.store.codec import encode, parse_time, time_text
from triage.store.connection import Connection
from triage.store.rows import ArrivedMessage, StateChange, TrackedItem, reader

# When a message arrived, else when it was stored. julianday() understands "+01:00" suffixes, so comparisons
# are in true time whatever offset a Date header had.
_ARRIVED = "coalesce(m.received_at, m.stored_at)"
# Closing and reopening by hand: the audit events an item's state can be replayed from.
_STATE_EVENT = "action IN ('open', 'done') AND message IS NOT NULL"


class SummaryQueries(Connection):
    def arrived_between(self, start: datetime, end: datetime) -> list[ArrivedMessage]:
        """Messages that arrived in [start, end), in ID order, each with the draft made for it (if any)."""
        rows = self.db.conn.execute(
            f"""SELECT m.id, {_ARRIVED} AS arrived_at, m.status, m.no_reply, t.intents, t.stage, t.low_confidence,
                       t.redactions, d.created_at AS draft_created, d.updated_at AS draft_updated,
                       (c.id IS NULL OR m.id = (SELECT min(f.id) FROM messages f
                                                WHERE f.conversation = c.id AND f.status != 'duplicate'))
                         AS opens_conversation,
                       coalesce(c.intents, t.intents) AS conversation_intents,
                       coalesce(c.stage, t.stage) AS conversation_stage
                FROM messages m
                JOIN triage t ON t.message = m.id
                LEFT JOIN conversations c ON c.id = m.conversation
                LEFT JOIN drafts d ON d.id = (SELECT max(id) FROM drafts WHERE message = m.id)
                WHERE julianday({_ARRIVED}) >= julianday(?) AND julianday({_ARRIVED}) < julianday(?)
                  AND m.status != 'duplicate'
                ORDER BY m.id""",
            [time_text(start.astimezone(UTC)), time_text(end.astimezone(UTC))],
        )
        message = reader(ArrivedMessage, rows.description)
        return [message(r) for r in rows]

    def first_arrival(self) -> datetime | None:
        """When the store's first message arrived (days before it have no data to compare against)."""
        row = self.db.execute(f"SELECT {_ARRIVED} FROM messages m ORDER BY julianday({_ARRIVED}) LIMIT 1").fetchone()
        return parse_time(row[0]) if row and row[0] else None

    def tracked_items(self) -> list[TrackedItem]:
        """Every conversation open now or ever closed or reopened, with its state changes oldest first.

        One per conversation, so a thread's follow-ups never fill the summary's most-urgent list twice.
        """
        changes: dict[int, list[StateChange]] = {}
        for conversation, at, action in self.db.conn.execute(
            f"""SELECT coalesce(e.conversation, m.conversation), e.at, e.action
                FROM events e LEFT JOIN messages m ON m.id = e.message
                WHERE e.{_STATE_EVENT} OR e.action = 'reopened' ORDER BY e.at, e.id"""
        ):
            if conversation is not None:
                state = "open" if action == "reopened" else action
                changes.setdefault(conversation, []).append(StateChange(parse_time(at), state))
        rows = self.db.conn.execute(
            """SELECT c.id, c.opened_at AS received_at, c.status, coalesce(c.urgency, 0) AS urgency, c.intents,
                      c.order_number, c.stage, c.reasons, c.deadline, c.automated AS no_reply,
                      (SELECT m.mailbox_name FROM messages m WHERE m.conversation = c.id ORDER BY m.id LIMIT 1)
                        AS mailbox_name
               FROM conversations c WHERE c.state = 'open' OR c.id IN (SELECT value FROM json_each(?))""",
            [encode(sorted(changes))],
        )
        item = reader(TrackedItem, rows.description)
        return [item(r, changes=tuple(changes.get(r[0], ()))) for r in rows]

    def mentioned_orders(self, numbers: Iterable[str]) -> frozenset[str]:
        """Which of these order numbers a message matched or mentioned."""
        wanted = encode(sorted(set(numbers)))
        rows = self.db.conn.execute(
            """SELECT order_number FROM triage WHERE order_number IN (SELECT value FROM json_each(:wanted))
               UNION
               SELECT n.value FROM triage, json_each(triage.extraction, '$.order_numbers') AS n
               WHERE n.value IN (SELECT value FROM json_each(:wanted))""",
            {"wanted": wanted},
        )
        return frozenset(number for (number,) in rows)
