"""Builds the intent model from models/config.cfg and the hand-written mail, reproducibly.

Fixed seed, one thread of numpy, shuffles from a seeded generator: the same data and seed give
byte-identical files. The model reads what the classifier reads (classify.request_text: the new text,
the subject only when it is not a reply). Thresholds are chosen by k-fold cross-validation on the train
split: out-of-fold model scores beside the request finder's hits, a grid per intent over the three bars
of intents.decide. The dev split only reports; the test split is for `triage eval`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from triage.errors import ModelError
from triage.model.data import CORRECTION_REPEAT, MAIL_DIR, MailRow, load_mail, split
from triage.model.evaluate import score_predictions
from triage.records import INTENT_LABELS
from triage.resources import MODEL, TRAIN_CONFIG, bundled
from triage.understand.classify import (
    INTENTS,
    LEMMAS_DIR,
    PIPE_NAME,
    THRESHOLDS_FILE,
    _textcat,
    mail_parts,
    model_text,
    request_text,
)
from triage.understand.intents import MODEL_ALONE_WORDS, Thresholds, alone_barred, decide, model_alone_may
from triage.understand.requests import BLOCKED, LEXICONS, MENTION, REQUEST, Hit, RequestFinder

# The training config and the lemma tables ship with the package (a wheel carries them); the model is
# written where the caller says (the CLI: the config's model path), by default into a checkout, whose
# mail it was trained on (triage.model.data.MAIL_DIR).
DEFAULT_CONFIG = bundled(TRAIN_CONFIG)
DEFAULT_OUT = Path("models") / "intent"
DEFAULT_LEMMAS = bundled(MODEL) / LEMMAS_DIR
MODEL_GRID = [round(0.05 * i, 2) for i in range(1, 20)]  # 0.05 .. 0.95
AFFIRM_GRID = [round(0.02 * i, 2) for i in range(0, 46)]  # 0 .. 0.9
REQUEST_GRID = [0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2]
FOLDS = 5
# Each training mail's evidence clauses are added as short examples of their intent, so the model also
# learns what a request sentence looks like on its own (it scores clauses for model-only evidence).
EVIDENCE_ROWS = False  # measured: dev macro-F1 0.868 with them, 0.899 without (models/data/mail, seed 0)


def _cats(labels: Sequence[str]) -> dict[str, float]:
    return {label: float(label in labels) for label in INTENT_LABELS}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fit(config: Any, texts: Sequence[str], labels: Sequence[Sequence[str]], seed: int, epochs: int) -> Any:
    """A fresh pipeline from `config` trained on texts for `epochs` epochs (averaged weights kept)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, load_model_from_config, registry

    fix_random_seed(seed)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    if nlp.pipe_names != [PIPE_NAME]:
        raise ModelError(f"pipeline must be [{PIPE_NAME!r}], got {nlp.pipe_names}")
    tcfg = config["training"]
    optimizer = registry.resolve({"x": tcfg["optimizer"]})["x"]
    batcher = registry.resolve({"x": tcfg["batcher"]})["x"]
    dropout = float(tcfg["dropout"])
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": _cats(ls)}) for t, ls in zip(texts, labels, strict=True) if t
    ]
    nlp.initialize(lambda: examples, sgd=optimizer)
    if set(_textcat(nlp).labels) != set(INTENT_LABELS):
        raise ModelError(f"training data must use all labels {list(INTENT_LABELS)}")
    rng = random.Random(seed)
    for _ in range(epochs):
        order = list(examples)
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in batcher(order):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
    nlp.from_bytes(_averaged(nlp, optimizer))
    return nlp


def _averaged(nlp: Any, optimizer: Any) -> bytes:
    with nlp.use_params(optimizer.averages):
        return bytes(nlp.to_bytes())


