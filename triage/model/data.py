"""The hand-written training mail (models/data/mail/*.jsonl) and its deterministic train/dev/test split.

A row's split is fixed by a hash of its `id` (80/10/10): adding or editing other rows never moves it,
and no random state is involved, so every run and every machine sees the same split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from triage.errors import ModelError
from triage.model.evaluate import LabeledRow
from triage.store import Correction

# The hand-written mail is training data, not something the package ships: `train` and `eval` read it from
# the repository checkout they run in (or from --data), and say so when it is not there.
MAIL_DIR = Path("models") / "data" / "mail"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class MailRow:
    """One labelled mail as written (quotes and signature included), with the evidence clause per label."""

    id: str
    lang: str
    subject: str
    body: str
    labels: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)

    def labeled(self) -> LabeledRow:
        return LabeledRow(self.subject, self.body, self.labels, self.lang)


def split_of(row_id: str) -> str:
    """train (80 %), dev (10 %) or test (10 %), from the first bytes of sha256(id): stable for ever."""
    bucket = int.from_bytes(hashlib.sha256(row_id.encode("utf-8")).digest()[:4], "big") % 10
    return "test" if bucket == 9 else "dev" if bucket == 8 else "train"


def load_mail(directory: Path = MAIL_DIR) -> list[MailRow]:
    """Every row of every *.jsonl file in `directory`, in file then line order."""
    rows: list[MailRow] = []
    files = sorted(Path(directory).glob("*.jsonl"))
    if not files:
        raise ModelError(
            f"no training mail in {directory} (expected *.jsonl files): run from the repository's root, "
            "where models/data/mail holds it, or pass --data DIR"
        )
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                rows.append(
                    MailRow(
                        str(rec["id"]),
                        str(rec.get("lang") or "en"),
                        str(rec.get("subject") or ""),
                        str(rec["body"]),
                        tuple(rec["labels"]),
                        dict(rec.get("evidence") or {}),
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise ModelError(f"{path} line {n}: not a mail row ({exc})") from exc
    return rows


def split(rows: Iterable[MailRow]) -> dict[str, list[MailRow]]:
    """The rows of each split, in input order."""
    out: dict[str, list[MailRow]] = {s: [] for s in SPLITS}
    for row in rows:
        out[split_of(row.id)].append(row)
    return out


# -- the shop's own corrections (`triage relabel`, used by `train --with-corrections`) -------------------

CORRECTION_HELD_OUT = 3  # of 10 hash buckets: the corrections held out to measure "after" on unseen ones
CORRECTION_REPEAT = 8  # a trained correction counts this many times: a shop's few rows against 2,000 mails


def correction_split(row_id: str) -> str:
    """ "held_out" (about 30 %) or "train", from sha256 of the row id like `split_of`: a correction never
    moves between the two as others are added, so before/after is always measured on the same rows."""
    bucket = int.from_bytes(hashlib.sha256(row_id.encode("utf-8")).digest()[:4], "big") % 10
    return "held_out" if bucket < CORRECTION_HELD_OUT else "train"


def correction_rows(corrections: Iterable[Correction]) -> dict[str, list[MailRow]]:
    """The store's corrections as training mail (their redacted new text, never anything else), by split."""
    out: dict[str, list[MailRow]] = {"train": [], "held_out": []}
    for c in corrections:
        row = MailRow(f"correction:{c.message_key}", c.lang or "en", c.subject, c.text, tuple(c.labels))
        out[correction_split(row.id)].append(row)
    return out
