"""The first minute outside the repository: shipped data found through the package, the config found in
its four places, bare `triage` acting on nothing, and a missing model or template named by its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import TriageCli, invoke_triage
from triage.config import config_from_dict, find_config, load_config
from triage.errors import ConfigError
from triage.resources import DEMO, MODEL, REPLY_TEMPLATES, SUMMARY_TEMPLATES, bundled


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        (MODEL, "config.cfg"),
        (REPLY_TEMPLATES, "en/reply.txt"),
        (SUMMARY_TEMPLATES, "report.html.j2"),
        (DEMO, "inbox.toml"),
    ],
)
def test_shipped_data_is_found_through_the_package(name: str, inside: str) -> None:
    assert (bundled(name) / inside).is_file()
    assert bundled(name).resolve().is_relative_to(ROOT)


def test_defaults_point_at_the_shipped_model_and_templates(tmp_path: Path) -> None:
    cfg = config_from_dict({}, base_dir=tmp_path)
    assert cfg.model_dir() == bundled(MODEL)
    assert cfg.templates_dir() == bundled(REPLY_TEMPLATES)
    assert cfg.require_model() == bundled(MODEL)


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "inbox.toml").write_text('[model]\npath = "my-model"\n[store]\npath = "t.db"\n')
    monkeypatch.chdir(tmp_path)
    cfg = load_config(Path("conf/inbox.toml"))
    assert cfg.model_dir() == tmp_path / "conf" / "my-model"
    assert cfg.resolve(cfg.store.path) == tmp_path / "conf" / "t.db"


def test_a_missing_model_stops_the_start_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "inbox.toml").write_text(f'[model]\npath = "nowhere"\n[store]\npath = "{tmp_path / "t.db"}"\n')
    eml = ROOT / "tests" / "data" / "emails"
    files = sorted(eml.glob("*.eml"))[:1]
    result = invoke_triage("--config", str(tmp_path / "inbox.toml"), "inspect", str(files[0]))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[model] path" in lines[0] and "nowhere" in lines[0]


def test_a_missing_template_folder_stops_the_start_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "inbox.toml").write_text('[shop]\ntemplates = "my-templates"\n')
    result = invoke_triage("--config", str(tmp_path / "inbox.toml"), "queue")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "[shop] templates" in result.stderr
    assert "my-templates" in result.stderr


def test_a_local_source_without_a_path_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "inbox.toml").write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n')
    result = invoke_triage("--config", str(tmp_path / "inbox.toml"), "once")
    assert result.returncode == 2
    assert "[source] path: not set" in result.stderr


def test_bare_triage_prints_help_and_acts_on_nothing(tmp_path: Path) -> None:
    """Even with a config that names a readable inbox, no command means no triage and no store."""
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(f'[source]\nkind = "maildir"\npath = "{ROOT / "demo" / "inbox"}"\n[store]\npath = "t.db"\n')
    for args in ((), ("--config", str(cfg))):
        result = invoke_triage(*args)
        assert result.returncode == 0
        assert "Usage: triage" in result.stdout and "demo" in result.stdout
        assert "triaged" not in result.stderr
    assert not (tmp_path / "t.db").exists()


def test_version() -> None:
    from importlib.metadata import version

    result = invoke_triage("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"triage {version('triage')}"


def test_demo_needs_no_config(tmp_path: Path, triage_cli: TriageCli) -> None:
    env = {"TRIAGE_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    result = triage_cli("demo", "--store", str(tmp_path / "demo.db"), env=env)
    assert result.returncode == 0, result.stderr
    assert "triaged 47 new message(s)" in result.stderr
    assert "#1047" in result.stdout and "open conversation(s)" in result.stdout
    assert (tmp_path / "demo.db").is_file()


# -- where the config is found ---------------------------------------------------------------------------


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Four candidate files, none of them existing yet, and a working folder without inbox.toml."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("TRIAGE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return {
        "explicit": tmp_path / "explicit.toml",
        "env": tmp_path / "env.toml",
        "cwd": work / "inbox.toml",
        "xdg": tmp_path / "xdg" / "triage" / "inbox.toml",
    }


def test_config_lookup_order(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    for p in places.values():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    monkeypatch.setenv("TRIAGE_CONFIG", str(places["env"]))
    assert find_config(str(places["explicit"])) == places["explicit"]
    assert find_config(None) == places["env"]
    monkeypatch.delenv("TRIAGE_CONFIG")
    assert find_config(None).resolve() == places["cwd"]
    places["cwd"].unlink()
    assert find_config(None) == places["xdg"]


def test_xdg_default_is_dot_config(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(places["xdg"].parents[2]))
    target = places["xdg"].parents[2] / ".config" / "triage" / "inbox.toml"
    target.parent.mkdir(parents=True)
    target.write_text("")
    assert find_config(None) == target


def test_no_config_names_all_four_places(places: dict[str, Path]) -> None:
    with pytest.raises(ConfigError) as err:
        find_config(None)
    msg = str(err.value)
    for place in ("--config", "$TRIAGE_CONFIG", "./inbox.toml", str(places["xdg"])):
        assert place in msg
    assert "\n" not in msg
