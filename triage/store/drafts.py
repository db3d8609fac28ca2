"""Reply drafts in the store: one per thread, written with the triage, edited by agents, synced to the Drafts folder.

The triage transaction writes a thread's draft (see ingest); this module reads
the drafts that still have to reach the mailbox, records that they did, and
saves an agent's edit.
"""

from __future__ import annotations

from triage.store.codec import decode_list, encode, now_text
from triage.store.connection import Connection
from triage.store.rows import StoredDraft, reader


class DraftQueries(Connection):
    def draft_updated_at(self, draft_id: int) -> str:
        """When a draft was last written (the web's stale-save check compares it), "" when it is gone."""
        row = self.db.conn.execute("SELECT updated_at FROM drafts WHERE id = ?", [draft_id]).fetchone()
        return (row[0] or "") if row else ""

    def drafts_to_sync(self, mailbox: str | None = None) -> list[StoredDraft]:
        """Drafts written or changed since they were last put in the mailbox's Drafts folder.

        With `mailbox` (a store key), only drafts answering that mailbox's messages: each goes to its own Drafts.
        """
        if mailbox is None:
            rows = self.db.conn.execute("SELECT * FROM drafts WHERE synced_at IS NULL ORDER BY id")
        else:
            rows = self.db.conn.execute(
                """SELECT d.* FROM drafts d JOIN messages m ON m.id = d.message
                   WHERE d.synced_at IS NULL AND m.mailbox = ? ORDER BY d.id""",
                [mailbox],
            )
        draft = reader(StoredDraft, rows.description)
        return [draft(r) for r in rows]

    def draft_synced(self, draft_id: int, folder: str, uid: int | None, message_id: str) -> None:
        self.db.execute(
            "UPDATE drafts SET imap_folder = ?, imap_uid = ?, message_id_header = ?, synced_at = ? WHERE id = ?",
            [folder, uid, message_id, now_text(self.clock), draft_id],
        )

    def draft_kept_in_folder(self, draft_id: int, how: str) -> None:
        """The Drafts folder holds an agent's version (edited, re-saved or removed there): it is the agent's
        from now on, triage stops syncing it, and its conversation is flagged, audited."""
        with self.transaction():
            row = self.db.execute("SELECT conversation, message, owner FROM drafts WHERE id = ?", [draft_id]).fetchone()
            self.db.execute(
                "UPDATE drafts SET owner = 'agent', synced_at = ? WHERE id = ?", [now_text(self.clock), draft_id]
            )
            if row is None or row[0] is None:
                return
            self._event(row[1], "triage", "draft_kept", f"the agent's draft was {how} in the Drafts folder", row[0])
            if row[2] == "agent":  # the agent's own edit was waiting to be synced: no customer news to flag
                return
            flags = self.db.execute("SELECT flags FROM conversations WHERE id = ?", [row[0]]).fetchone()
            current = list(decode_list(flags[0] if flags else None))
            if "customer_wrote_after_draft" not in current:
                current.append("customer_wrote_after_draft")
            self.db.execute("UPDATE conversations SET flags = ? WHERE id = ?", [encode(current), row[0]])
