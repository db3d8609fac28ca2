"""`triage retriage`: error rows triaged again from their original (IMAP UID, Maildir/mbox/.eml key).

After a fix (a file made readable, a template repaired, a parser bug fixed) the
message is read again from where it lives and goes through the same pipeline. The
row is updated in place, so its ID and history stay; when it fails again it stays an
error with the new reason. Every attempt is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from triage.config import Config
from triage.errors import MailboxError
from triage.run.mailboxes import MailboxJob, mailbox_jobs, scrubber
from triage.run.pipeline import Pipeline, stored_ref
from triage.sources import Mailbox, open_mailbox
from triage.store import Store

log = logging.getLogger("triage.run.retriage")


@dataclass(frozen=True)
class Retried:
    """One row's outcome: `ok`, `failed` (still an error, with why), `skipped` (not an error row) or `missing`."""

    id: int
    outcome: str
    detail: str = ""


def retriage(
    cfg: Config,
    store: Store,
    ids: Sequence[int],
    pipeline_for: Callable[[MailboxJob], Pipeline],
    actor: str = "agent",
) -> list[Retried]:
    """Re-run `ids` (error rows) through the pipeline from their sources, one mailbox connection each."""
    jobs = {job.key: job for job in mailbox_jobs(cfg)}
    scrub = scrubber(cfg)
    out: dict[int, Retried] = {}
    by_key: dict[str, list[tuple[int, int, str]]] = {}
    for message in ids:
        pointer = store.error_pointer(message)
        if pointer is None:
            out[message] = Retried(message, "missing", "no such item")
            continue
        key, uidvalidity, uid, status = pointer
        if status != "error":
            out[message] = Retried(message, "skipped", "not an error row")
        elif key not in jobs:
            out[message] = Retried(message, "failed", f"its mailbox {key} is no longer configured")
        else:
            by_key.setdefault(key, []).append((message, uidvalidity, uid))
    for key, rows in by_key.items():
        job = jobs[key]
        mailbox: Mailbox | None = None
        try:
            mailbox = open_mailbox(job.cfg)
            pipeline = pipeline_for(job)
            for message, uidvalidity, uid in rows:
                out[message] = _one(store, mailbox, pipeline, message, uidvalidity, uid, actor)
        except (MailboxError, OSError) as exc:
            reason = f"cannot open {job.name}: {scrub(str(exc))}"
            log.warning("%s", reason)
            for message, _, _ in rows:
                if message not in out:
                    store.retriage_failed(message, reason, actor)
                    out[message] = Retried(message, "failed", reason)
        finally:
            if mailbox is not None:
                mailbox.close()
    return [out[m] for m in dict.fromkeys(ids)]


def _one(
    store: Store, mailbox: Mailbox, pipeline: Pipeline, message: int, uidvalidity: int, uid: str, actor: str
) -> Retried:
    if uidvalidity != mailbox.uidvalidity():
        reason = f"UIDVALIDITY changed ({uidvalidity} -> {mailbox.uidvalidity()}): UID {uid} no longer points at it"
        store.retriage_failed(message, reason, actor)
        return Retried(message, "failed", reason)
    raw = mailbox.fetch_one(uid)
    if raw is None:
        reason = f"the original ({uid}) is no longer in {mailbox.name}"
        store.retriage_failed(message, reason, actor)
        return Retried(message, "failed", reason)
    (result,) = pipeline.run([raw])
    store.retriaged(message, stored_ref(raw, result), result, actor)
    if result.status == "error":
        return Retried(message, "failed", result.error or "")
    return Retried(message, "ok", ",".join(result.intent.intents))
