"""Cards written in digits that are not plain digits, or with separators the digit scans do not know.

Probe 5's shapes: superscript, subscript, circled and keycap digits, combining marks after digits, the
non-breaking and full-width hyphens (any dash of Unicode's Pd class), and typed arrows between groups. The
normaliser reads each as the digit or separator it shows (triage.redact.normalize); the same rules then decide.
Values here are our own; each table has its decoys beside it.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.redact import prescan, redact
from triage.redact.cards import luhn_ok
from triage.redact.normalize import DASHES, MARKS, ODD_DIGITS, normalise

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
CIRCLED = str.maketrans("0123456789", "⓪①②③④⑤⑥⑦⑧⑨")
NEGATIVE_CIRCLED = str.maketrans("0123456789", "⓿❶❷❸❹❺❻❼❽❾")
FULL_STOP = str.maketrans("123456789", "⒈⒉⒊⒋⒌⒍⒎⒏⒐")


def keycap(s: str) -> str:
    return "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in s)


def digits_of(s: str) -> str:
    """Every digit in `s`, in whatever form, as ASCII: what a reader reads."""
    return "".join(str(unicodedata.digit(c)) for c in s if unicodedata.digit(c, None) is not None)


def both_ways(text: str) -> str:
    """The redacted text, checked to be the same with the prescan on and off."""
    out = redact(text).text
    with prescan.disabled():
        assert redact(text).text == out
    return out


ODD_CARDS = [
    ("Card " + "4155 2172 2079 4551".translate(SUPERSCRIPT) + " thanks", "4155217220794551"),
    ("Kartennummer " + "5136 6660 3309 3661".translate(SUBSCRIPT), "5136666033093661"),
    ("ma carte " + "3737 825285 59026".translate(CIRCLED), "373782528559026"),
    ("mi tarjeta es " + "6011 0822 2287 8391".translate(NEGATIVE_CIRCLED), "6011082222878391"),
    ("card " + keycap("3525 3259 4060 6552"), "3525325940606552"),
    ("kaartnummer " + keycap("5530 2784 4751 0991"), "5530278447509910"),
    ("cartão " + keycap("2221451307871560"), "2221451307871560"),
    ("Karte " + "".join(c + "\u0332" if c.isdigit() else c for c in "4598 4230 6140 8237"), "4598423061408237"),
    ("card " + "4155 2172 2079 4551".translate(FULL_STOP).replace(" ", "  "), "4155217220794551"),
]


@pytest.mark.parametrize(("text", "card"), ODD_CARDS, ids=lambda v: str(v)[:30])
def test_cards_in_odd_digits_go(text: str, card: str) -> None:
    out = both_ways(text)
    assert "[card" in out
    assert card[-8:-4] not in digits_of(out.replace(card[-4:], ""))


@pytest.mark.parametrize("text", ["card 4️⃣1️⃣5️⃣5️⃣ 2️⃣1️⃣7️⃣2️⃣ 2️⃣0️⃣7️⃣9️⃣ 4️⃣5️⃣5️⃣1️⃣, ok"])
def test_a_keycap_marker_takes_the_whole_emoji(text: str) -> None:
    """The marks after a card's last digit belong to it: no stray keycap after the marker."""
    assert both_ways(text) == "card [card •••• 4551], ok"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Wohnung 85 m², Keller 12 m³", "85 m², Keller 12 m³"),
        ("CO₂ 120 g/km, H₂O", "CO₂ 120 g/km"),
        ("Schritt ① bis ④ der Anleitung, Seite 12", "Schritt ① bis ④"),
        ("Rate us 5️⃣ stars! Order 1️⃣2️⃣3️⃣4️⃣", "1️⃣2️⃣3️⃣4️⃣"),
        ("café, naïve, résumé 2026", "café, naïve, résumé 2026"),
        ("10⁶ units, footnote¹ and ²", "10⁶ units"),
    ],
)
def test_odd_digits_that_are_no_card_stay(text: str, kept: str) -> None:
    assert kept in both_ways(text)


