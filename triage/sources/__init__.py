"""The seam at the network: every mail source hands over RawMessages through one small interface."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from triage.config import Config
from triage.records import Checkpoint, RawMessage


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

    def after_triage(self, messages: list[RawMessage]) -> None:
        """Optional follow-up on the server (keyword or move); never deletes."""
        ...

    def wait(self, timeout: float) -> None:
        """Block until new mail may have arrived or `timeout` seconds passed (IDLE where possible)."""
        ...

    def close(self) -> None: ...


def mailbox_name(cfg: Config) -> str:
    """The name the store keys this mailbox by (known before connecting, for the heartbeat)."""
    if cfg.source.kind == "imap":
        i = cfg.imap
        return f"imap://{i.username}@{i.host}:{i.port}/{i.folder}"
    return f"{cfg.source.kind}:{cfg.resolve(cfg.source.path).resolve()}"


def open_mailbox(cfg: Config) -> Mailbox:
    """Build the configured source."""
    if cfg.source.kind == "imap":
        from triage.sources.imap import ImapMailbox

        return ImapMailbox(cfg.imap, max_message_bytes=cfg.limits.max_message_bytes)
    from triage.sources.local import LocalMailbox

    return LocalMailbox(cfg.source.kind, cfg.resolve(cfg.source.path), max_message_bytes=cfg.limits.max_message_bytes)
