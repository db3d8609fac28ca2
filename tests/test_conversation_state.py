"""The pure side of conversations: thread subjects, threading against a store and a batch, and the fold
that turns a conversation's messages into its standing and withdrawn requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from triage.conversation.state import date_off, fold, merge_details
from triage.conversation.threading import BatchOverlay, NoConversations, thread
from triage.records import ConversationRef, Extraction, MessageFacts, ThreadKeys, Withdrawal
from triage.text import thread_subject

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Cancel #1047", "cancel #1047"),
        ("RE: AW: Fwd: FW: WG: RV: TR: SV: Cancel   #1047", "cancel #1047"),
        ("Re[2]: AW(3): Stornierung", "stornierung"),
        ("Réf: TR: Commande", "commande"),
        ("Return policy", "return policy"),  # "Re" must be a prefix with a colon
        ("", ""),
        (None, ""),
    ],
)
def test_thread_subject(subject: str | None, expected: str) -> None:
    assert thread_subject(subject) == expected


def keys(n: str, customer: str = "a@x.example", subject: str = "cancel", refs: tuple[str, ...] = (),
         at: datetime = T0, automated: bool = False) -> ThreadKeys:  # fmt: skip
    return ThreadKeys(f"mid:{n}", n, refs, customer, subject, at, automated)


def facts(n: str, intents: tuple[str, ...], kind: str | None = None, withdraws: tuple[str, ...] = (),
          at: datetime = T0, **details: object) -> MessageFacts:  # fmt: skip
    return MessageFacts(f"mid:{n}", n, at, intents, Extraction(**details), follow_up=kind, withdraws=withdraws)  # type: ignore[arg-type]


def test_a_batch_threads_by_references_then_subject_within_14_days() -> None:
    overlay = BatchOverlay(NoConversations())
    first = thread(keys("1"), overlay)
    assert first.how == "new" and first.state == "open"
    overlay.add(first, keys("1"), facts("1", ("cancel",)))
    assert thread(keys("2", refs=("1",), customer="b@x.example"), overlay).key == first.key
    by_subject = thread(keys("3", refs=("unknown",), at=T0 + timedelta(days=13)), overlay)
    assert by_subject.how == "subject" and by_subject.key == first.key
    assert thread(keys("4", at=T0 + timedelta(days=15)), overlay).how == "new"  # too old to join by subject
    assert thread(keys("5", customer="other@x.example"), overlay).how == "new"  # another sender
    assert thread(keys("1"), overlay).how == "duplicate"  # the same Message-ID again


def test_automated_mail_never_joins_even_when_its_references_point_there() -> None:
    overlay = BatchOverlay(NoConversations())
    first = thread(keys("1"), overlay)
    overlay.add(first, keys("1"), facts("1", ("cancel",)))
    auto = thread(keys("9", refs=("1",), automated=True), overlay)
    assert auto.how == "new" and auto.key != first.key and auto.state == "done"
    overlay.add(auto, keys("9", automated=True), None)
    assert overlay.conversation_facts(first.key) == [facts("1", ("cancel",))]
    # Nor can a customer's reply to the auto-reply join the auto-reply's conversation.
    assert thread(keys("10", refs=("9",), subject="other"), overlay).how == "new"


def test_a_closed_conversation_is_found_by_references_but_not_by_subject() -> None:
    class Closed(NoConversations):
        def conversation_by_message_ids(self, message_ids):  # type: ignore[no-untyped-def]
            return ConversationRef("mid:1", 7, "a@x.example", "cancel", "done") if "1" in message_ids else None

    assert thread(keys("2", refs=("1",)), Closed()) == ConversationRef(
        "mid:1", 7, "a@x.example", "cancel", "done", how="references"
    )
    assert thread(keys("3"), Closed()).how == "new"


def test_fold_retraction_replacement_chaser_and_details() -> None:
    state = fold(
        [
            facts("1", ("cancel",), order_numbers=("1047",)),
            facts("2", ("cancel",), "retraction", ("cancel", "refund"), at=T0 + timedelta(hours=1)),
        ]
    )
    assert state.intents == ("other",)
    assert state.withdrawn == (Withdrawal("cancel", "mid:2", "2", "retracted"),)
    assert state.details.order_numbers == ("1047",) and state.follow_ups == 1 and state.chasers == 0

    replaced = fold(
        [facts("1", ("cancel",)), facts("2", ("address_fix", "cancel"), "retraction", ("*",), address="12 High St")]
    )
    assert replaced.intents == ("address_fix",)
    assert replaced.withdrawn == (Withdrawal("cancel", "mid:2", "2", "replaced"),)
    assert replaced.details.address == "12 High St"

    chased = fold([facts("1", ("refund",)), facts("2", ("other",), "chaser"), facts("3", ("cancel",))])
    assert chased.intents == ("refund", "cancel") and chased.chasers == 1
    assert chased.first_at == T0

    again = fold([facts("1", ("cancel",)), facts("2", (), "retraction", ("*",)), facts("3", ("cancel",))])
    assert again.intents == ("cancel",) and again.withdrawn == ()  # asked for again: it stands again


def test_merge_details_keeps_what_any_message_said() -> None:
    merged = merge_details(Extraction(order_numbers=("1",), name="Ann"), Extraction(order_numbers=("2", "1")))
    assert merged.order_numbers == ("1", "2") and merged.name == "Ann"
    assert merge_details(Extraction(address="old"), Extraction(address="new")).address == "new"


def test_date_off() -> None:
    assert date_off(T0 - timedelta(days=3), T0)
    assert not date_off(T0 - timedelta(hours=47), T0)
    assert not date_off(None, T0)


def test_the_sla_runs_from_the_message_that_raised_the_standing_request() -> None:
    later = T0 + timedelta(days=21)
    # A question weeks ago, a new request now: the request's age is days, not weeks.
    state = fold([facts("1", ("other",)), facts("2", ("address_fix",), at=later)])
    assert state.first_at == T0 and state.raised_at == later
    # A chaser keeps the original request's age.
    chased = fold([facts("1", ("cancel",)), facts("2", ("other",), kind="chaser", at=later)])
    assert chased.raised_at == T0
    # Withdrawn and asked for again: from the message that asked again.
    again = fold(
        [
            facts("1", ("cancel",)),
            facts("2", ("other",), kind="retraction", withdraws=("cancel",), at=T0 + timedelta(days=1)),
            facts("3", ("cancel",), at=later),
        ]
    )
    assert again.raised_at == later
    # Nothing standing: the first arrival, as before.
    assert fold([facts("1", ("other",)), facts("2", ("other",), at=later)]).raised_at == T0
