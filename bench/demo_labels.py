"""Compares the classifier's intents on the demo inbox with the labels demo/README.md gives each message.

Prints each disagreement and the count: `python bench/demo_labels.py`. A measurement, not a test: the
demo's labels are the team's reading of each message, and this shows where the classifier differs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage.mail.parse import parse_message  # noqa: E402
from triage.understand.classify import IntentModel  # noqa: E402

ROW = re.compile(r"^\| (\d+) \| `([^`]+)` \| [^|]+ \| ([^|]+) \|")


def main() -> int:
    model = IntentModel.load(ROOT / "models" / "intent")
    rows = [m.groups() for line in (ROOT / "demo" / "README.md").read_text().splitlines() if (m := ROW.match(line))]
    wrong = 0
    for number, key, labels in rows:
        path = next((ROOT / "demo" / "inbox").glob(key + "*"))
        parsed = parse_message(path.read_bytes(), ())
        result = model.classify([(parsed.subject, parsed.new_text)])[0]
        expected = {x.strip() for x in labels.split(",")}
        if set(result.intents) != expected:
            wrong += 1
            print(f"#{number} {key}: expected {sorted(expected)}, got {list(result.intents)} {result.evidence}")
    print(f"{wrong} of {len(rows)} demo messages disagree with demo/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
