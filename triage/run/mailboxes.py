"""Several mailboxes in one process: each in turn (`once`) or each on its own thread (`run`), isolated.

One mailbox whose server is down or whose login is refused logs one line, records
the error on its heartbeat and is retried with backoff; the others go on. Every
error text passes `scrub` first, so a secret a server echoed back never reaches a
log line or the store.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import schedule

from triage.config import Config
from triage.errors import ConfigError, MailboxError, TriageError
from triage.records import IntentResult
from triage.run.daemon import Backoff, Stop, serve_mailbox
from triage.run.ingest import IngestStats, ingest_once
from triage.run.pipeline import Pipeline, Prepared
from triage.sources import Mailbox, mailbox_name, open_mailbox
from triage.store import Store

log = logging.getLogger("triage.run.mailboxes")

# One model serves every mailbox's thread; classification takes turns, fetching and storing do not.
_MODEL_LOCK = threading.Lock()


class SharedModelPipeline(Pipeline):
    """A pipeline whose model calls take turns with the other mailboxes' threads."""

    def classify(self, prepared: Sequence[Prepared]) -> list[IntentResult]:
        with _MODEL_LOCK:
            return super().classify(prepared)


@dataclass(frozen=True)
class MailboxJob:
    """One configured mailbox: its name, the key the store keeps it under, and the config as it sees it."""

    name: str
    key: str
    cfg: Config
    from_table: bool = False  # written as a [[mailbox]] table (else the implicit single mailbox)

    @property
    def where(self) -> str:
        """How config errors name this mailbox's source table."""
        return f"[mailbox.source] ({self.name})" if self.from_table else "[source]"


def mailbox_jobs(cfg: Config) -> list[MailboxJob]:
    """Every mailbox the config names, in the order written."""
    jobs = []
    for mb in cfg.mailboxes():
        own = cfg.for_mailbox(mb)
        jobs.append(MailboxJob(mb.name, mailbox_name(own), own, from_table=bool(cfg.mailbox)))
    return jobs


def require_sources(cfg: Config) -> None:
    """A local source whose path does not exist is a config error (exit 2), named by its key, before any work."""
    for job in mailbox_jobs(cfg):
        source = job.cfg.source
        if source.kind == "imap":
            continue
        if not source.path:
            raise ConfigError(f"{cfg.file} {job.where} path: not set; name the Maildir, mbox file or .eml folder")
        path = cfg.resolve(source.path)
        if not path.exists():
            raise ConfigError(f"{cfg.file} {job.where} path: {path} does not exist (kind = {source.kind!r})")


def secrets_of(cfg: Config) -> tuple[str, ...]:
    """The secret values this config's mailboxes read from the environment (for scrubbing error texts)."""
    found = []
    for mb in cfg.mailboxes():
        for var in (mb.imap.password_env, mb.imap.token_env):
            value = os.environ.get(var) if var else None
            if value and len(value) >= 4:
                found.append(value)
    return tuple(sorted(set(found), key=len, reverse=True))


def scrubber(cfg: Config) -> Callable[[str], str]:
    """A function that masks every configured secret in a text (an error a server echoed a password into)."""
    secrets = secrets_of(cfg)

    def scrub(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    return scrub


@dataclass
class MailboxResult:
    """What one mailbox's turn in `once` did: its stats, or the one-line error it failed with."""

    job: MailboxJob
    stats: IngestStats | None = None
    error: str | None = None


def once_all(
    cfg: Config,
    store: Store,
    pipeline_for: Callable[[MailboxJob], Pipeline],
    after: Callable[[MailboxJob], None] = lambda job: None,
    progress: bool | None = None,
) -> list[MailboxResult]:
    """Each mailbox in turn; a failing one is recorded and logged, and the next one still runs."""
    scrub = scrubber(cfg)
    results = []
    for job in mailbox_jobs(cfg):
        result = MailboxResult(job)
        mailbox: Mailbox | None = None
        try:
            store.heartbeat(job.key, wake=True, name=job.name)
            mailbox = open_mailbox(job.cfg)
            result.stats = ingest_once(mailbox, store, pipeline_for(job), progress=progress, label=job.name)
            after(job)
        except (MailboxError, OSError) as exc:
            result.error = scrub(str(exc) or type(exc).__name__)
            log.debug("%s: %s", job.name, result.error)  # the caller prints the one line per mailbox
            pending = getattr(mailbox, "pending", None)
            store.heartbeat(job.key, error=result.error, name=job.name, backlog=pending)
        finally:
            if mailbox is not None:
                mailbox.close()
        results.append(result)
    return results


def serve_all(
    cfg: Config,
    open_store: Callable[[], Store],
    pipeline_for: Callable[[MailboxJob, Store], Pipeline],
    scheduler: schedule.Scheduler,
    before_poll: Callable[[MailboxJob, Store], None] = lambda job, store: None,
    after_poll: Callable[[MailboxJob, Store], None] = lambda job, store: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """The daemon for several mailboxes: one thread (and IDLE connection) each; the main thread runs
    the scheduled jobs (the daily summary) and waits for SIGTERM/SIGINT."""
    stop = threading.Event()
    scrub = scrubber(cfg)
    threads = []
    for job in mailbox_jobs(cfg):
        thread = threading.Thread(
            target=_serve_one,
            args=(job, open_store, pipeline_for, before_poll, after_poll, stop, scrub),
            name=f"triage-{job.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)

    def _on_signal(signum: int, frame: object) -> None:
        raise Stop()

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not should_stop() and not stop.is_set():
            scheduler.run_pending()
            wait = scheduler.idle_seconds
            stop.wait(min(1.0, max(0.05, wait if wait is not None else 1.0)))
    except Stop:
        log.info("stopping")
    finally:
        stop.set()
        for s, handler in old.items():
            signal.signal(s, handler)
        # A thread in IDLE notices the stop at its next wake; daemon threads, so waiting is bounded in total.
        deadline = time.monotonic() + 5
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _serve_one(
    job: MailboxJob,
    open_store: Callable[[], Store],
    pipeline_for: Callable[[MailboxJob, Store], Pipeline],
    before_poll: Callable[[MailboxJob, Store], None],
    after_poll: Callable[[MailboxJob, Store], None],
    stop: threading.Event,
    scrub: Callable[[str], str],
) -> None:
    """One mailbox's thread: its own store connection (SQLite connections stay on their thread) and loop.

    Anything unexpected is logged, recorded on the heartbeat and retried after a backoff: a bug that one
    mailbox's mail triggers must not end that mailbox's watch for good, nor touch the others.
    """
    backoff = Backoff(job.cfg.imap.reconnect_max_seconds)
    store = open_store()
    try:
        while not stop.is_set():
            try:
                serve_mailbox(
                    lambda: open_mailbox(job.cfg),
                    job.key,
                    store,
                    pipeline_for(job, store),
                    poll_seconds=job.cfg.imap.poll_seconds,
                    reconnect_max_seconds=job.cfg.imap.reconnect_max_seconds,
                    should_stop=stop.is_set,
                    before_poll=lambda: before_poll(job, store),
                    after_poll=lambda: after_poll(job, store),
                    label=job.name,
                    scrub=scrub,
                )
            except Exception as exc:  # isolation is the point: log, record, back off, go on
                error = scrub(f"{type(exc).__name__}: {exc}")
                log.warning("%s: %s; retrying", job.name, error)
                try:
                    store.heartbeat(job.key, error=error, name=job.name)
                except TriageError:
                    log.debug("heartbeat not recorded", exc_info=True)
                stop.wait(backoff.next())
    finally:
        store.close()
