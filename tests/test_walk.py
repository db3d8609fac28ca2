"""What a user walking through the product met (issue 16's leftovers): several mailboxes are named as
configured wherever a person reads them, and the JSON of queue, show and inspect agrees on one record."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest

from tests.support import MODEL
from tests.support.cli import TriageCli
from tests.support.dovecot import Dovecot
from tests.support.mailgen import customer_message


def _maildir(where: Path, count: int, seed: int) -> Path:
    box = mailbox.Maildir(str(where), create=True)
    for i in range(count):
        box.add(customer_message(i, seed=seed))
    return where


@pytest.fixture(scope="module")
def two_mailboxes(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> Path:
    """support@ and a second brand, each a Maildir, triaged once."""
    tmp = tmp_path_factory.mktemp("two")
    a, b = _maildir(tmp / "a", 3, 41), _maildir(tmp / "b", 2, 42)
    cfg = tmp / "inbox.toml"
    cfg.write_text(
        f'[shop]\nname = "Shop A"\nsupport_address = "support@a.example"\n'
        f'[store]\npath = "{tmp / "t.db"}"\n[model]\npath = "{MODEL}"\n'
        f'[[mailbox]]\nname = "support"\nsource = {{ kind = "maildir", path = "{a}" }}\n'
        f'[[mailbox]]\nname = "brand-b"\nsource = {{ kind = "maildir", path = "{b}" }}\n'
        'shop = { name = "Brand B", support_address = "hello@b.example" }\n'
    )
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    return cfg


def test_queue_heartbeats_and_rows_name_the_configured_mailbox(two_mailboxes: Path, triage_cli: TriageCli) -> None:
    out = triage_cli("--config", str(two_mailboxes), "queue").stdout
    lines = out.splitlines()
    assert lines[0].startswith("brand-b: last poll") or lines[0].startswith("support: last poll")
    assert {line.split(":")[0] for line in lines[:2]} == {"support", "brand-b"}
    assert "maildir:" not in out  # the source key is for status --json and show, not the people's view
    header = next(line for line in lines if "SCORE" in line)
    assert "MAILBOX" in header.split()
    at = header.split().index("MAILBOX")
    rows = [line.split() for line in lines if line[:3].strip().isdigit()]
    assert sorted({r[at] for r in rows}) == ["brand-b", "support"]


def test_one_mailbox_has_no_mailbox_column(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "md", 1, 41)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    triage_cli("--config", str(cfg), "once")
    out = triage_cli("--config", str(cfg), "queue").stdout
    assert "MAILBOX" not in out and out.startswith(f"maildir:{md}: last poll")


def test_the_summary_labels_conversations_and_health_by_mailbox(two_mailboxes: Path, triage_cli: TriageCli) -> None:
    from datetime import UTC, datetime

    day = datetime.now(UTC).date().isoformat()
    result = triage_cli("--config", str(two_mailboxes), "summary", "--date", day)
    assert result.returncode == 0, result.stderr
    text = (two_mailboxes.parent / "reports" / f"{day}.txt").read_text()
    urgent = text.split("TEN MOST URGENT")[1].split("BACKLOG")[0]
    firsts = [line for line in urgent.splitlines() if "score" in line]
    assert len(firsts) == 5 and all(line.rstrip().endswith(("mailbox support", "mailbox brand-b")) for line in firsts)
    health = text.split("INGESTION HEALTH")[1]
    assert f"  support (maildir:{two_mailboxes.parent / 'a'})" in health
    assert f"  brand-b (maildir:{two_mailboxes.parent / 'b'})" in health
    html = (two_mailboxes.parent / "reports" / f"{day}.html").read_text()
    assert "&middot; brand-b</span>" in html and "<strong>support</strong>" in html


def test_status_names_each_mailbox(two_mailboxes: Path, triage_cli: TriageCli) -> None:
    result = triage_cli("--config", str(two_mailboxes), "status", "--json")
    assert [s["name"] for s in json.loads(result.stdout)] == ["support", "brand-b"]


# -- exit codes: 2 usage or config, 1 a failed job, 3 not found ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "999"), 3, "no conversation with ID 999"),
        (("draft", "999"), 3, "no conversation with ID 999"),
        (("done", "999"), 3, "no conversation with ID 999"),
        (("user", "remove", "nobody"), 3, "no user 'nobody'"),
        (("user", "passwd", "nobody"), 3, "no user 'nobody'"),  # said before asking for a password
        (("web", "--port", "99999"), 2, "99999 is not in the range"),  # was a uvicorn traceback, exit 1
        (("queue", "--limit", "0"), 2, "0 is not in the range"),
    ],
)
def test_exit_codes(two_mailboxes: Path, triage_cli: TriageCli, args: tuple[str, ...], code: int, message: str) -> None:
    result = triage_cli("--config", str(two_mailboxes), *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "Password" not in result.stdout + result.stderr


# -- one JSON shape per record across queue, show and inspect ----------------------------------------------

SHARED = (
    "subject",
    "intents",
    "stage",
    "match_how",
    "reasons",
    "deadline",
    "missing",
    "redactions",
    "low_confidence",
    "status",
    "error",
    "no_reply",
)


def test_queue_show_and_inspect_use_the_same_keys_for_the_same_thing(tmp_path: Path, triage_cli: TriageCli) -> None:
    """The demo's first twelve messages, triaged into a store and inspected one by one at the same time: for
    a conversation of one message, the keys the three outputs share hold the same values, of the same types."""
    from tests.support import ROOT

    files = sorted((ROOT / "demo" / "inbox" / "cur").iterdir())[:12]
    box = mailbox.Maildir(str(tmp_path / "md"), create=True)
    for f in files:
        box.add(f.read_bytes())
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[shop]\nname = "Juniper & Oak"\nsupport_address = "help@juniperandoak.example"\n'
        f'[source]\nkind = "maildir"\npath = "{tmp_path / "md"}"\n'
        f'[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    now = ("--config", str(cfg), "--now", "2026-11-21T09:30:00+01:00")
    assert triage_cli(*now, "import-orders", str(ROOT / "demo" / "orders.csv")).returncode == 0
    assert triage_cli(*now, "once").returncode == 0
    queue = json.loads(triage_cli(*now, "queue", "--json").stdout)
    inspected = [json.loads(line) for line in triage_cli(*now, "inspect", *map(str, files)).stdout.splitlines()]
    by_subject = {o["subject"]: o for o in inspected}
    compared = 0
    for conv in queue:
        if len(conv["messages"]) != 1 or conv["subject"] not in by_subject:
            continue
        shown = json.loads(triage_cli(*now, "show", str(conv["id"]), "--json").stdout)
        one = by_subject[conv["subject"]]
        for key in SHARED:
            assert key in conv and key in shown and key in one, key
            assert conv[key] == shown[key] == one[key], (key, conv[key], one[key])
        assert conv["urgency"] == one["urgency"]["score"] and conv["reasons"] == one["urgency"]["reasons"]
        assert (conv["order"] is None) == (one["order"] is None)
        if conv["order"]:
            assert conv["order"].items() <= one["order"].items() and conv["match_how"] == one["order"]["match"]
        compared += 1
    assert compared >= 6


# -- init on a terminal ---------------------------------------------------------------------------------------


def test_init_on_a_terminal_asks_again_for_an_unknown_time_zone(tmp_path: Path) -> None:
    """A typo in the time zone is caught at its prompt; it used to surface after the last question, as an
    error that threw every answer away."""
    import os
    import pty
    import subprocess
    import sys
    import time

    from tests.support import ROOT

    out = tmp_path / "inbox.toml"
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), "init", "-o", str(out)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=tmp_path,
    )
    os.close(secondary)
    answers = ["Acme Linen", "help@acme.example", "Mars/Olympus", "Europe/Berlin", "maildir", "Maildir"]
    seen, transcript = b"", b""
    for answer in answers:
        deadline = time.monotonic() + 60
        while not seen.rstrip().endswith(b":") and time.monotonic() < deadline:
            seen += os.read(primary, 4096)  # the next prompt ("...]: ")
        os.write(primary, answer.encode() + b"\n")
        transcript, seen = transcript + seen, b""
    assert proc.wait(timeout=60) == 0
    rest = b""
    try:
        while chunk := os.read(primary, 4096):
            rest += chunk
    except OSError:  # the terminal closed with the process
        pass
    os.close(primary)
    text = out.read_text()
    assert 'timezone = "Europe/Berlin"' in text and 'name = "Acme Linen"' in text
    assert b"wrote" in rest
    assert b"unknown zone 'Mars/Olympus'" in transcript and transcript.count(b"Time zone (IANA)") == 2


def test_an_error_line_names_the_message_number_retriage_takes(tmp_path: Path, triage_cli: TriageCli) -> None:
    """Conversation IDs and message numbers part ways after the first follow-up; the queue shows the first,
    `retriage` takes the second, so the ERROR line says which number to give it."""
    box = mailbox.Maildir(str(tmp_path / "md"), create=True)
    first = b"From: ann@example.com\nSubject: Order\nMessage-ID: <a1@x>\n\nPlease cancel order 1047.\n"
    reply = b"From: ann@example.com\nSubject: Re: Order\nMessage-ID: <a2@x>\nIn-Reply-To: <a1@x>\n\nAny news?\n"
    big = b"From: bob@example.com\nSubject: Huge\nMessage-ID: <b1@x>\n\n" + b"x" * 30000 + b"\n"
    for i, raw in enumerate((first, reply, big)):
        msg = mailbox.MaildirMessage(raw)
        msg.set_date(1_790_000_000 + i)
        box.add(msg)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{tmp_path / "md"}"\n[store]\npath = "{tmp_path / "t.db"}"\n'
        f'[model]\npath = "{MODEL}"\n[limits]\nmax_message_bytes = 20000\n'
    )
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    (error,) = [c for c in json.loads(triage_cli("--config", str(cfg), "queue", "--json").stdout) if c["error"]]
    (number,) = [m["id"] for m in error["messages"]]
    assert number != error["id"]
    line = next(x for x in triage_cli("--config", str(cfg), "queue").stdout.splitlines() if "ERROR" in x)
    assert line.split()[1] == str(error["id"]) and line.endswith(f"after a fix: triage retriage {number}")
    missing = triage_cli("--config", str(cfg), "retriage", "999")
    assert missing.returncode == 3 and "retriage takes message numbers" in missing.stderr


# -- draft --edit with several mailboxes ----------------------------------------------------------------------


def test_draft_edit_reaches_its_own_mailboxs_drafts_folder(
    tmp_path: Path, dovecot: Dovecot, imap_folder: str, triage_cli: TriageCli
) -> None:
    """With [[mailbox]] tables the edit went nowhere: the sync after it read the top-level [source], which a
    multi-mailbox config leaves at its default, so the Drafts folder kept triage's text."""
    import email
    from email import policy

    from tests.support.cli import PASSWORD_ENV
    from tests.support.dovecot import USER, append

    other, drafts_a, drafts_b = imap_folder + "-b", imap_folder + "-Da", imap_folder + "-Db"
    c = dovecot.client()
    for name in (other, drafts_a, drafts_b):
        c.create_folder(name)
    c.logout()
    append(dovecot, imap_folder, [customer_message(0, seed=41)])
    append(dovecot, other, [customer_message(1, seed=42)])
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
        f'[imap]\nhost = "{dovecot.host}"\nport = {dovecot.port}\ntls = "starttls"\nca_file = "{dovecot.cafile}"\n'
        f'username = "{USER}"\npassword_env = "{PASSWORD_ENV}"\n'
        f'[[mailbox]]\nname = "support"\nsource = {{ kind = "imap" }}\n'
        f'imap = {{ folder = "{imap_folder}", drafts_folder = "{drafts_a}" }}\n'
        f'[[mailbox]]\nname = "brand-b"\nsource = {{ kind = "imap" }}\n'
        f'imap = {{ folder = "{other}", drafts_folder = "{drafts_b}" }}\n'
    )
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    (conv,) = [
        c
        for c in json.loads(triage_cli("--config", str(cfg), "queue", "--json").stdout)
        if c["mailbox_name"] == "brand-b"
    ]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nP.S. Checked with the warehouse. -- Kim\\n" >> "$1"\n')
    editor.chmod(0o755)
    edited = triage_cli("--config", str(cfg), "draft", str(conv["id"]), "--edit", env={"EDITOR": str(editor)})
    assert edited.returncode == 0, edited.stderr

    def bodies(folder: str) -> list[str]:
        client = dovecot.client()
        client.select_folder(folder)
        out = []
        for data in client.fetch(client.search(["ALL"]), ["BODY.PEEK[]"]).values():
            msg = email.message_from_bytes(data[b"BODY[]"], policy=policy.default)
            out.append(str(msg.get_body(preferencelist=("plain",)).get_content()))  # type: ignore[union-attr]
        client.logout()
        return out

    (in_b,) = bodies(drafts_b)
    assert "Checked with the warehouse. -- Kim" in in_b  # replaced in place: one draft, the agent's
    assert all("Kim" not in body for body in bodies(drafts_a))


