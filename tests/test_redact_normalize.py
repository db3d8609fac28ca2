"""The normaliser in front of the detectors: its Unicode tables, what it rewrites, and the map back."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.redact.issuers import ISSUERS, brand_of, lengths_by_prefix4
from triage.redact.normalize import FOREIGN_DIGITS, FORMAT_CHARS, RELEVANT, normalise


def _expand(ranges: str) -> set[int]:
    out: set[int] = set()
    for m in re.finditer(r"(.)(?:-(.))?", ranges, re.DOTALL):
        out.update(range(ord(m.group(1)), ord(m.group(2) or m.group(1)) + 1))
    return out


def test_tables_match_this_pythons_unicode() -> None:
    """A newer Unicode that adds digits or format characters must fail here, not let them through."""
    cats = {cp: unicodedata.category(chr(cp)) for cp in range(0x80, 0x110000)}
    assert _expand(FORMAT_CHARS) == {cp for cp, c in cats.items() if c == "Cf"}
    assert _expand(FOREIGN_DIGITS) == {cp for cp, c in cats.items() if c == "Nd"}
    assert {chr(cp) for cp, c in cats.items() if c == "Zs"} <= RELEVANT


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("4111\u200b1111", "41111111"),
        ("4111&#8203;1111", "41111111"),
        ("4111&#x200B;1111", "41111111"),
        ("41\xad11", "4111"),
        ("４１１１", "4111"),
        ("٤١١١ ۱۱۱۱ १११", "4111 1111 111"),
        ("a\u3000b\tc\u00a0d", "a b c d"),
        ("4111\n1111", "4111 1111"),
        ("4111 \r\n> > 1111", "4111  1111"),
        ("pan%3D4111", "pan=4111"),
        ("4111</td><td>1111", "4111 1111"),
        ("line one\nline two", "line one\nline two"),  # a break not inside a digit run stays
        ("12\nMain Street", "12\nMain Street"),
        ("a &amp; b 100% sure", "a &amp; b 100% sure"),
        ("Grüße, Jürgen", "Grüße, Jürgen"),
    ],
)
def test_what_is_rewritten(text: str, clean: str) -> None:
    assert normalise(text).text == clean


@given(st.text(alphabet=st.sampled_from(list("41 \n>\u200b\xad&#8203;４٤\t<br>xé")), max_size=60))
def test_every_clean_span_maps_inside_the_original(text: str) -> None:
    norm = normalise(text)
    for m in re.finditer(r"\d+", norm.text):
        s, e = norm.to_original(*m.span())
        assert 0 <= s < e <= len(text)
        original = text[s:e]
        # The original span holds the same digits, in whatever script, and nothing else number-like.
        digits = "".join(str(unicodedata.decimal(c)) for c in original if unicodedata.decimal(c, None) is not None)
        assert m.group() in digits or digits in m.group() or "&#" in original


@pytest.mark.parametrize("text", ["<r٤>0", "Card <b>٤١١١ ١١١١ ١١١١ ١١١١</b>", "x<br>٤"])
def test_digits_after_a_tag_that_is_not_inside_a_number_are_still_rewritten(text: str) -> None:
    """A "<" that does not continue a digit run is skipped, but what follows it is still read."""
    assert not any(unicodedata.decimal(c, None) is not None and not c.isascii() for c in normalise(text).text)


def test_identity_text_is_not_copied() -> None:
    text = "Hello, order 1042 arrived.\nThanks"
    norm = normalise(text)
    assert norm.text is text and norm.identity and norm.to_original(3, 7) == (3, 7)


def test_issuer_lookup_widens_never_narrows() -> None:
    """Every number a range of the table holds is a card length at its four-digit prefix."""
    table = lengths_by_prefix4()
    for issuer in ISSUERS:
        for first in {issuer.first, issuer.last}:
            key = (first + "0000")[:4]
            assert issuer.lengths <= table[key], issuer
        number = issuer.first + "0" * (min(issuer.lengths) - len(issuer.first))
        assert brand_of(number) is not None
