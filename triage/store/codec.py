"""How values become column text and back: compact JSON for lists and dicts, ISO-8601 for times.

Every JSON column is decoded here, once, when a row becomes a record; nothing
outside the store sees the column text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, overload

import orjson

Clock = Callable[[], datetime]


def now_text(clock: Clock | None = None) -> str:
    """The time as the store writes it: UTC, whole seconds; `clock` is the command's (pinned by --now or
    [shop] now, as in the demo), so stored times and computed ages never mix two clocks."""
    return (clock() if clock else datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def time_text(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


@overload
def parse_time(text: str) -> datetime: ...
@overload
def parse_time(text: None) -> None: ...
@overload
def parse_time(text: str | None) -> datetime | None: ...
def parse_time(text: str | None) -> datetime | None:
    """A stored time (None for NULL); one without an offset was written as UTC."""
    if text is None:
        return None
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def encode(value: object) -> str:
    """Compact JSON for the columns written per message: orjson, about ten times json.dumps on these
    small lists and dicts, which was a fifth of the store's share of ingest."""
    return orjson.dumps(value).decode()


def decode(text: str) -> Any:
    """orjson, several times json.loads on these small values (the queue decodes six a row); the stdlib
    reads what orjson refuses and json.dumps once wrote, such as NaN."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def decode_list(text: str | None) -> tuple[Any, ...]:
    """A JSON list column as a tuple (empty for NULL)."""
    return tuple(decode(text)) if text else ()


def decode_dict(text: str | None) -> dict[str, Any]:
    """A JSON object column as a dict, keys in their stored order (empty for NULL)."""
    return decode(text) if text else {}
