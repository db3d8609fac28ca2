"""Thread details measured on the repo's hand-written mail (models/data/mail/w*.jsonl): how many cancel mails
get a reason, how many address-fix mails a corrected address, which mails read as a closing thanks.

    .venv/bin/python bench/measure_thread_details.py [--code DIR] [--show]

A measurement, not a tuning loop: nothing here feeds back into the rules. `--code DIR` runs the same count
with another checkout's `triage` package (e.g. /work/main) in a subprocess, for a before/after in one run.
`--show` lists the closing mails and the addresses found, for a person to judge.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def count(show: bool) -> dict[str, int]:
    """Counts with the `triage` package first on sys.path."""
    from triage.understand.countries import find_address
    from triage.understand.extract import find_reason

    try:
        from triage.understand.closing import closes_thread
    except ImportError:  # a checkout from before closing thanks
        closes_thread = None

    out = {"cancel": 0, "reason": 0, "address_fix": 0, "address": 0, "closing": 0, "closing_request": 0}
    for path in sorted((ROOT / "models" / "data" / "mail").glob("w*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            body, labels = row.get("body") or "", row["labels"]
            if "cancel" in labels:
                out["cancel"] += 1
                out["reason"] += find_reason(body) is not None
            if "address_fix" in labels:
                out["address_fix"] += 1
                address = find_address(body)
                out["address"] += address is not None
                if show and address:
                    print(f"address {row['id']}: {address!r}")
            if closes_thread is not None and closes_thread(body):
                out["closing"] += 1
                out["closing_request"] += labels != ["other"]
                if show:
                    print(f"closing {row['id']} {labels}: {body[:100]!r}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="another checkout to count with, beside this one")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:  # the child of --code: its own package first
        print(json.dumps(count(False)))
        return
    rows = [("this checkout", count(args.show))]
    if args.code:
        # the other checkout's own interpreter when it has one (its editable install), else this one with
        # the checkout first on the path; the mail read is this checkout's either way
        python = args.code / ".venv" / "bin" / "python"
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
        done = subprocess.run(
            [str(python) if python.exists() else sys.executable, __file__, "--json"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=args.code,
        )
        rows.insert(0, (str(args.code), json.loads(done.stdout.strip().splitlines()[-1])))
    for name, c in rows:
        print(
            f"{name}: cancel mails with a reason {c['reason']}/{c['cancel']}, address-fix mails with an address"
            f" {c['address']}/{c['address_fix']}, closing thanks {c['closing']} (labelled with a request:"
            f" {c['closing_request']})"
        )


if __name__ == "__main__":
    main()
