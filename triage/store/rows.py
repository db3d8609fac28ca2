"""What the store's read side returns: frozen records with their columns decoded, and their JSON shape.

A record's fields are the columns its query selects, named alike and in order
(`reader` checks that once per query): `reader` turns rows into records,
decoding each column by its field's type (JSON lists and objects, 0/1 flags,
ISO-8601 times), and `to_json` turns a record back into a JSON object.

`QueueRow` and `Item` are what `queue --json` and `show ID --json` print, a
contract checked from outside (docs: design.md): their fields, in order, are
the keys of those objects. A field marked `json_text` is printed as the JSON
text the column holds (as it always was); a flag prints as 0/1, as SQLite
stores it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from triage.errors import StoreError
from triage.records import Attachment, Draft
from triage.store.codec import decode_dict, decode_list, encode, parse_time
from triage.store.schema import initial_state

R = TypeVar("R")


def reader(cls: type[R], columns: Sequence[tuple[Any, ...]] | None) -> Callable[..., R]:
    """How a query's rows become `cls` records: `reader(cls, cursor.description)(row, **rest)`.

    The columns must be the record's first fields, by name and in order (else StoreError: the query and the
    record drifted apart); the fields after them come as keyword arguments.
    """
    names = tuple(c[0] for c in columns or ())
    hints = get_type_hints(cls)
    expected = tuple(hints)[: len(names)]  # the fields, in order
    if names != expected:
        raise StoreError(f"{cls.__name__}: the query selects {names}, the record expects {expected}")
    decoders = [_decoder(hints[name]) for name in names]
    todo = [(i, d) for i, d in enumerate(decoders) if d is not None]

    def record(row: Sequence[Any], **rest: Any) -> R:
        values = list(row)
        for i, decode in todo:
            values[i] = decode(values[i])
        return cls(*values, **rest)

    return record


def _decoder(kind: Any) -> Callable[[Any], Any] | None:
    """What a column's text becomes for a field of this type; None for a value kept as stored."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is bool:
        return bool
    if kind is datetime or datetime in args:
        return parse_time
    if origin is tuple and args and is_dataclass(args[0]):
        item: Any = args[0]
        return lambda text: tuple(item(**value) for value in decode_list(text))
    if origin is tuple:
        return decode_list
    if origin is dict:
        return decode_dict
    return None


# Printed as the JSON text of the column, not as the list it decodes to.
_AS_TEXT = {"json_text": True}

_Fix = Callable[[Any], Any]
# How a record class becomes a JSON object: all its values at once, its field names, and the values to convert.
_Plan = tuple[Callable[[Any], tuple[Any, ...]], tuple[str, ...], tuple[tuple[str, _Fix], ...]]
_PLANS: dict[type, _Plan] = {}


def to_json(record: Any) -> dict[str, Any]:
    """A record as the object `queue --json` / `show --json` print: its fields in order, nested records too."""
    values, names, fixes = _PLANS.get(type(record)) or _plan(type(record))
    out = dict(zip(names, values(record), strict=True))
    for name, fix in fixes:
        out[name] = fix(out[name])
    return out


def _plan(cls: type) -> _Plan:
    """Worked out once per record class from its field types: which values print other than as they are."""
    hints = get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    fixes: list[tuple[str, _Fix]] = []
    for f in fields(cls):
        kind = hints[f.name]
        args = get_args(kind)
        if f.metadata.get("json_text"):
            fixes.append((f.name, encode))
        elif kind is bool:
            fixes.append((f.name, int))  # a flag prints as SQLite stores it: 0 or 1
        elif any(is_dataclass(a) for a in args) and get_origin(kind) is tuple:
            fixes.append((f.name, lambda v: [to_json(x) for x in v]))
        elif is_dataclass(kind) or any(is_dataclass(a) for a in args):
            fixes.append((f.name, lambda v: None if v is None else to_json(v)))
    getter = attrgetter(*names)
    _PLANS[cls] = plan = (getter, names, tuple(fixes))
    return plan


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One message in the queue with its triage; the fields are the keys of a `queue --json` object, in order."""

    id: int
    mailbox: str
    uid: str
    received_at: str | None  # ISO-8601 arrival time, as stored
    from_addr: str | None
    from_name: str | None
    subject: str | None
    status: str  # "ok" or "error"
    error: str | None
    state: str  # "open", "done"
    mailbox_name: str | None  # the configured mailbox it came from ([[mailbox]] name; else `mailbox`)
    no_reply: str | None  # why it must never get a reply, or None
    intents: tuple[str, ...]
    scores: dict[str, float]
    low_confidence: bool
    redactions: dict[str, int]
    order_number: str | None
    match_how: str
    stage: str
    urgency: int
    reasons: tuple[str, ...]
    deadline: str | None  # ISO-8601, as stored
    missing: tuple[str, ...]
    flags: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A thread's reply draft as the store keeps it, with where it was last put in the Drafts folder."""

    id: int
    message: int  # the message it answers (the thread's latest that got one)
    thread_key: str
    to_addr: str
    subject: str
    body: str
    in_reply_to: str | None
    refs: tuple[str, ...] = field(metadata=_AS_TEXT)
    language: str | None
    created_at: str
    updated_at: str
    imap_folder: str | None
    imap_uid: int | None
    message_id_header: str | None
    synced_at: str | None
    conversation: int | None = None
    owner: str | None = None  # "triage", or "agent" once an agent edited it
    triage_hash: str | None = None  # hash of the body triage last wrote

    def as_draft(self) -> Draft:
        """The draft as the reply stage made it, for saving to the mailbox again."""
        return Draft(
            to=self.to_addr,
            subject=self.subject,
            body=self.body,
            in_reply_to=self.in_reply_to,
            references=self.refs,
            language=self.language or "en",
        )


