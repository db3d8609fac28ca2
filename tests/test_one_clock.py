"""The demo's figures use one clock: with [shop] now pinned (the demo's 2026-11-21 09:30), what the store
writes (stored_at, drafts, heartbeats, audit events) is stamped with that time too, so "arrival to draft"
is hours, not the twelve days between the demo's pinned morning and the real date."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.cli import TriageCli
from triage.config import demo_config
from triage.report.summary import collect
from triage.store import Store


def test_demo_stores_and_reports_on_its_own_clock(tmp_path: Path, triage_cli: TriageCli) -> None:
    db = tmp_path / "demo.db"
    result = triage_cli("demo", "--store", str(db))
    assert result.returncode == 0, result.stderr
    cfg = demo_config(db)
    now = datetime.fromisoformat(cfg.shop.now)
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    con = sqlite3.connect(db)
    try:
        stored = {r[0] for r in con.execute("SELECT stored_at FROM messages")}
        drafted = {r[0] for r in con.execute("SELECT created_at FROM drafts UNION SELECT updated_at FROM drafts")}
        polled = {r[0] for r in con.execute("SELECT last_poll_at FROM mailbox_state")}
    finally:
        con.close()
    assert stored == drafted == polled == {stamp}
    store = Store(db)
    try:
        s = collect(store, cfg, (now - timedelta(days=1)).date(), now)
    finally:
        store.close()
    # The 20th's drafts were all written at 09:30 on the 21st: none waited more than a day and a half.
    assert s.today.drafts > 0
    assert s.today.draft_median is not None and s.today.draft_p90 is not None
    assert 0 < s.today.draft_median <= s.today.draft_p90 <= timedelta(hours=34).total_seconds()
    assert s.generated_at == now
