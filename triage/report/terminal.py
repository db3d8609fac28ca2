"""How the queue and one item look to a support agent in a terminal (tables for people; --json elsewhere)."""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime

from triage.store import Item, MailboxState, QueueRow
from triage.store.codec import parse_time


def ago(when: str | datetime | None, now: datetime) -> str:
    """How long before `now` (a stored ISO-8601 text or a time), compactly; "-" for never."""
    if not when:
        return "-"
    then = parse_time(when) if isinstance(when, str) else when
    return compact_duration((now - then).total_seconds())


def compact_duration(seconds: float) -> str:
    s = int(abs(seconds))
    if s < 60:
        text = f"{s}s"
    elif s < 3600:
        text = f"{s // 60}m"
    elif s < 86400:
        text = f"{s // 3600}h{(s % 3600) // 60:02d}m"
    else:
        text = f"{s // 86400}d{(s % 86400) // 3600}h"
    return text if seconds >= 0 else "-" + text


def deadline_text(iso: str | None, now: datetime) -> str:
    if not iso:
        return ""
    left = (datetime.fromisoformat(iso) - now).total_seconds()
    return f"in {compact_duration(left)}" if left >= 0 else f"overdue {compact_duration(-left)}"


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def queue_table(rows: list[QueueRow], now: datetime, health: list[MailboxState]) -> str:
    # Fit the reasons to a terminal; piped into a file or a pager, keep them whole.
    width = shutil.get_terminal_size((140, 40)).columns if sys.stdout.isatty() else 10_000
    lines = [_health_line(h, datetime.now(UTC)) for h in health]  # the heartbeat is wall-clock, never pinned
    if not rows:
        lines.append("The queue is empty.")
        return "\n".join(lines)
    head = f"{'#':>3} {'ID':>5} {'SCORE':>5}  {'INTENTS':<22} {'ORDER':<7} {'STAGE':<15} {'CUSTOMER':<26} {'AGE':>6}  "
    head += f"{'DEADLINE':<14} REASONS"
    lines.append(head)
    fixed = len(head) - len("REASONS")
    for rank, r in enumerate(rows, 1):
        if r.status == "error":
            intents, reasons = "ERROR", r.error or ""
        else:
            intents = ",".join(r.intents) or "-"
            marks = ("!" if r.redactions else "") + ("?" if r.low_confidence else "")
            intents = (marks + " " + intents).strip()
            reasons = "; ".join(r.reasons)
        order = "#" + r.order_number if r.order_number else "-"
        if r.match_how == "email_inferred":
            order += "*"
        customer = _clip(r.from_addr or "-", 26)
        stage = _clip(r.stage or "unknown", 15)
        age = ago(r.received_at, now)
        deadline = _clip(deadline_text(r.deadline, now), 14)
        lines.append(
            f"{rank:>3} {r.id:>5} {r.urgency or 0:>5}  {_clip(intents, 22):<22} {_clip(order, 7):<7} "
            f"{stage:<15} {customer:<26} {age:>6}  {deadline:<14} {_clip(reasons, max(20, width - fixed))}"
        )
    lines.append(f"{len(rows)} open item(s).  ! sensitive data removed   ? low confidence, check   * order inferred")
    return "\n".join(lines)


def _health_line(h: MailboxState, now: datetime) -> str:
    text = f"{h.mailbox}: last poll {ago(h.last_poll_at, now)} ago"
    if h.last_error:
        text += f"; last error {ago(h.last_error_at, now)} ago: {_clip(h.last_error, 80)}"
    return text


def item_text(item: Item, now: datetime) -> str:
    out = [
        f"ID {item.id}  [{item.state}]  status {item.status}" + (f": {item.error}" if item.error else ""),
        f"From:     {item.from_name or ''} <{item.from_addr or ''}>",
        f"Subject:  {item.subject or ''}",
        f"Received: {item.received_at or '-'} ({ago(item.received_at, now)} ago)",
        f"Source:   {item.mailbox} UIDVALIDITY {item.uidvalidity} UID {item.uid}",
    ]
    if item.no_reply:
        out.append(f"No reply: {item.no_reply}")
    scores = sorted(item.scores.items(), key=lambda kv: -kv[1])
    out.append(
        "Intents:  " + (", ".join(item.intents) or "-") + "   (" + ", ".join(f"{k} {v:.2f}" for k, v in scores) + ")"
    )
    for intent, clause in item.evidence.items():
        out.append(f'Why:      {intent}: "{_clip(" ".join(clause.split()), 100)}"')
    order = item.order_number
    out.append(f"Order:    {'#' + order if order else '-'} ({item.match_how}), stage {item.stage}")
    out.append(f"Urgency:  {item.urgency}  deadline {deadline_text(item.deadline, now) or '-'}")
    for reason in item.reasons:
        out.append(f"          - {reason}")
    if item.redactions:
        out.append("Removed:  " + ", ".join(f"{k} x{v}" for k, v in item.redactions.items()))
    if item.missing:
        out.append("Missing:  " + ", ".join(item.missing))
    extraction = {k: v for k, v in item.extraction.items() if v}
    if extraction:
        out.append("Found:    " + "; ".join(f"{k}: {v}" for k, v in extraction.items()))
    if item.attachments:
        out.append("Attached: " + ", ".join(f"{a.filename} ({a.content_type}, {a.size} B)" for a in item.attachments))
    out += ["", item.text or ""]
    if item.quoted_text:
        out += ["", "--- quoted history ---", item.quoted_text]
    draft = item.draft
    if draft:
        out += ["", f"--- draft reply to {draft.to_addr} ---", f"Subject: {draft.subject}", "", draft.body]
    out += ["", "--- history ---"] + [f"{e.at}  {e.actor}: {e.action} {e.detail or ''}" for e in item.events]
    return "\n".join(out)
