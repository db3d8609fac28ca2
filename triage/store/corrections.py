"""Agents' corrections of intents (`triage relabel`): what the store keeps so training can learn the shop's words.

A correction belongs to one message (the conversation's latest customer message unless the agent picks
another) and keeps that message's redacted new text, its language and the agent's labels: the only text
`train --with-corrections` ever reads from the store. Applying one makes the agent's labels the
conversation's standing intents and the message's own (its stored facts too, so a later message folds the
conversation from the corrected labels); what was there before is kept in the row, so `relabel --undo`
restores it exactly. Both directions are audited.

The draft: an agent's draft is never touched. Triage's own draft was written for the intents the agent
just said are wrong; it is left as it is and the conversation is flagged `draft_before_relabel`, because
re-drafting needs the whole triage of the message (order match, stage, what is missing), which only the
pipeline has, and the next customer message re-drafts it from the corrected labels anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.errors import NotFoundError, UsageError
from triage.store.codec import decode, decode_dict, decode_list, encode, now_text
from triage.store.connection import Connection
from triage.text import body_hash

RELABEL_DRAFT_FLAG = "draft_before_relabel"


@dataclass(frozen=True)
class CorrectionTarget:
    """The message a correction applies to, as stored (its text is the redacted new text)."""

    conversation: int
    message: int
    message_key: str
    subject: str
    text: str


@dataclass(frozen=True)
class Correction:
    """One agent's correction in force (not undone)."""

    id: int
    conversation: int
    message: int
    message_key: str
    at: str
    actor: str
    labels: tuple[str, ...]
    subject: str
    text: str
    lang: str
    previous: tuple[str, ...]  # the conversation's standing intents before the correction
    last_message: int = 0  # the conversation's newest message id when it was made


