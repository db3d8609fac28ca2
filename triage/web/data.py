"""The one adapter between the store and the pages: conversations in the `queue --json` / `show --json` shape.

The pages read only what these functions return: the contract's keys (id,
customer, subject, intents, withdrawn, order, urgency, reasons, deadline,
state, flags, messages; `show` adds draft and the messages' texts) plus a few
extras the conversation page shows. Today the store keeps one queue row per
message, so each message is a conversation of one; when the store serves
conversations, this file is the only one to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.store import Item, QueueRow, Store

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
    total: int | None  # None: more than this page shows (counting them all would cost the read it saves)
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


def _order(number: str | None, stage: str) -> dict[str, str] | None:
    return {"number": number, "stage": stage} if number else None


def from_row(row: QueueRow) -> dict[str, Any]:
    """A queue row (one message) as a conversation of one."""
    return {
        "id": row.id,
        "customer": (row.from_addr or "").lower(),
        "subject": row.subject or "",
        "intents": list(row.intents),
        "withdrawn": [],
        "order": _order(row.order_number, row.stage),
        "urgency": row.urgency or 0,
        "reasons": list(row.reasons) or ([row.error] if row.error else []),
        "deadline": row.deadline,
        "state": row.state,
        "flags": _flags(row.flags, row.redactions, row.low_confidence, row.status),
        "messages": [{"message_id": "", "received_at": row.received_at, "intents": list(row.intents)}],
        "stage": row.stage or "unknown",
    }


def _matches(conv: dict[str, Any], f: Filters, assignees: dict[int, str]) -> bool:
    if f.intent and f.intent not in conv["intents"]:
        return False
    if f.stage and f.stage != conv["stage"]:
        return False
    if f.assignee:
        who = assignees.get(conv["id"])
        if (f.assignee == "-" and who) or (f.assignee != "-" and who != f.assignee):
            return False
    if f.q:
        q = f.q.strip().lower().lstrip("#")
        order = conv["order"]["number"] if conv["order"] else ""
        haystack = " ".join([conv["customer"], conv["subject"], *conv["reasons"]]).lower()
        if q != order and q not in haystack:
            return False
    return True


def queue_page(store: Store, f: Filters, per_page: int = PER_PAGE) -> Page:
    """Conversations most urgent first, filtered, one page of them.

    Unfiltered open pages read only the rows up to the page (and one more, to know there is a next):
    `total` is then None, "more than shown". A filter reads every row and filters here, which a
    store-side filtered read will replace.
    """
    if f == Filters(page=f.page):
        page = max(1, f.page)
        head = store.queue(limit=page * per_page + 1)
        assignees = store.assignees()
        chunk = [from_row(r) for r in head[(page - 1) * per_page : page * per_page]]
        for c in chunk:
            c["assignee"] = assignees.get(c["id"])
        more = len(head) > page * per_page
        return Page(chunk, None if more else (page - 1) * per_page + len(chunk), page, page + 1 if more else page)
    rows = store.queue(include_done=f.state != "open")
    convs = [from_row(r) for r in rows if f.state in ("open", "all") or r.state == f.state]
    assignees = store.assignees()
    found = [c for c in convs if _matches(c, f, assignees)]
    pages = max(1, -(-len(found) // per_page))
    page = min(max(1, f.page), pages)
    chunk = found[(page - 1) * per_page : page * per_page]
    for c in chunk:
        c["assignee"] = assignees.get(c["id"])
    return Page(chunk, len(found), page, pages)


def conversation(store: Store, conv_id: int) -> dict[str, Any] | None:
    """One conversation in full: the contract's keys, the draft, the messages' texts, and the page's extras."""
    item = store.item(conv_id)
    if item is None:
        return None
    return _from_item(store, item)


def _from_item(store: Store, item: Item) -> dict[str, Any]:
    draft = item.draft
    order = _order(item.order_number, item.stage)
    if order is not None:
        full = next((o for o in store.orders() if o.number == item.order_number), None)
        if full is not None:
            order.update(
                items=", ".join(full.items),
                total=full.total or "",
                placed=full.created_at.isoformat(timespec="minutes") if full.created_at else "",
                inferred="yes" if item.match_how == "email_inferred" else "",
            )
    return {
        "id": item.id,
        "customer": (item.from_addr or "").lower(),
        "customer_name": item.from_name or "",
        "subject": item.subject or "",
        "intents": list(item.intents),
        "withdrawn": [],
        "evidence": {},
        "scores": dict(item.scores),
        "order": order,
        "urgency": item.urgency or 0,
        "reasons": list(item.reasons) or ([item.error] if item.error else []),
        "deadline": item.deadline,
        "state": item.state,
        "flags": _flags(item.flags, item.redactions, item.low_confidence, item.status),
        "missing": list(item.missing),
        "redactions": dict(item.redactions),
        "messages": [
            {
                "message_id": item.message_id or "",
                "received_at": item.received_at,
                "intents": list(item.intents),
                "from": item.from_addr or "",
                "text": item.text or "",
                "quoted_text": item.quoted_text or "",
            }
        ],
        "draft": {"to": draft.to_addr, "subject": draft.subject, "body": draft.body} if draft else None,
        "draft_updated_at": draft.updated_at if draft else "",
        "events": [{"at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail or ""} for e in item.events],
    }


def save_draft(store: Store, conv_id: int, body: str, actor: str) -> None:
    """An agent's edit of the conversation's draft (the caller checked it is safe to keep)."""
    store.update_draft_body(conv_id, body, actor)


def set_state(store: Store, conv_id: int, state: str, actor: str) -> None:
    store.set_state(conv_id, state, actor)


def last_draft_editor(conv: dict[str, Any]) -> str:
    """Who saved the draft last (the audit log's latest draft edit), "" when only triage wrote it."""
    edits = [e for e in conv["events"] if e["action"] == "draft_edited"]
    return edits[-1]["actor"] if edits else ""
