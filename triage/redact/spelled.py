"""Card numbers written partly or wholly in words: "4111 1111 1111 one one one one", "vier eins eins eins 1111 …",
"forty-one, twelve, …", "four thousand eight hundred thirty-seven, …"; and codes and expiry dates said after their cue.

A customer who was told never to send a card number sometimes spells part of it out, and a copy of a
number read aloud over the phone arrives that way too. The digit detectors read digits, so this pass reads
a run of digit groups and digit words (en/de/es/fr/it/nl/pt, "11one1" glued too) as the digits they stand for; a run
of 12-19 digits that passes Luhn and has an issuer's prefix and length, or a card word just before it, is a
card number like any other. At least one word and one written digit must be in the run: a run of digits
alone is the digit detectors' job, and words alone ("one two three") are no card anyone pastes.

Cost: a mail holds digit words everywhere ("one", "un", "dos"), so the run pattern is tried only where a
written digit sits right next to a digit word: the prescan's hyperscan pass finds those places with the
other triggers (`meets` is the whole-text way, when hyperscan is not there), so typical mail pays nothing
measurable for this pass. A number said with no digit written (`said_cards`) is found the same way where two
number words stand side by side (the prescan's _SAID trigger, or `word_runs`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

from triage.records import Finding
from triage.redact.cards import _not_card_word_before as not_card_word_before
from triage.redact.cards import card_word_in, issuer_matches, luhn_ok

# Spoken digits of the seven languages (en, de, es, fr; it, nl, pt), folded to ASCII where the mail may not be
# ("fünf"/"funf"/"fuenf").
DIGIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("zero", "oh", "nought", "null", "cero", "zéro", "nul"), "0"),
    **dict.fromkeys(("one", "eins", "ein", "uno", "una", "un", "une", "een", "één", "um", "uma"), "1"),
    **dict.fromkeys(("two", "zwei", "zwo", "dos", "deux", "due", "twee", "dois", "duas"), "2"),
    **dict.fromkeys(("three", "drei", "tres", "trois", "tre", "drie", "três"), "3"),
    **dict.fromkeys(("four", "vier", "cuatro", "quatre", "quattro", "quatro"), "4"),
    **dict.fromkeys(("five", "fünf", "funf", "fuenf", "cinco", "cinq", "cinque", "vijf"), "5"),
    **dict.fromkeys(("six", "sechs", "seis", "sei", "zes"), "6"),
    **dict.fromkeys(("seven", "sieben", "siete", "sept", "sette", "zeven", "sete"), "7"),
    **dict.fromkeys(("eight", "acht", "ocho", "huit", "otto", "oito"), "8"),
    **dict.fromkeys(("nine", "neun", "nueve", "neuf", "nove", "negen"), "9"),
}


def _any_case(word: str) -> str:
    """`word` as a pattern of both cases letter by letter: re.IGNORECASE would cost the patterns below their
    fast skip to the next digit (several times slower on a 4 KB mail)."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# Longest first, so "eins" is not read as "ein" + "s".
_WORD: Final = "|".join(_any_case(w) for w in sorted(DIGIT_WORDS, key=len, reverse=True))
# One token: digits and digit words glued ("11one1"); tokens are parted by blanks, dashes, dots or commas.
_TOKEN: Final = rf"(?:[0-9]|{_WORD})+"
SEPARATORS: Final = " \t-./,"  # what may part the tokens of a run (the prescan's _SPELL triggers read the same)
_SEP: Final = rf"[{re.escape(SEPARATORS)}]{{1,3}}"
_RUN_RE: Final = re.compile(rf"(?<![^\W_]){_TOKEN}(?:{_SEP}{_TOKEN})*(?![^\W_])")
# Where a run can hold both: a written digit next to a digit word, either way round. The pattern starts with
# a digit and reads one letter class after it, so it costs little per digit (a set lookup says whether the
# word is a digit word); a word before a digit is found the same way in the reversed text. The prescan's
# _SPELL triggers find a superset of these places in one hyperscan pass (see `meets`).
_NEXT_WORD_RE: Final = re.compile(rf"[0-9](?:{_SEP})?([^\W\d_]{{2,6}})(?![^\W\d_])")
_FORWARD: Final = frozenset(DIGIT_WORDS)
_BACKWARD: Final = frozenset(w[::-1] for w in DIGIT_WORDS)
_PIECE_RE: Final = re.compile(rf"[0-9]|{_WORD}")
# How far back a run may start from where the two meet: the longest run of words of a 19-digit card.
_REACH: Final = 19 * 10


