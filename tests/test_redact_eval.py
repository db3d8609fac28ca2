"""Redaction against the public evaluation data in ../shared/eval: recall on cards and IBANs, false positives.

The data is for measuring only; nothing in triage/redact/ is tuned to a row. The folder sits beside
the checkout (CI puts it there too), so a missing folder fails these tests instead of skipping them.
"""

from __future__ import annotations

import csv
import email
import email.policy
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stdnum import iban as stdnum_iban

from triage.redact import redact

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
PII = EVAL / "pii-card-iban-cases"
REPORT: list[str] = []

# The schemes issue 3 names, as IIN prefix ranges (first, last). Written out here rather than imported,
# so "known issuer" means what the issue says, not whatever the code under test believes.
KNOWN_ISSUER_PREFIXES = [
    ("4", "4"),  # Visa
    ("51", "55"),  # Mastercard
    ("2221", "2720"),
    ("34", "34"),  # Amex
    ("37", "37"),
    ("6011", "6011"),  # Discover
    ("644", "649"),
    ("65", "65"),
    ("300", "305"),  # Diners
    ("36", "36"),
    ("38", "39"),
    ("3528", "3589"),  # JCB
    ("62", "62"),  # UnionPay
    ("5018", "5018"),  # Maestro
    ("5020", "5020"),
    ("5038", "5038"),
    ("6304", "6304"),
    ("6759", "6763"),
]


def known_issuer(digits: str) -> bool:
    return any(lo <= digits[: len(lo)] <= hi for lo, hi in KNOWN_ISSUER_PREFIXES)


def only_digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def rows(name: str) -> list[dict[str, Any]]:
    path = PII / name
    assert path.is_file(), f"{path} is missing: the public eval data must sit at ../shared/eval"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.1f}%)" if total else "0/0"


