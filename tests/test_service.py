"""contrib/triage.service: the systemd unit the README installs runs a command that exists, as a dedicated
user, restarted on failure, hardened, with its secrets from an EnvironmentFile."""

from __future__ import annotations

import configparser
import shlex
import tomllib

from tests.support import ROOT
from triage.cli import cli

UNIT = ROOT / "contrib" / "triage.service"


def unit() -> configparser.ConfigParser:
    # systemd allows a key more than once; strict=False keeps the last, as systemd does for these keys.
    parser = configparser.ConfigParser(strict=False, interpolation=None, empty_lines_in_values=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_unit_runs_the_daemon_as_a_dedicated_user_and_restarts_on_failure() -> None:
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service.get("DynamicUser") == "yes" or service.get("User") == "triage"
    assert service["StateDirectory"] == "triage"
    assert service["Environment"].startswith("TRIAGE_CONFIG=/")
    assert service["EnvironmentFile"].startswith("/")  # the passwords: never in the unit itself
    settings = [line for line in UNIT.read_text().splitlines() if line.startswith("Environment=")]
    assert settings and not any("PASSWORD" in line.upper() for line in settings)


def test_unit_is_hardened() -> None:
    service = unit()["Service"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
    }.items():
        assert service.get(key) == value, f"{key}={value} missing"
    # With ProtectSystem=strict the state directory is the only writable place: nothing else is opened up.
    assert "ReadWritePaths" not in service
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_exec_start_is_the_console_script_and_a_real_command() -> None:
    argv = shlex.split(unit()["Service"]["ExecStart"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert argv[0].startswith("/") and argv[0].rsplit("/", 1)[-1] in scripts
    assert argv[1:] == ["run"] and "run" in cli.commands


def test_readme_installs_the_unit() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Run as a service") :]
    section = section[: section.index("\n## ", 5)]
    for step in ("contrib/triage.service", "useradd", "systemctl daemon-reload", "systemctl enable --now triage"):
        assert step in section, f"README's Run as a service section lacks {step!r}"
    for path in (unit()["Service"]["EnvironmentFile"], unit()["Service"]["Environment"].split("=", 1)[1]):
        assert path in section, f"README does not say where {path} comes from"
