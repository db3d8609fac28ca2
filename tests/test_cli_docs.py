"""Every command the CLI offers is documented in the README's command table, and the README's two commands are CI's."""

from __future__ import annotations

import re

from tests.support import ROOT
from triage.cli import cli


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Commands") :]
    for name in cli.commands:
        assert re.search(rf"`{re.escape(name)}[ `]", table), f"`{name}` is not documented in README.md ## Commands"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme[readme.index("## Quick start") : readme.index("## ", readme.index("## Quick start") + 5)]
    commands = re.findall(r"```sh\n(.+?)\n```", quick, flags=re.S)
    assert len(commands) == 2, "the quick start has exactly two commands"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1].strip() in ci
