"""The conversation records the store's read side returns: what `queue --json` and `show ID --json` print.

One `Conversation` per thread (design.md has the contract: one JSON schema for queue, show and inspect,
booleans as true/false); `ConversationDetail` is a conversation with its draft, its messages' redacted
texts and its history, for `show`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def bracketed(message_id: str | None) -> str | None:
    """A Message-ID as headers write it, "<…>" (the store keeps it bare)."""
    if not message_id:
        return None
    return message_id if message_id.startswith("<") else f"<{message_id}>"


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    """One message of a conversation as the queue lists it (oldest first)."""

    id: int
    message_id: str | None
    received_at: str | None  # ISO-8601 arrival time
    intents: tuple[str, ...]
    status: str
    follow_up: str | None
    from_addr: str | None
    subject: str | None
    text: str | None = None  # only in `show`: the redacted new text
    no_reply: str | None = None
    flags: tuple[str, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)  # only in `show`: intent -> the clause that carries it

    def to_json(self, full: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "message_id": bracketed(self.message_id),
            "received_at": self.received_at,
            "intents": list(self.intents),
            "status": self.status,
            "follow_up": self.follow_up,
        }
        if full:
            out |= {
                "from": self.from_addr,
                "subject": self.subject,
                "text": self.text,
                "no_reply": self.no_reply,
                "flags": list(self.flags),
                "evidence": dict(self.evidence),
            }
        return out


@dataclass(frozen=True, slots=True)
class Conversation:
    """One conversation in the queue: its standing and withdrawn requests, order, urgency, messages."""

    id: int
    customer: str
    subject: str
    intents: tuple[str, ...]
    withdrawn: tuple[dict[str, Any], ...]  # [{intent, message_id, reason}]
    order_number: str | None
    stage: str
    match_how: str | None
    urgency: int
    reasons: tuple[str, ...]
    deadline: str | None
    state: str
    status: str
    error: str | None
    flags: tuple[str, ...]
    missing: tuple[str, ...]
    redactions: dict[str, int]
    low_confidence: bool
    automated: str | None
    opened_at: str | None
    last_at: str | None
    mailbox: str | None = None  # the source it came in by (imap://…, maildir:…)
    mailbox_name: str | None = None  # the configured mailbox ([[mailbox]] name)
    messages: tuple[ConversationMessage, ...] = ()

    @property
    def order(self) -> dict[str, str] | None:
        return {"number": self.order_number, "stage": self.stage} if self.order_number else None

    def to_json(self) -> dict[str, Any]:
        """The contract's object: id, customer, subject, intents, withdrawn, order, urgency, reasons, deadline,
        state, flags, messages; then the extras (status, missing, match_how, …)."""
        return {
            "id": self.id,
            "customer": self.customer,
            "subject": self.subject,
            "intents": list(self.intents),
            "withdrawn": [{**w, "message_id": bracketed(w.get("message_id"))} for w in self.withdrawn],
            "order": self.order,
            "urgency": self.urgency,
            "reasons": list(self.reasons),
            "deadline": self.deadline,
            "state": self.state,
            "flags": list(self.flags),
            "messages": [m.to_json() for m in self.messages],
            "status": self.status,
            "error": self.error,
            "stage": self.stage,
            "match_how": self.match_how,
            "missing": list(self.missing),
            "redactions": dict(self.redactions),
            "low_confidence": self.low_confidence,
            "automated": self.automated,
            "no_reply": self.automated,  # the key inspect and each message use for the same thing
            "opened_at": self.opened_at,
            "last_at": self.last_at,
            "mailbox": self.mailbox,
            "mailbox_name": self.mailbox_name,
        }


@dataclass(frozen=True, slots=True)
class ConversationDraft:
    """The conversation's one draft; `owner` is "agent" once an agent edited it (then triage never replaces it)."""

    id: int
    to: str
    subject: str
    body: str
    owner: str
    edited: bool  # differs from what triage last wrote

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "owner": self.owner,
            "edited": self.edited,
        }


@dataclass(frozen=True, slots=True)
class ConversationEvent:
    at: str
    actor: str
    action: str
    detail: str | None
    message: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "detail": self.detail,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ConversationDetail:
    """`show ID`: the conversation, its draft, its messages with their redacted texts, and its history."""

    conversation: Conversation
    draft: ConversationDraft | None
    events: tuple[ConversationEvent, ...]

    @property
    def id(self) -> int:
        return self.conversation.id

    @property
    def draft_in_folder(self) -> bool:
        """The agent's version of the draft lives in the Drafts folder (edited, re-saved or removed there), so
        the body in the store is what triage last wrote, not what the customer will get."""
        for e in reversed(self.events):
            if e.action == "draft_kept":
                return True
            if e.action == "draft_edited":
                return False
        return False

    def to_json(self) -> dict[str, Any]:
        out = self.conversation.to_json()
        out["messages"] = [m.to_json(full=True) for m in self.conversation.messages]
        out["draft"] = self.draft.to_json() if self.draft else None
        if out["draft"] is not None:
            out["draft"]["in_drafts_folder"] = self.draft_in_folder
        out["events"] = [e.to_json() for e in self.events]
        return out
