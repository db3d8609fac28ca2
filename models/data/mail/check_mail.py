"""Checks a hand-written training-mail file: schema, labels, evidence spans, ids (run it after every edit)."""

from __future__ import annotations

import json
import sys
from collections import Counter

LABELS = {"cancel", "duplicate", "address_fix", "refund", "other"}
LANGS = {"en", "de", "es", "fr"}
TAGS = {
    "story",
    "two_requests",
    "policy_question",
    "negation",
    "retraction",
    "threat",
    "non_order_object",
    "misleading_subject",
    "quoted_history",
    "forward",
    "chaser",
    "own_order_question",
    "typos",
    "bilingual",
    "terse",
    "plain",
}
KEYS = ["id", "lang", "subject", "body", "labels", "evidence", "hard"]


def check(path: str) -> list[str]:
    problems: list[str] = []
    bodies: Counter[str] = Counter()
    prefix_numbers: list[int] = []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            problems.append(f"line {n}: empty line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON: {exc}")
            continue
        if list(row) != KEYS:
            problems.append(f"line {n}: keys must be {KEYS}, got {list(row)}")
            continue
        labels, evidence = row["labels"], row["evidence"]
        if not labels or set(labels) - LABELS or len(set(labels)) != len(labels):
            problems.append(f"line {n}: bad labels {labels}")
        if "other" in labels and len(labels) > 1:
            problems.append(f"line {n}: other must stand alone")
        if row["lang"] not in LANGS:
            problems.append(f"line {n}: bad lang {row['lang']}")
        if set(row["hard"]) - TAGS or not row["hard"]:
            problems.append(f"line {n}: bad hard tags {row['hard']}")
        want = set(labels) - {"other"}
        if set(evidence) != want:
            problems.append(f"line {n}: evidence keys {sorted(evidence)} must equal labels {sorted(want)}")
        for label, span in evidence.items():
            if not isinstance(span, str) or not span.strip() or span not in row["body"]:
                problems.append(f"line {n}: evidence for {label} is not an exact substring of body: {span!r}")
        bodies[row["body"].strip().lower()] += 1
        try:
            prefix_numbers.append(int(row["id"].rsplit("-", 1)[1]))
        except (ValueError, IndexError):
            problems.append(f"line {n}: bad id {row['id']}")
    if prefix_numbers != list(range(1, len(prefix_numbers) + 1)):
        problems.append("ids are not consecutive from 0001")
    for body, count in bodies.items():
        if count > 1:
            problems.append(f"duplicate body ({count}x): {body[:60]!r}")
    return problems


if __name__ == "__main__":
    found = check(sys.argv[1])
    with open(sys.argv[1], encoding="utf-8") as fh:
        count = sum(1 for _ in fh)
    print("\n".join(found) if found else f"ok: {count} e-mails")
    sys.exit(1 if found else 0)
