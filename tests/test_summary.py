"""The managers' daily summary: figures from a fixed store, golden HTML and text, shop-time-zone days,
delivery to a real SMTP server (aiosmtpd) in the clear, over STARTTLS and implicit TLS, the once-a-day
schedule across a restart, and the HTML as headless Chromium draws it.

Regenerate the golden files after an intended change with TRIAGE_REGEN_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import email
import logging
import os
import re
import shutil
import ssl
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import schedule
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.ports import free_port
from triage.config import Config, config_from_dict
from triage.errors import UsageError
from triage.records import Draft, Extraction, IntentResult, Order, OrderMatch, RawMessage, StoredRef, Triaged, Urgency
from triage.report.summary import collect, percentile
from triage.report.summary_render import COLOURS, context, render
from triage.report.summary_send import DeliveryError, build_message, deliver, schedule_daily, summary_command, was_sent
from triage.run.pipeline import empty_message, error_result
from triage.store import Store

GOLDEN = Path(__file__).parent / "data" / "summary"
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 21, 7, 30, tzinfo=BERLIN)
TEST_CARD = "4012888888881881"
SMTP_PASSWORD_ENV = "TRIAGE_TEST_SMTP_PASSWORD"
SMTP_PASSWORD = "s3cret-Smtp-pw"


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BERLIN)


def triaged(
    intents: tuple[str, ...] = ("cancel",),
    number: str | None = None,
    stage: str = "unknown",
    urgency: int = 50,
    reasons: tuple[str, ...] = (),
    deadline: datetime | None = None,
    redactions: dict[str, int] | None = None,
    low: bool = False,
    no_reply: str | None = None,
    draft: bool = True,
    subject: str = "About my order",
    text: str = "Please help.",
) -> Triaged:
    order = Order(number=number, email="c@example.com", stage=stage) if number else None
    parsed = replace(
        empty_message(subject), from_addr="c@example.com", from_name="A Customer", new_text=text, no_reply=no_reply
    )
    return Triaged(
        raw_size=100,
        parsed=parsed,
        redactions=redactions or {},
        intent=IntentResult(intents, {i: 0.9 for i in intents}, low),
        extraction=Extraction(order_numbers=(number,) if number else ()),
        match=OrderMatch(order, "number" if order else "none"),
        urgency=Urgency(urgency, reasons or (f"{'/'.join(intents)} on {stage}",), deadline),
        missing=(),
        draft=Draft(to="c@example.com", subject="Re: " + subject, body="Hello,\n") if draft else None,
    )


class Builder:
    """Writes messages through Store.save_batch, then pins the wall-clock columns so figures are reproducible."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.uid = 0

    def add(self, at: datetime, t: Triaged, drafted_after: timedelta | None = None) -> int:
        self.uid += 1
        ref = StoredRef("maildir:test", 0, str(self.uid), f"mid:{self.uid}", f"<{self.uid}@test>", at)
        (mid,) = self.store.save_batch([(ref, t)], None)
        if t.draft is not None:
            made = (at + (drafted_after or timedelta(minutes=5))).astimezone(UTC).isoformat(timespec="seconds")
            self.store.db.execute(
                "UPDATE drafts SET created_at = ?, updated_at = ? WHERE message = ?", [made, made, mid]
            )
        return mid

    def error(self, at: datetime) -> int:
        self.uid += 1
        raw = RawMessage("maildir:test", 0, str(self.uid), b"", at, 30_000_000, "too big")
        ref = StoredRef("maildir:test", 0, str(self.uid), f"unfetched:{self.uid}", "", at)
        (mid,) = self.store.save_batch([(ref, error_result(raw, "too big"))], None)
        return mid

    def close(self, mid: int, at: datetime) -> None:
        self.store.set_state(mid, "done", "agent")
        self.store.db.execute(
            "UPDATE events SET at = ? WHERE id = (SELECT max(id) FROM events WHERE message = ?)",
            [at.astimezone(UTC).isoformat(timespec="seconds"), mid],
        )


