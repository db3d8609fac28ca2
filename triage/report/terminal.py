"""How the queue and one item look to a support agent in a terminal (tables for people; --json elsewhere)."""

from __future__ import annotations

from datetime import datetime

from triage.report.term_layout import Term, clip, queue_columns, queue_styler, table
from triage.store import Conversation, ConversationDetail, MailboxState
from triage.store.codec import parse_time
from triage.store.conversation_rows import bracketed


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


def queue_table(rows: list[Conversation], now: datetime, health: list[MailboxState], term: Term | None = None) -> str:
    """The conversation queue, most urgent first, fitted to `term` (see term_layout): whole lines in a pipe."""
    term = term or Term()
    lines = [term.fit(_health_line(h, now)) for h in health]  # heartbeats are stamped with `now`'s clock
    if not rows:
        lines.append("The queue is empty.")
        return "\n".join(lines)
    cells, reasons = zip(*(_queue_cells(rank, r, now) for rank, r in enumerate(rows, 1)), strict=True)
    names = {h.name or h.mailbox for h in health} | {r.mailbox_name or r.mailbox or "" for r in rows}
    lines += table(queue_columns(len(names - {""}) > 1), cells, reasons, term, queue_styler(term))
    legend = (
        f"{len(rows)} open conversation(s).  ! sensitive data removed   ? low confidence, check   * order inferred"
        "   -x withdrawn   @ customer wrote again after your draft"
    )
    lines += term.wrap(legend)
    return "\n".join(lines)


def _queue_cells(rank: int, r: Conversation, now: datetime) -> tuple[dict[str, str], str]:
    """One conversation as named cells (QUEUE_COLUMNS' keys) and its reasons."""
    if r.status == "error":
        # retriage takes message numbers, which are not the conversation IDs this table shows: name them
        rows = " ".join(str(m.id) for m in r.messages if m.status == "error")
        intents, reasons = "ERROR", (r.error or "") + (f"; after a fix: triage retriage {rows}" if rows else "")
    else:
        agent_draft = "customer_wrote_after_draft" in r.flags
        marks = ("!" if r.redactions else "") + ("?" if r.low_confidence else "") + ("@" if agent_draft else "")
        intents = ",".join(r.intents) or "-"
        if r.withdrawn:
            intents += " -" + ",".join(str(w.get("intent")) for w in r.withdrawn)
        intents = (marks + " " + intents).strip()
        reasons = "; ".join(r.reasons)
        if agent_draft:
            reasons = "customer wrote again after your draft; " + reasons
    order = ("#" + r.order_number if r.order_number else "-") + ("*" if r.match_how == "email_inferred" else "")
    cells = {
        "rank": str(rank),
        "id": str(r.id),
        "score": str(r.urgency or 0),
        "intents": intents,
        "order": order,
        "stage": r.stage or "unknown",
        "customer": r.customer or "-",
        "mailbox": r.mailbox_name or r.mailbox or "-",
        "msgs": str(len(r.messages)),
        "age": ago(r.opened_at, now),
        "deadline": deadline_text(r.deadline, now),
    }
    return cells, reasons


def _health_line(h: MailboxState, now: datetime) -> str:
    text = f"{h.name or h.mailbox}: last poll {ago(h.last_poll_at, now)} ago"
    if h.last_error:
        text += f"; last error {ago(h.last_error_at, now)} ago: {clip(h.last_error, 80)}"
    return text


def conversation_text(detail: ConversationDetail, now: datetime) -> str:
    """One conversation in full: its requests (standing and withdrawn), order, urgency, messages, draft, history."""
    c = detail.conversation
    out = [
        f"Conversation {c.id}  [{c.state}]  status {c.status}" + (f": {c.error}" if c.error else ""),
        f"Customer: {c.customer or '-'}",
        f"Subject:  {c.subject}",
        f"Opened:   {c.opened_at or '-'} ({ago(c.opened_at, now)} ago), last message {ago(c.last_at, now)} ago",
        "Requests: " + (", ".join(c.intents) or "-"),
    ]
    for w in c.withdrawn:
        by = bracketed(w.get("message_id")) or "a later message"
        out.append(f"Withdrawn: {w.get('intent')} ({w.get('reason')}) by {by}")
    if c.automated:
        out.append(f"No reply: {c.automated}")
    out.append(f"Order:    {'#' + c.order_number if c.order_number else '-'} ({c.match_how}), stage {c.stage}")
    out.append(f"Urgency:  {c.urgency}  deadline {deadline_text(c.deadline, now) or '-'}")
    out += [f"          - {reason}" for reason in c.reasons]
    if c.flags:
        out.append("Flags:    " + ", ".join(c.flags))
    if "customer_wrote_after_draft" in c.flags:
        out.append("          the customer wrote again after your draft: check it before sending")
    if "draft_before_relabel" in c.flags:
        out.append("          the draft was written before the requests were corrected: check it before sending")
    if c.redactions:
        out.append("Removed:  " + ", ".join(f"{k} x{v}" for k, v in c.redactions.items()))
    if c.missing:
        out.append("Missing:  " + ", ".join(c.missing))
    for i, m in enumerate(c.messages, 1):
        kind = f" [{m.follow_up}]" if m.follow_up else ""
        if "date_off" in m.flags:
            kind += " [its Date header is days off the arrival time]"
        out += [
            "",
            f"--- message {i} of {len(c.messages)} (#{m.id}){kind}: {m.received_at or '-'} "
            f"from {m.from_addr or '-'} ---",
            f"Subject:  {m.subject or ''}",
            "Intents:  " + (", ".join(m.intents) or "-"),
            *(f'Why:      {i}: "{clip(" ".join(c.split()), 100)}"' for i, c in m.evidence.items()),
            "",
            m.text or "",
        ]
    d = detail.draft
    if d:
        who = "edited by an agent" if d.edited else "written by triage"
        if detail.draft_in_folder:
            who = "triage's text; an agent's version is kept in the Drafts folder: open it there"
        out += ["", f"--- draft reply to {d.to} ({who}) ---", f"Subject: {d.subject}", "", d.body]
    out += ["", "--- history ---"] + [f"{e.at}  {e.actor}: {e.action} {e.detail or ''}" for e in detail.events]
    return "\n".join(out)
