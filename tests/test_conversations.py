"""Conversations end to end, on a Maildir and on a real Dovecot: follow-ups join their thread, a retraction
withdraws a request, a chaser keeps it and raises urgency, a second delivery collapses, automated mail stays
out, arrival time (INTERNALDATE, the Maildir file name) is what ages use, and an agent's draft survives."""

from __future__ import annotations

import email
import json
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from email import policy
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli, write_config
from tests.support.dovecot import Dovecot

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = "2026-11-21T09:30:00+01:00"


def mail(
    n: str,
    sender: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
    sent: datetime | None = None,
    extra: str = "",
) -> bytes:
    """A customer message with Message-ID <n@test>; `reply_to` names the message it answers."""
    head = [
        f"From: {sender}",
        "To: support@example.com",
        f"Subject: {subject}",
        f"Message-ID: <{n}@test>",
        f"Date: {format_datetime(sent or T0)}",
    ]
    if reply_to:
        head += [f"In-Reply-To: <{reply_to}@test>", f"References: <{reply_to}@test>"]
    if extra:
        head.append(extra)
    return ("\r\n".join(head) + "\r\n\r\n" + body + "\r\n").encode()


DANA, TOM, MEGAN, ZOE, OLIVER = (
    "dana.okafor@example.org",
    "tom.brennan@example.net",
    "megan.doyle@example.com",
    "zoe.harper@example.com",
    "oliver.grant@example.net",
)
# (message, arrival): the arrival differs from the Date header on purpose, by hours (and once by days).
FIRST_ROUND: list[tuple[bytes, datetime]] = [
    (mail("a1", DANA, "Cancel order #1047", "Please cancel my order #1047."), T0),
    (
        mail("a2", DANA, "Re: Cancel order #1047", "Please DON'T cancel it after all, I'll keep it.", "a1"),
        T0 + timedelta(hours=2),
    ),
    (mail("b1", TOM, "Cancel #1071", "Please cancel order #1071, I ordered the wrong size."), T0),
    (mail("b2", TOM, "Re: Cancel #1071", "Did you get my email?", "b1"), T0 + timedelta(hours=3)),
    (mail("c1", MEGAN, "Order #1067", "Please cancel my order #1067."), T0),
    (
        mail(
            "c2",
            MEGAN,
            "Re: Order #1067",
            "Ignore my last email, please ship it to my sister instead: Anna Doyle, 12 High Street, "
            "Dublin D02 X285, Ireland.",
            "c1",
        ),
        T0 + timedelta(hours=1),
    ),
    (mail("d1", ZOE, "Cancel #1072", "Please cancel my order, I picked the wrong colour."), T0),
    (
        mail("d2", ZOE, "RE: AW: Cancel #1072", "The order number is #1072.", "lost-in-transit"),
        T0 + timedelta(hours=1),
    ),
    (mail("e1", OLIVER, "Question", "Can I still change the colour of my mug?"), T0),
    (mail("e1", OLIVER, "Question", "Can I still change the colour of my mug?"), T0 + timedelta(minutes=1)),
    (
        mail(
            "f1",
            "Dana Okafor <dana.okafor@example.org>",
            "Automatic reply: Cancel order #1047",
            "I am out of the office until Monday.",
            "a1",
            extra="Auto-Submitted: auto-replied",
        ),
        T0 + timedelta(hours=4),
    ),
    (
        mail(
            "g1", "nina.petrova@example.org", "Where is my parcel", "Where is my parcel?", sent=T0 - timedelta(days=5)
        ),
        T0 + timedelta(hours=5),
    ),
]
CHASER_AFTER_DRAFT = (mail("b3", TOM, "Re: Cancel #1071", "Any news? Still waiting.", "b2"), T0 + timedelta(hours=20))
FOLLOW_UP_ZOE = (mail("d3", ZOE, "Re: Cancel #1072", "Any update on this?", "d1"), T0 + timedelta(hours=20))


def maildir_put(root: Path, messages: list[tuple[bytes, datetime]], start: int = 0) -> None:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for i, (data, when) in enumerate(messages, start):
        (root / "new" / f"{int(when.timestamp())}.M{i}P1.test").write_bytes(data)


