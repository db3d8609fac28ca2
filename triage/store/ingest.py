"""What ingest writes and reads back: messages with their triage and draft, the checkpoints, the heartbeat.

Only redacted text ever reaches the store. A batch of messages, their triage
and the mailbox checkpoint are written in one transaction, so a crash at any
point leaves either all of them or none: the next run resumes from the
checkpoint and nothing is triaged twice. Unique keys on (mailbox, UIDVALIDITY,
UID) make a second process or a re-run a no-op rather than a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable

from triage.records import Checkpoint, StoredRef, Triaged
from triage.store.codec import encode, now_text, time_text
from triage.store.conversations import ConversationQueries, RegroupQueries, facts_text
from triage.store.rows import MailboxState, reader
from triage.store.schema import initial_state

# What a triage of one message writes into its row: the same on first store and on `retriage`.
_PARSED_COLUMNS = (
    "fingerprint", "message_id", "thread_key", "in_reply_to", "received_at", "from_addr", "from_name", "reply_to",
    "to_addrs", "subject", "text", "quoted_text", "signature", "attachments", "no_reply", "html_only", "defects",
    "size", "status", "state",
)  # fmt: skip
_COLUMNS_TEXT = ", ".join(_PARSED_COLUMNS)
_INSERT = (
    f"INSERT INTO messages (mailbox, uidvalidity, uid, stored_at, error, mailbox_name, {_COLUMNS_TEXT}) "
    f"VALUES ({', '.join('?' * (6 + len(_PARSED_COLUMNS)))}) ON CONFLICT(mailbox, uidvalidity, uid) DO NOTHING"
)
_RETRIAGED = f"UPDATE messages SET {', '.join(c + ' = ?' for c in _PARSED_COLUMNS)}, error = NULL WHERE id = ?"


def _parsed_values(ref: StoredRef, t: Triaged) -> list[object]:
    p = t.parsed
    return [
        ref.fingerprint,
        p.message_id,
        ref.thread_key,
        p.in_reply_to,
        time_text(ref.received_at),
        p.from_addr,
        p.from_name,
        p.reply_to,
        encode(p.to + p.cc),
        p.subject,
        p.new_text,
        p.quoted_text,
        p.signature,
        encode([vars(a) for a in p.attachments]) if p.attachments else "[]",
        p.no_reply,
        int(p.html_only),
        encode(p.defects) if p.defects else "[]",
        t.raw_size,
        t.status,
        initial_state(t.status, p.no_reply),
    ]


class IngestQueries(ConversationQueries, RegroupQueries):
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

    def heartbeat(
        self,
        mailbox: str,
        error: str | None = None,
        *,
        name: str | None = None,
        backlog: int | None = None,
        wake: bool = False,
    ) -> None:
        """Record a poll or IDLE wake (`wake`), a successful poll, or the last error, per mailbox.

        `error` must already be free of secrets (the run layer scrubs it); it is cut to 500 characters.
        `backlog` is what the source still holds beyond what was stored (None: unknown, left as it was).
        """
        now = now_text(self.clock)
        self.db.execute(
            "INSERT INTO mailbox_state (mailbox, messages_seen) VALUES (?, 0) ON CONFLICT(mailbox) DO NOTHING",
            [mailbox],
        )
        if name is not None:
            self.db.execute("UPDATE mailbox_state SET name = ? WHERE mailbox = ?", [name, mailbox])
        if backlog is not None:
            self.db.execute("UPDATE mailbox_state SET backlog = ? WHERE mailbox = ?", [backlog, mailbox])
        if wake:
            self.db.execute("UPDATE mailbox_state SET last_wake_at = ? WHERE mailbox = ?", [now, mailbox])
        elif error is None:
            self.db.execute(
                "UPDATE mailbox_state SET last_poll_at = ?, last_wake_at = ?, failing = 0 WHERE mailbox = ?",
                [now, now, mailbox],
            )
        else:
            self.db.execute(
                "UPDATE mailbox_state SET last_error = ?, last_error_at = ?, last_wake_at = ?, failing = 1"
                " WHERE mailbox = ?",
                [error[:500], now, now, mailbox],
            )

    def error_rows(self, mailbox: str | None = None) -> list[int]:
        """Open messages stored as errors (all mailboxes, or one by its store key), oldest first."""
        sql = "SELECT id FROM messages WHERE status = 'error' AND state = 'open'"
        params: list[str] = []
        if mailbox is not None:
            sql += " AND mailbox = ?"
            params.append(mailbox)
        return [int(r[0]) for r in self.db.execute(sql + " ORDER BY id", params)]

    def health(self) -> list[MailboxState]:
        """Every mailbox's checkpoint, last poll and last error, by name (for `queue` and the summary)."""
        rows = self.db.conn.execute("SELECT * FROM mailbox_state ORDER BY mailbox")
        state = reader(MailboxState, rows.description)
        return [state(r) for r in rows]

    # -- messages -------------------------------------------------------------

    def count_messages(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM messages").fetchone()[0])

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

    def save_batch(
        self,
        items: Iterable[tuple[StoredRef, Triaged]],
        checkpoint: Checkpoint | None,
        mailbox_name: str | None = None,
    ) -> list[int]:
        """Store triaged messages and advance the checkpoint in one transaction. Returns new row ids.

        `mailbox_name` is the configured mailbox's name (`[[mailbox]] name`), kept on each message.
        """
        ids: list[int] = []
        now = now_text(self.clock)  # one batch, one transaction, one stored_at
        with self.transaction():
            for ref, result in items:
                row_id = self._insert(ref, result, now, mailbox_name)
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

    def _insert(self, ref: StoredRef, t: Triaged, now: str, mailbox_name: str | None = None) -> int | None:
        execute = self.db.conn.execute  # once per message: skip sqlite-utils' wrapper
        cur = execute(
            _INSERT,
            [ref.mailbox, ref.uidvalidity, ref.uid, now, t.error, mailbox_name or ref.mailbox, *_parsed_values(ref, t)],
        )
        if cur.rowcount == 0:
            return None
        row_id = int(cur.lastrowid or 0)
        self._write_triage(row_id, ref, t, now)
        if t.status == "error":  # a triaged row's own stored_at says when; quarantines are audited too
            self._event(row_id, "triage", "error", t.error or "")
        return row_id

    def _write_triage(self, row_id: int, ref: StoredRef, t: Triaged, now: str) -> None:
        """A message's triage row and its thread's draft (the part `retriage` writes again)."""
        execute = self.db.conn.execute
        order = t.match.order
        execute(
            """INSERT INTO triage (message, intents, scores, low_confidence, redactions, extraction, order_number,
                 match_how, stage, urgency, reasons, deadline, missing, flags, evidence)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                row_id,
                encode(t.intent.intents),
                encode(t.intent.scores),
                int(t.intent.low_confidence),
                encode(t.redactions),
                encode(vars(t.extraction)),
                order.number if order else None,
                t.match.how,
                order.stage if order else "unknown",
                t.urgency.score,
                encode(t.urgency.reasons),
                time_text(t.urgency.deadline),
                encode(t.missing),
                encode(t.flags),
                encode(t.intent.evidence),
            ],
        )
        key = t.conversation.key if t.conversation is not None else f"msg:{row_id}"
        conv_id = self._write_conversation(row_id, key, t, now, ref.received_at)
        execute(
            "UPDATE messages SET conversation = ?, message_key = ?, facts = ?, follow_up = ? WHERE id = ?",
            [conv_id, ref.fingerprint, facts_text(t.facts) if t.facts else None, t.follow_up, row_id],
        )

    def retriaged(self, message: int, ref: StoredRef, t: Triaged, actor: str) -> None:
        """An error row triaged again from its original: the row is updated in place (its ID stays), audited.

        When it fails again the row stays an error with the new reason: a retry never loses a message.
        """
        now = now_text(self.clock)
        old = self.db.execute("SELECT conversation FROM messages WHERE id = ?", [message]).fetchone()
        with self.transaction():
            if t.status == "error":
                self.db.execute("UPDATE messages SET error = ? WHERE id = ?", [t.error, message])
                self.db.execute("UPDATE triage SET reasons = ? WHERE message = ?", [encode(t.urgency.reasons), message])
                self._event(message, actor, "retriage_failed", t.error or "")
                return
            self.db.execute(_RETRIAGED, [*_parsed_values(ref, t), message])
            self.db.execute("DELETE FROM triage WHERE message = ?", [message])
            self._write_triage(message, ref, t, now)
            self._leave_conversation(message, old[0] if old else None)
            self._event(message, actor, "retriaged", ",".join(t.intent.intents))

    def retriage_failed(self, message: int, reason: str, actor: str) -> None:
        """A retry that could not even read the original: the row stays as it is, the attempt is audited."""
        with self.transaction():
            self._event(message, actor, "retriage_failed", reason)

    def error_pointer(self, message: int) -> tuple[str, int, str, str] | None:
        """(store key, UIDVALIDITY, UID or file key, status) of a message: where `retriage` reads it again."""
        row = self.db.execute(
            "SELECT mailbox, uidvalidity, uid, status FROM messages WHERE id = ?", [message]
        ).fetchone()
        return None if row is None else (row[0], int(row[1]), row[2], row[3])

    def _leave_conversation(self, message: int, old: int | None) -> None:
        """A retried message that threaded elsewhere takes its history along; its error-only conversation goes."""
        new = self.db.execute("SELECT conversation FROM messages WHERE id = ?", [message]).fetchone()[0]
        if old is None or old == new:
            return
        self.db.execute("UPDATE events SET conversation = ? WHERE conversation = ?", [new, old])
        if not self.db.execute("SELECT 1 FROM messages WHERE conversation = ?", [old]).fetchone():
            self.db.execute("DELETE FROM conversations WHERE id = ?", [old])
