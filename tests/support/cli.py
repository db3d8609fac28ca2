"""Running the command line from a test: in this process through click's CliRunner, or as a real process.

`invoke_triage` is the default: it calls `triage.cli.main` itself, so errors become the same one line
and exit code as in a real run, with no interpreter start and no second model load. `run_triage` and
`spawn_triage` start `run_triage.py` as a process, for tests about the process itself: signals, the
daemon, the real entry point's logging. Both see the test IMAP password in their environment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from click.testing import CliRunner

from tests.support import MODEL, ROOT
from tests.support.dovecot import PASSWORD, USER, Dovecot, imap_table

if TYPE_CHECKING:
    from triage.understand.classify import IntentModel

PASSWORD_ENV = "TRIAGE_TEST_IMAP_PASSWORD"


def write_config(tmp: Path, dovecot: Dovecot, folder: str, **imap: object) -> Path:
    """An inbox.toml pointing at the test Dovecot over STARTTLS with the test CA."""
    settings = {
        "host": dovecot.host,
        "port": dovecot.port,
        "tls": "starttls",
        "ca_file": dovecot.cafile,
        "username": USER,
        "password_env": PASSWORD_ENV,
        "folder": folder,
        "poll_seconds": 30,
        "batch_size": 50,
    }
    settings.update(imap)
    lines = [
        "[shop]",
        'name = "Test Shop"',
        'support_address = "support@example.com"',
        "[source]",
        'kind = "imap"',
        "[store]",
        f'path = "{tmp / "triage.db"}"',
        "[model]",
        f'path = "{MODEL}"',
        *imap_table(settings),
    ]
    path = tmp / "inbox.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


# -- in this process -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CliResult:
    """What a run of the command line left: the same three fields a test reads from a finished process."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def invoke_triage(
    *args: str,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    model: tuple[Path, IntentModel] | None = None,
) -> CliResult:
    """`run_triage.py ARGS` in this process, as a fresh process runs it: through `triage.cli.main`, from the
    repository root, with the test IMAP password and `env` in os.environ (restored afterwards), `input` on
    stdin, and logging configured anew onto the captured stderr. With `model` (a path and that model,
    already loaded), a config naming that path gets the loaded model instead of loading it again."""
    runner = CliRunner()
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.chdir(ROOT))
        out, err, _ = stack.enter_context(runner.isolation(input=input, env={PASSWORD_ENV: PASSWORD, **(env or {})}))
        stack.enter_context(_fresh_logging())
        if model is not None:
            stack.enter_context(_preloaded(*model))
        code = _run_main(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        return CliResult(
            args, code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace")
        )


class TriageCli:
    """`invoke_triage` bound to one loaded model: what the `triage_cli` fixture hands a test."""

    def __init__(self, path: Path, model: IntentModel) -> None:
        self.model = (path, model)

    def __call__(self, *args: str, env: Mapping[str, str] | None = None, input: str | None = None) -> CliResult:
        return invoke_triage(*args, env=env, input=input, model=self.model)


def _run_main(args: list[str]) -> int:
    """The exit code the interpreter would give `main(args)`: SystemExit's code, or 1 and a traceback for an
    error that escapes (main lets them through only with --debug)."""
    from triage.cli import main

    try:
        main(args)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    return 0


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    """The root logger as a new process has it (no handler, WARNING), so the CLI's `logging.basicConfig` takes
    effect and writes to the captured stderr; pytest's own handlers and level come back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            handler.flush()
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


@contextlib.contextmanager
def _preloaded(path: Path, model: IntentModel) -> Iterator[None]:
    """`App.model` hands out `model` when the config names `path`, and loads as usual otherwise."""
    from triage.cli import App

    load: Any = App.__dict__["model"]
    wanted = path.resolve()

    def model_for(app: App) -> Any:
        if app.cfg.model_dir().resolve() == wanted:
            return model
        return load.__get__(app, App)

    with mock.patch.object(App, "model", property(model_for)):
        yield


# -- as a process --------------------------------------------------------------------------------------------


def triage_env() -> dict[str, str]:
    """This environment plus the test IMAP password, with the repository importable."""
    env = dict(os.environ)
    env[PASSWORD_ENV] = PASSWORD
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_triage(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """`run_triage.py ARGS` as a process, to completion."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**triage_env(), **(env or {})},
        cwd=str(ROOT),
        **kw,
    )


def spawn_triage(*args: str, **kw: Any) -> subprocess.Popen[str]:
    """`run_triage.py ARGS` as a process left running (to signal, kill, or stop later)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=triage_env(),
        cwd=str(ROOT),
        **kw,
    )


def stop(proc: subprocess.Popen[str]) -> str:
    """SIGTERM a spawned run (a daemon stops cleanly on it) and return its stderr; SIGKILL if it hangs."""
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    except Exception:
        proc.kill()
        _, err = proc.communicate()
    return err
