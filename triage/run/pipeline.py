"""Composes the stages: parse → redact → classify → extract → match order → rank → draft.

Each stage is a pure function of the previous stage's value; this module only
wires them together, isolates failures per message and batches the model.
Nothing here touches the network or the store: the caller passes in the
orders and a thread-history lookup, and stores what comes back.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from triage.config import Config
from triage.errors import ConfigError, TemplateError
from triage.mail.parse import parse_message
from triage.orders.csv_import import find_duplicate_orders
from triage.orders.match import match_order
from triage.orders.rank import rank
from triage.records import (
    Extraction,
    IntentResult,
    Order,
    OrderMatch,
    ParsedMessage,
    RawMessage,
    StoredRef,
    Triaged,
    Urgency,
)
from triage.redact import redact_message
from triage.reply.draft import make_draft
from triage.run.guard import WorkTimeout, time_limit
from triage.understand.classify import IntentModel
from triage.understand.extract import extract, missing_details
from triage.understand.followup import is_nudge

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
        history: Callable[[ParsedMessage], tuple[int, tuple[str, ...]]] | None = None,
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
        self.history = history or (lambda p: (0, ()))
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
        mails = [(p.parsed.subject, p.parsed.new_text) for p in prepared]
        return self.model.classify(mails) if mails else []

    def finish(
        self, p: Prepared, intent: IntentResult, now: datetime, batch: dict[str, list[tuple[str, ...]]] | None = None
    ) -> Triaged:
        """The per-message rest; `batch` holds the intents of earlier messages of this batch by thread."""
        if p.error is not None:
            return error_result(p.raw, p.error)
        parsed = p.parsed
        s = self.settings
        follow_ups, earlier = self.history(parsed)
        for key in {thread_key(parsed), (parsed.in_reply_to or "").lower()} - {""}:
            for labels in (batch or {}).get(key, []):
                follow_ups += 1
                earlier += tuple(i for i in labels if i != "other" and i not in earlier)
        flags: list[str] = []
        if follow_ups and earlier and intent.intents == ("other",) and is_nudge(parsed.new_text):
            # "Did you get my email?": the request is the one the thread already made.
            intent = IntentResult(earlier, intent.scores, intent.low_confidence, intent.evidence)
            flags.append("intent_from_thread")
        extraction = extract(parsed, intent.intents, s.extract, now)
        match = match_order(extraction, parsed.from_addr, self.orders.by_number, self.orders.by_email, now)
        received = parsed.date or p.raw.internaldate or now
        if received.tzinfo is None:  # a Date header without a zone: read it as UTC rather than fail
            received = received.replace(tzinfo=UTC)
        urgency = rank(intent, match, received, now, p.redactions, follow_ups, s.orders, s.rank)
        missing = missing_details(intent.intents, extraction, match, s.required)
        twin = self.orders.twins.get(match.order.number) if match.order else None
        if twin is not None and match.order is not None and "duplicate" not in intent.intents:
            # The customer did not say so, but the orders do: same items, placed minutes apart.
            flags.append("likely_duplicate")
            reason = f"order #{match.order.number} looks like a duplicate of #{twin} (same customer and items)"
            urgency = replace(urgency, reasons=(*urgency.reasons, reason))
        if p.redactions:
            flags.append("sensitive_data")
        if intent.low_confidence:
            flags.append("review")
        if parsed.no_reply:
            flags.append(f"no_reply:{parsed.no_reply}")
        if parsed.sender_unverified:  # no sender, so no order by sender and no draft: an agent decides
            flags.append("sender_unverified")
        try:
            draft = make_draft(parsed, intent, extraction, match, missing, p.redactions, s.reply)
        except TemplateError as exc:  # a broken template must not cost the message its triage
            log.warning("no draft for %s uid %s: %s", p.raw.mailbox, p.raw.uid, exc)
            draft = None
            flags.append("draft_error")
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
        )

    def run(self, raws: Sequence[RawMessage]) -> list[Triaged]:
        """Triage a batch: per-message parse/redact, one batched model call, then the per-message rest."""
        prepared = [self.prepare(r) for r in raws]
        ok = [p for p in prepared if p.error is None]
        intents = dict(zip((id(p) for p in ok), self.classify(ok), strict=True))
        now = self.clock()
        out: list[Triaged] = []
        threads: dict[str, list[tuple[str, ...]]] = {}
        for p in prepared:
            try:
                result = self.finish(p, intents.get(id(p), NO_INTENT), now, threads)
                out.append(result)
                if result.status == "ok" and result.parsed.no_reply is None:
                    for key in {thread_key(result.parsed), (result.parsed.message_id or "").lower()} - {""}:
                        threads.setdefault(key, []).append(result.intent.intents)
            except Exception as exc:  # a bug in a later stage still leaves a row, never a lost message
                log.warning("triage failed for %s uid %s: %s", p.raw.mailbox, p.raw.uid, type(exc).__name__)
                out.append(error_result(p.raw, f"triage failed: {type(exc).__name__}: {exc}"[:300], p.parsed))
        return out


NO_INTENT = IntentResult(intents=(), scores={}, low_confidence=False)


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
        received_at=(parsed.date if parsed else None) or raw.internaldate,
    )
