"""Local mail sources: a Maildir, an mbox file, or a folder of .eml files (the demo inbox uses these)."""

from __future__ import annotations

import hashlib
import mailbox
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from triage.errors import MailboxError
from triage.records import Checkpoint, RawMessage


class LocalMailbox:
    """Reads files without changing them; keys are stable file keys so re-runs add nothing."""

    def __init__(self, kind: str, path: Path, max_message_bytes: int = 25 * 1024 * 1024, batch_size: int = 200):
        self.kind = kind
        self.path = path
        self.max_message_bytes = max_message_bytes
        self.batch_size = batch_size
        self.pending: int | None = None
        self.name = f"{kind}:{path.resolve()}"  # == sources.mailbox_name
        if kind == "maildir":
            if not (path / "cur").is_dir() and not (path / "new").is_dir():
                raise MailboxError(f"{path} is not a Maildir (no cur/ or new/): fix [source] path")
        elif kind == "mbox":
            if not path.is_file():
                raise MailboxError(f"{path} is not an mbox file: fix [source] path")
        elif kind == "eml_dir":
            if not path.is_dir():
                raise MailboxError(f"{path} is not a folder of .eml files: fix [source] path")
        else:
            raise MailboxError(f"unknown local source kind {kind!r}")

    def uidvalidity(self) -> int:
        return 0

    def _entries(self) -> Iterator[tuple[str, Callable[[], bytes], float]]:
        """(key, reader, mtime) per message; bytes are read only for messages not yet stored."""
        if self.kind == "maildir":
            files: list[tuple[float, str, Path]] = []
            for sub in ("new", "cur"):
                folder = self.path / sub
                if folder.is_dir():
                    for f in folder.iterdir():
                        if f.name.startswith(".") or f.is_dir():
                            continue
                        # The Maildir key is the name before the ":2,FLAGS" info, stable when flags change.
                        # A file that cannot even be stat'ed (a dangling link, an I/O error) is still listed:
                        # reading it fails, and that becomes an error row naming the file.
                        files.append((maildir_arrival(f.name, _mtime(f)), f.name.split(":", 1)[0], f))
            for mtime, key, f in sorted(files):
                yield key, partial(self._read, f), mtime
        elif self.kind == "eml_dir":
            for f in sorted(self.path.iterdir()):
                if f.suffix.lower() == ".eml" and not f.is_dir():
                    yield f.name, partial(self._read, f), _mtime(f)
        else:
            box = mailbox.mbox(str(self.path), create=False)
            try:
                for key in box.iterkeys():
                    data = box.get_bytes(key)
                    arrived = from_line_time(box.get_message(key).get_from()) or self.path.stat().st_mtime
                    # mbox keys shift when earlier messages are removed: key by content instead.
                    yield hashlib.sha256(data).hexdigest()[:32], partial(bytes, data), arrived
            finally:
                box.close()

    def _read(self, f: Path) -> bytes:
        size = f.stat().st_size
        if size > self.max_message_bytes:
            return b""
        return f.read_bytes()

    def count(self) -> int:
        """How many messages the source holds, without reading them (for `triage check`)."""
        try:
            return sum(1 for _ in self._entries())
        except OSError as exc:
            raise MailboxError(f"cannot read {self.path}: {exc}") from exc

    def fetch_new(self, checkpoint: Checkpoint | None, known: set[str]) -> Iterator[list[RawMessage]]:
        batch: list[RawMessage] = []
        try:
            entries = [e for e in self._entries() if e[0] not in known]
            self.pending = len(entries)  # for the progress bar of a long backfill
            for key, reader, mtime in entries:
                batch.append(self._raw(key, reader, mtime))
                if len(batch) >= self.batch_size:
                    yield batch
                    batch = []
        except OSError as exc:
            raise MailboxError(f"cannot read {self.path}: {exc}") from exc
        if batch:
            yield batch

    def fetch_one(self, uid: str) -> RawMessage | None:
        """The message stored under key `uid`, read again (for `retriage`); None when it is gone."""
        try:
            for key, reader, mtime in self._entries():
                if key == uid:
                    return self._raw(key, reader, mtime)
        except OSError as exc:
            raise MailboxError(f"cannot read {self.path}: {exc}") from exc
        return None

    def _raw(self, key: str, reader: Callable[[], bytes], mtime: float) -> RawMessage:
        try:
            data = reader()
            error = None if data else "message is empty or larger than [limits] max_message_bytes"
        except OSError as exc:
            # One unreadable file (permissions, an I/O error) is this message's problem, not the run's:
            # it gets an error row naming the file, and the rest of the run goes on.
            data, error = b"", f"cannot read {exc.filename or key}: {exc.strerror or exc}"
        return RawMessage(
            mailbox=self.name,
            uidvalidity=0,
            uid=key,
            data=data,
            internaldate=datetime.fromtimestamp(mtime, UTC),
            size=len(data),
            error=error,
        )

    def after_triage(self, messages: list[RawMessage]) -> None:
        return None

    def wait(self, timeout: float) -> None:
        time.sleep(timeout)

    def close(self) -> None:
        return None


def maildir_arrival(name: str, mtime: float) -> float:
    """When a Maildir message arrived: the delivery time its file name starts with ("1794862095.M1P2.host"),
    which survives copies and checkouts that reset the mtime; else the file's mtime."""
    head = name.split(".", 1)[0]
    # From 2000 on, and never after the file itself (unless it cannot be stat'ed: mtime 0).
    if head.isdigit() and int(head) >= 946_684_800 and (mtime <= 0 or int(head) <= mtime + 86_400):
        return float(head)
    return mtime


def from_line_time(from_line: str | None) -> float | None:
    """The delivery time on an mbox From_ line ("sender Tue Nov 17 10:00:00 2026", UTC by convention)."""
    parts = (from_line or "").split()
    if len(parts) < 6:
        return None
    try:
        when = datetime.strptime(" ".join(parts[-5:]), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return when.replace(tzinfo=UTC).timestamp()


def _mtime(f: Path) -> float:
    """The file's modification time, or 0 when it cannot be stat'ed (its read will say why)."""
    try:
        return f.stat().st_mtime
    except OSError:
        return 0.0
