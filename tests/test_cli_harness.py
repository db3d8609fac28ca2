"""The in-process command line the tests use gives what `run_triage.py` gives as a process: exit code, stdout
and stderr (log lines included, their timestamps aside), for success, each kind of error, stdin and -v.

(Only --help differs, and no test reads it: CliRunner wraps it at 80 columns, a process without a terminal at 78.)
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli, run_triage
from tests.support.mailgen import customer_message

STAMP = re.compile(r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A shop with two messages in a Maildir and the demo orders file, so `once -v` logs."""
    md = tmp_path / "md"
    for sub in ("new", "cur", "tmp"):
        (md / sub).mkdir(parents=True)
    for i in range(2):
        (md / "new" / f"{i}.eml").write_bytes(customer_message(i, seed=50))
    (tmp_path / "bad.toml").write_text('[imap]\nport = "abc"\n')
    header = (ROOT / "tests" / "data" / "orders" / "shopify_export.csv").read_text().splitlines()[0]
    (tmp_path / "empty.csv").write_text(header + "\n,someone@example.com" + "," * (header.count(",") - 1) + "\n")
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        f'[shop]\nsupport_address = "support@example.com"\nnow = "2026-11-21T09:30:00+01:00"\n'
        f'[source]\nkind = "maildir"\npath = "{md}"\n[store]\npath = "{tmp_path / "t.db"}"\n'
        f'[model]\npath = "{MODEL}"\n[orders]\nfile = "{ROOT / "demo" / "orders.csv"}"\n'
    )
    return tmp_path


# name: (exit code, arguments)
CASES = {
    "ok with logs": (0, ["-v", "--config", "{cfg}", "once"]),
    "click usage error": (2, ["--config", "{cfg}", "show", "x"]),
    "config error": (2, ["--config", "{dir}/bad.toml", "queue"]),
    "not found": (3, ["--config", "{cfg}", "show", "99999"]),
    "sys.exit inside a command": (1, ["--config", "{cfg}", "import-orders", "{dir}/empty.csv"]),
    "stdin": (0, ["redact", "--json"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_in_process_run_matches_the_process(shop: Path, triage_cli: TriageCli, case: str) -> None:
    code, template = CASES[case]
    args = [a.format(cfg=shop / "inbox.toml", dir=shop) for a in template]
    stdin = "card 4111 1111 1111 1111 exp 08/27\n"
    real = run_triage(*args, input=stdin)
    for leftover in shop.glob("t.db*"):  # the same store state for the second run
        leftover.unlink()
    here = triage_cli(*args, input=stdin)
    assert real.returncode == code, real.stderr
    assert (here.returncode, here.stdout) == (real.returncode, real.stdout)
    assert STAMP.sub("", here.stderr) == STAMP.sub("", real.stderr)
    assert ("INFO triage" in here.stderr) == (case == "ok with logs")


def test_in_process_run_leaves_logging_and_environment_as_it_found_them(
    triage_cli: TriageCli, caplog: pytest.LogCaptureFixture
) -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level, dict(os.environ))
    assert triage_cli("--debug", "redact", input="x", env={"TRIAGE_SOME_SECRET": "s"}).returncode == 0
    assert (list(root.handlers), root.level, dict(os.environ)) == before
    logging.getLogger("triage").warning("after")
    assert "after" in caplog.text  # pytest's capture works again
