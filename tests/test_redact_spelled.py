"""Card numbers written partly in words never survive, the prescan finds exactly what the whole-text scan
finds, and ordinary numbers next to ordinary words stay."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_redact_properties import issuer_cards
from triage.redact import find_marked, prescan, redact, spelled
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


# Cards said in words, no digit written (issue 13's fifth probe): each digit, pairs, groups as thousands, "double",
# hyphens, "then" between groups. The number names are written out here, not taken from the code under test.
ONES = {
    "en": "zero one two three four five six seven eight nine",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf",
    "it": "zero uno due tre quattro cinque sei sette otto nove",
    "nl": "nul een twee drie vier vijf zes zeven acht negen",
    "pt": "zero um dois três quatro cinco seis sete oito nove",
}
TEENS = {
    "en": "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
    "de": "zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn",
    "es": "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve",
    "fr": "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf",
}
TENS = {
    "en": "- - twenty thirty forty fifty sixty seventy eighty ninety",
    "de": "- - zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "es": "- - veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "fr": "- - vingt trente quarante cinquante soixante soixante quatre-vingt quatre-vingt",
}
THEN = {"en": " and then ", "de": " und dann ", "es": " y luego ", "fr": " et puis ", "it": " poi ", "nl": " en dan ",
        "pt": " depois "}  # fmt: skip


def say_pair(n: int, lang: str) -> str:
    """0-99 as a speaker of `lang` reads two digits of a card (a leading zero said as its own digit)."""
    ones, teens, tens = ONES[lang].split(), TEENS[lang].split(), TENS[lang].split()
    if n < 10:
        return f"{ones[0]} {ones[n]}"
    if n < 20:
        return teens[n - 10]
    t, u = divmod(n, 10)
    if lang == "fr" and t in (7, 9):
        return tens[t] + (" et " if n == 71 else "-") + teens[u]
    if u == 0:
        return tens[t] + ("s" if n == 80 and lang == "fr" else "")
    if lang == "de":
        return ("ein" if u == 1 else ones[u]) + "und" + tens[t]
    if lang == "es":
        return "veinti" + {2: "dós", 3: "trés", 6: "séis"}.get(u, ones[u]) if t == 2 else f"{tens[t]} y {ones[u]}"
    if lang == "fr" and u == 1 and t < 8:
        return f"{tens[t]} et un"
    return f"{tens[t]}-{ones[u]}"


def say_thousands(g: str) -> str:
    """A 4-digit group said as an English number ("four thousand nine hundred three"); a leading zero digit by digit."""
    ones = ONES["en"].split()
    if g[0] == "0":
        return " ".join(ones[int(d)] for d in g)
    th, h, rest = int(g[0]), int(g[1]), int(g[2:])
    out = [f"{ones[th]} thousand"] + ([f"{ones[h]} hundred"] if h else [])
    if rest:
        out.append(ones[rest] if rest < 10 else say_pair(rest, "en"))
    return " ".join(out)


@st.composite
def said_card(draw: st.DrawFn) -> str:
    """A card of the issuer table said in words in one of the ways people read a number out."""
    digits = draw(issuer_cards())
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    style = draw(st.sampled_from(["digits", "hyphens", "pairs", "thousands", "double"]))
    lang = draw(st.sampled_from(list(ONES) if style in ("digits", "hyphens") else list(TEENS)))
    if style == "thousands":
        lang = "en"
    ones = ONES[lang].split()
    if style == "digits":
        sep = draw(st.sampled_from([" ", ", ", " - "]))
        said = [sep.join(ones[int(d)] for d in g) for g in groups]
    elif style == "hyphens":
        said = ["-".join(ones[int(d)] for d in g) for g in groups]
    elif style == "pairs":
        said = [", ".join(say_pair(int(g[i : i + 2]), lang) if i + 1 < len(g) else ones[int(g[i])]
                          for i in range(0, len(g), 2)) for g in groups]  # fmt: skip
    elif style == "thousands":
        said = [say_thousands(g) if len(g) == 4 else " ".join(ones[int(d)] for d in g) for g in groups]
    else:
        lang = draw(st.sampled_from(["en", "de"]))
        ones = ONES[lang].split()
        said = [" ".join(_doubled(g, lang)) for g in groups]
    # (a group said as a thousand ends where the next begins only with a pause: "… eighty-eight, two thousand …")
    joins = [draw(st.sampled_from([", ", THEN[lang]] + ([] if style == "thousands" else [" "]))) for _ in said[1:]]
    return said[0] + "".join(j + s for j, s in zip(joins, said[1:], strict=True))


def _doubled(group: str, lang: str) -> list[str]:
    ones = ONES[lang].split()
    times = {"en": ("double", "triple"), "de": ("doppel", "dreimal")}[lang]
    out: list[str] = []
    i = 0
    while i < len(group):
        j = i
        while j < len(group) and group[j] == group[i] and j - i < 3:
            j += 1
        out.append(ones[int(group[i])] if j - i == 1 else f"{times[j - i - 2]} {ones[int(group[i])]}")
        i = j
    return out


SAID_FRAMES = ["my card number is {}, thanks", "Kartennummer: {}", "{}", "número de tarjeta: {}", "il numero è {}."]


@given(said_card(), st.sampled_from(SAID_FRAMES))
def test_a_card_said_in_words_never_survives(card: str, frame: str) -> None:
    text = frame.format(card)
    out = redact(text).text
    assert "[card" in out and card not in out, text


@pytest.mark.skipif(not prescan.available(), reason="hyperscan is not installed on this platform")
@given(said_card(), st.sampled_from([*SAID_FRAMES, "two or three times {} then twenty-four hours", "vier {} uno"]))
def test_the_prescan_finds_the_said_cards_the_whole_text_scan_finds(card: str, frame: str) -> None:
    text = frame.format(card)
    fast = find_marked(text)
    with prescan.disabled():
        slow = find_marked(text)
    assert fast == slow, text


@pytest.mark.parametrize(
    "text",
    [
        # each digit, in all seven languages (5105 1051 0510 5100 and 4012 8888 8888 1881 are test numbers)
        "my card number is |five one zero five one zero five one zero five one zero five one zero zero",
        "Kartennummer: |vier null eins zwei acht acht acht acht acht acht acht acht eins acht acht eins",
        "mi tarjeta es |cuatro cero uno dos ocho ocho ocho ocho ocho ocho ocho ocho uno ocho ocho uno",
        "ma carte : |quatre zéro un deux huit huit huit huit huit huit huit huit un huit huit un",
        "la mia carta è |quattro zero uno due otto otto otto otto otto otto otto otto uno otto otto uno",
        "mijn kaart is |vier nul een twee acht acht acht acht acht acht acht acht een acht acht een",
        "o meu cartão é |quatro zero um dois oito oito oito oito oito oito oito oito um oito oito um",
        # hyphenated, pairs, thousands, double/triple, then
        "card: |five-one-zero-five one-zero-five-one zero-five-one-zero five-one-zero-zero",
        "card number |forty, twelve, eighty-eight, eighty-eight, eighty-eight, eighty-eight, eighteen, eighty-one",
        "Kartennummer |vierzig, zwölf, achtundachtzig, achtundachtzig, achtundachtzig, achtundachtzig, achtzehn, "
        "einundachtzig",
        "tarjeta: |cuarenta, doce, ochenta y ocho, ochenta y ocho, ochenta y ocho, ochenta y ocho, dieciocho, "
        "ochenta y uno",
        "carte |quarante, douze, quatre-vingt-huit, quatre-vingt-huit, quatre-vingt-huit, quatre-vingt-huit, dix-huit, "
        "quatre-vingt-un",
        "the card is |four thousand twelve, eight thousand eight hundred eighty-eight, eight thousand eight hundred "
        "eighty-eight, one thousand eight hundred eighty-one",
        "card |four oh one two double eight double eight double eight double eight one double eight one",
        "Karte |vier null eins zwei doppel acht doppel acht doppel acht doppel acht eins doppel acht eins",
        "card |4012 8888 then eight eight eight eight one eight eight one",
        # a pair or a group said without its leading zero (5105 1051 0510 5100)
        "carte : |cinquante et un, cinq, dix, cinquante et un, cinq, dix, cinquante et un, zéro",
        "la tarjeta es |cinco mil ciento cinco, mil cincuenta y uno, quinientos diez, cinco mil cien",
        "Karte |vier null eins zwei acht acht acht acht und dann acht acht acht acht eins acht acht eins",
        # partly in words, it/nl/pt
        "il numero della mia carta è |4012 8888 8888 uno otto otto uno",
        "mijn kaartnummer is |4012 8888 8888 een acht acht een",
        "o número do cartão é |4012 8888 8888 um oito oito um",
    ],
)
def test_the_said_shapes(text: str) -> None:
    lead, said = text.split("|")
    out = redact(lead + said).text
    assert out.startswith(lead + "[card"), out
    words = said.replace(",", " ").split()
    assert not any(" ".join(words[k : k + 3]) in out for k in range(len(words) - 2)), out


@pytest.mark.parametrize(
    "text",
    [
        "I tried two or three times, one of the four parcels came, the others within twenty-four hours.",
        "It cost four hundred ninety-nine euros and forty-five cents, two thousand twenty-six prices.",
        "Ich habe zwei, drei, vier, fünf Artikel und zwölf Socken bestellt, dreizehn davon kamen an.",
        "Pedí dos, tres, cuatro camisetas y veinticinco pares de calcetines, noventa y nueve euros.",
        "J'ai commandé deux, trois, quatre articles, quatre-vingt-dix-neuf euros, vingt et un jours.",
        "Ho ordinato due, tre, quattro articoli, sono arrivati sei giorni dopo.",
        "Ik heb twee, drie, vier artikelen besteld, een van de zes kwam niet aan.",
        "Encomendei dois, três, quatro artigos, um deles chegou, sete dias depois.",
        "my order number is one two three, four five six",
        "double check please, triple the order, one or two",
        # a Luhn-valid number with an issuer's prefix, said in words but labelled as an order or invoice number
        "order number four zero one two eight eight eight eight eight eight eight eight one eight eight one",
        "Bestellnummer vier null eins zwei acht acht acht acht acht acht acht acht eins acht acht eins",
        "número de pedido cuatro cero uno dos ocho ocho ocho ocho ocho ocho ocho ocho uno ocho ocho uno",
    ],
)
def test_numbers_said_in_prose_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("my CVV is two zero six, thanks", "two zero six"),
        ("die Prüfziffer lautet zwei null sechs.", "zwei null sechs"),
        ("el código de seguridad es dos cero seis", "dos cero seis"),
        ("le cryptogramme est deux zéro six", "deux zéro six"),
        ("il codice di sicurezza è due zero sei, grazie", "due zero sei"),
        ("de beveiligingscode is twee nul zes, bedankt", "twee nul zes"),
        ("de CVC-code is twee nul zes", "twee nul zes"),
        ("o código de segurança é dois zero seis", "dois zero seis"),
        ("the security code is two oh six", "two oh six"),
        ("CVV: seven eighty-two", "seven eighty-two"),
        ("mijn pincode is negen twee vijf zeven", "negen twee vijf zeven"),
        ("il PIN è nove due cinque sette", "nove due cinque sette"),
        ("my PIN is nineteen fifty-seven", "nineteen fifty-seven"),
    ],
)
def test_a_code_said_after_its_cue_goes(text: str, said: str) -> None:
    out = redact(text).text
    assert said not in out and "removed]" in out, out


@pytest.mark.parametrize(
    "text",
    ["the security code is three hundred percent safe", "my PIN is one of the four I use", "CVV: twelve"],
)
def test_amounts_after_a_code_cue_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("card 4012 8888 8888 1881, expires December twenty-seven", "twenty-seven"),
        ("Karte 4012 8888 8888 1881, gültig bis Dezember siebenundzwanzig", "siebenundzwanzig"),
        ("tarjeta 4012 8888 8888 1881, caduca en marzo del veintisiete", "veintisiete"),
        ("carte 4012 8888 8888 1881, expire en mars vingt-sept", "vingt-sept"),
        ("card 4012 8888 8888 1881, expiry: the third month of two thousand twenty-seven", "twenty-seven"),
        ("card 4012 8888 8888 1881, expiry oh three twenty-seven", "twenty-seven"),
    ],
)
def test_an_expiry_said_after_its_cue_goes(text: str, said: str) -> None:
    out = redact(text).text
    assert said not in out and "[expiry removed]" in out, out


@pytest.mark.parametrize(
    "text",
    [
        "my passport expires in March twenty-seven",
        "the voucher expires in December twenty twenty-seven",
        "card 4012 8888 8888 1881 expires in twenty days",
    ],
)
def test_a_date_said_without_a_card_stays(text: str) -> None:
    out = redact(text).text
    assert out.endswith(text.split()[-1]), out


WORDISH = st.sampled_from(
    ["one", "Forty", "quatre-vingt", "deux fois", "einundvierzig", "VEINTITRÉS", "ventuno", "the", "card", "4111",
     "and", "oh", "dreißig", "then", "zwölftausend", "e", "tweeënveertig", "double", "un"]
)  # fmt: skip


@given(st.lists(st.tuples(WORDISH, st.sampled_from([" ", ", ", "-", " - ", "  ", "\n", "", ": "])), max_size=12))
def test_word_runs_finds_every_pair_of_number_words(pieces: list[tuple[str, str]]) -> None:
    """The whole-text path's locator (word by word) misses no place the trigger pattern fires at."""
    text = "".join(w + sep for w, sep in pieces)
    places = spelled.word_runs(text)
    for m in spelled._WORDS_TRIGGER_RE.finditer(text):
        assert any(m.start() <= p <= m.end() for p in places), (text, m.group())
