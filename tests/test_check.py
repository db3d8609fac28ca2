"""`triage check` against the test Dovecot and a real aiosmtpd: all green, then one thing broken at a time,
each named in its own line, never a secret in the output; and `triage init` writing a config that checks."""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support import MODEL, ROOT
from tests.support.cli import PASSWORD_ENV, TriageCli, invoke_triage
from tests.support.dovecot import PASSWORD, USER, Dovecot, imap_table
from tests.support.ports import free_port

SMTP_USER, SMTP_PASSWORD, SMTP_ENV = "reports", "smtp-Secret-42", "TRIAGE_TEST_CHECK_SMTP"


class _Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def _auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def smtp(dovecot: Dovecot) -> Iterator[dict[str, Any]]:
    """aiosmtpd with STARTTLS + AUTH, using the test Dovecot's certificate (the same CA file serves both)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(dovecot.cafile, str(Path(dovecot.cafile).with_name("key.pem")))
    port = free_port()
    controller = Controller(
        _Sink(),
        hostname="127.0.0.1",
        port=port,
        tls_context=ctx,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=_auth,
    )
    controller.start()
    yield {"port": port, "cafile": dovecot.cafile}
    controller.stop()


def _config(tmp: Path, dovecot: Dovecot, smtp: dict[str, Any], folder: str, **changes: Any) -> Path:
    imap: dict[str, Any] = {
        "host": dovecot.host,
        "port": dovecot.port,
        "tls": "starttls",
        "ca_file": dovecot.cafile,
        "username": USER,
        "password_env": PASSWORD_ENV,
        "folder": folder,
    }
    imap.update(changes.pop("imap", {}))
    smtp_table = {
        "host": "127.0.0.1",
        "port": smtp["port"],
        "tls": "starttls",
        "ca_file": smtp["cafile"],
        "username": SMTP_USER,
        "password_env": SMTP_ENV,
    }
    smtp_table.update(changes.pop("smtp_changes", {}))
    lines = [
        "[shop]",
        'support_address = "support@example.com"',
        "[source]",
        'kind = "imap"',
        "[store]",
        f'path = "{tmp / "t.db"}"',
        "[model]",
        f'path = "{MODEL}"',
        "[orders]",
        f'file = "{changes.pop("orders", ROOT / "demo" / "orders.csv")}"',
        *imap_table({k: v for k, v in imap.items() if v is not None}),
        "[summary]",
        'recipients = ["manager@example.com"]',
        "[summary.smtp]",
        *imap_table(smtp_table)[1:],
    ]
    assert not changes, changes
    path = tmp / "inbox.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _lines(stdout: str) -> dict[str, tuple[str, str]]:
    """check's output as {check name: (status, detail)}."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"\s+\[\s*(\S+)\] (.+?)\s{2,}(.*)$", line)
        if m:
            out[m.group(2).strip()] = (m.group(1), m.group(3))
    return out


def _check(triage_cli: TriageCli, cfg: Path, **env: str) -> tuple[int, dict[str, tuple[str, str]], str]:
    result = triage_cli("--config", str(cfg), "check", env={SMTP_ENV: SMTP_PASSWORD, **env})
    text = result.stdout + result.stderr
    for secret in (PASSWORD, SMTP_PASSWORD, "wrong-Passw0rd-x"):
        assert secret not in text
    return result.returncode, _lines(result.stdout), result.stdout


ALL = [
    "config valid",
    "IMAP reachable",
    "TLS verified",
    "login works",
    "folder exists",
    "IDLE offered",
    "Drafts folder",
    "SMTP reachable",
    "SMTP TLS verified",
    "SMTP authenticates",
    "orders file readable",
    "model loads",
    "templates render",
]


def test_everything_passes(
    tmp_path: Path, dovecot: Dovecot, smtp: dict, imap_folder: str, triage_cli: TriageCli
) -> None:
    code, lines, out = _check(triage_cli, _config(tmp_path, dovecot, smtp, imap_folder))
    assert code == 0, out
    assert list(lines) == ALL
    assert all(status == "ok" for status, _ in lines.values()), out
    assert "38 orders" in lines["orders file readable"][1]
    assert "Drafts" in lines["Drafts folder"][1]
    assert f"{len(ALL)} of {len(ALL)} checks passed" in out