@dataclass(frozen=True, slots=True)
class AuditEvent:
    at: str
    actor: str
    action: str
    detail: str | None


@dataclass(frozen=True, slots=True)
class Item:
    """One message in full: the keys of a `show ID --json` object, in order, with its thread's draft and history."""

    id: int
    mailbox: str
    uidvalidity: int
    uid: str
    fingerprint: str
    message_id: str | None
    thread_key: str | None
    in_reply_to: str | None
    received_at: str | None
    stored_at: str
    from_addr: str | None
    from_name: str | None
    reply_to: str | None
    to_addrs: tuple[str, ...] = field(metadata=_AS_TEXT)
    subject: str | None
    text: str | None
    quoted_text: str | None
    signature: str | None
    attachments: tuple[Attachment, ...]
    no_reply: str | None
    html_only: bool
    defects: tuple[str, ...]
    size: int | None
    status: str
    error: str | None
    state: str
    mailbox_name: str | None  # the configured mailbox it came from ([[mailbox]] name)
    conversation: int | None  # the conversation it belongs to (`show` takes that id)
    message_key: str | None
    facts: dict[str, Any]  # what it contributed to its conversation (intents, details, follow-up kind)
    follow_up: str | None  # "chaser", "retraction" or None
    intents: tuple[str, ...]
    scores: dict[str, float]
    low_confidence: bool
    redactions: dict[str, int]
    extraction: dict[str, Any]  # the extract stage's findings, keys as stored
    order_number: str | None
    match_how: str
    stage: str
    urgency: int
    reasons: tuple[str, ...]
    deadline: str | None
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    evidence: dict[str, str]  # intent -> the customer's clause that carries it (empty before schema 5)
    draft: StoredDraft | None
    events: tuple[AuditEvent, ...]  # "stored" first, then the audit log

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class MailboxState:
    """A mailbox's health: how far it was read, its last successful poll and its last error."""

    mailbox: str
    uidvalidity: int | None
    last_uid: int | None
    last_poll_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    messages_seen: int | None
    name: str | None = None  # the configured mailbox's name
    last_wake_at: datetime | None = None  # the last poll or IDLE wake, successful or not
    backlog: int | None = None  # what the source held beyond what was stored, at the last poll
    failing: bool | None = None  # the last attempt ended in an error (a later success clears it)


# -- what the daily summary counts ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArrivedMessage:
    """A message as the summary counts it on the day it arrived."""

    id: int
    arrived_at: datetime  # arrival, else when it was stored
    status: str
    no_reply: str | None
    intents: tuple[str, ...]
    stage: str
    low_confidence: bool
    redactions: dict[str, int]
    draft_created: datetime | None  # the draft made for this very message, if any
    draft_updated: datetime | None
    # The summary counts requests per conversation: on the day its first message arrived, with its standing
    # requests and its order's stage (a follow-up is not a second request).
    opens_conversation: bool = True
    conversation_intents: tuple[str, ...] = ()
    conversation_stage: str | None = None


@dataclass(frozen=True, slots=True)
class StateChange:
    at: datetime
    state: str  # "open" or "done"


@dataclass(frozen=True, slots=True)
class TrackedItem:
    """A conversation that is open now or was ever opened or closed: its state can be replayed to any time."""

    id: int
    received_at: datetime  # arrival, else when it was stored
    status: str
    urgency: int
    intents: tuple[str, ...]
    order_number: str | None
    stage: str
    reasons: tuple[str, ...]
    deadline: datetime | None
    no_reply: str | None
    mailbox_name: str | None  # the configured mailbox its first message came in by
    changes: tuple[StateChange, ...]  # oldest first

    @property
    def initial_state(self) -> str:
        """The state it was stored in."""
        return initial_state(self.status, self.no_reply)
