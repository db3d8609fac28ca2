"""`triage check`: a config tested against the world, one line per thing that must work, before `run`.

Each check says what it tried and, when it fails, what to change; a check whose prerequisite failed is
skipped rather than failing again with a confusing second message. Nothing here writes anywhere, and no
line ever carries a secret: the password or token is read once and masked out of every detail.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from triage.config import Config, ImapConfig, SmtpConfig, load_config
from triage.errors import TriageError
from triage.records import RawMessage
from triage.resources import SUMMARY_TEMPLATES, bundled
from triage.sources import server_name
from triage.sources.tls import client_context

OK, FAIL, SKIP, NA = "ok", "FAIL", "skip", "n/a"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
SAMPLE = (
    b"From: Jane Doe <jane@example.com>\r\nTo: support@example.com\r\nSubject: Cancel order #1001\r\n"
    b"Message-ID: <triage-check@example.com>\r\nDate: Mon, 16 Nov 2026 09:00:00 +0100\r\n\r\n"
    b"Hello, please cancel my order #1001, I ordered the wrong size. Thanks, Jane\r\n"
)


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    name: str
    status: str  # OK, FAIL, SKIP (a prerequisite failed) or NA (not configured: not a failure)
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.status in (OK, NA)


class _Mask:
    """Replaces every secret read during the checks, wherever it might surface in an error text."""

    def __init__(self) -> None:
        self.secrets: list[str] = []

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "•••")
        return text


def run_checks(config_path: Path, load_model: Callable[[Config], Any] | None = None) -> list[Check]:
    """Every check, in order. `load_model` loads the intent model (the CLI passes its own, cached)."""
    mask = _Mask()
    checks = list(_all(config_path, load_model, mask))
    return [Check(c.name, c.status, mask(c.detail)) for c in checks]


def _all(config_path: Path, load_model: Callable[[Config], Any] | None, mask: _Mask) -> Iterator[Check]:
    try:
        cfg = load_config(config_path)
    except TriageError as exc:
        yield Check("config valid", FAIL, str(exc))
        return
    yield Check("config valid", OK, str(config_path))
    for mailbox in cfg.mailboxes():  # with [[mailbox]] tables, each one's lines carry its name
        own = cfg.for_mailbox(mailbox)
        prefix = f"{mailbox.name}: " if cfg.mailbox else ""
        found = _imap(own.imap, mask) if own.source.kind == "imap" else iter([_local_source(own)])
        for check in found:
            yield Check(prefix + check.name, check.status, check.detail)
    yield from _smtp(cfg, mask)
    yield _orders(cfg)
    model = None
    try:
        cfg.require_model()
        if load_model is None:
            from triage.understand.classify import IntentModel

            model = IntentModel.load(cfg.require_model())
        else:
            model = load_model(cfg)
        yield Check("model loads", OK, f"{cfg.model_dir()} ({', '.join(model.labels)})")
    except TriageError as exc:
        yield Check("model loads", FAIL, str(exc))
    yield _templates(cfg, model)


# -- the mail source ---------------------------------------------------------------------------------------


def _local_source(cfg: Config) -> Check:
    name = f"{cfg.source.kind} readable"
    if not cfg.source.path:
        return Check(name, FAIL, f"{cfg.file} [source] path: not set")
    from triage.sources.local import LocalMailbox

    try:
        box = LocalMailbox(cfg.source.kind, cfg.resolve(cfg.source.path))
        count = box.count()
    except TriageError as exc:
        return Check(name, FAIL, str(exc))
    return Check(name, OK, f"{cfg.resolve(cfg.source.path)}: {count} message(s)")


def _imap(cfg: ImapConfig, mask: _Mask) -> Iterator[Check]:
    """Reachable → TLS verified → login → folder → IDLE → Drafts, each only when the one before passed."""
    import imapclient
    from imapclient.exceptions import IMAPClientError
    from imapclient.exceptions import LoginError as ImapLoginError

    server = server_name(cfg.host, cfg.port)
    names = ("IMAP reachable", "TLS verified", "login works", "folder exists", "IDLE offered", "Drafts folder")
    done: list[str] = []

    def rest(failed: str, reason: str) -> Iterator[Check]:
        """SKIP for every check after `failed`: they cannot run without it."""
        for name in names[names.index(failed) + 1 :]:
            yield Check(name, SKIP, reason)

    try:
        socket.create_connection((cfg.host.rpartition("@")[2], cfg.port), timeout=cfg.timeout_seconds).close()
    except OSError as exc:
        yield Check(names[0], FAIL, f"cannot connect to {server}: {exc.strerror or exc}; check [imap] host and port")
        yield from rest(names[0], "the server is not reachable")
        return
    yield Check(names[0], OK, server)
    done.append(names[0])
    try:
        secret = cfg.secret()
        mask.secrets.append(secret)
    except TriageError as exc:
        secret = None
        secret_problem = str(exc)
    ctx = client_context(cfg.verify_tls, cfg.ca_file)
    client: Any = None
    try:
        client = imapclient.IMAPClient(
            cfg.host,
            port=cfg.port,
            ssl=cfg.tls == "implicit",
            ssl_context=ctx if cfg.tls == "implicit" else None,
            timeout=cfg.timeout_seconds,
        )
        client._imap.debug = 0  # never format protocol lines (the LOGIN line holds the password)
        if cfg.tls == "starttls":
            client.starttls(ctx)
    except ssl.SSLCertVerificationError as exc:
        yield Check(
            names[1], FAIL, f"{server}: certificate not trusted ({exc.verify_message}); set [imap] ca_file to its CA"
        )
        yield from rest(names[1], "TLS failed")
        return
    except (ssl.SSLError, IMAPClientError, OSError, EOFError) as exc:
        hint = "implicit TLS is port 993, STARTTLS port 143: check [imap] tls and port"
        yield Check(names[1], FAIL, f"{server}: TLS handshake failed ({type(exc).__name__}: {exc}); {hint}")
        yield from rest(names[1], "TLS failed")
        return
    try:
        yield _tls_verdict(names[1], cfg.tls, cfg.verify_tls, cfg.host, server, "[imap]")
        done.append(names[1])
        if secret is None:
            yield Check(names[2], FAIL, secret_problem)
            yield from rest(names[2], "no secret to log in with")
            return
        try:
            if cfg.auth == "password":
                client.login(cfg.username, secret)
            elif cfg.auth == "xoauth2":
                client.oauth2_login(cfg.username, secret)
            else:
                client.oauthbearer_login(cfg.username, secret)
        except ImapLoginError:
            where = (
                f"${cfg.password_env}"
                if cfg.auth == "password"
                else f"${cfg.token_env}"
                if cfg.token_env
                else "token_command"
            )
            yield Check(
                names[2], FAIL, f"{server} refused {cfg.username!r} ({cfg.auth}): check [imap] username and {where}"
            )
            yield from rest(names[2], "not logged in")
            return
        yield Check(names[2], OK, f"{cfg.username} ({cfg.auth})")
        done.append(names[2])
        if client.folder_exists(cfg.folder):
            yield Check(names[3], OK, cfg.folder)
        else:
            yield Check(names[3], FAIL, f"no folder {cfg.folder!r} on {server}; fix [imap] folder")
        done.append(names[3])
        caps = {c.decode().upper() if isinstance(c, bytes) else str(c).upper() for c in client.capabilities()}
        if "IDLE" in caps:
            yield Check(names[4], OK, "new mail is pushed")
        elif not cfg.idle:
            yield Check(names[4], NA, f"idle = false: polling every {cfg.poll_seconds} s")
        else:
            yield Check(names[4], FAIL, "the server has no IDLE; set [imap] idle = false to poll instead")
        done.append(names[4])
        yield _drafts(client, cfg, caps)
    except (IMAPClientError, OSError, EOFError) as exc:
        yield Check(names[len(done)], FAIL, f"{server}: {type(exc).__name__}: {exc}")
        yield from rest(names[len(done)], "the connection failed")
    finally:
        with contextlib.suppress(Exception):
            client.logout()


def _drafts(client: Any, cfg: ImapConfig, caps: set[str]) -> Check:
    name = "Drafts folder"
    if cfg.drafts_folder:
        if client.folder_exists(cfg.drafts_folder):
            return Check(name, OK, f"{cfg.drafts_folder} ([imap] drafts_folder)")
        return Check(name, FAIL, f"no folder {cfg.drafts_folder!r}; fix [imap] drafts_folder")
    marked = [folder for flags, _, folder in client.list_folders() if b"\\Drafts" in flags or "\\Drafts" in flags]
    if marked and "SPECIAL-USE" in caps:
        return Check(name, OK, f"{marked[0]} (SPECIAL-USE \\Drafts)")
    from imapclient.imapclient import DRAFTS

    found = client.find_special_folder(DRAFTS)  # falls back to the usual names ("Drafts", "Entwürfe", ...)
    if found:
        return Check(name, OK, f"{found} (by name: no folder is marked \\Drafts)")
    return Check(name, FAIL, "no Drafts folder (none marked \\Drafts by SPECIAL-USE); set [imap] drafts_folder")


def _tls_verdict(name: str, tls: str, verify: bool, host: str, server: str, section: str) -> Check:
    if tls == "none":
        if host in _LOOPBACK:
            return Check(name, NA, f'{section} tls = "none" on loopback (a local test server)')
        return Check(name, FAIL, f'{section} tls = "none": the login would cross the network in clear')
    if not verify:
        return Check(name, FAIL, f"{section} verify_tls = false: anyone on the path could read the mail")
    return Check(name, OK, f"{server} ({tls})")


# -- SMTP, orders, model, templates ----------------------------------------------------------------------------


def _smtp(cfg: Config, mask: _Mask) -> Iterator[Check]:
    smtp: SmtpConfig = cfg.summary.smtp
    names = ("SMTP reachable", "SMTP TLS verified", "SMTP authenticates")
    if not cfg.summary.recipients:
        yield Check(names[0], NA, "[summary] recipients is empty: reports are only written, never mailed")
        return
    server = server_name(smtp.host, smtp.port)
    ctx = client_context(smtp.verify_tls, smtp.ca_file)
    try:
        password = smtp.secret()
        mask.secrets.append(password)
    except TriageError as exc:
        yield Check(names[0], FAIL, str(exc))
        return
    step = 0
    try:
        client: smtplib.SMTP
        if smtp.tls == "implicit":
            step = 1  # the handshake happens while connecting
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=30, context=ctx)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
        with client:
            yield Check(names[0], OK, server)
            step = 1
            client.ehlo()
            if smtp.tls == "starttls":
                if not client.has_extn("starttls"):
                    yield Check(names[1], FAIL, f'{server} offers no STARTTLS; set [summary.smtp] tls = "implicit"?')
                    yield Check(names[2], SKIP, "TLS failed")
                    return
                client.starttls(context=ctx)
                client.ehlo()
            yield _tls_verdict(names[1], smtp.tls, smtp.verify_tls, smtp.host, server, "[summary.smtp]")
            step = 2
            if not smtp.username:
                yield Check(names[2], NA, "no [summary.smtp] username: the server takes mail without a login")
                return
            if not client.has_extn("auth"):
                yield Check(names[2], FAIL, f"{server} offers no AUTH; check [summary.smtp] tls and port")
                return
            client.login(smtp.username, password)
            yield Check(names[2], OK, smtp.username)
    except smtplib.SMTPAuthenticationError as exc:
        yield Check(
            names[2], FAIL, f"{server} refused {smtp.username!r} ({exc.smtp_code}): check username and password_env"
        )
    except ssl.SSLCertVerificationError as exc:
        yield Check(names[1], FAIL, f"{server}: certificate not trusted ({exc.verify_message}); set ca_file")
        yield Check(names[2], SKIP, "TLS failed")
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        if step == 0:
            yield Check(names[0], FAIL, f"cannot connect to {server}: {exc}; check [summary.smtp] host and port")
        else:
            yield Check(names[step], FAIL, f"{server}: {type(exc).__name__}: {exc}")
        for later in names[step + 1 :]:
            yield Check(later, SKIP, "an earlier SMTP step failed")


def _orders(cfg: Config) -> Check:
    name = "orders file readable"
    if not cfg.orders_file:
        return Check(name, NA, "[orders] file not set: load orders with `triage import-orders`")
    from triage.orders.csv_import import read_orders

    path = cfg.resolve(cfg.orders_file)
    try:
        result = read_orders(path, cfg.stage_settings().orders)
    except (TriageError, OSError) as exc:
        return Check(name, FAIL, f"{cfg.file} [orders] file: {exc}")
    skipped = sum(p.skipped for p in result.problems)
    notes = f" ({skipped} row(s) skipped, {len(result.problems) - skipped} warning(s))" if result.problems else ""
    if not result.orders:
        return Check(name, FAIL, f"{path}: no orders{notes}")
    return Check(name, OK, f"{path}: {len(result.orders)} orders{notes}")


def _templates(cfg: Config, model: Any) -> Check:
    """A sample request through the whole pipeline must come out with a draft; the summary templates parse."""
    import jinja2

    name = "templates render"
    try:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(bundled(SUMMARY_TEMPLATES))), autoescape=True)
        for template in ("report.html.j2", "report.txt.j2"):
            env.get_template(template)
    except jinja2.TemplateError as exc:
        return Check(name, FAIL, f"summary template {bundled(SUMMARY_TEMPLATES)}: {exc}")
    if model is None:
        return Check(name, SKIP, "needs the model")
    from triage.run.pipeline import Pipeline

    try:
        raw = RawMessage("check", 0, "sample", SAMPLE, datetime.now(UTC), len(SAMPLE))
        [result] = Pipeline(cfg, model).run([raw])
    except TriageError as exc:
        return Check(name, FAIL, str(exc))
    if result.status != "ok" or result.draft is None:
        return Check(name, FAIL, f"reply templates in {cfg.templates_dir()}: {result.error or 'no draft'}")
    return Check(name, OK, f"{cfg.templates_dir()} (a sample reply drafted)")


def render_checklist(checks: list[Check]) -> str:
    """The checklist as people read it, with the tally last."""
    width = max(len(c.name) for c in checks)
    lines = [f"  [{c.status:>4}] {c.name:<{width}}  {c.detail}".rstrip() for c in checks]
    passed = sum(c.passed for c in checks)
    verdict = "ready" if passed == len(checks) else "not ready"
    lines.append(f"{passed} of {len(checks)} checks passed: {verdict}")
    return "\n".join(lines)