def meets(text: str) -> list[int]:
    """Positions where a written digit meets a digit word (whole-text scan: the path without the prescan)."""
    n = len(text)
    found = [m.start() for m in _NEXT_WORD_RE.finditer(text) if m.group(1).lower() in _FORWARD]
    found += [n - m.start() - 1 for m in _NEXT_WORD_RE.finditer(text[::-1]) if m.group(1).lower() in _BACKWARD]
    return sorted(found)


def _run_at(text: str, at: int, rx: re.Pattern[str] = _RUN_RE) -> re.Match[str] | None:
    """The run of digit tokens holding position `at` (or ending right before it), read from its true start (a
    run is never cut by where the search began: one found starting right at the search start is searched
    again from further back)."""
    lo = max(0, at - _REACH)
    while True:
        run = None
        for m in rx.finditer(text, lo):
            if m.end() < at:  # a run ending right at `at` holds it: a trigger's end may be the character after
                continue
            run = m if m.start() <= at else None
            break
        if run is None or run.start() > lo or lo == 0:
            return run
        lo = max(0, lo - _REACH)


def spelled_cards(text: str, places: list[int] | None = None) -> list[Finding]:
    """Card numbers written with at least one digit word, as findings over `text` (the normalised text);
    `places`: where a digit meets a digit word (the prescan's), else found by a scan of the whole text."""
    found: list[Finding] = []
    end_of_last = 0
    for at in meets(text) if places is None else places:
        if at < end_of_last:
            continue
        run = _run_at(text, at)
        if run is None:
            continue
        end_of_last = run.end()
        pieces = _PIECE_RE.findall(run.group())
        digits = "".join(p if p.isdigit() else DIGIT_WORDS[p.lower()] for p in pieces)
        spelled = sum(not p.isdigit() for p in pieces)
        if (
            0 < spelled < len(pieces)
            and 12 <= len(digits) <= 19
            and luhn_ok(digits)
            and (issuer_matches(digits) or card_word_in(text, max(0, run.start() - 40), run.start()))
        ):
            found.append(Finding("card_number", run.start(), run.end()))
    return found


# Numbers said in words with no digit written ("four one one one …", "forty-one, twelve …", "four thousand eight
# hundred thirty-seven", "double two", "einundvierzig", "quatre-vingt-dix-sept"): a card read aloud and typed out
# as heard. A run of number words is read as the phrases a listener hears (a digit, a pair, a group said as a
# thousand), each phrase as its digits; 12 to 19 digits of consecutive phrases that pass Luhn with an issuer's
# prefix and length (or a card word before them) are a card, unless a label right before names the number as
# something else ("order number …", as for digits). Prose keeps its numbers: "two or three times", "twenty-four
# hours" or a price in words never make 12 digits that pass Luhn with an issuer's prefix.

# Kinds of number words: a digit, 10-19, a ten (20-90; "dix"/"dieci"/"dez" are a ten that takes a unit glued or
# hyphenated: "dix-sept"), a hundred (200-900 in one word too: "quinientos"), a thousand, "double"/"triple"
# before a digit, the "and" inside a number ("cuarenta y tres"), and "then" between groups.
_UNIT, _TEEN, _TEN, _HUNDRED, _THOUSAND, _TIMES, _AND, _THEN, _DIGITS = range(9)

