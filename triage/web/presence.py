"""Who has which conversation open, and who is editing its draft (keyed by conversation id): in memory,
per process, refreshed by heartbeats.

A browser's open event stream is its heartbeat: the stream touches its entry
every tick and drops it when it closes; an entry not touched for STALE seconds
(a process that lost the connection without noticing) no longer counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

STALE = 15.0


@dataclass
class _Seen:
    at: float
    editing: bool = False
    streams: int = 0


class Presence:
    def __init__(self) -> None:
        self._by_conv: dict[int, dict[str, _Seen]] = {}
        self.version = 0  # grows on every change that people would see

    def open(self, conv: int, user: str) -> None:
        seen = self._by_conv.setdefault(conv, {}).setdefault(user, _Seen(time.monotonic()))
        seen.streams += 1
        seen.at = time.monotonic()
        self.version += 1

    def touch(self, conv: int, user: str) -> None:
        seen = self._by_conv.get(conv, {}).get(user)
        if seen is not None:
            seen.at = time.monotonic()

    def close(self, conv: int, user: str) -> None:
        people = self._by_conv.get(conv, {})
        seen = people.get(user)
        if seen is None:
            return
        seen.streams -= 1
        if seen.streams <= 0:
            del people[user]
            if not people:
                self._by_conv.pop(conv, None)
        self.version += 1

    def editing(self, conv: int, user: str, editing: bool) -> None:
        seen = self._by_conv.setdefault(conv, {}).setdefault(user, _Seen(time.monotonic()))
        seen.at = time.monotonic()
        if seen.editing != editing:
            seen.editing = editing
            self.version += 1

    def snapshot(self) -> dict[int, list[dict[str, object]]]:
        """{conversation id: [{"user", "editing"}, …]} for everyone seen within STALE seconds."""
        cutoff = time.monotonic() - STALE
        out: dict[int, list[dict[str, object]]] = {}
        for conv, people in self._by_conv.items():
            live = [{"user": u, "editing": s.editing} for u, s in sorted(people.items()) if s.at >= cutoff]
            if live:
                out[conv] = live
        return out
