"""An older store (schema 1: one item per message) migrates: at the first start of this version its messages
are grouped into conversations, with the same rules ingest threads by."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlite_utils

from tests.support import MODEL
from tests.support.cli import TriageCli
from triage.store import SCHEMA_VERSION, Store
from triage.store.schema import _migrate_1


def old_store(path: Path) -> None:
    """A store as triage wrote it before conversations: messages, their triage rows, a draft per thread."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    _migrate_1(db)
    db.execute("PRAGMA user_version = 1")
    rows = [
        # id, message_id, thread_key, in_reply_to, received_at, from, subject, text, no_reply, state, intents,
        # extraction
        (1, "a1@test", "a1@test", None, "2026-11-20T08:00:00+00:00", "dana.okafor@example.org", "Cancel order #1047",
         "Please cancel my order #1047.", None, "open", ["cancel"], {"order_numbers": ["1047"]}),
        (2, "b1@test", "b1@test", None, "2026-11-20T08:30:00+00:00", "tom.brennan@example.net", "Cancel #1071",
         "Please cancel order #1071.", None, "open", ["cancel"], {"order_numbers": ["1071"]}),
        (3, "a2@test", "a1@test", "a1@test", "2026-11-20T10:00:00+00:00", "dana.okafor@example.org",
         "Re: Cancel order #1047", "Please don't cancel it after all, I'll keep it.", None, "open", ["cancel"],
         {"order_numbers": []}),
        (4, "b2@test", "b2@test", None, "2026-11-20T11:00:00+00:00", "tom.brennan@example.net", "RE: Cancel #1071",
         "Did you get my email?", None, "open", ["other"], {"order_numbers": []}),
        (5, "f1@test", "a1@test", "a1@test", "2026-11-20T12:00:00+00:00", "dana.okafor@example.org",
         "Automatic reply: Cancel order #1047", "Out of office.", "auto_reply", "done", ["other"], {}),
        (6, "b2@test", "b2@test", None, "2026-11-20T11:00:05+00:00", "tom.brennan@example.net", "RE: Cancel #1071",
         "Did you get my email?", None, "open", ["other"], {"order_numbers": []}),
    ]  # fmt: skip
    for mid, message_id, thread, irt, at, sender, subject, text, no_reply, state, intents, extraction in rows:
        db.execute(
            """INSERT INTO messages (id, mailbox, uidvalidity, uid, fingerprint, message_id, thread_key, in_reply_to,
                 received_at, stored_at, from_addr, subject, text, no_reply, status, state)
               VALUES (?, 'm', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?)""",
            [
                mid,
                str(mid),
                f"mid:{message_id}",
                message_id,
                thread,
                irt,
                at,
                at,
                sender,
                subject,
                text,
                no_reply,
                state,
            ],
        )
        db.execute(
            """INSERT INTO triage (message, intents, scores, low_confidence, redactions, extraction, urgency, reasons,
                 missing, flags, match_how, stage) VALUES (?, ?, '{}', 0, '{}', ?, 50, '[]', '[]', '[]', 'none',
                 'unknown')""",
            [mid, json.dumps(intents), json.dumps(extraction)],
        )
    db.execute(
        """INSERT INTO drafts (message, thread_key, to_addr, subject, body, created_at, updated_at)
           VALUES (3, 'a1@test', 'dana.okafor@example.org', 'Re: Cancel order #1047', 'Hello Dana, edited.',
                   'x', 'x')"""
    )
    db.execute("INSERT INTO events (message, at, actor, action, detail) VALUES (3, 'x', 'kim', 'draft_edited', '')")
    for number, email in (("1047", "dana.okafor@example.org"), ("1071", "tom.brennan@example.net")):
        db.execute(
            "INSERT INTO orders (number, email, stage, created_at) VALUES (?, ?, 'unfulfilled', ?)",
            [number, email, "2026-11-20T07:00:00+00:00"],
        )
    db.conn.commit()
    db.conn.close()


def test_an_old_store_is_grouped_into_conversations_at_first_start(tmp_path: Path, triage_cli: TriageCli) -> None:
    db = tmp_path / "triage.db"
    old_store(db)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        '[shop]\nsupport_address = "support@example.com"\nnow = "2026-11-21T09:30:00+01:00"\n'
        f'[source]\nkind = "maildir"\npath = "{tmp_path / "md"}"\n[store]\npath = "{db}"\n'
        f'[model]\npath = "{MODEL}"\n'
    )
    out = triage_cli("--config", str(cfg), "queue", "--json", "--all")
    assert out.returncode == 0, out.stderr
    convs = json.loads(out.stdout)
    customers = {c["customer"]: c for c in convs if c["automated"] is None}
    assert len(convs) == 3 and set(customers) == {"dana.okafor@example.org", "tom.brennan@example.net"}
    dana, tom = customers["dana.okafor@example.org"], customers["tom.brennan@example.net"]
    assert [m["id"] for m in dana["messages"]] == [1, 3]
    assert dana["withdrawn"] == [{"intent": "cancel", "message_id": "<a2@test>", "reason": "retracted"}]
    assert "cancel" not in dana["intents"]
    # Tom's chaser joined by subject (no References); its second delivery became a duplicate.
    assert [m["id"] for m in tom["messages"]] == [2, 4] and tom["intents"] == ["cancel"]
    assert tom["urgency"] > dana["urgency"] and tom["order"] == {"number": "1071", "stage": "unfulfilled"}
    (auto,) = [c for c in convs if c["automated"]]
    assert auto["state"] == "done" and [m["id"] for m in auto["messages"]] == [5]
    # The agent's edited draft now belongs to Dana's conversation, and stays the agent's.
    shown = json.loads(triage_cli("--config", str(cfg), "show", str(dana["id"]), "--json").stdout)
    assert shown["draft"]["body"] == "Hello Dana, edited." and shown["draft"]["owner"] == "agent"
    con = sqlite3.connect(db)
    assert con.execute("SELECT status FROM messages WHERE id = 6").fetchone() == ("duplicate",)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Done once: a second start changes nothing.
    assert Store(db).needs_regroup() is False
    again = json.loads(triage_cli("--config", str(cfg), "queue", "--json", "--all").stdout)
    assert again == convs
