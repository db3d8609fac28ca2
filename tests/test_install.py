"""Installed as a user installs it: the wheel built from this tree, put into a fresh venv, run from a temp
folder far from the repository. `demo`, `inspect` with the minimal config, `check` against the test Dovecot.

Offline: the wheel is built with --no-build-isolation (setuptools and wheel come with `.[test]`) and
installed with --no-index --no-deps; the dependencies come from this environment's site-packages through
a .pth file (a path in a .pth is not a site dir, so the editable install's finder there never runs and
`import triage` can only find the wheel's copy).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import PASSWORD_ENV, write_config
from tests.support.dovecot import PASSWORD, Dovecot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; returns its bin/ folder."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # a copy, so building leaves no build/ or egg-info in the repository
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("triage", "templates", "demo"):
        shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models" / "intent", src / "models" / "intent")
    shutil.copy(ROOT / "models" / "config.cfg", src / "models" / "config.cfg")
    wheels = tmp / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            wheels,
            src,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = wheels.glob("triage-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    purelib = subprocess.run(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin" / "python",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            wheel,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_triage_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    return venv / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TRIAGE_CONFIG", "VIRTUAL_ENV")}
    clean["XDG_CONFIG_HOME"] = str(cwd / "xdg")
    return subprocess.run(
        [bin_dir / "triage", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env={**clean, **(env or {})}
    )


def test_the_wheel_carries_model_templates_and_demo(installed: Path, tmp_path: Path) -> None:
    code = "import triage.resources as r; print(r.bundled('model')); print(r.bundled('templates'))"
    out = subprocess.run([installed / "python", "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    model, templates = map(Path, out.stdout.split())
    assert str(installed.parent) in str(model) and not model.is_symlink()  # the wheel's copy, not the repo
    assert (model / "config.cfg").is_file() and (templates / "replies" / "en" / "reply.txt").is_file()
    assert not (model.resolve()).is_relative_to(ROOT)
    # what `train` reads besides the checkout's mail: its spaCy config and the finder's tables
    from triage.model.train import DEFAULT_CONFIG, DEFAULT_LEMMAS

    shipped = model.parent
    assert (shipped / DEFAULT_CONFIG.name).is_file() and not (shipped / DEFAULT_CONFIG.name).is_symlink()
    assert (model / DEFAULT_LEMMAS.name / "not_typos.json").is_file() and (model / "lemmas" / "de.json").is_file()


def test_the_wheel_redacts_as_the_source_does(installed: Path, tmp_path: Path) -> None:
    """setup.py compiles triage.redact with mypyc for the wheel (pure Python when no C compiler is found): the
    installed package must redact every adversarial case and decoy exactly as the source tree does."""
    from tests.test_redact_adversarial import DECOYS, SECRETS
    from triage.redact import redact

    texts = [t for t, _ in SECRETS] + [t for t, _ in DECOYS]
    code = (
        "import json, sys, triage.redact as R; texts = json.load(sys.stdin)\n"
        "print(json.dumps([R.__file__, [[R.redact(t).text, [[f.kind, f.start, f.end] for f in R.redact(t).findings]]"
        " for t in texts]]))"
    )
    out = subprocess.run(
        [installed / "python", "-c", code], input=json.dumps(texts), cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    module, got = json.loads(out.stdout)
    assert str(installed.parent) in module
    if shutil.which(os.environ.get("CC", "gcc")):
        assert module.endswith(".so"), module  # compiled
    want = [[redact(t).text, [[f.kind, f.start, f.end] for f in redact(t).findings]] for t in texts]
    assert got == want


def test_demo_runs_from_anywhere(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "triaged 47 new message(s)" in result.stderr
    assert "#1047" in result.stdout
    assert list(tmp_path.iterdir()) == []  # the demo's store was temporary


def test_bare_triage_and_version(installed: Path, tmp_path: Path) -> None:
    bare = _run(installed, tmp_path)
    assert bare.returncode == 0 and "Usage: triage" in bare.stdout
    assert _run(installed, tmp_path, "--version").stdout.strip() == "triage 0.1.0"


def test_inspect_with_the_minimal_config(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "inbox.toml").write_text(
        '[shop]\nname = "Tea"\nsupport_address = "help@tea.example.com"\n[store]\npath = "t.db"\n'
    )
    eml = tmp_path / "cancel.eml"
    eml.write_bytes(
        b"From: Jane <jane@example.com>\r\nTo: help@tea.example.com\r\nSubject: cancel\r\n\r\n"
        b"Please cancel my order #1042, I ordered the wrong tea.\r\n"
    )
    result = _run(installed, tmp_path, "inspect", "--json", str(eml))
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert "cancel" in obj["intents"] and obj.get("draft")


def test_check_against_the_test_dovecot(installed: Path, tmp_path: Path, dovecot: Dovecot, imap_folder: str) -> None:
    cfg = write_config(tmp_path, dovecot, imap_folder)
    text = "\n".join(line for line in cfg.read_text().splitlines() if "[model]" not in line and "intent" not in line)
    cfg.write_text(text + "\n")  # the bundled model, not the repository's
    result = _run(installed, tmp_path, "--config", str(cfg), "check", env={PASSWORD_ENV: PASSWORD})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "login works" in result.stdout and "Drafts" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
