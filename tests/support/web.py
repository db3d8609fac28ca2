"""A store seeded through the real pipeline for the web tests: customer mail (one with a card number) from a
folder of .eml files, and two web accounts."""

from __future__ import annotations

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
