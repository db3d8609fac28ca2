"""The package's folders follow the flow: a module imports only from folders before it, and the pure stages
never reach for the config file, the store or the network. A change that breaks this fails here."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.support import ROOT

FLOW = ("sources", "mail", "redact", "understand", "orders", "conversation", "reply", "run", "report", "model", "web")
FOUNDATION = frozenset({"errors", "records", "resources", "settings", "text"})
# Beyond the foundation and the folders before it in the flow, what each part may import.
EXTRA: dict[str, frozenset[str]] = {
    "config": frozenset(),
    "store": frozenset(),
    "sources": frozenset({"config"}),  # the network seam is configured by inbox.toml
    "mail": frozenset(),
    "redact": frozenset(),
    "understand": frozenset(),
    "orders": frozenset(),
    "conversation": frozenset(),
    "reply": frozenset({"store"}),  # the Drafts folder sync reads stored drafts
    "run": frozenset({"config", "store"}),
    "report": frozenset({"config", "store"}),
    "model": frozenset({"config", "store"}),
    "web": frozenset({"config", "store"}),  # the agents' pages read and write the store
}


def _imports() -> list[tuple[str, str, str]]:
    """(file, part it belongs to, part it imports) for every `triage.*` import in the package."""
    out = []
    for path in sorted((ROOT / "triage").rglob("*.py")):
        rel = path.relative_to(ROOT / "triage")
        part = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("triage."):
                target = node.module.split(".")[1]
                if target != part:
                    out.append((str(rel), part, target))
    return out


def _allowed(part: str) -> frozenset[str]:
    if part == "cli":
        return frozenset(FLOW) | FOUNDATION | {"config", "store"}
    if part in FOUNDATION:
        return FOUNDATION
    earlier = frozenset(FLOW[: FLOW.index(part)]) if part in FLOW else frozenset()
    return FOUNDATION | earlier | EXTRA[part]


def test_every_part_of_the_package_is_placed() -> None:
    parts = {part for _, part, _ in _imports()}
    assert parts <= set(FLOW) | FOUNDATION | {"cli", "config", "store"}


@pytest.mark.parametrize(("file", "part", "target"), _imports())
def test_imports_follow_the_flow(file: str, part: str, target: str) -> None:
    assert target in _allowed(part), f"triage/{file} ({part}) must not import triage.{target}"


def test_mypy_is_clean() -> None:
    """mypy over triage/ (settings in pyproject.toml); CI runs the suite, so CI runs this."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
