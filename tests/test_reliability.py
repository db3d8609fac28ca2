"""The reliability harness: kills, server restarts, hostile and malformed mail, a full or read-only store."""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import SHARED_EVAL
from tests.support.cli import spawn_triage, stop, write_config
from tests.support.dovecot import Dovecot, append
from tests.support.mailgen import customer_message
from tests.support.watch import rows, wait_for
from triage.config import config_from_dict
from triage.errors import StoreError
from triage.records import Checkpoint, RawMessage
from triage.run.pipeline import Pipeline, stored_ref
from triage.store import Store
from triage.understand.classify import IntentModel


def test_twenty_sigkills_during_a_500_message_ingest(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    total = 500
    append(dovecot, imap_folder, [customer_message(i, seed=40) for i in range(total)])
    cfg = write_config(tmp_path, dovecot, imap_folder, batch_size=5)
    db = tmp_path / "triage.db"
    rng = random.Random(40)
    kills = 0
    for _ in range(60):
        if kills == 20 or rows(db) >= total:
            break
        before = rows(db)
        proc = spawn_triage("--config", str(cfg), "once")
        # Kill once this run has committed one or two batches, then a few ms later: every kill lands in the
        # middle of an ingest at a random point, and 20 kills use well under 500 messages however fast the
        # machine is (a pure time delay let a fast run finish the backlog before the 20th kill).
        at_least = before + rng.randint(1, 10)
        wait_for(lambda n=at_least, p=proc: rows(db) >= n or p.poll() is not None, timeout=60, step=0.002)
        time.sleep(rng.uniform(0, 0.01))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate()
    assert kills == 20, f"only {kills} kills landed mid-ingest"
    assert rows(db) < total, "the ingest must not have finished before the last kill"
    final = spawn_triage("--config", str(cfg), "once")
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert rows(db) == total
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == total
    assert rows(db, "SELECT count(*) FROM triage") == total
    assert rows(db, "SELECT count(*) FROM messages WHERE status != 'ok'") == 0


def test_dovecot_restart_mid_ingest_loses_nothing(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    total = 400
    cfg = write_config(tmp_path, dovecot, imap_folder, batch_size=5, poll_seconds=1, reconnect_max_seconds=1.0)
    db = tmp_path / "triage.db"
    proc = spawn_triage("--config", str(cfg), "run")
    try:
        wait_for(lambda: rows(db, "SELECT count(last_poll_at) FROM mailbox_state") == 1, timeout=60)
        append(dovecot, imap_folder, [customer_message(i, seed=41) for i in range(total)])
        wait_for(lambda: rows(db) > 20, timeout=60, step=0.005)
        dovecot.restart()
        wait_for(lambda: rows(db) == total, timeout=120)
    finally:
        err = stop(proc)
    assert rows(db, "SELECT count(DISTINCT message_id) FROM messages") == total
    assert "reconnecting" in err


# -- malformed and hostile mail, through the real pipeline and store ---------------------------------------


def _seeds() -> list[bytes]:
    files = sorted(p for p in SHARED_EVAL.glob("emails-*/**/*") if p.is_file() and p.suffix in ("", ".eml", ".txt"))
    files = [p for p in files if p.name not in ("SOURCE.md", "LICENSE", "NOTICE") and p.stat().st_size < 200_000]
    assert len(files) > 100, f"the shared eval mail corpora are missing under {SHARED_EVAL}"
    rng = random.Random(7)
    return [p.read_bytes() for p in rng.sample(files, 40)] + [customer_message(i, seed=42) for i in range(10)]


SEEDS = _seeds()


def _mutate(data: bytes, how: str, at: float) -> bytes:
    cut = int(len(data) * at)
    if how == "truncate":
        return data[:cut]
    if how == "charset":
        return data.replace(b"utf-8", b"x-bogus-8").replace(b"us-ascii", b"koi8-q").replace(b"UTF-8", b"ebcdic-9")
    if how == "boundary":
        return data.replace(b"boundary=", b"boundary=broken").replace(b"--=", b"--?", 3)
    if how == "inject":
        return b"Subject: hello\r\nBcc: victim@example.com\r\nX-Injected: 1\r\n" + data
    if how == "garbage":
        return data[:cut] + bytes(random.Random(cut).randrange(256) for _ in range(500)) + data[cut:]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    how=st.sampled_from(["truncate", "charset", "boundary", "inject", "garbage", "none"]),
    at=st.floats(min_value=0, max_value=1),
)
def test_mutated_mail_never_crashes_and_always_gets_a_row(
    intent_model: IntentModel, seed: int, how: str, at: float
) -> None:
    data = _mutate(SEEDS[seed], how, at)
    pipeline = Pipeline(config_from_dict({"limits": {"parse_timeout_seconds": 5.0}}), intent_model)
    raw = RawMessage("fuzz", 1, "1", data, datetime(2026, 11, 20, tzinfo=UTC), len(data))
    (result,) = pipeline.run([raw])
    assert result.status in ("ok", "error")
    store = Store(":memory:")
    ids = store.save_batch([(stored_ref(raw, result), result)], Checkpoint("fuzz", 1, 1))
    assert len(ids) == 1
    if result.draft is not None:
        assert "\n" not in result.draft.subject and "\r" not in result.draft.subject


def _nested(depth: int) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\nplease cancel order 1042\r\n"
    for level in range(depth):
        b = f"b{level}".encode()
        inner = (
            b'Content-Type: multipart/mixed; boundary="'
            + b
            + b'"\r\n\r\n--'
            + b
            + b"\r\n"
            + inner
            + b"\r\n--"
            + b
            + b"--\r\n"
        )
    return b"From: deep@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + inner


def test_pathological_shapes_are_bounded(intent_model: IntentModel) -> None:
    big = EmailMessage()
    big["From"] = "big@example.com"
    big["Subject"] = "huge body"
    big.set_content("refund please " * (20 * 1024 * 1024 // 14))
    cases = [_nested(50), bytes(big), b"", b"\x00" * 1000, b"From: x\r\n" * 50_000]
    pipeline = Pipeline(config_from_dict({"limits": {"parse_timeout_seconds": 10.0}}), intent_model)
    raws = [RawMessage("p", 1, str(i), d, None, len(d)) for i, d in enumerate(cases)]
    start = time.monotonic()
    results = pipeline.run(raws)
    assert time.monotonic() - start < 60  # a guard against a hang, not a speed assertion
    assert [r.status in ("ok", "error") for r in results] == [True] * len(cases)
    assert any("nesting" in d for d in results[0].parsed.defects)  # deeper parts skipped, and said so
    assert len(results[1].parsed.body_text) <= 300_000


def test_hostile_html_never_reaches_stored_text_or_draft(intent_model: IntentModel) -> None:
    html = (
        '<p>Please cancel order #1042</p><script>document.location="http://evil.example/"</script>'
        '<img src="http://evil.example/pixel.png"><style>p{color:red}</style>'
    )
    data = (
        "From: Mallory <mallory@example.com>\r\n"
        # An encoded word that decodes to a CR LF and a Bcc header: header injection through the subject.
        "Subject: =?utf-8?q?Cancel_order_=231042=0D=0ABcc:_everyone@example.com?=\r\n"
        "Message-ID: <hostile@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        + html
    ).encode()
    (result,) = Pipeline(config_from_dict({}), intent_model).run([RawMessage("h", 1, "1", data, None, len(data))])
    assert result.status == "ok"
    text = result.parsed.new_text + result.parsed.body_text
    assert "cancel order #1042" in text.lower()
    assert "document.location" not in text and "<script" not in text and "color:red" not in text
    assert result.draft is not None
    assert "\n" not in result.draft.subject and "Bcc" not in result.draft.to


# -- the store when the disk is full or the file read-only --------------------------------------------------


def _two_results(model: IntentModel) -> list:
    raws = [RawMessage("m", 7, str(i), customer_message(i, seed=43), None) for i in (1, 2)]
    return [(stored_ref(r, t), t) for r, t in zip(raws, Pipeline(config_from_dict({}), model).run(raws), strict=True)]


def test_disk_full_is_a_clear_error_with_no_partial_checkpoint(intent_model: IntentModel, tmp_path: Path) -> None:
    store = Store(tmp_path / "full.db")
    items = _two_results(intent_model)
    store.save_batch(items[:1], Checkpoint("m", 7, 1))
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    big = replace(items[1][1], parsed=replace(items[1][1].parsed, new_text="x" * 200_000))
    with pytest.raises(StoreError, match="database or disk is full"):
        store.save_batch([(items[1][0], big)], Checkpoint("m", 7, 2))
    assert store.checkpoint("m") == Checkpoint("m", 7, 1)
    assert store.count_messages() == 1


def test_read_only_store_is_a_clear_error_with_no_partial_checkpoint(intent_model: IntentModel, tmp_path: Path) -> None:
    store = Store(tmp_path / "ro.db")
    items = _two_results(intent_model)
    store.save_batch(items[:1], Checkpoint("m", 7, 1))
    store.db.execute("PRAGMA query_only = ON")  # what a read-only file or mount looks like to SQLite
    with pytest.raises(StoreError, match="cannot write to the store"):
        store.save_batch(items[1:], Checkpoint("m", 7, 2))
    store.db.execute("PRAGMA query_only = OFF")
    assert store.checkpoint("m") == Checkpoint("m", 7, 1)
    assert sqlite3.connect(tmp_path / "ro.db").execute("SELECT count(*) FROM messages").fetchone()[0] == 1
