"""The managers' daily summary: the figures for one shop day, read from the store, each against the week before.

Read-only: nothing here writes to the store or the network. Days are calendar
days in the shop's time zone ([shop] timezone), so a message at 23:30 local
time belongs to that day even when it is already the next day in UTC. Open
items and the backlog are reconstructed "as of" the end of the day (or now, for
a day still in progress) from the audit events, so the report for a past day
reads the same whenever it is generated.

Only counts, ticket IDs, order numbers, stages and the ranker's own reasons ever
leave this module: never a subject, a sender or a line of message text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from triage.config import Config
from triage.orders.csv_import import find_duplicate_orders
from triage.records import CLOSED_STAGES, IN_HOUSE_STAGES, INTENT_LABELS, STAGES
from triage.store import ArrivedMessage, Store, TrackedItem

# Before a shipping label exists, a cancel or address fix is still done in-house; from the label on it is late.
LATE_STAGES = frozenset({"label_created", "shipped", "delivered", "returned"})
HEADLINE_INTENTS = ("cancel", "address_fix")
HISTORY_DAYS = 7
URGENT_LIMIT = 10
# A mailbox with no successful poll for this long is shown as stale.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Outcome:
    """Where cancel / address-fix requests found their order when they were triaged."""

    caught: int = 0  # pending_payment, unfulfilled, in_progress: still fixable in-house
    too_late: int = 0  # label_created onward: a return, refusal or carrier matter
    unmatched: int = 0  # no order matched, or the order was already canceled/refunded

    @property
    def total(self) -> int:
        return self.caught + self.too_late + self.unmatched


@dataclass(frozen=True)
class DayFigures:
    """Everything counted for one shop day; computed the same way for the day and each of the seven before."""

    day: date
    has_data: bool  # False for days before the store's first message (left out of averages)
    received: int = 0
    customer: int = 0  # messages that may get a reply (not automated, not unreadable)
    automated: int = 0  # auto-replies, bounces, lists, own mail: stored, never answered
    unreadable: int = 0  # status 'error': quarantined, shown in the queue
    by_intent: dict[str, int] = field(default_factory=dict)  # a message asking two things counts under both
    by_stage: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # per headline intent, and "all" (once per message)
    duplicates_stated: int = 0
    duplicates_detected: int = 0
    refunds: int = 0
    low_confidence: int = 0
    sensitive_messages: int = 0
    sensitive_by_kind: dict[str, int] = field(default_factory=dict)
    drafts: int = 0
    draft_median: float | None = None  # seconds from arrival to draft
    draft_p90: float | None = None
    backlog: int = 0  # open items at the end of the day


@dataclass(frozen=True)
class DuplicatePair:
    """Two orders that look like a double checkout (same customer, same items, minutes apart)."""

    first: str
    second: str
    created_at: datetime
    customer_wrote: bool  # a message mentions or matched either order
    both_open: bool  # neither is canceled/refunded yet: someone still has to act


@dataclass(frozen=True)
class MailboxHealth:
    mailbox: str  # the store key: imap://user@host:port/folder, or kind:path
    last_poll_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    stale: bool
    name: str | None = None  # the configured mailbox's name ([[mailbox]] name)

    @property
    def recovered(self) -> bool:
        """The last error came before the last successful poll."""
        return bool(self.last_error_at and self.last_poll_at and self.last_poll_at > self.last_error_at)


@dataclass(frozen=True)
class Figure:
    """One line of the key-figures table: the day's value against the mean of the seven days before."""

    key: str
    label: str
    value: float | None
    average: float | None
    better: Literal["up", "down", ""] = ""  # which direction is good news ("" = neither)
    kind: Literal["count", "duration"] = "count"

    @property
    def change(self) -> Literal["up", "down", "same", ""]:
        if self.value is None or self.average is None:
            return ""
        diff = self.value - self.average
        if abs(diff) < max(1.0 if self.kind == "count" else 60.0, 0.25 * abs(self.average)):
            return "same"  # within noise: a quarter of the average, and at least one item / one minute
        return "up" if diff > 0 else "down"

    @property
    def verdict(self) -> Literal["good", "bad", ""]:
        change = self.change
        if not self.better or change in ("", "same"):
            return ""
        return "good" if change == self.better else "bad"


