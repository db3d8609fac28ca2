"""Equality guard for speed work on the classification stage: dumps every decision so a faster stage can be
checked to decide exactly as before.

`python bench/classify_guard.py dump FILE` writes one JSON line per message (intents, evidence, scores rounded
to 4 places, low_confidence) for every mail in models/data/mail and every message of the demo inbox;
`python bench/classify_guard.py check FILE` classifies them again and prints every difference (exit 1 if any).
The dump is a local artefact of one model build (it changes whenever the model is retrained): keep it out of git.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage.mail.parse import parse_message  # noqa: E402
from triage.model.data import load_mail  # noqa: E402
from triage.understand.classify import IntentModel, mail_parts  # noqa: E402


def _mails() -> list[tuple[str, tuple[str, str]]]:
    """(key, (subject, new text)) of every labelled mail and every demo message, in a fixed order."""
    out = [(row.id, mail_parts(row.subject, row.body)) for row in load_mail()]
    for path in sorted(p for sub in ("cur", "new") for p in (ROOT / "demo" / "inbox" / sub).iterdir()):
        parsed = parse_message(path.read_bytes(), frozenset())
        out.append((f"demo/{path.name}", (parsed.subject, parsed.new_text)))
    return out


def decisions(model: IntentModel) -> list[dict]:
    """One record per message, batched and one at a time (batching must not change a decision)."""
    mails = _mails()
    batched = model.classify([m for _, m in mails])
    single = [model.classify([m])[0] for _, m in mails]
    rows = []
    for (key, _), r, one in zip(mails, batched, single, strict=True):
        row = {
            "id": key,
            "intents": list(r.intents),
            "evidence": r.evidence,
            "scores": {k: round(v, 4) for k, v in sorted(r.scores.items())},
            "low_confidence": r.low_confidence,
        }
        alone = {
            "intents": list(one.intents),
            "evidence": one.evidence,
            "scores": {k: round(v, 4) for k, v in sorted(one.scores.items())},
            "low_confidence": one.low_confidence,
        }
        if any(row[k] != alone[k] for k in alone):
            row["alone"] = alone
        rows.append(row)
    return rows


def main() -> int:
    mode, path = sys.argv[1], Path(sys.argv[2])
    rows = decisions(IntentModel.load(ROOT / "models" / "intent"))
    if mode == "dump":
        path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
        print(f"{len(rows)} decisions written to {path}")
        return 0
    old = [json.loads(line) for line in path.read_text().splitlines()]
    diff = [(a, b) for a, b in zip(old, rows, strict=True) if a != json.loads(json.dumps(b, sort_keys=True))]
    for a, b in diff[:20]:
        print(f"DIFF {a['id']}:\n  was {a}\n  now {b}")
    print(f"{len(rows)} messages, {len(diff)} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
