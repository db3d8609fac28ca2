"""Card numbers written partly in words never survive, the prescan finds exactly what the whole-text scan
finds, and ordinary numbers next to ordinary words stay."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_redact_properties import issuer_cards
from triage.redact import find_marked, prescan, redact
from triage.redact.spelled import DIGIT_WORDS

WORDS_BY_DIGIT: dict[str, list[str]] = {}
for _word, _digit in DIGIT_WORDS.items():
    WORDS_BY_DIGIT.setdefault(_digit, []).append(_word)


@st.composite
def spelled_card(draw: st.DrawFn) -> tuple[str, str]:
    """A card of the issuer table written in groups with some digits as words (any language and case), and
    the digits it stands for."""
    digits = draw(issuer_cards())
    pieces: list[str] = []
    spelled = False
    for i, d in enumerate(digits):
        as_word = draw(st.booleans()) if i >= 4 else False  # at least one written digit stays
        if as_word:
            word = draw(st.sampled_from(WORDS_BY_DIGIT[d]))
            pieces.append(draw(st.sampled_from([word, word.upper(), word.title()])))
            spelled = True
        else:
            pieces.append(d)
    if not spelled:
        pieces[-1] = WORDS_BY_DIGIT[digits[-1]][0]
    sep = draw(st.sampled_from([" ", "-", " - ", ", ", ".", "  "]))
    out = pieces[0]
    for prev, piece in pairwise(pieces):  # digits in a group glued, words always parted
        out += piece if prev.isdigit() and piece.isdigit() and draw(st.booleans()) else sep + piece
    return out, digits


@given(spelled_card(), st.sampled_from(["My card is {}, thanks", "Karte: {}", "{}", "tarjeta {} gracias"]))
def test_a_card_spelled_partly_in_words_never_survives(card: tuple[str, str], frame: str) -> None:
    text = frame.format(card[0])
    out = redact(text).text
    assert "[card" in out, text
    assert card[0] not in out


@pytest.mark.skipif(not prescan.available(), reason="hyperscan is not installed on this platform")
@given(spelled_card(), st.sampled_from(["Order 1042, card {} exp 12/29 cvv 737", "{} one more thing", "vier {}"]))
def test_the_prescan_finds_what_the_whole_text_scan_finds(card: tuple[str, str], frame: str) -> None:
    text = frame.format(card[0])
    fast = find_marked(text)
    with prescan.disabled():
        slow = find_marked(text)
    assert fast == slow, text


@pytest.mark.parametrize(
    "text",
    [
        "my card is 4111 1111 1111 one one one one, exp 12/29",
        "Card: four one one one 1111 1111 1111",
        "card number 4111-1111-1111-11one1",
        "Mi tarjeta es 4111 1111 1111 uno uno uno uno",
        "Karte: vier eins eins eins 1111 1111 1111",
        "Carte : quatre un un un 1111 1111 1111",
    ],
)
def test_the_issues_shapes(text: str) -> None:
    out = redact(text).text
    assert "[card" in out and "1111 1111 1111" not in out and "11one1" not in out


@pytest.mark.parametrize(
    "text",
    [
        "I have one order and two questions, 4 items.",
        "Call me on 0044 one two three 4567 8910 please.",
        "Order 12345678 one more thing: the 2 lamps arrived.",
        "J'ai 2 articles et une commande 458243, deux fois 19,90.",
        "Pedí dos camisetas, 3 pares de calcetines y una mochila, pedido 30551.",
        "Ich habe eins 2 drei 4 fünf 6 sieben bestellt.",
    ],
)
def test_numbers_beside_ordinary_words_stay(text: str) -> None:
    assert redact(text).text == text