@pytest.fixture(scope="module", autouse=True)
def print_report(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the measured rates once, after the module, in any pytest verbosity."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not REPORT:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_sep("-", "redaction on ../shared/eval")
        for line in REPORT:
            reporter.write_line(line)


def test_eval_data_is_present() -> None:
    assert EVAL.is_dir(), f"{EVAL} is missing: clone the shared eval data beside the checkout"
    for name in ("public_test_cards.jsonl", "presidio_recognizer_cases.jsonl", "stdnum_iban_cases.jsonl"):
        assert (PII / name).is_file(), name


def test_public_test_cards() -> None:
    valid = [r for r in rows("public_test_cards.jsonl") if r["luhn_valid"]]
    invalid = [r for r in rows("public_test_cards.jsonl") if not r["luhn_valid"]]
    assert valid and invalid

    missed = []
    for r in valid:
        out = redact(r["text"])
        if "card_number" not in out.counts() or r["digits"] in only_digits(out.text):
            missed.append((r["brand"], r["variant"], r["text"]))
    with_codes = [r for r in valid if r["variant"] == "dashes_with_expiry_cvv"]
    codes_missed = [r["text"] for r in with_codes if not {"card_expiry", "card_cvv"} <= set(redact(r["text"]).counts())]
    near_miss_cards = [r["text"] for r in invalid if "card_number" in redact(r["text"]).counts()]
    still_there = [r["text"] for r in invalid if r["digits"] not in only_digits(redact(r["text"]).text)]

    REPORT.append(f"public test cards, Luhn-valid: recall {rate(len(valid) - len(missed), len(valid))}")
    REPORT.append(f"public test cards, expiry+CVV rows: {rate(len(with_codes) - len(codes_missed), len(with_codes))}")
    REPORT.append(
        f"public test cards, Luhn-invalid near misses redacted as cards: {rate(len(near_miss_cards), len(invalid))}"
    )
    assert missed == []
    assert codes_missed == []
    assert near_miss_cards == []
    assert still_there == []  # the near-miss digits are left alone (its expiry/CVV may go, the number stays)


def test_presidio_credit_cards() -> None:
    cards = [r for r in rows("presidio_recognizer_cases.jsonl") if r["entity"] == "CREDIT_CARD"]
    positives = [r for r in cards if r["expected_count"] > 0]
    negatives = [r for r in cards if r["expected_count"] == 0]

    found = expected = 0
    known_missed = []
    for r in positives:
        got = redact(r["text"]).counts().get("card_number", 0)
        expected += r["expected_count"]
        found += min(got, r["expected_count"])
        spans = [only_digits(s["value"]) for s in r["expected_spans"]]
        if got < r["expected_count"] and all(known_issuer(d) for d in spans):
            known_missed.append(r["text"])
    false_pos = [r["text"] for r in negatives if redact(r["text"]).findings]

    REPORT.append(f"presidio cards: recall {rate(found, expected)} (misses allowed only without a known issuer)")
    REPORT.append(f"presidio card negatives redacted: {rate(len(false_pos), len(negatives))}")
    assert known_missed == []
    assert found >= expected - 1  # the bare UATP/AirPlus number: no issuer rule, no card word
    assert false_pos == []


def test_presidio_ibans() -> None:
    ibans = [r for r in rows("presidio_recognizer_cases.jsonl") if r["entity"] == "IBAN_CODE"]
    positives = [r for r in ibans if r["expected_count"] > 0]
    negatives = [r for r in ibans if r["expected_count"] == 0]

    found = expected = 0
    for r in positives:
        found += min(redact(r["text"]).counts().get("iban", 0), r["expected_count"])
        expected += r["expected_count"]

    false_pos, case_only = [], []
    for r in negatives:
        out = redact(r["text"])
        for f in out.findings:
            span = r["text"][f.start : f.end]
            # We read IBANs case-insensitively (customers type "de89 …"); Presidio does not.
            if f.kind == "iban" and stdnum_iban.is_valid(span.upper(), check_country=False):
                case_only.append(span)
            else:
                false_pos.append((f.kind, r["text"]))

    REPORT.append(f"presidio IBANs: recall {rate(found, expected)}")
    REPORT.append(
        f"presidio IBAN negatives redacted: {rate(len(false_pos), len(negatives))}"
        f" (+{len(case_only)} valid once upper-cased)"
    )
    assert found == expected
    assert false_pos == []
    assert len(case_only) <= 0.02 * len(negatives)


def test_stdnum_ibans() -> None:
    data = rows("stdnum_iban_cases.jsonl")
    by_label: dict[str, list[dict[str, Any]]] = {}
    for r in data:
        by_label.setdefault(r["expected_label"], []).append(r)

    valid = by_label["valid_iban"]
    missed = [r["text"] for r in valid if redact(r["text"]).text != "[iban removed]"]
    invalid = by_label["invalid_iban"]
    false_pos = [r["text"] for r in invalid if redact(r["text"]).findings]
    # mod-97 and registry format hold, only a national check fails: still somebody's account number.
    national = by_label.get("iban_checksum_valid_but_country_format_invalid", [])
    national_kept = [r["text"] for r in national if "iban" in redact(r["text"]).counts()]

    REPORT.append(f"stdnum IBANs (real-life spacing): recall {rate(len(valid) - len(missed), len(valid))}")
    REPORT.append(f"stdnum invalid IBANs redacted: {rate(len(false_pos), len(invalid))}")
    REPORT.append(f"stdnum national-check failures redacted anyway: {rate(len(national_kept), len(national))}")
    assert missed == []
    assert false_pos == []
    assert len(national_kept) == len(national)


def test_presidio_bank_numbers_need_context() -> None:
    """Bare 9-12 digit numbers look like order ids, so they stay; behind a cue word they go."""
    bank = [
        r for r in rows("presidio_recognizer_cases.jsonl") if r["entity"] in ("ABA_ROUTING_NUMBER", "US_BANK_NUMBER")
    ]
    positives = [r for r in bank if r["expected_count"] > 0]
    bare_redacted = [r["text"] for r in bank if redact(r["text"]).findings]
    cue = {"ABA_ROUTING_NUMBER": "routing number: ", "US_BANK_NUMBER": "account number "}
    with_cue = [r for r in positives if redact(cue[r["entity"]] + r["text"]).counts() == {"bank_account": 1}]

    REPORT.append(f"presidio ABA/US bank, bare: redacted {rate(len(bare_redacted), len(bank))} (by design)")
    REPORT.append(f"presidio ABA/US bank, behind a cue word: recall {rate(len(with_cue), len(positives))}")
    assert bare_redacted == []
    assert len(with_cue) == len(positives)


def test_bitext_and_banking77_have_no_secrets() -> None:
    """Thousands of customer requests about passwords, PINs, cards and orders, none containing a secret."""
    csv.field_size_limit(1 << 24)
    texts: list[str] = []
    bitext = EVAL / "bitext-customer-support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
    with bitext.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            texts += [r["instruction"], r["response"]]
    for name in ("train.csv", "test.csv"):
        with (EVAL / "banking77" / name).open(encoding="utf-8", newline="") as fh:
            texts += [r["text"] for r in csv.DictReader(fh)]
    assert len(texts) > 20_000

    kinds = Counter(f.kind for t in texts for f in redact(t).findings)
    order_kept = all("113542617735902" in redact(t).text for t in texts if "113542617735902" in t)
    REPORT.append(f"bitext + banking77: {sum(kinds.values())} findings in {len(texts)} texts {dict(kinds)}")
    assert order_kept  # the Luhn-valid Bitext order number survives
    assert kinds["card_number"] == 0
    assert kinds["iban"] == 0
    assert sum(kinds.values()) <= len(texts) // 1000


def _mail_texts() -> Iterator[str]:
    for folder in sorted(EVAL.glob("emails-*")):
        for path in sorted(folder.rglob("*")):
            if (
                not path.is_file()
                or path.suffix in (".md", ".json", ".jsonl")
                or path.name.startswith(("LICENSE", "NOTICE"))
            ):
                continue
            try:
                msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                yield str(msg.get("subject", ""))
                for part in msg.walk():
                    if part.get_content_maintype() == "text":
                        yield part.get_content()
            except Exception:  # malformed mail is the parser's test, not this one
                continue


def test_mail_corpora_have_no_card_or_iban() -> None:
    """Real mail text parts (bounces, lists, spam) hold no Luhn-valid runs, per the data's SOURCE.md."""
    texts = [t for t in _mail_texts() if isinstance(t, str)]
    assert len(texts) > 200
    kinds = Counter(f.kind for t in texts for f in redact(t).findings)
    REPORT.append(f"mail corpora: {sum(kinds.values())} findings in {len(texts)} text parts {dict(kinds)}")
    assert kinds["card_number"] == 0
    assert kinds["iban"] == 0
