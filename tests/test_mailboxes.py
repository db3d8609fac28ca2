"""Several mailboxes in one process: `[[mailbox]]` config, one bad mailbox never stopping the others,
`status` per mailbox, `retriage` of an error row fixed after the fact, and the exit codes around them."""

from __future__ import annotations

import json
import mailbox
import sqlite3
from pathlib import Path

import pytest

from tests.support import MODEL
from tests.support.cli import PASSWORD_ENV, TriageCli, spawn_triage, stop
from tests.support.dovecot import PASSWORD, USER, Dovecot, append
from tests.support.mailgen import customer_message
from tests.support.ports import free_port
from tests.support.watch import wait_for
from triage.config import config_from_dict
from triage.errors import ConfigError

WRONG = "wr0ng-Passw0rd-xyz"


def _maildir(where: Path, count: int, seed: int = 41) -> Path:
    box = mailbox.Maildir(str(where), create=True)
    for i in range(count):
        box.add(customer_message(i, seed=seed))
    return where


def _imap(dovecot: Dovecot, folder: str, **extra: object) -> str:
    values: dict[str, object] = {"folder": folder, **extra}
    return "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items())


def _config(tmp: Path, dovecot: Dovecot, folder: str, maildir: Path, down_port: int) -> Path:
    """Four mailboxes: support@ (IMAP, works), returns@ (IMAP, login refused), a second brand (a Maildir)
    and an archive on a server that is down. Shared [imap] settings sit at the top, as a shop writes them."""
    cfg = tmp / "inbox.toml"
    cfg.write_text(
        f"""
[shop]
name = "Shop A"
support_address = "support@a.example"
[store]
path = "{tmp / "t.db"}"
[model]
path = "{MODEL}"
[imap]
host = "{dovecot.host}"
port = {dovecot.port}
tls = "starttls"
ca_file = "{dovecot.cafile}"
username = "{USER}"
password_env = "{PASSWORD_ENV}"
poll_seconds = 1
reconnect_max_seconds = 2

[[mailbox]]
name = "support"
[mailbox.source]
kind = "imap"
[mailbox.imap]
{_imap(dovecot, folder)}

[[mailbox]]
name = "returns"
[mailbox.source]
kind = "imap"
[mailbox.imap]
{_imap(dovecot, "INBOX", password_env="TRIAGE_TEST_WRONG")}
[mailbox.shop]
support_address = "returns@a.example"

[[mailbox]]
name = "brand-b"
[mailbox.source]
kind = "maildir"
path = "{maildir}"
[mailbox.shop]
name = "Brand B"
support_address = "hello@b.example"

[[mailbox]]
name = "archive"
[mailbox.source]
kind = "imap"
[mailbox.imap]
{_imap(dovecot, "INBOX", port=down_port, tls="none", timeout_seconds=2)}
"""
    )
    return cfg


# -- config -----------------------------------------------------------------------------------------


def test_a_mailbox_table_is_laid_over_the_top_level_tables() -> None:
    cfg = config_from_dict(
        {
            "shop": {"name": "A", "support_address": "support@a.example"},
            "imap": {"host": "mail.a.example", "password_env": "PW", "username": "support@a.example"},
            "mailbox": [
                {"name": "support", "source": {"kind": "imap"}},
                {
                    "name": "brand-b",
                    "source": {"kind": "imap"},
                    "imap": {"username": "hello@b.example", "drafts_folder": "Entwürfe"},
                    "shop": {"name": "B", "support_address": "hello@b.example"},
                },
            ],
        }
    )
    support, brand = cfg.mailboxes()
    assert (support.name, support.imap.username, support.shop.name) == ("support", "support@a.example", "A")
    assert (brand.imap.host, brand.imap.username, brand.imap.drafts_folder) == (
        "mail.a.example",
        "hello@b.example",
        "Entwürfe",
    )
    assert cfg.for_mailbox(brand).stage_settings().reply.shop_name == "B"


def test_a_single_mailbox_config_is_one_mailbox_named_by_its_address() -> None:
    cfg = config_from_dict({"source": {"kind": "maildir", "path": "/srv/mail/support"}})
    (only,) = cfg.mailboxes()
    assert only.name == "maildir:/srv/mail/support" and only.source.path == "/srv/mail/support"


