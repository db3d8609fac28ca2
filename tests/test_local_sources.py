"""Maildir, mbox and .eml folders go through the same pipeline, and re-runs add nothing."""

from __future__ import annotations

import mailbox
import sqlite3
from pathlib import Path

import pytest

from tests.support import MODEL
from tests.support.cli import TriageCli
from tests.support.mailgen import customer_message
from triage.sources.local import LocalMailbox


def make_source(kind: str, where: Path, messages: list[bytes]) -> Path:
    if kind == "maildir":
        box = mailbox.Maildir(str(where / "md"), create=True)
        for m in messages:
            box.add(m)
        return where / "md"
    if kind == "mbox":
        mb = mailbox.mbox(str(where / "box.mbox"), create=True)
        for m in messages:
            mb.add(m)
        mb.flush()
        mb.close()
        return where / "box.mbox"
    folder = where / "emls"
    folder.mkdir()
    for i, m in enumerate(messages):
        (folder / f"{i:03d}.eml").write_bytes(m)
    return folder


def config_for(tmp: Path, kind: str, path: Path) -> Path:
    cfg = tmp / "inbox.toml"
    cfg.write_text(
        f'[shop]\nsupport_address = "support@example.com"\n[source]\nkind = "{kind}"\npath = "{path}"\n'
        f'[store]\npath = "{tmp / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    return cfg


@pytest.mark.parametrize("kind", ["maildir", "mbox", "eml_dir"])
def test_local_source_ingests_once(tmp_path: Path, kind: str, triage_cli: TriageCli) -> None:
    messages = [customer_message(i, seed=20) for i in range(12)]
    path = make_source(kind, tmp_path, messages)
    cfg = config_for(tmp_path, kind, path)
    for _ in range(2):
        result = triage_cli("--config", str(cfg), "once")
        assert result.returncode == 0, result.stderr
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*), count(DISTINCT message_id) FROM messages").fetchone() == (12, 12)


def test_maildir_flag_change_does_not_duplicate(tmp_path: Path) -> None:
    path = make_source("maildir", tmp_path, [customer_message(i, seed=21) for i in range(3)])
    source = LocalMailbox("maildir", path)
    keys_before = {m.uid for batch in source.fetch_new(None, set()) for m in batch}
    for f in (path / "new").iterdir():  # a mail client reads them: new/ -> cur/ with :2,S
        f.rename(path / "cur" / (f.name + ":2,S"))
    keys_after = {m.uid for batch in source.fetch_new(None, set()) for m in batch}
    assert keys_before == keys_after and len(keys_after) == 3


def test_missing_source_is_a_clear_error(tmp_path: Path, triage_cli: TriageCli) -> None:
    cfg = config_for(tmp_path, "maildir", tmp_path / "nowhere")
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 2  # a configuration error: the path the config names is not there
    assert "[source] path:" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "nowhere").mkdir()  # there, but not a Maildir: this mailbox's run fails (exit 1)
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 1
    assert "is not a Maildir" in result.stderr and "Traceback" not in result.stderr


def test_arrival_comes_from_the_maildir_name_and_the_mbox_from_line(tmp_path: Path) -> None:
    """Ages use arrival: the delivery time in a Maildir file's name (a checkout or copy resets the mtime) and
    the mbox From_ line; the Date header is never it."""
    from datetime import UTC, datetime

    from triage.sources.local import from_line_time, maildir_arrival

    assert maildir_arrival("1794862095.M1P101.demo:2,S", 1_900_000_000.0) == 1794862095.0
    assert maildir_arrival("not-a-time.M1", 1_800_000_000.0) == 1_800_000_000.0
    assert maildir_arrival("4102444800.M1.x", 1_800_000_000.0) == 1_800_000_000.0  # never in the future
    assert from_line_time("MAILER-DAEMON Fri Nov 20 08:00:00 2026") == datetime(2026, 11, 20, 8, tzinfo=UTC).timestamp()
    assert from_line_time("garbage") is None

    mb = mailbox.mbox(str(tmp_path / "box.mbox"), create=True)
    msg = mailbox.mboxMessage(customer_message(1, seed=22))
    msg.set_from("someone@example.com", (2026, 11, 19, 7, 30, 0, 3, 323, 0))
    mb.add(msg)
    mb.flush()
    mb.close()
    source = LocalMailbox("mbox", tmp_path / "box.mbox")
    (batch,) = list(source.fetch_new(None, set()))
    assert batch[0].internaldate == datetime(2026, 11, 19, 7, 30, tzinfo=UTC)