_TEENS: Final = {
    11: "eleven elf once onze undici",
    12: "twelve zwölf zwoelf zwolf doce douze dodici twaalf",
    13: "thirteen dreizehn trece treize tredici dertien treze",
    14: "fourteen vierzehn catorce quatorze quattordici veertien catorze",
    15: "fifteen fünfzehn funfzehn fuenfzehn quince quinze quindici vijftien",
    16: "sixteen sechzehn dieciséis dieciseis seize sedici zestien dezasseis dezesseis",
    17: "seventeen siebzehn diecisiete diciassette zeventien dezassete dezessete",
    18: "eighteen achtzehn dieciocho diciotto achttien dezoito",
    19: "nineteen neunzehn diecinueve diciannove negentien dezanove dezenove",
}
_TENS: Final = {
    10: "ten zehn diez dix dieci tien dez",
    20: "twenty zwanzig veinte vingt vingts venti twintig vinte",
    30: "thirty dreißig dreissig treinta trente trenta dertig trinta",
    40: "forty fourty vierzig cuarenta quarante quaranta veertig quarenta",
    50: "fifty fünfzig funfzig fuenfzig cincuenta cinquante cinquanta vijftig cinquenta",
    60: "sixty sechzig sesenta soixante sessanta zestig sessenta",
    70: "seventy siebzig setenta septante settanta zeventig",
    80: "eighty achtzig ochenta huitante octante quatre-vingt quatre-vingts ottanta tachtig oitenta",
    90: "ninety neunzig noventa nonante novanta negentig",
}
# Forms that only stand glued to a unit ("veintitrés", "ventuno", "trentotto"; "dieciocho" is its own word), and
# units written so only inside such a word.
_GLUED: Final = {
    "veinti": (_TEN, 20), "vent": (_TEN, 20), "trent": (_TEN, 30), "quarant": (_TEN, 40), "cinquant": (_TEN, 50),
    "sessant": (_TEN, 60), "settant": (_TEN, 70), "ottant": (_TEN, 80), "novant": (_TEN, 90),
    "dós": (_UNIT, 2), "trés": (_UNIT, 3), "tré": (_UNIT, 3), "séis": (_UNIT, 6),
}  # fmt: skip
_HUNDREDS: Final = {
    100: "hundred hundert cien ciento cent cents cento honderd cem",
    200: "doscientos doscientas duzentos duzentas",
    300: "trescientos trescientas trezentos trezentas",
    400: "cuatrocientos cuatrocientas quatrocentos quatrocentas",
    500: "quinientos quinientas quinhentos quinhentas",
    600: "seiscientos seiscientas",
    700: "setecientos setecientas",
    800: "ochocientos ochocientas oitocentos oitocentas",
    900: "novecientos novecientas",
}
_THOUSANDS: Final = "thousand tausend mil mille mila duizend"
# What people say for a repeated digit when they read a number out: "double two", "triple one", "doppel fünf".
_TIMES_WORDS: Final = {
    2: ("double", "doppel", "doble", "zweimal", "deux fois", "dos veces"),
    3: ("triple", "treble", "dreimal", "trois fois", "tres veces"),
}
_AND_WORDS: Final = ("and", "und", "y", "et", "e", "en", "ën")
# Said between the groups of a number read out: "… and then one two …", "und dann", "y luego", "et puis".
_THEN_WORDS: Final = ("then", "dann", "danach", "dan", "luego", "después", "despues", "puis", "ensuite", "poi",
                      "daarna", "depois")  # fmt: skip


def _table() -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {w: (_UNIT, int(d)) for w, d in DIGIT_WORDS.items()}
    out.update({w: (_TEEN, v) for v, ws in _TEENS.items() for w in ws.split()})
    out.update({w: (_TEN, v) for v, ws in _TENS.items() for w in ws.split()})
    out.update({w: (_HUNDRED, v) for v, ws in _HUNDREDS.items() for w in ws.split()})
    out.update({w: (_THOUSAND, 1000) for w in _THOUSANDS.split()})
    out.update(_GLUED)
    out.update({w: (_TIMES, v) for v, ws in _TIMES_WORDS.items() for w in ws})
    out.update({w: (_AND, 0) for w in _AND_WORDS})
    out.update({w: (_THEN, 0) for w in _THEN_WORDS})
    return out


NUMBER_WORDS: Final = _table()


def _case_free(word: str) -> str:
    """Like `_any_case`, but a letter whose upper case is two letters ("ß") stands as itself and a blank as a
    class: the prescan's trigger is made from these patterns (see WORDS_TRIGGER) and reads no more."""
    return "".join(
        f"[{c}{c.upper()}]"
        if c.isalpha() and len(c.upper()) == 1 and c.upper() != c
        else ("[ ]" if c == " " else re.escape(c))
        for c in word
    )


def _alternation(words: Iterable[str]) -> str:
    return "|".join(_case_free(w) for w in sorted(words, key=len, reverse=True))


def _of_kind(*kinds: int) -> list[str]:
    return [w for w, (k, _) in NUMBER_WORDS.items() if k in kinds and _GLUED.get(w, (_UNIT,))[0] == _UNIT]


