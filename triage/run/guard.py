"""A wall-clock bound on the work for one message, so one poisonous message cannot stall the rest."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WorkTimeout(Exception):
    """The bounded block ran out of time."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise WorkTimeout in the block after `seconds` (main thread only; elsewhere the size caps must do).

    SIGALRM interrupts Python code between bytecodes, which covers the stdlib
    email parser; the parsers also cap sizes and depth, so no single C call
    can run for long.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise WorkTimeout(f"gave up after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