def _score(nlp: Any, texts: Sequence[str]) -> list[dict[str, float]]:
    out: list[dict[str, float]] = [dict.fromkeys(INTENT_LABELS, 0.0) for _ in texts]
    filled = [i for i, t in enumerate(texts) if t]
    for i, doc in zip(filled, nlp.pipe([texts[i] for i in filled], batch_size=256), strict=True):
        out[i] = dict(doc.cats)
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def choose_thresholds(
    scores: Sequence[dict[str, float]],
    hits: Sequence[dict[str, Hit]],
    gold: Sequence[Sequence[str]],
    words: Sequence[int] | None = None,
) -> tuple[Thresholds, dict[str, float]]:
    """Per intent, the (model, affirm, request) bars that maximise F1 on out-of-fold scores under decide's
    rules. Each bar acts on its own rows (no hit, a mention, a request), so the counts add up and the whole
    grid is searched exactly; ties go to the bar nearest its neutral value (0.5, 0.3, 0). `words`: how many
    words the model read of each row (a row the model may not decide alone is a miss whatever its bar)."""
    lengths = words if words is not None else [MODEL_ALONE_WORDS] * len(scores)
    model, affirm, request, f1s = {}, {}, {}, {}
    for intent in INTENTS:
        parts: dict[str, list[tuple[float, bool]]] = {"none": [], MENTION: [], REQUEST: []}
        fixed_fn = fixed_tp = fixed_fp = 0
        for s, h, g, n in zip(scores, hits, gold, lengths, strict=True):
            y = intent in g
            hit = h.get(intent)
            barred = hit is None and (not model_alone_may(s[intent], s.get("other", 0.0), n) or alone_barred(intent, h))
            if (hit is not None and hit.kind == BLOCKED) or barred:
                fixed_fn += y
                continue
            if hit is not None and hit.kind == REQUEST and hit.strong:
                fixed_tp += y
                fixed_fp += not y
                continue
            parts["none" if hit is None else hit.kind].append((s[intent], y))

        def counts(rows: list[tuple[float, bool]], bar: float) -> tuple[int, int, int]:
            tp = sum(1 for v, y in rows if v >= bar and y)
            fp = sum(1 for v, y in rows if v >= bar and not y)
            return tp, fp, sum(1 for v, y in rows if v < bar and y)

        cm = {b: counts(parts["none"], b) for b in MODEL_GRID}
        ca = {b: counts(parts[MENTION], b) for b in AFFIRM_GRID}
        cr = {b: counts(parts[REQUEST], b) for b in REQUEST_GRID}
        best: tuple[float, float, float, float, float, float] | None = None
        for bm, (a1, b1, c1) in cm.items():
            for ba, (a2, b2, c2) in ca.items():
                for br, (a3, b3, c3) in cr.items():
                    f = round(_f1(a1 + a2 + a3 + fixed_tp, b1 + b2 + b3 + fixed_fp, c1 + c2 + c3 + fixed_fn), 6)
                    key = (f, -abs(bm - 0.5), -abs(ba - 0.3), -br, bm, ba)
                    if best is None or key > best:
                        best = key
                        chosen = (bm, ba, br)
        assert best is not None
        model[intent], affirm[intent], request[intent] = chosen
        f1s[intent] = best[0]
    return Thresholds(model, affirm, request), f1s


