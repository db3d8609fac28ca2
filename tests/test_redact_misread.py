"""Numbers read off a photo or scan, letters typed for digits: a card after its card word (q/g for 9, b/G for 6,
z for 2, A for 4, s for 5, i/|/! for 1, & for 8, besides the O/l/I/S/B read before), and I or l for 1 in an
IBAN's numeric parts. Luhn and the issuer table, or mod-97 and the BBAN structure, confirm each reading; our
own values, with decoys that stay."""

from __future__ import annotations

import re

import pytest

from triage.redact import prescan, redact


def both_ways(text: str) -> str:
    out = redact(text).text
    with prescan.disabled():
        assert redact(text).text == out
    return out


@pytest.mark.parametrize(
    "text",
    [
        "card number: 4155 2i72 2079 45s1",
        "Kartennummer: 5136 bbb0 3309 3bb1",
        "numéro de carte : 2zz1 4513 0787 156O",
        "tarjeta: 6O11 O822 2287 839!",
        "Visa: 4598 A230 6140 8237",
        "carta: 3566 8353 374O b812",
        "kaartnummer: 4328 O42b 3845 |749",
        "cartão 5530 27&4 4750 qq10",
        "Mastercard 5136 666O 33O9 3GG1",
    ],
)
def test_a_card_with_misread_digits_goes(text: str) -> None:
    """The whole number goes, each group with it (the marker's four digits are the span's own digits)."""
    out = both_ways(text)
    rest = re.sub(r"\[card •••• \w{4}\]", "", out)
    assert "[card •••• " in out and not any(group in rest for group in text.split()[-4:]), out


@pytest.mark.parametrize(
    "text",
    [
        "card 12 and 34 bags",
        "Karte: 4111 ist gesperrt seit 2 Tagen",
        "Kartennummer: siehe Anhang, Bestellung 4711",
        "carte : 12 sacs gris, 3 boîtes",
        "Visa: 4155 2i72 2079 45s2",  # fails Luhn once read
        "card no. 5l48 is the SKU",
        "tarjeta: 6O11 big box 2287",
    ],
)
def test_letters_and_digits_that_are_no_card_stay(text: str) -> None:
    assert both_ways(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "IBAN DE89 3704 0044 0532 0I30 00",
        "IBAN GB82 WEST I234 5698 7654 32",
        "IBAN FR14 2004 I0I0 0505 0001 3M02 606",
        "IBAN: NL91 ABNA 04I7 I643 00",
        "IBAN ES91 2I00 04I8 4502 0005 1332",
        "Bankverbindung BE68 5390 O754 7O34",
        "iban nl91 abna 04l7 l643 00",
    ],
)
def test_an_iban_with_i_or_l_for_one_goes(text: str) -> None:
    out = both_ways(text)
    assert out.endswith("[iban removed]"), out


@pytest.mark.parametrize(
    "text",
    [
        "Konto: IBAN DE89 3704 0044 0532 0I30 01",  # mod-97 fails once read
        "Modell DE89 I704 Lager 12",
    ],
)
def test_iban_shapes_that_fail_their_checks_stay(text: str) -> None:
    assert "[iban removed]" not in both_ways(text)
