"""`triage backup FILE`: a consistent copy of the real store while another process keeps writing to it,
refusing to replace an existing file without --force, and the README's restore steps."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import invoke_triage
from tests.test_summary import build_fixed_store
from triage.errors import UsageError
from triage.store import Store
from triage.store.backup import backup_store

PAYLOAD = "x" * 2000


def _writer(path: str, started: multiprocessing.synchronize.Event, stop: multiprocessing.synchronize.Event) -> None:
    """A daemon stand-in: the real Store, one transaction after another, each writing a pair of rows."""
    store = Store(path)
    i = 0
    while not stop.is_set():
        with store.transaction():
            store.set_meta(f"pair:{i}:a", PAYLOAD)
            store.set_meta(f"pair:{i}:b", PAYLOAD)
        store.heartbeat("maildir:test")
        i += 1
        if i == 50:
            started.set()
    store.close()


def _pairs(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        a = conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'pair:%:a'").fetchone()[0]
        b = conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'pair:%:b'").fetchone()[0]
        return int(a), int(b)
    finally:
        conn.close()


def test_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    source = tmp_path / "triage.db"
    store = Store(source)
    build_fixed_store(store)
    messages = store.count_messages()
    store.close()
    ctx = multiprocessing.get_context("spawn")
    started, stop = ctx.Event(), ctx.Event()
    writer = ctx.Process(target=_writer, args=(str(source), started, stop))
    writer.start()
    try:
        assert started.wait(60), "the writer never got going"
        copies = [backup_store(source, tmp_path / f"copy{n}.db") for n in range(5)]
        before_stop = _pairs(source)[0]
    finally:
        stop.set()
        writer.join(60)
    assert writer.exitcode == 0
    seen = []
    for done in copies:
        conn = sqlite3.connect(done.path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal needed
        finally:
            conn.close()
        a, b = _pairs(done.path)
        assert a == b, "a transaction is half in the copy"
        assert done.messages == messages
        seen.append(a)
    # The writer really was writing while the copies were taken: they saw different moments.
    assert seen == sorted(seen) and seen[0] >= 50 and len(set(seen)) > 1 and before_stop >= seen[-1]
    # The copy is a working store: triage opens it and reads the same messages.
    restored = Store(copies[-1].path)
    assert restored.count_messages() == messages
    restored.close()
    assert not list(tmp_path.glob(".*.tmp"))


def test_backup_refuses_to_replace_a_file_unless_forced(tmp_path: Path) -> None:
    source = tmp_path / "triage.db"
    Store(source).close()
    target = tmp_path / "backup.db"
    target.write_text("keep me")
    with pytest.raises(UsageError, match=r"already exists.*--force"):
        backup_store(source, target)
    assert target.read_text() == "keep me"
    with pytest.raises(UsageError, match="the store itself"):
        backup_store(source, source, force=True)
    assert backup_store(source, target, force=True).messages == 0
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_command(tmp_path: Path) -> None:
    store = Store(tmp_path / "triage.db")
    build_fixed_store(store)
    store.close()
    config = tmp_path / "inbox.toml"
    config.write_text('[shop]\nname = "S"\nsupport_address = "s@example.com"\n[store]\npath = "triage.db"\n')
    target = tmp_path / "out.db"
    first = invoke_triage("--config", str(config), "backup", str(target))
    assert first.returncode == 0, first.stderr
    assert "integrity check ok" in first.stdout and str(target) in first.stdout
    again = invoke_triage("--config", str(config), "backup", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    forced = invoke_triage("--config", str(config), "backup", "--force", str(target))
    assert forced.returncode == 0, forced.stderr
    missing = tmp_path / "none" / "inbox.toml"
    missing.parent.mkdir()
    missing.write_text(config.read_text())
    gone = invoke_triage("--config", str(missing), "backup", str(tmp_path / "x.db"))
    assert gone.returncode == 1 and "no store at" in gone.stderr


def test_readme_documents_restore() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Backup and restore") :]
    section = section[: section.index("\n## ", 5)]
    for step in ("triage backup", "systemctl stop", "cp ", "systemctl start", "--force"):
        assert step in section, f"README's Backup and restore section lacks {step!r}"
