"""IBANs (ISO 13616): the country's registry length, BBAN structure and mod-97, spaced or not."""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Final

from stdnum import numdb as _stdnum_numdb

from triage.records import Finding

# Anchored on the two check digits (digits are rarer than letters, so the engine skips ahead
# fast), with the country code checked by look-behind: "DE89", "DE 89", "de-89".
_CC: Final = r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z]"
IBAN_CHECK_DIGITS: Final = (
    rf"[0-9][0-9](?:(?<={_CC}[0-9][0-9])|(?<={_CC}[ \-.][0-9][0-9]))"
    r"(?=(?:[ \-.\u00a0]{0,2}[A-Za-z0-9]){10})"  # the shortest IBAN (Norway) has 11 more
)
IBAN_CHECK_RE: Final = re.compile(IBAN_CHECK_DIGITS)

# A lower-case country code ("de89 …") only counts after a word like this.
_IBAN_WORD_RE: Final = re.compile(r"\b(?:iban|bankverbindung|bank|account|konto|compte|cuenta|rib)\b", re.IGNORECASE)
_IBAN_DB: Final = _stdnum_numdb.get("iban")
_STRUCT_RE: Final = re.compile(r"(\d+)!")


_IBAN_SEP_RE: Final = re.compile(r"[ \-.\u00a0]")


@lru_cache(maxsize=64)
def _iban_body_re(need: int) -> re.Pattern[str]:
    """Exactly `need` letters or digits, single separators between, ending where the group ends."""
    return re.compile(rf"(?:[ \-.\u00a0]{{0,2}}[A-Za-z0-9]){{{need}}}(?![A-Za-z0-9])")


@lru_cache(maxsize=64)
def _iban_glued_re(need: int) -> re.Pattern[str]:
    """The same, ending in a digit with a letter glued after it ("…013000BIC: COBA…"): where the digits stop
    and letters start, the IBAN ends; mod-97 decides."""
    return re.compile(rf"(?:[ \-.\u00a0]{{0,2}}[A-Za-z0-9]){{{need - 1}}}[ \-.\u00a0]{{0,2}}[0-9](?=[A-Za-z])")


@lru_cache(maxsize=256)
def _iban_length(country: str) -> int | None:
    """Total IBAN length for a country from python-stdnum's copy of the SWIFT registry."""
    info = _IBAN_DB.info(country + "00")
    bban = info[0][1].get("bban") if info and len(info[0][0]) == 2 else None
    if not bban:
        return None
    return 4 + sum(int(x) for x in _STRUCT_RE.findall(bban))


def _country_at(text: str, cd: int, *, cue: bool = True) -> tuple[int, str, int] | None:
    """(country code start, country, registry length) for check digits at `cd`, if the country is one.

    With `cue`, a lower-case country code counts only after an IBAN word (for shapes that fail mod-97)."""
    cc_start = cd - (2 if text[cd - 1].isalpha() else 3)
    country = text[cc_start : cc_start + 2]
    total = _iban_length(country.upper())  # the cheap test first: most check-digit hits are no country's
    if total is None:
        return None
    if cue and not country.isupper() and not _IBAN_WORD_RE.search(text, max(0, cc_start - 32), cc_start):
        return None
    return cc_start, country, total


def iban_at(text: str, cd: int) -> Finding | None:
    """The IBAN whose check digits start at `cd`, if the registry length, structure and mod-97 agree.

    Upper or lower case alike ("de89 3704 …": mod-97 and the registry are cue enough), and a letter O, I or l
    typed for a digit is read as that digit when that makes the checks pass."""
    found = _country_at(text, cd, cue=False)
    if found is None:
        return None
    cc_start, country, total = found
    body = _iban_body_re(total - 4).match(text, cd + 2) or _iban_glued_re(total - 4).match(text, cd + 2)
    if body is None:
        return None  # too short, or the run goes on mid-group: not this country's IBAN
    compact = (country + text[cd : cd + 2] + _IBAN_SEP_RE.sub("", body.group())).upper()
    if _valid(compact) or (
        _OCR_MISREAD.intersection(compact[2:])
        and (_valid(_misread(compact)) or ("O" in compact[2:] and _valid(compact[:2] + compact[2:].replace("O", "0"))))
    ):
        return Finding("iban", cc_start, body.end())
    return None


