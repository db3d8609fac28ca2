"""The keyword-rules baseline: what a helpdesk trigger rule does, kept to show what the model adds.

Deliberately plain: lower-case substring lists in four languages, no negation, no context. A
message matching no list is `other`.
"""

from __future__ import annotations

KEYWORDS: dict[str, tuple[str, ...]] = {
    "cancel": ("cancel", "storn", "widerruf", "anula", "anulé", "annul"),
    "duplicate": (
        "twice",
        "duplicate",
        "double",
        "two orders",
        "zweimal",
        "doppelt",
        "duplikat",
        "dos veces",
        "duplicad",
        "doble",
        "deux fois",
        "en double",
        "doublon",
    ),
    "address_fix": ("address", "adresse", "anschrift", "dirección", "direccion"),
    "refund": (
        "refund",
        "money back",
        "reimburs",
        "erstatt",
        "geld zurück",
        "reembols",
        "devoluci",
        "rembours",
    ),
}


def classify_keywords(subject: str, body: str) -> tuple[str, ...]:
    """Labels whose keyword list matches subject or body, in label order; ("other",) if none does."""
    text = f"{subject}\n{body}".lower()
    hits = tuple(label for label, words in KEYWORDS.items() if any(w in text for w in words))
    return hits or ("other",)
