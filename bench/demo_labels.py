"""Compares triage's intents for each demo message with the labels demo/README.md gives it.

Prints each disagreement and the count: `python bench/demo_labels.py`. Each message is read as `inspect`
reads it (the whole per-message pipeline with the repo's inbox.toml: parse, redact, classify; automated
mail is `other` unread), on its own, without its conversation: the README's column is each message's own
reading. tests/test_demo_labels.py asserts the same comparison.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from triage.config import load_config  # noqa: E402
from triage.run.inspect import inspect_files  # noqa: E402
from triage.run.pipeline import Pipeline  # noqa: E402
from triage.understand.classify import IntentModel  # noqa: E402

ROW = re.compile(r"^\| (\d+) \| `([^`]+)` \| [^|]+ \| ([^|]+) \|")


def expected() -> list[tuple[str, Path, set[str]]]:
    """(number, file, labels) of each row of demo/README.md's message table."""
    rows = [m.groups() for line in (ROOT / "demo" / "README.md").read_text().splitlines() if (m := ROW.match(line))]
    return [
        (number, next((ROOT / "demo" / "inbox").glob(key + "*")), {x.strip() for x in labels.split(",")})
        for number, key, labels in rows
    ]


def disagreements(model: IntentModel | None = None) -> tuple[list[str], int]:
    """One line per demo message whose intents differ from the README's, and how many messages there are."""
    cfg = load_config(ROOT / "inbox.toml")
    pipeline = Pipeline(cfg, model or IntentModel.load(ROOT / "models" / "intent"))
    rows = expected()
    got = inspect_files([path for _, path, _ in rows], pipeline, cfg)
    out = []
    for (number, path, labels), obj in zip(rows, got, strict=True):
        if set(obj["intents"]) != labels:
            out.append(f"#{number} {path.name}: expected {sorted(labels)}, got {obj['intents']} {obj.get('evidence')}")
    return out, len(rows)


def main() -> int:
    wrong, total = disagreements()
    print("\n".join(wrong))
    print(f"{len(wrong)} of {total} demo messages disagree with demo/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