# Letters a photo or scan gives for digits: O for 0; I and l (upper-cased: L) for 1. Read so where the country's
# structure wants a digit (a bank code's letters stay), and only when the checks then pass; an O is also read
# as 0 anywhere after the country, as before (an account part that may hold letters).
_OCR_MISREAD: Final = frozenset("OIL")
_OCR_TO_DIGIT: Final = str.maketrans("OIL", "011")


def _misread(compact: str) -> str:
    """An upper-case IBAN with the misread letters read as digits in its check digits and numeric BBAN parts."""
    out = [compact[:2], compact[2:4].translate(_OCR_TO_DIGIT)]
    k = 4
    for count, kind in _bban_parts(compact[:2]):
        part = compact[k : k + count]
        out.append(part.translate(_OCR_TO_DIGIT) if kind == "n" else part)
        k += count
    out.append(compact[k:])
    return "".join(out)


@lru_cache(maxsize=256)
def _bban_parts(country: str) -> tuple[tuple[int, str], ...]:
    """A country's BBAN structure as (length, kind) parts; kind n, a or c as in the registry."""
    info = _IBAN_DB.info(country + "00")
    if not info or len(info[0][0]) != 2 or not info[0][1]:
        return ()
    return tuple((int(n), kind) for n, kind in _BBAN_PART_RE.findall(info[0][1].get("bban", "")))


_MOD97_DIGITS: Final = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def _valid(compact: str) -> bool:
    """python-stdnum's IBAN check (mod-97, the country's BBAN structure from its registry copy, which fixes
    the length too), without its per-call registry walk: the structure is compiled once per country."""
    if int((compact[4:] + compact[:4]).translate(_MOD97_DIGITS)) % 97 != 1:
        return False
    struct = _bban_re(compact[:2])
    return struct is not None and struct.fullmatch(compact, 4) is not None


_BBAN_PART_RE: Final = re.compile(r"([1-9][0-9]*)!([nac])")
_BBAN_CHARS: Final = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}


@lru_cache(maxsize=256)
def _bban_re(country: str) -> re.Pattern[str] | None:
    """The BBAN structure of a country's IBAN ("8!n10!n") as a regex, as python-stdnum builds it."""
    info = _IBAN_DB.info(country + "00")
    if not info or len(info[0][0]) != 2 or not info[0][1]:
        return None
    bban = info[0][1].get("bban", "")
    return re.compile(_BBAN_PART_RE.sub(lambda m: f"{_BBAN_CHARS[m.group(2)]}{{{m.group(1)}}}", bban))


_IBAN_PREFIX_RE: Final = re.compile(r"(?:[ \-.\u00a0]{0,2}[A-Za-z0-9])+")


def iban_shape(text: str, cd: int) -> tuple[int, int] | None:
    """Where a mistyped IBAN would sit: country code, check digits and up to the country's length of
    letters and digits, whatever mod-97 says. A card window inside one is a misreading of an account."""
    found = _country_at(text, cd)
    if found is None:
        return None
    cc_start, _, total = found
    body = _IBAN_PREFIX_RE.match(text, cd + 2, cd + 2 + 2 * (total - 4))
    if body is None:
        return None
    chars = 0
    for k in range(body.start(), body.end()):
        chars += text[k].isalnum()
        if chars == total - 4:
            return cc_start, k + 1
    return cc_start, body.end()


# Every country with an IBAN in the registry: check digits after other letters are never one (`iban_at` and
# `iban_shape` find no length for them), so the prescan drops those windows and no finding changes.
IBAN_COUNTRIES: Final = frozenset(
    a + b for a in string.ascii_uppercase for b in string.ascii_uppercase if _iban_length(a + b) is not None
)


def iban_cue_before(text: str, cc_start: int) -> bool:
    """Whether an IBAN word stands right before a country code at `cc_start` (what a lower-case one needs)."""
    return _IBAN_WORD_RE.search(text, max(0, cc_start - 32), cc_start) is not None


@lru_cache(maxsize=256)
def _structure_re(country: str) -> re.Pattern[str]:
    """A country's IBAN as `iban_at` can accept it: code in either case, check digits and the registry's BBAN
    structure, an O, I or l allowed for any digit (the misread-letter fix), separators as `_iban_body_re` takes them."""
    classes = {"n": "[0-9OoIl]", "a": "[A-Za-z]", "c": "[A-Za-z0-9]"}
    bban = _IBAN_DB.info(country + "00")[0][1]["bban"]
    parts = "".join(
        rf"(?:[ \-.\u00a0]{{0,2}}{classes[kind]}){{{count}}}" for count, kind in _BBAN_PART_RE.findall(bban)
    )
    return re.compile(rf"(?i:{country})[ \-.]?[0-9]{{2}}{parts}")