@pytest.mark.parametrize(
    ("mailboxes", "message"),
    [
        (
            [{"name": "a", "source": {"kind": "maildir", "path": "x"}}, {"name": "a", "source": {"path": "y"}}],
            "inbox.toml [[mailbox]] 'a' name: duplicate mailbox name",
        ),
        ([{"source": {"kind": "maildir", "path": "x"}}], "inbox.toml [[mailbox]] #1 name: required"),
        (
            [{"name": "a", "source": {"kind": "imap"}, "imap": {"host": "h", "password_env": "PW"}}],
            "inbox.toml [mailbox.imap] (a) username: required",
        ),
        (
            [{"name": "a", "source": {"path": "x"}, "folder": "INBOX"}],
            "inbox.toml [[mailbox]] 'a' folder: unknown key (put it in [mailbox.imap])",
        ),
        (
            [{"name": "a", "source": {"path": "x"}}, {"name": "b", "source": {"path": "x"}}],
            "[[mailbox]] 'b': reads the same source as mailbox 'a'",
        ),
        ([{"name": "a", "imap": {"port": "abc"}}], "inbox.toml [mailbox.imap] (a) port: expected an integer"),
    ],
)
def test_bad_mailbox_tables_are_named(mailboxes: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"mailbox": mailboxes})
    assert message in str(caught.value)


def test_a_bad_mailbox_table_is_one_line_and_exit_2(tmp_path: Path, triage_cli: TriageCli) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text('[[mailbox]]\nname = "a"\n[[mailbox]]\nname = "a"\n')
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert f"{cfg} [[mailbox]] 'a' name: duplicate mailbox name" in result.stderr


# -- exit codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["maildir", "mbox"])
def test_a_missing_local_source_exits_2_naming_source_path(tmp_path: Path, triage_cli: TriageCli, kind: str) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "{kind}"\npath = "nowhere"\n[store]\npath = "{tmp_path / "t.db"}"\n'
        f'[model]\npath = "{MODEL}"\n'
    )
    for command in ("once", "run"):
        result = triage_cli("--config", str(cfg), command)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().count("\n") == 0
        assert f"{cfg} [source] path: {tmp_path / 'nowhere'} does not exist" in result.stderr
    assert not (tmp_path / "t.db").exists()  # refused before anything was opened


def test_a_missing_maildir_of_one_mailbox_names_its_table(tmp_path: Path, triage_cli: TriageCli) -> None:
    cfg = tmp_path / "inbox.toml"
    md = _maildir(tmp_path / "md", 1)
    cfg.write_text(
        f'[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
        f'[[mailbox]]\nname = "one"\nsource = {{ kind = "maildir", path = "{md}" }}\n'
        '[[mailbox]]\nname = "two"\nsource = { kind = "maildir", path = "gone" }\n'
    )
    result = triage_cli("--config", str(cfg), "once")
    assert result.returncode == 2
    assert "[mailbox.source] (two) path:" in result.stderr and "does not exist" in result.stderr


# -- two mailboxes, one down --------------------------------------------------------------------------


def test_one_bad_mailbox_never_stops_the_others(
    tmp_path: Path, dovecot: Dovecot, imap_folder: str, triage_cli: TriageCli
) -> None:
    append(dovecot, imap_folder, [customer_message(i, seed=43) for i in range(3)])
    md = _maildir(tmp_path / "brand-b", 2)
    cfg = _config(tmp_path, dovecot, imap_folder, md, free_port())
    env = {"TRIAGE_TEST_WRONG": WRONG}
    result = triage_cli("--config", str(cfg), "once", env=env)
    assert result.returncode == 1  # the job failed for two mailboxes...
    assert "triaged 3 new message(s) from support" in result.stderr  # ...and still did the others
    assert "triaged 2 new message(s) from brand-b" in result.stderr
    assert "returns: failed:" in result.stderr and "refused the login" in result.stderr
    assert "archive: failed:" in result.stderr
    assert PASSWORD not in result.stderr and WRONG not in result.stderr

    con = sqlite3.connect(tmp_path / "t.db")
    by_name = dict(con.execute("SELECT mailbox_name, count(*) FROM messages GROUP BY mailbox_name").fetchall())
    assert by_name == {"support": 3, "brand-b": 2}
    errors = dict(con.execute("SELECT name, last_error FROM mailbox_state").fetchall())
    assert errors["support"] is None and errors["brand-b"] is None
    assert "refused the login" in errors["returns"] and errors["archive"]
    dump = "\n".join(str(r) for r in con.execute("SELECT * FROM mailbox_state"))
    assert PASSWORD not in dump and WRONG not in dump

    queue = json.loads(triage_cli("--config", str(cfg), "queue", "--json").stdout)
    assert sorted({o["mailbox_name"] for o in queue}) == ["brand-b", "support"]
    assert all(o["mailbox"].startswith(("imap://", "maildir:")) for o in queue)  # the source, as before

    status = triage_cli("--config", str(cfg), "status", env=env)
    assert status.returncode == 1
    lines = {line.split()[0]: line for line in status.stdout.splitlines()}
    assert set(lines) == {"support", "returns", "brand-b", "archive"}
    assert lines["support"].split()[1] == "ok" and lines["brand-b"].split()[1] == "ok"
    assert lines["returns"].split()[1] == "failing" and "refused the login" in lines["returns"]
    assert lines["archive"].split()[1] == "failing"
    assert "backlog 0" in lines["support"]

    as_json = json.loads(triage_cli("--config", str(cfg), "status", "--json").stdout)
    assert [s["name"] for s in as_json] == ["support", "returns", "brand-b", "archive"]
    assert {s["name"]: s["state"] for s in as_json}["returns"] == "failing"
    assert as_json[0]["source"].startswith("imap://") and as_json[0]["heartbeat_age_seconds"] >= 0

    # The refused login fixed: the next pass clears "failing" for it; the server still down stays failing.
    fixed = triage_cli("--config", str(cfg), "once", env={"TRIAGE_TEST_WRONG": PASSWORD})
    assert fixed.returncode == 1 and "archive: failed:" in fixed.stderr and "returns: failed" not in fixed.stderr
    states = {s["name"]: s["state"] for s in json.loads(triage_cli("--config", str(cfg), "status", "--json").stdout)}
    assert states == {"support": "ok", "returns": "ok", "brand-b": "ok", "archive": "failing"}


