"""Cards whose groups stand apart (triage.redact.cards.joined_cards): on lines split by blank lines, on chat
lines after a timestamp and name, in two sentences, the end told before the rest; and across two text parts of
one mail. Our own values, each table with its decoys: the groups of phone numbers, dates, prices, order and
tracking numbers must not be joined into a card.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.redact import prescan, redact
from triage.redact.cards import joined_cards, luhn_ok
from triage.redact.normalize import normalise

CARDS = ["4155217220794551", "5136666033093661", "2221451307871560", "6011082222878391", "3566835337406812"]


def g(card: str) -> list[str]:
    """A 16-digit card in its four groups."""
    return [card[i : i + 4] for i in range(0, 16, 4)]


def both_ways(text: str) -> str:
    out = redact(text).text
    with prescan.disabled():
        assert redact(text).text == out
    return out


def gone(card: str, out: str) -> bool:
    """No 6 digits of the card in a row are left in the output's digits (markers aside)."""
    digits = "".join(c for c in re.sub(r"\[card •••• \d{4}\]", " ", out) if c.isdigit())
    return all(card[i : i + 6] not in digits for i in range(len(card) - 5))


a, b, c, d, e = (g(x) for x in CARDS)
SPLIT = [
    # groups on lines with blank lines between
    (f"Card number\n\n{a[0]}\n\n{a[1]}\n\n{a[2]}\n\n{a[3]}\n", CARDS[0]),
    (f"Kartennummer:\n\n{b[0]} {b[1]}\n\n{b[2]} {b[3]}\n\nDanke", CARDS[1]),
    (f"Numéro de carte\n\n{c[0]}\n\n\n{c[1]}\n\n{c[2]}\n\n{c[3]}", CARDS[2]),
    (f"Número de tarjeta\r\n\r\n{d[0]}\r\n\r\n{d[1]}\r\n\r\n{d[2]}\r\n\r\n{d[3]}", CARDS[3]),
    (f"{e[0]}\n\n{e[1]}\n\n{e[2]}\n\n{e[3]}\n\n(that's all of it)", CARDS[4]),  # 4-4-4-4 close: no word needed
    # chat exports: a timestamp and a name before one or two groups a line
    (f"3/14/26, 09:15 - Lea Vogel: meine Karte\n3/14/26, 09:15 - Lea Vogel: {a[0]} {a[1]}\n"
     f"3/14/26, 09:16 - Lea Vogel: {a[2]} {a[3]}", CARDS[0]),
    (f"[14.03.26, 09:15:02] Marco: la mia carta\n[14.03.26, 09:15:09] Marco: {b[0]} {b[1]}\n"
     f"[14.03.26, 09:15:30] Marco: {b[2]} {b[3]}", CARDS[1]),
    (f"2026-03-14 09:15 Joana: cartão\n2026-03-14 09:15 Joana: {c[0]}\n2026-03-14 09:16 Joana: {c[1]}\n"
     f"2026-03-14 09:16 Joana: {c[2]}\n2026-03-14 09:17 Joana: {c[3]}", CARDS[2]),
    # halves in two sentences
    (f"The card shows {d[0]} {d[1]}. Oops, then {d[2]} {d[3]}.", CARDS[3]),
    (f"Auf meiner Kreditkarte steht {e[0]} {e[1]}. Und weiter: {e[2]} {e[3]}.", CARDS[4]),
    (f"Sur ma carte : {a[0]} {a[1]}. La suite, c'est {a[2]} {a[3]}.", CARDS[0]),
    (f"Mi tarjeta empieza por {b[0]} {b[1]}. Después viene {b[2]} {b[3]}", CARDS[1]),
    (f"Op mijn kaart staat {c[0]} {c[1]}. Daarna {c[2]} {c[3]}.", CARDS[2]),
    # the end told first
    (f"ends in {d[3]}; before that {d[0]} {d[1]} {d[2]}", CARDS[3]),
    (f"Schluss: {e[3]}, davor {e[0]} {e[1]} {e[2]}", CARDS[4]),
    (f"la carta finisce con {a[3]}, prima {a[0]} {a[1]} {a[2]}", CARDS[0]),
    # Amex 4-6-5 and a 19-digit UnionPay over lines
    ("Amex card\n\n3737\n\n825285\n\n59026", "373782528559026"),
    ("tarjeta UnionPay:\n\n6254 3902\n\n3165 3823 092", "6254390231653823092"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "card"), SPLIT, ids=[t[:32] for t, _ in SPLIT])
