"""`inspect --json`: triage files without storing them, in the contract the design fixes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from triage.config import Config
from triage.records import RawMessage, Triaged
from triage.run.pipeline import Pipeline


def inspect_files(files: Sequence[Path], pipeline: Pipeline, cfg: Config) -> Iterator[dict[str, Any]]:
    """One contract object per file, in input order."""
    raws: list[RawMessage] = []
    for f in files:
        size = f.stat().st_size
        if size > cfg.limits.max_message_bytes:
            raws.append(
                RawMessage("inspect", 0, str(f), b"", None, size, "file is larger than [limits] max_message_bytes")
            )
        else:
            raws.append(RawMessage("inspect", 0, str(f), f.read_bytes(), None, size))
    for raw, result in zip(raws, pipeline.run(raws, threaded=False), strict=True):
        yield contract(raw, result)


def contract(raw: RawMessage, t: Triaged) -> dict[str, Any]:
    """The contract's keys, then the extras `queue --json` and `show --json` carry under the same names (stage,
    match_how, reasons, deadline, error, no_reply), so one record reads the same in all three."""
    order = t.match.order
    scores = {label: round(float(v), 4) for label, v in t.intent.scores.items()}
    out: dict[str, Any] = {
        "file": raw.uid,
        "intents": list(t.intent.intents),
        "scores": scores,
        "evidence": dict(t.intent.evidence),
        "order_numbers": list(t.extraction.order_numbers),
        "order_number_candidates": list(t.extraction.candidate_numbers),
        "emails": list(t.extraction.emails),
        "redactions": dict(t.redactions),
        "text": t.parsed.new_text,
        "order": None
        if order is None
        else {
            "number": order.number,
            "stage": order.stage,
            "email": order.email,
            "created_at": order.created_at.isoformat() if order.created_at else None,
            "match": t.match.how,
        },
        "urgency": {
            "score": t.urgency.score,
            "reasons": list(t.urgency.reasons),
            "deadline": t.urgency.deadline.isoformat() if t.urgency.deadline else None,
        },
        "missing": list(t.missing),
        "draft": None if t.draft is None else {"to": t.draft.to, "subject": t.draft.subject, "body": t.draft.body},
        "status": t.status,
        "subject": t.parsed.subject,
        "no_reply": t.parsed.no_reply,
        "low_confidence": t.intent.low_confidence,
        "flags": list(t.flags),
        "stage": order.stage if order is not None else "unknown",
        "match_how": t.match.how,
        "reasons": list(t.urgency.reasons),
        "deadline": t.urgency.deadline.isoformat() if t.urgency.deadline else None,
        "error": t.error or None,
    }
    return out
