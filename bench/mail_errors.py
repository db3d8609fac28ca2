"""Lists the classifier's errors on one split of the training mail, grouped by cause.

`python bench/mail_errors.py dev` (or train). A measurement for finding where errors come from, never run
on ../shared/eval: a cause is one of finder miss (no hit, the model below its bar), finder false hit
(a request clause for a label the mail does not carry), block (a block vetoed a gold label), model
(the model alone added or missed a label).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage.model.data import load_mail, split  # noqa: E402
from triage.model.evaluate import score_predictions  # noqa: E402
from triage.understand.classify import IntentModel, mail_parts, request_text  # noqa: E402
from triage.understand.intents import INTENTS  # noqa: E402


def cause(intent: str, gold: set[str], hit: object, score: float, model: IntentModel) -> str:
    """Why one intent came out wrong."""
    t = model.thresholds
    if intent in gold:  # missed
        if hit is None:
            return "finder miss" if score < t.model[intent] else "?"
        kind = hit.kind  # type: ignore[attr-defined]
        return {"blocked": f"block ({hit.why})", "mention": "mention under bar", "request": "request under bar"}[kind]  # type: ignore[attr-defined]
    if hit is None:
        return "model alone"
    return {"request": "finder false request", "mention": "mention + model", "blocked": "?"}[hit.kind]  # type: ignore[attr-defined]


def main() -> int:
    which = sys.argv[1] if len(sys.argv) > 1 else "dev"
    lang_filter = sys.argv[2] if len(sys.argv) > 2 else None
    model = IntentModel.load(Path(os.environ.get("TRIAGE_MODEL", ROOT / "models" / "intent")))
    rows = [r for r in split(load_mail())[which] if lang_filter in (None, r.lang)]
    causes: Counter[str] = Counter()
    golds, preds = [], []
    for row in rows:
        parts = mail_parts(row.subject, row.body)
        text, clauses = request_text(*parts)
        scores = model.scores([text])[0]
        hits = model.finder.find(clauses)
        result = model.classify([parts])[0]
        gold = set(row.labels) - {"other"}
        pred = set(result.intents) - {"other"}
        golds.append(row.labels)
        preds.append(result.intents)
        if gold == pred:
            continue
        for intent in INTENTS:
            if (intent in gold) != (intent in pred):
                c = cause(intent, gold, hits.get(intent), scores[intent], model)
                causes[c] += 1
                sign = "-" if intent in gold else "+"
                h = hits.get(intent)
                print(f"{row.id} [{row.lang}] {sign}{intent} {c} score={scores[intent]:.2f}")
                if h is not None:
                    print(f"    clause: {h.clause[:160]!r} {h.why}")
        print(f"    gold={sorted(row.labels)} subj={row.subject[:60]!r}")
        print("    body:", parts[1][:400].replace("\n", " / "))
    f1 = score_predictions("model", golds, preds).macro_f1
    print(f"\n{which}: {len(rows)} rows, macro-F1 {f1:.3f}; causes: {dict(causes.most_common())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
