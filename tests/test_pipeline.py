"""Per-message isolation: a poisonous message becomes an error row; the rest of the batch is triaged."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

import triage.run.pipeline as pipeline_module
from tests.support.mailgen import customer_message
from triage.config import config_from_dict
from triage.errors import ConfigError
from triage.records import RawMessage
from triage.run.guard import WorkTimeout, time_limit
from triage.run.pipeline import Pipeline, fingerprint, stored_ref, thread_key
from triage.understand.classify import IntentModel


def raw(i: int, data: bytes | None = None) -> RawMessage:
    body = customer_message(i, seed=30) if data is None else data
    return RawMessage("test", 1, str(i), body, datetime(2026, 11, 20, tzinfo=UTC), len(body))


def test_time_limit_interrupts_runaway_work() -> None:
    start = time.monotonic()
    with pytest.raises(WorkTimeout), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - start < 5


def test_hanging_parse_is_quarantined_and_the_rest_continue(
    intent_model: IntentModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config_from_dict({"limits": {"parse_timeout_seconds": 0.3}})
    real_parse = pipeline_module.parse_message

    def parse(data: bytes, own: frozenset[str]):  # type: ignore[no-untyped-def]
        if b"POISON" in data:
            while True:  # a parse that never ends
                pass
        return real_parse(data, own)

    monkeypatch.setattr(pipeline_module, "parse_message", parse)
    batch = [raw(0), raw(1, b"Subject: x\r\n\r\nPOISON\r\n"), raw(2)]
    results = Pipeline(cfg, intent_model).run(batch)
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert "timed out" in (results[1].error or "")
    assert results[1].urgency.reasons and "could not be triaged" in results[1].urgency.reasons[0]


def test_crashing_stage_leaves_an_error_row_with_the_parsed_headers(
    intent_model: IntentModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("bug in extraction")

    monkeypatch.setattr(pipeline_module, "extract", boom)
    (result,) = Pipeline(config_from_dict({}), intent_model).run([raw(3)])
    assert result.status == "error" and "bug in extraction" in (result.error or "")
    assert result.parsed.message_id  # kept, so the row can be deduplicated and shown with its subject


def test_non_mail_bytes_become_an_error_row(intent_model: IntentModel) -> None:
    (result,) = Pipeline(config_from_dict({}), intent_model).run(
        [raw(4, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))]
    )
    assert result.status == "error"


def test_fingerprint_and_thread_key(intent_model: IntentModel) -> None:
    r = raw(5)
    (result,) = Pipeline(config_from_dict({}), intent_model).run([r])
    assert fingerprint(r, result.parsed).startswith("mid:")
    assert thread_key(result.parsed) == result.parsed.message_id.lower()  # type: ignore[union-attr]
    assert stored_ref(r, result).fingerprint == fingerprint(r, result.parsed)
    no_id = raw(6, b"From: a@example.com\r\nSubject: hi\r\n\r\nrefund please\r\n")
    assert fingerprint(no_id, None).startswith("sha256:")


def test_prefetch_keeps_order_propagates_errors_and_stops_its_worker() -> None:
    import threading

    from triage.errors import MailboxError
    from triage.run.ingest import prefetched

    def source(fail_at: int | None = None):  # type: ignore[no-untyped-def]
        for i in range(5):
            if i == fail_at:
                raise MailboxError("connection dropped")
            yield [raw(i)]

    assert [b[0].uid for b in prefetched(source())] == ["0", "1", "2", "3", "4"]
    with pytest.raises(MailboxError, match="connection dropped"):
        list(prefetched(source(fail_at=2)))
    gen = prefetched(source())
    next(gen)
    gen.close()  # the consumer stops early (e.g. the store failed)
    assert not any(t.name == "triage-prefetch" for t in threading.enumerate())


def test_intent_names_in_the_config_come_from_the_model(intent_model: IntentModel) -> None:
    cfg = config_from_dict({"intents": {"cancle": {"required": []}}}, name="inbox.toml")
    with pytest.raises(ConfigError, match=r"inbox.toml \[intents.cancle\]: unknown intent; the model knows: .*cancel"):
        Pipeline(cfg, intent_model)