def imap_put(server: Dovecot, folder: str, messages: list[tuple[bytes, datetime]]) -> None:
    c = server.client()
    for data, when in messages:
        c.append(folder, data, msg_time=when)
    c.logout()


class Inbox:
    """One inbox (a Maildir or a Dovecot folder) with its config, fed in rounds."""

    def __init__(self, kind: str, tmp: Path, dovecot: Dovecot | None, folder: str | None) -> None:
        self.kind, self.tmp, self.dovecot, self.folder = kind, tmp, dovecot, folder
        orders = f'[orders]\nfile = "{ROOT / "demo" / "orders.csv"}"\n'
        if kind == "maildir":
            self.cfg = tmp / "inbox.toml"
            self.cfg.write_text(
                f'[shop]\nname = "Test Shop"\nsupport_address = "support@example.com"\nnow = "{NOW}"\n'
                f'[source]\nkind = "maildir"\npath = "{tmp / "md"}"\n[store]\npath = "{tmp / "triage.db"}"\n'
                f'[model]\npath = "{MODEL}"\n{orders}'
            )
        else:
            assert dovecot is not None and folder is not None
            self.cfg = write_config(tmp, dovecot, folder)
            text = self.cfg.read_text().replace(
                'support_address = "support@example.com"', f'support_address = "support@example.com"\nnow = "{NOW}"'
            )
            self.cfg.write_text(text + orders)
        self.sent = 0

    def deliver(self, messages: list[tuple[bytes, datetime]]) -> None:
        if self.kind == "maildir":
            maildir_put(self.tmp / "md", messages, self.sent)
        else:
            assert self.dovecot is not None and self.folder is not None
            imap_put(self.dovecot, self.folder, messages)
        self.sent += len(messages)


@pytest.fixture(params=["maildir", "imap"])
def inbox(request: pytest.FixtureRequest, tmp_path: Path) -> Inbox:
    if request.param == "imap":
        dovecot = request.getfixturevalue("dovecot")
        folder = request.getfixturevalue("imap_folder")
        return Inbox("imap", tmp_path, dovecot, folder)
    return Inbox("maildir", tmp_path, None, None)