def test_status_is_stale_when_nothing_was_heard_and_ok_after_a_poll(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "md", 1)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    never = triage_cli("--config", str(cfg), "status")
    assert never.returncode == 1 and "stale" in never.stdout and "never polled" in never.stdout
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    ok = triage_cli("--config", str(cfg), "status")
    assert ok.returncode == 0, ok.stdout
    assert ok.stdout.count("\n") == 1 and " ok " in ok.stdout and "last error: -" in ok.stdout
    con = sqlite3.connect(tmp_path / "t.db")
    con.execute("UPDATE mailbox_state SET last_poll_at = '2020-01-01T00:00:00+00:00', last_wake_at = NULL")
    con.commit()
    stale = triage_cli("--config", str(cfg), "status", "--stale-after", "3600")
    assert stale.returncode == 1 and " stale " in stale.stdout


def test_the_daemon_serves_every_mailbox_on_its_own_thread(tmp_path: Path, dovecot: Dovecot, imap_folder: str) -> None:
    md = _maildir(tmp_path / "brand-b", 2)
    cfg = _config(tmp_path, dovecot, imap_folder, md, free_port())
    proc = spawn_triage("--config", str(cfg), "run")
    db = tmp_path / "t.db"

    def count(sql: str) -> int:
        if not db.exists():
            return -1
        con = sqlite3.connect(db)
        try:
            return int(con.execute(sql).fetchone()[0])
        except sqlite3.Error:
            return -1
        finally:
            con.close()

    try:
        wait_for(lambda: count("SELECT count(*) FROM messages WHERE mailbox_name = 'brand-b'") == 2, timeout=60)
        append(dovecot, imap_folder, [customer_message(i, seed=44) for i in range(2)])
        # New mail on the working IMAP mailbox arrives while the two broken ones keep failing.
        wait_for(lambda: count("SELECT count(*) FROM messages WHERE mailbox_name = 'support'") == 2, timeout=60)
        wait_for(
            lambda: (
                count(
                    "SELECT count(*) FROM mailbox_state WHERE last_error IS NOT NULL AND name IN ('returns', 'archive')"
                )
                == 2
            ),
            timeout=60,
        )
    finally:
        err = stop(proc)
    assert proc.returncode == 0, err
    assert PASSWORD not in err
    assert "returns:" in err and "archive:" in err


# -- retriage ---------------------------------------------------------------------------------------


def test_retriage_of_an_error_row_fixed_after_the_fact(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "md", 2)
    target = tmp_path / "later.eml"
    (md / "cur" / "1795000001.M1P1.host:2,S").symlink_to(target)  # unreadable until the file appears
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    assert triage_cli("--config", str(cfg), "once").returncode == 0
    con = sqlite3.connect(tmp_path / "t.db")
    (row,) = con.execute("SELECT id FROM messages WHERE status = 'error'").fetchone()

    again = triage_cli("--config", str(cfg), "retriage", "--errors")
    assert again.returncode == 1 and f"{row}: failed: cannot read" in again.stdout
    assert con.execute("SELECT status FROM messages WHERE id = ?", [row]).fetchone()[0] == "error"  # kept

    target.write_bytes(customer_message(7, seed=41))  # the fix
    fixed = triage_cli("--config", str(cfg), "retriage", str(row), "--by", "alice")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout.startswith(f"{row}: ok")
    status, error, text = con.execute("SELECT status, error, text FROM messages WHERE id = ?", [row]).fetchone()
    assert (status, error) == ("ok", None) and text
    assert con.execute("SELECT count(*) FROM messages").fetchone()[0] == 3  # updated in place, no new row
    (conv,) = con.execute("SELECT conversation FROM messages WHERE id = ?", [row]).fetchone()
    shown = json.loads(triage_cli("--config", str(cfg), "show", str(conv), "--json").stdout)
    actions = [(e["actor"], e["action"]) for e in shown["events"]]
    assert ("agent", "retriage_failed") in actions and ("alice", "retriaged") in actions
    assert triage_cli("--config", str(cfg), "retriage", "--errors").stderr.strip() == "no error rows to retriage"


