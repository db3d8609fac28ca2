"""The one adapter between the store and the pages: conversations in the `queue --json` / `show --json` shape.

The pages read only what these functions return: the contract's keys (id,
customer, subject, intents, withdrawn, order, urgency, reasons, deadline,
state, flags, messages; `show` adds draft and the messages' texts) plus a few
extras the conversation page shows. The store serves conversations (issue 15);
this file maps them onto what the pages read.

Filtering, search and paging are the store's SQL; this file only shapes one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.orders.csv_import import find_duplicate_orders
from triage.records import Order
from triage.store import Conversation, ConversationDetail, QueueFilter, Store

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    intent: str = ""
    stage: str = ""
    state: str = "open"  # "open", "done" or "all"
    assignee: str = ""  # a user name, "-" for nobody
    q: str = ""  # order number, e-mail address or text
    page: int = 1


@dataclass(frozen=True)
class Page:
    conversations: list[dict[str, Any]]
    total: int  # how many conversations match, on every page
    page: int
    pages: int


# The pipeline's flag names as the contract spells them.
_FLAG_NAMES = {"sensitive_data": "sensitive_removed", "review": "low_confidence"}


def _flags(flags: tuple[str, ...], redactions: dict[str, int], low_confidence: bool, status: str) -> list[str]:
    out = [_FLAG_NAMES.get(f, f) for f in flags]
    if redactions:
        out.append("sensitive_removed")
    if low_confidence:
        out.append("low_confidence")
    if status == "error":
        out.append("unreadable")
    return list(dict.fromkeys(out))


def from_row(row: Conversation) -> dict[str, Any]:
    """A stored conversation as the pages read it: the contract's object plus its stage."""
    out = row.to_json()
    out["reasons"] = list(row.reasons) or ([row.error] if row.error else [])
    out["flags"] = _flags(row.flags, row.redactions, row.low_confidence, row.status)
    return out


