"""A store seeded through the real pipeline for the web tests: customer mail (one with a card number) from a
folder of .eml files, and two web accounts."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from tests.support import MODEL
from tests.support.cli import TriageCli
from tests.support.mailgen import customer_message

AGENT, MANAGER = "agnes", "manfred"
PASSWORD = "a long test password"
# Luhn-valid test card (Visa): the pipeline must redact it before anything is stored.
CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")


def card_message() -> bytes:
    from datetime import UTC, datetime

    msg = EmailMessage()
    msg["From"] = "Paula Card <paula@example.com>"
    msg["To"] = "support@example.com"
    msg["Subject"] = "Please cancel order #1042"
    msg["Date"] = format_datetime(datetime(2026, 11, 20, 8, tzinfo=UTC))
    msg["Message-ID"] = "<card-1@example.com>"
    msg.set_content(f"Hi, please cancel order #1042. My card is {CARD}, exp 12/29, CVV 123.\nPaula")
    return bytes(msg)


def seeded_config(tmp: Path, triage_cli: TriageCli, messages: int = 6) -> Path:
    """An inbox.toml over a folder of .eml files, triaged into tmp/triage.db, with an agent and a manager."""
    inbox = tmp / "inbox"
    inbox.mkdir()
    (inbox / "card.eml").write_bytes(card_message())
    for i in range(messages):
        (inbox / f"m{i}.eml").write_bytes(customer_message(i, seed=17))
    config = tmp / "inbox.toml"
    config.write_text(
        "\n".join(
            [
                "[shop]",
                'support_address = "support@example.com"',
                'now = "2026-11-20T12:00:00+00:00"',
                "[source]",
                'kind = "eml_dir"',
                f'path = "{inbox}"',
                "[store]",
                f'path = "{tmp / "triage.db"}"',
                "[model]",
                f'path = "{MODEL}"',
            ]
        )
        + "\n"
    )
    result = triage_cli("--config", str(config), "once")
    assert result.returncode == 0, result.stderr
    for name, flag in ((AGENT, []), (MANAGER, ["--manager"])):
        added = triage_cli("--config", str(config), "user", "add", name, *flag, "--password-stdin", input=PASSWORD)
        assert added.returncode == 0, added.stderr
    return config


# -- a Maildir store with a thread in it (tests/test_web_thread.py, the browser test's thread) ----------------

THREAD_NOW = "2026-11-21T09:30:00+01:00"
TOM, ETHAN, NINA = "tom.brennan@example.net", "ethan.clarke@example.net", "nina.petrova@example.org"


def _mail(n: str, sender: str, subject: str, body: str, sent: datetime, reply_to: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@example.com"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<{n}@test>"
    if reply_to:
        msg["In-Reply-To"] = msg["References"] = f"<{reply_to}@test>"
    msg.set_content(body)
    return bytes(msg)


def _t0() -> datetime:
    from datetime import UTC

    return datetime(2026, 11, 20, 8, tzinfo=UTC)


def thread_round(number: int) -> list[tuple[bytes, datetime]]:
    """Round 1: Tom asks to cancel #1071 and chases; Ethan asks about #1063 (a likely duplicate of #1064);
    Nina's mail with a Date five days off; ten other customers.
    Round 2: Tom withdraws the cancellation (the thread's third message)."""
    from datetime import timedelta

    t0 = _t0()
    if number == 2:
        body = "Please don't cancel it after all, I'll keep it."
        return [(_mail("t3", TOM, "Re: Cancel #1071", body, t0 + timedelta(hours=5), "t2"), t0 + timedelta(hours=5))]
    out = [
        (_mail("t1", TOM, "Cancel #1071", "Please cancel order #1071, the duvet is far too big for our bed.", t0), t0),
        (
            _mail("t2", TOM, "Re: Cancel #1071", "Did you get my email?", t0 + timedelta(hours=3), "t1"),
            t0 + timedelta(hours=3),
        ),
        (_mail("e1", ETHAN, "Order #1063", "Hello, where is my order #1063? Still no tracking link.", t0), t0),
        # Its Date header five days before it arrived: the message is marked date_off.
        (_mail("n1", NINA, "Where is my parcel", "Where is my parcel?", t0 - timedelta(days=5)), t0),
    ]
    out += [(customer_message(i, seed=29), t0 + timedelta(minutes=i)) for i in range(10)]
    return out


def deliver(maildir: Path, messages: list[tuple[bytes, datetime]]) -> None:
    """Into a Maildir's new/, each file stamped with its arrival (the name's leading seconds)."""
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    start = len(list((maildir / "new").iterdir()))
    for i, (data, when) in enumerate(messages, start):
        (maildir / "new" / f"{int(when.timestamp())}.M{i}P1.test").write_bytes(data)


def thread_config(tmp: Path, triage_cli: TriageCli) -> Path:
    """A Maildir inbox with the demo's orders, round 1 triaged, and the two web accounts."""
    from tests.support import ROOT

    deliver(tmp / "md", thread_round(1))
    config = tmp / "inbox.toml"
    config.write_text(
        f'[shop]\nsupport_address = "support@example.com"\nnow = "{THREAD_NOW}"\n'
        f'[source]\nkind = "maildir"\npath = "{tmp / "md"}"\n[store]\npath = "{tmp / "triage.db"}"\n'
        f'[model]\npath = "{MODEL}"\n[orders]\nfile = "{ROOT / "demo" / "orders.csv"}"\n'
    )
    result = triage_cli("--config", str(config), "once")
    assert result.returncode == 0, result.stderr
    for name, flag in ((AGENT, []), (MANAGER, ["--manager"])):
        added = triage_cli("--config", str(config), "user", "add", name, *flag, "--password-stdin", input=PASSWORD)
        assert added.returncode == 0, added.stderr
    return config
