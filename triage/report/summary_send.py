"""Delivering the daily summary: to reports/, by SMTP to the managers, and once a day from the daemon.

SMTP is TLS with certificate checks by default (STARTTLS on 587 or implicit TLS
on 465); the password comes from the environment variable named in [summary.smtp]
password_env and is never logged. "Sent for day D" is recorded in the store's
meta table, claimed in a transaction before sending, so a restart, or a second
process on the same store, never sends a day twice.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

import schedule

from triage.config import Config
from triage.errors import ConfigError, DeliveryError, TriageError, UsageError
from triage.report.summary import Summary, collect, yesterday
from triage.report.summary_render import render, write_reports
from triage.sources.tls import client_context
from triage.store import Store

log = logging.getLogger("triage.report.summary")

SMTP_TIMEOUT = 30.0
# A claim older than this belongs to a process that died mid-send: the day may be sent again.
CLAIM_EXPIRES = timedelta(minutes=15)
RETRY_AFTER = timedelta(minutes=15)
CHECK_SECONDS = 60


def build_message(s: Summary, html: str, text: str, cfg: Config, now: datetime) -> EmailMessage:
    """multipart/alternative: the text part first, the HTML part last (the one clients prefer)."""
    shop = cfg.shop
    msg = EmailMessage()
    msg["Subject"] = f"{shop.name}: daily triage summary for {s.day.isoformat()}"
    msg["From"] = formataddr((shop.name, shop.support_address))
    msg["To"] = ", ".join(cfg.summary.recipients)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("summary", domain=shop.support_address.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies must not answer it
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def deliver(msg: EmailMessage, cfg: Config) -> None:
    """Hand the message to [summary.smtp]; raise DeliveryError with the server and the fix."""
    smtp = cfg.summary.smtp
    if not cfg.summary.recipients:
        raise ConfigError(f"{cfg.file} [summary] recipients: empty; list who gets the daily summary")
    where = f"{smtp.host}:{smtp.port}"
    password = smtp.secret()  # ConfigError (exit 2) when password_env names an unset variable
    if password and smtp.tls == "none" and smtp.host not in ("localhost", "127.0.0.1", "::1"):
        raise ConfigError(f'{cfg.file} [summary.smtp] tls = "none" would send the password in clear to {where}')
    try:
        ctx = client_context(smtp.verify_tls, smtp.ca_file)
        client: smtplib.SMTP
        if smtp.tls == "implicit":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SMTP_TIMEOUT, context=ctx)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT)
        with client:
            client.ehlo()
            if smtp.tls == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryError(f'SMTP {where} does not offer STARTTLS (set [summary.smtp] tls = "implicit"?)')
                client.starttls(context=ctx)
                client.ehlo()
            if smtp.username:
                if not client.has_extn("auth"):
                    raise DeliveryError(f"SMTP {where} does not offer AUTH (check [summary.smtp] tls and port)")
                client.login(smtp.username, password)
            refused = client.send_message(msg)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"SMTP {where} refused the login for {smtp.username!r} (check [summary.smtp] username and "
            f"the variable {smtp.password_env or '(password_env)'}): {exc.smtp_code}"
        ) from exc
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"SMTP {where}: TLS certificate not trusted: {exc.verify_message} (set [summary.smtp] ca_file)"
        ) from exc
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise DeliveryError(f"SMTP {where}: {type(exc).__name__}: {exc}") from exc
    if refused:
        raise DeliveryError(f"SMTP {where} refused recipient(s): {', '.join(sorted(refused))}")
    log.info("summary sent to %d recipient(s) via %s", len(cfg.summary.recipients), where)


def _meta_key(day: date) -> str:
    return f"summary_sent:{day.isoformat()}"


def was_sent(store: Store, day: date) -> bool:
    return (store.get_meta(_meta_key(day)) or "").startswith("sent ")


def summary_command(store: Store, cfg: Config, day: date | None, send: bool, now: datetime) -> list[Path]:
    """`triage summary [--date D] [--send]`: render D (default yesterday) to reports/ beside the store, optionally
    mail it."""
    tz = ZoneInfo(cfg.shop.timezone)
    day = day or yesterday(now, tz)
    if day > now.astimezone(tz).date():
        raise UsageError(f"--date {day.isoformat()} is in the future (today is {now.astimezone(tz).date()})")
    s = collect(store, cfg, day, now)
    html, text = render(s)
    # Beside the store: the one folder triage must be able to write (the config's may be read-only, /etc/triage).
    paths = write_reports(s, html, text, cfg.resolve(cfg.store.path).parent / "reports")
    if send:
        deliver(build_message(s, html, text, cfg, now), cfg)
        store.set_meta(_meta_key(day), f"sent {now.isoformat(timespec='seconds')}")
    return paths


class DailySummary:
    """The daemon's job: once the configured local time has passed, send yesterday's report if nobody has."""

    def __init__(self, store: Store, cfg: Config, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.cfg = cfg
        self.clock = clock
        self.tz = ZoneInfo(cfg.shop.timezone)
        hour, minute = (int(x) for x in cfg.summary.time.split(":"))
        self.at = time(hour, minute)
        self.retry_at: datetime | None = None
        self.skipped: date | None = None  # the day last found to have no data (logged once)

    def due(self, now: datetime) -> date | None:
        """The day whose report should go out now, or None (too early today, already sent, or before the
        store's first message: a first start, on an empty store or one whose mail begins today, never mails
        an all-zero report)."""
        local = now.astimezone(self.tz)
        if local.time() < self.at:
            return None
        day = local.date() - timedelta(days=1)
        if was_sent(self.store, day):
            return None
        first = self.store.first_arrival()
        if first is None or first.astimezone(self.tz).date() > day:
            if self.skipped != day:
                self.skipped = day
                log.info("no daily summary for %s: no mail stored from that day or before", day)
            return None
        return day

    def _claim(self, day: date, now: datetime) -> bool:
        """Mark the day as being sent, atomically; False if sent, or another process is on it."""
        key = _meta_key(day)
        with self.store.transaction():
            value = self.store.get_meta(key) or ""
            if value.startswith("sent "):
                return False
            if value.startswith("sending "):
                since = datetime.fromisoformat(value.split(" ", 1)[1])
                if now - since < CLAIM_EXPIRES:
                    return False
            self.store.set_meta(key, f"sending {now.isoformat(timespec='seconds')}")
        return True

    def tick(self) -> date | None:
        """Run by the scheduler every minute (and once at start, to catch up). Returns the day it sent."""
        now = self.clock()
        if self.retry_at is not None and now < self.retry_at:
            return None
        day: date | None = None
        claimed = False
        try:
            day = self.due(now)
            if day is None:
                return None
            claimed = self._claim(day, now)
            if not claimed:
                return None
            summary_command(self.store, self.cfg, day, send=True, now=now)
        except Exception as exc:  # never let the report take the daemon down: log, retry later
            self.retry_at = now + RETRY_AFTER
            if claimed and day is not None:
                with contextlib.suppress(Exception):  # the store may be what failed; the claim then expires
                    self.store.set_meta(_meta_key(day), f"failed {now.isoformat(timespec='seconds')}")
            detail = str(exc) if isinstance(exc, TriageError) else f"{type(exc).__name__}: {exc}"
            log.warning("daily summary for %s not sent (retrying in 15 min): %s", day or "yesterday", detail)
            return None
        self.retry_at = None
        log.info("daily summary for %s sent", day)
        return day


def schedule_daily(
    scheduler: schedule.Scheduler, store: Store, cfg: Config, clock: Callable[[], datetime]
) -> schedule.Job | None:
    """Register the daily summary on the daemon's scheduler; sends a missed one right away.

    The job checks the shop-local time every minute instead of using
    `schedule`'s `.at()`: the decision then follows the injected clock and the
    shop's time zone (DST included) rather than the host's, and catching up
    after a restart is the same code path as the normal send.
    """
    if not cfg.summary.recipients:
        log.info("[summary] recipients is empty: the daily summary is not mailed")
        return None
    job = DailySummary(store, cfg, clock)
    job.tick()
    return scheduler.every(CHECK_SECONDS).seconds.do(job.tick)
