"""Conversations in the store: what threading reads (the `ConversationStore` protocol), what a triaged
message writes to its conversation and its one draft, and the agents' queue of conversations.

An agent's draft is never overwritten: a draft whose body differs from the hash of what triage last wrote
(or that an agent saved) stays, and a new customer message flags the conversation
`customer_wrote_after_draft` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from triage.errors import NotFoundError, StoreError
from triage.records import ConversationRef, Extraction, MessageFacts, Triaged
from triage.store.codec import decode_dict, decode_list, encode, now_text, parse_time, time_text
from triage.store.connection import Connection
from triage.store.conversation_rows import (
    Conversation,
    ConversationDetail,
    ConversationDraft,
    ConversationEvent,
    ConversationMessage,
)
from triage.text import body_hash

AGENT_DRAFT_FLAG = "customer_wrote_after_draft"
# The customer's latest message only thanked or confirmed, with nothing standing: triage closes the
# conversation (audited) unless an agent's draft waits in it; the next customer mail reopens it.
CLOSED_WITH_THANKS = "closed_with_thanks"
# Flags that stay on a conversation until an agent acts, whatever later messages bring.
_STICKY = (AGENT_DRAFT_FLAG,)
_ORDER = "(c.status = 'error') DESC, coalesce(c.urgency, 0) DESC, c.opened_at ASC, c.id ASC"


def facts_text(facts: MessageFacts) -> str:
    out = asdict(facts)
    out["received_at"] = time_text(facts.received_at)
    return encode(out)


def facts_of(text: str | None) -> MessageFacts | None:
    if not text:
        return None
    d = decode_dict(text)
    details = d.pop("details", {}) or {}
    details = {k: tuple(v) if isinstance(v, list) else v for k, v in details.items()}
    return MessageFacts(
        message_key=d["message_key"],
        message_id=d.get("message_id"),
        received_at=parse_time(d["received_at"]),
        intents=tuple(d.get("intents", ())),
        details=Extraction(**details),
        evidence=d.get("evidence") or {},
        follow_up=d.get("follow_up"),
        withdraws=tuple(d.get("withdraws", ())),
        redactions=d.get("redactions") or {},
        low_confidence=bool(d.get("low_confidence")),
        date_off=bool(d.get("date_off")),
    )


class ConversationQueries(Connection):
    # -- what threading reads ------------------------------------------------------------------

    def _ref(self, row: Sequence[Any] | None) -> ConversationRef | None:
        if row is None:
            return None
        return ConversationRef(
            key=row[0], id=row[1], customer=row[2] or "", subject=row[3] or "", state=row[4], last_at=parse_time(row[5])
        )

    _REF = "SELECT c.key, c.id, c.customer, c.thread_subject, c.state, c.last_at FROM conversations c"

    def conversation_by_message_ids(self, message_ids: Sequence[str]) -> ConversationRef | None:
        ids = [m for m in message_ids if m]
        if not ids:
            return None
        marks = ",".join("?" * len(ids))
        # A message's key is "mid:" and its lower-cased Message-ID (indexed), so this is a lookup, not a scan.
        row = self.db.execute(
            f"""{self._REF} JOIN messages m ON m.conversation = c.id
                WHERE m.message_key IN ({marks}) AND m.no_reply IS NULL AND c.automated IS NULL
                ORDER BY m.id DESC LIMIT 1""",
            ["mid:" + i for i in ids],
        ).fetchone()
        return self._ref(row)

    def open_conversation_by_subject(self, customer: str, subject: str, since: datetime) -> ConversationRef | None:
        row = self.db.execute(
            f"""{self._REF} WHERE c.customer = ? AND c.thread_subject = ? AND c.state = 'open'
                AND c.automated IS NULL AND c.status = 'ok' AND c.last_at >= ? ORDER BY c.last_at DESC LIMIT 1""",
            [customer, subject, time_text(since)],
        ).fetchone()
        return self._ref(row)

    def conversation_of_message(self, message_key: str) -> ConversationRef | None:
        row = self.db.execute(
            f"""{self._REF} JOIN messages m ON m.conversation = c.id
                WHERE m.message_key = ? AND m.status = 'ok' LIMIT 1""",
            [message_key],
        ).fetchone()
        return self._ref(row)

    def conversation_facts(self, key: str) -> list[MessageFacts]:
        rows = self.db.execute(
            """SELECT m.facts FROM messages m JOIN conversations c ON c.id = m.conversation
               WHERE c.key = ? AND m.status = 'ok' AND m.no_reply IS NULL ORDER BY m.received_at, m.id""",
            [key],
        ).fetchall()
        return [f for f in (facts_of(r[0]) for r in rows) if f is not None]

    # -- what a triaged message writes ----------------------------------------------------------

    def _write_conversation(self, row_id: int, key: str, t: Triaged, now: str, received: datetime | None) -> int:
        """Create or update the message's conversation and its draft; returns the conversation's id."""
        conv = t.conversation
        p = t.parsed
        old_flags: tuple[str, ...]
        execute = self.db.conn.execute
        found = execute(
            "SELECT id, state, flags, redactions, opened_at FROM conversations WHERE key = ?", [key]
        ).fetchone()
        arrived = time_text(t.received_at or received) or now
        if found is None:
            cur = execute(
                """INSERT INTO conversations (key, customer, subject, thread_subject, state, status, opened_at,
                     last_at, automated, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                [
                    key,
                    (conv.customer if conv else (p.from_addr or "").lower()),
                    p.subject,
                    conv.subject if conv else "",
                    "done" if p.no_reply and t.status == "ok" else "open",
                    t.status,
                    arrived,
                    arrived,
                    p.no_reply,
                    now,
                ],
            )
            conv_id = int(cur.lastrowid or 0)
            old_state, old_flags, old_redactions = None, (), {}
        else:
            conv_id = int(found[0])
            old_state, old_flags, old_redactions = found[1], decode_list(found[2]), decode_dict(found[3])
        if t.status == "duplicate":
            self._event(row_id, "triage", "duplicate", "a second delivery of a message already stored", conv_id)
            return conv_id
        redactions = dict(old_redactions)
        for kind, n in t.redactions.items():
            redactions[kind] = redactions.get(kind, 0) + n
        flags = list(t.conversation_flags)
        flags += [f for f in old_flags if f in _STICKY and f not in flags]
        closing = t.status == "ok" and CLOSED_WITH_THANKS in flags
        if t.status == "ok" and not p.no_reply:
            flags += self._write_draft(row_id, conv_id, key, t, now)
        state = ("done" if p.no_reply else t.state) if t.status == "ok" else "open"
        if closing and AGENT_DRAFT_FLAG in flags:
            state = "open"  # an agent's draft waits in it: the agent decides, at the bottom of the queue
        order = t.match.order
        execute(
            """UPDATE conversations SET state = ?, status = ?, error = ?, last_at = max(coalesce(last_at, ''), ?),
                 intents = ?, withdrawn = ?, order_number = ?, match_how = ?, stage = ?, urgency = ?, reasons = ?,
                 deadline = ?, missing = ?, flags = ?, redactions = ?, low_confidence = ?, updated_at = ?
               WHERE id = ?""",
            [
                state,
                t.status,
                t.error,
                arrived,
                encode(t.standing or t.intent.intents),
                encode([{"intent": w.intent, "message_id": w.message_id, "reason": w.reason} for w in t.withdrawn]),
                order.number if order else None,
                t.match.how,
                order.stage if order else "unknown",
                t.urgency.score,
                encode(t.urgency.reasons),
                time_text(t.urgency.deadline),
                encode(t.missing),
                encode(list(dict.fromkeys(flags))),
                encode(redactions),
                int("low_confidence" in flags or t.intent.low_confidence),
                now,
                conv_id,
            ],
        )
        if old_state == "done" and state == "open":
            self._event(row_id, "triage", "reopened", "the customer wrote again after it was closed", conv_id)
        if closing and state == "done":
            execute(
                """UPDATE messages SET state = 'done' WHERE conversation = ? AND status != 'duplicate'
                   AND (no_reply IS NULL OR status = 'error')""",
                [conv_id],
            )
            execute("UPDATE messages SET state = 'done' WHERE id = ?", [row_id])
            if old_state != "done":
                self._event(row_id, "triage", "done", "the customer closed it with thanks", conv_id)
        return conv_id

    def _write_draft(self, row_id: int, conv_id: int, key: str, t: Triaged, now: str) -> list[str]:
        """The conversation's one draft: replaced when it is still triage's own, kept when an agent's."""
        execute = self.db.conn.execute
        existing = execute(
            "SELECT id, owner, body, triage_hash FROM drafts WHERE conversation = ?", [conv_id]
        ).fetchone()
        if existing is not None and (existing[1] == "agent" or body_hash(existing[2] or "") != existing[3]):
            self._event(row_id, "triage", "draft_kept", "the agent's draft was left as it is", conv_id)
            return [AGENT_DRAFT_FLAG]
        d = t.draft
        if d is None and existing is not None and CLOSED_WITH_THANKS in t.conversation_flags:
            # triage's own draft answers what the customer has now closed; one already saved to a Drafts
            # folder stays there (the mailbox's copy is the agents'), one only in the store is withdrawn
            synced = execute("SELECT message_id_header FROM drafts WHERE id = ?", [existing[0]]).fetchone()
            if synced is None or not synced[0]:
                execute("DELETE FROM drafts WHERE id = ?", [existing[0]])
                self._event(row_id, "triage", "draft_withdrawn", "the customer closed it with thanks", conv_id)
            return []
        if d is None:
            return []
        values = [d.to, d.subject, d.body, d.in_reply_to, encode(d.references), d.language, now, body_hash(d.body)]
        if existing is not None:
            execute(
                """UPDATE drafts SET message = ?, to_addr = ?, subject = ?, body = ?, in_reply_to = ?, refs = ?,
                     language = ?, updated_at = ?, triage_hash = ?, owner = 'triage', synced_at = NULL WHERE id = ?""",
                [row_id, *values, existing[0]],
            )
        else:
            execute(
                """INSERT INTO drafts (message, thread_key, to_addr, subject, body, in_reply_to, refs, language,
                     updated_at, triage_hash, created_at, conversation, owner) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [row_id, f"conv:{key}", *values, now, conv_id, "triage"],
            )
        return []

    # -- the agents' side -----------------------------------------------------------------------

    _COLUMNS = """c.id, c.customer, c.subject, c.intents, c.withdrawn, c.order_number, c.stage, c.match_how,
                  c.urgency, c.reasons, c.deadline, c.state, c.status, c.error, c.flags, c.missing, c.redactions,
                  c.low_confidence, c.automated, c.opened_at, c.last_at,
                  (SELECT m.mailbox FROM messages m WHERE m.conversation = c.id ORDER BY m.id LIMIT 1),
                  (SELECT m.mailbox_name FROM messages m WHERE m.conversation = c.id ORDER BY m.id LIMIT 1)"""

    @staticmethod
    def _conversation(row: Sequence[Any], messages: tuple[ConversationMessage, ...]) -> Conversation:
        return Conversation(
            id=row[0],
            customer=row[1] or "",
            subject=row[2] or "",
            intents=decode_list(row[3]),
            withdrawn=decode_list(row[4]),
            order_number=row[5],
            stage=row[6] or "unknown",
            match_how=row[7],
            urgency=row[8] or 0,
            reasons=decode_list(row[9]),
            deadline=row[10],
            state=row[11],
            status=row[12] or "ok",
            error=row[13],
            flags=decode_list(row[14]),
            missing=decode_list(row[15]),
            redactions=decode_dict(row[16]),
            low_confidence=bool(row[17]),
            automated=row[18],
            opened_at=row[19],
            last_at=row[20],
            mailbox=row[21],
            mailbox_name=row[22],
            messages=messages,
        )

    def _messages(self, where: str, params: list[Any], full: bool) -> dict[int, list[ConversationMessage]]:
        # the queue lists no texts, flags or evidence
        text, flags, evidence = ("m.text", "t.flags", "t.evidence") if full else ("NULL", "NULL", "NULL")
        rows = self.db.conn.execute(
            f"""SELECT m.conversation, m.id, m.message_id, m.received_at, t.intents, m.status, m.follow_up,
                       m.from_addr, m.subject, {text}, m.no_reply, {flags}, {evidence}
                FROM messages m LEFT JOIN triage t ON t.message = m.id
                WHERE m.status != 'duplicate' AND m.conversation IN ({where})
                ORDER BY m.received_at, m.id""",
            params,
        )
        out: dict[int, list[ConversationMessage]] = {}
        for r in rows:
            out.setdefault(r[0], []).append(
                ConversationMessage(
                    r[1],
                    r[2],
                    r[3],
                    decode_list(r[4]),
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                    r[10],
                    decode_list(r[11]),
                    decode_dict(r[12]),
                )
            )
        return out

    def queue(self, limit: int | None = None, include_done: bool = False) -> list[Conversation]:
        """Open conversations, most urgent first (all with `include_done`); automated mail is stored closed."""
        where = "c.state = 'open' OR ?"
        sql = f"SELECT {self._COLUMNS} FROM conversations c WHERE {where} ORDER BY {_ORDER}"
        params: list[Any] = [int(include_done)]
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.db.conn.execute(sql, params).fetchall()
        messages = self._messages(f"SELECT c.id FROM conversations c WHERE {where}", [int(include_done)], False)
        return [self._conversation(r, tuple(messages.get(r[0], ()))) for r in rows]

    def conversation(self, conv_id: int) -> ConversationDetail | None:
        """One conversation in full, with its draft, its messages' texts and its history; None if no such ID."""
        row = self.db.conn.execute(f"SELECT {self._COLUMNS} FROM conversations c WHERE c.id = ?", [conv_id]).fetchone()
        if row is None:
            return None
        conv = self._conversation(row, tuple(self._messages("?", [conv_id], True).get(conv_id, ())))
        d = self.db.conn.execute(
            "SELECT id, to_addr, subject, body, owner, triage_hash FROM drafts WHERE conversation = ?", [conv_id]
        ).fetchone()
        draft = None
        if d is not None:
            draft = ConversationDraft(
                d[0], d[1], d[2], d[3], d[4] or "triage", d[4] == "agent" or body_hash(d[3] or "") != d[5]
            )
        stored = [
            ConversationEvent(m.received_at or "", "triage", "stored", ",".join(m.intents), m.id) for m in conv.messages
        ]
        audit = self.db.conn.execute(
            """SELECT at, actor, action, detail, message FROM events
               WHERE conversation = ?
                  OR (conversation IS NULL AND message IN (SELECT id FROM messages WHERE conversation = ?))
               ORDER BY id""",
            [conv_id, conv_id],
        )
        events = tuple(stored) + tuple(ConversationEvent(*e) for e in audit)
        return ConversationDetail(conv, draft, events)

    def set_conversation_state(self, conv_id: int, state: str, actor: str) -> bool:
        """Close or reopen a conversation (and its messages), audited; False when it already was in that state
        (nothing changes and no second audit event is written)."""
        with self.transaction():
            found = self.db.execute("SELECT state FROM conversations WHERE id = ?", [conv_id]).fetchone()
            if found is None:
                raise NotFoundError(f"no conversation with ID {conv_id} (see `triage queue`)")
            if found[0] == state:
                return False
            self.db.execute("UPDATE conversations SET state = ? WHERE id = ?", [state, conv_id])
            if state == "done":
                flags = [
                    f
                    for f in decode_list(
                        self.db.execute("SELECT flags FROM conversations WHERE id = ?", [conv_id]).fetchone()[0]
                    )
                    if f not in _STICKY
                ]
                self.db.execute("UPDATE conversations SET flags = ? WHERE id = ?", [encode(flags), conv_id])
            self.db.execute(
                """UPDATE messages SET state = ? WHERE conversation = ? AND status != 'duplicate'
                   AND (no_reply IS NULL OR status = 'error')""",
                [state, conv_id],
            )
            first = self.db.execute("SELECT min(id) FROM messages WHERE conversation = ?", [conv_id]).fetchone()[0]
            self._event(first, actor, state, "", conv_id)
        return True

    def update_conversation_draft(self, conv_id: int, body: str, actor: str) -> None:
        """An agent's edit: it replaces the body, makes the draft the agent's (triage never overwrites it again),
        is audited, and goes to the Drafts folder on the next sync."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE drafts SET body = ?, owner = 'agent', updated_at = ?, synced_at = NULL WHERE conversation = ?",
                [body, now_text(self.clock), conv_id],
            )
            if cur.rowcount == 0:
                raise StoreError(f"conversation {conv_id} has no draft (see `triage show {conv_id}`)")
            first = self.db.execute("SELECT min(id) FROM messages WHERE conversation = ?", [conv_id]).fetchone()[0]
            self._event(first, actor, "draft_edited", "", conv_id)

    def needs_regroup(self) -> bool:
        return self.get_meta("regroup_pending") == "1"


# -- grouping the messages an older triage stored (run/regroup.py) ---------------------------------


@dataclass(frozen=True)
class StoredMessage:
    """A message stored before conversations existed, as regrouping reads it."""

    id: int
    fingerprint: str
    message_id: str | None
    in_reply_to: str | None
    thread_key: str | None
    received_at: datetime
    from_addr: str
    subject: str
    text: str
    no_reply: str | None
    status: str
    state: str
    intents: tuple[str, ...]
    scores: dict[str, float]
    low_confidence: bool
    redactions: dict[str, int]
    extraction: dict[str, Any]


@dataclass(frozen=True)
class Regrouped:
    """One conversation regrouping built: its messages and what triage computes for it."""

    key: str
    customer: str
    subject: str
    thread_subject: str
    state: str
    status: str
    opened_at: datetime
    last_at: datetime
    automated: str | None
    messages: tuple[tuple[int, MessageFacts | None, str], ...]  # (message id, facts, status)
    intents: tuple[str, ...]
    withdrawn: tuple[dict[str, Any], ...]
    order_number: str | None
    match_how: str
    stage: str
    urgency: int
    reasons: tuple[str, ...]
    deadline: datetime | None
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    redactions: dict[str, int]
    low_confidence: bool


class RegroupQueries(Connection):
    def ungrouped_messages(self) -> list[StoredMessage]:
        """Messages without a conversation, by arrival."""
        rows = self.db.conn.execute(
            """SELECT m.id, m.fingerprint, m.message_id, m.in_reply_to, m.thread_key,
                      coalesce(m.received_at, m.stored_at), m.from_addr, m.subject, m.text, m.no_reply, m.status,
                      m.state, t.intents, t.scores, t.low_confidence, t.redactions, t.extraction
               FROM messages m LEFT JOIN triage t ON t.message = m.id
               WHERE m.conversation IS NULL ORDER BY coalesce(m.received_at, m.stored_at), m.id"""
        ).fetchall()
        return [
            StoredMessage(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                parse_time(r[5]),
                (r[6] or "").lower(),
                r[7] or "",
                r[8] or "",
                r[9],
                r[10],
                r[11],
                decode_list(r[12]),
                decode_dict(r[13]),
                bool(r[14]),
                decode_dict(r[15]),
                decode_dict(r[16]),
            )
            for r in rows
        ]

    def save_regrouped(self, conversations: Sequence[Regrouped]) -> None:
        """Write the conversations regrouping built, link their messages and drafts, in one transaction."""
        now = now_text(self.clock)
        with self.transaction():
            execute = self.db.conn.execute
            for c in conversations:
                cur = execute(
                    """INSERT INTO conversations (key, customer, subject, thread_subject, state, status, opened_at,
                         last_at, intents, withdrawn, order_number, match_how, stage, urgency, reasons, deadline,
                         missing, flags, redactions, low_confidence, automated, updated_at)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    [
                        c.key,
                        c.customer,
                        c.subject,
                        c.thread_subject,
                        c.state,
                        c.status,
                        time_text(c.opened_at),
                        time_text(c.last_at),
                        encode(c.intents),
                        encode(c.withdrawn),
                        c.order_number,
                        c.match_how,
                        c.stage,
                        c.urgency,
                        encode(c.reasons),
                        time_text(c.deadline),
                        encode(c.missing),
                        encode(c.flags),
                        encode(c.redactions),
                        int(c.low_confidence),
                        c.automated,
                        now,
                    ],
                )
                conv_id = int(cur.lastrowid or 0)
                for message, facts, status in c.messages:
                    execute(
                        """UPDATE messages SET conversation = ?, facts = ?, follow_up = ?, status = ?,
                             state = CASE WHEN ? = 'duplicate' THEN 'done' ELSE state END WHERE id = ?""",
                        [
                            conv_id,
                            facts_text(facts) if facts else None,
                            facts.follow_up if facts else None,
                            status,
                            status,
                            message,
                        ],
                    )
                ids = [m for m, _, _ in c.messages]
                marks = ",".join("?" * len(ids))
                latest = execute(
                    f"SELECT id, body FROM drafts WHERE message IN ({marks}) ORDER BY updated_at DESC, id DESC LIMIT 1",
                    ids,
                ).fetchone()
                if latest is not None:
                    edited = execute(
                        f"SELECT 1 FROM events WHERE action = 'draft_edited' AND message IN ({marks}) LIMIT 1", ids
                    ).fetchone()
                    execute(
                        "UPDATE drafts SET conversation = ?, owner = ?, triage_hash = ? WHERE id = ?",
                        [conv_id, "agent" if edited else "triage", body_hash(latest[1] or ""), latest[0]],
                    )
                execute(f"UPDATE events SET conversation = ? WHERE message IN ({marks})", [conv_id, *ids])
            if execute("SELECT 1 FROM sqlite_master WHERE name = 'assignments_by_message'").fetchone():
                # Assignments made before conversations named messages: each now names its conversation.
                execute(
                    """INSERT OR IGNORE INTO assignments (conversation, user, at)
                       SELECT m.conversation, a.user, a.at FROM assignments_by_message a
                       JOIN messages m ON m.id = a.message WHERE m.conversation IS NOT NULL ORDER BY a.at DESC"""
                )
                execute("DROP TABLE assignments_by_message")
            self.db.execute("DELETE FROM meta WHERE key = 'regroup_pending'")
