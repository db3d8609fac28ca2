"""How the queue and one item look to a support agent in a terminal (tables for people; --json elsewhere)."""

from __future__ import annotations

from datetime import datetime

from triage.report.term_layout import QUEUE_COLUMNS, Term, clip, queue_styler, table
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


def queue_table(rows: list[QueueRow], now: datetime, health: list[MailboxState], term: Term | None = None) -> str:
    """The queue, most urgent first, fitted to `term` (see term_layout): whole lines in a pipe."""
    term = term or Term()
    lines = [term.fit(_health_line(h, now)) for h in health]  # heartbeats are stamped with `now`'s clock
    if not rows:
        lines.append("The queue is empty.")
        return "\n".join(lines)
    cells, reasons = zip(*(_queue_cells(rank, r, now) for rank, r in enumerate(rows, 1)), strict=True)
    lines += table(QUEUE_COLUMNS, cells, reasons, term, queue_styler(term))
    legend = f"{len(rows)} open item(s).  ! sensitive data removed   ? low confidence, check   * order inferred"
    lines += term.wrap(legend)
    return "\n".join(lines)


def _queue_cells(rank: int, r: QueueRow, now: datetime) -> tuple[dict[str, str], str]:
    """One queue row as named cells (QUEUE_COLUMNS' keys) and its reasons."""
    if r.status == "error":
        intents, reasons = "ERROR", r.error or ""
    else:
        marks = ("!" if r.redactions else "") + ("?" if r.low_confidence else "")
        intents = (marks + " " + (",".join(r.intents) or "-")).strip()
        reasons = "; ".join(r.reasons)
    order = ("#" + r.order_number if r.order_number else "-") + ("*" if r.match_how == "email_inferred" else "")
    cells = {
        "rank": str(rank),
        "id": str(r.id),
        "score": str(r.urgency or 0),
        "intents": intents,
        "order": order,
        "stage": r.stage or "unknown",
        "customer": r.from_addr or "-",
        "age": ago(r.received_at, now),
        "deadline": deadline_text(r.deadline, now),
    }
    return cells, reasons


def _health_line(h: MailboxState, now: datetime) -> str:
    text = f"{h.mailbox}: last poll {ago(h.last_poll_at, now)} ago"
    if h.last_error:
        text += f"; last error {ago(h.last_error_at, now)} ago: {clip(h.last_error, 80)}"
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