def make_config(tmp: Path, zone: str = "Europe/Berlin", **summary: Any) -> Config:
    raw: dict[str, Any] = {
        "shop": {"name": "Test Shop & Co", "support_address": "support@example.com", "timezone": zone},
        "store": {"path": str(tmp / "triage.db")},
        "summary": {"time": "07:30", "recipients": ["boss@example.com", "ops@example.com"], **summary},
    }
    return config_from_dict(raw, base_dir=tmp)


def build_fixed_store(store: Store) -> None:
    """The day 2026-11-20 in Berlin, the seven days before it, and one message either side of its edges."""
    b = Builder(store)
    prev = [DAY - timedelta(days=n) for n in range(9)]  # prev[1] = the day before, ...
    cutoff_d = local(DAY, 14)
    cutoff_next = local(DAY + timedelta(days=1), 14)

    # Before the window: still open, so it is the oldest open item on every day.
    b.add(local(prev[8], 12), triaged(("other",), urgency=10, draft=False))
    # The week before.
    b.close(b.add(local(prev[7], 8), triaged(("address_fix",), "2103", "shipped")), local(prev[6], 9))
    b.close(b.add(local(prev[3], 9), triaged(("other",)), timedelta(hours=1)), local(prev[2], 9))
    b.close(
        b.add(local(prev[1], 10), triaged(number="2101", stage="unfulfilled"), timedelta(minutes=15)),
        local(prev[1], 18),
    )
    b.add(local(prev[1], 11), triaged(number="2102", stage="pending_payment", urgency=50), timedelta(minutes=45))

    # The day. 00:30 local is still 23:30 UTC the evening before: it belongs to the 20th.
    b.add(
        datetime(2026, 11, 19, 23, 30, tzinfo=UTC),
        triaged(
            number="2001",
            stage="unfulfilled",
            urgency=95,
            reasons=("cancel on order #2001 (unfulfilled): can still be done in-house", "packing cutoff in 13 h 30 m"),
            deadline=cutoff_d,
        ),
        timedelta(minutes=10),
    )
    closed_same_day = b.add(
        local(DAY, 9, 10),
        triaged(("address_fix",), "2002", "in_progress", urgency=88, deadline=cutoff_next),
        timedelta(minutes=30),
    )
    b.close(closed_same_day, local(DAY, 16))
    closed_next_morning = b.add(
        local(DAY, 11, 30), triaged(number="2003", stage="shipped", urgency=60), timedelta(hours=1)
    )
    b.close(closed_next_morning, local(DAY + timedelta(days=1), 6))
    b.add(
        local(DAY, 12),
        triaged(("cancel", "address_fix"), "2004", "label_created", urgency=92, deadline=cutoff_next),
        timedelta(hours=2),
    )
    b.add(local(DAY, 13), triaged(("duplicate",), "2005", "unfulfilled", urgency=80), timedelta(minutes=20))
    b.add(local(DAY, 14), triaged(("refund",), "2006", "delivered", urgency=30, low=True), timedelta(hours=3))
    b.add(
        local(DAY, 15),
        triaged(
            ("other",),
            urgency=40,
            reasons=("sensitive data received and removed: card_cvv, card_number",),
            redactions={"card_number": 1, "card_cvv": 1},
            text="My card is [card •••• 1881], code [cvv removed]. <b>Thanks</b>",
            draft=False,
        ),
    )
    b.add(local(DAY, 16), triaged(("other",), no_reply="auto_reply", draft=False))
    b.error(local(DAY, 17))
    # A redaction miss, simulated: the report must not carry it, because it never prints message text.
    b.add(
        local(DAY, 18),
        triaged(("other",), urgency=20, subject=f"Card {TEST_CARD}", text=f"{TEST_CARD} 12/29 123", draft=False),
    )
    # 23:30 local is the 20th; 00:30 the next night is the 21st, although still the 20th in UTC.
    b.add(datetime(2026, 11, 20, 22, 30, tzinfo=UTC), triaged(urgency=70), timedelta(minutes=5))
    b.add(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), triaged(("refund",), "2009", "shipped"))

    store.upsert_orders(
        [
            Order("2005", "c5@example.com", "unfulfilled", created_at=local(DAY, 12, 58), items=("Mug",)),
            Order("2007", "c5@example.com", "unfulfilled", created_at=local(DAY, 13, 3), items=("Mug",)),
            Order("2020", "c20@example.com", "canceled", created_at=local(DAY, 8), items=("Lamp",)),
            Order("2021", "c20@example.com", "unfulfilled", created_at=local(DAY, 8, 10), items=("Lamp",)),
            Order("2110", "c9@example.com", "shipped", created_at=local(prev[2], 20), items=("Cup", "Cup")),
            Order("2111", "c9@example.com", "shipped", created_at=local(prev[2], 20, 20), items=("Cup", "Cup")),
            Order("2200", "c9@example.com", "shipped", created_at=local(prev[2], 23), items=("Cup", "Cup")),
        ]
    )
    store.heartbeat("maildir:test")
    store.db.execute(
        "UPDATE mailbox_state SET last_poll_at = ?, last_error = ?, last_error_at = ?",
        ["2026-11-21T06:25:00+00:00", "connection reset by peer <b>", "2026-11-21T03:00:00+00:00"],
    )