def run_once(inbox: Inbox, cli: TriageCli) -> list[dict]:
    once = cli("--config", str(inbox.cfg), "once")
    assert once.returncode == 0, once.stderr
    out = cli("--config", str(inbox.cfg), "queue", "--json", "--all")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def by_customer(queue: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for c in queue:
        if c["automated"] is None:
            assert c["customer"] not in out, f"{c['customer']} has two conversations"
            out[c["customer"]] = c
    return out


def show(inbox: Inbox, cli: TriageCli, conv_id: int) -> dict:
    r = cli("--config", str(inbox.cfg), "show", str(conv_id), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_threads_retractions_chasers_duplicates_and_arrival(inbox: Inbox, triage_cli: TriageCli) -> None:
    inbox.deliver(FIRST_ROUND)
    queue = run_once(inbox, triage_cli)
    convs = by_customer(queue)
    dana, tom, megan, zoe, oliver = (convs[c] for c in (DANA, TOM, MEGAN, ZOE, OLIVER))

    # A cancel then "please don't cancel after all": one conversation, no cancel, the withdrawal visible.
    assert [m["message_id"] for m in dana["messages"]] == ["<a1@test>", "<a2@test>"]
    assert "cancel" not in dana["intents"]
    assert dana["withdrawn"] == [{"intent": "cancel", "message_id": "<a2@test>", "reason": "retracted"}]
    # A chaser keeps the request, and ranks above the retracted one (same stage of order).
    assert tom["intents"][0] == "cancel" and tom["messages"][1]["follow_up"] == "chaser"
    assert tom["order"] == {"number": "1071", "stage": "unfulfilled"}
    assert dana["order"] == {"number": "1047", "stage": "unfulfilled"}
    assert dana["urgency"] < tom["urgency"]
    # "Ignore my last email, ship it to my sister instead": the cancel is replaced.
    assert "cancel" not in megan["intents"] and megan["withdrawn"][0]["intent"] == "cancel"
    assert megan["withdrawn"][0]["message_id"] == "<c2@test>"
    # Broken References, same sender and subject: joined; the order number from the follow-up is known.
    assert len(zoe["messages"]) == 2 and zoe["order"] == {"number": "1072", "stage": "unfulfilled"}
    assert "order_number" not in zoe["missing"]
    # The same Message-ID delivered twice: one message, one conversation.
    assert len(oliver["messages"]) == 1
    con = sqlite3.connect(inbox.tmp / "triage.db")
    assert con.execute("SELECT status FROM messages WHERE message_id = 'e1@test' ORDER BY id").fetchall() == [
        ("ok",),
        ("duplicate",),
    ]
    # The auto-reply pointing at Dana's thread stays out of it and out of the open queue.
    auto = [c for c in queue if c["automated"]]
    assert len(auto) == 1 and auto[0]["state"] == "done" and len(dana["messages"]) == 2
    # Arrival time, not the Date header: INTERNALDATE / the Maildir file name.
    assert tom["messages"][1]["received_at"] == (T0 + timedelta(hours=3)).isoformat()
    assert tom["opened_at"] == T0.isoformat()
    nina = convs["nina.petrova@example.org"]
    assert nina["messages"][0]["received_at"] == (T0 + timedelta(hours=5)).isoformat()
    assert "date_off" in nina["flags"]

    # The drafts know the thread.
    tom_draft = show(inbox, triage_cli, tom["id"])["draft"]
    assert "sorry you had to wait" in tom_draft["body"]
    dana_draft = show(inbox, triage_cli, dana["id"])["draft"]
    assert "leave your order as it is" in dana_draft["body"]
    zoe_draft = show(inbox, triage_cli, zoe["id"])["draft"]
    assert "#1072" in zoe_draft["body"]
    assert "your order number" not in zoe_draft["body"], "never ask again for what the thread already says"

    # Running again adds nothing.
    assert run_once(inbox, triage_cli) == queue

    # The summary counts conversations: Tom's and Zoe's cancels once each; Dana's withdrawn one not at all.
    from triage.config import load_config
    from triage.report.summary import collect
    from triage.store import Store

    store = Store(inbox.tmp / "triage.db")
    try:
        summary = collect(store, load_config(inbox.cfg), T0.date(), datetime.fromisoformat(NOW))
    finally:
        store.close()
    assert summary.today.outcomes["cancel"].caught == 2 and summary.today.outcomes["cancel"].total == 2
    assert summary.today.outcomes["address_fix"].total == 1  # Megan's replacement
    assert summary.today.received == len(FIRST_ROUND) - 1  # messages, a second delivery not among them
    assert len({i.id for i in summary.urgent}) == len(summary.urgent)
    assert {i.id for i in summary.urgent} <= {c["id"] for c in queue}


def test_an_agents_draft_survives_a_follow_up_and_the_conversation_is_flagged(
    inbox: Inbox, triage_cli: TriageCli, tmp_path: Path
) -> None:
    inbox.deliver(FIRST_ROUND[2:4] + FIRST_ROUND[6:8])
    convs = by_customer(run_once(inbox, triage_cli))
    tom, zoe = convs[TOM], convs[ZOE]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nP.S. I have stopped the parcel myself. -- Kim\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {"EDITOR": str(editor), "VISUAL": str(editor)}
    edited = triage_cli("--config", str(inbox.cfg), "draft", str(tom["id"]), "--edit", env=env)
    assert edited.returncode == 0, edited.stderr
    zoe_before = show(inbox, triage_cli, zoe["id"])["draft"]["body"]

    inbox.deliver([CHASER_AFTER_DRAFT, FOLLOW_UP_ZOE])
    convs = by_customer(run_once(inbox, triage_cli))
    tom_after = show(inbox, triage_cli, tom["id"])
    assert len(tom_after["messages"]) == 3
    assert "P.S. I have stopped the parcel myself. -- Kim" in tom_after["draft"]["body"]
    assert tom_after["draft"]["owner"] == "agent"
    assert "customer_wrote_after_draft" in convs[TOM]["flags"]
    assert any(e["action"] == "draft_kept" for e in tom_after["events"])
    table = triage_cli("--config", str(inbox.cfg), "queue").stdout
    assert "customer wrote again after your draft" in table
    # Triage's own untouched draft is replaced as the thread moves on.
    zoe_after = show(inbox, triage_cli, zoe["id"])["draft"]
    assert zoe_after["owner"] == "triage" and zoe_after["body"] != zoe_before
    assert "customer_wrote_after_draft" not in convs[ZOE]["flags"]
    # Closing clears the flag; a customer message reopens the conversation with the reason shown.
    assert triage_cli("--config", str(inbox.cfg), "done", str(zoe["id"])).returncode == 0
    inbox.deliver(
        [
            (
                mail("d4", ZOE, "Re: Cancel #1072", "Sorry, one more thing: is it canceled?", "d3"),
                T0 + timedelta(hours=22),
            )
        ]
    )
    convs = by_customer(run_once(inbox, triage_cli))
    assert convs[ZOE]["state"] == "open" and "reopened" in convs[ZOE]["flags"]
    assert any(r.startswith("reopened") for r in convs[ZOE]["reasons"])


@pytest.mark.parametrize("new_message_id", [False, True], ids=["same-message-id", "new-message-id"])
def test_a_draft_edited_in_the_drafts_folder_survives_a_follow_up(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli, new_message_id: bool
) -> None:
    import imapclient

    from tests.test_draft_folder import agent_edit

    drafts_folder = imap_folder + "-Drafts"
    c = dovecot.client()
    c.create_folder(drafts_folder)
    c.logout()
    inbox = Inbox("imap", tmp_path, dovecot, imap_folder)
    inbox.cfg.write_text(inbox.cfg.read_text().replace("[imap]", f'[imap]\ndrafts_folder = "{drafts_folder}"'))
    inbox.deliver(FIRST_ROUND[2:4] + FIRST_ROUND[6:8])
    convs = by_customer(run_once(inbox, triage_cli))

    def drafts() -> dict[str, tuple[int, str, tuple[bytes, ...]]]:
        """In-Reply-To's thread root -> (uid, body, flags) for every draft in the folder."""
        client = dovecot.client()
        client.select_folder(drafts_folder)
        out = {}
        for uid, data in client.fetch(client.search(["ALL"]), ["BODY.PEEK[]", "FLAGS"]).items():
            msg = email.message_from_bytes(data[b"BODY[]"], policy=policy.default)
            body = str(msg.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
            out[str(msg["References"]).split()[0]] = (uid, body, data[b"FLAGS"])
        client.logout()
        return out

    first = drafts()
    assert set(first) == {"<b1@test>", "<d1@test>"}
    assert all(imapclient.DRAFT in f and imapclient.SEEN in f for _, _, f in first.values())
    c = dovecot.client()
    agent_edit(c, drafts_folder, first["<b1@test>"][0], "<kims-copy@example.org>" if new_message_id else None)
    c.logout()

    inbox.deliver([CHASER_AFTER_DRAFT, FOLLOW_UP_ZOE])
    after_convs = by_customer(run_once(inbox, triage_cli))
    after = drafts()
    assert set(after) == {"<b1@test>", "<d1@test>"}, "one draft per conversation: none removed, none duplicated"
    assert "P.S. Edited by Kim." in after["<b1@test>"][1]
    assert "customer_wrote_after_draft" in after_convs[TOM]["flags"]
    assert any(e["action"] == "draft_kept" for e in show(inbox, triage_cli, convs[TOM]["id"])["events"])
    # Triage's own untouched draft is replaced, not duplicated.
    assert after["<d1@test>"][0] != first["<d1@test>"][0] and after["<d1@test>"][1] != first["<d1@test>"][1]
    assert "customer_wrote_after_draft" not in after_convs[ZOE]["flags"]
    # `show` and `draft` say that the text they print is triage's, the agent's being in the Drafts folder.
    assert show(inbox, triage_cli, convs[TOM]["id"])["draft"]["in_drafts_folder"] is True
    assert show(inbox, triage_cli, convs[ZOE]["id"])["draft"]["in_drafts_folder"] is False
    args = ("--config", str(inbox.cfg))
    assert "an agent's version is kept in the Drafts folder" in triage_cli(*args, "show", str(convs[TOM]["id"])).stdout
    assert "kept in the Drafts folder" in triage_cli(*args, "draft", str(convs[TOM]["id"])).stderr