def test_a_card_in_pieces_apart_goes(text: str, card: str) -> None:
    assert luhn_ok(card)
    out = both_ways(text)
    assert gone(card, out), out
    assert out.count("[card") == 1


KEPT = [
    # phone numbers, dates, times, prices and postcodes on lines or in sentences
    ("Tel.\n\n030 2345 6789\n\nFax\n\n030 2345 6790", "030 2345 6789"),
    ("Rue de Rivoli 10\n75001 Paris\n+33 1 4155 2172\n\n#2079 4551 ordered", "+33 1 4155 2172"),
    ("3/14/26, 09:15 - Lea: order 4711\n3/14/26, 09:16 - Lea: arrived 2026", "order 4711"),
    ("Invoice 4155 2172 paid. Delivery note 2079 4551.", "Invoice 4155 2172 paid. Delivery note 2079 4551."),
    ("Bestellung 4155 2172, Karte abgelehnt. Sendung 2079 4551.", "Sendung 2079 4551"),
    # a 4-4-4-4 with no card word, but far apart: four numbers of a longer text
    (f"Ticket {a[0]} {a[1]} was opened on Monday about the blue sofa and the delivery slot; later {a[2]} "
     f"{a[3]}", f"{a[2]} {a[3]}"),
    # prices, sizes, years
    ("Card total 4155 EUR.\n\n2172 EUR\n\n2079 EUR\n\n4551 EUR", "2172 EUR"),
    ("card years 2019\n\n2020\n\n2021\n\n2022", "2019\n\n2020\n\n2021\n\n2022"),
    ("Karte: Preis 41,55 € und 21,72 €, dann 20,79 € und 45,51 €", "41,55 € und 21,72 €"),
    ("my card arrived 2026-03-14, order 4155 2172 2079 4552", "4155 2172 2079 4552"),  # fails Luhn
    ("loyalty card 4155 2172\n\n2079 4551 9", "4155 2172"),  # 17 digits: no card length
]  # fmt: skip


@pytest.mark.parametrize(("text", "kept"), KEPT, ids=[t[:32] for t, _ in KEPT])
def test_pieces_that_make_no_card_stay(text: str, kept: str) -> None:
    assert kept in both_ways(text)


@settings(max_examples=200, deadline=None)
@given(
    card=st.sampled_from(CARDS),
    word=st.sampled_from(["Card number", "Kartennummer", "Numéro de carte", "Número de tarjeta", "carta", "kaart"]),
    per_line=st.sampled_from([1, 2]),
    gap=st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n", "\n12/3/26, 10:42 - Kim: ", "\n[10:42] Kim: "]),
)
def test_any_split_of_a_card_goes(card: str, word: str, per_line: int, gap: str) -> None:
    groups = g(card)
    parts = [" ".join(groups[i : i + per_line]) for i in range(0, 4, per_line)]
    out = both_ways(word + gap + gap.join(parts))
    assert gone(card, out), out


NOT_PIECES = ["49,90", "12/03", "10:42", "#7788", "14.03.26", "+49 30 1234", "4711 EUR", "x4711", "1042-B"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*NOT_PIECES, "1042"]), max_size=8),
    st.sampled_from(["\n\n", ". ", "\n12/3/26, 10:42 - Kim: "]),
)
def test_numbers_that_are_no_card_are_never_joined(numbers: list[str], gap: str) -> None:
    """Prices, dates, times, "#7788", phone numbers and amounts after a card word are no card's pieces. (The
    joiner alone: the digit scans read "49,90. 49,90. …" as one run of groups, as they did before it.)"""
    text = "card" + gap + gap.join(numbers)
    assert joined_cards(normalise(text).text, []) == []
    both_ways(text)
