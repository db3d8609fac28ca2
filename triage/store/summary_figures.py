"""What the managers' daily summary reads: messages by arrival, items whose state can be replayed, orders written about.

The summary (triage/report/summary.py) does the counting and the comparisons;
these queries only hand it typed rows. Times come back as aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from triage.store.codec import decode_dict, decode_list, encode, parse_time
from triage.store.connection import Connection
from triage.store.rows import ArrivedMessage, StateChange, TrackedItem
from triage.store.schema import initial_state

# When a message arrived, else when it was stored. julianday() understands "+01:00" suffixes, so comparisons
# are in true time whatever offset a Date header had.
_ARRIVED = "coalesce(m.received_at, m.stored_at)"
# Closing and reopening by hand: the audit events an item's state can be replayed from.
_STATE_EVENT = "action IN ('open', 'done') AND message IS NOT NULL"


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


class SummaryQueries(Connection):
    def arrived_between(self, start: datetime, end: datetime) -> list[ArrivedMessage]:
        """Messages that arrived in [start, end), in ID order, each with the draft made for it (if any)."""
        sql = f"""SELECT m.id, {_ARRIVED}, m.status, m.no_reply, t.intents, t.stage, t.low_confidence,
                         t.redactions, d.created_at, d.updated_at
                  FROM messages m
                  JOIN triage t ON t.message = m.id
                  LEFT JOIN drafts d ON d.id = (SELECT max(id) FROM drafts WHERE message = m.id)
                  WHERE julianday({_ARRIVED}) >= julianday(?) AND julianday({_ARRIVED}) < julianday(?)
                  ORDER BY m.id"""
        return [
            ArrivedMessage(
                id=id,
                arrived_at=parse_time(at),
                status=status,
                no_reply=no_reply,
                intents=decode_list(intents),
                stage=stage,
                low_confidence=bool(low),
                redactions=decode_dict(redactions),
                draft_created=parse_time(created),
                draft_updated=parse_time(updated),
            )
            for id, at, status, no_reply, intents, stage, low, redactions, created, updated in self.db.conn.execute(
                sql, [_utc(start), _utc(end)]
            )
        ]

    def first_arrival(self) -> datetime | None:
        """When the store's first message arrived (days before it have no data to compare against)."""
        row = self.db.execute(f"SELECT {_ARRIVED} FROM messages m ORDER BY julianday({_ARRIVED}) LIMIT 1").fetchone()
        return parse_time(row[0]) if row and row[0] else None

    def tracked_items(self) -> list[TrackedItem]:
        """Every item open now or ever closed or reopened by hand, with its state changes oldest first."""
        changes: dict[int, list[StateChange]] = {}
        for message, at, action in self.db.conn.execute(
            f"SELECT message, at, action FROM events WHERE {_STATE_EVENT} ORDER BY at, id"
        ):
            changes.setdefault(message, []).append(StateChange(parse_time(at), action))
        sql = f"""SELECT m.id, {_ARRIVED}, m.status, m.no_reply, t.urgency, t.intents, t.order_number, t.stage,
                         t.reasons, t.deadline
                  FROM messages m JOIN triage t ON t.message = m.id
                  WHERE m.state = 'open' OR m.id IN (SELECT message FROM events WHERE {_STATE_EVENT})"""
        return [
            TrackedItem(
                id=id,
                received_at=parse_time(at),
                status=status,
                urgency=urgency,
                intents=decode_list(intents),
                order_number=order_number,
                stage=stage,
                reasons=decode_list(reasons),
                deadline=parse_time(deadline),
                initial_state=initial_state(status, no_reply),
                changes=tuple(changes.get(id, ())),
            )
            for id, at, status, no_reply, urgency, intents, order_number, stage, reasons, deadline in (
                self.db.conn.execute(sql)
            )
        ]

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
