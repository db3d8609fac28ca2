"""Card numbers written partly in words: "4111 1111 1111 one one one one", "vier eins eins eins 1111 …".

A customer who was told never to send a card number sometimes spells part of it out, and a copy of a
number read aloud over the phone arrives that way too. The digit detectors read digits, so this pass reads
a run of digit groups and digit words (en/de/es/fr, "11one1" glued too) as the digits they stand for; a run
of 12-19 digits that passes Luhn and has an issuer's prefix and length, or a card word just before it, is a
card number like any other. At least one word and one written digit must be in the run: a run of digits
alone is the digit detectors' job, and words alone ("one two three") are no card anyone pastes.

Cost: a mail holds digit words everywhere ("one", "un", "dos"), so the run pattern is tried only where a
written digit sits right next to a digit word: the prescan's hyperscan pass finds those places with the
other triggers (`meets` is the whole-text way, when hyperscan is not there), so typical mail pays nothing
measurable for this pass.
"""

from __future__ import annotations

import re
from typing import Final

from triage.records import Finding
from triage.redact.cards import card_word_in, issuer_matches, luhn_ok

# Spoken digits of the four languages, folded to ASCII where the mail may not be ("fünf"/"funf"/"fuenf").
DIGIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("zero", "oh", "null", "cero", "zéro"), "0"),
    **dict.fromkeys(("one", "eins", "ein", "uno", "una", "un", "une"), "1"),
    **dict.fromkeys(("two", "zwei", "zwo", "dos", "deux"), "2"),
    **dict.fromkeys(("three", "drei", "tres", "trois"), "3"),
    **dict.fromkeys(("four", "vier", "cuatro", "quatre"), "4"),
    **dict.fromkeys(("five", "fünf", "funf", "fuenf", "cinco", "cinq"), "5"),
    **dict.fromkeys(("six", "sechs", "seis"), "6"),
    **dict.fromkeys(("seven", "sieben", "siete", "sept"), "7"),
    **dict.fromkeys(("eight", "acht", "ocho", "huit"), "8"),
    **dict.fromkeys(("nine", "neun", "nueve", "neuf"), "9"),
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


def _run_at(text: str, at: int) -> re.Match[str] | None:
    """The run of digit tokens holding position `at` (or ending right before it), read from its true start (a
    run is never cut by where the search began: one found starting right at the search start is searched
    again from further back)."""
    lo = max(0, at - _REACH)
    while True:
        run = None
        for m in _RUN_RE.finditer(text, lo):
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


# A code spelled out after its cue ("cvv is one two three", "meine PIN lautet vier drei zwei eins"): the cue's
# own filler, then three to eight digit words.
_SPELLED_VALUE_RE: Final = re.compile(
    r"\s*(?:[:=#]\s*)?(?:(?:is|ist|lautet|est|es|son|sind|c'est|would\s+be)\s*:?\s*)?"
    rf"((?:{_WORD})(?:[ \t,\-]+(?:{_WORD})){{2,7}})(?![^\W_])"
)


def spelled_value(text: str, pos: int, fewest: int, most: int) -> tuple[int, int] | None:
    """The span of a code of `fewest` to `most` digits written as words right after a cue ending at `pos`."""
    m = _SPELLED_VALUE_RE.match(text, pos)
    if m is None:
        return None
    words = len(_PIECE_RE.findall(m.group(1)))
    return m.span(1) if fewest <= words <= most else None
