"""Small, realistic customer messages for ingestion tests (each with a unique Message-ID)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_REQUESTS = [
    ("Cancel order #{n}", "Hi,\n\nplease cancel my order #{n}, I ordered the wrong size.\n\nThanks,\n{name}"),
    (
        "Wrong address on {n}",
        "Hello, I made a typo in the shipping address for order {n}.\n"
        "The correct address is 12 Elm Street, Springfield.\n\n{name}",
    ),
    ("Ordered twice", "Hi there, I think I placed order #{n} twice by accident. Could you cancel one?\n{name}"),
    ("Refund for order {n}", "I returned the vase last week, when will I get my refund for order {n}?\n\n{name}"),
    ("Question", "Do you ship to Norway? Thanks, {name}"),
]
_NAMES = ["Anna Berg", "Tom Reyes", "Lena Vogel", "Marc Dubois", "Sara Lind", "Ola Nordmann"]


def customer_message(i: int, seed: int = 0, when: datetime | None = None) -> bytes:
    rng = random.Random(seed * 100_003 + i)
    subject, body = rng.choice(_REQUESTS)
    name = rng.choice(_NAMES)
    n = 1000 + rng.randrange(500)
    msg = EmailMessage()
    msg["From"] = f"{name} <{name.split()[0].lower()}{i}@example.com>"
    msg["To"] = "support@example.com"
    msg["Subject"] = subject.format(n=n)
    msg["Date"] = format_datetime((when or datetime(2026, 11, 20, 9, tzinfo=UTC)) + timedelta(minutes=i))
    msg["Message-ID"] = make_msgid(idstring=f"t{seed}-{i}", domain="example.com")
    msg.set_content(body.format(n=n, name=name))
    return bytes(msg)
