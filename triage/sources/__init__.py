"""The seam at the network: every mail source hands over RawMessages through one small interface."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from triage.config import Config, imap_name, mailbox_name, server_name
from triage.errors import ConfigError
from triage.records import Checkpoint, RawMessage

__all__ = ["Mailbox", "imap_name", "mailbox_name", "open_mailbox", "server_name"]


class Mailbox(Protocol):
    """A place mail comes from. Implementations: IMAP (sources.imap) and local files (sources.local)."""

    name: str

    def uidvalidity(self) -> int:
        """The current UIDVALIDITY (0 for local sources, which key messages by file)."""
        ...

    def fetch_new(self, checkpoint: Checkpoint | None, known: set[str]) -> Iterator[list[RawMessage]]:
        """Yield batches of messages not yet triaged, oldest first.

        `checkpoint` is the last committed position for this mailbox; `known`
        holds the UIDs/keys already stored under the current UIDVALIDITY.
        """
        ...

    def fetch_one(self, uid: str) -> RawMessage | None:
        """The message at `uid` (current UIDVALIDITY, or a local key) read again; None when it is gone."""
        ...

    def after_triage(self, messages: list[RawMessage]) -> None:
        """Optional follow-up on the server (keyword or move); never deletes."""
        ...

    def wait(self, timeout: float) -> None:
        """Block until new mail may have arrived or `timeout` seconds passed (IDLE where possible)."""
        ...

    def close(self) -> None: ...


def open_mailbox(cfg: Config) -> Mailbox:
    """Build the configured source."""
    if cfg.source.kind == "imap":
        from triage.sources.imap import ImapMailbox

        return ImapMailbox(cfg.imap, max_message_bytes=cfg.limits.max_message_bytes)
    from triage.sources.local import LocalMailbox

    if not cfg.source.path:
        raise ConfigError(
            f"{cfg.file} [source] path: not set; name the Maildir, mbox file or folder of .eml files to read"
            ' (or set kind = "imap")'
        )
    return LocalMailbox(cfg.source.kind, cfg.resolve(cfg.source.path), max_message_bytes=cfg.limits.max_message_bytes)