@dataclass(frozen=True)
class Summary:
    shop: str
    timezone: str
    day: date
    start: datetime  # local midnight that opens the day
    end: datetime  # local midnight that closes it
    as_of: datetime  # open items and backlog: the end of the day, or now for a day in progress
    generated_at: datetime
    today: DayFigures
    history: tuple[DayFigures, ...]  # the seven days before, oldest first
    urgent: tuple[TrackedItem, ...]  # the most urgent open items, as of the end of the day
    oldest_open: TrackedItem | None
    duplicate_pairs: tuple[DuplicatePair, ...]
    health: tuple[MailboxHealth, ...]
    quarantined_open: int

    def average(self, value: Callable[[DayFigures], float | None]) -> float | None:
        """Mean over the previous days that have data (and, for durations, a value)."""
        values = [v for d in self.history if d.has_data and (v := value(d)) is not None]
        return sum(values) / len(values) if values else None

    def figure(
        self,
        key: str,
        label: str,
        value: Callable[[DayFigures], float | None],
        better: Literal["up", "down", ""] = "",
        kind: Literal["count", "duration"] = "count",
    ) -> Figure:
        return Figure(key, label, value(self.today), self.average(value), better, kind)

    @property
    def figures(self) -> list[Figure]:
        f = self.figure
        return [
            f("received", "Messages received", lambda d: d.received),
            f("customer", "Customer requests", lambda d: d.customer),
            f("caught", "Cancel/address fix caught before fulfillment", lambda d: _all(d).caught, "up"),
            f("too_late", "Cancel/address fix too late (label or later)", lambda d: _all(d).too_late, "down"),
            f("duplicates_stated", "Duplicate orders reported by customers", lambda d: d.duplicates_stated),
            f("duplicates_detected", "Duplicate orders detected in the orders", lambda d: d.duplicates_detected),
            f("refunds", "Refunds requested", lambda d: d.refunds),
            f("backlog", "Open items at end of day", lambda d: d.backlog, "down"),
            f("draft_median", "Arrival to draft, median", lambda d: d.draft_median, "down", "duration"),
            f("draft_p90", "Arrival to draft, 90th percentile", lambda d: d.draft_p90, "down", "duration"),
            f("low_confidence", "Flagged for low confidence", lambda d: d.low_confidence, "down"),
            f("sensitive", "Messages with sensitive data removed", lambda d: d.sensitive_messages, "down"),
            f("unreadable", "Unreadable messages (quarantined)", lambda d: d.unreadable, "down"),
            f("automated", "Automated mail (never answered)", lambda d: d.automated),
        ]

    @property
    def days(self) -> tuple[DayFigures, ...]:
        """The trend: the seven days before, then the day itself."""
        return (*self.history, self.today)


def _all(d: DayFigures) -> Outcome:
    return d.outcomes.get("all", Outcome())


