"""Redaction benchmark: our throughput, recall and keep-list damage beside scrubadub's, on the same texts.

    .venv/bin/python bench/bench_redact.py [--quick]

scrubadub is installed only for this (the `bench` extra). It runs twice: its default Scrubber (what a
user gets from `scrubadub.clean`) and one reduced to its credit-card and credential detectors, the
fastest setup that still covers what we redact. The speed ratio is reported against both.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.redact_corpus import Mail, make_corpus  # noqa: E402
from triage.redact import redact  # noqa: E402

SEED = 20261103
SECRET_SHARE = 0.2  # share of mails that carry a card, IBAN or password (real inboxes: far fewer)
_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def _score(name: str, clean: Callable[[str], str], mails: list[Mail], repeats: int) -> dict[str, Any]:
    """Time `clean` over every mail (best of `repeats`), then score what it left behind."""
    texts = [m.text for m in mails]
    size = sum(len(t.encode("utf-8")) for t in texts)
    best = float("inf")
    outs: list[str] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        outs = [clean(t) for t in texts]
        best = min(best, time.perf_counter() - t0)

    cards = cards_gone = ibans = ibans_gone = pws = pws_gone = keep = keep_broken = 0
    clean_mails = clean_mails_touched = 0
    for mail, out in zip(mails, outs, strict=True):
        out_digits = _NON_DIGIT.sub("", out)
        out_alnum = _NON_ALNUM.sub("", out).upper()
        cards += len(mail.cards)
        cards_gone += sum(c not in out_digits for c in mail.cards)
        ibans += len(mail.ibans)
        ibans_gone += sum(i not in out_alnum for i in mail.ibans)
        pws += len(mail.passwords)
        pws_gone += sum(p not in out for p in mail.passwords)
        keep += len(mail.keep)
        keep_broken += sum(k not in out for k in mail.keep)
        if not (mail.cards or mail.ibans or mail.passwords):
            clean_mails += 1
            clean_mails_touched += out != mail.text
    return {
        "tool": name,
        "mails": len(mails),
        "mb": size / 1e6,
        "seconds": best,
        "mb_per_s": size / 1e6 / best,
        "mails_per_s": len(mails) / best,
        "card_recall": cards_gone / cards if cards else None,
        "iban_recall": ibans_gone / ibans if ibans else None,
        "password_recall": pws_gone / pws if pws else None,
        "keep_items": keep,
        "keep_destroyed": keep_broken,
        "secret_free_mails_changed": clean_mails_touched,
        "secret_free_mails": clean_mails,
    }


def _scrubadub_cleaners() -> tuple[list[tuple[str, Callable[[str], str]]], str | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import scrubadub  # type: ignore[import-not-found, import-untyped, unused-ignore]
            import scrubadub.detectors  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except Exception as exc:  # ImportError, or a broken optional dependency underneath it
        return (
            [],
            f"scrubadub could not be imported ({type(exc).__name__}: {exc}); install it with `pip install scrubadub`",
        )
    default = scrubadub.Scrubber()
    minimal = scrubadub.Scrubber(
        detector_list=[scrubadub.detectors.CreditCardDetector, scrubadub.detectors.CredentialDetector]
    )
    version = getattr(scrubadub, "__version__", "?")
    return [
        (f"scrubadub {version} (default Scrubber)", default.clean),
        (f"scrubadub {version} (card + credential only)", minimal.clean),
    ], None


def run(quick: bool) -> list[dict[str, Any]]:
    """Run the benchmark and return one row per tool; the first row is ours."""
    mails = make_corpus(400 if quick else 4000, seed=SEED, secret_share=SECRET_SHARE)
    rows = [_score("triage.redact", lambda t: redact(t).text, mails, repeats=3 if quick else 5)]
    cleaners, problem = _scrubadub_cleaners()
    if problem:
        rows[0]["note"] = problem
    for name, clean in cleaners:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for mail in mails[:100]:  # phonenumbers loads region tables lazily: warm up, untimed
                clean(mail.text)
            rows.append(_score(name, clean, mails, repeats=1 if quick else 2))
    ours = rows[0]["mb_per_s"]
    for row in rows:
        row["speed_ratio"] = ours / row["mb_per_s"]  # how many times faster we are than this tool
    return rows


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _ratio(row: dict[str, Any], i: int) -> str:
    return "—" if i == 0 else f"{row['speed_ratio']:.1f}×"


def to_markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| tool | MB/s | mails/s | card recall | IBAN recall | password recall | keep-list destroyed"
        " | secret-free mails changed | ours is N× faster |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['tool']} | {r['mb_per_s']:.2f} | {r['mails_per_s']:.0f} | {_pct(r['card_recall'])}"
        f" | {_pct(r['iban_recall'])} | {_pct(r['password_recall'])}"
        f" | {r['keep_destroyed']}/{r['keep_items']} | {r['secret_free_mails_changed']}/{r['secret_free_mails']}"
        f" | {_ratio(r, i)} |"
        for i, r in enumerate(rows)
    ]
    return head + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 mails instead of 4000, fewer repeats")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    first = rows[0]
    print(
        f"corpus: {first['mails']} mails, {first['mb']:.2f} MB, {first['mails'] - first['secret_free_mails']} with"
        f" secrets (seed {SEED}); Python {platform.python_version()} on {platform.machine()}"
    )
    if "note" in first:
        print(f"NOTE: {first['note']}; reporting triage.redact alone")
    print()
    print(to_markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
