"""Order-number extraction measured on the Bitext sample's order_id spans: precision and recall, before and after.

    .venv/bin/python bench/measure_order_numbers.py [--pattern REGEX ...] [--realistic]

A measurement, not a benchmark and not a tuning loop: nothing here feeds back into the rules.
"Before" is what extraction found until bare numbers were read (numbers behind an order word or
"#", the unchanged `order_numbers`); "after" adds the bare candidates (`candidate_numbers`). With no
order book behind the sample, every candidate counts as predicted. Each row goes through redaction
first, as in the pipeline. Gold is `instruction[start_offset:end_offset]` (see the sample's
SOURCE.md), digits only; a predicted number in a row without an order_id is a false positive.

The default pattern is the Shopify shape (3-8 digits, no leading zero); the Bitext numbers are
8-15 digits with leading zeros, so the default finds none of them by design. `--pattern` sets the
shop's shape, e.g. `'#\\s?(\\d{8,15})(?!\\d)'` for a shop whose numbers look like Bitext's.

`--realistic` also lists, for realistic150 (which has no order-number labels), each message where a
bare candidate is found, with the words around it, for a person to judge; it prints counts only.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support import SHARED_EVAL  # noqa: E402
from triage.mail.parse import parse_message  # noqa: E402
from triage.redact import redact, redact_message  # noqa: E402
from triage.settings import DEFAULT_ORDER_PATTERNS  # noqa: E402
from triage.text import TextForms  # noqa: E402
from triage.understand.bare_numbers import find_bare_numbers  # noqa: E402
from triage.understand.extract import find_order_numbers  # noqa: E402

REALISTIC = SHARED_EVAL / "realistic-support-mail" / "realistic150.jsonl"
BITEXT = SHARED_EVAL / "bitext-customer-support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"


def _scores(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {p:.3f} ({tp}/{tp + fp})  recall {r:.3f} ({tp}/{tp + fn})  fp {fp}"


def realistic(patterns: tuple[str, ...]) -> None:
    """Named numbers and bare candidates in realistic150's redacted subject and new text (no labels to score)."""
    rows = [json.loads(line) for line in REALISTIC.open(encoding="utf-8")]
    named_total = bare_total = 0
    for row in rows:
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = "customer@example.com", "support@shop.example", row["subject"]
        m.set_content(row["text"])
        parsed, _ = redact_message(parse_message(bytes(m)))
        named: list[str] = []
        bare: list[str] = []
        for part in (TextForms.of(parsed.subject), TextForms.of(parsed.new_text)):
            named += [n for n in find_order_numbers(part, patterns) if n not in named]
        for part in (TextForms.of(parsed.subject), TextForms.of(parsed.new_text)):
            bare += [n for n in find_bare_numbers(part, patterns, named) if n not in bare]
        named_total += len(named)
        bare_total += len(bare)
        for number in bare:
            at = parsed.new_text.find(number)
            around = parsed.new_text[max(0, at - 60) : at + 30] if at >= 0 else parsed.subject
            print(f"  {row['id']} ({row['lang']}) candidate {number}: {' '.join(around.split())!r}")
    print(f"realistic150: {len(rows)} messages, {named_total} named numbers, {bare_total} bare candidates")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pattern", action="append", help="an order-number pattern (repeatable); default: Shopify")
    ap.add_argument("--realistic", action="store_true", help="also list bare candidates in realistic150")
    args = ap.parse_args()
    patterns = tuple(args.pattern) if args.pattern else DEFAULT_ORDER_PATTERNS
    rows = list(csv.DictReader(BITEXT.open(encoding="utf-8")))
    counts = {"before": [0, 0, 0], "after": [0, 0, 0], "candidates only": [0, 0, 0]}
    examples: dict[str, list[str]] = {"fp": [], "fn": []}
    for row in rows:
        text = row["instruction"]
        gold: set[str] = set()
        if row["entity_type"] == "order_id":
            span = text[int(row["start_offset"]) : int(row["end_offset"])]
            gold = {re.sub(r"\D", "", span)}
        view = TextForms.of(redact(text).text)
        named = find_order_numbers(view, patterns)
        bare = find_bare_numbers(view, patterns, named)
        for name, found in (("before", set(named)), ("after", set(named) | set(bare)), ("candidates only", set(bare))):
            c = counts[name]
            c[0] += len(found & gold)
            c[1] += len(found - gold)
            c[2] += len(gold - found) if name != "candidates only" else 0
        if set(bare) - gold and len(examples["fp"]) < 8:
            examples["fp"].append(f"{sorted(set(bare) - gold)} in {text!r}")
        if gold - set(named) - set(bare) and len(examples["fn"]) < 5:
            examples["fn"].append(f"{sorted(gold)} in {text!r}")
    print(f"Bitext sample, {len(rows)} rows, {sum(r['entity_type'] == 'order_id' for r in rows)} with an order_id")
    print(f"patterns: {patterns}")
    for name, (tp, fp, fn) in counts.items():
        print(f"  {name:16} {_scores(tp, fp, fn) if name != 'candidates only' else f'true {tp}  false {fp}'}")
    for kind, lines in examples.items():
        for line in lines:
            print(f"  {kind}: {line}")
    if args.realistic:
        realistic(patterns)


if __name__ == "__main__":
    main()
