"""Redaction markers: the kinds, the text that replaces each, and the blanking that keeps offsets stable."""

from __future__ import annotations

import re
from collections.abc import Iterable

from triage.records import Finding

KINDS: tuple[str, ...] = ("card_number", "card_cvv", "card_expiry", "iban", "bank_account", "password")

_MARK = {
    "card_cvv": "[cvv removed]",
    "card_expiry": "[expiry removed]",
    "iban": "[iban removed]",
    "bank_account": "[bank account removed]",
    "password": "[password removed]",
}

# Our own markers, so a second pass neither re-reads them nor treats their digits as data.
_MARKER_RE = re.compile(
    r"\[(?:card •••• \d{4}|cvv removed|expiry removed|iban removed|bank account removed|password removed)\]"
)
MASK = "\ue000"  # private-use: not a word char, digit or space, so no pattern can match across it


def overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < oe and os < e for os, oe in spans)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out spans (same length, so offsets hold) that later patterns must neither read nor run into."""
    parts: list[str] = []
    last = 0
    for s, e in sorted(spans):
        if s < last:
            s = last
        parts.append(text[last:s])
        parts.append(MASK * max(0, e - s))
        last = max(last, e)
    parts.append(text[last:])
    return "".join(parts)


def mask_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out markers from an earlier pass; return the card markers, which are still card context."""
    found = [(m.start(), m.end(), m.group().startswith("[card")) for m in _MARKER_RE.finditer(text)]
    if not found:
        return text, []
    return mask(text, [(s, e) for s, e, _ in found]), [(s, e) for s, e, is_card in found if is_card]


def marker_for(f: Finding, text: str) -> str:
    """The marker that replaces a finding: a card keeps its last four digits, nothing else keeps anything."""
    if f.kind == "card_number":
        digits = [c for c in text[f.start : f.end] if c.isdigit()]
        return "[card •••• " + "".join(digits[-4:]) + "]"
    return _MARK[f.kind]
