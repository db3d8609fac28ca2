"""Order import: a Shopify orders export or a mapped generic CSV becomes `Order` records.

Reading is pure apart from opening the one file: no store, no network. The
caller (`import-orders`) upserts what comes back and prints the problems.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email

from triage.errors import OrdersError
from triage.records import CLOSED_STAGES, STAGES, Order
from triage.settings import DEFAULT_ORDER_PATTERNS, DEFAULT_TAG_STAGES, OrdersSettings

SHOPIFY_REQUIRED: tuple[str, ...] = (
    "Name",
    "Email",
    "Financial Status",
    "Fulfillment Status",
    "Created at",
)

# How far along an order is; tag hints only ever move an order forward.
_PROGRESS = {s: i for i, s in enumerate(STAGES[:6])} | {"returned": 6}

# Free-text statuses a generic CSV may carry, after `_norm_status`.
_STATUS_WORDS: dict[str, str] = {
    "pending": "pending_payment",
    "pending_payment": "pending_payment",
    "awaiting_payment": "pending_payment",
    "unpaid": "pending_payment",
    "new": "unfulfilled",
    "open": "unfulfilled",
    "paid": "unfulfilled",
    "unfulfilled": "unfulfilled",
    "processing": "in_progress",
    "partial": "in_progress",
    "partially_fulfilled": "in_progress",
    "packing": "in_progress",
    "label_created": "label_created",
    "label_printed": "label_created",
    "fulfilled": "shipped",
    "shipped": "shipped",
    "in-transit": "shipped",
    "in_transit": "shipped",
    "delivered": "delivered",
    "cancelled": "canceled",
    "voided": "canceled",
    "refunded": "refunded",
    "returned": "returned",
}


# Shopify's documented values; anything else is a status we cannot place, so the order gets stage
# "unknown" (ranked as unknown, never as the most urgent "unfulfilled") and the row is named.
SHOPIFY_FINANCIAL = frozenset(
    {"", "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided", "expired"}
)
SHOPIFY_FULFILLMENT = frozenset(
    {"", "unfulfilled", "fulfilled", "partial", "partially_fulfilled", "restocked", "scheduled", "on_hold"}
)


@dataclass(frozen=True)
class RowProblem:
    """A CSV row that could not be loaded as it is; `line` is the physical line where it starts.

    `skipped` is False for a warning: the row was loaded, but with something left out or marked unknown.
    """

    line: int
    message: str
    skipped: bool = True


@dataclass(frozen=True)
class ImportResult:
    orders: list[Order]
    problems: list[RowProblem]


def canonical_number(value: str, patterns: Sequence[str] = DEFAULT_ORDER_PATTERNS) -> str:
    """The order number as every other stage keys it: the first pattern's group, else digits of `#123`.

    Both the importer and the extractor go through here, so "#1042" in a CSV and
    "order 1042" in a mail meet on "1042".
    """
    text = value.strip()
    for pattern in patterns:
        m = re.fullmatch(pattern, text) or re.fullmatch(pattern, "#" + text)
        if m:
            return m.group(1)
    for pattern in patterns:
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    if re.fullmatch(r"#?\s?\d+", text):
        return text.lstrip("#").strip()
    return text


def read_orders(path: Path, settings: OrdersSettings) -> ImportResult:
    """Load an orders CSV; a bad row becomes a `RowProblem`, missing columns an `OrdersError`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return read_orders_stream(fh, settings, source=str(path))
    except FileNotFoundError as exc:
        raise OrdersError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise OrdersError(f"{path}: not UTF-8 text ({exc.reason}); export the CSV as UTF-8") from exc


def read_orders_stream(stream: TextIO, settings: OrdersSettings, source: str = "<stream>") -> ImportResult:
    """Same as `read_orders` for an open text stream (tests, stdin)."""
    tz = _zone(settings.timezone)
    broken: list[RowProblem] = []
    rows = _rows(stream, broken)
    try:
        header = next(rows)[1]
    except StopIteration:
        raise OrdersError(f"{source}: the file is empty; expected a header row") from None
    if settings.format == "shopify":
        result = _read_shopify(header, rows, settings, tz, source)
    elif settings.format == "generic":
        result = _read_generic(header, rows, settings, tz, source)
    else:
        raise OrdersError(f'{source}: unknown orders format "{settings.format}"; use "shopify" or "generic"')
    problems = sorted([*result.problems, *broken], key=lambda p: p.line)
    return ImportResult(result.orders, problems)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OrdersError(f'[orders] timezone: unknown time zone "{name}" (use an IANA name)') from exc


