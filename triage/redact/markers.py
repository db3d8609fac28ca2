"""Redaction markers: the kinds, the text that replaces each, and the blanking that keeps offsets stable.

What a marker looks like to a reader is triage.text.MARKER, the one pattern every stage blanks; this
module owns the texts redaction writes, so it can tell its own markers from look-alikes a customer typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from triage.records import Finding
from triage.text import MARKER, blank

KINDS: tuple[str, ...] = ("card_number", "card_cvv", "card_expiry", "iban", "bank_account", "password", "login")

_MARK: Final = {
    "card_cvv": "[cvv removed]",
    "card_expiry": "[expiry removed]",
    "iban": "[iban removed]",
    "bank_account": "[bank account removed]",
    "password": "[password removed]",
    "login": "[login removed]",
}
_CARD: Final = "[card •••• "  # then the last four digits and "]"
_OWN: Final = frozenset(_MARK.values())
MASK: Final = "\ue000"  # private-use: not a word char, digit or space, so no pattern can match across it


def overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < oe and os < e for os, oe in spans)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out spans (same length, so offsets hold) that later patterns must neither read nor run into."""
    return blank(text, spans, MASK)


def _is_card_marker(marker: str) -> bool:
    return marker.startswith(_CARD) and len(marker) == len(_CARD) + 5 and marker[-5:-1].isdecimal()


def mask_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out our own markers from an earlier pass; return the card markers, which are still card context.

    Only markers this module writes are skipped: a look-alike a customer typed ("[card 4111 … removed]")
    is read like any other text, so a secret inside it is still found.
    """
    own: list[tuple[int, int]] = []
    cards: list[tuple[int, int]] = []
    for m in MARKER.finditer(text):
        marker = m.group()
        if marker in _OWN:
            own.append(m.span())
        elif _is_card_marker(marker):
            own.append(m.span())
            cards.append(m.span())
    return (mask(text, own), cards) if own else (text, [])


def marker_for(f: Finding, text: str) -> str:
    """The marker that replaces a finding: a card keeps its last four digits, nothing else keeps anything."""
    if f.kind == "card_number":
        digits = [c for c in text[f.start : f.end] if c.isdigit()]
        return _CARD + "".join(digits[-4:]) + "]"
    return _MARK[f.kind]
