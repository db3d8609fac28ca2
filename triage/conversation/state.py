"""What a conversation asks for now: its messages folded oldest first into the requests still standing,
the ones withdrawn (with the message that withdrew them), the details known from any message, and from
those the conversation's order, missing details and urgency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from triage.orders.match import match_order
from triage.orders.rank import rank
from triage.records import Extraction, IntentResult, MessageFacts, Order, OrderMatch, Urgency, Withdrawal
from triage.settings import StageSettings
from triage.understand.extract import missing_details

DATE_OFF = timedelta(days=2)


@dataclass(frozen=True)
class ConversationState:
    """The fold of a conversation's customer messages."""

    intents: tuple[str, ...]  # standing requests, ("other",) when none
    withdrawn: tuple[Withdrawal, ...]
    details: Extraction  # a detail given in any message is known; a later value wins
    chasers: int
    follow_ups: int
    first_at: datetime
    last_at: datetime
    raised_at: datetime  # when the oldest standing request was raised (the first arrival when none stands)
    redactions: dict[str, int]
    low_confidence: bool
    date_off: bool


def merge_details(earlier: Extraction, later: Extraction) -> Extraction:
    """Details of two messages as one: lists united in order, a later single value over an earlier one."""
    values: dict[str, object] = {}
    for f in fields(Extraction):
        a, b = getattr(earlier, f.name), getattr(later, f.name)
        if isinstance(a, tuple):
            values[f.name] = tuple(dict.fromkeys((*a, *b)))
        else:
            values[f.name] = b if b not in (None, "") else a
    return Extraction(**values)  # type: ignore[arg-type]


def fold(facts: Sequence[MessageFacts]) -> ConversationState:
    """The conversation's state after all of `facts`, oldest first (at least one)."""
    standing: list[str] = []
    withdrawn: list[Withdrawal] = []
    details = Extraction()
    chasers = 0
    redactions: dict[str, int] = {}
    raised: dict[str, datetime] = {}  # each standing request's arrival: the SLA runs from there, not the thread
    for f in facts:
        own = [i for i in f.intents if i != "other"]
        details = merge_details(details, f.details)
        for kind, n in f.redactions.items():
            redactions[kind] = redactions.get(kind, 0) + n
        if f.follow_up == "retraction":
            named = "*" in f.withdraws
            targets = list(standing) if named else [i for i in standing if i in f.withdraws]
            new = [i for i in own if i not in targets and i not in f.withdraws]
            reason = "replaced" if new else "retracted"
            for t in targets:
                standing.remove(t)
                withdrawn.append(Withdrawal(t, f.message_key, f.message_id, reason))
            own = new
        elif f.follow_up == "chaser":
            chasers += 1
        for i in own:
            if i not in standing:
                standing.append(i)
                raised[i] = f.received_at
                withdrawn = [w for w in withdrawn if w.intent != i]  # asked for again: it stands again
    return ConversationState(
        intents=tuple(standing) or ("other",),
        withdrawn=tuple(withdrawn),
        details=details,
        chasers=chasers,
        follow_ups=max(0, len(facts) - 1),
        first_at=min(f.received_at for f in facts),
        last_at=max(f.received_at for f in facts),
        raised_at=min((raised[i] for i in standing), default=min(f.received_at for f in facts)),
        redactions=redactions,
        low_confidence=any(f.low_confidence for f in facts if [i for i in f.intents if i != "other"]),
        date_off=any(f.date_off for f in facts),
    )


def date_off(sent: datetime | None, arrived: datetime) -> bool:
    """True when the sender's Date header is more than two days from the arrival time."""
    return sent is not None and sent.tzinfo is not None and abs(sent - arrived) > DATE_OFF


@dataclass(frozen=True)
class Settled:
    """A conversation's order, missing details and urgency, computed from all its messages."""

    state: ConversationState
    intent: IntentResult
    match: OrderMatch
    urgency: Urgency
    missing: tuple[str, ...]


def settle(
    state: ConversationState,
    scores: Mapping[str, float],
    customer: str,
    orders_by_number: Mapping[str, Order],
    orders_by_email: Mapping[str, Sequence[Order]],
    now: datetime,
    settings: StageSettings,
) -> Settled:
    """Rank the conversation: its standing requests on its order, its age from the arrival of the message that
    raised the oldest standing request (a reply weeks later with a new request is not weeks over SLA), chasers."""
    intent = IntentResult(state.intents, dict(scores), state.low_confidence)
    match = match_order(state.details, customer, orders_by_number, orders_by_email, now)
    urgency = rank(intent, match, state.raised_at, now, state.redactions, state.chasers, settings.orders, settings.rank)
    if state.withdrawn:
        gone = ", ".join(sorted({w.intent for w in state.withdrawn}))
        urgency = replace(urgency, reasons=(*urgency.reasons, f"withdrawn by the customer: {gone}"))
    missing = missing_details(state.intents, state.details, match, settings.required)
    return Settled(state, intent, match, urgency, missing)