def _rows(stream: TextIO, problems: list[RowProblem]) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted field may span lines).

    A row whose lines hold an odd number of quote characters has a quote that is never closed: it
    swallowed the lines after it up to the next quote (or the end of the file). It is reported with
    the lines it covers and skipped, never loaded half; reading goes on after it.
    """
    text = stream.read()
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text))
    start = 1
    for row in reader:
        end = reader.line_num
        quotes = sum(line.count('"') for line in lines[start - 1 : end])
        if quotes % 2:
            span = f"lines {start}-{end} read as one row" if end > start else f"line {start}"
            problems.append(
                RowProblem(start, f"malformed CSV: {span}; a quote opened on line {start} is probably not closed")
            )
        else:
            yield start, row
        start = end + 1


def _email(value: str, line: int, who: str, problems: list[RowProblem]) -> str | None:
    """The order's e-mail, lower-cased; an invalid one is left out with a warning naming the row."""
    text = value.strip().lower()
    if not text:
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        problems.append(RowProblem(line, f"order {who}: invalid e-mail {text!r} ({exc}); loaded without it", False))
        return None
    return text


def _check_columns(header: list[str], required: Iterable[str], source: str) -> dict[str, int]:
    index = {name.strip(): i for i, name in enumerate(header)}
    missing = [c for c in required if c not in index]
    if missing:
        cols = ", ".join(f'"{c}"' for c in missing)
        raise OrdersError(f"{source}: missing required column(s) {cols}; found {len(index)} columns")
    return index


def parse_timestamp(value: str, tz: ZoneInfo) -> datetime | None:
    """Shopify's "2024-03-05 14:22:10 +0100", ISO 8601, or "05.03.2024 14:22"; naive means shop time.

    Returns None for an empty cell; raises ValueError for text that is not a time.
    """
    text = value.strip()
    if not text:
        return None
    dt: datetime | None = None
    for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            dt = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if dt is None:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def _norm_tag(tag: str) -> str:
    return re.sub(r"[\s_]+", "-", tag.strip().casefold())


def _norm_status(status: str) -> str:
    return re.sub(r"[\s\-]+", "_", status.strip().casefold())


def shopify_stage(
    financial: str,
    fulfillment: str,
    cancelled: bool,
    tags: Iterable[str] = (),
    tag_stages: dict[str, str] | None = None,
) -> str:
    """Map Shopify's two statuses, the cancel time and tag hints onto one of `STAGES`.

    ======================================  ===============  ==========================
    Shopify signal (first that applies)     stage            why
    ======================================  ===============  ==========================
    Tags "returned"                         returned         goods came back
    Financial Status refunded               refunded         money went back
    Cancelled at set; Financial voided      canceled         the order is closed
    Fulfillment Status fulfilled            shipped          with the carrier
    Fulfillment Status restocked            returned         items went back to stock
    Fulfillment Status partial              in_progress      some items out, rest packing
    Financial pending/partially_paid/       pending_payment  nothing ships before payment
    expired
    anything else (unfulfilled, empty)      unfulfilled      paid or authorized, waiting
    ======================================  ===============  ==========================

    Then tag hints refine what the export cannot show, only ever forward:
    "in-progress"/"picking"/"packing"/"packed" → in_progress,
    "label-created"/"label-printed" → label_created, "shipped" → shipped,
    "delivered" → delivered (configurable as `tag_stages`). One exception
    goes back: a fulfilled order tagged label-created is not with the carrier
    yet (Shopify marks an order fulfilled when the label is bought), so the
    tag wins over "shipped" unless a later tag says otherwise. A closed order
    (refunded, canceled) stays closed whatever its tags say.
    """
    hints = tag_stages if tag_stages is not None else DEFAULT_TAG_STAGES
    fin = _norm_status(financial)
    ful = _norm_status(fulfillment)
    tagged = {hints[t] for t in (_norm_tag(t) for t in tags) if t in hints}
    if "returned" in tagged:
        return "returned"
    if fin == "refunded":
        return "refunded"
    if cancelled or fin == "voided":
        return "canceled"
    if ful == "fulfilled":
        stage = "label_created" if tagged & {"label_created"} else "shipped"
    elif ful == "restocked":
        stage = "returned"
    elif ful == "partial":
        stage = "in_progress"
    elif fin in ("pending", "partially_paid", "expired"):
        stage = "pending_payment"
    else:
        stage = "unfulfilled"
    for hint in tagged:
        if hint in _PROGRESS and _PROGRESS[hint] > _PROGRESS.get(stage, -1):
            stage = hint
    return stage


