"""Ingestion against a real Dovecot: exactly once, unread, crash-safe, IDLE, reconnect, UIDVALIDITY."""

from __future__ import annotations

import sqlite3
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support.cli import TriageCli, run_triage, spawn_triage, stop, write_config
from tests.support.dovecot import Dovecot, append
from tests.support.mailgen import customer_message
from tests.support.watch import rows, wait_for


def test_ingest_200_once_each_and_still_unread(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    append(dovecot, imap_folder, [customer_message(i, seed=1) for i in range(200)])
    cfg = write_config(tmp_path, dovecot, imap_folder)
    first = triage_cli("--config", str(cfg), "once")
    assert first.returncode == 0, first.stderr
    db = tmp_path / "triage.db"
    assert rows(db) == 200
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == 200
    assert rows(db, "SELECT count(*) FROM messages WHERE status = 'ok'") == 200

    second = triage_cli("--config", str(cfg), "once")
    assert second.returncode == 0, second.stderr
    assert rows(db) == 200, "a second run must add nothing"

    c = dovecot.client()
    c.select_folder(imap_folder, readonly=True)
    assert len(c.search(["UNSEEN"])) == 200, "BODY.PEEK[] must leave every message unread"
    c.logout()


def test_seen_flag_does_not_hide_mail(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    """A person reading the inbox in a mail client (setting \\Seen) must not hide mail from triage."""
    append(dovecot, imap_folder, [customer_message(i, seed=2) for i in range(5)])
    c = dovecot.client()
    c.select_folder(imap_folder)
    c.add_flags(c.search(["ALL"]), [b"\\Seen"])
    c.logout()
    cfg = write_config(tmp_path, dovecot, imap_folder)
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    assert rows(tmp_path / "triage.db") == 5


def test_sigkill_mid_ingest_then_restart_triages_each_exactly_once(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    total = 300
    append(dovecot, imap_folder, [customer_message(i, seed=3) for i in range(total)])
    cfg = write_config(tmp_path, dovecot, imap_folder, batch_size=5)
    db = tmp_path / "triage.db"
    proc = spawn_triage("--config", str(cfg), "once")
    wait_for(lambda: rows(db) >= 20 or proc.poll() is not None, timeout=60)
    assert proc.poll() is None, "the ingest finished before it could be killed; use more messages"
    proc.kill()
    proc.communicate()
    partial = rows(db)
    assert 0 < partial < total
    again = triage_cli("--config", str(cfg), "once")
    assert again.returncode == 0, again.stderr
    assert rows(db) == total
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == total
    assert rows(db, "SELECT count(*) FROM triage") == total
    assert rows(db, f"SELECT last_uid FROM mailbox_state WHERE mailbox LIKE '%/{imap_folder}'") == total


def test_idle_stores_a_new_message_within_two_seconds(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder, poll_seconds=600)
    db = tmp_path / "triage.db"
    proc = spawn_triage("--config", str(cfg), "run")
    try:
        wait_for(lambda: rows(db, "SELECT count(last_poll_at) FROM mailbox_state") == 1, timeout=60)
        time.sleep(0.5)  # let the daemon enter IDLE
        append(dovecot, imap_folder, [customer_message(1, seed=4)])
        elapsed = wait_for(lambda: rows(db) == 1, timeout=10)
        assert elapsed < 2.0, f"stored after {elapsed:.2f} s"
    finally:
        err = stop(proc)
    assert proc.returncode == 0, err


def test_daemon_reconnects_after_server_restart_and_loses_nothing(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path
) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder, poll_seconds=2, reconnect_max_seconds=2.0)
    db = tmp_path / "triage.db"
    append(dovecot, imap_folder, [customer_message(i, seed=5) for i in range(3)])
    proc = spawn_triage("--config", str(cfg), "run")
    try:
        wait_for(lambda: rows(db) == 3, timeout=60)
        dovecot.restart()
        append(dovecot, imap_folder, [customer_message(i, seed=5) for i in range(3, 10)])
        wait_for(lambda: rows(db) == 10, timeout=45)
    finally:
        err = stop(proc)
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == 10
    assert "reconnecting" in err, err


def test_uidvalidity_change_rescans_without_duplicates(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    batch = [customer_message(i, seed=6) for i in range(10)]
    append(dovecot, imap_folder, batch)
    cfg = write_config(tmp_path, dovecot, imap_folder)
    db = tmp_path / "triage.db"
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    assert rows(db) == 10

    c = dovecot.client()
    before = c.folder_status(imap_folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]
    c.delete_folder(imap_folder)
    c.create_folder(imap_folder)
    after = c.folder_status(imap_folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]
    c.logout()
    assert before != after
    append(dovecot, imap_folder, [*batch, customer_message(10, seed=6), customer_message(11, seed=6)])

    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 0, result.stderr
    assert rows(db) == 12
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == 12


def _odd_messages() -> list[bytes]:
    html = EmailMessage()
    html["From"] = "html@example.com"
    html["Subject"] = "HTML only"
    html["Message-ID"] = "<html-only@example.com>"
    html.set_content("<p>Please <b>cancel</b> order #1042</p><script>alert(1)</script>", subtype="html")

    big = EmailMessage()
    big["From"] = "big@example.com"
    big["Subject"] = "photos of the broken vase"
    big["Message-ID"] = "<big@example.com>"
    big.set_content("It arrived broken, I want a refund for order 1043.")
    big.add_attachment(b"\xff" * (10 * 1024 * 1024), maintype="image", subtype="jpeg", filename="vase.jpg")

    nested = EmailMessage()
    nested["From"] = "nested@example.com"
    nested["Subject"] = "nested"
    nested["Message-ID"] = "<nested@example.com>"
    nested.set_content("inner text: cancel order 1044")
    for _ in range(12):
        outer = EmailMessage()
        outer["Content-Type"] = "multipart/mixed"
        outer.attach(nested)
        outer["From"] = "nested@example.com"
        outer["Subject"] = "nested"
        nested = outer
    nested["Message-ID"] = "<nested-outer@example.com>"

    bad_charset = (
        b"From: charset@example.com\r\nSubject: =?x-unknown?q?caf=E9?=\r\nMessage-ID: <charset@example.com>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="x-unknown"\r\n\r\n'
        b"Bitte stornieren Sie meine Bestellung 1045, danke. Gr\xfc\xdfe\r\n"
    )
    no_message_id = b"From: noid@example.com\r\nSubject: no id\r\n\r\nWhere is my order #1046?\r\n"
    broken = (
        b"From: broken@example.com\r\nMessage-ID: <broken@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\n'
        b"Content-Type: text/plain\r\n\r\nrefund please\r\n"
    )
    return [bytes(html), bytes(big), bytes(nested), bad_charset, no_message_id, broken]


def test_malformed_and_odd_mail_each_gets_a_row(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    odd = _odd_messages()
    append(dovecot, imap_folder, odd)
    cfg = write_config(tmp_path, dovecot, imap_folder)
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 0, result.stderr
    db = tmp_path / "triage.db"
    assert rows(db) == len(odd)
    con = sqlite3.connect(db)
    by_subject = {r[0]: r[1:] for r in con.execute("SELECT subject, status, text FROM messages")}
    attachments = con.execute("SELECT attachments FROM messages WHERE message_id = 'big@example.com'").fetchone()[0]
    con.close()
    assert "cancel" in by_subject["HTML only"][1].lower()
    assert "<script>" not in by_subject["HTML only"][1]
    assert '"vase.jpg"' in attachments and str(10 * 1024 * 1024) in attachments


def test_oversized_message_is_recorded_as_error_not_fetched(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    big = customer_message(0, seed=7) + b"\r\n" + b"x" * 200_000
    append(dovecot, imap_folder, [big, customer_message(1, seed=7)])
    cfg = write_config(tmp_path, dovecot, imap_folder)
    text = cfg.read_text() + "[limits]\nmax_message_bytes = 100000\n"
    cfg.write_text(text)
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    db = tmp_path / "triage.db"
    assert rows(db) == 2
    assert rows(db, "SELECT count(*) FROM messages WHERE status = 'error' AND error LIKE '%max_message_bytes%'") == 1
    queue = triage_cli("--config", str(cfg), "queue")
    assert "ERROR" in queue.stdout


def test_after_triage_keyword_is_set_and_nothing_deleted(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    append(dovecot, imap_folder, [customer_message(i, seed=8) for i in range(4)])
    cfg = write_config(tmp_path, dovecot, imap_folder, after_triage_keyword="$Triaged")
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    c = dovecot.client()
    c.select_folder(imap_folder, readonly=True)
    flags = c.get_flags(c.search(["ALL"]))
    c.logout()
    assert len(flags) == 4
    assert all(b"$Triaged" in f and b"\\Seen" not in f and b"\\Deleted" not in f for f in flags.values())


def test_after_triage_move(dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli) -> None:
    append(dovecot, imap_folder, [customer_message(i, seed=9) for i in range(3)])
    target = imap_folder + "/Processed"
    cfg = write_config(tmp_path, dovecot, imap_folder, after_triage_move=target)
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    c = dovecot.client()
    assert c.folder_status(imap_folder, [b"MESSAGES"])[b"MESSAGES"] == 0
    assert c.folder_status(target, [b"MESSAGES"])[b"MESSAGES"] == 3
    c.logout()
    assert rows(tmp_path / "triage.db") == 3


def test_implicit_tls_works(dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli) -> None:
    append(dovecot, imap_folder, [customer_message(0, seed=10)])
    cfg = write_config(tmp_path, dovecot, imap_folder, tls="implicit", port=dovecot.tls_port)
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 0, result.stderr
    assert rows(tmp_path / "triage.db") == 1


def test_untrusted_certificate_is_refused_by_default(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder, tls="implicit", port=dovecot.tls_port, ca_file="")
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 1
    assert "not trusted" in result.stderr and "Traceback" not in result.stderr


# A refused login leaves its socket open until the process exits (sources.imap.login does not close the
# client it gave up on), so the refused-login runs here are real processes: in this one the socket would
# outlive the test and fail it with a ResourceWarning.


def test_wrong_password_is_one_clear_line_without_the_secret(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder, password_env="TRIAGE_WRONG_PW")
    monkeypatch.setenv("TRIAGE_WRONG_PW", "not-the-password-xyz")
    result = run_triage("--config", str(cfg), "once")
    assert result.returncode == 1
    assert "refused the login" in result.stderr
    assert "not-the-password-xyz" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("mechanism", ["xoauth2", "oauthbearer"])
def test_oauth_login_with_token_from_environment(
    dovecot: Dovecot,
    imap_folder: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mechanism: str,
    triage_cli: TriageCli,
) -> None:
    from tests.support.dovecot import OAUTH_TOKEN

    append(dovecot, imap_folder, [customer_message(0, seed=11)])
    cfg = write_config(tmp_path, dovecot, imap_folder, auth=mechanism, token_env="TRIAGE_TEST_TOKEN", password_env="")
    monkeypatch.setenv("TRIAGE_TEST_TOKEN", OAUTH_TOKEN)
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 0, result.stderr
    assert rows(tmp_path / "triage.db") == 1


def test_oauth_token_command_and_bad_token(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    from tests.support.dovecot import OAUTH_TOKEN

    good = write_config(tmp_path, dovecot, imap_folder, auth="xoauth2", token_command=f"echo {OAUTH_TOKEN}")
    assert triage_cli("--config", str(good), "once").returncode == 0
    bad = write_config(tmp_path, dovecot, imap_folder, auth="xoauth2", token_command="echo wrong-token")
    result = run_triage("--config", str(bad), "once")  # a process: see the refused-login note above
    assert result.returncode == 1 and "refused the login" in result.stderr


def test_polling_without_idle(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder, idle=False, poll_seconds=1)
    db = tmp_path / "triage.db"
    proc = spawn_triage("--config", str(cfg), "run")
    try:
        wait_for(lambda: rows(db, "SELECT count(last_poll_at) FROM mailbox_state") == 1, timeout=60)
        append(dovecot, imap_folder, [customer_message(i, seed=12) for i in range(2)])
        wait_for(lambda: rows(db) == 2, timeout=10)
    finally:
        err = stop(proc)
    assert "IDLE off" in err


def _drafts(dovecot: Dovecot) -> dict[int, dict]:
    c = dovecot.client()
    c.select_folder("Drafts", readonly=True)
    uids = c.search(["ALL"])
    data = c.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER]"]) if uids else {}
    c.logout()
    return data


def test_drafts_land_in_drafts_folder_once_and_follow_up_replaces(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli
) -> None:
    import email

    before = set(_drafts(dovecot))
    first = customer_message(0, seed=13)
    append(dovecot, imap_folder, [first])
    cfg = write_config(tmp_path, dovecot, imap_folder)
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    assert triage_cli("--config", str(cfg), "once").returncode == 0  # a re-run adds no second draft
    new = {u: d for u, d in _drafts(dovecot).items() if u not in before}
    assert len(new) == 1
    (data,) = new.values()
    assert b"\\Draft" in data[b"FLAGS"] and b"\\Seen" in data[b"FLAGS"]  # as mail clients store drafts (issue 15)
    headers = email.message_from_bytes(data[b"BODY[HEADER]"])
    original = email.message_from_bytes(first)
    assert headers["In-Reply-To"] == original["Message-ID"]
    assert original["Message-ID"] in headers["References"]
    assert headers["Subject"].startswith("Re: ")
    assert headers["To"] == original["From"].split("<")[1].rstrip(">")
    assert "support@example.com" in headers["From"]

    follow = EmailMessage()
    follow["From"] = original["From"]
    follow["To"] = "support@example.com"
    follow["Subject"] = "Re: " + original["Subject"]
    follow["Message-ID"] = "<follow-up-13@example.com>"
    follow["In-Reply-To"] = original["Message-ID"]
    follow["References"] = original["Message-ID"]
    follow.set_content("Did you get my email? Please answer.")
    append(dovecot, imap_folder, [bytes(follow)])
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    after = {u: d for u, d in _drafts(dovecot).items() if u not in before}
    assert len(after) == 1, "the follow-up's draft replaces the first one"
    (data,) = after.values()
    assert "follow-up-13@example.com" in email.message_from_bytes(data[b"BODY[HEADER]"])["In-Reply-To"]
    db = tmp_path / "triage.db"
    assert rows(db, "SELECT count(*) FROM drafts") == 1
    assert rows(db, "SELECT count(*) FROM drafts WHERE synced_at IS NULL") == 0


def test_idle_catches_mail_that_arrives_while_triaging(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    """Mail announced before IDLE's continuation (or during a FETCH) must wake the daemon, not wait a poll."""
    from triage.config import config_from_dict
    from triage.sources.imap import ImapMailbox
    from triage.store import Store

    cfg = config_from_dict(
        {
            "imap": {
                "host": dovecot.host,
                "port": dovecot.port,
                "tls": "starttls",
                "ca_file": dovecot.cafile,
                "username": "test",
                "password_env": "TRIAGE_TEST_IMAP_PASSWORD",
                "folder": imap_folder,
            }
        }
    )
    import os

    os.environ.setdefault("TRIAGE_TEST_IMAP_PASSWORD", "secret-Passw0rd")
    box = ImapMailbox(cfg.imap)
    store = Store(tmp_path / "s.db")
    try:
        for i in range(5):
            list(box.fetch_new(store.checkpoint(box.name), set()))  # "triage" what is there
            append(dovecot, imap_folder, [customer_message(i, seed=14)])  # arrives while not idling
            time.sleep(0.1)
            start = time.monotonic()
            box.wait(5.0)
            assert time.monotonic() - start < 2.0, "a message that arrived before IDLE was not noticed"
            new = [m for batch in box.fetch_new(None, set()) for m in batch]
            assert len(new) == i + 1
    finally:
        box.close()
