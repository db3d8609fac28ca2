"""Order matching: which order a message is about, or honestly "several" or "none".

A wrong guess is worse than a question, so every fallback is narrower than
the one before it and an ambiguous case names its candidates instead of
picking one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from rapidfuzz.distance import OSA

from triage.records import CLOSED_STAGES, OPEN_STAGES, Extraction, Order, OrderMatch


def index_orders(orders: Iterable[Order]) -> tuple[dict[str, Order], dict[str, list[Order]]]:
    """The two lookups `match_order` takes: by canonical number and by lower-cased email."""
    by_number: dict[str, Order] = {}
    by_email: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        by_number[order.number] = order
        if order.email:
            by_email[order.email.lower()].append(order)
    return by_number, dict(by_email)


def _customer_orders(emails: Iterable[str], orders_by_email: Mapping[str, Sequence[Order]]) -> list[Order]:
    seen: dict[str, Order] = {}
    for email in emails:
        for order in orders_by_email.get(email.lower(), ()):
            seen.setdefault(order.number, order)
    return list(seen.values())


def near_numbers(numbers: Sequence[str], candidates: Sequence[Order]) -> list[Order]:
    """The customer's orders one keystroke away from a number they wrote (10047 or 1074 for 1047).

    Optimal string alignment distance 1: one digit added, dropped, changed, or
    two neighbours swapped. Only the sender's own orders are candidates, so a
    typo cannot land on a stranger's order.
    """
    hits: dict[str, Order] = {}
    for number in numbers:
        for order in candidates:
            if order.number != number and OSA.distance(number, order.number, score_cutoff=1) <= 1:
                hits.setdefault(order.number, order)
    return list(hits.values())


def _newest_first(orders: Iterable[Order]) -> list[Order]:
    return sorted(
        orders, key=lambda o: (o.created_at.timestamp() if o.created_at else float("inf"), o.number), reverse=True
    )


def recent_open_orders(orders: Iterable[Order], now: datetime, recent_days: int) -> list[Order]:
    """Not closed and placed within `recent_days` (an order without a date counts as recent), newest first."""
    since = now - timedelta(days=recent_days)
    return _newest_first(
        o for o in orders if o.stage not in CLOSED_STAGES and (o.created_at is None or o.created_at >= since)
    )


def confirm_candidates(extraction: Extraction, sender: str, orders_by_number: Mapping[str, Order]) -> Extraction:
    """Bare candidates ("can u cancel 2291?") the order book holds for this customer become order numbers.

    A bare number is only as good as the book: one that is unknown, or belongs to someone else,
    stays a candidate and never names an order. The customer is the sender plus any address they
    gave in the message.
    """
    customer = {e.lower() for e in (sender, *extraction.emails) if e}
    confirmed = []
    for number in extraction.candidate_numbers:
        order = orders_by_number.get(number)
        if order is not None and order.email and order.email.lower() in customer:
            confirmed.append(number)
    if not confirmed:
        return extraction
    return replace(
        extraction,
        order_numbers=(*extraction.order_numbers, *(n for n in confirmed if n not in extraction.order_numbers)),
        candidate_numbers=tuple(n for n in extraction.candidate_numbers if n not in confirmed),
    )


def match_order(
    extraction: Extraction,
    sender: str,
    orders_by_number: Mapping[str, Order],
    orders_by_email: Mapping[str, Sequence[Order]],
    now: datetime,
    recent_days: int = 30,
) -> OrderMatch:
    """Match by number, then near-number within the customer's orders, then by email; never guess.

    =====================  ==================================================
    how                    when
    =====================  ==================================================
    number                 a mentioned number exists (`candidates`: all that do; of
                           several, the customer's own first, then the first
                           not yet shipped)
    near_number            one of the customer's orders is a typo away; also
                           when the exact number belongs to someone else and
                           the customer has such an order of their own
    email_inferred         no number given; the customer has one recent open order
    ambiguous              several near numbers, or several recent open orders
    none                   nothing fits; a number was given that is not theirs
                           (`candidates` then lists their recent open orders);
                           also when a bare candidate number is not confirmed,
                           since it may be an order the book does not hold
    =====================  ==================================================

    Bare candidate numbers count only once `confirm_candidates` finds them among the customer's
    orders; an unconfirmed one is never typo-matched and never lets the email guess an order.
    The customer is the sender plus any address they gave in the message.
    """
    extraction = confirm_candidates(extraction, sender, orders_by_number)
    numbers = extraction.order_numbers
    customer_emails = {e.lower() for e in (sender, *extraction.emails) if e}
    customer = _customer_orders([sender, *extraction.emails], orders_by_email)
    exact = [orders_by_number[n] for n in numbers if n in orders_by_number]
    if exact:
        # Of several, the customer's own first, and of those the first still in the shop's hands:
        # that is the one whose window can close.
        own = [o for o in exact if o.email and o.email.lower() in customer_emails]
        pool = own or exact
        first = next((o for o in pool if o.stage in OPEN_STAGES), pool[0])
        foreign = first.email is not None and first.email.lower() not in customer_emails
        own_near = near_numbers([first.number], customer) if foreign else []
        if len(own_near) == 1:
            return OrderMatch(own_near[0], "near_number", (own_near[0].number, first.number))
        return OrderMatch(first, "number", tuple(o.number for o in exact))
    recent = recent_open_orders(customer, now, recent_days)
    if numbers:
        near = near_numbers(numbers, customer)
        if len(near) == 1:
            return OrderMatch(near[0], "near_number", (near[0].number,))
        if near:
            return OrderMatch(None, "ambiguous", tuple(o.number for o in _newest_first(near)))
        return OrderMatch(None, "none", tuple(o.number for o in recent))
    if extraction.candidate_numbers:
        return OrderMatch(None, "none", tuple(o.number for o in recent))
    if len(recent) == 1:
        return OrderMatch(recent[0], "email_inferred", (recent[0].number,))
    if recent:
        return OrderMatch(None, "ambiguous", tuple(o.number for o in recent))
    return OrderMatch(None, "none")
