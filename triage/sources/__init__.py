"""The seam at the network: every mail source hands over RawMessages through one small interface."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from triage.config import Config, ImapConfig
from triage.errors import ConfigError
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
        return imap_name(cfg.imap)
    return f"{cfg.source.kind}:{cfg.resolve(cfg.source.path).resolve()}"


def imap_name(cfg: ImapConfig) -> str:
    """`imap://USERNAME@HOST:PORT/FOLDER`: the account, never a credential.

    The name is logged on every reconnect, stored with the heartbeat and shown above the queue, so a
    host written as "user:password@server" (refused by the config check) loses everything up to its
    last "@" here too. The username stays: it tells two accounts on one server apart.
    """
    return f"imap://{cfg.username}@{server_name(cfg.host, cfg.port)}/{cfg.folder}"


def server_name(host: str, port: int) -> str:
    """`HOST:PORT` as messages and logs may show it: no userinfo, whatever the host was written as."""
    return f"{host.rpartition('@')[2]}:{port}"


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
