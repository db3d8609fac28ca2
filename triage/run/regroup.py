"""At the first start after the upgrade to conversations: group the messages an older triage stored.

Each stored message is threaded as ingest would thread it (In-Reply-To and the stored thread root, else
sender and subject within 14 days), in arrival order; its stored triage becomes its facts; each
conversation is then folded and ranked once. A second delivery of a Message-ID becomes a duplicate.
"""

from __future__ import annotations

import logging
from datetime import datetime

from triage.conversation.state import fold, settle
from triage.conversation.threading import BatchOverlay, thread
from triage.records import ConversationRef, Extraction, MessageFacts, ThreadKeys
from triage.run.pipeline import OrderBook
from triage.settings import StageSettings
from triage.store import Store
from triage.store.conversations import Regrouped, StoredMessage
from triage.text import thread_subject
from triage.understand.followup import follow_up_kind

log = logging.getLogger("triage.run.regroup")


def _keys(m: StoredMessage) -> ThreadKeys:
    refs = [r.strip().lower() for r in (m.in_reply_to or "", m.thread_key or "") if r and r.strip()]
    return ThreadKeys(
        message_key=m.fingerprint,
        message_id=(m.message_id or "").strip().lower() or None,
        refs=tuple(dict.fromkeys(r for r in refs if not r.startswith(("mid:", "sha256:")))),
        customer=m.from_addr,
        subject=thread_subject(m.subject),
        received_at=m.received_at,
        automated=m.no_reply is not None,
    )


def _details(stored: dict[str, object]) -> Extraction:
    known = set(Extraction.__dataclass_fields__)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in known}
    return Extraction(**values)  # type: ignore[arg-type]


def regroup(store: Store, settings: StageSettings, orders: OrderBook, now: datetime) -> int:
    """Group every message without a conversation; returns how many conversations it made."""
    overlay = BatchOverlay(store)
    members: dict[str, list[tuple[StoredMessage, MessageFacts | None, str]]] = {}
    refs: dict[str, ConversationRef] = {}
    for m in store.ungrouped_messages():
        if m.status == "error":
            key = f"msg:{m.id}"
            refs[key] = ConversationRef(key, None, m.from_addr, thread_subject(m.subject), "open")
            members[key] = [(m, None, m.status)]
            continue
        keys = _keys(m)
        conv = thread(keys, overlay)
        if conv.how == "duplicate":
            members.setdefault(conv.key, []).append((m, None, "duplicate"))
            continue
        kind, withdraws = follow_up_kind(m.text) if conv.how != "new" else (None, ())
        facts = MessageFacts(
            message_key=keys.message_key,
            message_id=keys.message_id,
            received_at=m.received_at,
            intents=m.intents,
            details=_details(m.extraction),
            follow_up=kind,
            withdraws=withdraws,
            redactions=m.redactions,
            low_confidence=m.low_confidence,
        )
        reopened = conv.state == "done" and not keys.automated and conv.how != "new"
        state = "open" if m.state == "open" or reopened else conv.state
        overlay.add(ConversationRef(conv.key, None, conv.customer, conv.subject, state), keys, facts)
        refs[conv.key] = overlay.conversation_of_message(keys.message_key) or conv
        members.setdefault(conv.key, []).append((m, None if keys.automated else facts, "ok"))
    out: list[Regrouped] = []
    for key, group in members.items():
        first = group[0][0]
        folded = [f for _, f, status in group if f is not None and status == "ok"]
        ref = refs.get(key)
        if not folded:
            automated = first.no_reply if first.status != "error" else None
            out.append(_plain(key, group, first, automated))
            continue
        st = fold(folded)
        scores = {k: v for m, _, _ in group for k, v in m.scores.items()}
        settled = settle(st, scores, first.from_addr, orders.by_number, orders.by_email, now, settings)
        open_now = any(m.state == "open" and s == "ok" for m, _, s in group) or (
            ref is not None and ref.state == "open"
        )
        flags = [
            f
            for f, on in (
                ("sensitive_removed", st.redactions),
                ("low_confidence", st.low_confidence),
                ("chased", st.chasers),
            )
            if on
        ]
        order = settled.match.order
        out.append(
            Regrouped(
                key=key,
                customer=first.from_addr,
                subject=first.subject,
                thread_subject=thread_subject(first.subject),
                state="open" if open_now else "done",
                status="ok",
                opened_at=st.first_at,
                last_at=st.last_at,
                automated=None,
                messages=tuple((m.id, f, s) for m, f, s in group),
                intents=st.intents,
                withdrawn=tuple(
                    {"intent": w.intent, "message_id": w.message_id, "reason": w.reason} for w in st.withdrawn
                ),
                order_number=order.number if order else None,
                match_how=settled.match.how,
                stage=order.stage if order else "unknown",
                urgency=settled.urgency.score,
                reasons=settled.urgency.reasons,
                deadline=settled.urgency.deadline,
                missing=settled.missing,
                flags=tuple(flags),
                redactions=st.redactions,
                low_confidence=st.low_confidence,
            )
        )
    store.save_regrouped(out)
    log.info("grouped stored messages into %d conversation(s)", len(out))
    return len(out)


def _plain(
    key: str, group: list[tuple[StoredMessage, MessageFacts | None, str]], first: StoredMessage, automated: str | None
) -> Regrouped:
    """A conversation with nothing to fold: an unreadable message, or automated mail."""
    return Regrouped(
        key=key,
        customer=first.from_addr,
        subject=first.subject,
        thread_subject=thread_subject(first.subject),
        state=first.state,
        status=first.status,
        opened_at=first.received_at,
        last_at=first.received_at,
        automated=automated,
        messages=tuple((m.id, None, s) for m, _, s in group),
        intents=first.intents,
        withdrawn=(),
        order_number=None,
        match_how="none",
        stage="unknown",
        urgency=0,
        reasons=(),
        deadline=None,
        missing=(),
        flags=(),
        redactions=first.redactions,
        low_confidence=first.low_confidence,
    )