@pytest.mark.parametrize(
    ("case", "changes", "env", "failing", "says"),
    [
        ("wrong password", {}, {PASSWORD_ENV: "wrong-Passw0rd-x"}, "login works", "refused 'test'"),
        ("missing folder", {"imap": {"folder": "NoSuchFolder"}}, {}, "folder exists", "NoSuchFolder"),
        ("untrusted certificate", {"imap": {"ca_file": None}}, {}, "TLS verified", "not trusted"),
        ("TLS mode mismatch", {"imap": {"tls": "implicit"}}, {}, "TLS verified", "check [imap] tls and port"),
        ("configured Drafts missing", {"imap": {"drafts_folder": "Entwürfe"}}, {}, "Drafts folder", "Entwürfe"),
        ("wrong SMTP password", {}, {SMTP_ENV: "nope"}, "SMTP authenticates", "refused 'reports'"),
        ("SMTP down", {"smtp_changes": {"port": 1}}, {}, "SMTP reachable", "cannot connect"),
        ("orders file missing", {"orders": "/nonexistent/orders.csv"}, {}, "orders file readable", "no such file"),
    ],
)
def test_one_thing_broken_is_named(
    tmp_path: Path,
    dovecot: Dovecot,
    smtp: dict,
    imap_folder: str,
    triage_cli: TriageCli,
    case: str,
    changes: dict,
    env: dict,
    failing: str,
    says: str,
) -> None:
    code, lines, out = _check(triage_cli, _config(tmp_path, dovecot, smtp, imap_folder, **changes), **env)
    assert code == 1, out
    assert lines[failing][0] == "FAIL" and says in lines[failing][1], out
    others = {name: status for name, (status, _) in lines.items() if name != failing}
    assert "FAIL" not in others.values(), out  # only the broken thing fails; what depends on it is skipped
    assert "checks passed: not ready" in out


@pytest.fixture(scope="module")
def no_drafts_dovecot() -> Iterator[Dovecot]:
    """A second Dovecot with no Drafts folder at all (none created, none marked \\Drafts)."""
    root = Path(tempfile.mkdtemp(prefix="triage-dovecot-nodrafts-"))
    root.chmod(0o755)
    server = Dovecot(root / "srv")
    conf = server.conf.read_text()
    block = conf[conf.index("  mailbox Drafts {") : conf.index("  mailbox Sent {")]
    server.conf.write_text(conf.replace(block, ""))
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_no_special_use_drafts_is_named(
    tmp_path: Path, no_drafts_dovecot: Dovecot, smtp: dict, triage_cli: TriageCli
) -> None:
    code, lines, out = _check(triage_cli, _config(tmp_path, no_drafts_dovecot, smtp, "INBOX"))
    assert code == 1
    assert lines["Drafts folder"][0] == "FAIL" and "drafts_folder" in lines["Drafts folder"][1], out
    assert [n for n, (s, _) in lines.items() if s == "FAIL"] == ["Drafts folder"]


def test_an_invalid_config_is_the_first_line(tmp_path: Path, triage_cli: TriageCli) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text('[orders]\ndaily_cutoff = "25:99"\n')
    code, lines, _ = _check(triage_cli, cfg)
    assert code == 1
    assert lines["config valid"][0] == "FAIL" and "daily_cutoff" in lines["config valid"][1]
    assert list(lines) == ["config valid"]


# -- init --------------------------------------------------------------------------------------------------


def test_init_writes_a_config_that_checks(tmp_path: Path, triage_cli: TriageCli) -> None:
    out = tmp_path / "conf" / "inbox.toml"
    result = invoke_triage(
        *("init", "-o", str(out), "--shop-name", 'Jo\'s "Mugs" #1', "--timezone", "Europe/Berlin"),
        *("--source", "maildir", "--path", str(ROOT / "demo" / "inbox"), "--orders-file", "../orders.csv"),
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("# triage configuration") and 'Jo\'s \\"Mugs\\" #1' in text
    shutil.copy(ROOT / "demo" / "orders.csv", tmp_path / "orders.csv")  # relative to the config file
    code, lines, stdout = _check(triage_cli, out)
    assert code == 0, stdout
    assert "47 message(s)" in lines["maildir readable"][1] and "38 orders" in lines["orders file readable"][1]


def test_init_for_imap_names_the_password_variable(tmp_path: Path) -> None:
    out = tmp_path / "inbox.toml"
    args = ("init", "-o", str(out), "--source", "imap", "--imap-host", "imap.example.com", "--imap-username", "me")
    assert invoke_triage(*args).returncode == 0
    from triage.config import load_config

    cfg = load_config(out)
    assert (cfg.imap.host, cfg.imap.username, cfg.imap.password_env) == (
        "imap.example.com",
        "me",
        "TRIAGE_IMAP_PASSWORD",
    )


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "inbox.toml"
    out.write_text("# mine\n")
    result = invoke_triage("init", "-o", str(out), "--source", "maildir", "--path", "x")
    assert result.returncode == 2 and "exists" in result.stderr
    assert out.read_text() == "# mine\n"


def test_init_prompts_on_a_terminal(tmp_path: Path) -> None:
    """Through a real pseudo-terminal: the prompts appear and the answers land in the file."""
    script = shutil.which("script")
    assert script is not None, "util-linux `script` is missing (Debian's bsdutils): a broken test machine"
    out = tmp_path / "inbox.toml"
    answers = "Tea Shop\nhelp@tea.example.com\nEurope/Vienna\nmaildir\n/srv/mail/support\n"
    cmd = f"{sys.executable} {ROOT / 'run_triage.py'} init -o {out}"
    subprocess.run([script, "-qec", cmd, "/dev/null"], input=answers, text=True, capture_output=True, timeout=60)
    from triage.config import load_config

    cfg = load_config(out)
    assert (cfg.shop.name, cfg.shop.support_address, cfg.shop.timezone) == (
        "Tea Shop",
        "help@tea.example.com",
        "Europe/Vienna",
    )
    assert (cfg.source.kind, cfg.source.path) == ("maildir", "/srv/mail/support")
