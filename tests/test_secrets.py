"""No secret in an error, a log line or the store, wherever a person might paste one by mistake.

A recognisable secret is planted in every config field that can end up holding one (a host written
as user:password@server, a password pasted where the variable's name belongs, a wrong-typed value)
and in the environment; it must never come back in a ConfigError, in log output (caplog, and a
subprocess's stderr with --debug) or in the SQLite file.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.support import MODEL
from tests.support.cli import run_triage, write_config
from tests.support.dovecot import Dovecot
from triage.config import _QUOTABLE, config_from_dict, load_config
from triage.errors import ConfigError
from triage.run.daemon import run_daemon
from triage.run.pipeline import Pipeline
from triage.sources import mailbox_name
from triage.sources.imap import ImapMailbox
from triage.store import Store
from triage.understand.classify import IntentModel

SECRET = "S3cr3t!planted-7f3a"
# Shaped like a variable name, but not written the way variable names are: may be a password too.
NAME_SHAPED = "hunter2Planted"

PLANTED: list[tuple[str, dict[str, Any], str, str]] = [
    ("imap host with user:password", {"imap": {"host": f"shop:{SECRET}@imap.example.com"}}, "[imap] host", SECRET),
    ("imap host with a user only", {"imap": {"host": f"{SECRET}@imap.example.com"}}, "[imap] host", SECRET),
    (
        "smtp host with user:password",
        {"summary": {"smtp": {"host": f"reports:{SECRET}@smtp.example.com"}}},
        "[summary.smtp] host",
        SECRET,
    ),
    ("password in imap password_env", {"imap": {"password_env": SECRET}}, "[imap] password_env", SECRET),
    (
        "token in imap token_env",
        {"imap": {"auth": "xoauth2", "token_env": SECRET}},
        "[imap] token_env",
        SECRET,
    ),
    (
        "password in smtp password_env",
        {"summary": {"smtp": {"password_env": SECRET}}},
        "[summary.smtp] password_env",
        SECRET,
    ),
    ("PIN as a number in password_env", {"imap": {"password_env": 73313731}}, "[imap] password_env", "73313731"),
    ("password in a list", {"imap": {"password_env": [SECRET]}}, "[imap] password_env", SECRET),
    ("host as a table", {"imap": {"host": {"user": "shop", "password": SECRET}}}, "[imap] host", SECRET),
    ("username as a table", {"imap": {"username": {"password": SECRET}}}, "[imap] username", SECRET),
    ("token_command as a list", {"imap": {"token_command": ["printf", SECRET]}}, "[imap] token_command", SECRET),
    ("smtp username wrong type", {"summary": {"smtp": {"username": [SECRET]}}}, "[summary.smtp] username", SECRET),
    ("a password key", {"imap": {"password": SECRET}}, "[imap] password", SECRET),
    ("a section given as a string", {"imap": SECRET}, "[imap]", SECRET),
]


@pytest.mark.parametrize(("raw", "where", "secret"), [pytest.param(*p[1:], id=p[0]) for p in PLANTED])
def test_config_errors_name_the_key_never_the_secret(raw: dict[str, Any], where: str, secret: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw, name="inbox.toml")
    assert f"inbox.toml {where}" in str(info.value)
    assert secret not in str(info.value)


def test_a_password_in_password_env_is_told_apart_from_a_variable_name() -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict({"imap": {"password_env": SECRET}})
    assert (
        "[imap] password_env: must name an environment variable (letters, digits, _), not hold the secret itself"
        in (str(info.value))
    )


def test_keys_that_cannot_hold_a_secret_still_quote_their_value() -> None:
    with pytest.raises(ConfigError, match=r"\[imap\] port: expected an integer, got 'abc'"):
        config_from_dict({"imap": {"port": "abc"}})
    with pytest.raises(ConfigError, match=r"\[imap\] host: expected a string, got an integer"):
        config_from_dict({"imap": {"host": 993}})


def test_the_quotable_keys_are_real_keys() -> None:
    for cls, keys in _QUOTABLE.items():
        assert keys <= {f.name for f in dataclasses.fields(cls)}, cls


def test_env_secret_quotes_only_a_conventional_variable_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME_SHAPED, raising=False)
    cfg = config_from_dict({"imap": {"password_env": NAME_SHAPED}})
    with pytest.raises(ConfigError) as info:
        cfg.imap.secret()
    assert NAME_SHAPED not in str(info.value) and "is not set or empty" in str(info.value)
    # Not checked at load (a config built in code): the runtime check holds the same line.
    unchecked = dataclasses.replace(cfg.imap, password_env=SECRET)
    with pytest.raises(ConfigError) as info:
        unchecked.secret()
    assert str(info.value) == (
        "[imap] password_env must name an environment variable (letters, digits, _), not hold the secret itself"
    )


def test_a_failing_token_command_never_echoes_its_command_or_output() -> None:
    cfg = config_from_dict({"imap": {"auth": "xoauth2", "token_command": f"echo {SECRET}; echo {SECRET} >&2; exit 3"}})
    with pytest.raises(ConfigError) as info:
        cfg.imap.secret()
    assert SECRET not in str(info.value)


def test_mailbox_name_never_shows_a_host_userinfo() -> None:
    cfg = config_from_dict({"source": {"kind": "maildir"}})
    forged = dataclasses.replace(
        cfg,
        source=dataclasses.replace(cfg.source, kind="imap"),
        imap=dataclasses.replace(cfg.imap, host=f"shop:{SECRET}@imap.example.com", username="shop"),
    )
    assert mailbox_name(forged) == "imap://shop@imap.example.com:993/INBOX"


# -- at run time: logs, stderr and the store ----------------------------------------------------------


def _store_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


def test_daemon_logs_and_store_hold_no_secret(
    dovecot: Dovecot,
    imap_folder: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused login (the secret is the wrong password) and a host with userinfo (a config built in
    code, past the check): both are logged on every reconnect and kept in the mailbox's heartbeat."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TRIAGE_PLANTED_PW", SECRET)
    monkeypatch.setattr("triage.run.daemon.time.sleep", lambda seconds: None)
    cfg = load_config(write_config(tmp_path, dovecot, imap_folder, password_env="TRIAGE_PLANTED_PW"))
    userinfo = dataclasses.replace(cfg, imap=dataclasses.replace(cfg.imap, host=f"test:{SECRET}@{dovecot.host}"))
    db = tmp_path / "triage.db"
    store = Store(db)
    pipeline = Pipeline(cfg, IntentModel.load(MODEL))
    try:
        for c in (cfg, userinfo):
            rounds = iter(range(3))
            run_daemon(
                lambda c=c: ImapMailbox(c.imap),  # type: ignore[misc]
                mailbox_name(c),
                store,
                pipeline,
                poll_seconds=1,
                should_stop=lambda rounds=rounds: next(rounds, None) is None,  # type: ignore[misc]
            )
        health = store.health()
    finally:
        store.close()
    assert {h.mailbox for h in health} == {mailbox_name(cfg)}
    assert all(h.last_error for h in health)
    assert "refused the login" in caplog.text and "cannot connect" in caplog.text
    assert SECRET not in caplog.text
    assert SECRET.encode() not in _store_bytes(db)


def test_cli_stderr_holds_no_secret_even_with_debug(dovecot: Dovecot, imap_folder: str, tmp_path: Path) -> None:
    wrong = write_config(tmp_path, dovecot, imap_folder, password_env="TRIAGE_PLANTED_PW")
    result = run_triage("--config", str(wrong), "--debug", "-v", "once", env={"TRIAGE_PLANTED_PW": SECRET})
    assert result.returncode == 1 and "refused the login" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert SECRET.encode() not in _store_bytes(tmp_path / "triage.db")

    unset = write_config(tmp_path, dovecot, imap_folder, password_env=NAME_SHAPED)
    result = run_triage("--config", str(unset), "once")
    assert result.returncode == 2 and "is not set or empty" in result.stderr
    assert NAME_SHAPED not in result.stderr
    assert NAME_SHAPED not in run_triage("--config", str(unset), "--debug", "once").stderr  # the traceback too

    for planted in ({"password_env": SECRET}, {"host": f"test:{SECRET}@{dovecot.host}"}):
        bad = write_config(tmp_path, dovecot, imap_folder, **planted)
        result = run_triage("--config", str(bad), "queue")
        assert result.returncode == 2, result.stderr
        assert SECRET not in result.stderr + result.stdout
        assert SECRET not in run_triage("--config", str(bad), "--debug", "queue").stderr
