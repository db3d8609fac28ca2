"""The store on a real SQLite file: atomic batches with checkpoints, idempotent inserts, audit events."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from triage.errors import StoreError
from triage.records import (
    Checkpoint,
    Extraction,
    IntentResult,
    Order,
    OrderMatch,
    RawMessage,
    StoredRef,
    Triaged,
    Urgency,
)
from triage.run.pipeline import empty_message, error_result
from triage.store import Store


def triaged(subject: str, intents: tuple[str, ...] = ("cancel",), score: int = 50) -> Triaged:
    from dataclasses import replace

    return Triaged(
        raw_size=100,
        parsed=replace(empty_message(subject), from_addr="a@example.com", new_text="please cancel"),
        redactions={},
        intent=IntentResult(intents=intents, scores={i: 0.9 for i in intents}),
        extraction=Extraction(order_numbers=("1042",)),
        match=OrderMatch(order=None, how="none"),
        urgency=Urgency(score=score, reasons=("cancel before packing",)),
        missing=("order_number",),
        draft=None,
    )


def ref(uid: int, mailbox: str = "imap://t@h:1/INBOX", uv: int = 7) -> StoredRef:
    return StoredRef(mailbox, uv, str(uid), f"mid:{uid}@x", f"mid:{uid}@x", datetime(2026, 11, 20, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def test_batch_and_checkpoint_commit_together(store: Store) -> None:
    ids = store.save_batch([(ref(1), triaged("a")), (ref(2), triaged("b"))], Checkpoint("imap://t@h:1/INBOX", 7, 2))
    assert len(ids) == 2
    assert store.checkpoint("imap://t@h:1/INBOX") == Checkpoint("imap://t@h:1/INBOX", 7, 2)


def test_failed_batch_leaves_no_rows_and_no_checkpoint(store: Store) -> None:
    class Boom(Exception):
        pass

    def items():  # type: ignore[no-untyped-def]
        yield ref(1), triaged("a")
        raise Boom()

    with pytest.raises(Boom):
        store.save_batch(items(), Checkpoint("imap://t@h:1/INBOX", 7, 1))
    assert store.count_messages() == 0
    assert store.checkpoint("imap://t@h:1/INBOX") is None


def test_same_uid_twice_is_a_no_op(store: Store) -> None:
    store.save_batch([(ref(1), triaged("a"))], None)
    again = store.save_batch([(ref(1), triaged("a"))], None)
    assert again == []
    assert store.count_messages() == 1


def test_checkpoint_never_moves_backwards(store: Store) -> None:
    store.save_batch([(ref(5), triaged("a"))], Checkpoint("imap://t@h:1/INBOX", 7, 5))
    store.save_batch([(ref(3), triaged("b"))], Checkpoint("imap://t@h:1/INBOX", 7, 3))
    assert store.checkpoint("imap://t@h:1/INBOX").last_uid == 5  # type: ignore[union-attr]


def test_queue_orders_errors_then_urgency(store: Store) -> None:
    raw = RawMessage("m", 0, "x", b"", None, 10, "too big")
    store.save_batch(
        [
            (ref(1), triaged("low", score=10)),
            (ref(2), triaged("high", score=90)),
            (ref(3), error_result(raw, "too big")),
        ],
        None,
    )
    q = store.queue()
    assert [r["status"] for r in q] == ["error", "ok", "ok"]
    assert [r["urgency"] for r in q[1:]] == [90, 10]
    assert q[1]["intents"] == ["cancel"] and q[1]["reasons"] == ["cancel before packing"]


def test_done_and_reopen_are_audited(store: Store) -> None:
    (mid,) = store.save_batch([(ref(1), triaged("a"))], None)
    store.set_state(mid, "done", "alice")
    assert store.queue() == []
    store.set_state(mid, "open", "bob")
    item = store.item(mid)
    assert item is not None
    assert [(e["actor"], e["action"]) for e in item["events"]] == [
        ("triage", "stored"),
        ("alice", "done"),
        ("bob", "open"),
    ]
    with pytest.raises(StoreError, match="no item with ID 999"):
        store.set_state(999, "done", "x")


def test_orders_upsert(store: Store) -> None:
    o = Order(number="1042", email="A@Example.com", stage="unfulfilled", items=("Mug",))
    store.upsert_orders([o])
    store.upsert_orders([Order(number="1042", email="a@example.com", stage="shipped", items=("Mug",))])
    (back,) = store.orders()
    assert back.stage == "shipped" and back.email == "a@example.com" and back.items == ("Mug",)


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    Store(tmp_path / "w.db").close()
    con = sqlite3.connect(tmp_path / "w.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
