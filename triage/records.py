"""The typed values that flow between pipeline stages (source → parse → redact → … → store).

Every stage takes one of these and returns the next; all are frozen so a stage
cannot change what an earlier stage produced behind its back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

INTENT_LABELS: tuple[str, ...] = ("cancel", "duplicate", "address_fix", "refund", "other")

STAGES: tuple[str, ...] = (
    "pending_payment",
    "unfulfilled",
    "in_progress",
    "label_created",
    "shipped",
    "delivered",
    "canceled",
    "refunded",
    "returned",
    "unknown",
)

# What a request can still change depends on where the order is. Before a label exists, a cancel or an
# address fix is done in-house; with a label it must be stopped before the carrier's pickup; from
# `shipped` on it is a return, a refusal or a carrier matter; closed orders have nothing left to undo.
STAGE_FAMILIES: dict[str, str] = {
    "pending_payment": "before",
    "unfulfilled": "before",
    "in_progress": "before",
    "label_created": "label",
    "shipped": "after",
    "delivered": "after",
    "canceled": "closed",
    "refunded": "closed",
    "returned": "closed",
    "unknown": "unknown",
}
IN_HOUSE_STAGES = frozenset(s for s, f in STAGE_FAMILIES.items() if f == "before")
OPEN_STAGES = frozenset(s for s, f in STAGE_FAMILIES.items() if f in ("before", "label"))
CLOSED_STAGES = frozenset(s for s, f in STAGE_FAMILIES.items() if f == "closed")


@dataclass(frozen=True)
class RawMessage:
    """One message as a source hands it over, with the pointer back to the original.

    `uid` is the IMAP UID, or for local sources a stable key (Maildir file key,
    mbox index, .eml file name). `uidvalidity` is 0 for local sources.
    """

    mailbox: str
    uidvalidity: int
    uid: str
    data: bytes
    internaldate: datetime | None = None
    # Size on the server; for a message too big to fetch, `data` is empty and `error` says why.
    size: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ParsedMessage:
    """A message reduced to what triage needs: headers, text, attachment facts.

    `body_text` is the whole readable text (text/plain preferred, else HTML
    converted to text); `new_text` is what the sender wrote this time, with
    quoted history (`quoted_text`) and `signature` split off.
    """

    message_id: str | None
    subject: str
    from_addr: str
    from_name: str
    reply_to: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    date: datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    body_text: str
    new_text: str
    quoted_text: str
    signature: str
    attachments: tuple[Attachment, ...] = ()
    html_only: bool = False
    # Why this message must never get a reply: "auto_reply", "bounce", "list", "own"; None if it may.
    no_reply: str | None = None
    defects: tuple[str, ...] = ()
    # From or Reply-To did not parse into exactly one plausible address: `from_addr` and `reply_to` are then
    # empty, so nothing is matched or answered by sender until an agent has looked (`defects` says why).
    sender_unverified: bool = False

    @classmethod
    def empty(cls, subject: str = "", defects: tuple[str, ...] = ()) -> ParsedMessage:
        """What stands in for a message that could not be read."""
        return cls(
            message_id=None,
            subject=subject,
            from_addr="",
            from_name="",
            reply_to=None,
            to=(),
            cc=(),
            date=None,
            in_reply_to=None,
            references=(),
            body_text="",
            new_text="",
            quoted_text="",
            signature="",
            defects=defects,
        )


@dataclass(frozen=True)
class Finding:
    """One piece of sensitive data that was removed. Never holds the value itself."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Redaction:
    text: str
    findings: tuple[Finding, ...] = ()

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out


@dataclass(frozen=True)
class IntentResult:
    """Labels most confident first; `other` only when none of the four holds."""

    intents: tuple[str, ...]
    scores: dict[str, float]
    low_confidence: bool = False
    # intent -> the customer's clause that carries it, so an agent sees why at a glance.
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Extraction:
    order_numbers: tuple[str, ...] = ()
    # Bare numbers of the order-number shape after a request ("can u cancel 2291?"): orders only
    # once the order book knows them for this sender (triage.orders.match.confirm_candidates).
    candidate_numbers: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    name: str | None = None
    country: str | None = None
    order_time: str | None = None
    address: str | None = None
    keep_order: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Order:
    number: str
    email: str | None
    stage: str
    created_at: datetime | None = None
    fulfilled_at: datetime | None = None
    canceled_at: datetime | None = None
    financial_status: str | None = None
    fulfillment_status: str | None = None
    customer_name: str | None = None
    country: str | None = None
    items: tuple[str, ...] = ()
    total: str | None = None


