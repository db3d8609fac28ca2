"""`triage backup FILE`: a consistent copy of the store while the daemon keeps writing (SQLite's online backup API).

The copy is taken in one step of `sqlite3.Connection.backup` on a connection of
its own: that step reads one snapshot of the WAL-mode database (writers go on
meanwhile, into the WAL), so the copy is a state the store really was in, never
half a transaction. It is written beside the target under a temporary name,
checked with `PRAGMA integrity_check`, switched to a single-file journal mode
and only then renamed into place: a crash leaves no half-written backup under
the real name. Restore is a file copy with the daemon stopped (README "Backup
and restore").
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from triage.errors import StoreError, UsageError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    messages: int


def backup_store(source: Path, target: Path, force: bool = False) -> BackupResult:
    """Copy the store at `source` to `target`; refuses to replace an existing file unless `force`."""
    if not source.is_file():
        raise StoreError(f"no store at {source} (check [store] path; nothing was triaged yet?)")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists: choose a new name, or pass --force to replace it")
    if target.resolve() == source.resolve():
        raise UsageError(f"{target} is the store itself: back it up to another file")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} is not a folder: create it first")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.execute("PRAGMA busy_timeout = 30000")
                src.backup(dst, pages=-1)  # one step: one snapshot, however busy the writers are
                dst.execute("PRAGMA journal_mode = DELETE")  # the backup is one self-contained file
                problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
                if problems != ["ok"]:
                    raise StoreError(f"the copy of {source} fails its integrity check: {'; '.join(problems[:3])}")
                messages = int(dst.execute("SELECT count(*) FROM messages").fetchone()[0])
            finally:
                dst.close()
        finally:
            src.close()
        tmp.replace(target)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot back up {source} to {target}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, messages)
