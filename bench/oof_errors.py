"""Out-of-fold errors on the train split: the model refitted k times, each row scored by a model that never saw it.

`python bench/oof_errors.py [LANG]`. In-sample train errors hide what the model gets wrong on new mail; these
do not, so causes can be read from the 1,300 train rows instead of the 160 dev rows. Never run on ../shared/eval.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spacy.util import load_config  # noqa: E402

from triage.model.data import load_mail, split  # noqa: E402
from triage.model.evaluate import score_predictions  # noqa: E402
from triage.model.train import DEFAULT_CONFIG, _fit, _score  # noqa: E402
from triage.understand.classify import IntentModel, mail_parts, request_text  # noqa: E402
from triage.understand.intents import decide  # noqa: E402

FOLDS = 5


def main() -> int:
    lang = sys.argv[1] if len(sys.argv) > 1 else None
    model = IntentModel.load(ROOT / "models" / "intent")
    rows = split(load_mail())["train"]
    read = [request_text(*mail_parts(r.subject, r.body)) for r in rows]
    texts = [str(t) for t, _ in read]
    hits = [model.finder.find(c) for _, c in read]
    config = load_config(DEFAULT_CONFIG, overrides={"system.seed": 0}, interpolate=True)
    epochs = int(config["training"]["max_epochs"])
    oof: list[dict[str, float]] = [{} for _ in rows]
    for k in range(FOLDS):
        fit = [i for i in range(len(rows)) if i % FOLDS != k]
        held = [i for i in range(len(rows)) if i % FOLDS == k]
        nlp = _fit(config, [texts[i] for i in fit], [rows[i].labels for i in fit], 0, epochs)
        for i, s in zip(held, _score(nlp, [texts[i] for i in held]), strict=True):
            oof[i] = s
    results = [decide(s, h, model.thresholds, words=len(t.split())) for s, h, t in zip(oof, hits, texts, strict=True)]
    for lg in ("en", "de", "es", "fr"):
        idx = [i for i, r in enumerate(rows) if r.lang == lg]
        f1 = score_predictions(lg, [rows[i].labels for i in idx], [results[i].intents for i in idx]).macro_f1
        print(f"oof macro-F1 {lg} {f1:.3f} ({len(idx)} rows)")
    everything = score_predictions("all", [r.labels for r in rows], [x.intents for x in results])
    print(f"oof macro-F1 all {everything.macro_f1:.3f}")
    for r, res, s, h in zip(rows, results, oof, hits, strict=True):
        if lang not in (None, r.lang) or set(res.intents) == set(r.labels):
            continue
        finder = {i: (x.kind, x.why) for i, x in h.items()}
        top = {i: round(v, 2) for i, v in s.items() if v >= 0.1}
        print(f"{r.id} gold={list(r.labels)} pred={list(res.intents)} model={top} finder={finder}")
        print("    ", (r.subject + " | " + mail_parts(r.subject, r.body)[1]).replace("\n", " / ")[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