@pytest.fixture
def fixed(tmp_path: Path) -> Iterator[tuple[Store, Config]]:
    cfg = make_config(tmp_path)
    store = Store(tmp_path / "triage.db")
    build_fixed_store(store)
    yield store, cfg
    store.close()


# ---------------------------------------------------------------- figures


def test_figures_of_the_fixed_day(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    s = collect(store, cfg, DAY, NOW)
    d = s.today
    assert (d.received, d.customer, d.automated, d.unreadable) == (11, 9, 1, 1)
    assert d.by_intent == {"cancel": 4, "duplicate": 1, "address_fix": 2, "refund": 1, "other": 2}
    assert d.by_stage == {
        "unfulfilled": 2,
        "in_progress": 1,
        "label_created": 1,
        "shipped": 1,
        "delivered": 1,
        "unknown": 3,
    }
    assert (d.outcomes["all"].caught, d.outcomes["all"].too_late, d.outcomes["all"].unmatched) == (2, 2, 1)
    assert (d.outcomes["cancel"].caught, d.outcomes["cancel"].too_late, d.outcomes["cancel"].unmatched) == (1, 2, 1)
    assert (d.outcomes["address_fix"].caught, d.outcomes["address_fix"].too_late) == (1, 1)
    assert (d.duplicates_stated, d.duplicates_detected, d.refunds, d.low_confidence) == (1, 2, 1, 1)
    assert (d.sensitive_messages, d.sensitive_by_kind) == (1, {"card_cvv": 1, "card_number": 1})
    # Drafts after 5, 10, 20, 30, 60, 120 and 180 minutes.
    assert d.drafts == 7 and d.draft_median == 30 * 60 and d.draft_p90 == pytest.approx(144 * 60)
    # Open at midnight: two from before, and the day's own except the one closed at 16:00 and the automated one.
    assert d.backlog == 11
    assert [h.backlog for h in s.history] == [2, 1, 1, 1, 2, 1, 2]
    assert [h.has_data for h in s.history] == [True] * 7
    assert [x.id for x in s.urgent] == [6, 9, 10, 16, 8, 5, 12, 11, 15, 1]
    assert s.urgent[0].deadline == local(DAY, 14)
    assert s.oldest_open is not None and s.oldest_open.id == 1
    assert s.quarantined_open == 1
    assert [(p.first, p.second, p.customer_wrote, p.both_open) for p in s.duplicate_pairs] == [
        ("2005", "2007", True, True),
        ("2020", "2021", False, False),
    ]
    assert s.history[-2].duplicates_detected == 1  # 2110/2111 two days before; 2200 is outside the window
    (h,) = s.health
    assert not h.stale and h.recovered
    figures = {f.key: f for f in s.figures}
    assert figures["received"].average == pytest.approx(4 / 7)
    assert figures["too_late"].verdict == "bad" and figures["caught"].verdict == "good"
    # Medians of the days with drafts: 5 min (13th), 60 min (17th), 30 min (19th).
    assert figures["draft_median"].average == pytest.approx((5 + 60 + 30) * 60 / 3)


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile(range(1, 11), 0.9) == pytest.approx(9.1)


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # 23:30 Berlin on the 20th is 22:30 UTC; 00:30 Berlin on the 21st is still 23:30 UTC on the 20th.
        ("Europe/Berlin", date(2026, 11, 20), 1),
        ("Europe/Berlin", date(2026, 11, 21), 1),
        ("UTC", date(2026, 11, 20), 2),
        ("UTC", date(2026, 11, 21), 0),
        # New York is five hours behind UTC: both are the evening of the 20th there.
        ("America/New_York", date(2026, 11, 20), 2),
    ],
)
def test_day_boundaries_follow_the_shop_time_zone(tmp_path: Path, zone: str, day: date, expected: int) -> None:
    cfg = make_config(tmp_path, zone)
    store = Store(tmp_path / "b.db")
    b = Builder(store)
    b.add(datetime(2026, 11, 20, 22, 30, tzinfo=UTC), triaged())
    b.add(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), triaged())
    s = collect(store, cfg, day, datetime(2026, 11, 23, tzinfo=UTC))
    assert s.today.received == expected
    assert s.start == datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))


