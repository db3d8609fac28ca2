"""The bundled demo reads as demo/README.md says: each message's own intents, and a thread's standing ones."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from bench.demo_labels import disagreements, expected
from tests.support.cli import TriageCli
from triage.understand.classify import IntentModel


def test_every_demo_message_reads_as_the_demo_readme_says(intent_model: IntentModel) -> None:
    wrong, total = disagreements(intent_model)
    assert total == 47 and len(expected()) == 47
    assert wrong == []


def test_a_reply_that_only_gives_the_number_keeps_its_threads_cancel(triage_cli: TriageCli, tmp_path: Path) -> None:
    """#29 asks nothing itself (README: other); the queue shows its conversation with #20, still a cancel."""
    db = tmp_path / "demo.db"
    assert triage_cli("demo", "--store", str(db)).returncode == 0
    with closing(sqlite3.connect(db)) as con:
        rows = con.execute(
            "SELECT m.facts, c.intents FROM messages m JOIN conversations c ON c.id = m.conversation "
            "WHERE m.from_addr = 'emma.l@example.net' ORDER BY m.received_at"
        ).fetchall()
    assert [json.loads(facts)["intents"] for facts, _ in rows] == [["cancel"], ["other"]]
    assert {conv for _, conv in rows} == {json.dumps(["cancel"])}
