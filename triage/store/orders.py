"""Orders in the store: loaded from a CSV export (upserted by number) and read back for matching and the summary."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from triage.records import Order
from triage.store.codec import decode_list, now_text, time_text
from triage.store.connection import Connection


class OrderQueries(Connection):
    def upsert_orders(self, orders: Iterable[Order]) -> int:
        """Insert new orders and update known ones (stage, status, …) in one transaction; returns how many."""
        rows = [
            {
                "number": o.number,
                "email": (o.email or "").lower() or None,
                "stage": o.stage,
                "created_at": time_text(o.created_at),
                "fulfilled_at": time_text(o.fulfilled_at),
                "canceled_at": time_text(o.canceled_at),
                "financial_status": o.financial_status,
                "fulfillment_status": o.fulfillment_status,
                "customer_name": o.customer_name,
                "country": o.country,
                "items": json.dumps(list(o.items)),
                "total": o.total,
                "imported_at": now_text(self.clock),
            }
            for o in orders
        ]
        with self.transaction():
            self.db.table("orders").upsert_all(rows, pk="number")
        return len(rows)

    def orders(self) -> list[Order]:
        return [_order(r) for r in self.db.query("SELECT * FROM orders")]


def _order(r: dict[str, Any]) -> Order:
    return Order(
        number=r["number"],
        email=r["email"],
        stage=r["stage"],
        created_at=_time(r["created_at"]),
        fulfilled_at=_time(r["fulfilled_at"]),
        canceled_at=_time(r["canceled_at"]),
        financial_status=r["financial_status"],
        fulfillment_status=r["fulfillment_status"],
        customer_name=r["customer_name"],
        country=r["country"],
        items=decode_list(r["items"]),
        total=r["total"],
    )


def _time(value: str | None) -> datetime | None:
    """Order times are stored with the shop's offset (csv_import adds it), and read back as written."""
    return datetime.fromisoformat(value) if value else None
