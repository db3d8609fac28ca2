"""Order matching: exact, near-number typo, email-inferred, ambiguous, none; bare candidate numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support import MODEL, ROOT
from tests.support.cli import TriageCli
from triage.orders.match import confirm_candidates, index_orders, match_order, near_numbers
from triage.records import Extraction, Order

NOW = datetime(2024, 11, 6, 15, 0, tzinfo=UTC)


def _order(number, email, days_ago=1, stage="unfulfilled"):
    return Order(number=number, email=email, stage=stage, created_at=NOW - timedelta(days=days_ago))


ORDERS = [
    _order("1042", "jane@example.com", 2),
    _order("1047", "kim@example.com", 1),
    _order("1074", "someone@example.com", 1),
    _order("1050", "lee@example.com", 3),
    _order("1051", "lee@example.com", 1),
    _order("1060", "max@example.com", 1, stage="canceled"),
    _order("1061", "max@example.com", 90),
    _order("1062", "max@example.com", 2, stage="shipped"),
    _order("1070", "ned@example.com", 1),
    _order("1071", "ned@example.com", 1),
]
BY_NUMBER, BY_EMAIL = index_orders(ORDERS)


def run(numbers=(), sender="nobody@example.com", emails=()):
    extraction = Extraction(order_numbers=tuple(numbers), emails=tuple(emails))
    m = match_order(extraction, sender, BY_NUMBER, BY_EMAIL, NOW)
    return m.how, (m.order.number if m.order else None), m.candidates


@pytest.mark.parametrize(
    ("numbers", "sender", "emails", "expected"),
    [
        # exact number, whoever writes
        (["1042"], "jane@example.com", (), ("number", "1042", ("1042",))),
        (["1042"], "other@example.com", (), ("number", "1042", ("1042",))),
        (["9999", "1042"], "jane@example.com", (), ("number", "1042", ("1042",))),
        (["1050", "1051"], "lee@example.com", (), ("number", "1050", ("1050", "1051"))),
        # "#1062 arrived; about #1061": of several, the one not yet shipped is the match
        (["1062", "1061"], "max@example.com", (), ("number", "1061", ("1062", "1061"))),
        (["1060", "1062"], "max@example.com", (), ("number", "1060", ("1060", "1062"))),
        # the customer's own order before a stranger's open one
        (["1062", "1042"], "max@example.com", (), ("number", "1062", ("1062", "1042"))),
        # typo that exists nowhere: one extra digit, constrained to the sender's orders
        (["10047"], "kim@example.com", (), ("near_number", "1047", ("1047",))),
        (["1047"], "Kim@Example.com", (), ("number", "1047", ("1047",))),
        # swapped digits that hit a stranger's order: the sender's own order wins, both shown
        (["1074"], "kim@example.com", (), ("near_number", "1047", ("1047", "1074"))),
        # the same swap from someone without such an order stays exact
        (["1074"], "other@example.com", (), ("number", "1074", ("1074",))),
        # the checkout address given in the body counts as the customer's
        (["10047"], "kim.private@example.org", ("kim@example.com",), ("near_number", "1047", ("1047",))),
        # a typo from a stranger is never matched to someone else's order
        (["10047"], "other@example.com", (), ("none", None, ())),
        # a number close to two of the sender's orders: ask
        (["1072"], "ned@example.com", (), ("ambiguous", None, ("1071", "1070"))),
        # no number: one recent open order is inferred
        ([], "jane@example.com", (), ("email_inferred", "1042", ("1042",))),
        # closed and old orders do not count; shipped ones do (refunds, returns)
        ([], "max@example.com", (), ("email_inferred", "1062", ("1062",))),
        # several recent open orders: no guess, candidates newest first
        ([], "lee@example.com", (), ("ambiguous", None, ("1051", "1050"))),
        # nothing at all
        ([], "nobody@example.com", (), ("none", None, ())),
        # a number that is not theirs and not near: no guess, their open orders offered
        (["5555"], "lee@example.com", (), ("none", None, ("1051", "1050"))),
    ],
)
def test_match_order(numbers, sender, emails, expected):
    assert run(numbers, sender, emails) == expected


def test_recent_days_is_respected():
    extraction = Extraction()
    m = match_order(extraction, "jane@example.com", BY_NUMBER, BY_EMAIL, NOW, recent_days=1)
    assert m.how == "none"


@pytest.mark.parametrize(
    ("typed", "own", "expected"),
    [
        ("10047", "1047", True),  # digit added
        ("147", "1047", True),  # digit dropped
        ("1074", "1047", True),  # neighbours swapped
        ("1048", "1047", True),  # one digit wrong
        ("1740", "1047", False),
        ("2058", "1047", False),
    ],
)
def test_near_numbers(typed, own, expected):
    assert bool(near_numbers([typed], [_order(own, "x@example.com")])) is expected


def run_bare(candidates, sender, numbers=(), emails=()):
    extraction = Extraction(order_numbers=tuple(numbers), candidate_numbers=tuple(candidates), emails=tuple(emails))
    m = match_order(extraction, sender, BY_NUMBER, BY_EMAIL, NOW)
    return m.how, (m.order.number if m.order else None), m.candidates


@pytest.mark.parametrize(
    ("candidates", "sender", "numbers", "emails", "expected"),
    [
        # the book knows the bare number for this sender: it is their order
        (["1042"], "jane@example.com", (), (), ("number", "1042", ("1042",))),
        (["1050", "1051"], "lee@example.com", (), (), ("number", "1050", ("1050", "1051"))),
        # known for the checkout address the customer gave in the body
        (["1047"], "kim.private@example.org", (), ("kim@example.com",), ("number", "1047", ("1047",))),
        # of two bare numbers only the one the book holds for the sender counts
        (["5555", "1062"], "max@example.com", (), (), ("number", "1062", ("1062",))),
        # a closed or old order of theirs is still theirs
        (["1061"], "max@example.com", (), (), ("number", "1061", ("1061",))),
        # someone else's order: a bare number is not enough, and the email guess is not taken either
        (["1047"], "jane@example.com", (), (), ("none", None, ("1042",))),
        # unknown number: no typo match onto their order ("1043" is one key from 1042), no email guess
        (["1043"], "jane@example.com", (), (), ("none", None, ("1042",))),
        (["9999"], "lee@example.com", (), (), ("none", None, ("1051", "1050"))),
        (["9999"], "nobody@example.com", (), (), ("none", None, ())),
        # a named number keeps its meaning; an unconfirmed candidate beside it changes nothing
        (["9999"], "kim@example.com", ["10047"], (), ("near_number", "1047", ("1047",))),
        (["9999"], "other@example.com", ["1047"], (), ("number", "1047", ("1047",))),
        # a confirmed candidate joins the named numbers
        (["1051"], "lee@example.com", ["1050"], (), ("number", "1050", ("1050", "1051"))),
    ],
)
def test_match_prefers_confirmed_bare_numbers_and_never_guesses_from_candidates(
    candidates, sender, numbers, emails, expected
):
    assert run_bare(candidates, sender, numbers, emails) == expected


def test_confirm_candidates_moves_only_the_senders_known_numbers():
    extraction = Extraction(order_numbers=("1050",), candidate_numbers=("1051", "1047", "9999"))
    confirmed = confirm_candidates(extraction, "Lee@Example.com", BY_NUMBER)
    assert confirmed.order_numbers == ("1050", "1051")
    assert confirmed.candidate_numbers == ("1047", "9999")
    assert confirm_candidates(confirmed, "lee@example.com", BY_NUMBER) == confirmed
    untouched = Extraction(candidate_numbers=("1047",))
    assert confirm_candidates(untouched, "jane@example.com", BY_NUMBER) is untouched


# ---------------------------------------------------------------- through the whole pipeline


def _demo_style_orders(tmp: Path) -> Path:
    """The demo's Shopify export with Tom Brennan's order renumbered #2291 and a second open order #2292
    of his beside it, so his address alone cannot tell which order a message is about."""
    rows = (ROOT / "demo" / "orders.csv").read_text().splitlines()
    tom = [i for i, row in enumerate(rows) if row.startswith("#1071,")]
    assert len(tom) == 1
    rows[tom[0]] = rows[tom[0]].replace("#1071,", "#2291,", 1)
    second = rows[tom[0]].replace("#2291,", "#2292,", 1).replace("Duvet Cover", "Pillowcase Pair")
    path = tmp / "orders.csv"
    path.write_text("\n".join([*rows, second]) + "\n")
    return path


def _mail(tmp: Path, name: str, body: str, sender: str) -> Path:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "support@juniper-oak.example.com"
    m["Subject"] = "quick one"
    m["Message-ID"] = f"<{name}@example.net>"
    m["Date"] = "Sat, 21 Nov 2026 09:00:00 +0100"
    m.set_content(body)
    path = tmp / f"{name}.eml"
    path.write_bytes(bytes(m))
    return path


def test_bare_number_through_inspect_gets_the_right_order_and_stage(tmp_path: Path, triage_cli: TriageCli) -> None:
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        '[shop]\nsupport_address = "support@juniper-oak.example.com"\ntimezone = "Europe/Berlin"\n'
        'now = "2026-11-21T09:30:00+01:00"\n'
        f'[store]\npath = "{tmp_path / "t.db"}"\n[model]\npath = "{MODEL}"\n'
    )
    imported = triage_cli("--config", str(cfg), "import-orders", str(_demo_style_orders(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    tom = "Tom Brennan <tom.brennan@example.net>"
    files = [
        _mail(tmp_path, "bare", "can u cancel 2291?\nTom", tom),
        _mail(tmp_path, "stranger", "can u cancel 2291?\nSam", "Sam Doe <sam.doe@example.com>"),
        _mail(tmp_path, "unknown", "can u cancel 2299?\nTom", tom),
        _mail(tmp_path, "phone", "can u cancel my order? call me on +49 171 2291 000\nTom", tom),
        _mail(tmp_path, "twice", "I ordered it twice, 2291 and 2292. Please cancel 2292.\nTom", tom),
    ]
    result = triage_cli("--config", str(cfg), "inspect", *map(str, files), "--json")
    assert result.returncode == 0, result.stderr
    bare, stranger, unknown, phone, twice = (json.loads(line) for line in result.stdout.splitlines())

    assert bare["intents"][0] == "cancel"
    assert bare["order_numbers"] == ["2291"] and bare["order_number_candidates"] == []
    assert bare["order"]["number"] == "2291" and bare["order"]["stage"] == "unfulfilled"
    assert bare["order"]["match"] == "number"
    assert "order_number" not in bare["missing"]
    # Tom's order, written by someone else: stays a candidate, no order, the draft asks.
    assert stranger["order_numbers"] == [] and stranger["order_number_candidates"] == ["2291"]
    assert stranger["order"] is None and "order_number" in stranger["missing"]
    # A number the book does not hold: no order and no stage, not one of Tom's guessed.
    assert unknown["order_number_candidates"] == ["2299"]
    assert unknown["order"] is None and "order_number" in unknown["missing"]
    # Digits of a phone number are no candidate at all; two open orders leave it ambiguous.
    assert phone["order_numbers"] == [] and phone["order_number_candidates"] == []
    assert phone["order"] is None
    # Both of a list are his: both become order numbers, and the first still open is the match.
    assert twice["order_numbers"] == ["2291", "2292"] and twice["order_number_candidates"] == []
    assert twice["order"]["number"] == "2291" and twice["order"]["stage"] == "unfulfilled"
    assert "order_numbers" not in twice["missing"] and "order_number" not in twice["missing"]
