"""Urgency: a 0–100 score with the reasons behind it, so the queue shows first what is about to be too late.

Every term is a plain function of the inputs and none shrinks as `now`
advances, so an item can only climb the queue while it waits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from triage.records import CLOSED_STAGES, IntentResult, OrderMatch, Urgency
from triage.settings import OrdersSettings, RankSettings

TIME_CRITICAL = frozenset({"cancel", "address_fix", "duplicate"})
_DEADLINE_STAGES = frozenset({"unfulfilled", "in_progress", "label_created"})

# The design's table: how bad waiting is for each request on each stage.
_TIME_CRITICAL_LEVELS: dict[str, str] = {
    "pending_payment": "elevated",
    "unfulfilled": "high",
    "in_progress": "high",
    "label_created": "critical",
    "shipped": "normal",
    "delivered": "normal",
    "canceled": "low",
    "refunded": "low",
    "returned": "low",
    "unknown": "elevated",
}
LEVELS: dict[str, dict[str, str]] = {
    "cancel": _TIME_CRITICAL_LEVELS,
    "address_fix": _TIME_CRITICAL_LEVELS,
    "duplicate": _TIME_CRITICAL_LEVELS,
    "refund": {
        "pending_payment": "normal",
        "unfulfilled": "normal",
        "in_progress": "normal",
        "label_created": "normal",
        "shipped": "normal",
        "delivered": "normal",
        "canceled": "normal",  # canceled after payment: the money may still be owed
        "refunded": "low",
        "returned": "normal",
        "unknown": "normal",
    },
    "other": dict.fromkeys(_TIME_CRITICAL_LEVELS, "low"),
}

_LABELS = {"cancel": "cancel", "address_fix": "address fix", "duplicate": "duplicate order", "refund": "refund"}


def format_duration(td: timedelta) -> str:
    """ "1 h 40 m", "2 d 3 h", "20 m"; a negative span reads "overdue by 20 m". Whole minutes, rounded down."""
    seconds = td.total_seconds()
    if seconds < 0:
        return "overdue by " + format_duration(-td)
    days, rest = divmod(int(seconds // 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} m" if minutes else f"{hours} h"
    return f"{minutes} m"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def packing_deadline(created_at: datetime, orders: OrdersSettings) -> datetime:
    """The next daily cutoff at or after `created_at + fulfillment_hours`, in the shop's time zone.

    A naive `created_at` is read as shop time.
    """
    tz = _zone(orders.timezone)
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=tz)
    ready = (created_at + timedelta(hours=orders.fulfillment_hours)).astimezone(tz)
    hh, mm = (int(p) for p in orders.daily_cutoff.split(":", 1))
    cutoff = datetime.combine(ready.date(), time(hh, mm), tzinfo=tz)
    if cutoff < ready:
        cutoff = datetime.combine(ready.date() + timedelta(days=1), time(hh, mm), tzinfo=tz)
    return cutoff


def next_cutoff(after: datetime, orders: OrdersSettings) -> datetime:
    """The first daily packing cutoff strictly after `after`, in the shop's time zone."""
    tz = _zone(orders.timezone)
    local = after.astimezone(tz)
    hh, mm = (int(p) for p in orders.daily_cutoff.split(":", 1))
    cutoff = datetime.combine(local.date(), time(hh, mm), tzinfo=tz)
    return cutoff if cutoff > local else datetime.combine(local.date() + timedelta(days=1), time(hh, mm), tzinfo=tz)


def _level(intent: str, stage: str) -> str:
    return LEVELS.get(intent, LEVELS["other"]).get(stage, "low")


