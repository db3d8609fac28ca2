"""IMAP source over imapclient: UID-based fetch with BODY.PEEK[], IDLE where advertised, never deletes.

Messages are found by UID above the committed checkpoint, never by \\Seen, so a
person reading the inbox in a mail client cannot hide mail from triage, and
BODY.PEEK[] leaves messages unread for them.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import imapclient
from imapclient.exceptions import IMAPClientError
from imapclient.exceptions import LoginError as ImapLoginError

from triage.config import ImapConfig
from triage.errors import LoginError, MailboxError
from triage.records import Checkpoint, RawMessage
from triage.sources import imap_name, server_name
from triage.sources.fetch_response import BODY_ITEMS, META_ITEMS, Fetched, read_any, read_bodies
from triage.sources.tls import client_context

log = logging.getLogger("triage.imap")
# How long LOGOUT may wait when a connection closes (see ImapMailbox.close).
LOGOUT_SECONDS = 3.0

# Network failures that mean "reconnect and try again", as opposed to a protocol answer.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    IMAPClientError,
    OSError,
    socket.timeout,
    ssl.SSLError,
    EOFError,
)


def login(cfg: ImapConfig) -> imapclient.IMAPClient:
    """Connect (implicit TLS or STARTTLS, verified by default) and log in; errors say what to fix.

    Messages name the server without any userinfo, and the secret only by where it comes from.
    """
    ctx = client_context(cfg.verify_tls, cfg.ca_file)
    secret = cfg.secret()
    server = server_name(cfg.host, cfg.port)
    try:
        return _connect(cfg, ctx, secret)
    except ImapLoginError as exc:
        # The variable's name, never its value: secret() has just read it, so it is a variable that exists.
        source = f"${cfg.password_env}" if cfg.auth == "password" else f"${cfg.token_env}" if cfg.token_env else ""
        raise LoginError(
            f"{server} refused the login for {cfg.username!r} ({cfg.auth}): "
            f"check [imap] username and the secret in {source or 'token_command'}"
        ) from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailboxError(
            f"TLS certificate of {server} not trusted ({exc.verify_message}): "
            "set [imap] ca_file to the server's CA, or verify_tls = false for a local test server only"
        ) from exc
    except NETWORK_ERRORS as exc:
        raise MailboxError(f"cannot connect to {server}: {exc}") from exc


def _connect(cfg: ImapConfig, ctx: ssl.SSLContext, secret: str) -> imapclient.IMAPClient:
    """A logged-in client; on any failure the connection is closed, so a daemon retrying a refused
    login every few seconds does not leak a socket per attempt."""
    client = imapclient.IMAPClient(
        cfg.host,
        port=cfg.port,
        ssl=cfg.tls == "implicit",
        ssl_context=ctx if cfg.tls == "implicit" else None,
        timeout=cfg.timeout_seconds,
    )
    try:
        # imapclient sets imaplib's debug level to 5, so imaplib formats every line and every literal
        # (whole messages, before redaction) for a logger we hold at WARNING: about 70% of a FETCH loop's
        # CPU spent on text nobody may read. Off, unless someone turns imapclient's logger on by hand.
        if not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
            client._imap.debug = 0
        if cfg.tls == "starttls":
            client.starttls(ctx)
        if cfg.auth == "password":
            client.login(cfg.username, secret)
        elif cfg.auth == "xoauth2":
            client.oauth2_login(cfg.username, secret)
        else:
            client.oauthbearer_login(cfg.username, secret)
    except BaseException:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise
    return client


def _news(stash: dict[str, Any]) -> bool:
    return any(key in stash for key in ("EXISTS", "RECENT"))


class ImapMailbox:
    """One IMAP folder. Network errors surface as MailboxError; the daemon reconnects with backoff."""

    def __init__(self, cfg: ImapConfig, max_message_bytes: int = 25 * 1024 * 1024) -> None:
        self.cfg = cfg
        self.max_message_bytes = max_message_bytes
        self.name = imap_name(cfg)  # == sources.mailbox_name
        self._client: imapclient.IMAPClient | None = None
        self._uidvalidity = 0
        self._can_idle = False
        self._move_folder_ready = False
        self.pending: int | None = None
        # The next batch may be fetched while this one is triaged, unless the connection is needed in between.
        self.prefetch = not (cfg.after_triage_keyword or cfg.after_triage_move)
        self.connect()

    # -- connection -------------------------------------------------------------

    def connect(self) -> None:
        cfg = self.cfg
        client = login(cfg)
        try:
            caps = client.capabilities()
            self._can_idle = cfg.idle and b"IDLE" in caps
            writable = bool(cfg.after_triage_keyword or cfg.after_triage_move)
            info = client.select_folder(cfg.folder, readonly=not writable)
        except NETWORK_ERRORS as exc:
            where = server_name(cfg.host, cfg.port)
            raise MailboxError(f"cannot open folder {cfg.folder!r} on {where}: {exc}") from exc
        self._uidvalidity = int(info[b"UIDVALIDITY"])
        client.normalise_times = False  # keep INTERNALDATE's zone: aware datetimes, comparable with Date headers
        self._client = client
        log.info("connected to %s (IDLE %s)", self.name, "on" if self._can_idle else "off")

    @property
    def client(self) -> imapclient.IMAPClient:
        if self._client is None:
            self.connect()
        assert self._client is not None
        return self._client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                # A stop signal may have cut a command off mid-response, and LOGOUT would then wait the whole
                # socket timeout for a reply that never comes: the goodbye is a courtesy, so it gets a few seconds.
                client.socket().settimeout(LOGOUT_SECONDS)
                client.logout()
            except Exception:  # the connection may already be gone; closing must not fail
                with contextlib.suppress(Exception):
                    client.shutdown()

    def uidvalidity(self) -> int:
        return self._uidvalidity

    @property
    def can_idle(self) -> bool:
        return self._can_idle

    # -- fetching ---------------------------------------------------------------

    def fetch_new(self, checkpoint: Checkpoint | None, known: set[str]) -> Iterator[list[RawMessage]]:
        client = self.client
        last = checkpoint.last_uid if checkpoint and checkpoint.uidvalidity == self._uidvalidity else 0
        try:
            client.noop()  # lets the server tell us about new mail on a long-lived selected folder
            client._imap.untagged_responses.clear()  # what was announced so far, this search will find
            span = ["UID", f"{last + 1}:*"]
            uids = sorted(u for u in client.search(span) if u > last and str(u) not in known)
            # One cheap SEARCH finds the oversized ones, so the batches need no separate size FETCH.
            big = set(client.search([*span, "LARGER", str(self.max_message_bytes)])) if uids else set()
        except NETWORK_ERRORS as exc:
            raise MailboxError(f"search failed on {self.name}: {exc}") from exc
        self.pending = len(uids)  # for the progress bar of a long backfill
        step = self.cfg.batch_size
        for i in range(0, len(uids), step):
            chunk = uids[i : i + step]
            try:
                yield self._fetch_batch(chunk, big)
            except NETWORK_ERRORS as exc:
                raise MailboxError(f"fetch failed on {self.name}: {exc}") from exc

    def fetch_one(self, uid: str) -> RawMessage | None:
        """The message at `uid` under the current UIDVALIDITY, fetched again (for `retriage`); None when gone."""
        try:
            number = int(uid)
            big = set(self.client.search(["UID", str(number), "LARGER", str(self.max_message_bytes)]))
            (raw,) = self._fetch_batch([number], big)
        except NETWORK_ERRORS as exc:
            raise MailboxError(f"fetch failed on {self.name}: {exc}") from exc
        except ValueError:
            return None
        return None if raw.error == "message vanished before it could be fetched" else raw

    def _fetch_batch(self, uids: list[int], big: set[int]) -> list[RawMessage]:
        small = [u for u in uids if u not in big]
        large = [u for u in uids if u in big]
        found: dict[int, Fetched] = {}
        if small:
            found.update(self._fetch(small, BODY_ITEMS))
        if large:
            found.update(self._fetch(large, META_ITEMS))
        out: list[RawMessage] = []
        for uid in uids:
            got = found.get(uid)
            if got is not None and got.body is not None:
                out.append(RawMessage(self.name, self._uidvalidity, str(uid), got.body, got.internaldate, got.size))
                continue
            size = got.size if got else 0
            error = (
                f"message is {size} bytes, over [limits] max_message_bytes"
                if uid in big
                else "message vanished before it could be fetched"
            )
            internal = got.internaldate if got else None
            out.append(RawMessage(self.name, self._uidvalidity, str(uid), b"", internal, size, error))
        return out

    def _fetch(self, uids: list[int], items: str) -> dict[int, Fetched]:
        """One UID FETCH, sent the way imapclient sends it; the answer goes to the fast reader first
        (see fetch_response), to imapclient's parser when it is not the usual shape."""
        imap = self.client._imap
        tag = imap._command("UID", "FETCH", ",".join(map(str, uids)), items)
        typ, data = imap._command_complete("FETCH", tag)
        if typ != "OK":
            raise IMAPClientError(f"FETCH failed: {data!r}")
        _, data = imap._untagged_response(typ, data, "FETCH")
        fast = read_bodies(data) if items == BODY_ITEMS else None
        return fast if fast is not None else read_any(data)

    # -- after triage -----------------------------------------------------------

    def after_triage(self, messages: list[RawMessage]) -> None:
        uids = [int(m.uid) for m in messages if m.uidvalidity == self._uidvalidity]
        if not uids:
            return
        client = self.client
        try:
            if self.cfg.after_triage_keyword:
                client.add_flags(uids, [self.cfg.after_triage_keyword.encode()], silent=True)
            if self.cfg.after_triage_move:
                if not self._move_folder_ready:
                    if not client.folder_exists(self.cfg.after_triage_move):
                        client.create_folder(self.cfg.after_triage_move)
                    self._move_folder_ready = True
                if b"MOVE" in client.capabilities():
                    client.move(uids, self.cfg.after_triage_move)
                else:  # COPY then flag \Deleted without EXPUNGE would be a delete in disguise: copy only
                    client.copy(uids, self.cfg.after_triage_move)
        except NETWORK_ERRORS as exc:
            # The triage is already committed; a missed keyword is cosmetic and retried never.
            log.warning("after-triage action failed on %s: %s", self.name, exc)

    # -- waiting ----------------------------------------------------------------

    def wait(self, timeout: float) -> None:
        """IDLE until the server reports something or `timeout` (capped below the 29-minute limit) passes."""
        import time

        if not self._can_idle:
            time.sleep(max(0.0, timeout))
            return
        client = self.client
        timeout = max(0.1, min(timeout, float(self.cfg.idle_renew_seconds)))
        # Mail that arrived while we were triaging is not announced when IDLE starts (Dovecot notices new
        # files through inotify only once IDLE watches), and imaplib files untagged responses where
        # idle_check() never looks. So: a NOOP first, and look in imaplib's stash before and after
        # entering IDLE; fetch_new() empties the stash right before it searches.
        stash = client._imap.untagged_responses
        try:
            client.noop()
            if _news(stash):
                return
            client.idle()
            try:
                if not _news(stash):
                    client.idle_check(timeout=timeout)
            finally:
                client.idle_done()
        except NETWORK_ERRORS as exc:
            raise MailboxError(f"IDLE failed on {self.name}: {exc}") from exc