@dataclass(frozen=True)
class OrderMatch:
    order: Order | None
    how: str  # "number", "near_number", "email_inferred", "ambiguous", "none"
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Urgency:
    score: int
    reasons: tuple[str, ...] = ()
    deadline: datetime | None = None


@dataclass(frozen=True)
class Draft:
    to: str
    subject: str
    body: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class ThreadKeys:
    """What threading needs of one message: its own key, the ids it points at, its sender and subject."""

    message_key: str  # the fingerprint: "mid:<message-id>", else a hash of the bytes
    message_id: str | None  # lower-cased, as the References of later messages name it
    refs: tuple[str, ...]  # In-Reply-To and References, lower-cased, newest first
    customer: str  # the sender's address, lower-cased ("" when unverified)
    subject: str  # the normalised thread subject (see text.thread_subject)
    received_at: datetime
    automated: bool  # auto-reply, bounce, list, own address: never joins a customer's conversation


@dataclass(frozen=True)
class ConversationRef:
    """A conversation as threading sees it: `key` is its first message's key; `id` is None until stored."""

    key: str
    id: int | None
    customer: str
    subject: str
    state: str  # "open", "done"
    how: str = "new"  # how this message joined: "new", "references", "subject", "duplicate"
    last_at: datetime | None = None


@dataclass(frozen=True)
class Withdrawal:
    """A request the customer took back, and the message that did it."""

    intent: str
    message_key: str
    message_id: str | None
    reason: str  # "retracted" ("please don't cancel after all") or "replaced" ("ship it to my sister instead")


@dataclass(frozen=True)
class MessageFacts:
    """What one message contributed to its conversation; the conversation's state is a fold over these."""

    message_key: str
    message_id: str | None
    received_at: datetime
    intents: tuple[str, ...]
    details: Extraction = field(default_factory=lambda: Extraction())
    evidence: dict[str, str] = field(default_factory=dict)
    # None for a first message or a new request; "chaser", "retraction" or "replacement" for a follow-up.
    follow_up: str | None = None
    withdraws: tuple[str, ...] = ()  # the intents a retraction names; ("*",) for "ignore my last email"
    redactions: dict[str, int] = field(default_factory=dict)
    low_confidence: bool = False
    date_off: bool = False  # the Date header is more than two days from the arrival time


@dataclass(frozen=True)
class Triaged:
    """The whole result for one message, as the store keeps it.

    `intent` is this message's own classification; `match`, `urgency`, `missing` and `draft` are the
    conversation's as of this message (for a message on its own, e.g. `inspect`, the two are the same).
    """

    raw_size: int
    parsed: ParsedMessage  # already redacted
    redactions: dict[str, int]
    intent: IntentResult
    extraction: Extraction
    match: OrderMatch
    urgency: Urgency
    missing: tuple[str, ...]
    draft: Draft | None
    status: str = "ok"  # "ok" or "error"
    error: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)
    received_at: datetime | None = None  # arrival (INTERNALDATE, file time), never the Date header
    conversation: ConversationRef | None = None
    follow_up: str | None = None
    facts: MessageFacts | None = None
    standing: tuple[str, ...] = ()  # the conversation's requests still standing
    withdrawn: tuple[Withdrawal, ...] = ()
    state: str = "open"  # the conversation's state after this message
    conversation_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checkpoint:
    """How far a mailbox has been read: the last UID stored under this UIDVALIDITY."""

    mailbox: str
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class StoredRef:
    """Where a triaged message came from, and the keys the store dedupes and threads on."""

    mailbox: str
    uidvalidity: int
    uid: str
    fingerprint: str
    thread_key: str
    received_at: datetime | None
