"""Composes the stages: parse → redact → classify → extract → match order → rank → draft.

Each stage is a pure function of the previous stage's value; this module only
wires them together, isolates failures per message and batches the model.
Nothing here touches the network or the store: the caller passes in the
orders and the stored conversations (a `ConversationStore`), and stores what comes back.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from triage.config import Config
from triage.conversation.state import date_off, fold, settle
from triage.conversation.threading import BatchOverlay, ConversationStore, NoConversations, thread
from triage.errors import ConfigError, TemplateError
from triage.mail.parse import parse_message
from triage.orders.csv_import import find_duplicate_orders
from triage.orders.match import confirm_candidates
from triage.records import (
    Extraction,
    IntentResult,
    MessageFacts,
    Order,
    OrderMatch,
    ParsedMessage,
    RawMessage,
    StoredRef,
    ThreadKeys,
    Triaged,
    Urgency,
)
from triage.redact import redact_message
from triage.reply.draft import ThreadContext, make_draft
from triage.run.guard import WorkTimeout, time_limit
from triage.store.conversations import CLOSED_WITH_THANKS
from triage.text import thread_subject
from triage.understand.classify import IntentModel
from triage.understand.closing import closes_thread
from triage.understand.extract import extract
from triage.understand.followup import follow_up_kind

log = logging.getLogger("triage.run.pipeline")


def fingerprint(raw: RawMessage, parsed: ParsedMessage | None) -> str:
    """Message-ID where there is one, else a hash of the bytes: the key for dedupe across UIDVALIDITY changes."""
    if parsed is not None and parsed.message_id:
        return "mid:" + parsed.message_id.strip().lower()
    if not raw.data:  # not fetched (too big): size and arrival time survive a UIDVALIDITY change
        return f"unfetched:{raw.size}:{raw.internaldate.isoformat() if raw.internaldate else raw.uid}"
    return "sha256:" + hashlib.sha256(raw.data).hexdigest()


def thread_key(parsed: ParsedMessage | None) -> str:
    """The root of the conversation: first References entry, else In-Reply-To, else the message itself."""
    if parsed is None:
        return ""
    if parsed.references:
        return parsed.references[0].strip().lower()
    if parsed.in_reply_to:
        return parsed.in_reply_to.strip().lower()
    return (parsed.message_id or "").strip().lower()


def arrival(raw: RawMessage, now: datetime) -> datetime:
    """When the message reached the mailbox (INTERNALDATE, the file's time), never the sender's Date header."""
    when = raw.internaldate or now
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def thread_keys(raw: RawMessage, parsed: ParsedMessage, received: datetime) -> ThreadKeys:
    """What threading needs of a parsed message."""
    refs = [parsed.in_reply_to or "", *reversed(parsed.references)]
    return ThreadKeys(
        message_key=fingerprint(raw, parsed),
        message_id=(parsed.message_id or "").strip().lower() or None,
        refs=tuple(dict.fromkeys(r.strip().lower() for r in refs if r.strip())),
        customer=(parsed.from_addr or "").lower(),
        subject=thread_subject(parsed.subject),
        received_at=received,
        automated=parsed.no_reply is not None,
    )


def empty_message(subject: str = "") -> ParsedMessage:
    return ParsedMessage.empty(subject)


@dataclass(frozen=True)
class OrderBook:
    """The shop's orders, indexed the two ways matching needs, with likely duplicate checkouts paired up."""

    by_number: dict[str, Order] = field(default_factory=dict)
    by_email: dict[str, list[Order]] = field(default_factory=dict)
    # order number -> the other order of a likely duplicate pair (same customer, same items, minutes apart)
    twins: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, orders: Sequence[Order], duplicate_window_minutes: int = 60) -> OrderBook:
        by_number: dict[str, Order] = {}
        by_email: dict[str, list[Order]] = {}
        for o in orders:
            by_number[o.number] = o
            if o.email:
                by_email.setdefault(o.email.lower(), []).append(o)
        twins: dict[str, str] = {}
        for first, later in find_duplicate_orders(orders, duplicate_window_minutes):
            twins.setdefault(first, later)
            twins.setdefault(later, first)
        return cls(by_number, by_email, twins)


@dataclass
class Prepared:
    """A message after parse and redact, before the batched model runs."""

    raw: RawMessage
    parsed: ParsedMessage
    redactions: dict[str, int]
    error: str | None = None


