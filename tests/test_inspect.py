"""`inspect --json`: the contract other tools rely on (design.md), one object per file, in input order."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli

LABELS = {"cancel", "duplicate", "address_fix", "refund", "other"}
KEYS = {"intents", "scores", "order_numbers", "emails", "redactions", "text", "order", "urgency", "missing", "draft"}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> Path:
    tmp = tmp_path_factory.mktemp("inspect")
    cfg = tmp / "inbox.toml"
    cfg.write_text(
        '[shop]\nsupport_address = "support@juniper-oak.example.com"\ntimezone = "Europe/Berlin"\n'
        'now = "2026-11-21T09:30:00+01:00"\n'
        f'[store]\npath = "{tmp / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    imported = triage_cli("--config", str(cfg), "import-orders", str(ROOT / "demo" / "orders.csv"))
    assert imported.returncode == 0, imported.stderr
    assert "imported 38 order(s)" in imported.stdout
    return cfg


def message(tmp: Path, name: str, subject: str, body: str, sender: str = "tom.brennan@example.net") -> Path:
    m = EmailMessage()
    m["From"] = f"Tom Brennan <{sender}>"
    m["To"] = "support@juniper-oak.example.com"
    m["Subject"] = subject
    m["Message-ID"] = f"<{name}@example.net>"
    m["Date"] = "Sat, 21 Nov 2026 09:00:00 +0100"
    m.set_content(body)
    path = tmp / f"{name}.eml"
    path.write_bytes(bytes(m))
    return path


def test_contract_shape_and_order(setup: Path, tmp_path: Path, triage_cli: TriageCli) -> None:
    files = [
        message(tmp_path, "a", "Cancel order #1071", "Hi, please cancel order #1071, I ordered the wrong colour.\nTom"),
        message(tmp_path, "b", "Payment", "My card is 4111 1111 1111 1111 exp 08/27 cvv 123, charge it for #1071"),
        message(tmp_path, "c", "Hello", "Do you sell gift cards?", sender="new.customer@example.com"),
    ]
    result = triage_cli("--config", str(setup), "inspect", *map(str, files), "--json")
    assert result.returncode == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(o["file"]).name for o in objs] == ["a.eml", "b.eml", "c.eml"]
    for o in objs:
        assert set(o) >= KEYS
        assert set(o["scores"]) == LABELS and all(0.0 <= v <= 1.0 for v in o["scores"].values())
        assert o["intents"] and set(o["intents"]) <= LABELS
        assert "other" not in o["intents"] or o["intents"] == ["other"]
        assert isinstance(o["urgency"]["score"], int) and 0 <= o["urgency"]["score"] <= 100
        assert isinstance(o["urgency"]["reasons"], list)
    a, b, c = objs
    assert a["intents"][0] == "cancel"
    assert a["order_numbers"] == ["1071"]
    assert a["order"]["number"] == "1071" and a["order"]["stage"] == "unfulfilled"
    assert a["emails"] == ["tom.brennan@example.net"]
    assert b["redactions"]["card_number"] == 1
    assert {"card_cvv", "card_expiry"} <= set(b["redactions"])
    assert "4111" not in b["text"].replace("•••• 1111", "")
    assert "1111 1111 1111" not in result.stdout
    assert c["intents"] == ["other"]
    assert c["order"] is None


def test_forged_sender_is_flagged_unmatched_and_undrafted(setup: Path, tmp_path: Path, triage_cli: TriageCli) -> None:
    """An encoded CR/LF in the display name puts the customer's address where a lenient parser finds it."""
    honest = message(tmp_path, "e", "Cancel", "Hi, please cancel my order, wrong colour.\nTom")
    forged = tmp_path / "f.eml"
    forged.write_bytes(
        honest.read_bytes().replace(
            b"From: Tom Brennan <tom.brennan@example.net>",
            b"From: =?utf-8?q?Tom=0D=0AX:_tom.brennan@example.net?= <mallory@attacker.example>",
        )
    )
    result = triage_cli("--config", str(setup), "inspect", str(honest), str(forged), "--json")
    assert result.returncode == 0, result.stderr
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["order"] is not None and good["draft"]["to"] == "tom.brennan@example.net"
    assert "sender_unverified" not in good["flags"]
    assert "sender_unverified" in bad["flags"]
    assert bad["order"] is None and bad["draft"] is None
    assert "tom.brennan@example.net" not in bad["emails"]


def test_inspect_stores_nothing(setup: Path, tmp_path: Path, triage_cli: TriageCli) -> None:
    import sqlite3

    f = message(tmp_path, "d", "Refund", "Where is my refund for order 1051?")
    assert triage_cli("--config", str(setup), "inspect", str(f), "--json").returncode == 0
    db = Path(str(setup).replace("inbox.toml", "t.db"))
    assert sqlite3.connect(db).execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_inspect_missing_file_is_usage_error(setup: Path, triage_cli: TriageCli) -> None:
    result = triage_cli("--config", str(setup), "inspect", "/nonexistent.eml", "--json")
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_import_orders_reports_bad_rows(setup: Path, tmp_path: Path, triage_cli: TriageCli) -> None:
    src = (ROOT / "tests" / "data" / "orders" / "shopify_export.csv").read_text()
    f = tmp_path / "export.csv"
    f.write_text(src)
    result = triage_cli("--config", str(setup), "import-orders", str(f))
    assert result.returncode == 0
    assert f"{f}:8:" in result.stderr and "row skipped" in result.stderr
