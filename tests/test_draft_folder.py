"""The Drafts folder against the real Dovecot: \\Draft not \\Seen, threading headers, replace-don't-duplicate."""

from __future__ import annotations

import email
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import imapclient
import pytest

from tests.support.dovecot import Dovecot
from triage.errors import MailboxError
from triage.records import Draft
from triage.reply.draft_folder import DraftFolder
from triage.settings import ReplySettings
from triage.text import body_hash

SHOP = ReplySettings(shop_name="Juniper & Oak", support_address="support@juniper-oak.example.com")


def a_draft(thread: str = "", **fields: Any) -> Draft:
    thread = thread or uuid.uuid4().hex[:12]
    base: dict[str, Any] = {
        "to": "dana.okafor@example.org",
        "subject": "Re: Cancel order 1047",
        "body": "Hello Dana Okafor,\n\nWe are stopping order #1047 now. Grüße aus Köln.\n\nKind regards,\nThe team\n",
        "in_reply_to": f"<{thread}@example.org>",
        "references": (f"<root-{thread}@example.org>", f"<{thread}@example.org>"),
        "language": "en",
    }
    base.update(fields)
    return Draft(**base)


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def folder_contents(client: imapclient.IMAPClient, folder: str) -> dict[int, tuple[tuple[bytes, ...], EmailMessage]]:
    client.select_folder(folder, readonly=True)
    uids = client.search(["ALL"])
    fetched = client.fetch(uids, ["FLAGS", "BODY.PEEK[]"]) if uids else {}
    return {int(uid): (tuple(data[b"FLAGS"]), parse(data[b"BODY[]"])) for uid, data in fetched.items()}


@pytest.fixture
def client(dovecot: Dovecot) -> Any:
    c = dovecot.client()
    yield c
    c.logout()


# ---------------------------------------------------------------- the message itself (no server)


def test_to_mime_headers_and_body() -> None:
    draft = a_draft("t1")
    when = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    msg = parse(DraftFolder.to_mime(draft, SHOP, "<new-1@juniper-oak.example.com>", when))
    assert msg["From"].addresses[0].display_name == "Juniper & Oak"
    assert msg["From"].addresses[0].addr_spec == "support@juniper-oak.example.com"
    assert str(msg["To"]) == "dana.okafor@example.org"
    assert str(msg["Subject"]) == "Re: Cancel order 1047"
    assert str(msg["Message-ID"]) == "<new-1@juniper-oak.example.com>"
    assert str(msg["In-Reply-To"]) == "<t1@example.org>"
    assert str(msg["References"]) == "<root-t1@example.org> <t1@example.org>"
    assert msg["Date"].datetime == when
    assert str(msg["MIME-Version"]) == "1.0"
    assert str(msg["Content-Language"]) == "en"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert msg.get_content().replace("\r\n", "\n") == draft.body


def test_subject_with_crlf_cannot_inject_a_header() -> None:
    draft = a_draft(
        subject="Re: Hello\r\nBcc: evil@example.com", in_reply_to="<x@example.org>\r\nBcc: evil2@example.com"
    )
    raw = DraftFolder.to_mime(draft, SHOP, "<new-2@juniper-oak.example.com>")
    msg = parse(raw)
    assert msg["Bcc"] is None and b"\r\nBcc:" not in raw and b"\nBcc:" not in raw
    assert str(msg["Subject"]) == "Re: Hello Bcc: evil@example.com"
    assert str(msg["In-Reply-To"]) == "<x@example.org>"
    assert [k for k in msg if k.lower() == "bcc"] == []


@pytest.mark.parametrize("to", ["dana@example.org\r\nBcc: evil@example.com", "not an address", ""])
def test_a_bad_recipient_is_refused(to: str) -> None:
    with pytest.raises(MailboxError):
        DraftFolder.to_mime(a_draft(to=to), SHOP, "<new-3@juniper-oak.example.com>")


# ---------------------------------------------------------------- finding the folder


def test_drafts_folder_found_through_special_use(client: Any) -> None:
    assert DraftFolder(client).folder == "Drafts"


def test_configured_folder_must_exist(client: Any, imap_folder: str) -> None:
    assert DraftFolder(client, imap_folder).folder == imap_folder
    with pytest.raises(MailboxError, match="drafts_folder"):
        DraftFolder(client, "No such folder " + uuid.uuid4().hex[:6])


class _NoDrafts:
    """A server with neither a \\Drafts folder nor one called Drafts (Dovecot here always has one)."""

    def find_special_folder(self, flag: bytes) -> None:
        assert flag == b"\\Drafts"

    def folder_exists(self, name: str) -> bool:
        return False


def test_no_drafts_folder_names_the_fix() -> None:
    with pytest.raises(MailboxError, match=r"set \[imap\] drafts_folder"):
        DraftFolder(_NoDrafts())  # type: ignore[arg-type]


# ---------------------------------------------------------------- saving and replacing


