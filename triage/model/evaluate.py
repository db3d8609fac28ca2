"""Scores the intent model against labelled messages, with the keyword baseline side by side.

Reads our JSONL splits or any labelled JSONL/CSV (the public sets in ../shared/eval, through a
label map). Multi-label scoring: per label TP/FP/FN, precision, recall, F1; macro-F1 over the labels
that have gold rows (a label absent from the data has no defined F1; its false positives still show
in its FP column and as lost recall of the true label); and a gold-vs-predicted table of primary
labels (the first gold label, the model's most confident label).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from triage.errors import UsageError
from triage.model.keywords import classify_keywords
from triage.records import INTENT_LABELS, IntentResult
from triage.understand.classify import mail_parts

MAIL_TEST = "mail test split"  # the default data: the test split of models/data/mail
TEXT_COLUMNS = ("body", "text", "instruction", "utterance", "message")
LABEL_COLUMNS = ("labels", "label", "intent", "category")


class Classifier(Protocol):
    def classify(self, mails: Sequence[tuple[str, str]], batch_size: int = 256) -> list[IntentResult]: ...


@dataclass(frozen=True)
class LabeledRow:
    subject: str
    body: str
    labels: tuple[str, ...]
    lang: str = ""


@dataclass(frozen=True)
class LabelScore:
    label: str
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class SystemScores:
    """One system's scores on one data set."""

    name: str
    per_label: tuple[LabelScore, ...]
    confusion: dict[str, dict[str, int]]  # gold primary -> predicted primary -> count
    exact_match: float

    @property
    def macro_labels(self) -> tuple[str, ...]:
        """The labels macro-F1 averages: those with gold rows."""
        return tuple(s.label for s in self.per_label if s.support)

    @property
    def macro_f1(self) -> float:
        used = [s.f1 for s in self.per_label if s.support]
        return sum(used) / len(used) if used else 0.0

    def label(self, name: str) -> LabelScore:
        return next(s for s in self.per_label if s.label == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": round(self.macro_f1, 4),
            "macro_labels": list(self.macro_labels),
            "exact_match": round(self.exact_match, 4),
            "per_label": {s.label: s.to_dict() for s in self.per_label},
            "confusion": self.confusion,
        }


