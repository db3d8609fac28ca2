"""The terminal queue: fitted to 80 and 160 columns with no line longer than the terminal, whole lines in a
pipe, colour only on a terminal and never with NO_COLOR, long output through the pager, and the same
decisions made by a real `triage queue` process on a real pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.test_summary import NOW, build_fixed_store
from triage.report.term_layout import Column, Term, fit, table
from triage.report.terminal import queue_table
from triage.store import Store

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "triage.db", clock=lambda: NOW)
    build_fixed_store(s)
    s.heartbeat("maildir:test")
    return s


@pytest.mark.parametrize("width", [80, 160])
def test_queue_fits_the_terminal(store: Store, width: int) -> None:
    rows = store.queue()
    out = queue_table(rows, NOW, store.health(), Term(width=width, colour=True))
    plain = ANSI.sub("", out)
    lines = plain.splitlines()
    assert max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines) >= width - 25  # the width is used, not a fixed 80 everywhere
    assert ANSI.search(out)  # a colour terminal gets colour
    header = next(line for line in lines if " ID " in line)
    ids = [int(m.group(1)) for line in lines if (m := re.match(r"\s*\d+\s+(\d+)\s+\d+ ", line))]
    assert ids == [r.id for r in rows] and len(ids) > 5
    if width == 160:  # room for everything on one line: customer, stage and the reasons beside
        assert "CUSTOMER" in header and "STAGE" in header and header.rstrip().endswith("REASONS")
        assert len(lines) == len(rows) + 3
    else:  # 80: the reasons get lines of their own, indented, so no row wraps
        assert "REASONS" not in header and "DEADLINE" in header
        first = next(r for r in rows if r.status == "ok")
        assert any(line.startswith("      ") and first.reasons[0][:40] in line for line in lines)


def test_a_pipe_gets_whole_lines_and_no_colour(store: Store) -> None:
    rows = store.queue()
    out = queue_table(rows, NOW, store.health(), Term())
    assert not ANSI.search(out)
    for r in rows:  # nothing clipped: grep finds the whole reason
        assert "; ".join(r.reasons) in out or (r.error or "") in out


def test_fit_drops_the_least_useful_columns_only_when_it_must() -> None:
    columns = [Column("a", "A", 2, 10), Column("b", "BB", 4, 30, drop=1), Column("c", "C", 3, 10, drop=2)]
    rows = [{"a": "x" * 10, "b": "y" * 30, "c": "z" * 10}]
    assert [(c.key, w) for c, w in fit(columns, rows, None)] == [("a", 10), ("b", 30), ("c", 10)]
    assert sum(w for _, w in fit(columns, rows, 30)) + 2 <= 30  # shrunk, all kept
    assert [c.key for c, _ in fit(columns, rows, 8)] == ["a", "c"]  # b goes first
    lines = table(columns, rows, ["why " * 30], Term(width=30))
    assert all(len(line) <= 30 for line in lines) and lines[-1].startswith("      why")


class FakeTty:
    def isatty(self) -> bool:
        return True


def test_colour_follows_the_terminal_and_no_color() -> None:
    assert Term.detect(FakeTty(), {"TERM": "xterm"}).colour  # type: ignore[arg-type]
    assert not Term.detect(FakeTty(), {"TERM": "xterm", "NO_COLOR": "1"}).colour  # type: ignore[arg-type]
    assert not Term.detect(FakeTty(), {"TERM": "xterm", "NO_COLOR": ""}).colour  # type: ignore[arg-type]
    assert not Term.detect(FakeTty(), {"TERM": "dumb"}).colour  # type: ignore[arg-type]
    with open(os.devnull, "w") as devnull:
        piped = Term.detect(devnull, {"TERM": "xterm"})
    assert piped == Term() and piped.width is None and not piped.colour and not piped.pager


def _on_a_pty(args: list[str], columns: int, env: dict[str, str]) -> str:
    """Run triage with stdin and stdout on a pseudo-terminal of `columns` x 24; what it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "PAGER")}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**clean, "TERM": "xterm", **env},
        cwd=ROOT,
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(60)
    os.close(master)
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode == 0, errors
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize("no_color", [False, True])
def test_triage_queue_on_a_real_terminal(store: Store, tmp_path: Path, no_color: bool) -> None:
    config = tmp_path / "inbox.toml"
    config.write_text('[shop]\nname = "S"\nsupport_address = "s@example.com"\n[store]\npath = "triage.db"\n')
    # PAGER=cat: the long queue (more than 24 lines at 80 columns) goes through the pager, which prints it.
    env = {"PAGER": "cat", **({"NO_COLOR": "1"} if no_color else {})}
    out = _on_a_pty(["--config", str(config), "--now", NOW.isoformat(), "queue"], 80, env)
    lines = ANSI.sub("", out).splitlines()
    assert len(lines) > 24 and max(len(line) for line in lines) <= 80
    assert "DEADLINE" in lines[1] and "REASONS" not in lines[1]
    assert bool(ANSI.search(out)) is not no_color
