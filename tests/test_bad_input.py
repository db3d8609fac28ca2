"""Bad input gets a clear answer and nothing is lost: out-of-range config values, unknown keys, odd order
statuses, invalid e-mails, a broken CSV quote, and one unreadable file in a Maildir."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli, invoke_triage
from tests.support.mailgen import customer_message
from triage.config import config_from_dict
from triage.errors import ConfigError
from triage.orders.csv_import import orders_from_text
from triage.orders.rank import rank
from triage.records import IntentResult, Order, OrderMatch
from triage.settings import OrdersSettings, RankSettings
from triage.sources.local import LocalMailbox

# -- config values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "says"),
    [
        ({"orders": {"daily_cutoff": "25:99"}}, "[orders] daily_cutoff", "'25:99'"),
        ({"orders": {"daily_cutoff": "2pm"}}, "[orders] daily_cutoff", "HH:MM"),
        ({"orders": {"fulfillment_hours": -5}}, "[orders] fulfillment_hours", "got -5"),
        ({"orders": {"duplicate_window_minutes": -1}}, "[orders] duplicate_window_minutes", "got -1"),
        ({"orders": {"order_patterns": ["#(\\d+"]}}, "[orders] order_patterns[0]", "not a regular expression"),
        ({"orders": {"order_patterns": ["#\\d+"]}}, "[orders] order_patterns[0]", "capture group"),
        ({"orders": {"status_map": {"x": "gone"}}}, "[orders] status_map.x", "unknown stage"),
        ({"rank": {"high": 500}}, "[rank] high", "expected 0 to 100, got 500"),
        ({"rank": {"sla_hours": 0}}, "[rank] sla_hours", "got 0"),
        ({"limits": {"parse_timeout_seconds": 0}}, "[limits] parse_timeout_seconds", "got 0"),
        ({"summary": {"smtp": {"port": 0}}}, "[summary.smtp] port", "got 0"),
    ],
)
def test_out_of_range_values_are_refused_naming_key_and_file(raw: dict, key: str, says: str) -> None:
    with pytest.raises(ConfigError) as err:
        config_from_dict(raw, name="shop.toml")
    msg = str(err.value)
    assert msg.startswith(f"shop.toml {key}: ") and says in msg and "\n" not in msg


@pytest.mark.parametrize("good", [{"orders": {"daily_cutoff": "23:59"}}, {"rank": {"high": 100, "low": 0}}])
def test_edge_values_are_accepted(good: dict) -> None:
    config_from_dict(good)


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ({"rank": {"hihg": 70}}, "[rank] hihg: unknown key; did you mean high?"),
        ({"orders": {"daily_cutof": "14:00"}}, "did you mean daily_cutoff?"),
        ({"imap": {"pasword_env": "X"}}, "did you mean password_env?"),
        ({"shpo": {}}, "[shpo]: unknown section; did you mean shop?"),
    ],
)
def test_unknown_key_suggests_the_nearest_known_one(raw: dict, suggestion: str) -> None:
    with pytest.raises(ConfigError, match=None) as err:
        config_from_dict(raw)
    assert suggestion in str(err.value)


def test_no_suggestion_when_nothing_is_near() -> None:
    with pytest.raises(ConfigError) as err:
        config_from_dict({"rank": {"zzzzqqq": 1}})
    assert "did you mean" not in str(err.value)


def test_the_demo_cutoff_bug_exits_2_in_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text((ROOT / "inbox.toml").read_text().replace('daily_cutoff = "14:00"', 'daily_cutoff = "25:99"'))
    result = invoke_triage("--config", str(cfg), "once")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"{cfg} [orders] daily_cutoff" in result.stderr


# -- orders CSV --------------------------------------------------------------------------------------------

HEADER = "Name,Email,Financial Status,Fulfillment Status,Created at,Lineitem quantity,Lineitem name"


def _shopify(*rows: str):
    return orders_from_text("\n".join([HEADER, *rows]) + "\n", OrdersSettings(timezone="Europe/Berlin"))


def test_unknown_shopify_status_becomes_unknown_with_a_warning_naming_the_row() -> None:
    result = _shopify(
        "#1001,a@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Mug",
        "#1002,b@example.com,weird_status,,2026-11-20 10:00:00 +0100,1,Mug",
        "#1003,c@example.com,paid,teleported,2026-11-20 10:00:00 +0100,1,Mug",
    )
    stages = {o.number: o.stage for o in result.orders}
    assert stages == {"1001": "unfulfilled", "1002": "unknown", "1003": "unknown"}
    problems = {p.line: p for p in result.problems}
    assert sorted(problems) == [3, 4]
    assert "#1002" in problems[3].message and "weird_status" in problems[3].message and not problems[3].skipped
    assert "Fulfillment Status" in problems[4].message and "teleported" in problems[4].message


def test_unknown_stage_never_ranks_above_a_known_open_order() -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    scores = {}
    for stage in ("unknown", "unfulfilled"):
        order = Order(number="1", email="a@example.com", stage=stage, created_at=now)
        urgency = rank(
            IntentResult(("cancel",), {"cancel": 0.9}),
            OrderMatch(order, "number", ("1",)),
            now,
            now,
            {},
            0,
            OrdersSettings(),
            RankSettings(),
        )
        scores[stage] = urgency.score
    assert scores["unknown"] < scores["unfulfilled"]


def test_invalid_email_is_reported_with_its_line_and_the_order_loads() -> None:
    result = _shopify(
        "#1001,not-an-address,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Mug",
        "#1002,b@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Mug",
    )
    assert {o.number: o.email for o in result.orders} == {"1001": None, "1002": "b@example.com"}
    [problem] = result.problems
    assert problem.line == 2 and "invalid e-mail" in problem.message and not problem.skipped


def test_unclosed_quote_is_reported_with_the_lines_it_swallowed() -> None:
    result = _shopify(
        "#1001,a@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Mug",
        '#1002,b@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,"Mug, blue',
        "#1003,c@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Plate",
        '#1004,d@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,"Bowl"',
        "#1005,e@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Cup",
    )
    assert [o.number for o in result.orders] == ["1001", "1005"]
    [problem] = result.problems
    assert problem.line == 3 and problem.skipped
    assert "lines 3-5" in problem.message and "quote opened on line 3" in problem.message


def test_unclosed_quote_at_the_end_of_the_file_names_its_line() -> None:
    result = _shopify(
        "#1001,a@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,Mug",
        '#1002,b@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,"Mug',
    )
    assert [o.number for o in result.orders] == ["1001"]
    assert [p.line for p in result.problems] == [3]
    assert "line 3;" in result.problems[0].message and "not closed" in result.problems[0].message


def test_import_orders_prints_warnings_and_skips_apart(tmp_path: Path) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "\n".join(
            [
                HEADER,
                "#1001,a@example.com,weird_status,,2026-11-20 10:00:00 +0100,1,Mug",
                '#1002,b@example.com,paid,unfulfilled,2026-11-20 10:00:00 +0100,1,"Mug',
                "#1003,c@example.com,paid,,2026-11-20 10:00:00 +0100,1,Mug",
            ]
        )
        + "\n"
    )
    (tmp_path / "inbox.toml").write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n')
    result = invoke_triage("--config", str(tmp_path / "inbox.toml"), "import-orders", str(csv))
    assert result.returncode == 0, result.stderr
    assert f"{csv}:2: order #1001: unknown Financial Status" in result.stderr
    assert f"{csv}:3: malformed CSV" in result.stderr and "(row skipped)" in result.stderr
    assert "imported 1 order(s)" in result.stdout and "1 row(s) skipped, 1 warning(s)" in result.stdout


# -- an unreadable file in a Maildir ------------------------------------------------------------------------


def _maildir(tmp: Path, count: int) -> Path:
    import mailbox

    box = mailbox.Maildir(str(tmp / "md"), create=True)
    for i in range(count):
        box.add(customer_message(i, seed=31))
    return tmp / "md"


def test_a_dangling_file_in_a_maildir_becomes_an_error_row_naming_it(tmp_path: Path) -> None:
    md = _maildir(tmp_path, 3)
    broken = md / "new" / "1795000000.M99P1.host"
    broken.symlink_to(tmp_path / "gone.eml")
    batches = list(LocalMailbox("maildir", md).fetch_new(None, set()))
    raws = [r for b in batches for r in b]
    assert len(raws) == 4
    [bad] = [r for r in raws if r.error]
    assert bad.uid == "1795000000.M99P1.host" and str(broken) in (bad.error or "")
    assert all(r.data for r in raws if not r.error)


def test_the_run_goes_on_past_an_unreadable_file(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path, 4)
    (md / "cur" / "1795000001.M1P1.host:2,S").symlink_to(tmp_path / "gone.eml")
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 0, result.stderr
    assert "triaged 5 new message(s)" in result.stderr and "1 could not be parsed" in result.stderr
    con = sqlite3.connect(tmp_path / "t.db")
    statuses = sorted(r[0] for r in con.execute("SELECT status FROM messages"))
    assert statuses.count("error") == 1 and len(statuses) == 5
    queue = triage_cli("--config", str(cfg), "queue", "--json")
    assert "gone.eml" in queue.stdout or "1795000001" in queue.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; the dangling-link tests cover this as root")
def test_a_file_without_read_permission_becomes_an_error_row(tmp_path: Path) -> None:
    md = _maildir(tmp_path, 2)
    secret = md / "new" / "1795000002.M2P2.host"
    secret.write_bytes(customer_message(9, seed=31))
    secret.chmod(0o000)
    raws = [r for b in LocalMailbox("maildir", md).fetch_new(None, set()) for r in b]
    assert len(raws) == 3
    [bad] = [r for r in raws if r.error]
    assert "Permission denied" in (bad.error or "") and str(secret) in (bad.error or "")
