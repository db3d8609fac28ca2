"""inbox.toml validation: every mistake is one line naming the file and key, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import invoke_triage
from triage.config import config_from_dict, load_config
from triage.errors import ConfigError


def test_shipped_inbox_toml_is_valid() -> None:
    cfg = load_config(ROOT / "inbox.toml")
    assert cfg.source.kind == "maildir"
    assert cfg.resolve(cfg.source.path) == ROOT / "demo" / "inbox"
    assert cfg.shop.support_address in cfg.shop.all_own_addresses


def test_minimal_config_gets_defaults() -> None:
    cfg = config_from_dict({"store": {"path": "x.db"}, "shop": {"name": "S"}})
    assert cfg.imap.verify_tls is True
    assert cfg.imap.tls == "implicit"
    assert cfg.store.path == "x.db"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"imap": {"port": "abc"}}, "inbox.toml [imap] port: expected an integer, got 'abc'"),
        ({"imap": {"verify_tls": "yes"}}, "[imap] verify_tls: expected true or false"),
        ({"imap": {"tls": "ssl"}}, '[imap] tls: expected one of "implicit", "starttls", "none"'),
        ({"imap": {"password": "hunter2"}}, "[imap] password: unknown key (secrets go in the environment"),
        ({"imap": {"hots": "x"}}, "[imap] hots: unknown key"),
        ({"imapp": {}}, "[imapp]: unknown section"),
        ({"shop": {"own_addresses": "a@example.com"}}, "[shop] own_addresses: expected a list of strings"),
        ({"shop": {"timezone": "Mars/Base"}}, "[shop] timezone: unknown zone 'Mars/Base'"),
        ({"summary": {"time": "25:00"}}, '[summary] time: expected "HH:MM"'),
        ({"intents": {"cancel": {"required": ["order_number", 3]}}}, "[intents.cancel] required[1]: expected a string"),
        (
            {"intents": {"cancel": {"required": ["card_number"]}}},
            "[intents.cancel] required: unknown detail 'card_number'",
        ),
        ({"source": {"kind": "imap"}, "imap": {"password_env": ""}}, "[imap] password_env: required"),
        ({"orders": {"timezone": "UTC"}}, "[orders] timezone: set the shop's time zone once, in [shop] timezone"),
        ({"orders": {"fulfillment_hours": "soon"}}, "[orders] fulfillment_hours: expected a number"),
    ],
)
def test_each_mistake_names_file_and_key(raw: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw, name="inbox.toml")
    assert expected in str(info.value)


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict({"imap": {"port": "x", "idle": 3}, "store": {"pth": "a"}})
    text = str(info.value)
    assert "[imap] port" in text and "[imap] idle" in text and "[store] pth" in text


def test_secret_comes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config_from_dict({"imap": {"password_env": "MY_IMAP_PW"}})
    monkeypatch.delenv("MY_IMAP_PW", raising=False)
    with pytest.raises(ConfigError, match="MY_IMAP_PW is not set"):
        cfg.imap.secret()
    monkeypatch.setenv("MY_IMAP_PW", "s3cret")
    assert cfg.imap.secret() == "s3cret"


def test_token_command_supplies_oauth_token() -> None:
    cfg = config_from_dict({"imap": {"auth": "xoauth2", "token_command": "echo tok-123"}})
    assert cfg.imap.secret() == "tok-123"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[imap]\nport = "abc"\n', "[imap] port: expected an integer"),
        ("[shop\nname=1", "not valid TOML"),
        ("[store]\npath = 3\n", "[store] path: expected a string"),
    ],
)
def test_cli_reports_config_error_in_one_line_exit_2(tmp_path: Path, body: str, needle: str) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(body)
    result = invoke_triage("--config", str(cfg), "queue")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(cfg) in lines[0] and needle in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_missing_config_file(tmp_path: Path) -> None:
    result = invoke_triage("--config", str(tmp_path / "nope.toml"), "queue")
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_ca_file_is_resolved_against_the_config_file_and_must_exist(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("x")
    cfg = config_from_dict({"imap": {"ca_file": "ca.pem"}}, base_dir=tmp_path)
    assert cfg.imap.ca_file == str(tmp_path / "ca.pem")
    with pytest.raises(ConfigError, match=r"\[summary.smtp\] ca_file: no such file"):
        config_from_dict({"summary": {"smtp": {"ca_file": "missing.pem"}}}, base_dir=tmp_path)