def score_predictions(name: str, gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> SystemScores:
    """Per-label counts, exact-match rate and primary-label confusion of predictions against gold."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold rows but {len(pred)} predictions")
    counts = {label: [0, 0, 0] for label in INTENT_LABELS}
    confusion = {g: dict.fromkeys(INTENT_LABELS, 0) for g in INTENT_LABELS}
    exact = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        exact += gs == ps
        for label in INTENT_LABELS:
            counts[label][0] += label in gs and label in ps
            counts[label][1] += label not in gs and label in ps
            counts[label][2] += label in gs and label not in ps
        confusion[g[0]][p[0]] += 1
    per_label = tuple(LabelScore(label, *counts[label]) for label in INTENT_LABELS)
    return SystemScores(name, per_label, confusion, exact / len(gold) if gold else 0.0)


@dataclass(frozen=True)
class EvalReport:
    source: str
    n: int
    gold_counts: dict[str, int]
    model: SystemScores
    baseline: SystemScores
    low_confidence: int
    left_out: int = 0  # rows whose label the label map maps to null
    # language -> (rows, model macro-F1, keyword macro-F1), for data that names each row's language
    per_language: dict[str, tuple[int, float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "n": self.n,
            "left_out": self.left_out,
            "gold_counts": self.gold_counts,
            "model": self.model.to_dict(),
            "keyword_baseline": self.baseline.to_dict(),
            "low_confidence": self.low_confidence,
            "per_language": {
                lang: {"n": n, "model_macro_f1": round(m, 4), "keyword_macro_f1": round(k, 4)}
                for lang, (n, m, k) in self.per_language.items()
            },
        }

    def render(self) -> str:
        """A plain-text report for people: both systems per label, macro-F1, then both confusion tables."""
        m, b = self.model, self.baseline
        lines = [
            f"Intent evaluation: {self.source} ({self.n} messages; gold "
            + ", ".join(f"{k} {v}" for k, v in self.gold_counts.items())
            + (f"; {self.left_out} rows left out by the label map" if self.left_out else "")
            + ")",
            "",
        ]
        head = f"{'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"
        lines.append(f"{'':12} {'model':^36} | {'keyword rules':^36}")
        lines.append(f"{'label':12} {head} | {head}")
        for label in INTENT_LABELS:
            cells = []
            for s in (m.label(label), b.label(label)):
                cells.append(f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
            lines.append(f"{label:12} {cells[0]} | {cells[1]}")
        lines.append(f"{'macro-F1':12} {m.macro_f1:20.3f}{'':16} | {b.macro_f1:20.3f}")
        lines.append(f"{'exact match':12} {m.exact_match:20.3f}{'':16} | {b.exact_match:20.3f}")
        absent = [label for label in INTENT_LABELS if label not in m.macro_labels]
        if absent:
            lines.append(
                f"(macro-F1 over {', '.join(m.macro_labels)}; no gold rows for {', '.join(absent)}, "
                "so only its FP column counts)"
            )
        lines.append(f"flagged low-confidence by the model: {self.low_confidence} of {self.n}")
        for lang, (n, mf, kf) in self.per_language.items():
            lines.append(f"{'macro-F1 ' + lang:12} {mf:20.3f}{'':16} | {kf:20.3f}   ({n} messages)")
        for system in (m, b):
            lines += ["", f"Primary label, gold (rows) vs predicted (columns): {system.name}", _table(system.confusion)]
        return "\n".join(lines)


def _table(confusion: Mapping[str, Mapping[str, int]]) -> str:
    short = {"address_fix": "address", "duplicate": "dupl."}
    cols = [short.get(c, c) for c in INTENT_LABELS]
    out = [f"{'':12}" + "".join(f"{c:>9}" for c in cols)]
    for g in INTENT_LABELS:
        out.append(f"{g:12}" + "".join(f"{confusion[g][p]:9d}" for p in INTENT_LABELS))
    return "\n".join(out)


def read_label_map(path: Path) -> dict[str, tuple[str, ...]]:
    """A label map: {"map": {source: target}} as in ../shared/eval/*/label_map.json, or a flat dict.

    A target of null leaves that source label's rows out of the evaluation, so a set can be scored without
    the classes whose mapping is a judgement call (the shared maps' notes call some "borderline")."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"label map {path} cannot be read: {exc}") from exc
    mapping = raw.get("map", raw) if isinstance(raw, dict) else None
    if not isinstance(mapping, dict):
        raise UsageError(f"label map {path}: expected a JSON object with a 'map' object")
    out = {}
    for src, dst in mapping.items():
        targets = () if dst is None else (dst,) if isinstance(dst, str) else tuple(dst)
        bad = [t for t in targets if t not in INTENT_LABELS]
        if bad:
            raise UsageError(f"label map {path}: {src!r} maps to unknown label(s) {bad}; use {list(INTENT_LABELS)}")
        out[str(src)] = targets
    return out


def _labels(raw: object, mapping: Mapping[str, tuple[str, ...]] | None, where: str) -> tuple[str, ...] | None:
    """The row's labels, or None when the label map leaves its label out (mapped to null)."""
    if isinstance(raw, str):
        items = [x.strip() for x in raw.replace("|", ",").replace(";", ",").split(",") if x.strip()]
    elif isinstance(raw, list):
        items = [str(x) for x in raw]
    else:
        raise UsageError(f"{where}: labels must be a string or a list, got {raw!r}")
    out: list[str] = []
    for item in items:
        if mapping is not None:
            if item not in mapping:
                raise UsageError(f"{where}: label {item!r} is not in the label map")
            if not mapping[item]:
                return None
            targets: Iterable[str] = mapping[item]
        elif item in INTENT_LABELS:
            targets = (item,)
        else:
            raise UsageError(f"{where}: unknown label {item!r}; pass --label-map to map it to {list(INTENT_LABELS)}")
        out += [t for t in targets if t not in out]
    if not out:
        raise UsageError(f"{where}: no labels")
    intents = tuple(x for x in out if x != "other")
    return intents or ("other",)


def load_labeled(path: Path, label_map: Path | None = None) -> list[LabeledRow]:
    """Labelled messages from JSONL (subject/body or text, labels) or CSV (text column + label column)."""
    return _load_labeled(path, label_map)[0]


def _load_labeled(path: Path, label_map: Path | None) -> tuple[list[LabeledRow], int]:
    """The rows to score and how many the label map left out."""
    path = Path(path)
    mapping = read_label_map(label_map) if label_map is not None else None
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            if path.suffix.lower() == ".csv":
                records = list(csv.DictReader(fh))
            else:
                records = [json.loads(line) for line in fh if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise UsageError(f"cannot read labelled data {path}: {exc}") from exc
    rows = []
    left_out = 0
    for i, rec in enumerate(records, start=1):
        where = f"{path} row {i}"
        text_col = next((c for c in TEXT_COLUMNS if c in rec), None)
        label_col = next((c for c in LABEL_COLUMNS if c in rec), None)
        if text_col is None or label_col is None:
            raise UsageError(
                f"{where}: need a text column ({'/'.join(TEXT_COLUMNS)}) and a label column ({'/'.join(LABEL_COLUMNS)})"
            )
        labels = _labels(rec[label_col], mapping, where)
        if labels is None:
            left_out += 1
            continue
        rows.append(
            LabeledRow(str(rec.get("subject") or ""), str(rec[text_col] or ""), labels, str(rec.get("lang") or ""))
        )
    if not rows:
        raise UsageError(f"{path}: no labelled rows" + (f" ({left_out} left out by the label map)" if left_out else ""))
    return rows, left_out


def evaluate(model: Classifier, path: Path | None, label_map: Path | None = None) -> EvalReport:
    """Score the model and the keyword baseline on labelled data (our mail's test split by default),
    overall and per language when the rows name one."""
    if path is None:
        from triage.model.data import load_mail, split

        rows, left_out, source = [r.labeled() for r in split(load_mail())["test"]], 0, MAIL_TEST
    else:
        rows, left_out = _load_labeled(Path(path), label_map)
        source = str(path)
    return evaluate_rows(model, rows, source, left_out)


def evaluate_rows(model: Classifier, rows: Sequence[LabeledRow], source: str, left_out: int = 0) -> EvalReport:
    """Score the model and the keyword baseline on `rows`, overall and per language when the rows name one."""
    gold = [r.labels for r in rows]
    results = model.classify([mail_parts(r.subject, r.body) for r in rows])
    baseline = [classify_keywords(r.subject, r.body) for r in rows]
    counts = {label: sum(label in g for g in gold) for label in INTENT_LABELS}
    per_language = {}
    for lang in sorted({r.lang for r in rows if r.lang}):
        idx = [i for i, r in enumerate(rows) if r.lang == lang]
        g = [gold[i] for i in idx]
        per_language[lang] = (
            len(idx),
            score_predictions("model", g, [results[i].intents for i in idx]).macro_f1,
            score_predictions("keyword rules", g, [baseline[i] for i in idx]).macro_f1,
        )
    return EvalReport(
        source=source,
        n=len(rows),
        gold_counts=counts,
        model=score_predictions("model", gold, [r.intents for r in results]),
        baseline=score_predictions("keyword rules", gold, baseline),
        low_confidence=sum(r.low_confidence for r in results),
        left_out=left_out,
        per_language=per_language,
    )


CORRECTIONS_HELD_OUT = "held-out corrections"  # the store's corrections that training never sees


@dataclass(frozen=True)
class BeforeAfter:
    """Two models on the same data sets: the held-out corrections (is the shop's wording learnt?) and the
    mail test split (did it get worse elsewhere?). `before` is None when there was no earlier model."""

    sets: tuple[str, ...]
    before: tuple[EvalReport | None, ...] | None
    after: tuple[EvalReport | None, ...]

    def to_dict(self) -> dict[str, Any]:
        def fig(r: EvalReport | None) -> dict[str, Any] | None:
            if r is None:
                return None
            return {"n": r.n, "macro_f1": round(r.model.macro_f1, 4), "exact_match": round(r.model.exact_match, 4)}

        return {
            name: {
                "before": fig(self.before[i]) if self.before is not None else None,
                "after": fig(self.after[i]),
            }
            for i, name in enumerate(self.sets)
        }

    def render(self) -> str:
        """One line per data set: rows, then macro-F1 and exact match before and after."""
        lines = [f"{'':22} {'rows':>5} {'macro-F1 before':>16} {'after':>6} {'exact before':>13} {'after':>6}"]
        for i, name in enumerate(self.sets):
            a = self.after[i]
            b = self.before[i] if self.before is not None else None
            if a is None:
                lines.append(f"{name:22} {0:5d}   (no rows)")
                continue

            def cell(r: EvalReport | None, what: str, width: int) -> str:
                if r is None:
                    return f"{'-':>{width}}"
                v = r.model.macro_f1 if what == "f1" else r.model.exact_match
                return f"{v:{width}.3f}"

            lines.append(
                f"{name:22} {a.n:5d} {cell(b, 'f1', 16)} {cell(a, 'f1', 6)} {cell(b, 'em', 13)} {cell(a, 'em', 6)}"
            )
        return "\n".join(lines)


def before_after(
    after: Classifier, before: Classifier | None, held_out: Sequence[LabeledRow], mail_test: Sequence[LabeledRow]
) -> BeforeAfter:
    """Both models on the held-out corrections and the mail test split (the same rows for both)."""
    sets = ((CORRECTIONS_HELD_OUT, list(held_out)), (MAIL_TEST, list(mail_test)))

    def run(model: Classifier) -> tuple[EvalReport | None, ...]:
        return tuple(evaluate_rows(model, rows, name) if rows else None for name, rows in sets)

    return BeforeAfter(tuple(name for name, _ in sets), run(before) if before is not None else None, run(after))