GLUED_AND: Final = ("und", "en", "ën")  # inside a word, before a ten: "einundvierzig", "eenenveertig"
TENS_WORDS: Final = tuple(_of_kind(_TEN))
# One number word; a glued-only form wants a unit after it, a glued "und"/"en" a ten ("einundvierzig",
# "eenenveertig", "tweeënveertig").
# (The glued forms come first: the first alternative that fits is taken, and "und" must not be read as "un".)
_ATOM: Final = (
    f"(?:(?:{_alternation(w for w in _GLUED if _GLUED[w][0] == _TEN)})(?=(?:{_alternation(_of_kind(_UNIT))}))"
    f"|(?:{_alternation(GLUED_AND)})(?=(?:{_alternation(TENS_WORDS)}))"
    f"|{_alternation(_of_kind(_UNIT, _TEEN, _TEN, _HUNDRED, _THOUSAND))})"
)
_ATOM_RE: Final = re.compile(_ATOM)
# A token of a run: "double" and friends, number words glued ("viertausendachthundert"), an "and"; a run also
# reads a "then" and written digits ("4111 1111 then one one …").
_WORDS_TOKEN: Final = f"(?:{_alternation(_of_kind(_TIMES))}|(?:{_ATOM})+|{_alternation(_AND_WORDS)})"
_WORD_SEP: Final = "[ \t,.;/\\-–]{1,3}"  # (WORD_SEPARATORS)
_RUN_TOKEN: Final = f"(?<![^\\W_])(?:{_WORDS_TOKEN}|{_alternation(_THEN_WORDS)}|[0-9]+)(?![^\\W_])"
_RUN_TOKEN_RE: Final = re.compile(_RUN_TOKEN)
_WORD_RUN_RE: Final = re.compile(f"{_RUN_TOKEN}(?:{_WORD_SEP}{_RUN_TOKEN})*")
# Where a run of number words may hold a card: two number words side by side (no "and" between: every card
# said in words has such a pair). The prescan's trigger (`said_trigger_words`, read caseless) fires wherever this
# does: any of those words, one or more, a separator, one more.
_TIMES_ALT: Final = _alternation(_of_kind(_TIMES))
_WORDS_TRIGGER_RE: Final = re.compile(
    f"(?<![^\\W_])(?:{_TIMES_ALT}|(?:{_ATOM})+)(?![^\\W_]){_WORD_SEP}(?:{_TIMES_ALT}|{_ATOM})"
)
WORD_SEPARATORS: Final = " \t,.;/-–"  # _WORD_SEP's characters
TRIGGER_WORDS: Final = tuple(sorted(w for w, (k, _) in NUMBER_WORDS.items() if k not in (_AND, _THEN)))


# word_runs reads words, not positions: _WORDS_TRIGGER_RE tried at every position of a mail costs four times the
# rest of the whole-text path. A word made of number words (its last piece, for "quatre-vingt", "deux fois"),
# 1-3 separators, then a word starting with one: a superset of the trigger's matches, each at the start of the
# second word, inside the run said_cards reads (which it then checks with the trigger itself).
_LETTERS_RE: Final = re.compile(r"[^\W\d_]+")
_PIECES: Final = f"{_ATOM}|{_alternation({p for w in _of_kind(_TIMES) for p in w.split()})}"
_NUMBER_WORD_RE: Final = re.compile(f"(?:{_PIECES})+")
_NUMBER_START_RE: Final = re.compile(f"(?:{_PIECES})")


@functools.lru_cache(maxsize=8192)
def _number_word(word: str) -> tuple[bool, bool]:
    """(made of number words, starts with one) for a lower-cased word."""
    return _NUMBER_WORD_RE.fullmatch(word) is not None, _NUMBER_START_RE.match(word) is not None


def word_runs(text: str) -> list[int]:
    """Where two number words stand side by side (whole-text scan: the path without the prescan)."""
    out: list[int] = []
    after_number, last = False, -1
    for m in _LETTERS_RE.finditer(text):
        start = m.start()
        whole, starts = _number_word(m.group().lower())
        if after_number and starts and 0 < start - last <= 3 and not text[last:start].strip(WORD_SEPARATORS):
            out.append(start)
        after_number, last = whole, m.end()
    return out