def _cell(row: list[str], index: dict[str, int], column: str) -> str:
    i = index.get(column)
    if i is None or i >= len(row):
        return ""
    return row[i].strip()


def _item(name: str, quantity: str) -> str:
    qty = quantity.strip()
    return name if qty in ("", "1") else f"{qty} x {name}"


def _read_shopify(
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    settings: OrdersSettings,
    tz: ZoneInfo,
    source: str,
) -> ImportResult:
    """Group line-item rows by Name; the first row of each order carries the order-level columns."""
    index = _check_columns(header, SHOPIFY_REQUIRED, source)
    orders: dict[str, Order] = {}
    rejected: dict[str, int] = {}
    problems: list[RowProblem] = []
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        name = _cell(row, index, "Name")
        if not name:
            problems.append(RowProblem(line, 'no order "Name"; row skipped'))
            continue
        number = canonical_number(name, settings.order_patterns)
        item = _cell(row, index, "Lineitem name")
        if number in rejected:
            problems.append(RowProblem(line, f"order {name} skipped: its first row (line {rejected[number]}) was bad"))
            continue
        if number in orders:
            if item:
                prev = orders[number]
                qty = _cell(row, index, "Lineitem quantity")
                orders[number] = replace(prev, items=(*prev.items, _item(item, qty)))
            continue
        try:
            created = parse_timestamp(_cell(row, index, "Created at"), tz)
            fulfilled = parse_timestamp(_cell(row, index, "Fulfilled at"), tz)
            cancelled = parse_timestamp(_cell(row, index, "Cancelled at"), tz)
        except ValueError as exc:
            rejected[number] = line
            problems.append(RowProblem(line, f"order {name}: unreadable date ({exc}); order skipped"))
            continue
        financial = _cell(row, index, "Financial Status")
        fulfillment = _cell(row, index, "Fulfillment Status")
        tags = [t for t in _cell(row, index, "Tags").split(",") if t.strip()]
        total = _cell(row, index, "Total")
        currency = _cell(row, index, "Currency")
        qty = _cell(row, index, "Lineitem quantity")
        stage = shopify_stage(financial, fulfillment, cancelled is not None, tags, settings.tag_stages)
        for column, value, known in (
            ("Financial Status", financial, SHOPIFY_FINANCIAL),
            ("Fulfillment Status", fulfillment, SHOPIFY_FULFILLMENT),
        ):
            if _norm_status(value) not in known:
                problems.append(
                    RowProblem(line, f'order {name}: unknown {column} "{value}"; loaded with stage "unknown"', False)
                )
                stage = "unknown"
        orders[number] = Order(
            number=number,
            email=_email(_cell(row, index, "Email"), line, name, problems),
            stage=stage,
            created_at=created,
            fulfilled_at=fulfilled,
            canceled_at=cancelled,
            financial_status=financial or None,
            fulfillment_status=fulfillment or None,
            customer_name=_cell(row, index, "Shipping Name") or _cell(row, index, "Billing Name") or None,
            country=(_cell(row, index, "Shipping Country") or _cell(row, index, "Billing Country")).upper() or None,
            items=(_item(item, qty),) if item else (),
            total=f"{total} {currency}".strip() if total else None,
        )
    return ImportResult(list(orders.values()), problems)