def test_saved_draft_is_a_seen_draft_with_threading_from_and_marker(client: Any, imap_folder: str) -> None:
    drafts = DraftFolder(client, imap_folder)
    draft = a_draft("t2", subject="Re: Hello\r\nBcc: evil@example.com")
    uid, message_id = drafts.save(draft, SHOP)
    assert uid is not None and message_id.startswith("<") and message_id.endswith("@juniper-oak.example.com>")
    contents = folder_contents(client, imap_folder)
    assert list(contents) == [uid]
    flags, msg = contents[uid]
    # \Draft \Seen, as mail clients store their own drafts (issue 15); the marker holds the body's hash.
    assert imapclient.DRAFT in flags and imapclient.SEEN in flags
    assert str(msg["X-Triage-Draft"]) == f"hash={body_hash(draft.body)}"
    assert str(msg["Message-ID"]) == message_id
    assert str(msg["In-Reply-To"]) == "<t2@example.org>"
    assert str(msg["References"]) == "<root-t2@example.org> <t2@example.org>"
    assert str(msg["From"]) == "Juniper & Oak <support@juniper-oak.example.com>"
    assert str(msg["To"]) == "dana.okafor@example.org"
    assert msg["Bcc"] is None
    assert msg.get_content().replace("\r\n", "\n") == draft.body


def test_saving_again_replaces_only_that_threads_draft(client: Any, imap_folder: str) -> None:
    drafts = DraftFolder(client, imap_folder)
    other_uid, other_id = drafts.save(a_draft("other", to="someone@example.org"), SHOP)
    # An agent's message already flagged \Deleted but not expunged: a plain EXPUNGE would take it too.
    client.append(imap_folder, DraftFolder.to_mime(a_draft("agent"), SHOP, "<agent@example.com>"), flags=[b"\\Deleted"])
    first_uid, first_id = drafts.save(a_draft("t3"), SHOP)
    second_uid, second_id = drafts.save(
        a_draft("t3", body="Hello again,\n\nupdated.\n"), SHOP, replace_message_id=first_id
    )
    assert second_id != first_id and second_uid not in (None, first_uid)

    contents = folder_contents(client, imap_folder)
    assert first_uid not in contents
    assert other_uid in contents and second_uid in contents
    by_id = {str(msg["Message-ID"]): (uid, flags) for uid, (flags, msg) in contents.items()}
    assert set(by_id) == {other_id, second_id, "<agent@example.com>"}
    assert b"\\Deleted" in by_id["<agent@example.com>"][1]
    thread = [uid for uid, (_, msg) in contents.items() if str(msg["In-Reply-To"]) == "<t3@example.org>"]
    assert thread == [second_uid]
    assert contents[second_uid][1].get_content().replace("\r\n", "\n") == "Hello again,\n\nupdated.\n"
    assert imapclient.DRAFT in contents[second_uid][0] and imapclient.SEEN in contents[second_uid][0]


def test_replacing_an_unknown_or_lookalike_message_id_touches_nothing(client: Any, imap_folder: str) -> None:
    drafts = DraftFolder(client, imap_folder)
    uid, message_id = drafts.save(a_draft("t4"), SHOP)
    # A search for a prefix of the ID matches as a substring on the server; only an exact match counts.
    prefix = message_id[:-6] + ">"
    new_uid, _ = drafts.save(a_draft("t5"), SHOP, replace_message_id=prefix)
    assert set(folder_contents(client, imap_folder)) == {uid, new_uid}
    assert drafts.remove("<nothing-here@example.com>") == []
    assert drafts.find(message_id) == [uid]


# ---------------------------------------------------------------- an agent's draft is never replaced


def agent_edit(client: Any, folder: str, uid: int, new_message_id: str | None) -> int:
    """What a mail client does when an agent edits a draft: save the edited copy, delete the old one."""
    client.select_folder(folder)
    raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    msg = parse(raw)
    body = str(msg.get_body(preferencelist=("plain",)).get_content()) + "\nP.S. Edited by Kim.\n"  # type: ignore[union-attr]
    msg.set_content(body)
    if new_message_id:
        del msg["Message-ID"]
        msg["Message-ID"] = new_message_id
    response = client.append(folder, msg.as_bytes(), flags=[imapclient.DRAFT, imapclient.SEEN])
    client.add_flags([uid], [imapclient.DELETED])
    client.uid_expunge([uid])
    return int(str(response).split()[2].rstrip("]"))


@pytest.mark.parametrize("how", ["edited", "resaved", "removed", "untouched"])
def test_check_tells_an_agents_draft_from_triages_own(client: Any, imap_folder: str, how: str) -> None:
    drafts = DraftFolder(client, imap_folder)
    uid, message_id = drafts.save(a_draft("t6"), SHOP)
    assert uid is not None
    if how == "edited":
        agent_edit(client, imap_folder, uid, None)
    elif how == "resaved":
        agent_edit(client, imap_folder, uid, "<resaved-by-client@example.org>")
    elif how == "removed":
        client.select_folder(imap_folder)
        client.add_flags([uid], [imapclient.DELETED])
        client.uid_expunge([uid])
    assert drafts.check(message_id, "<root-t6@example.org>") == how
