"""Order-number extraction measured on the Bitext sample's order_id spans: precision and recall, before and after.

    .venv/bin/python bench/measure_order_numbers.py [--pattern REGEX ...]

A measurement, not a benchmark and not a tuning loop: nothing here feeds back into the rules.
"Before" is what extraction found until bare numbers were read (numbers behind an order word or
"#", the unchanged `order_numbers`); "after" adds the bare candidates (`candidate_numbers`). With no
order book behind the sample, every candidate counts as predicted. Each row goes through redaction
first, as in the pipeline. Gold is `instruction[start_offset:end_offset]` (see the sample's
SOURCE.md), digits only; a predicted number in a row without an order_id is a false positive.

The default pattern is the Shopify shape (3-8 digits, no leading zero); the Bitext numbers are
8-15 digits with leading zeros, so the default finds none of them by design. `--pattern` sets the
shop's shape, e.g. `'#\\s?(\\d{8,15})(?!\\d)'` for a shop whose numbers look like Bitext's.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support import SHARED_EVAL  # noqa: E402
from triage.redact import redact  # noqa: E402
from triage.settings import DEFAULT_ORDER_PATTERNS  # noqa: E402
from triage.text import TextForms  # noqa: E402
from triage.understand.bare_numbers import find_bare_numbers  # noqa: E402
from triage.understand.extract import find_order_numbers  # noqa: E402

BITEXT = SHARED_EVAL / "bitext-customer-support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _scores(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {p:.3f} ({tp}/{tp + fp})  recall {r:.3f} ({tp}/{tp + fn})  fp {fp}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pattern", action="append", help="an order-number pattern (repeatable); default: Shopify")
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


if __name__ == "__main__":
    main()