def generic_stage(stage: str, status: str, status_map: dict[str, str], cancelled: bool, fulfilled: bool) -> str:
    """A generic row's stage: the stage column as given, else the mapped status, else the dates."""
    if stage:
        key = _norm_status(stage)
        if key == "cancelled":
            key = "canceled"
        if key not in STAGES:
            raise ValueError(f'unknown stage "{stage}"; expected one of {", ".join(STAGES)}')
        return key
    if status:
        mapped = {_norm_status(k): v for k, v in status_map.items()}
        key = _norm_status(status)
        if key in mapped:
            return mapped[key]
        if key in _STATUS_WORDS:
            return _STATUS_WORDS[key]
        if key in STAGES:
            return key
        raise ValueError(f'unknown status "{status}"; map it in [orders] status_map')
    if cancelled:
        return "canceled"
    if fulfilled:
        return "shipped"
    return "unfulfilled"


def _read_generic(
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    settings: OrdersSettings,
    tz: ZoneInfo,
    source: str,
) -> ImportResult:
    """One row per order (or per line item, merged by number) with columns named in `[orders]`."""
    s = settings
    index = _check_columns(header, (s.number_column, s.email_column), source)
    if s.stage_column not in index and s.status_column not in index:
        raise OrdersError(
            f'{source}: missing required column(s) "{s.stage_column}" or "{s.status_column}" '
            "(set [orders] stage_column or status_column)"
        )
    orders: dict[str, Order] = {}
    problems: list[RowProblem] = []
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        raw_number = _cell(row, index, s.number_column)
        if not raw_number:
            problems.append(RowProblem(line, f'no order number in "{s.number_column}"; row skipped'))
            continue
        number = canonical_number(raw_number, s.order_patterns)
        items = tuple(i.strip() for i in _cell(row, index, s.items_column).split(s.items_separator) if i.strip())
        if number in orders:
            prev = orders[number]
            orders[number] = replace(prev, items=prev.items + items)
            continue
        try:
            created = parse_timestamp(_cell(row, index, s.created_column), tz)
            fulfilled = parse_timestamp(_cell(row, index, s.fulfilled_column), tz)
            cancelled = parse_timestamp(_cell(row, index, s.cancelled_column), tz)
        except ValueError as exc:
            problems.append(RowProblem(line, f"order {raw_number}: unreadable date ({exc}); row skipped"))
            continue
        status = _cell(row, index, s.status_column)
        try:
            stage = generic_stage(
                _cell(row, index, s.stage_column), status, s.status_map, cancelled is not None, fulfilled is not None
            )
        except ValueError as exc:
            problems.append(RowProblem(line, f'order {raw_number}: {exc}; loaded with stage "unknown"', False))
            stage = "unknown"
        orders[number] = Order(
            number=number,
            email=_email(_cell(row, index, s.email_column), line, raw_number, problems),
            stage=stage,
            created_at=created,
            fulfilled_at=fulfilled,
            canceled_at=cancelled,
            fulfillment_status=status or None,
            customer_name=_cell(row, index, s.name_column) or None,
            country=_cell(row, index, s.country_column).upper() or None,
            items=items,
            total=_cell(row, index, s.total_column) or None,
        )
    return ImportResult(list(orders.values()), problems)


def find_duplicate_orders(orders: Sequence[Order], window_minutes: int) -> list[tuple[str, str]]:
    """Pairs (earlier, later) with the same email and items placed within the window.

    A double-click at checkout produces exactly this; a repeat customer buying
    the same thing days later does not. Orders already closed are left out:
    nothing is left to undo.
    """
    window = timedelta(minutes=window_minutes)
    by_customer: dict[tuple[str, tuple[tuple[str, int], ...]], list[Order]] = defaultdict(list)
    for order in orders:
        if not order.email or not order.items or order.created_at is None or order.stage in CLOSED_STAGES:
            continue
        basket = tuple(sorted(Counter(i.casefold().strip() for i in order.items).items()))
        by_customer[(order.email.lower(), basket)].append(order)
    pairs: list[tuple[str, str]] = []
    for group in by_customer.values():
        group.sort(key=lambda o: (o.created_at, o.number))
        for i, first in enumerate(group):
            for later in group[i + 1 :]:
                assert first.created_at is not None and later.created_at is not None
                if later.created_at - first.created_at > window:
                    break
                pairs.append((first.number, later.number))
    return sorted(pairs, key=lambda p: (len(p[0]), p[0], len(p[1]), p[1]))


def orders_from_text(text: str, settings: OrdersSettings) -> ImportResult:
    """Parse CSV text already in memory (tests, the demo)."""
    return read_orders_stream(io.StringIO(text), settings)
