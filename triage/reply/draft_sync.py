"""Puts drafts from the store into the mailbox's Drafts folder, where agents open, edit and send them.

The store is written first (in the triage transaction); this runs afterwards
and retries whatever is not yet in the mailbox, so a crash between the two
only delays a draft, never loses it. A re-run or a follow-up in the same
thread replaces the earlier draft instead of adding another, unless an agent
edited, re-saved or removed it in the Drafts folder: then it is left as it is,
and the conversation is flagged `customer_wrote_after_draft`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import imapclient

from triage.errors import MailboxError
from triage.reply.draft_folder import DraftFolder
from triage.settings import ReplySettings
from triage.store import Store

log = logging.getLogger("triage.drafts")


def sync_drafts(
    store: Store,
    reply: ReplySettings,
    drafts_folder: str,
    connect: Callable[[], imapclient.IMAPClient],
    mailbox: str | None = None,
) -> int:
    """Save every pending draft (of one mailbox, by store key); returns how many were saved.

    A failure skips that draft until next time.
    """
    pending = store.drafts_to_sync(mailbox)
    if not pending:
        return 0
    client = connect()
    saved = 0
    try:
        folder = DraftFolder(client, drafts_folder)
        for stored in pending:
            try:
                if stored.message_id_header:
                    root = stored.refs[0] if stored.refs else stored.in_reply_to
                    found = folder.check(stored.message_id_header, root)
                    if found != "untouched":  # an agent's draft: never deleted, replaced or duplicated
                        store.draft_kept_in_folder(stored.id, found)
                        log.info("draft for conversation %s %s in %s: kept", stored.conversation, found, folder.folder)
                        continue
                uid, message_id = folder.save(stored.as_draft(), reply, replace_message_id=stored.message_id_header)
            except MailboxError as exc:
                log.warning("draft for item %s not saved to %s: %s", stored.message, folder.folder, exc)
                continue
            store.draft_synced(stored.id, folder.folder, uid, message_id)
            saved += 1
    finally:
        try:
            client.logout()
        except Exception:  # the connection may be gone already; the drafts are recorded either way
            log.debug("logout after draft sync failed", exc_info=True)
    if saved:
        log.info("saved %d draft(s) to the Drafts folder", saved)
    return saved