class _Phrase:
    """One number as a listener hears it: "forty-one", "four thousand eight hundred thirty-seven", "dix-sept"."""

    def __init__(self, kind: int, value: int, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.thousands = 1000 if kind == _THOUSAND else None
        self.hundreds = value if kind == _HUNDRED else None
        self.below: int | None = value if kind in (_UNIT, _TEEN, _TEN) else None
        self.last = kind  # the kind of the last word; a ten closed by its unit is a _TEEN ("forty-one" takes no more)

    def take(self, kind: int, value: int, joint: str) -> bool:
        """Whether the next word (parted from this phrase by `joint`) goes on this number, and if so take it."""
        below, last = self.below, self.last
        ten = below if last == _TEN else None  # a ten still open for its unit ("forty" before "-one")
        if kind == _UNIT and ten is not None and value and (ten >= 20 or joint in ("glue", "-", "and")):
            self.below, self.last = ten + value, _TEEN
        elif kind in (_TEEN, _TEN) and ten in (60, 80) and ten is not None and joint != " ":  # soixante-dix, -onze
            self.below, self.last = ten + value, kind
        elif kind == _TEN and last == _UNIT and below and below < 10 and joint == "and":
            self.below, self.last = value + below, _TEEN  # "einundvierzig", "eenenveertig"
        elif kind in (_UNIT, _TEEN, _TEN) and last in (_HUNDRED, _THOUSAND) and below is None and value:
            self.below, self.last = value, kind  # "hundred and nine", "tausend zehn"
        elif kind == _HUNDRED and value == 100 and last in (_UNIT, _TEEN) and below and self.hundreds is None:
            self.hundreds, self.below, self.last = below * 100, None, kind  # "eight hundred"
        elif kind == _HUNDRED and last == _THOUSAND and self.hundreds is None:
            self.hundreds, self.last = value, kind  # "mil quinientos"
        elif kind == _THOUSAND and self.thousands is None and self.hundreds is None and below:
            self.thousands, self.below, self.last = below * 1000, None, kind  # "four thousand"
        else:
            return False
        return True

    def digits(self) -> str:
        if self.thousands is None and self.hundreds is None:
            return str(self.below)
        return str((self.thousands or 0) + (self.hundreds or 0) + (self.below or 0))


def _phrases(text: str, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """(start, end, digits, said) of each number heard in the run text[start:end]; said: in words, not digits."""
    out: list[tuple[int, int, str, bool]] = []
    phrase: _Phrase | None = None
    times: tuple[int, int] | None = None  # "double": (how many, where)
    joint_next = ""
    last = start

    def close() -> None:
        nonlocal phrase
        if phrase is not None:
            out.append((phrase.start, phrase.end, phrase.digits(), True))
            phrase = None

    for tok in _RUN_TOKEN_RE.finditer(text, start, end):
        gap = text[last : tok.start()]
        last = tok.end()
        joint = "," if any(c in ",.;/" for c in gap) else "-" if "-" in gap else " "
        word = tok.group().lower()
        entry = NUMBER_WORDS.get(word)
        if word.isdigit() or (entry is not None and entry[0] in (_THEN, _TIMES)):
            close()
            times = (entry[1], tok.start()) if entry is not None and entry[0] == _TIMES else None
            if word.isdigit():
                out.append((tok.start(), tok.end(), word, False))
            joint_next = ""
            continue
        if entry is not None and entry[0] == _AND:
            joint_next = "and" if joint != "," else ","
            continue
        for k, atom in enumerate(_ATOM_RE.finditer(text, tok.start(), tok.end())):
            kind, value = NUMBER_WORDS[atom.group().lower()]
            if kind == _AND:  # glued "und"/"en"
                joint_next = "and"
                continue
            j = joint_next or ("glue" if k else joint)
            joint_next = ""
            if times is not None and kind == _UNIT:
                out.append((times[1], atom.end(), str(value) * times[0], True))
                times = None
                continue
            times = None
            if phrase is not None and j != "," and phrase.take(kind, value, j):
                phrase.end = atom.end()
                continue
            close()
            phrase = _Phrase(kind, value, atom.start(), atom.end())
    close()
    return out


def said_cards(text: str, places: list[int] | None = None) -> list[Finding]:
    """Card numbers said in words (digits may stand among them), as findings over `text` (the normalised text);
    `places`: where two number words stand side by side (the prescan's), else found by a scan of the whole text."""
    found: list[Finding] = []
    end_of_last = 0
    for at in word_runs(text) if places is None else places:
        if at < end_of_last:
            continue
        run = _run_at(text, at, _WORD_RUN_RE)
        if run is None:
            continue
        end_of_last = run.end()
        if _WORDS_TRIGGER_RE.search(text, run.start(), run.end()) is None:
            continue  # (the prescan's trigger reads more than this: the same runs either way)
        heard = _phrases(text, run.start(), run.end())
        i = 0
        while i < len(heard):
            card = _card_from(text, heard, i)
            if card is None:
                i += 1
                continue
            found.append(Finding("card_number", heard[i][0], heard[card][1]))
            i = card + 1
    return found


def _card_from(text: str, heard: list[tuple[int, int, str, bool]], i: int) -> int | None:
    """The last phrase of the longest card that starts with phrase `i` and holds a number said in words.

    Read as heard, and again with each number said zero-padded to the width most of the run's numbers have: a
    number read in pairs or in groups of four drops its leading zero when said ("forty, eight, sixteen" for
    40 08 16; "ciento cincuenta y ocho" for the group 0158)."""
    widths = [len(d) for _, _, d, said in heard if said and len(d) > 1]
    width = max(set(widths), key=widths.count) if len(widths) >= 3 else 0
    readings = ["", ""] if width else [""]
    best = None
    said = False
    start = heard[i][0]
    for j in range(i, len(heard)):
        digits, was_said = heard[j][2], heard[j][3]
        readings[0] += digits
        if width:
            readings[1] += digits.zfill(width) if was_said else digits
        said = said or was_said
        if len(readings[0]) > 19:
            break
        if said and any(_card_digits(text, r, start) for r in readings):
            best = j
    if best is None or not_card_word_before(text, start):
        return None
    return best


def _card_digits(text: str, digits: str, start: int) -> bool:
    """Whether `digits`, said from `start` on, read as a card: Luhn and an issuer's prefix (or a card word before)."""
    return (
        12 <= len(digits) <= 19
        and luhn_ok(digits)
        and (issuer_matches(digits) or (len(digits) >= 13 and card_word_in(text, max(0, start - 40), start)))
    )


# A code said after its cue ("cvv is one two three", "meine PIN lautet vier drei zwei eins", "il codice di sicurezza
# è cinque due otto", "my PIN is nineteen eighty-four"): the cue's own filler, then number words read as digits
# and pairs (a hundred or a thousand is an amount, no code).
_SPELLED_VALUE_RE: Final = re.compile(
    r"(?i:[\-–—]?\s*(?:code|number|no\.?|nr\.?|nummer|num[ée]ro|n[úu]mero)\s*)?"  # "CVC-code is", as secrets reads
    r"\s*(?:[:=#]\s*)?(?i:(?:is|ist|lautet|est|es|son|sind|c'est|would\s+be|è|é|e'|sono|são|luidt|zijn)\s*:?\s*)?"
    rf"((?:{_ATOM})+(?:[ \t,\-]+(?:(?:{_alternation(_AND_WORDS)})[ \t]+)?(?:{_ATOM})+){{0,7}})(?![^\W_])"
)


def spelled_value(text: str, pos: int, fewest: int, most: int) -> tuple[int, int] | None:
    """The span of a code of `fewest` to `most` digits said in words right after a cue ending at `pos`."""
    m = _SPELLED_VALUE_RE.match(text, pos)
    if m is None:
        return None
    heard = _phrases(text, *m.span(1))
    if any(len(digits) > 2 for _, _, digits, _ in heard):
        return None
    return m.span(1) if fewest <= sum(len(d) for _, _, d, _ in heard) <= most else None


# A month or year said in words after an expiry cue: "December twenty-nine", "Dezember neunundzwanzig", "the twelfth
# month of two thousand twenty-nine", "oh nine twenty-eight" (gaps.expiry_in_words reads these).
_SAID_NUMBER_RE: Final = re.compile(
    f"(?:{_ATOM})+(?:[ \t\\-]+(?:(?:{_alternation(_AND_WORDS)})[ \t]+)?(?:{_ATOM})+){{0,5}}(?![^\\W_])"
)


def said_number(text: str, pos: int) -> tuple[int, int, list[str]] | None:
    """The number words starting at `pos`: their span and the digits of each number heard ("twenty twenty-nine":
    ["20", "29"]), or None when no number word starts there."""
    m = _SAID_NUMBER_RE.match(text, pos)
    if m is None:
        return None
    return m.start(), m.end(), [d for _, _, d, _ in _phrases(text, m.start(), m.end())]
