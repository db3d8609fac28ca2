"""Urgency: the intent × stage table, the packing deadline, age, follow-ups, and that urgency never falls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.orders.rank import format_duration, packing_deadline, rank
from triage.records import INTENT_LABELS, STAGES, IntentResult, Order, OrderMatch
from triage.settings import OrdersSettings, RankSettings

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2024, 11, 6, 12, 20, tzinfo=BERLIN)
SHOP = OrdersSettings(timezone="Europe/Berlin", fulfillment_hours=24, daily_cutoff="14:00")
WEIGHTS = RankSettings()

# The design, restated: what each request on each stage is worth before any bonus.
_WINDOW = {
    "pending_payment": "elevated",  # nothing ships before payment
    "unfulfilled": "high",  # still cheap in-house
    "in_progress": "high",
    "label_created": "critical",  # the parcel leaves at the next pickup
    "shipped": "normal",  # return path
    "delivered": "normal",
    "canceled": "low",
    "refunded": "low",
    "returned": "low",
    "unknown": "elevated",  # no order matched: could still be in time
}
EXPECTED_LEVEL = {
    "cancel": _WINDOW,
    "address_fix": _WINDOW,
    "duplicate": _WINDOW,
    "refund": {stage: ("low" if stage == "refunded" else "normal") for stage in STAGES},
    "other": dict.fromkeys(STAGES, "low"),
}
LEVEL_SCORE = {
    "critical": WEIGHTS.critical,
    "high": WEIGHTS.high,
    "elevated": WEIGHTS.elevated,
    "normal": WEIGHTS.normal,
    "low": WEIGHTS.low,
}


def _match(stage: str, created_at: datetime | None = None, number: str = "1042") -> OrderMatch:
    if stage == "unknown":
        return OrderMatch(None, "none")
    order = Order(number=number, email="jane@example.com", stage=stage, created_at=created_at)
    return OrderMatch(order, "number", (number,))


def _rank(intents=("cancel",), match=None, received_at=NOW, now=NOW, redactions=None, follow_ups=0, low=False):
    return rank(
        IntentResult(tuple(intents), dict.fromkeys(intents, 0.9), low_confidence=low),
        match if match is not None else _match("unfulfilled"),
        received_at,
        now,
        redactions or {},
        follow_ups,
        SHOP,
        WEIGHTS,
    )


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("intent", INTENT_LABELS)
def test_intent_by_stage_table(intent, stage):
    urgency = _rank((intent,), _match(stage))
    assert urgency.score == LEVEL_SCORE[EXPECTED_LEVEL[intent][stage]]
    assert urgency.deadline is None  # no creation time, no deadline
    assert len(urgency.reasons) == 1


def test_levels_are_ordered():
    assert WEIGHTS.critical > WEIGHTS.high > WEIGHTS.elevated > WEIGHTS.normal > WEIGHTS.low


@pytest.mark.parametrize(
    ("intent", "stage", "words"),
    [
        ("cancel", "unfulfilled", "can still be done in-house"),
        ("address_fix", "label_created", "stop the parcel before carrier pickup"),
        ("cancel", "shipped", "return path"),
        ("duplicate", "canceled", "already canceled"),
        ("refund", "delivered", "refund on order #1042 (delivered)"),
        ("cancel", "unknown", "no order matched"),
    ],
)
def test_base_reason_explains_the_stage(intent, stage, words):
    assert words in _rank((intent,), _match(stage)).reasons[0]


@pytest.mark.parametrize(
    ("how", "words"),
    [("number", "(unfulfilled)"), ("email_inferred", "inferred from the sender"), ("near_number", "typo")],
)
def test_reason_says_how_the_order_was_found(how, words):
    order = Order(number="1042", email="jane@example.com", stage="unfulfilled")
    assert words in _rank(match=OrderMatch(order, how, ("1042",))).reasons[0]


def test_ambiguous_match_lists_candidates_in_reason():
    urgency = _rank(("cancel",), OrderMatch(None, "ambiguous", ("1051", "1050")))
    assert "#1051, #1050" in urgency.reasons[0]


def test_most_urgent_intent_drives_the_score():
    assert _rank(("refund", "cancel"), _match("in_progress")).score == WEIGHTS.high
    assert _rank(("other", "refund"), _match("in_progress")).score == WEIGHTS.normal


@pytest.mark.parametrize(
    ("created", "hours", "cutoff", "tz", "expected"),
    [
        # ready 2024-11-06 09:00, cutoff 14:00 the same day
        (datetime(2024, 11, 5, 9, 0, tzinfo=BERLIN), 24, "14:00", "Europe/Berlin", datetime(2024, 11, 6, 14, 0)),
        # ready after today's cutoff: tomorrow's
        (datetime(2024, 11, 5, 15, 0, tzinfo=BERLIN), 24, "14:00", "Europe/Berlin", datetime(2024, 11, 7, 14, 0)),
        # exactly at the cutoff counts as that cutoff
        (datetime(2024, 11, 5, 14, 0, tzinfo=BERLIN), 0, "14:00", "Europe/Berlin", datetime(2024, 11, 5, 14, 0)),
        # stored in UTC, clock in the shop's zone
        (datetime(2024, 11, 5, 11, 30, tzinfo=UTC), 1, "14:00", "Europe/Berlin", datetime(2024, 11, 5, 14, 0)),
        # naive means shop time
        (datetime(2024, 11, 5, 13, 0), 2, "14:00", "Europe/Berlin", datetime(2024, 11, 6, 14, 0)),
        # across the end of summer time (27 Oct 2024)
        (datetime(2024, 10, 26, 12, 0, tzinfo=BERLIN), 24, "14:00", "Europe/Berlin", datetime(2024, 10, 27, 14, 0)),
        (datetime(2024, 11, 5, 20, 0, tzinfo=UTC), 12, "09:30", "America/New_York", datetime(2024, 11, 6, 9, 30)),
    ],
)
def test_packing_deadline(created, hours, cutoff, tz, expected):
    shop = OrdersSettings(timezone=tz, fulfillment_hours=hours, daily_cutoff=cutoff)
    deadline = packing_deadline(created, shop)
    assert deadline == expected.replace(tzinfo=ZoneInfo(tz))
    assert deadline.tzinfo is not None


def test_deadline_is_shown_and_raises_the_score():
    created = datetime(2024, 11, 5, 9, 0, tzinfo=BERLIN)  # packing cutoff 2024-11-06 14:00
    far = _rank(match=_match("unfulfilled", created), now=datetime(2024, 11, 5, 9, 0, tzinfo=BERLIN))
    near = _rank(match=_match("unfulfilled", created), received_at=NOW, now=NOW)
    assert near.deadline == datetime(2024, 11, 6, 14, 0, tzinfo=BERLIN)
    assert "packing cutoff in 1 h 40 m" in near.reasons
    assert far.score == WEIGHTS.high and near.score > far.score
    late = _rank(match=_match("unfulfilled", created), received_at=NOW, now=NOW + timedelta(hours=2))
    assert "packing cutoff in 23 h 40 m (order is 20 m past its packing target)" in late.reasons
    assert late.deadline == datetime(2024, 11, 7, 14, 0, tzinfo=BERLIN)  # the next daily packing run
    assert late.score > near.score


@pytest.mark.parametrize(
    ("intent", "stage", "has_deadline"),
    [
        ("cancel", "unfulfilled", True),
        ("duplicate", "in_progress", True),
        ("address_fix", "label_created", True),
        ("cancel", "shipped", False),
        ("cancel", "pending_payment", False),
        ("refund", "unfulfilled", False),
        ("other", "in_progress", False),
    ],
)
def test_deadline_only_where_a_window_can_close(intent, stage, has_deadline):
    created = datetime(2024, 11, 5, 9, 0, tzinfo=BERLIN)
    assert (_rank((intent,), _match(stage, created)).deadline is not None) is has_deadline


def test_age_against_sla():
    fresh = _rank(match=_match("shipped"))
    waiting = _rank(match=_match("shipped"), received_at=NOW - timedelta(hours=5))
    overdue = _rank(match=_match("shipped"), received_at=NOW - timedelta(hours=30))
    assert fresh.score < waiting.score < overdue.score
    assert "waiting 5 h (SLA 1 d)" in waiting.reasons
    assert "over SLA by 6 h (SLA 1 d)" in overdue.reasons


def test_follow_ups_raise_it_up_to_a_cap():
    scores = [_rank(match=_match("shipped"), follow_ups=n).score for n in range(4)]
    assert scores[0] < scores[1] < scores[2] == scores[3]
    assert "the customer chased 2 times in this thread" in _rank(match=_match("shipped"), follow_ups=2).reasons
    assert "the customer chased once in this thread" in _rank(match=_match("shipped"), follow_ups=1).reasons


def test_sensitive_data_and_low_confidence_add_reasons():
    plain = _rank(match=_match("shipped"))
    flagged = _rank(match=_match("shipped"), redactions={"card_number": 2, "iban": 0, "card_cvv": 1}, low=True)
    assert flagged.score == plain.score + WEIGHTS.sensitive + WEIGHTS.low_confidence
    assert "sensitive data received and removed: card_cvv, card_number ×2" in flagged.reasons
    assert any("low classification confidence" in r for r in flagged.reasons)
    assert _rank(match=_match("shipped"), redactions={"iban": 0}).reasons == plain.reasons


def test_score_is_capped_at_100_and_deterministic():
    created = datetime(2024, 11, 1, 9, 0, tzinfo=BERLIN)
    args = {
        "intents": ("address_fix",),
        "match": _match("label_created", created),
        "received_at": NOW - timedelta(days=3),
        "redactions": {"password": 1},
        "follow_ups": 5,
        "low": True,
    }
    assert _rank(**args).score == 100
    assert _rank(**args) == _rank(**args)


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(hours=1, minutes=40), "1 h 40 m"),
        (timedelta(days=2, hours=3, minutes=59), "2 d 3 h"),
        (timedelta(days=1), "1 d"),
        (timedelta(hours=2), "2 h"),
        (timedelta(minutes=20, seconds=59), "20 m"),
        (timedelta(seconds=30), "0 m"),
        (timedelta(minutes=-20), "overdue by 20 m"),
        (timedelta(hours=-26), "overdue by 1 d 2 h"),
    ],
)
def test_format_duration(td, text):
    assert format_duration(td) == text


_stages = st.sampled_from(STAGES)
_intents = st.lists(st.sampled_from(INTENT_LABELS), min_size=1, max_size=3, unique=True)
_offsets = st.integers(min_value=-5 * 24 * 60, max_value=5 * 24 * 60)  # minutes around NOW


@settings(max_examples=300, deadline=None)
@given(
    intents=_intents,
    stage=_stages,
    created=st.one_of(st.none(), _offsets),
    received=_offsets,
    start=_offsets,
    steps=st.lists(st.integers(min_value=0, max_value=3 * 24 * 60), min_size=1, max_size=6),
    follow_ups=st.integers(min_value=0, max_value=5),
    cards=st.integers(min_value=0, max_value=2),
    low=st.booleans(),
    hours=st.floats(min_value=0, max_value=72),
)
def test_urgency_never_falls_as_a_message_ages(
    intents, stage, created, received, start, steps, follow_ups, cards, low, hours
):
    shop = OrdersSettings(timezone="Europe/Berlin", fulfillment_hours=hours, daily_cutoff="14:00")
    created_at = None if created is None else NOW + timedelta(minutes=created)
    match = _match(stage, created_at)
    intent = IntentResult(tuple(intents), dict.fromkeys(intents, 0.5), low_confidence=low)
    received_at = NOW + timedelta(minutes=received)
    now = NOW + timedelta(minutes=start)
    previous = None
    for step in [0, *steps]:
        now += timedelta(minutes=step)
        urgency = rank(intent, match, received_at, now, {"card_number": cards}, follow_ups, shop, WEIGHTS)
        assert 0 <= urgency.score <= 100
        if previous is not None:
            assert urgency.score >= previous.score
            # The deadline shown only moves forward: to the next packing run once the target has passed.
            assert (urgency.deadline is None) == (previous.deadline is None)
            assert urgency.deadline is None or urgency.deadline >= previous.deadline
        previous = urgency


def test_overdue_order_shows_the_next_packing_run_as_deadline() -> None:
    from datetime import UTC, datetime

    from triage.orders.rank import next_cutoff
    from triage.settings import OrdersSettings

    s = OrdersSettings(daily_cutoff="14:00", timezone="Europe/Berlin")
    assert next_cutoff(datetime(2026, 11, 21, 8, 30, tzinfo=UTC), s) == datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    assert next_cutoff(datetime(2026, 11, 21, 13, 0, tzinfo=UTC), s) == datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