def train(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    seed: int = 0,
    epochs: int | None = None,
    config_path: Path | None = None,
    lemmas_dir: Path | None = None,
    folds: int = FOLDS,
    evidence_rows: bool = EVIDENCE_ROWS,
    corrections: Sequence[MailRow] = (),
) -> dict[str, Any]:
    """Train on the mail's train split, choose thresholds by k-fold CV on it, save to out_dir.

    `corrections` (the store's agent-corrected messages of the train part, see data.correction_rows) join
    the train split; each weighs CORRECTION_REPEAT rows in a fit, so a shop's few own words are heard."""
    import spacy
    from spacy.util import load_config

    data_dir = Path(data_dir) if data_dir is not None else MAIL_DIR
    out_dir = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    config_path = Path(config_path) if config_path is not None else DEFAULT_CONFIG
    lemmas_dir = Path(lemmas_dir) if lemmas_dir is not None else DEFAULT_LEMMAS
    try:
        config = load_config(config_path, overrides={"system.seed": seed}, interpolate=True)
    except Exception as exc:
        raise ModelError(f"spaCy config {config_path} cannot be read: {exc}") from exc
    n_epochs = int(epochs if epochs is not None else config["training"]["max_epochs"])
    parts = split(load_mail(data_dir))
    train_rows, dev_rows = parts["train"] + list(corrections), parts["dev"]
    first_correction = len(parts["train"])
    if not train_rows or not dev_rows:
        raise ModelError(f"training mail in {data_dir}: the train and dev splits need rows")
    finder = RequestFinder.load(lemmas_dir, LEXICONS)

    def read(rows: Sequence[MailRow]) -> tuple[list[str], list[dict[str, Hit]]]:
        texts, hits = [], []
        for r in rows:
            text, clauses = request_text(*mail_parts(r.subject, r.body))
            texts.append(str(text))
            hits.append(finder.find(clauses))
        return texts, hits

    train_texts, train_hits = read(train_rows)
    dev_texts, dev_hits = read(dev_rows)
    train_gold = [r.labels for r in train_rows]

    def extra(idx: Sequence[int]) -> tuple[list[str], list[tuple[str, ...]]]:
        """The evidence clauses of rows idx as (text, labels) examples (none when evidence_rows is off)."""
        texts: list[str] = []
        labels: list[tuple[str, ...]] = []
        for i in idx:  # a correction's further copies
            if i >= first_correction:
                texts += [train_texts[i]] * (CORRECTION_REPEAT - 1)
                labels += [tuple(train_rows[i].labels)] * (CORRECTION_REPEAT - 1)
        for i in idx if evidence_rows else ():
            for label, clause in sorted(train_rows[i].evidence.items()):
                if label in INTENTS and clause:
                    texts.append(str(model_text("", clause)))
                    labels.append((label,))
        return texts, labels

    oof: list[dict[str, float]] = [{} for _ in train_rows]
    fold_of = [i % folds for i in range(len(train_rows))]
    for k in range(folds):
        fit_idx = [i for i, f in enumerate(fold_of) if f != k]
        held = [i for i, f in enumerate(fold_of) if f == k]
        et, el = extra(fit_idx)
        nlp = _fit(
            config, [train_texts[i] for i in fit_idx] + et, [train_gold[i] for i in fit_idx] + el, seed, n_epochs
        )
        for i, s in zip(held, _score(nlp, [train_texts[i] for i in held]), strict=True):
            oof[i] = s
    thresholds, cv_f1 = choose_thresholds(oof, train_hits, train_gold, [len(t.split()) for t in train_texts])

    et, el = extra(range(len(train_rows)))
    nlp = _fit(config, train_texts + et, list(train_gold) + el, seed, n_epochs)
    dev_results = [
        decide(s, h, thresholds, words=len(t.split()))
        for s, h, t in zip(_score(nlp, dev_texts), dev_hits, dev_texts, strict=True)
    ]
    dev_scores = score_predictions("dev", [r.labels for r in dev_rows], [r.intents for r in dev_results])
    info = {
        **thresholds.to_dict(),
        "training": {
            "seed": seed,
            "epochs": n_epochs,
            "folds": folds,
            "evidence_rows": evidence_rows,
            "train_rows": len(train_rows),
            "dev_rows": len(dev_rows),
            "correction_rows": len(corrections),
            "spacy": spacy.__version__,
            "data_sha256": {p.name: _sha256(p) for p in sorted(Path(data_dir).glob("*.jsonl"))},
            "config_sha256": _sha256(config_path),
            "cv_f1_per_label": cv_f1,
            "dev_macro_f1": round(dev_scores.macro_f1, 4),
            "dev_low_confidence": sum(r.low_confidence for r in dev_results),
        },
    }
    nlp.meta.update(
        {
            "name": "intent",
            "version": "2.0.0",
            "description": "triage intent classifier (cancel, duplicate, address_fix, refund, other)",
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    if Path(lemmas_dir).resolve() != (out_dir / LEMMAS_DIR).resolve():
        (out_dir / LEMMAS_DIR).mkdir(exist_ok=True)
        for table in sorted(Path(lemmas_dir).glob("*.json")):
            (out_dir / LEMMAS_DIR / table.name).write_bytes(table.read_bytes())
    (out_dir / THRESHOLDS_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {
        "out_dir": str(out_dir),
        "epochs": n_epochs,
        "thresholds": thresholds.to_dict(),
        "cv_f1": cv_f1,
        "dev_macro_f1": round(dev_scores.macro_f1, 4),
        "train_rows": len(train_rows),
        "dev_rows": len(dev_rows),
        "correction_rows": len(corrections),
    }
