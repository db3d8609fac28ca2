"""The README's first command, end to end: the demo inbox through the whole pipeline into the queue.

The first run is a real `run_triage.py` process (the entry point, its logging, its exit); the commands after it
run in this process through the same `triage.cli.main`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli, run_triage

DEMO_CARDS = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> dict[str, object]:
    """`triage demo` into a fresh store (as a process: the README's first command), then the main job again
    with the repository's inbox.toml on the same store and `queue --json` in this process."""
    tmp = tmp_path_factory.mktemp("demo")
    text = (ROOT / "inbox.toml").read_text()
    text = text.replace('path = "triage.db"', f'path = "{tmp / "triage.db"}"')
    text = text.replace('path = "demo/inbox"', f'path = "{ROOT / "demo" / "inbox"}"')
    text = text.replace('file = "demo/orders.csv"', f'file = "{ROOT / "demo" / "orders.csv"}"')
    text = text.replace('path = "models/intent"', f'path = "{MODEL}"')
    cfg = tmp / "inbox.toml"
    cfg.write_text(text)
    first = run_triage("-v", "demo", "--store", str(tmp / "triage.db"))
    second = triage_cli("--config", str(cfg), "once")
    queue_json = triage_cli("--config", str(cfg), "queue", "--json")
    return {"cfg": cfg, "db": tmp / "triage.db", "first": first, "second": second, "queue": queue_json}


def test_main_job_prints_the_queue(demo: dict) -> None:
    first = demo["first"]
    assert first.returncode == 0, first.stderr
    assert "triaged 47 new message(s) from demo" in first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("demo: last poll")  # the mailbox's name, not the installed inbox's full path
    assert any(line.lstrip().startswith("#") and "SCORE" in line for line in lines)
    assert "open conversation(s)" in first.stdout


def test_rerun_adds_nothing(demo: dict) -> None:
    assert demo["second"].returncode == 0
    assert "triaged 0 new message(s)" in demo["second"].stderr
    con = sqlite3.connect(demo["db"])
    assert con.execute("SELECT count(*) FROM messages").fetchone()[0] == 47


def test_never_reply_messages_are_stored_but_not_queued(demo: dict) -> None:
    con = sqlite3.connect(demo["db"])
    reasons = sorted(r[0] for r in con.execute("SELECT no_reply FROM messages WHERE no_reply IS NOT NULL"))
    assert reasons == ["auto_reply", "auto_reply", "auto_reply", "bounce", "list", "own"]
    queued = json.loads(demo["queue"].stdout)
    # 41 customer messages in 37 conversations: four follow-ups joined their threads.
    assert sum(len(c["messages"]) for c in queued) == 41
    assert len(queued) == 37
    assert all(item["automated"] is None for item in queued)


def test_queue_is_sorted_by_urgency(demo: dict) -> None:
    scores = [item["urgency"] for item in json.loads(demo["queue"].stdout) if item["status"] == "ok"]
    assert scores == sorted(scores, reverse=True)


def test_every_named_existing_order_is_matched(demo: dict) -> None:
    con = sqlite3.connect(demo["db"])
    orders = {r[0] for r in con.execute("SELECT number FROM orders")}
    rows = con.execute(
        "SELECT m.uid, t.extraction, t.order_number, t.match_how FROM messages m JOIN triage t ON t.message = m.id "
        "WHERE m.no_reply IS NULL"
    ).fetchall()
    named = 0
    for uid, extraction, order_number, how in rows:
        numbers = json.loads(extraction)["order_numbers"]
        existing = [n for n in numbers if n in orders]
        if existing:
            named += 1
            assert order_number in existing, (uid, numbers, order_number, how)
    assert named >= 25


def test_card_numbers_never_rest(demo: dict) -> None:
    """Scan the SQLite file's bytes (and WAL), stdout and stderr for the demo's test card digits."""
    blobs = [Path(str(demo["db"]) + suffix) for suffix in ("", "-wal")]
    data = b"".join(p.read_bytes() for p in blobs if p.exists())
    digits_only = re.sub(rb"[^0-9]", b"", data)
    outputs = "".join(demo[k].stdout + demo[k].stderr for k in ("first", "second", "queue"))
    outputs_digits = re.sub(r"\D", "", outputs)
    for card in DEMO_CARDS:
        assert card.encode() not in digits_only
        assert card not in outputs_digits
    con = sqlite3.connect(demo["db"])
    flagged = con.execute("SELECT count(*) FROM triage WHERE redactions LIKE '%card_number%'").fetchone()[0]
    assert flagged >= 4


def test_show_prints_one_item(demo: dict, triage_cli: TriageCli) -> None:
    first_id = json.loads(demo["queue"].stdout)[0]["id"]
    result = triage_cli("--config", str(demo["cfg"]), "show", str(first_id))
    assert result.returncode == 0
    assert f"Conversation {first_id}" in result.stdout and "Urgency:" in result.stdout
    for command in ("show", "draft"):  # "not found" is exit 3 (README), as for done and reopen
        missing = triage_cli("--config", str(demo["cfg"]), command, "99999")
        assert missing.returncode == 3 and "no conversation with ID 99999" in missing.stderr


def test_done_and_reopen(demo: dict, triage_cli: TriageCli) -> None:
    item = json.loads(demo["queue"].stdout)[-1]["id"]
    assert triage_cli("--config", str(demo["cfg"]), "done", str(item)).returncode == 0
    ids = [i["id"] for i in json.loads(triage_cli("--config", str(demo["cfg"]), "queue", "--json").stdout)]
    assert item not in ids
    assert triage_cli("--config", str(demo["cfg"]), "reopen", str(item)).returncode == 0
    ids = [i["id"] for i in json.loads(triage_cli("--config", str(demo["cfg"]), "queue", "--json").stdout)]
    assert item in ids


def test_follow_up_nudge_inherits_the_thread_request_but_a_retraction_does_not(
    demo: dict, triage_cli: TriageCli
) -> None:
    queued = json.loads(demo["queue"].stdout)
    (javier,) = [i for i in queued if i["customer"] == "javier.ortega@example.net"]
    nudge = max(javier["messages"], key=lambda m: m["received_at"])
    assert javier["intents"] == ["address_fix"] and nudge["follow_up"] == "chaser"
    shown = json.loads(triage_cli("--config", str(demo["cfg"]), "show", str(javier["id"]), "--json").stdout)
    assert "intent_from_thread" in shown["messages"][-1]["flags"]
    assert any("chased" in r for r in javier["reasons"])
    (dana,) = [i for i in queued if i["customer"] == "dana.okafor@example.org"]
    retraction = max(dana["messages"], key=lambda m: m["received_at"])
    assert "cancel" not in dana["intents"] and retraction["follow_up"] == "retraction"
    assert dana["withdrawn"] == [{"intent": "cancel", "message_id": retraction["message_id"], "reason": "retracted"}]
    assert any("withdrawn" in r for r in dana["reasons"])
    assert dana["urgency"] < javier["urgency"]


def test_silent_duplicate_order_is_flagged_with_both_orders(demo: dict) -> None:
    """Ethan never says he ordered twice, but #1063 and #1064 have the same items four minutes apart."""
    ethan = [i for i in json.loads(demo["queue"].stdout) if i["customer"] == "ethan.clarke@example.net"]
    assert ethan and "likely_duplicate" in ethan[0]["flags"]
    assert any("#1063" in r and "#1064" in r for r in ethan[0]["reasons"])
    others = [i for i in json.loads(demo["queue"].stdout) if i["customer"] == "hannah.whitfield@example.com"]
    assert others and "likely_duplicate" not in others[0]["flags"]  # a repeat customer, days apart


def test_draft_edit_saves_back_and_refuses_card_requests(demo: dict, tmp_path: Path, triage_cli: TriageCli) -> None:
    import stat

    queued = json.loads(demo["queue"].stdout)
    item = next(i for i in queued if i["automated"] is None and i["status"] == "ok")
    shown = triage_cli("--config", str(demo["cfg"]), "draft", str(item["id"]))
    assert shown.returncode == 0 and shown.stdout.startswith("To: ")

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nP.S. Your parcel is insured.\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {"EDITOR": str(editor), "VISUAL": str(editor)}
    edited = triage_cli("--config", str(demo["cfg"]), "draft", str(item["id"]), "--edit", env=env)
    assert edited.returncode == 0, edited.stderr
    after = triage_cli("--config", str(demo["cfg"]), "draft", str(item["id"]))
    assert "P.S. Your parcel is insured." in after.stdout
    history = triage_cli("--config", str(demo["cfg"]), "show", str(item["id"]))
    assert "draft_edited" in history.stdout

    bad = tmp_path / "bad.sh"
    bad.write_text('#!/bin/sh\nprintf "\\nPlease send us your card number and CVV.\\n" >> "$1"\n')
    bad.chmod(bad.stat().st_mode | stat.S_IEXEC)
    bad_env = {**env, "EDITOR": str(bad), "VISUAL": str(bad)}
    refused = triage_cli("--config", str(demo["cfg"]), "draft", str(item["id"]), "--edit", env=bad_env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "card number and CVV" not in triage_cli("--config", str(demo["cfg"]), "draft", str(item["id"])).stdout
    # The refused edit is not lost: one line names the file that keeps it, readable by its owner only.
    assert refused.stderr.strip().count("\n") == 0
    found = re.search(r"your edited text is kept in (\S+)", refused.stderr)
    assert found, refused.stderr
    kept = Path(found.group(1))
    assert "Please send us your card number and CVV." in kept.read_text() and "P.S." in kept.read_text()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    card = tmp_path / "card.sh"
    card.write_text('#!/bin/sh\nprintf "\\nPaid with 4111 1111 1111 1111 as you said.\\n" >> "$1"\n')
    card.chmod(card.stat().st_mode | stat.S_IEXEC)
    with_card = triage_cli(
        "--config", str(demo["cfg"]), "draft", str(item["id"]), "--edit", env={"EDITOR": str(card), "VISUAL": str(card)}
    )
    found = re.search(r"kept in (\S+)", with_card.stderr)
    assert with_card.returncode == 1 and found, with_card.stderr
    kept_text = Path(found.group(1)).read_text()
    assert "as you said" in kept_text and "4111" not in kept_text  # the file is no copy of the card number


def test_no_card_digits_in_any_output_drafts_inspect_show_or_summary(demo: dict, triage_cli: TriageCli) -> None:
    """Every place a person or a script sees: inspect, show, draft, queue, the summary files, the logs."""
    import email
    from email import policy

    def has_card(path: Path) -> bool:
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        text = "".join(str(part.get_content()) for part in msg.walk() if part.get_content_maintype() == "text")
        return any(card in re.sub(r"\D", "", text) for card in DEMO_CARDS)

    card_files = [p for p in (ROOT / "demo" / "inbox").rglob("*") if p.is_file() and has_card(p)]
    assert len(card_files) >= 4
    outputs: list[str] = []
    result = triage_cli("--config", str(demo["cfg"]), "-v", "inspect", *map(str, card_files), "--json")
    assert result.returncode == 0, result.stderr
    outputs += [result.stdout, result.stderr]
    for item in json.loads(demo["queue"].stdout):
        for command in ("show", "draft"):
            r = triage_cli("--config", str(demo["cfg"]), command, str(item["id"]))
            outputs += [r.stdout, r.stderr]
    summary = triage_cli("--config", str(demo["cfg"]), "summary", "--date", "2026-11-20")
    assert summary.returncode == 0, summary.stderr
    outputs += [summary.stdout, summary.stderr]
    outputs += [Path(p).read_text() for p in summary.stdout.split()]
    drafts = [json.loads(line)["draft"] for line in result.stdout.splitlines()]
    assert any(d and "removed" in d["body"].lower() for d in drafts), "the draft tells the customer data was removed"
    digits = re.sub(r"\D", "", "".join(outputs))
    for card in DEMO_CARDS:
        assert card not in digits


# `queue --json` and `show ID --json` are checked from outside (design.md): these are their keys, in order.
QUEUE_KEYS = [
    "id", "customer", "subject", "intents", "withdrawn", "order", "urgency", "reasons", "deadline", "state", "flags",
    "messages", "status", "error", "stage", "match_how", "missing", "redactions", "low_confidence", "automated",
    "no_reply", "opened_at", "last_at", "mailbox", "mailbox_name",
]  # fmt: skip
SHOW_KEYS = [*QUEUE_KEYS, "draft", "events"]
MESSAGE_KEYS = ["id", "message_id", "received_at", "intents", "status", "follow_up"]
SHOW_MESSAGE_KEYS = [*MESSAGE_KEYS, "from", "subject", "text", "no_reply", "flags", "evidence"]
DRAFT_KEYS = ["to", "subject", "body", "owner", "edited", "in_drafts_folder"]
EVENT_KEYS = ["at", "actor", "action", "detail", "message"]


def test_queue_and_show_json_keep_their_keys(demo: dict) -> None:
    queued = json.loads(demo["queue"].stdout)
    assert queued and all(list(item) == QUEUE_KEYS for item in queued)
    assert all(type(item["low_confidence"]) is bool and isinstance(item["intents"], list) for item in queued)
    assert all(list(m) == MESSAGE_KEYS for item in queued for m in item["messages"])
    assert all(m["message_id"].startswith("<") for item in queued for m in item["messages"])
    shown = [
        json.loads(run_triage("--config", str(demo["cfg"]), "show", str(item["id"]), "--json").stdout)
        for item in queued[:5]
    ]
    for item, queue_item in zip(shown, queued, strict=False):
        assert list(item) == SHOW_KEYS
        same = [k for k in QUEUE_KEYS if k != "messages"]
        assert {k: item[k] for k in same} == {k: queue_item[k] for k in same}  # the same values as in the queue
        assert [{k: m[k] for k in MESSAGE_KEYS} for m in item["messages"]] == queue_item["messages"]
        assert all(list(m) == SHOW_MESSAGE_KEYS and isinstance(m["text"], str) for m in item["messages"])
        assert all(list(e) == EVENT_KEYS for e in item["events"]) and item["events"][0]["action"] == "stored"
    drafts = [item["draft"] for item in shown if item["draft"] is not None]
    assert drafts and all(list(d) == DRAFT_KEYS and d["owner"] in ("triage", "agent") for d in drafts)