def queue_page(store: Store, f: Filters, per_page: int = PER_PAGE) -> Page:
    """Conversations most urgent first, filtered, one page of them: filters, search and paging are the
    store's SQL (`Store.queue_slice`): only the page's conversations are read in full, not every open one."""
    wanted = QueueFilter(intent=f.intent, stage=f.stage, state=f.state, assignee=f.assignee, search=f.q)
    page = max(1, f.page)
    found = store.queue_slice(wanted, per_page, (page - 1) * per_page)
    pages = max(1, -(-found.total // per_page))
    if page > pages:  # a page past the end (the queue shrank since the link was made): show the last one
        page = pages
        found = store.queue_slice(wanted, per_page, (page - 1) * per_page)
    chunk = [from_row(r) for r in found.conversations]
    for c in chunk:
        c["assignee"] = found.assignees.get(c["id"])
    return Page(chunk, found.total, page, pages)


# What a follow-up kind means, for the thread's labels.
FOLLOW_UP = {
    "chaser": "chaser: asks again about the same request",
    "retraction": "retraction: withdraws an earlier request",
    "replacement": "replacement: asks for something else instead",
}


def conversation(store: Store, conv_id: int, window_minutes: int = 60) -> dict[str, Any] | None:
    """One conversation in full: the contract's keys, the draft, the messages' texts, and the page's extras.
    `window_minutes` is `[orders] duplicate_window_minutes`, for the likely duplicate shown beside the order."""
    detail = store.conversation(conv_id)
    if detail is None:
        return None
    return _from_detail(store, detail, window_minutes)


def _order_panel(store: Store, c: Conversation, window_minutes: int) -> dict[str, Any] | None:
    """The matched order with its items, total and placing time; with `twin`, the likely duplicate order
    (same customer and items, placed minutes apart) when the conversation is flagged likely_duplicate."""
    if not c.order_number:
        return None
    out: dict[str, Any] = {"number": c.order_number, "stage": c.stage}
    full = store.order(c.order_number)
    if full is None:
        return out

    def shown(o: Order) -> dict[str, str]:
        return {
            "number": o.number,
            "stage": o.stage,
            "items": ", ".join(o.items),
            "total": o.total or "",
            "placed": o.created_at.isoformat(sep=" ", timespec="minutes") if o.created_at else "",
        }

    out.update(shown(full), stage=c.stage, inferred="yes" if c.match_how == "email_inferred" else "")
    if "likely_duplicate" in c.flags and full.email:
        orders = store.customer_orders(full.email)
        for a, b in find_duplicate_orders(orders, window_minutes):
            if c.order_number in (a, b):
                other = next((o for o in orders if o.number == (b if a == c.order_number else a)), None)
                if other is not None:
                    out["twin"] = shown(other)
                break
    return out


def _thread(c: Conversation, facts: dict[int, Any], withdrawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages oldest first, each with its intents (struck through where a later message withdrew them),
    the sentence behind each intent, its follow-up kind, arrival time and date_off flag."""
    by_mid = {m.to_json()["message_id"]: i for i, m in enumerate(c.messages) if m.message_id}
    # intent -> position of the message that withdrew it (a conversation's withdrawals are the standing ones)
    pulled = {w["intent"]: by_mid.get(w.get("message_id"), len(c.messages)) for w in withdrawn}
    out = []
    for i, m in enumerate(c.messages):
        f = facts.get(m.id)
        # the clause behind each intent: the triage row's (schema 5), else what the message's facts kept
        evidence = dict(m.evidence) or (dict(f.evidence) if f else {})
        out.append(
            {
                "id": m.id,
                "message_id": m.to_json()["message_id"] or "",
                "received_at": m.received_at,
                "intents": [
                    {"intent": x, "withdrawn": x in pulled and pulled[x] > i, "evidence": evidence.get(x, "")}
                    for x in m.intents
                ],
                "withdraws": [w["intent"] for w in withdrawn if by_mid.get(w.get("message_id")) == i]
                or [x for x in (f.withdraws if f else ()) if x != "*"],
                "follow_up": m.follow_up or "",
                "follow_up_text": FOLLOW_UP.get(m.follow_up or "", m.follow_up or ""),
                "date_off": bool(f.date_off) if f else "date_off" in m.flags,
                "from": m.from_addr or "",
                "text": m.text or "",
                "quoted_text": "",
                "position": i + 1,
            }
        )
    return out


def _from_detail(store: Store, detail: ConversationDetail, window_minutes: int = 60) -> dict[str, Any]:
    c = detail.conversation
    draft = detail.draft
    first = store.item(c.messages[0].id) if c.messages else None
    last = store.item(c.messages[-1].id) if c.messages else None
    updated = store.db.execute("SELECT updated_at FROM drafts WHERE id = ?", [draft.id]).fetchone() if draft else None
    facts = store.message_facts(c.id)
    withdrawn = [dict(w) for w in c.to_json()["withdrawn"]]
    messages = _thread(c, facts, withdrawn)
    by_mid = {m["message_id"]: m for m in messages if m["message_id"]}
    for w in withdrawn:
        by = by_mid.get(w.get("message_id") or "")
        w["by"] = by["position"] if by else None
        w["by_id"] = by["id"] if by else None
        w["by_at"] = by["received_at"] if by else ""
    evidence: dict[str, str] = {}
    for m in messages:  # the latest sentence for each intent that stands
        for x in m["intents"]:
            if x["evidence"] and x["intent"] in c.intents:
                evidence[x["intent"]] = x["evidence"]
    return {
        "id": c.id,
        "customer": c.customer,
        "customer_name": (first.from_name if first else "") or "",
        "subject": c.subject,
        "intents": list(c.intents),
        "withdrawn": withdrawn,
        "evidence": evidence,
        "scores": dict(last.scores) if last else {},
        "order": _order_panel(store, c, window_minutes),
        "urgency": c.urgency,
        "reasons": list(c.reasons) or ([c.error] if c.error else []),
        "deadline": c.deadline,
        "state": c.state,
        "flags": _flags(c.flags, c.redactions, c.low_confidence, c.status),
        "missing": list(c.missing),
        "redactions": dict(c.redactions),
        "stage": c.stage,
        "messages": messages,
        "draft": {"to": draft.to, "subject": draft.subject, "body": draft.body} if draft else None,
        "draft_updated_at": updated[0] if updated else "",
        "events": [{"at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail or ""} for e in detail.events],
    }


def save_draft(store: Store, conv_id: int, body: str, actor: str) -> None:
    """An agent's edit of the conversation's draft (the caller checked it is safe to keep)."""
    store.update_conversation_draft(conv_id, body, actor)


def set_state(store: Store, conv_id: int, state: str, actor: str) -> None:
    store.set_conversation_state(conv_id, state, actor)


def last_draft_editor(conv: dict[str, Any]) -> str:
    """Who saved the draft last (the audit log's latest draft edit), "" when only triage wrote it."""
    edits = [e for e in conv["events"] if e["action"] == "draft_edited"]
    return edits[-1]["actor"] if edits else ""