# ---------------------------------------------------------------- collecting


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight to local midnight (23 or 25 hours long on DST changes)."""
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


def yesterday(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date() - timedelta(days=1)


def collect(store: Store, cfg: Config, day: date, now: datetime) -> Summary:
    """All the figures for `day` (a date in the shop's time zone) and the seven days before it."""
    tz = ZoneInfo(cfg.shop.timezone)
    days = [day - timedelta(days=n) for n in range(HISTORY_DAYS, -1, -1)]
    start, end = day_bounds(day, tz)
    window_start, _ = day_bounds(days[0], tz)
    as_of = min(end, now).astimezone(tz)
    first_arrival = store.first_arrival()
    first = first_arrival.astimezone(tz).date() if first_arrival else None

    per_day: dict[date, list[ArrivedMessage]] = {d: [] for d in days}
    for m in store.arrived_between(window_start, as_of):
        local_day = m.arrived_at.astimezone(tz).date()
        if local_day in per_day:
            per_day[local_day].append(m)

    pairs = _duplicate_pairs(store, cfg)
    detected = Counter(p.created_at.astimezone(tz).date() for p in pairs)
    tracked = store.tracked_items()

    figures = []
    for d in days:
        _, d_end = day_bounds(d, tz)
        cutoff = min(d_end, now)
        backlog = sum(1 for item in tracked if open_at(item, cutoff))
        has_data = first is not None and d >= first
        figures.append(_day_figures(d, has_data, per_day[d], detected[d], backlog))

    open_now = [item for item in tracked if open_at(item, as_of)]
    ok_items = sorted((i for i in open_now if i.status == "ok"), key=lambda i: (-i.urgency, i.received_at, i.id))
    oldest = min(open_now, key=lambda i: (i.received_at, i.id), default=None)
    return Summary(
        shop=cfg.shop.name,
        timezone=cfg.shop.timezone,
        day=day,
        start=start,
        end=end,
        as_of=as_of,
        generated_at=now.astimezone(tz),
        today=figures[-1],
        history=tuple(figures[:-1]),
        urgent=tuple(ok_items[:URGENT_LIMIT]),
        oldest_open=oldest,
        duplicate_pairs=tuple(p for p in pairs if p.created_at.astimezone(tz).date() == day),
        health=tuple(_health(store, now)),
        quarantined_open=sum(1 for i in open_now if i.status == "error"),
    )


def _day_figures(day: date, has_data: bool, rows: Sequence[ArrivedMessage], detected: int, backlog: int) -> DayFigures:
    by_intent: Counter[str] = Counter({label: 0 for label in INTENT_LABELS})
    by_stage: Counter[str] = Counter()
    outcomes = {name: [0, 0, 0] for name in (*HEADLINE_INTENTS, "all")}
    sensitive: Counter[str] = Counter()
    automated = unreadable = stated = refunds = low = sensitive_messages = 0
    waits: list[float] = []
    for r in rows:
        if r.status == "error":
            unreadable += 1
            continue
        if r.no_reply:
            automated += 1
            continue
        low += r.low_confidence
        if r.opens_conversation:  # requests count once per conversation, with what it asks for now
            intents = r.conversation_intents or r.intents
            stage = r.conversation_stage or r.stage or "unknown"
            by_intent.update(intents)
            by_stage[stage] += 1
            slot = 0 if stage in IN_HOUSE_STAGES else 1 if stage in LATE_STAGES else 2
            for name in HEADLINE_INTENTS:
                if name in intents:
                    outcomes[name][slot] += 1
            if set(HEADLINE_INTENTS) & set(intents):
                outcomes["all"][slot] += 1
            stated += "duplicate" in intents
            refunds += "refund" in intents
        counts = {k: int(v) for k, v in r.redactions.items() if int(v) > 0}
        if counts:
            sensitive_messages += 1
            sensitive.update(counts)
        wait = _arrival_to_draft(r)
        if wait is not None:
            waits.append(wait)
    return DayFigures(
        day=day,
        has_data=has_data,
        received=len(rows),
        customer=len(rows) - automated - unreadable,
        automated=automated,
        unreadable=unreadable,
        by_intent=dict(by_intent),
        by_stage={s: by_stage[s] for s in STAGES if by_stage[s]},
        outcomes={name: Outcome(*v) for name, v in outcomes.items()},
        duplicates_stated=stated,
        duplicates_detected=detected,
        refunds=refunds,
        low_confidence=low,
        sensitive_messages=sensitive_messages,
        sensitive_by_kind=dict(sorted(sensitive.items())),
        drafts=len(waits),
        draft_median=percentile(waits, 0.5),
        draft_p90=percentile(waits, 0.9),
        backlog=backlog,
    )


def _arrival_to_draft(m: ArrivedMessage) -> float | None:
    """Seconds from arrival to the message's draft.

    A thread has one draft row, created for its first message and rewritten for
    each later one; for a later message the draft is as old as its rewrite.
    """
    if m.draft_created is None:
        return None
    drafted = m.draft_created
    if drafted < m.arrived_at and m.draft_updated:
        drafted = m.draft_updated
    return max(0.0, (drafted - m.arrived_at).total_seconds())


def percentile(values: Iterable[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * q
    lo = math.floor(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# ---------------------------------------------------------------- replaying and pairing


def open_at(item: TrackedItem, t: datetime) -> bool:
    """Whether the item was open at `t`: its first state, then every close and reopen before `t`."""
    if item.received_at >= t:
        return False
    state = item.initial_state
    for change in item.changes:
        if change.at >= t:
            break
        state = change.state
    return state == "open"


def _duplicate_pairs(store: Store, cfg: Config) -> list[DuplicatePair]:
    """Every likely double checkout, closed ones included: a pair already canceled was still found."""
    orders = {o.number: o for o in store.orders()}
    # find_duplicate_orders skips closed orders (nothing left to undo); here we count what was found.
    candidates = [replace(o, stage="unknown") for o in orders.values()]
    found = find_duplicate_orders(candidates, cfg.orders.duplicate_window_minutes)
    mentioned = store.mentioned_orders(number for pair in found for number in pair)
    pairs = []
    for first, second in found:
        created = orders[second].created_at
        assert created is not None  # find_duplicate_orders only pairs orders with a creation time
        pairs.append(
            DuplicatePair(
                first=first,
                second=second,
                created_at=created,
                customer_wrote=first in mentioned or second in mentioned,
                both_open=not ({orders[first].stage, orders[second].stage} & CLOSED_STAGES),
            )
        )
    return pairs


def _health(store: Store, now: datetime) -> list[MailboxHealth]:
    return [
        MailboxHealth(
            mailbox=h.mailbox,
            last_poll_at=h.last_poll_at,
            last_error=h.last_error,
            last_error_at=h.last_error_at,
            stale=h.last_poll_at is None or now - h.last_poll_at > STALE_AFTER,
            name=h.name,
        )
        for h in store.health()
    ]