def _base_reason(intent: str, level: str, match: OrderMatch, stage: str) -> str:
    label = _LABELS.get(intent, "general question")
    order = match.order
    if order is None:
        if match.how == "ambiguous":
            return f"{label}: several possible orders ({', '.join('#' + c for c in match.candidates)}), none chosen"
        return f"{label}: no order matched"
    how = {"email_inferred": ", inferred from the sender", "near_number": ", number read as a typo"}.get(match.how, "")
    on = f"{label} on order #{order.number} ({stage}{how})"
    if stage in CLOSED_STAGES:
        return f"order #{order.number} is already {stage}" if intent in TIME_CRITICAL else on
    if intent in TIME_CRITICAL:
        if level == "critical":
            return f"{on}: stop the parcel before carrier pickup"
        if level == "high":
            return f"{on}: can still be done in-house"
        if stage in ("shipped", "delivered"):
            return f"{on}: return path"
    return on


def rank(
    intent: IntentResult,
    match: OrderMatch,
    received_at: datetime,
    now: datetime,
    redactions: Mapping[str, int],
    follow_ups: int,
    orders: OrdersSettings,
    settings: RankSettings,
) -> Urgency:
    """Score one message: intent × stage, then time to the packing cutoff, age against the SLA,
    follow-ups, sensitive data and classifier doubt. Deterministic for the same inputs."""
    weights = {
        "critical": settings.critical,
        "high": settings.high,
        "elevated": settings.elevated,
        "normal": settings.normal,
        "low": settings.low,
    }
    stage = match.order.stage if match.order else "unknown"
    intents = [i for i in intent.intents if i != "other"] or ["other"]
    driver = max(intents, key=lambda i: weights[_level(i, stage)])  # first of the best on ties
    level = _level(driver, stage)
    score = weights[level]
    reasons = [_base_reason(driver, level, match, stage)]

    deadline: datetime | None = None
    order = match.order
    if order and order.created_at and stage in _DEADLINE_STAGES and TIME_CRITICAL & set(intents):
        deadline = packing_deadline(order.created_at, orders)
        left = deadline - now
        hours_left = left.total_seconds() / 3600
        horizon = max(settings.deadline_horizon_hours, 1e-9)
        score += math.floor(settings.deadline_max * min(1.0, max(0.0, 1 - hours_left / horizon)))
        if left.total_seconds() >= 0:
            reasons.append(f"packing cutoff in {format_duration(left)}")
        else:
            # Still not packed after its target: it goes out with the next daily run, so that is the deadline
            # the agent has. The score keeps the full deadline bonus (urgency never falls as time passes).
            late = -left
            deadline = next_cutoff(now, orders)
            reasons.append(
                f"packing cutoff in {format_duration(deadline - now)} "
                f"(order is {format_duration(late)} past its packing target)"
            )

    age = max(now - received_at, timedelta(0))
    sla = timedelta(hours=settings.sla_hours)
    ratio = age / sla if sla > timedelta(0) else 1.0
    score += math.floor(settings.age_max * min(1.0, ratio))
    if age > sla:
        score += settings.over_sla
        reasons.append(f"over SLA by {format_duration(age - sla)} (SLA {format_duration(sla)})")
    elif age >= timedelta(hours=1):
        reasons.append(f"waiting {format_duration(age)} (SLA {format_duration(sla)})")

    if follow_ups > 0:
        score += min(settings.follow_up_max, settings.follow_up * follow_ups)
        # Chasers only ("did you get my email?"), not every later message: the queue's MSGS column counts those.
        times = "once" if follow_ups == 1 else f"{follow_ups} times"
        reasons.append(f"the customer chased {times} in this thread")

    sensitive = sorted(k for k, n in redactions.items() if n > 0)
    if sensitive:
        score += settings.sensitive
        kinds = ", ".join(f"{k} ×{redactions[k]}" if redactions[k] > 1 else k for k in sensitive)
        reasons.append(f"sensitive data received and removed: {kinds}")

    if intent.low_confidence:
        score += settings.low_confidence
        reasons.append("low classification confidence: check the intent")

    return Urgency(score=max(0, min(100, score)), reasons=tuple(reasons), deadline=deadline)