class CorrectionQueries(Connection):
    def correction_target(self, conv_id: int, message: int | None = None) -> CorrectionTarget:
        """The conversation's latest customer message (auto-replies, bounces and unreadable rows are not one),
        or `message` when it belongs to the conversation; NotFoundError otherwise."""
        execute = self.db.conn.execute
        if execute("SELECT 1 FROM conversations WHERE id = ?", [conv_id]).fetchone() is None:
            raise NotFoundError(f"no conversation with ID {conv_id} (see `triage queue`)")
        sql = """SELECT id, coalesce(message_key, fingerprint), coalesce(subject, ''), coalesce(text, '')
                 FROM messages WHERE conversation = ? AND status = 'ok' AND no_reply IS NULL"""
        params: list[object] = [conv_id]
        if message is not None:
            sql += " AND id = ?"
            params.append(message)
        row = execute(sql + " ORDER BY received_at DESC, id DESC LIMIT 1", params).fetchone()
        if row is None:
            which = "no customer message in"
            if message is not None:
                which = f"message {message} is not a customer message of"
            raise NotFoundError(f"{which} conversation {conv_id} (see `triage show {conv_id}`)")
        return CorrectionTarget(conv_id, int(row[0]), str(row[1]), str(row[2]), str(row[3]))

    def record_correction(
        self, target: CorrectionTarget, labels: tuple[str, ...], subject: str, text: str, lang: str, actor: str
    ) -> int:
        """Store the correction (`subject` and `text` redacted by the caller) and apply it; returns its id."""
        execute = self.db.execute
        with self.transaction():
            conv = execute("SELECT intents, flags FROM conversations WHERE id = ?", [target.conversation]).fetchone()
            msg = execute(
                """SELECT m.facts, t.intents, t.evidence FROM messages m LEFT JOIN triage t ON t.message = m.id
                   WHERE m.id = ?""",
                [target.message],
            ).fetchone()
            if conv is None or msg is None:
                raise NotFoundError(f"no conversation with ID {target.conversation} (see `triage queue`)")
            last = execute("SELECT max(id) FROM messages WHERE conversation = ?", [target.conversation]).fetchone()
            before = {
                "conversation": conv[0],
                "flags": conv[1],
                "facts": msg[0],
                "message": msg[1],
                "evidence": msg[2],
                "last_message": last[0] or 0,
            }
            # the agent has checked the intents: no longer a low-confidence call
            flags = [f for f in decode_list(conv[1]) if f != "low_confidence"]
            draft = execute(
                "SELECT owner, body, triage_hash FROM drafts WHERE conversation = ?", [target.conversation]
            ).fetchone()
            # an agent's draft (saved here, or edited in the Drafts folder) is the agent's business
            triages = draft is not None and draft[0] != "agent" and body_hash(draft[1] or "") == draft[2]
            flags = [f for f in flags if f != RELABEL_DRAFT_FLAG] + ([RELABEL_DRAFT_FLAG] if triages else [])
            now = now_text(self.clock)
            cur = execute(
                """INSERT INTO corrections (conversation, message, message_key, at, actor, labels, subject, text,
                     lang, before) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                [
                    target.conversation,
                    target.message,
                    target.message_key,
                    now,
                    actor,
                    encode(list(labels)),
                    subject,
                    text,
                    lang,
                    encode(before),
                ],
            )
            facts = decode_dict(msg[0])
            if facts:
                facts["intents"] = [i for i in labels if i != "other"]
                facts["evidence"] = {k: v for k, v in (facts.get("evidence") or {}).items() if k in labels}
                facts["low_confidence"] = False  # an agent's call, not the model's: a later fold keeps it so
            execute(
                "UPDATE conversations SET intents = ?, flags = ?, low_confidence = 0, updated_at = ? WHERE id = ?",
                [encode(list(labels)), encode(flags), now, target.conversation],
            )
            evidence = {k: v for k, v in decode_dict(msg[2]).items() if k in labels}
            execute(
                "UPDATE triage SET intents = ?, evidence = ? WHERE message = ?",
                [encode(list(labels)), encode(evidence), target.message],
            )
            if facts:
                execute("UPDATE messages SET facts = ? WHERE id = ?", [encode(facts), target.message])
            was = ",".join(decode_list(conv[0])) or "none"
            self._event(target.message, actor, "relabelled", f"{','.join(labels)} (was {was})", target.conversation)
            return int(cur.lastrowid or 0)

    def undo_correction(self, conv_id: int, actor: str) -> Correction:
        """Undo the conversation's latest correction in force: its conversation, message and flags as they were
        before it; audited. UsageError when there is none."""
        execute = self.db.execute
        with self.transaction():
            if execute("SELECT 1 FROM conversations WHERE id = ?", [conv_id]).fetchone() is None:
                raise NotFoundError(f"no conversation with ID {conv_id} (see `triage queue`)")
            found = self._corrections("c.conversation = ?", [conv_id], latest_first=True)
            if not found:
                raise UsageError(f"conversation {conv_id} has no correction to undo (see `triage show {conv_id}`)")
            last = found[0]
            before = decode(execute("SELECT before FROM corrections WHERE id = ?", [last.id]).fetchone()[0])
            now = now_text(self.clock)
            execute(
                "UPDATE conversations SET intents = ?, flags = ?, low_confidence = ?, updated_at = ? WHERE id = ?",
                [
                    before["conversation"],
                    before["flags"],
                    int("low_confidence" in decode_list(before["flags"])),
                    now,
                    conv_id,
                ],
            )
            execute(
                "UPDATE triage SET intents = ?, evidence = ? WHERE message = ?",
                [before["message"], before.get("evidence"), last.message],
            )
            execute("UPDATE messages SET facts = ? WHERE id = ?", [before["facts"], last.message])
            execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?", [now, actor, last.id])
            self._event(
                last.message,
                actor,
                "relabel_undone",
                f"{','.join(last.previous) or 'none'} (was {','.join(last.labels)})",
                conv_id,
            )
        return last

    def stored_since(self, conv_id: int, last_message: int) -> str | None:
        """The conversation's key when a message joined it after message `last_message` (its standing
        requests were folded again then), else None."""
        row = self.db.conn.execute(
            """SELECT c.key FROM conversations c JOIN messages m ON m.conversation = c.id
               WHERE c.id = ? AND m.id > ? LIMIT 1""",
            [conv_id, last_message],
        ).fetchone()
        return None if row is None else str(row[0])

    def set_standing_intents(self, conv_id: int, intents: tuple[str, ...]) -> None:
        """The conversation's standing requests, as folded again from its messages' facts."""
        with self.transaction():
            self.db.execute(
                "UPDATE conversations SET intents = ?, updated_at = ? WHERE id = ?",
                [encode(list(intents)), now_text(self.clock), conv_id],
            )

    def corrections(self) -> list[Correction]:
        """The corrections in force, oldest first; a message corrected twice counts once, as last corrected."""
        rows = self._corrections("1", [], latest_first=False)
        latest = {c.message: c for c in rows}
        return [c for c in rows if latest[c.message] is c]

    def _corrections(self, where: str, params: list[object], latest_first: bool) -> list[Correction]:
        order = "DESC" if latest_first else "ASC"
        rows = self.db.conn.execute(
            f"""SELECT c.id, c.conversation, c.message, c.message_key, c.at, c.actor, c.labels, c.subject, c.text,
                       c.lang, c.before
                FROM corrections c WHERE c.undone_at IS NULL AND {where} ORDER BY c.id {order}""",
            params,
        ).fetchall()
        return [
            Correction(
                int(r[0]),
                int(r[1]),
                int(r[2]),
                r[3],
                r[4],
                r[5],
                decode_list(r[6]),
                r[7],
                r[8],
                r[9],
                decode_list(decode_dict(r[10]).get("conversation")),
                int(decode_dict(r[10]).get("last_message") or 0),
            )
            for r in rows
        ]
