"""What ingest writes and reads back: messages with their triage and draft, the checkpoints, the heartbeat.

Only redacted text ever reaches the store. A batch of messages, their triage
and the mailbox checkpoint are written in one transaction, so a crash at any
point leaves either all of them or none: the next run resumes from the
checkpoint and nothing is triaged twice. Unique keys on (mailbox, UIDVALIDITY,
UID) make a second process or a re-run a no-op rather than a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from triage.records import Checkpoint, StoredRef, Triaged
from triage.store.codec import decode_list, encode, now_text, time_text
from triage.store.connection import Connection
from triage.store.rows import MailboxState, reader
from triage.store.schema import initial_state


class IngestQueries(Connection):
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
        now = now_text()
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
            for label in decode_list(encoded):
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
        now = now_text()  # one batch, one transaction, one stored_at
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
                time_text(ref.received_at),
                now,
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
                t.error,
                initial_state(t.status, p.no_reply),
            ],
        )
        if cur.rowcount == 0:
            return None
        row_id = int(cur.lastrowid or 0)
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
                    encode(d.references),
                    d.language,
                    now,
                    now,
                ],
            )
        if t.status == "error":  # a triaged row's own stored_at says when; quarantines are audited too
            self._event(row_id, "triage", "error", t.error or "")
        return row_id