def test_retriage_from_imap_by_uid(tmp_path: Path, dovecot: Dovecot, imap_folder: str, triage_cli: TriageCli) -> None:
    append(dovecot, imap_folder, [customer_message(i, seed=45) for i in range(2)])
    md = _maildir(tmp_path / "brand-b", 1)
    cfg = _config(tmp_path, dovecot, imap_folder, md, free_port())
    triage_cli("--config", str(cfg), "once", env={"TRIAGE_TEST_WRONG": WRONG})
    con = sqlite3.connect(tmp_path / "t.db")
    row, uid = con.execute("SELECT id, uid FROM messages WHERE mailbox_name = 'support' ORDER BY id").fetchone()
    # Stand-in for a message that failed to parse under an older triage: mark it an error, then retry it.
    con.execute("UPDATE messages SET status = 'error', error = 'cannot parse: RecursionError' WHERE id = ?", [row])
    con.commit()
    result = triage_cli("--config", str(cfg), "retriage", str(row))
    assert result.returncode == 0, result.stdout + result.stderr
    assert con.execute("SELECT status, uid FROM messages WHERE id = ?", [row]).fetchone() == ("ok", uid)


def test_retriage_exit_codes(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "md", 1)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    triage_cli("--config", str(cfg), "once")
    missing = triage_cli("--config", str(cfg), "retriage", "999")
    assert missing.returncode == 3 and "no message with ID 999" in missing.stderr
    assert triage_cli("--config", str(cfg), "retriage").returncode == 2
    ok_row = triage_cli("--config", str(cfg), "retriage", "1")
    assert ok_row.returncode == 0 and "1: skipped: not an error row" in ok_row.stdout


def test_done_twice_and_unknown_ids(tmp_path: Path, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "md", 1)
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    triage_cli("--config", str(cfg), "once")
    assert triage_cli("--config", str(cfg), "done", "1").stdout.strip() == "closed 1"
    again = triage_cli("--config", str(cfg), "done", "1")
    assert again.returncode == 0 and again.stdout.strip() == "1 is already closed; nothing changed"
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*) FROM events WHERE action = 'done'").fetchone()[0] == 1
    assert triage_cli("--config", str(cfg), "done", "999").returncode == 3


def test_a_store_from_before_mailbox_names_is_migrated_and_keeps_its_keys(tmp_path: Path) -> None:
    """A file written by the single-mailbox triage (schema 1): the new step adds the columns, and its rows
    show their store key as the mailbox, the name a single-mailbox config gives its one mailbox."""
    from tests.test_regroup import old_store
    from triage.store import Store

    db = tmp_path / "old.db"
    old_store(db)  # schema 1, its messages all from the store key 'm'
    store = Store(db)
    try:
        names = store.db.execute("SELECT DISTINCT mailbox, mailbox_name FROM messages").fetchall()
        assert names == [("m", "m")]
        store.heartbeat("imap://t@h:1/INBOX", name="imap://t@h:1/INBOX", backlog=0)
        (health,) = store.health()
        assert health.failing == 0 and health.backlog == 0 and health.last_wake_at is not None
    finally:
        store.close()


def test_check_names_each_mailbox(tmp_path: Path, dovecot: Dovecot, imap_folder: str, triage_cli: TriageCli) -> None:
    md = _maildir(tmp_path / "brand-b", 1)
    cfg = _config(tmp_path, dovecot, imap_folder, md, free_port())
    result = triage_cli("--config", str(cfg), "check", env={"TRIAGE_TEST_WRONG": WRONG})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("support: ") or " support: " in line for line in lines), result.stdout
    failing = [line for line in lines if "FAIL" in line]
    assert any("returns: " in line for line in failing) and any("archive: " in line for line in failing)
    assert not any("support: " in line or "brand-b: " in line for line in failing), result.stdout
    assert WRONG not in result.stdout and PASSWORD not in result.stdout
