"""What the web queue reads: one filtered, searched page of conversations done in SQL, and the extras the
conversation page shows (each message's facts, the customer's orders).

The page never reads every open conversation: the filters are WHERE clauses, the search is the FTS5 index
`message_search` (schema 6) or, on a SQLite without FTS5, a LIKE over the messages, and the page is
LIMIT/OFFSET over the queue's order; only the page's conversations get their columns and messages read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from triage.records import MessageFacts, Order
from triage.store.conversation_rows import Conversation
from triage.store.conversations import _ORDER, ConversationQueries, facts_of
from triage.store.orders import _order

_WORD = re.compile(r"\w+", re.UNICODE)
_ORDER_NUMBER = re.compile(r"#?\s*([A-Za-z]{0,4}-?\d{3,})")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue page asks for; empty strings mean "any"."""

    intent: str = ""
    stage: str = ""
    state: str = "open"  # "open", "done" or "all"
    assignee: str = ""  # a user name, "-" for nobody
    search: str = ""  # an order number, an e-mail address or words of the messages' (redacted) text


@dataclass(frozen=True)
class QueueSlice:
    conversations: list[Conversation]
    assignees: dict[int, str]  # conversation id -> user, for the conversations of this slice
    total: int  # how many conversations match the filter in all


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_query(text: str) -> str:
    """Words as an FTS5 query: every word must occur, the last one as a prefix (so typing narrows the list).
    Each word is quoted, so nothing a person types is FTS5 syntax."""
    words = _WORD.findall(text)
    if not words:
        return ""
    return " ".join(f'"{w}"' for w in words[:-1]) + (" " if len(words) > 1 else "") + f'"{words[-1]}"*'


class WebQueries(ConversationQueries):
    def search_kind(self) -> str:
        """ "fts5" when the full-text index exists (schema 6 on a SQLite with FTS5), else "like"."""
        found = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'message_search'").fetchone()
        return "fts5" if found else "like"

    def _where(self, f: QueueFilter, search_kind: str) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if f.state in ("open", "done"):
            clauses.append("c.state = ?")
            params.append(f.state)
        if f.intent:
            clauses.append("c.intents LIKE ? ESCAPE '\\'")
            params.append(_like(f'"{f.intent}"'))
        if f.stage:
            clauses.append("c.stage = ?")
            params.append(f.stage)
        if f.assignee == "-":
            clauses.append("a.user IS NULL")
        elif f.assignee:
            clauses.append("a.user = ?")
            params.append(f.assignee)
        q = f.search.strip()
        if q:
            ors = ["c.customer LIKE ? ESCAPE '\\'", "c.subject LIKE ? ESCAPE '\\'"]
            params += [_like(q.lower()), _like(q)]
            number = _ORDER_NUMBER.fullmatch(q)
            if number:
                ors.append("c.order_number = ?")
                params.append(number.group(1))
            if search_kind == "fts5":
                match = fts_query(q)
                if match:
                    ors.append(
                        """c.id IN (SELECT m.conversation FROM message_search s JOIN messages m ON m.id = s.rowid
                                    WHERE message_search MATCH ?)"""
                    )
                    params.append(match)
            else:
                ors.append(
                    """c.id IN (SELECT m.conversation FROM messages m
                                WHERE m.text LIKE ? ESCAPE '\\' OR m.subject LIKE ? ESCAPE '\\')"""
                )
                params += [_like(q), _like(q)]
            clauses.append("(" + " OR ".join(ors) + ")")
        return (" AND ".join(clauses) or "1"), params

    def queue_slice(self, f: QueueFilter, limit: int, offset: int = 0, search_kind: str | None = None) -> QueueSlice:
        """One page of the queue, most urgent first, filtered and searched in SQL.

        `search_kind` forces "like" (the benchmark's baseline for the index); by default the index is used
        when the store has it.
        """
        where, params = self._where(f, search_kind or self.search_kind())
        execute = self.db.conn.execute
        base = f"FROM conversations c LEFT JOIN assignments a ON a.conversation = c.id WHERE {where}"
        # The ids of the page first (the window count rides along), then the page's columns and messages.
        found = execute(
            f"SELECT c.id, a.user, count(*) OVER () {base} ORDER BY {_ORDER} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        total = int(found[0][2]) if found else int(execute(f"SELECT count(*) {base}", params).fetchone()[0])
        ids = [int(r[0]) for r in found]
        if not ids:
            return QueueSlice([], {}, total)
        marks = ",".join("?" * len(ids))
        rows = {r[0]: r for r in execute(f"SELECT {self._COLUMNS} FROM conversations c WHERE c.id IN ({marks})", ids)}
        messages = self._messages(marks, ids, False)
        convs = [self._conversation(rows[i], tuple(messages.get(i, ()))) for i in ids]
        return QueueSlice(convs, {int(r[0]): r[1] for r in found if r[1]}, total)

    def message_facts(self, conversation: int) -> dict[int, MessageFacts]:
        """What triage read in each message of a conversation (intents, evidence, follow-up kind, date_off)."""
        rows = self.db.conn.execute("SELECT id, facts FROM messages WHERE conversation = ?", [conversation])
        return {int(r[0]): f for r in rows if (f := facts_of(r[1])) is not None}

    def customer_orders(self, email: str) -> list[Order]:
        """The orders placed with this address (the order panel's duplicate check reads them)."""
        rows = self.db.query("SELECT * FROM orders WHERE email = ?", [email.lower()])
        return [_order(r) for r in rows]

    def order(self, number: str) -> Order | None:
        found = list(self.db.query("SELECT * FROM orders WHERE number = ?", [number]))
        return _order(found[0]) if found else None

    def conversation_version(self, conversation: int) -> tuple[Any, ...] | None:
        """Changes when triage writes the conversation (a new message, a retraction), its state changes, or a
        message joins it: what an open conversation page watches to offer a reload."""
        row = self.db.conn.execute(
            """SELECT c.updated_at, c.state, (SELECT max(m.id) FROM messages m WHERE m.conversation = c.id)
               FROM conversations c WHERE c.id = ?""",
            [conversation],
        ).fetchone()
        return tuple(row) if row else None