def test_draft_edit_says_when_the_drafts_folder_keeps_an_agents_version(
    tmp_path: Path, dovecot: Dovecot, imap_folder: str, triage_cli: TriageCli
) -> None:
    """An agent edited the draft in their mail client; another edits it with `draft --edit`. The folder's
    version is never replaced, so "saved" alone would tell the second agent their text went out."""
    from tests.support.cli import write_config
    from tests.support.dovecot import append
    from tests.test_draft_folder import agent_edit

    drafts = imap_folder + "-Drafts"
    c = dovecot.client()
    c.create_folder(drafts)
    c.logout()
    append(dovecot, imap_folder, [customer_message(0, seed=41)])
    cfg = write_config(tmp_path, dovecot, imap_folder)
    cfg.write_text(cfg.read_text().replace("[imap]", f'[imap]\ndrafts_folder = "{drafts}"'))
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    c = dovecot.client()
    c.select_folder(drafts)
    (uid,) = c.search(["ALL"])
    agent_edit(c, drafts, uid, None)
    c.logout()
    append(dovecot, imap_folder, [customer_message(0, seed=41).replace(b"Message-ID: <", b"Message-ID: <again-")])
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    (conv,) = json.loads(triage_cli("--config", str(cfg), "queue", "--json").stdout)
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nP.S. From the CLI.\\n" >> "$1"\n')
    editor.chmod(0o755)
    edited = triage_cli("--config", str(cfg), "draft", str(conv["id"]), "--edit", env={"EDITOR": str(editor)})
    assert edited.returncode == 0, edited.stderr
    assert "the Drafts folder keeps the agent's version" in edited.stdout
