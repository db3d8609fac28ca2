"""The one adapter between the store and the pages: conversations in the `queue --json` / `show --json` shape.

The pages read only what these functions return: the contract's keys (id,
customer, subject, intents, withdrawn, order, urgency, reasons, deadline,
state, flags, messages; `show` adds draft and the messages' texts) plus a few
extras the conversation page shows. The store serves conversations (issue 15);
this file maps them onto what the pages read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.store import Conversation, ConversationDetail, Store

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


def from_row(row: Conversation) -> dict[str, Any]:
    """A stored conversation as the pages read it: the contract's object plus its stage."""
    out = row.to_json()
    out["reasons"] = list(row.reasons) or ([row.error] if row.error else [])
    out["flags"] = _flags(row.flags, row.redactions, row.low_confidence, row.status)
    return out


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
    detail = store.conversation(conv_id)
    if detail is None:
        return None
    return _from_detail(store, detail)


def _from_detail(store: Store, detail: ConversationDetail) -> dict[str, Any]:
    c = detail.conversation
    draft = detail.draft
    order = c.order
    if order is not None:
        full = next((o for o in store.orders() if o.number == c.order_number), None)
        if full is not None:
            order.update(
                items=", ".join(full.items),
                total=full.total or "",
                placed=full.created_at.isoformat(timespec="minutes") if full.created_at else "",
                inferred="yes" if c.match_how == "email_inferred" else "",
            )
    first = store.item(c.messages[0].id) if c.messages else None
    last = store.item(c.messages[-1].id) if c.messages else None
    updated = store.db.execute("SELECT updated_at FROM drafts WHERE id = ?", [draft.id]).fetchone() if draft else None
    return {
        "id": c.id,
        "customer": c.customer,
        "customer_name": (first.from_name if first else "") or "",
        "subject": c.subject,
        "intents": list(c.intents),
        "withdrawn": [dict(w) for w in c.to_json()["withdrawn"]],
        "evidence": {},
        "scores": dict(last.scores) if last else {},
        "order": order,
        "urgency": c.urgency,
        "reasons": list(c.reasons) or ([c.error] if c.error else []),
        "deadline": c.deadline,
        "state": c.state,
        "flags": _flags(c.flags, c.redactions, c.low_confidence, c.status),
        "missing": list(c.missing),
        "redactions": dict(c.redactions),
        "stage": c.stage,
        "messages": [
            {
                "message_id": m.to_json()["message_id"] or "",
                "received_at": m.received_at,
                "intents": list(m.intents),
                "from": m.from_addr or "",
                "text": m.text or "",
                "quoted_text": "",
            }
            for m in c.messages
        ],
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
