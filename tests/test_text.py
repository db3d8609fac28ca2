"""The shared text primitives: folding keeps every index, masking keeps the length, and the one marker
pattern knows every marker redaction writes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.records import Finding
from triage.redact import KINDS, redact
from triage.redact.markers import marker_for, mask_markers
from triage.text import (
    MARKER,
    SENTENCES,
    TextForms,
    blank,
    fold,
    fold_common,
    forms,
    mask,
    plain,
    sentence_spans,
)

# One line per script (and the awkward cases): Latin with accents, ß and ligatures, Turkish dotted I,
# Greek with final sigma, Cyrillic, Hebrew, Arabic, Devanagari, Thai, CJK, Hangul, combining marks,
# full-width forms, emoji with a skin tone, and characters outside the BMP.
SCRIPTS = [
    "Größe STRAẞE Dirección Réclamation naïve Œuvre ﬁn",
    "İstanbul ıi I",
    "ΟΔΥΣΣΕΥΣ Άλφα ΐ",
    "Заказ №1042 ЁЛКА",
    "הזמנה מספר 1042",
    "طلب رقم ١٠٤٢",
    "आदेश संख्या १०४२",
    "คำสั่งซื้อ",
    "注文番号 1042 号",
    "주문 번호 1042",
    "e\u0301 a\u0308 \u0301 q\u0303",
    "ＣＶＶ １２３ ｆｕｌｌ",
    "👍🏽 🇩🇪 𝐁𝐨𝐥𝐝 𝟏𝟎𝟒𝟐",
    "ǅ ǈ ǋ ½ ² ™ ℌ",
]


@pytest.mark.parametrize("text", SCRIPTS)
def test_fold_keeps_every_index_on_every_script(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            assert fold(text[a:b]) == folded[a:b]


@given(st.text())
def test_fold_keeps_every_index(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.splitlines() == [fold(line) for line in text.splitlines()]
    assert fold(folded) == folded


def test_every_code_point_folds_to_one_character_and_keeps_line_breaks() -> None:
    breaks = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = fold(ch)
        assert len(folded) == 1, hex(code)
        assert (folded in breaks) == (ch in breaks), hex(code)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Größe", "große"),
        ("DIRECCIÓN", "direccion"),
        ("Réclamation", "reclamation"),
        ("Österreich", "osterreich"),
        ("İ", "İ"),  # its lower case is two characters: kept
        ("ﬁ", "ﬁ"),  # spelled out it is two: kept
        ("ＣＶＶ", "cvv"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_common_is_fold_for_the_accents_of_the_four_languages() -> None:
    accented = "àáâãäåèéêëìíîïòóôõöùúûüýÿñç"
    assert fold_common(accented) == fold(accented) == "aaaaaaeeeeiiiiooooouuuuyync"
    assert fold_common("straße œuvre ō") == "straße œuvre ō"  # the intent model's input: nothing else moves
    assert fold_common("plain ascii") == "plain ascii"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passwörter", "passworter"),
        ("Schlüssel", "schlussel"),
        ("STRAẞE", "strasse"),
        ("identiﬁants", "identifiants"),
        ("ＣＶＶ", "cvv"),
        ("pass\u0301word", "password"),
    ],
)
def test_plain_spells_out_what_fold_cannot(text: str, expected: str) -> None:
    assert plain(text) == expected


# ---------------------------------------------------------------- markers


def _every_marker() -> list[str]:
    """One marker per kind, written by redaction itself, so a new kind cannot be left out."""
    text = "4111 1111 1111 1111"
    return [marker_for(Finding(kind, 0, len(text)), text) for kind in KINDS]


@pytest.mark.parametrize("marker", _every_marker())
def test_the_marker_pattern_matches_every_marker_redaction_writes(marker: str) -> None:
    assert MARKER.fullmatch(marker)
    text = f"Order 1042 {marker} thanks"
    assert mask(text) == "Order 1042 " + " " * len(marker) + " thanks"
    masked, _ = mask_markers(text)
    assert masked.startswith("Order 1042 ") and marker not in masked  # redaction skips its own markers


def test_every_kind_writes_a_marker() -> None:
    assert len(set(_every_marker())) == len(KINDS)
    assert _every_marker()[KINDS.index("card_number")] == "[card •••• 1111]"


@pytest.mark.parametrize(
    "marker",
    ["[Kartennummer entfernt]", "[REDACTED]", "[card number redacted]", "[IBAN removed]", "[••••]"],
)
def test_the_marker_pattern_takes_the_looser_forms(marker: str) -> None:
    assert MARKER.fullmatch(marker)


@pytest.mark.parametrize("text", ["[#1042]", "[Bestellung 1042]", "[image: logo]", "[a]\n[removed]"])
def test_other_brackets_are_text(text: str) -> None:
    match = MARKER.search(text)
    assert match is None or match.group() == "[removed]"


def test_a_look_alike_marker_does_not_hide_a_secret_from_redaction() -> None:
    text = "[card 4111 1111 1111 1111 removed]"
    assert MARKER.fullmatch(text)
    assert [f.kind for f in redact(text).findings] == ["card_number"]
    assert redact(redact(text).text).text == redact(text).text


# ---------------------------------------------------------------- masking and forms


PIECES = st.sampled_from([*"ab1 .@-:/[]\n•éßİ", "removed", "www.", "http://", "x@example.com"])


@given(st.lists(PIECES, max_size=30).map("".join))
def test_mask_keeps_the_length(text: str) -> None:
    assert len(mask(text)) == len(text)
    view = TextForms.of(text)
    assert len({len(view.text), len(view.folded), len(view.masked), len(view.masked_folded)}) == 1
    assert view.masked == mask(text)
    assert view.masked_folded == fold(mask(text))


def test_mask_blanks_markers_urls_and_addresses_only() -> None:
    text = "Order #1042: see https://shop.example/o/1043 or mail a.b@example.com [iban removed] 12345"
    masked = mask(text)
    assert len(masked) == len(text)
    assert "1042" in masked and "12345" in masked
    assert "1043" not in masked and "example" not in masked and "iban" not in masked


def test_blank_takes_overlapping_spans_in_any_order() -> None:
    assert blank("abcdefgh", [(4, 6), (1, 3), (2, 5)]) == "a     gh"
    assert blank("abcdefgh", [(1, 3)], "#") == "a##defgh"


def test_forms_join_is_the_forms_of_the_joined_text() -> None:
    a = TextForms.of("Réf. [card •••• 1111] x@example.com")
    b = TextForms.of("Bestellung 1042 www.shop.example/1043 Größe")
    assert a.join(b) == TextForms.of(f"{a.text}\n{b.text}")
    assert a.join(b).emails == ("x@example.com",)


def test_forms_takes_either_a_string_or_forms() -> None:
    view = TextForms.of("Hello")
    assert forms(view) is view
    assert forms("Hello") == view


@pytest.mark.parametrize(
    "text",
    ["", "One. Two! Three? Four", "Am 3. November bestellt. Danke.", "a\n\nb", 'He said "no". Then left.  '],
)
def test_sentence_spans_cut_where_the_pattern_splits(text: str) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == SENTENCES.split(text)


@pytest.mark.parametrize("plane", range(0, 0x110000, 0x10000))
def test_fold_replaces_each_character_as_the_table_does(plane: int) -> None:
    # fold's usual path replaces the distinct non-ASCII characters of lower-cased text; translating the
    # whole text through the fold table is the definition it must equal (every code point, among ASCII).
    from triage.text import _FOLD

    chars = [chr(c) for c in range(plane, plane + 0x10000) if not 0xD800 <= c < 0xE000]
    for k in range(0, len(chars), 64):
        text = "Order Nr. 12 " + " ab".join(chars[k : k + 64]) + " ÄÖÜ é"
        assert fold(text) == text.translate(_FOLD)
