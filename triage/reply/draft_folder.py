"""The Drafts folder: where a reply draft becomes a real message an agent opens, edits and sends.

Drafts are appended with `\\Draft \\Seen`, as mail clients store them, so they show up in the agent's own
mail client as unsent drafts, and carry a marker header (`X-Triage-Draft: hash=…`) with a hash of what
triage wrote. A re-run or a follow-up replaces the earlier draft of the thread only while it is untouched:
the new one is appended first, then exactly the old one is removed by UID (UIDPLUS `UID EXPUNGE`), so a
failure in between leaves two drafts rather than none, and nothing else in the folder is touched. A draft
an agent edited, re-saved under a new Message-ID or removed is never replaced (see `check`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import imapclient
from imapclient.exceptions import IMAPClientError

from triage.errors import MailboxError
from triage.records import Draft
from triage.reply.draft import clean_line
from triage.settings import ReplySettings
from triage.text import body_hash

# The marker on every draft triage saves: a hash of the body it wrote, to tell its own draft from an agent's.
MARKER_HEADER = "X-Triage-Draft"

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")
_MSG_ID = re.compile(r"<[^<>\s]+>")


def _header(value: str, limit: int = 998) -> str:
    """A header value that cannot start a new header: CR, LF and control characters become spaces."""
    return clean_line(value, limit)


def _msg_ids(values: tuple[str, ...] | list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out += [m for m in _MSG_ID.findall(value or "") if m not in out]
    return out


class DraftFolder:
    """Saves drafts into the mailbox's Drafts folder through an already logged-in IMAPClient.

    Replacing a draft SELECTs the Drafts folder on this connection: give the
    saver its own connection, or re-select your folder afterwards.
    """

    def __init__(self, client: imapclient.IMAPClient, folder: str = "") -> None:
        self.client = client
        self.folder = self._find(folder)

    def _find(self, folder: str) -> str:
        try:
            if folder:
                if self.client.folder_exists(folder):
                    return folder
                raise MailboxError(
                    f"[imap] drafts_folder {folder!r} does not exist on the server: create it, "
                    "or set drafts_folder to the folder your mail client keeps drafts in"
                )
            found = self.client.find_special_folder(imapclient.imapclient.DRAFTS)
            if found:
                return str(found)
            if self.client.folder_exists("Drafts"):
                return "Drafts"
        except IMAPClientError as exc:
            raise MailboxError(f"cannot look up the Drafts folder: {exc}") from exc
        raise MailboxError(
            "no Drafts folder: the server marks none with SPECIAL-USE \\Drafts and there is no folder "
            "named 'Drafts'; set [imap] drafts_folder in inbox.toml to the folder your mail client keeps drafts in"
        )

    @staticmethod
    def to_mime(draft: Draft, shop: ReplySettings, message_id: str, date: datetime | None = None) -> bytes:
        """The draft as an RFC 5322 message from the shop's support address, ready to append."""
        msg = EmailMessage(policy=policy.SMTP)
        try:
            msg["From"] = Address(display_name=_header(shop.shop_name, 200), addr_spec=_header(shop.support_address))
            msg["To"] = Address(addr_spec=_header(draft.to, 254))
        except (ValueError, IndexError) as exc:
            raise MailboxError(f"draft to {draft.to!r}: not a usable address ({exc})") from exc
        msg["Subject"] = _header(draft.subject)
        msg["Date"] = format_datetime(date or datetime.now(UTC))
        ids = _msg_ids([message_id])
        if not ids:
            raise MailboxError(f"not a Message-ID: {message_id!r} (expected <id@domain>)")
        msg["Message-ID"] = ids[0]
        in_reply_to = _msg_ids([draft.in_reply_to or ""])
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to[0]
        references = _msg_ids(list(draft.references))
        if references:
            msg["References"] = " ".join(references)
        msg[MARKER_HEADER] = f"hash={body_hash(draft.body)}"
        msg.set_content(draft.body, subtype="plain", charset="utf-8", cte="quoted-printable")
        if draft.language:  # after set_content, which clears every Content-* header
            msg["Content-Language"] = _header(draft.language, 20)
        return msg.as_bytes()

    def save(self, draft: Draft, shop: ReplySettings, replace_message_id: str | None = None) -> tuple[int | None, str]:
        """Append the draft with \\Draft; return (its UID from APPENDUID or None, its new Message-ID).

        With `replace_message_id`, the earlier draft carrying that Message-ID is
        removed afterwards, and only it.
        """
        domain = shop.support_address.rpartition("@")[2] or None
        message_id = make_msgid(domain=domain)
        raw = self.to_mime(draft, shop, message_id)
        try:
            response = self.client.append(self.folder, raw, flags=[imapclient.DRAFT, imapclient.SEEN])
        except IMAPClientError as exc:
            raise MailboxError(f"cannot save the draft to {self.folder!r}: {exc}") from exc
        m = _APPENDUID.search(response if isinstance(response, bytes) else str(response).encode())
        uid = int(m.group(2)) if m else None
        if replace_message_id:
            self.remove(replace_message_id, keep_uid=uid)
        return uid, message_id

    def find(self, message_id: str) -> list[int]:
        """UIDs of the drafts whose Message-ID header is exactly `message_id` (selects the folder)."""
        wanted = _msg_ids([message_id]) or [f"<{message_id.strip().strip('<>')}>"]
        target = wanted[0].lower()
        try:
            self.client.select_folder(self.folder)
            # HEADER search is a substring match on most servers; the FETCH below makes it exact.
            hits = self.client.search(["HEADER", "Message-ID", target.strip("<>")])
            if not hits:
                return []
            fetched = self.client.fetch(hits, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        except IMAPClientError as exc:
            raise MailboxError(f"cannot search {self.folder!r} for draft {target}: {exc}") from exc
        out: list[int] = []
        for uid, data in fetched.items():
            header = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
            ids = _msg_ids([header.decode("ascii", "replace")])
            if ids and ids[0].lower() == target:
                out.append(int(uid))
        return sorted(out)

    def remove(self, message_id: str, keep_uid: int | None = None) -> list[int]:
        """Delete the draft(s) with this Message-ID by UID, never any other message; return their UIDs.

        Without UIDPLUS the drafts are only flagged \\Deleted: a plain EXPUNGE would also
        remove whatever else someone flagged in that folder.
        """
        uids = [u for u in self.find(message_id) if u != keep_uid]
        if not uids:
            return []
        try:
            self.client.add_flags(uids, [imapclient.DELETED], silent=True)
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge(uids)
        except IMAPClientError as exc:
            raise MailboxError(f"cannot remove the earlier draft {message_id} from {self.folder!r}: {exc}") from exc
        return uids

    def check(self, message_id: str, thread_root: str | None) -> str:
        """What became of a draft triage saved: "untouched"; "edited" (same Message-ID, another body);
        "resaved" (gone, but a draft of the same thread is there: a mail client saved the agent's edit under
        a new Message-ID); or "removed". Only an untouched draft may be replaced."""
        uids = self.find(message_id)
        try:
            if uids:
                fetched = self.client.fetch(uids, ["BODY.PEEK[]"])
                for data in fetched.values():
                    if not _untouched(data.get(b"BODY[]", b"")):
                        return "edited"
                return "untouched"
            root = (_msg_ids([thread_root or ""]) or [""])[0]
            if root and self.client.search(["HEADER", "References", root.strip("<>")]):
                return "resaved"
        except IMAPClientError as exc:
            raise MailboxError(f"cannot read draft {message_id} in {self.folder!r}: {exc}") from exc
        return "removed"


def _untouched(raw: bytes) -> bool:
    """True when a saved draft's body still hashes to its marker (triage's text, unedited)."""
    import email

    msg = email.message_from_bytes(raw, policy=policy.default)
    marker = str(msg.get(MARKER_HEADER, "")).strip()
    if not marker.startswith("hash="):
        return False
    part = msg.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else ""
    return body_hash(str(text)) == marker.removeprefix("hash=")
