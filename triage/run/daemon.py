"""The `run` loop: IDLE (or poll) → triage → store, reconnecting with backoff, plus scheduled jobs.

Scheduling uses `schedule`: the poll job runs every `poll_seconds` (with IDLE
it is a safety net), and later jobs (the daily summary) plug into the same
scheduler. Between jobs the loop waits in IDLE, so new mail is triaged within
about a second on servers that push.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

import schedule

from triage.errors import LoginError, MailboxError
from triage.run.ingest import ingest_once
from triage.run.pipeline import Pipeline
from triage.sources import Mailbox
from triage.store import Store

log = logging.getLogger("triage.run.daemon")


class Stop(BaseException):
    """Raised by the signal handler to leave a blocking IDLE promptly.

    A BaseException, like KeyboardInterrupt, so no `except Exception` on the way
    (per-message isolation, best-effort logout) can swallow it; an open store
    transaction rolls back and the checkpoint keeps what was committed.
    """


class Backoff:
    """Exponential backoff, 1 s doubling up to `cap`, reset after a success."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        self.delay = 1.0

    def next(self) -> float:
        delay = self.delay
        self.delay = min(self.cap, self.delay * 2)
        return delay

    def reset(self) -> None:
        self.delay = 1.0


def run_daemon(
    open_mailbox: Callable[[], Mailbox],
    name: str,
    store: Store,
    pipeline: Pipeline,
    poll_seconds: int,
    reconnect_max_seconds: float = 300.0,
    scheduler: schedule.Scheduler | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    before_poll: Callable[[], None] = lambda: None,
    after_poll: Callable[[], None] = lambda: None,
    label: str | None = None,
    scrub: Callable[[str], str] = lambda text: text,
) -> None:
    """Run until SIGTERM/SIGINT (or `should_stop()`); never exits on a mailbox error."""
    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        serve_mailbox(
            open_mailbox,
            name,
            store,
            pipeline,
            poll_seconds,
            reconnect_max_seconds,
            scheduler,
            should_stop,
            before_poll,
            after_poll,
            label,
            scrub,
        )
    except Stop:
        log.info("stopping")
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stop()


def serve_mailbox(
    open_mailbox: Callable[[], Mailbox],
    name: str,
    store: Store,
    pipeline: Pipeline,
    poll_seconds: int,
    reconnect_max_seconds: float = 300.0,
    scheduler: schedule.Scheduler | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    before_poll: Callable[[], None] = lambda: None,
    after_poll: Callable[[], None] = lambda: None,
    label: str | None = None,
    scrub: Callable[[str], str] = lambda text: text,
) -> None:
    """One mailbox's loop (on the main thread, or one thread per mailbox): IDLE/poll, triage, reconnect.

    `name` is the store key the heartbeat is kept under, `label` the configured mailbox name; `scrub`
    takes any secret out of an error's text before it is logged or stored.
    """
    scheduler = scheduler or schedule.Scheduler()
    backoff = Backoff(reconnect_max_seconds)
    state: dict[str, Mailbox | None] = {"mailbox": None}
    shown = label or name

    def poll() -> None:
        mailbox = state["mailbox"]
        if mailbox is not None:
            store.heartbeat(name, wake=True, name=label)
            before_poll()
            ingest_once(mailbox, store, pipeline, progress=False, label=label)
            after_poll()

    scheduler.every(poll_seconds).seconds.do(poll)
    try:
        while not should_stop():
            try:
                if state["mailbox"] is None:
                    store.heartbeat(name, wake=True, name=label)
                    state["mailbox"] = open_mailbox()
                    log.info("watching %s", shown)
                    poll()
                    backoff.reset()
                mailbox = state["mailbox"]
                assert mailbox is not None
                wait = scheduler.idle_seconds
                mailbox.wait(min(poll_seconds, max(0.0, wait if wait is not None else poll_seconds)))
                poll()
                scheduler.run_pending()
            except LoginError as exc:
                _drop(state, store, name, label, scrub(str(exc)))
                _pause(backoff.next() * 4, should_stop)  # a refused login will not fix itself quickly
                _run_jobs(scheduler, skip=poll)
            except MailboxError as exc:
                _drop(state, store, name, label, scrub(str(exc)))
                _pause(backoff.next(), should_stop)
                _run_jobs(scheduler, skip=poll)
    finally:
        if state["mailbox"] is not None:
            state["mailbox"].close()


def _pause(seconds: float, should_stop: Callable[[], bool]) -> None:
    """Sleep for the backoff, but notice a stop request within a fraction of a second."""
    end = time.monotonic() + seconds
    while not should_stop() and time.monotonic() < end:
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))


def _run_jobs(scheduler: schedule.Scheduler, skip: Callable[[], None]) -> None:
    """While the mailbox is unreachable, other jobs (the daily summary) still run on time."""
    for job in list(scheduler.jobs):
        if job.should_run and job.job_func is not None and job.job_func.func is not skip:
            job.run()


def _drop(state: dict[str, Mailbox | None], store: Store, name: str, label: str | None, error: str) -> None:
    log.warning("%s: %s; reconnecting", label or name, error)
    store.heartbeat(name, error=error, name=label)
    mailbox, state["mailbox"] = state["mailbox"], None
    if mailbox is not None:
        mailbox.close()
