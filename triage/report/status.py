"""`triage status`: each mailbox's heartbeat, backlog and last error, as one line each or as JSON.

A mailbox is `failing` when its last attempt ended in an error, `stale` when nothing
(no poll, no IDLE wake) was heard from it for longer than `stale_after` seconds or it
was never polled, else `ok`. Ages use the clock the store stamped the heartbeats with.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from triage.report.terminal import compact_duration
from triage.store import MailboxState


@dataclass(frozen=True)
class MailboxStatus:
    """One mailbox as `status` reports it; the fields are the keys of `status --json`, in order."""

    name: str
    source: str  # the store key: imap://user@host:port/folder, or kind:path
    state: str  # "ok", "failing" or "stale"
    heartbeat_at: str | None  # the last poll or IDLE wake, successful or not
    heartbeat_age_seconds: int | None
    last_success_at: str | None
    backlog: int  # messages seen but not triaged, plus open error rows
    errors: int  # open error rows (`triage retriage --errors` re-runs them)
    last_error: str | None
    last_error_at: str | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def mailbox_status(
    name: str, key: str, state: MailboxState | None, errors: int, now: datetime, stale_after: float
) -> MailboxStatus:
    """What one configured mailbox's heartbeat row says about it now."""
    if state is None:
        return MailboxStatus(name, key, "stale", None, None, None, errors, errors, "never polled", None)
    beat = max((t for t in (state.last_wake_at, state.last_poll_at, state.last_error_at) if t), default=None)
    age = int((now - beat).total_seconds()) if beat else None
    failing = bool(state.failing) if state.failing is not None else state.last_error_at is not None
    if failing:
        verdict = "failing"
    elif age is None or age > stale_after:
        verdict = "stale"
    else:
        verdict = "ok"
    return MailboxStatus(
        name=name,
        source=key,
        state=verdict,
        heartbeat_at=beat.isoformat() if beat else None,
        heartbeat_age_seconds=age,
        last_success_at=state.last_poll_at.isoformat() if state.last_poll_at else None,
        backlog=(state.backlog or 0) + errors,
        errors=errors,
        last_error=state.last_error if failing else None,
        last_error_at=state.last_error_at.isoformat() if state.last_error_at else None,
    )


def status_lines(statuses: list[MailboxStatus]) -> str:
    """One line per mailbox: name, state, heartbeat age, backlog, last error."""
    width = max((len(s.name) for s in statuses), default=4)
    lines = []
    for s in statuses:
        age = "never" if s.heartbeat_age_seconds is None else compact_duration(s.heartbeat_age_seconds) + " ago"
        error = s.last_error or "-"
        lines.append(
            f"{s.name:<{width}}  {s.state:<7}  heartbeat {age:<9}  backlog {s.backlog:<4}  last error: {error}"
        )
    return "\n".join(lines)