class Pipeline:
    """Everything triage needs besides I/O, loaded once and reused for every message."""

    def __init__(
        self,
        cfg: Config,
        model: IntentModel,
        orders: OrderBook | None = None,
        conversations: ConversationStore | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.cfg = cfg
        self.settings = cfg.stage_settings()
        for name in cfg.intents:
            if name not in model.labels:
                known = ", ".join(model.labels)
                raise ConfigError(f"{cfg.file} [intents.{name}]: unknown intent; the model knows: {known}")
        self.model = model
        self.orders = orders or OrderBook()
        self.conversations: ConversationStore = conversations or NoConversations()
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- stages ---------------------------------------------------------------

    def prepare(self, raw: RawMessage) -> Prepared:
        """Parse and redact one message, bounded in time; failures become an error result, never an exception."""
        if raw.error:
            return Prepared(raw, empty_message(), {}, raw.error)
        try:
            with time_limit(self.cfg.limits.parse_timeout_seconds):
                parsed = parse_message(raw.data, self.cfg.shop.all_own_addresses)
                if parsed.defects and parsed.defects[0].startswith("unreadable:"):
                    return Prepared(raw, empty_message(), {}, f"not a mail message ({parsed.defects[0]})"[:300])
                redacted, counts = redact_message(parsed)
        except WorkTimeout as exc:
            return Prepared(raw, empty_message(), {}, f"parse timed out: {exc}")
        except Exception as exc:  # one poisonous message must not stop the rest
            log.warning("cannot parse %s uid %s: %s", raw.mailbox, raw.uid, type(exc).__name__)
            return Prepared(raw, empty_message(), {}, f"cannot parse: {type(exc).__name__}")
        return Prepared(raw, redacted, counts)

    def classify(self, prepared: Sequence[Prepared]) -> list[IntentResult]:
        """One batched model call for the customers' mail. Automated mail (a list, an auto-reply, a bounce,
        our own) carries no customer's request: its "cancellations, refunds" or quoted "storniert" are a
        machine's words, so it is `other` without being read."""
        human = [p for p in prepared if not p.parsed.no_reply]
        read = iter(self.model.classify([(p.parsed.subject, p.parsed.new_text) for p in human]) if human else ())
        return [AUTOMATED if p.parsed.no_reply else next(read) for p in prepared]

    def finish(
        self, p: Prepared, intent: IntentResult, now: datetime, conversations: ConversationStore | None = None
    ) -> Triaged:
        """The per-message rest: thread it, fold its conversation, match, rank and draft for the conversation.

        `conversations` is what is stored (with this batch's messages overlaid); None: the message alone.
        """
        if p.error is not None:
            return error_result(p.raw, p.error)
        parsed = p.parsed
        s = self.settings
        received = arrival(p.raw, now)
        keys = thread_keys(p.raw, parsed, received)
        conv = thread(keys, conversations or NoConversations())
        extraction = extract(parsed, intent.intents, s.extract, now)
        extraction = confirm_candidates(extraction, parsed.from_addr, self.orders.by_number)
        if conv.how == "duplicate":  # the same Message-ID delivered again: one message, not a second item
            return Triaged(
                raw_size=len(p.raw.data),
                parsed=parsed,
                redactions=p.redactions,
                intent=intent,
                extraction=extraction,
                match=OrderMatch(order=None, how="none"),
                urgency=Urgency(score=0, reasons=("a second delivery of a message already stored",)),
                missing=(),
                draft=None,
                status="duplicate",
                received_at=received,
                conversation=conv,
                state=conv.state,
            )
        flags: list[str] = []
        kind, withdraws = follow_up_kind(parsed.new_text) if conv.how != "new" else (None, ())
        facts = MessageFacts(
            message_key=keys.message_key,
            message_id=(parsed.message_id or "").strip() or None,
            received_at=received,
            intents=intent.intents,
            details=extraction,
            evidence=dict(getattr(intent, "evidence", None) or {}),
            follow_up=kind,
            withdraws=withdraws,
            redactions=dict(p.redactions),
            low_confidence=intent.low_confidence,
            date_off=date_off(parsed.date, received),
        )
        if keys.automated:  # automated mail is triaged on its own and never touches a customer's conversation
            earlier: list[MessageFacts] = []
        else:
            earlier = [] if conv.how == "new" else (conversations or NoConversations()).conversation_facts(conv.key)
        state = fold([*earlier, facts])
        settled = settle(state, intent.scores, parsed.from_addr, self.orders.by_number, self.orders.by_email, now, s)
        match, urgency, missing = settled.match, settled.urgency, settled.missing
        conv_state = conv.state
        conv_flags: list[str] = []
        if conv.state == "done" and not keys.automated and conv.how != "new":
            conv_state = "open"  # the customer wrote again on a closed conversation
            conv_flags.append("reopened")
            urgency = replace(
                urgency, reasons=("reopened: the customer wrote again after it was closed", *urgency.reasons)
            )
        closing = (
            not keys.automated
            and not parsed.sender_unverified
            and kind != "chaser"
            and state.intents == ("other",)
            and not state.withdrawn
            and set(intent.intents) <= {"other"}
            and closes_thread(parsed.new_text)
        )
        if closing:
            # Nothing standing, nothing withdrawn to confirm, and the customer's latest word is a thanks or
            # "it arrived": closed (audited), no new draft; the next customer mail reopens it.
            conv_state = "done"
            conv_flags = [f for f in conv_flags if f != "reopened"]
            conv_flags.append(CLOSED_WITH_THANKS)
            urgency = Urgency(score=0, reasons=("the customer closed it with thanks: nothing is asked",))
        twin = self.orders.twins.get(match.order.number) if match.order else None
        if twin is not None and match.order is not None and "duplicate" not in state.intents:
            # The customer did not say so, but the orders do: same items, placed minutes apart.
            flags.append("likely_duplicate")
            reason = f"order #{match.order.number} looks like a duplicate of #{twin} (same customer and items)"
            urgency = replace(urgency, reasons=(*urgency.reasons, reason))
        if p.redactions:
            flags.append("sensitive_data")
        if intent.low_confidence:
            flags.append("review")
        if kind == "chaser" and state.intents != ("other",):
            flags.append("intent_from_thread")  # "did you get my email?": the request is the thread's
        if parsed.no_reply:
            flags.append(f"no_reply:{parsed.no_reply}")
        if parsed.sender_unverified:  # no sender, so no order by sender and no draft: an agent decides
            flags.append("sender_unverified")
        if facts.date_off:
            flags.append("date_off")
        if kind is not None:
            flags.append(f"follow_up:{kind}")
        if state.redactions:
            conv_flags.append("sensitive_removed")
        if state.low_confidence:
            conv_flags.append("low_confidence")
        if state.date_off:
            conv_flags.append("date_off")
        if state.chasers:
            conv_flags.append("chased")
        for f in ("likely_duplicate", "sender_unverified", "draft_error"):
            if f in flags:
                conv_flags.append(f)
        thread_words = ThreadContext(
            chased=state.chasers > 0,
            withdrawn=tuple(dict.fromkeys(w.intent for w in state.withdrawn)),
            follow_up=conv.how != "new",
        )
        try:
            draft = (
                None
                if closing
                else make_draft(
                    parsed, settled.intent, state.details, match, missing, state.redactions, s.reply, thread_words
                )
            )
        except TemplateError as exc:  # a broken template must not cost the message its triage
            log.warning("no draft for %s uid %s: %s", p.raw.mailbox, p.raw.uid, exc)
            draft = None
            flags.append("draft_error")
            conv_flags.append("draft_error")
        root = earlier[0].message_id if earlier else None
        if draft is not None and root and f"<{root}>" not in draft.references:
            # The reply belongs to the whole conversation: its first message is the References root, so mail
            # clients (and triage's Drafts-folder check) thread it even when a follow-up's References broke.
            draft = replace(draft, references=(f"<{root}>", *draft.references))
        if conversations is not None and isinstance(conversations, BatchOverlay):
            conversations.add(replace(conv, state=conv_state), keys, None if keys.automated else facts)
        return Triaged(
            raw_size=len(p.raw.data),
            parsed=parsed,
            redactions=p.redactions,
            intent=intent,
            extraction=extraction,
            match=match,
            urgency=urgency,
            missing=missing,
            draft=draft,
            flags=tuple(flags),
            received_at=received,
            conversation=conv,
            follow_up=kind,
            facts=facts,
            standing=state.intents,
            withdrawn=state.withdrawn,
            state=conv_state,
            conversation_flags=tuple(dict.fromkeys(conv_flags)),
        )

    def run(self, raws: Sequence[RawMessage], threaded: bool = True) -> list[Triaged]:
        """Triage a batch: per-message parse/redact, one batched model call, then the per-message rest.

        `threaded=False` triages each message on its own, as `inspect` does (it stores nothing).
        """
        prepared = [self.prepare(r) for r in raws]
        ok = [p for p in prepared if p.error is None]
        intents = dict(zip((id(p) for p in ok), self.classify(ok), strict=True))
        now = self.clock()
        out: list[Triaged] = []
        overlay = BatchOverlay(self.conversations)
        for p in prepared:
            try:
                out.append(self.finish(p, intents.get(id(p), NO_INTENT), now, overlay if threaded else None))
            except Exception as exc:  # a bug in a later stage still leaves a row, never a lost message
                log.warning("triage failed for %s uid %s: %s", p.raw.mailbox, p.raw.uid, type(exc).__name__)
                out.append(error_result(p.raw, f"triage failed: {type(exc).__name__}: {exc}"[:300], p.parsed))
        return out


NO_INTENT = IntentResult(intents=(), scores={}, low_confidence=False)
AUTOMATED = IntentResult(intents=("other",), scores={}, low_confidence=False)


def error_result(raw: RawMessage, reason: str, parsed: ParsedMessage | None = None) -> Triaged:
    """A row for a message that could not be triaged: kept, visible in the queue, never silently dropped."""
    return Triaged(
        raw_size=raw.size or len(raw.data),
        parsed=parsed or empty_message(),
        redactions={},
        intent=NO_INTENT,
        extraction=Extraction(),
        match=OrderMatch(order=None, how="none"),
        urgency=Urgency(score=0, reasons=("could not be triaged: " + reason,)),
        missing=(),
        draft=None,
        status="error",
        error=reason,
    )


def stored_ref(raw: RawMessage, result: Triaged) -> StoredRef:
    """Where a message's row points and what it is keyed by; the one place its fingerprint is computed."""
    parsed = result.parsed if result.parsed.message_id or result.status == "ok" else None
    return StoredRef(
        mailbox=raw.mailbox,
        uidvalidity=raw.uidvalidity,
        uid=raw.uid,
        fingerprint=fingerprint(raw, parsed),
        thread_key=thread_key(parsed),
        received_at=result.received_at or raw.internaldate,
    )
