"""Order matching: exact, near-number typo within the customer's orders, email-inferred, ambiguous, none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from triage.orders.match import index_orders, match_order, near_numbers
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