def iban_may_start(text: str, cc_start: int) -> bool:
    """Whether an IBAN check-digit match with its country code at `cc_start` can lead anywhere: `iban_at`
    accepts only what fits the country's structure (each BBAN position in its class once an O is read as
    0), and `iban_shape` (a mistyped one) needs an upper-case code or an IBAN word before it. The prescan
    drops the rest ("at 94107", "es 2026-…": most lower-case words before a number) unread."""
    country = text[cc_start : cc_start + 2]
    code = country.upper()
    if code not in IBAN_COUNTRIES:
        return False
    if country == code or iban_cue_before(text, cc_start):
        return True
    return _structure_re(code).match(text, cc_start) is not None


def iban_trigger() -> str:
    """The prescan's trigger (triage.redact.prescan, over its Latin-1 shadow) for IBAN_CHECK_DIGITS: without its
    look-arounds, with the country letters and every character its look-ahead reads, so a hit covers all
    the pattern reads. Its look-behind (no letter or digit before the code) is half kept: no ASCII letter
    before the code ("order 1135…", "number 4111…" fire no more, a third of the hits are left). The other
    half, no digit, is left out, so that masking a card glued to a code ("…1111DE89…") opens nothing new on
    a later pass; `triage.redact._find_all` drops the windows for the rare finding that ends in a letter
    right before another."""
    return r"(?:^|[^A-Za-z])[A-Za-z]{2}[ \-.]?[0-9]{2}(?:[ \-.\xa0]{0,2}[A-Za-z0-9]){10}"


# "ES-IBAN: 7445 2446 …", "ES IBAN (ES) 7445…": an IBAN written without its country letters, the country named in
# its cue (or in brackets after it, or "the country is ES" right after the number).
_CC_IN_PARENS_RE: Final = re.compile(r"[ \t]*\(([A-Z]{2})\)")
_CC_LEFT_OUT_RE: Final = re.compile(
    r"(?i)\((?:ohne|without|minus|sin|sans|senza|zonder|sem|bez|utan)[ \t]+([a-z]{2})\)"
)
_NO_CC_BODY_RE: Final = re.compile(
    r"[ \t]*(?:\([A-Z]{2}\))?[ \t]*[:#]?[ \t]*(?:(?:is|ist|lautet|es|est|é|è)[ \t]*:?[ \t]*)?"
    r"(\d{2}(?:[ \-]?[0-9A-Za-z]){10,30})(?![0-9A-Za-z])"
)
_CC_NAMED_RE: Final = re.compile(
    r"(?i:pa[íi]s|country|land|pays|paese|land)[ \t]+(?:(?:is|ist|es|est|é|è)[ \t]+)?(?:(?:the|el|le|il|o)[ \t]+)?"
    r"([A-Z]{2})\b"
)


def iban_without_country(text: str, cue_start: int, pos: int) -> Finding | None:
    """The check digits and BBAN after a country's IBAN cue ("ES-IBAN"), valid once that country (or one named
    in brackets after the cue, or "the country is ES" just after the number) is put before them."""
    body = _NO_CC_BODY_RE.match(text, pos)
    if body is None:
        return None
    s, e = body.span(1)
    countries = []
    if text[cue_start : cue_start + 2].isupper():  # the cue's own country ("ES-IBAN")
        countries.append(text[cue_start : cue_start + 2])
    if p := _CC_IN_PARENS_RE.match(text, pos):
        countries.append(p.group(1))
    if w := _CC_LEFT_OUT_RE.search(text, cue_start, pos):  # "IBAN (ohne DE)"
        countries.append(w.group(1).upper())
    if n := _CC_NAMED_RE.search(text, e, min(len(text), e + 40)):
        countries.append(n.group(1))
    compact = _IBAN_SEP_RE.sub("", text[s:e]).upper()
    for country in countries:
        if _iban_length(country) == len(compact) + 2 and _valid(country + compact):
            return Finding("iban", s, e)
    return None