def test_day_in_progress_counts_up_to_now(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    s = collect(store, cfg, DAY, local(DAY, 12, 30))
    assert s.as_of == local(DAY, 12, 30)
    assert s.today.received == 4  # 00:30, 09:10, 11:30, 12:00 (the rest is in the future)
    assert "day still in progress" in render(s)[1]


def test_a_day_with_no_mail_renders(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    s = collect(Store(tmp_path / "e.db"), cfg, DAY, NOW)
    html, text = render(s)
    assert "Nothing open." in text and "no mailbox has been polled yet" in text
    assert "Nothing open." in html


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("suffix", ["html", "txt"])
def test_golden_report(fixed: tuple[Store, Config], suffix: str) -> None:
    store, cfg = fixed
    html, text = render(collect(store, cfg, DAY, NOW))
    got = html if suffix == "html" else text
    path = GOLDEN / f"{DAY.isoformat()}.{suffix}"
    if os.environ.get("TRIAGE_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_html_is_escaped_and_self_contained(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    html, text = render(collect(store, cfg, DAY, NOW))
    assert "Test Shop &amp; Co" in html and "connection reset by peer &lt;b&gt;" in html
    assert "Test Shop & Co" in text and "<b>" in text  # the text twin is not HTML-escaped
    assert not re.search(r"<script|<img|<link|@import|url\(|https?://", html, re.I)


def test_text_fits_a_terminal(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    _, text = render(collect(store, cfg, DAY, NOW))
    too_wide = [line for line in text.splitlines() if len(line) > 100]
    assert not too_wide
    assert text.isascii()


def test_no_card_data_in_report_or_mail(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    s = collect(store, cfg, DAY, NOW)
    html, text = render(s)
    msg = build_message(s, html, text, cfg, NOW)
    assert TEST_CARD not in msg.as_string()
    parts = [p.get_content() for p in msg.iter_parts()]
    for out in (html, text, *parts, msg["Subject"]):
        assert TEST_CARD not in out
        assert "1881" not in out and "4012" not in out and "8888" not in out  # not even the last four
        assert "•" not in out and "[card" not in out
        assert not re.search(r"\d{9,}", out)
        assert "A Customer" not in out and "c@example.com" not in out  # no senders either
    assert "card numbers" in text and "card security codes" in text


# ---------------------------------------------------------------- the command


def test_summary_command_writes_both_files_for_yesterday(fixed: tuple[Store, Config]) -> None:
    store, cfg = fixed
    paths = summary_command(store, cfg, None, send=False, now=NOW)
    assert paths == [cfg.base_dir / "reports" / "2026-11-20.html", cfg.base_dir / "reports" / "2026-11-20.txt"]
    assert paths[0].read_text().startswith("<!DOCTYPE html>")
    assert not list((cfg.base_dir / "reports").glob("*.tmp"))
    assert not was_sent(store, DAY)
    with pytest.raises(UsageError, match="in the future"):
        summary_command(store, cfg, date(2026, 11, 22), send=False, now=NOW)


# ---------------------------------------------------------------- SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool
    authenticated: bool | None


class Sink:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        # STARTTLS shows in session.ssl; implicit TLS only in the transport.
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg, tls, session.authenticated))
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"reports",
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@dataclass
class Smtp:
    sink: Sink
    cafile: str
    ports: dict[str, int]


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Smtp]:
    """One aiosmtpd per mode on loopback for the session: clear text, STARTTLS + AUTH, implicit TLS + AUTH."""
    root = tmp_path_factory.mktemp("smtp")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    sink = Sink()
    ports = {"none": free_port(), "starttls": free_port(), "implicit": free_port()}
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; the implicit-TLS server is TLS from the first byte.
    auth = {"authenticator": _authenticator}
    controllers = [
        Controller(sink, hostname="127.0.0.1", port=ports["none"]),
        Controller(
            sink,
            hostname="127.0.0.1",
            port=ports["starttls"],
            tls_context=server_ctx,
            require_starttls=True,
            auth_require_tls=True,
            **auth,
        ),
        Controller(
            sink, hostname="127.0.0.1", port=ports["implicit"], ssl_context=server_ctx, auth_require_tls=False, **auth
        ),
    ]
    for c in controllers:
        c.start()
    yield Smtp(sink, str(cert), ports)
    for c in controllers:
        c.stop()


@pytest.fixture
def smtp(smtp_server: Smtp, monkeypatch: pytest.MonkeyPatch) -> Smtp:
    smtp_server.sink.received.clear()
    monkeypatch.setenv(SMTP_PASSWORD_ENV, SMTP_PASSWORD)
    return smtp_server


def smtp_config(tmp: Path, smtp: Smtp, tls: str, **extra: Any) -> Config:
    settings: dict[str, Any] = {"host": "127.0.0.1", "port": smtp.ports[tls], "tls": tls, "ca_file": smtp.cafile}
    if tls != "none":
        settings |= {"username": "reports", "password_env": SMTP_PASSWORD_ENV}
    return make_config(tmp, smtp=settings | extra)


@pytest.mark.parametrize("tls", ["none", "starttls", "implicit"])
def test_delivery_has_both_parts_and_headers(
    fixed: tuple[Store, Config], smtp: Smtp, tls: str, caplog: pytest.LogCaptureFixture
) -> None:
    store, _ = fixed
    cfg = smtp_config(fixed[1].base_dir, smtp, tls)
    caplog.set_level(logging.DEBUG)
    summary_command(store, cfg, DAY, send=True, now=NOW)
    (got,) = smtp.sink.received
    assert got.tls == (tls != "none")
    assert got.authenticated is (True if tls != "none" else None)
    assert got.mail_from == "support@example.com"
    assert sorted(got.rcpt_tos) == ["boss@example.com", "ops@example.com"]
    m = got.message
    (sender,) = m["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Test Shop & Co", "support@example.com")
    assert m["To"] == "boss@example.com, ops@example.com"
    assert m["Subject"] == "Test Shop & Co: daily triage summary for 2026-11-20"
    assert re.fullmatch(r"<[^<>@\s]+@example\.com>", m["Message-ID"])
    assert parsedate_to_datetime(m["Date"]) == NOW
    assert m["Auto-Submitted"] == "auto-generated"
    assert m.get_content_type() == "multipart/alternative"
    parts = list(m.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert "CANCEL AND ADDRESS-FIX REQUESTS: 5" in parts[0].get_content()
    assert "Cancel and address-fix requests: 5" in parts[1].get_content()
    assert was_sent(store, DAY)
    assert SMTP_PASSWORD not in caplog.text


def test_tls_is_verified_by_default(fixed: tuple[Store, Config], smtp: Smtp) -> None:
    cfg = smtp_config(fixed[1].base_dir, smtp, "starttls", ca_file="")
    with pytest.raises(DeliveryError, match=r"certificate not trusted.*ca_file"):
        summary_command(fixed[0], cfg, DAY, send=True, now=NOW)
    assert smtp.sink.received == [] and not was_sent(fixed[0], DAY)


def test_wrong_password_names_the_setting(fixed: tuple[Store, Config], smtp: Smtp, monkeypatch: Any) -> None:
    monkeypatch.setenv(SMTP_PASSWORD_ENV, "wrong")
    cfg = smtp_config(fixed[1].base_dir, smtp, "implicit")
    with pytest.raises(DeliveryError, match=f"refused the login for 'reports'.*{SMTP_PASSWORD_ENV}") as info:
        deliver(build_message(collect(fixed[0], cfg, DAY, NOW), "<p>x</p>", "x", cfg, NOW), cfg)
    assert "wrong" not in str(info.value)


# ---------------------------------------------------------------- the daily schedule


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_daily_summary_is_sent_once_per_day_across_a_restart(fixed: tuple[Store, Config], smtp: Smtp) -> None:
    store, base = fixed
    cfg = smtp_config(base.base_dir, smtp, "none")
    clock = FakeClock(local(date(2026, 11, 21), 6))
    first = schedule.Scheduler()
    assert schedule_daily(first, store, cfg, clock) is not None
    assert smtp.sink.received == []  # 06:00: not yet time for yesterday's report
    clock.now = local(date(2026, 11, 21), 7, 31)
    first.run_all()
    assert len(smtp.sink.received) == 1 and was_sent(store, DAY)
    # The daemon restarts at 09:00: the day is recorded as sent, so nothing goes out again.
    clock.now = local(date(2026, 11, 21), 9)
    second = schedule.Scheduler()
    schedule_daily(second, store, cfg, clock)
    first.run_all()
    second.run_all()
    assert len(smtp.sink.received) == 1
    # Next morning both instances tick; exactly one report for the 21st goes out.
    clock.now = local(date(2026, 11, 22), 7, 45)
    first.run_all()
    second.run_all()
    assert [r.message["Subject"][-10:] for r in smtp.sink.received] == ["2026-11-20", "2026-11-21"]


def test_a_missed_summary_is_sent_at_start(fixed: tuple[Store, Config], smtp: Smtp) -> None:
    store, base = fixed
    cfg = smtp_config(base.base_dir, smtp, "none")
    schedule_daily(schedule.Scheduler(), store, cfg, FakeClock(local(date(2026, 11, 21), 11)))
    assert [r.message["Subject"][-10:] for r in smtp.sink.received] == ["2026-11-20"]


def test_a_first_start_never_mails_an_all_zero_report(tmp_path: Path, smtp: Smtp) -> None:
    """A new store: the start-up tick (before the first poll) and every tick while the only mail is from
    today send nothing; once mail from the day is stored, its report goes out, with that mail in it."""
    cfg = smtp_config(tmp_path, smtp, "none")
    store = Store(tmp_path / "fresh.db")
    clock = FakeClock(local(date(2026, 11, 21), 8))
    sched = schedule.Scheduler()
    schedule_daily(sched, store, cfg, clock)
    assert smtp.sink.received == [] and not was_sent(store, DAY)
    b = Builder(store)
    b.add(local(date(2026, 11, 21), 7, 50), triaged())  # the first poll finds only today's mail
    sched.run_all()
    assert smtp.sink.received == [] and not was_sent(store, DAY)
    b.add(local(DAY, 16), triaged(("cancel",), "2001", "unfulfilled"))  # an older message, fetched later
    sched.run_all()
    assert [r.message["Subject"][-10:] for r in smtp.sink.received] == ["2026-11-20"]
    text = smtp.sink.received[0].message.get_body(("plain",)).get_content()
    assert re.search(r"Messages received\s+1\b", text), text[:2000]
    store.close()


def test_a_failed_send_is_retried_later_without_stopping_the_daemon(
    fixed: tuple[Store, Config], smtp: Smtp, caplog: pytest.LogCaptureFixture
) -> None:
    store, base = fixed
    down = smtp_config(base.base_dir, smtp, "none", port=free_port())  # nothing listens there
    clock = FakeClock(local(date(2026, 11, 21), 8))
    sched = schedule.Scheduler()
    schedule_daily(sched, store, down, clock)  # must not raise
    assert not was_sent(store, DAY) and "not sent (retrying in 15 min)" in caplog.text
    sched.clear()
    up = smtp_config(base.base_dir, smtp, "none")
    schedule_daily(sched, store, up, clock)  # a restart with the server back
    assert len(smtp.sink.received) == 1 and was_sent(store, DAY)


def test_no_recipients_means_no_job(fixed: tuple[Store, Config]) -> None:
    store, base = fixed
    cfg = replace(base, summary=replace(base.summary, recipients=()))
    sched = schedule.Scheduler()
    assert schedule_daily(sched, store, cfg, FakeClock(NOW)) is None and sched.jobs == []


# ---------------------------------------------------------------- what Chromium draws


def read_png(path: Path) -> np.ndarray:
    """Decode an 8-bit RGB/RGBA PNG into a (height, width, channels) array (stdlib zlib + numpy)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[12] == 0, "only 8-bit, non-interlaced PNGs"
            channels = {2: 3, 6: 4}[body[9]]
        elif kind == b"IDAT":
            idat += body
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 1:  # Sub: a running sum per channel
            line = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) & 0xFF
        elif kind == 2:  # Up
            line = (line + prev) & 0xFF
        elif kind in (3, 4):  # Average, Paeth: each byte depends on the one to its left
            cur = [int(v) for v in line]
            up = [int(v) for v in prev]
            for i in range(stride):
                a = cur[i - channels] if i >= channels else 0
                b = up[i]
                if kind == 3:
                    cur[i] = (cur[i] + (a + b) // 2) & 0xFF
                else:
                    c = up[i - channels] if i >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            line = np.array(cur, dtype=np.int32)
        out[y] = line
        prev = line
    return out.reshape(height, width, channels)[:, :, :3]


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_html_renders_in_headless_chromium(fixed: tuple[Store, Config], tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: apt-get install -y --no-install-recommends chromium"
    store, cfg = fixed
    s = collect(store, cfg, DAY, NOW)
    html, _ = render(s)
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    page.write_text(html, encoding="utf-8")
    width, height = 760, 3000
    proc = subprocess.run(
        [
            *(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"),
            *(f"--user-data-dir={tmp_path / 'profile'}", "--disable-background-networking"),
            *("--disable-component-update", "--disable-sync", "--no-first-run"),
            *(f"--screenshot={shot}", f"--window-size={width},{height}", page.as_uri()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    # Chromium exits 0 even when it fails: the PNG is the proof.
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    assert "net::ERR" not in proc.stderr  # nothing it tried to load failed (there is nothing to load)
    assert shot.stat().st_size > 20_000
    pixels = read_png(shot)
    assert pixels.shape == (height, width, 3)
    # Every blue bar is drawn at its exact size: the day's intents, stages and the day's row in the trend.
    ctx = context(s)
    expected = (
        sum(i["px"] * 14 for i in ctx["intents"])
        + sum(st["px"] * 12 for st in ctx["stages"])
        + sum(d["px"] * 14 for d in ctx["trend"] if d["is_day"])
    )
    blue = np.all(pixels == _hex(COLOURS["day"]), axis=2)
    # Bars are a share of their column (so they shrink on a phone): each may round by one pixel per line.
    slack = (
        sum(14 for i in ctx["intents"] if i["px"])
        + sum(12 for st in ctx["stages"] if st["px"])
        + sum(14 for d in ctx["trend"] if d["is_day"] and d["px"])
    )
    assert expected > 1000 and abs(int(blue.sum()) - expected) <= slack
    longest = max(
        max((len(run) for run in "".join("1" if v else "0" for v in row).split("0")), default=0) for row in blue
    )
    assert abs(longest - max(i["px"] for i in ctx["intents"] + ctx["trend"])) <= 1
    # The headline's stacked bar: caught (green) and too late (red), 22 px high, plus the legend squares.
    green = np.all(pixels == _hex(COLOURS["caught"]), axis=2).sum()
    red = np.all(pixels == _hex(COLOURS["late"]), axis=2).sum()
    rows = {r["key"]: r["px"] for r in ctx["headline"]["rows"]}
    assert green >= rows["caught"] * 22 and red >= rows["late"] * 22
    # The page itself is drawn: white card on grey, and not blank below the fold of a phone.
    assert tuple(pixels[5, 5]) == _hex("#f4f5f7")
    assert (pixels[1500:2500] < 128).any()


# ---------------------------------------------------------------- the manager's phone

# Appended to a copy of the report (never to the mail): Chromium lays the page out, then this writes what a
# reader could see into the DOM for --dump-dom: the page's scroll width, any element sticking out to the
# right, and every piece of text drawn inside the screen's width. Headless Chromium's window is at least
# 500 px wide, so the copy is shown in an iframe of the phone's width (srcdoc: same origin as its host).
LAYOUT_PROBE = """<script>
(function () {
  var w = window.innerWidth, seen = [], out = [];
  var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent.trim()) continue;
    var r = document.createRange(); r.selectNodeContents(n);
    var box = r.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= w + 0.5) seen.push(n.textContent.trim());
  }
  document.querySelectorAll("body *").forEach(function (e) {
    var b = e.getBoundingClientRect();
    if (b.width > 0 && b.right > w + 0.5) out.push(e.tagName + ":" + (e.textContent || "").trim().slice(0, 40));
  });
  var host = window.parent.document, pre = host.createElement("pre"); pre.id = "layout-probe";
  pre.textContent = JSON.stringify({width: w, scroll: document.scrollingElement.scrollWidth, outside: out, seen: seen});
  host.body.appendChild(pre);
})();
</script>"""


def chromium_run(page: Path, tmp_path: Path, width: int, *mode: str) -> subprocess.CompletedProcess[str]:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: apt-get install -y --no-install-recommends chromium"
    return subprocess.run(
        [
            *(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"),
            *(f"--user-data-dir={tmp_path / 'profile'}", "--disable-background-networking"),
            *("--disable-component-update", "--disable-sync", "--no-first-run"),
            *(f"--window-size={width},2000", *mode, page.as_uri()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )


@pytest.mark.parametrize("width", [375, 1000])
def test_the_report_fits_a_phone_and_a_desktop(fixed: tuple[Store, Config], tmp_path: Path, width: int) -> None:
    """At 375 px (a phone) and 1000 px nothing is wider than the screen and every figure is drawn on it."""
    import html as html_lib
    import json

    store, cfg = fixed
    s = collect(store, cfg, DAY, NOW)
    html, _ = render(s)
    assert 'width="680"' not in html.replace("<!--[if mso]>", "").split("<![endif]-->", 1)[-1]  # no fixed card
    # The screenshot, kept for a person to look at (TRIAGE_KEEP_SCREENSHOTS=DIR copies it there).
    page, shot = tmp_path / "report.html", tmp_path / f"report-{width}.png"
    page.write_text(html, encoding="utf-8")
    proc = chromium_run(page, tmp_path, width, f"--screenshot={shot}")
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    assert read_png(shot).shape[1] == width
    if keep := os.environ.get("TRIAGE_KEEP_SCREENSHOTS"):
        shutil.copy(shot, Path(keep) / shot.name)
    # The layout, measured by Chromium itself on a probed copy.
    probed = tmp_path / "probed.html"
    framed = html_lib.escape(html.replace("</body>", LAYOUT_PROBE + "</body>"), quote=True)
    probed.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;width:{width}px;height:1900px" '
        f'srcdoc="{framed}"></iframe></body></html>',
        encoding="utf-8",
    )
    proc = chromium_run(probed, tmp_path, max(width, 1000), "--dump-dom")
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    layout = json.loads(html_lib.unescape(found.group(1)))
    assert layout["width"] == width
    assert layout["scroll"] <= width, f"horizontal scroll at {width} px: {layout['outside'][:5]}"
    assert layout["outside"] == []
    seen = " | ".join(layout["seen"])
    ctx = context(s)
    expected = [f["label"] for f in ctx["figures"]] + [f["value"] for f in ctx["figures"]]
    expected += [i["name"] for i in ctx["intents"]] + [str(i["value"]) for i in ctx["intents"]]
    expected += [r["label"] for r in ctx["headline"]["rows"]] + [str(u["id"]) for u in ctx["urgent"]]
    expected += [d["date"] for d in ctx["trend"]]
    missing = [t for t in expected if t not in seen]
    assert expected and missing == [], f"not drawn on screen at {width} px: {missing}"


def test_every_redaction_kind_has_a_name_in_the_summary() -> None:
    from triage.redact import KINDS
    from triage.report.summary_render import REDACTION_NAMES

    assert set(REDACTION_NAMES) == set(KINDS)
