"""The store on a real SQLite file: atomic batches with checkpoints, idempotent inserts, audit events, and the
typed records its read side returns."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import FrozenInstanceError, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from triage.errors import NotFoundError, StoreError
from triage.records import (
    Attachment,
    Checkpoint,
    Draft,
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
from triage.store import (
    SCHEMA_VERSION,
    ArrivedMessage,
    AuditEvent,
    Conversation,
    ConversationMessage,
    Item,
    MailboxState,
    QueueRow,
    StateChange,
    Store,
    StoredDraft,
)
from triage.store.rows import reader
from triage.store.schema import initial_state


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
    assert [r.status for r in q] == ["error", "ok", "ok"]
    assert [r.urgency for r in q[1:]] == [90, 10]
    assert q[1].intents == ("cancel",) and q[1].reasons == ("cancel before packing",)


def test_done_and_reopen_are_audited(store: Store) -> None:
    (mid,) = store.save_batch([(ref(1), triaged("a"))], None)
    (conv,) = store.queue()
    assert [m.id for m in conv.messages] == [mid]
    store.set_conversation_state(conv.id, "done", "alice")
    assert store.queue() == []
    store.set_conversation_state(conv.id, "open", "bob")
    shown = store.conversation(conv.id)
    assert shown is not None
    assert [(e.actor, e.action) for e in shown.events] == [
        ("triage", "stored"),
        ("alice", "done"),
        ("bob", "open"),
    ]
    with pytest.raises(NotFoundError, match="no conversation with ID 999"):
        store.set_conversation_state(999, "done", "x")


def test_closing_a_closed_item_changes_nothing_and_adds_no_event(store: Store) -> None:
    (mid,) = store.save_batch([(ref(1), triaged("a"))], None)
    assert store.set_state(mid, "done", "alice") is True
    assert store.set_state(mid, "done", "bob") is False
    item = store.item(mid)
    assert item is not None and [(e.actor, e.action) for e in item.events] == [("triage", "stored"), ("alice", "done")]


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
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7


# ---------------------------------------------------------------- typed records


def with_draft(subject: str, **parsed: object) -> Triaged:
    from dataclasses import replace

    t = triaged(subject)
    draft = Draft(
        to="a@example.com",
        subject="Re: " + subject,
        body="Hello,\n",
        in_reply_to="<1@x>",
        references=("<0@x>", "<1@x>"),
        language="de",
    )
    return replace(t, parsed=replace(t.parsed, **parsed), draft=draft)


def test_queue_rows_are_frozen_records_with_decoded_columns(store: Store) -> None:
    store.save_batch([(ref(1), triaged("a"))], None)
    (row,) = store.queue()
    assert isinstance(row, Conversation) and isinstance(row.messages[0], ConversationMessage)
    message = store.item(row.messages[0].id)
    assert row.intents == ("cancel",) and message is not None and message.scores == {"cancel": 0.9}
    assert row.missing == ("order_number",)
    assert row.low_confidence is False and row.redactions == {} and row.flags == ()
    assert row.stage == "unknown" and row.match_how == "none"
    assert row.messages[0].received_at == row.opened_at == "2026-11-20T00:00:00+00:00"
    with pytest.raises(FrozenInstanceError):
        row.state = "done"  # type: ignore[misc]
    # The message-by-message view is still there for tools that want it.
    (old,) = store.message_queue()
    assert isinstance(old, QueueRow) and old.received_at == "2026-11-20T00:00:00+00:00"


def test_queue_row_json_is_the_contract_shape(store: Store) -> None:
    store.save_batch([(ref(1), triaged("a"))], None)
    (row,) = store.queue()
    out = row.to_json()
    contract = ["id", "customer", "subject", "intents", "withdrawn", "order", "urgency", "reasons", "deadline"]
    assert list(out)[:12] == [*contract, "state", "flags", "messages"]
    assert out["low_confidence"] is False  # booleans print as true/false (design.md)
    assert out["intents"] == ["cancel"] and json.loads(json.dumps(out))["intents"] == ["cancel"]
    assert out["order"] is None and out["withdrawn"] == []
    (old,) = store.message_queue()
    old_out = old.to_json()
    assert list(old_out) == [f.name for f in fields(QueueRow)]
    assert old_out["low_confidence"] == 0 and type(old_out["low_confidence"]) is int  # as SQLite stores it


def test_item_carries_its_draft_attachments_and_history(store: Store) -> None:
    files = (Attachment("label.pdf", "application/pdf", 1234),)
    (mid,) = store.save_batch([(ref(1), with_draft("a", attachments=files, to=("s@shop.example",)))], None)
    item = store.item(mid)
    assert isinstance(item, Item)
    assert item.attachments == files and item.to_addrs == ("s@shop.example",) and item.html_only is False
    assert item.extraction["order_numbers"] == ["1042"]
    assert isinstance(item.draft, StoredDraft) and item.draft.refs == ("<0@x>", "<1@x>")
    assert item.events == (AuditEvent(item.stored_at or "", "triage", "stored", "cancel"),)
    out = item.to_json()
    assert list(out)[-2:] == ["draft", "events"] and list(out) == [f.name for f in fields(Item)]
    # Columns the contract always printed as their JSON text still are; nested records become objects.
    assert out["to_addrs"] == '["s@shop.example"]' and out["draft"]["refs"] == '["<0@x>","<1@x>"]'
    assert out["attachments"] == [{"filename": "label.pdf", "content_type": "application/pdf", "size": 1234}]
    assert out["events"] == [{"at": item.stored_at, "actor": "triage", "action": "stored", "detail": "cancel"}]
    assert store.item(999) is None


def test_stored_draft_gives_back_the_draft_the_reply_stage_made(store: Store) -> None:
    t = with_draft("a")
    store.save_batch([(ref(1), t)], None)
    (pending,) = store.drafts_to_sync()
    assert pending.as_draft() == t.draft
    store.draft_synced(pending.id, "Drafts", 17, "<d@x>")
    assert store.drafts_to_sync() == []
    item = store.item(pending.message)
    assert item is not None and item.draft is not None
    assert (item.draft.imap_folder, item.draft.imap_uid, item.draft.message_id_header) == ("Drafts", 17, "<d@x>")


def test_health_is_a_typed_record_with_times(store: Store) -> None:
    store.save_batch([(ref(1), triaged("a"))], Checkpoint("imap://t@h:1/INBOX", 7, 1))
    store.heartbeat("imap://t@h:1/INBOX")
    store.heartbeat("imap://t@h:1/INBOX", "connection reset")
    (h,) = store.health()
    assert isinstance(h, MailboxState)
    assert (h.mailbox, h.uidvalidity, h.last_uid, h.messages_seen) == ("imap://t@h:1/INBOX", 7, 1, 1)
    assert h.last_error == "connection reset"
    assert h.last_poll_at is not None and h.last_poll_at.tzinfo is not None and h.last_error_at is not None


@pytest.mark.parametrize(
    ("status", "no_reply", "state"),
    [
        ("ok", None, "open"),
        ("ok", "auto_reply", "done"),
        ("ok", "list", "done"),
        ("error", None, "open"),
        ("error", "bounce", "open"),
    ],
)
def test_initial_state(status: str, no_reply: str | None, state: str) -> None:
    assert initial_state(status, no_reply) == state


def test_automated_mail_is_stored_closed_and_tracked_from_its_first_state(store: Store) -> None:
    from dataclasses import replace

    auto = triaged("out of office")
    auto = replace(auto, parsed=replace(auto.parsed, no_reply="auto_reply"))
    a, b = store.save_batch([(ref(1), triaged("a")), (ref(2), auto)], None)
    assert [m.id for r in store.queue() for m in r.messages] == [a]
    store.set_state(b, "open", "alice")
    tracked = {t.id: t for t in store.tracked_items()}
    assert tracked[a].initial_state == "open" and tracked[a].changes == ()
    assert tracked[b].initial_state == "done" and [c.state for c in tracked[b].changes] == ["open"]
    assert isinstance(tracked[b].changes[0], StateChange) and tracked[b].received_at == datetime(
        2026, 11, 20, tzinfo=UTC
    )


def test_summary_figures_are_typed(store: Store) -> None:
    start = datetime(2026, 11, 19, tzinfo=UTC)
    store.save_batch([(ref(1), with_draft("a")), (ref(2), triaged("b"))], None)
    assert store.first_arrival() == datetime(2026, 11, 20, tzinfo=UTC)
    first, second = store.arrived_between(start, start + timedelta(days=2))
    assert isinstance(first, ArrivedMessage) and first.intents == ("cancel",) and first.stage == "unknown"
    assert first.draft_created is not None and first.draft_created.tzinfo is not None
    assert second.draft_created is None
    assert store.arrived_between(start, start + timedelta(days=1)) == []
    # Matched or mentioned: the extraction of both messages names order 1042.
    assert store.mentioned_orders(["1042", "7", "1042"]) == frozenset({"1042"})
    assert store.mentioned_orders([]) == frozenset()


def test_a_query_and_its_record_cannot_drift_apart(store: Store) -> None:
    rows = store.db.conn.execute("SELECT at, action FROM events")  # AuditEvent is (at, actor, action, detail)
    with pytest.raises(StoreError, match=r"AuditEvent: the query selects \('at', 'action'\)"):
        reader(AuditEvent, rows.description)
    rows = store.db.conn.execute("SELECT at, actor FROM events")
    assert reader(AuditEvent, rows.description)(("2026-11-20T00:00:00+00:00", "bob"), action="done", detail=None) == (
        AuditEvent("2026-11-20T00:00:00+00:00", "bob", "done", None)
    )