DASHED_CARDS = [
    ("ma carte : 4155‑2172‑2079‑4551", "4155217220794551"),
    ("meine Karte 5136－6660－3309－3661", "5136666033093661"),
    ("card 6011‐0822‐2287‐8391", "6011082222878391"),
    ("tarjeta 3525 ‒ 3259 ‒ 4060 ‒ 6552", "3525325940606552"),
    ("carta 4598﹣4230﹣6140﹣8237", "4598423061408237"),
    ("card: 4328 -> 0426 -> 3845 -> 1749", "4328042638451749"),
    ("Karte: 5530=>2784=>4750=>9910", "5530278447509910"),
    ("kaart 2221 → 4513 → 0787 → 1560", "2221451307871560"),
]


@pytest.mark.parametrize(("text", "card"), DASHED_CARDS, ids=lambda v: str(v)[:30])
def test_cards_with_odd_dashes_or_arrows_go(text: str, card: str) -> None:
    out = both_ways(text)
    assert "[card" in out and card[4:12] not in digits_of(out)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Tel. +49 30‑2345‑6789, Fax 030－2345－6790", "+49 30‑2345‑6789, Fax 030－2345－6790"),
        ("geliefert am 12‑03‑2026, Rechnung 2026‑0042", "12‑03‑2026, Rechnung 2026‑0042"),
        ("Größen 38－42, Preis 10‒20 €", "38－42, Preis 10‒20 €"),
        ("Sendung 4155‑2172‑2079‑4552 unterwegs", "4155‑2172‑2079‑4552"),  # fails Luhn
        ("steps 1 -> 2 -> 3, then 4 => 5", "1 -> 2 -> 3, then 4 => 5"),
        ("order 1042 -> shipped -> 2026-03-12", "1042 -> shipped -> 2026-03-12"),
        ("tracking number: 4155‑2172‑2079‑4551", "4155‑2172‑2079‑4551"),  # labelled, no card word
    ],
)
def test_dashes_and_arrows_that_are_no_card_stay(text: str, kept: str) -> None:
    assert kept in both_ways(text)


def test_tables_match_this_pythons_unicode() -> None:
    """The odd digits are exactly Unicode's digits that are not decimal; every listed dash is a dash or minus."""
    odd = {c for c in map(chr, range(0x80, 0x110000)) if unicodedata.digit(c, None) is not None}
    odd -= {c for c in odd if unicodedata.decimal(c, None) is not None}
    assert _expand(ODD_DIGITS) == odd
    assert {c for c in odd if normalise(c).text != str(unicodedata.digit(c))} == set()
    for c in _expand(DASHES):
        assert unicodedata.category(c) == "Pd" or "MINUS" in unicodedata.name(c)
    assert {unicodedata.category(c) for c in _expand(MARKS)} <= {"Mn", "Me", "Cn"}  # (Cn: unassigned yet)


def _expand(ranges: str) -> set[str]:
    return {
        chr(k) for m in re.finditer(r"(.)(?:-(.))?", ranges, re.DOTALL) for k in range(ord(m[1]), ord(m[2] or m[1]) + 1)
    }


@given(
    st.sampled_from(["4155217220794551", "5136666033093661", "6011082222878391", "3525325940606552"]),
    st.sampled_from([SUPERSCRIPT, SUBSCRIPT, CIRCLED, NEGATIVE_CIRCLED, None]),
    st.sampled_from([" ", "\u2011", "\uff0d", "\u2010", " -> ", " → "]),
    st.sampled_from(["card", "Karte", "carte", "tarjeta", "carta", "kaart", "cartão"]),
)
def test_any_form_of_digit_and_dash_together(card: str, table: dict[int, str] | None, sep: str, word: str) -> None:
    written = sep.join(card[i : i + 4] for i in range(0, 16, 4))
    written = keycap(written) if table is None else written.translate(table)
    out = both_ways(f"{word} {written} ok")
    assert luhn_ok(card) and card[4:12] not in digits_of(out)


PIECES = ["4111", "5500", "1", " ", "²", "⁴¹", "④", "\ufe0f\u20e3", "\u0332", "‑", "－", "->", "=>", ">", "-", "→", "•"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\n", "card ", "x", "é", "\u0301"]), max_size=30))
def test_odd_digits_dashes_and_marks_redact_the_same_both_ways(pieces: list[str]) -> None:
    """The prescan's rewrite triggers hold every rewrite of these characters (prescan on == off)."""
    text = "".join(pieces)
    assert normalise(text).text == normalise(text, prescan.rewrites(text)).text or not prescan.available()
    both_ways(text)
