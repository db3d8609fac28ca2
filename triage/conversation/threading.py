"""Which conversation a message joins: by In-Reply-To/References to a known message, else the sender's open
conversation with the same normalised subject from the last 14 days of arrival time, else a new one.

Pure: what is already stored is read through the `ConversationStore` protocol (the store implements it),
and `BatchOverlay` adds the messages of the batch being triaged, so they thread with each other before any
of them is stored. Automated mail never joins a customer's conversation: it always starts its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from triage.records import ConversationRef, MessageFacts, ThreadKeys

SUBJECT_WINDOW = timedelta(days=14)


class ConversationStore(Protocol):
    """What threading reads of the conversations already stored."""

    def conversation_by_message_ids(self, message_ids: Sequence[str]) -> ConversationRef | None:
        """The customer conversation holding one of these (lower-cased) Message-IDs, if any."""
        ...

    def open_conversation_by_subject(self, customer: str, subject: str, since: datetime) -> ConversationRef | None:
        """The sender's open conversation with this thread subject whose last message arrived after `since`."""
        ...

    def conversation_of_message(self, message_key: str) -> ConversationRef | None:
        """The conversation a message with this key was already stored in (a second delivery)."""
        ...

    def conversation_facts(self, key: str) -> list[MessageFacts]:
        """The facts of a conversation's messages, oldest first."""
        ...


class NoConversations:
    """An empty store: every message starts its own conversation (inspect, tests)."""

    def conversation_by_message_ids(self, message_ids: Sequence[str]) -> ConversationRef | None:
        return None

    def open_conversation_by_subject(self, customer: str, subject: str, since: datetime) -> ConversationRef | None:
        return None

    def conversation_of_message(self, message_key: str) -> ConversationRef | None:
        return None

    def conversation_facts(self, key: str) -> list[MessageFacts]:
        return []


@dataclass
class _Pending:
    ref: ConversationRef
    facts: list[MessageFacts]


class BatchOverlay:
    """The stored conversations plus this batch's messages, so a follow-up threads onto a message of the same
    batch; what the batch adds is looked up first."""

    def __init__(self, base: ConversationStore) -> None:
        self.base = base
        self._convs: dict[str, _Pending] = {}
        self._by_mid: dict[str, str] = {}
        self._by_key: dict[str, str] = {}

    def add(self, ref: ConversationRef, keys: ThreadKeys, facts: MessageFacts | None) -> None:
        """Record a triaged message of the batch under its conversation (`facts` None: nothing to fold)."""
        pending = self._convs.get(ref.key)
        if pending is None:
            earlier = [] if ref.how == "new" else list(self.base.conversation_facts(ref.key))
            pending = self._convs[ref.key] = _Pending(ref, earlier)
        last = max(filter(None, (pending.ref.last_at, keys.received_at)))
        pending.ref = replace(ref, how="new", last_at=last, state="done" if keys.automated else ref.state)
        if facts is not None:
            pending.facts.append(facts)
        self._by_key[keys.message_key] = ref.key
        if keys.message_id and not keys.automated:
            self._by_mid[keys.message_id] = ref.key

    def conversation_by_message_ids(self, message_ids: Sequence[str]) -> ConversationRef | None:
        for mid in message_ids:
            if mid in self._by_mid:
                return self._convs[self._by_mid[mid]].ref
        return self.base.conversation_by_message_ids(message_ids)

    def open_conversation_by_subject(self, customer: str, subject: str, since: datetime) -> ConversationRef | None:
        for pending in reversed(self._convs.values()):
            r = pending.ref
            same = r.customer == customer and r.subject == subject and r.state == "open"
            if same and (r.last_at is None or r.last_at >= since):
                return r
        return self.base.open_conversation_by_subject(customer, subject, since)

    def conversation_of_message(self, message_key: str) -> ConversationRef | None:
        if message_key in self._by_key:
            return self._convs[self._by_key[message_key]].ref
        return self.base.conversation_of_message(message_key)

    def conversation_facts(self, key: str) -> list[MessageFacts]:
        if key in self._convs:
            return list(self._convs[key].facts)
        return self.base.conversation_facts(key)


def thread(keys: ThreadKeys, store: ConversationStore, window: timedelta = SUBJECT_WINDOW) -> ConversationRef:
    """The conversation this message belongs to; `how` says why ("duplicate" for a second delivery)."""
    seen = store.conversation_of_message(keys.message_key)
    if seen is not None:
        return replace(seen, how="duplicate")
    if not keys.automated:
        refs = [r for r in keys.refs if r and r != keys.message_id]
        joined = store.conversation_by_message_ids(refs) if refs else None
        if joined is not None:
            return replace(joined, how="references")
        if keys.customer and keys.subject:
            joined = store.open_conversation_by_subject(keys.customer, keys.subject, keys.received_at - window)
            if joined is not None:
                return replace(joined, how="subject")
    return ConversationRef(
        key=keys.message_key,
        id=None,
        customer=keys.customer,
        subject=keys.subject,
        state="done" if keys.automated else "open",
        how="new",
        last_at=keys.received_at,
    )
