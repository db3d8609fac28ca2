"""Redaction: finds card data, bank details and passwords in text and replaces them with markers.

Everything downstream (store, logs, classifier, drafts, summaries) only ever sees
the output of this module, so it errs towards removing a secret, but it must not
eat the numbers agents work with: order and tracking numbers, phone numbers,
prices, dates and postal codes. Findings record kind and position, never the value.

How a decision is made, cheapest test first:
- card_number: 13-19 digits (single spaces, dashes or dots between groups)
  bounded by non-digits, passing Luhn, and either a known issuer prefix+length
  with a card-like grouping, or a card word right next to it. A longer run
  (a USPS or FedEx number) only yields a card where a window of it is set off
  by a change of separator, a short trailing CVV group or a card word.
- iban: country code + check digits, the registry length for that country,
  mod-97 and BBAN structure (python-stdnum), ending on a group boundary.
- card_cvv / card_expiry / bank_account / password: only behind a cue word
  ("CVV", "exp", "sort code", "password is", "PIN", "seed phrase", ...), or for
  CVV/expiry, chained right after a card number.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from stdnum import iban as _stdnum_iban
from stdnum import numdb as _stdnum_numdb

from triage.records import Attachment, Finding, ParsedMessage, Redaction

KINDS: tuple[str, ...] = ("card_number", "card_cvv", "card_expiry", "iban", "bank_account", "password")

_MARK = {
    "card_cvv": "[cvv removed]",
    "card_expiry": "[expiry removed]",
    "iban": "[iban removed]",
    "bank_account": "[bank account removed]",
    "password": "[password removed]",
}
# Overlaps are settled by this order: the more specific, checksum-backed kind wins.
_PRIORITY = {"iban": 0, "card_number": 1, "bank_account": 2, "password": 3, "card_expiry": 4, "card_cvv": 5}

# Our own markers, so a second pass neither re-reads them nor treats their digits as data.
_MARKER_RE = re.compile(
    r"\[(?:card •••• \d{4}|cvv removed|expiry removed|iban removed|bank account removed|password removed)\]"
)
_MASK = "\ue000"  # private-use: not a word char, digit or space, so no pattern can match across it

# ---------------------------------------------------------------------------
# Card numbers

# (first prefix, last prefix, allowed lengths). Published IIN ranges; UATP and
# other prefix-less schemes are only taken with a card word next to them.
_D = range(16, 20)
_ISSUER_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa (incl. Electron)
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),
    ("6011", "6011", frozenset(_D)),  # Discover
    ("644", "649", frozenset(_D)),
    ("65", "65", frozenset(_D)),
    ("300", "305", frozenset(range(14, 20))),  # Diners Club
    ("3095", "3095", frozenset(range(14, 20))),
    ("36", "36", frozenset(range(14, 20))),
    ("38", "39", frozenset(range(14, 20))),
    ("3528", "3589", frozenset(_D)),  # JCB
    ("3088", "3088", frozenset({16})),  # JCB's older 16-digit ranges
    ("3096", "3096", frozenset({16})),
    ("3112", "3112", frozenset({16})),
    ("3158", "3158", frozenset({16})),
    ("3337", "3337", frozenset({16})),
    ("62", "62", frozenset(_D)),  # UnionPay
    ("81", "81", frozenset(_D)),
    ("5018", "5018", frozenset(range(13, 20))),  # Maestro
    ("5020", "5020", frozenset(range(13, 20))),
    ("5038", "5038", frozenset(range(13, 20))),
    ("5893", "5893", frozenset(range(13, 20))),
    ("6304", "6304", frozenset(range(13, 20))),
    ("6759", "6759", frozenset(range(13, 20))),
    ("6761", "6763", frozenset(range(13, 20))),
    ("2200", "2204", frozenset(_D)),  # Mir
    ("5019", "5019", frozenset({16})),  # Dankort
)


def _lengths_by_prefix4() -> dict[str, frozenset[int]]:
    """Every 4-digit prefix mapped to the card lengths some scheme allows for it: one dict lookup per number."""
    out: dict[str, frozenset[int]] = {}
    for p in range(10000):
        key = f"{p:04d}"
        lengths: set[int] = set()
        for lo, hi, allowed in _ISSUER_RANGES:
            if lo <= key[: len(lo)] <= hi:
                lengths |= allowed
        if lengths:
            out[key] = frozenset(lengths)
    return out


_LENGTHS_BY_PREFIX4 = _lengths_by_prefix4()

_SEP = " \\-.\u00a0\u2009\u202f"
# At least 13 ASCII digits with single separators between groups. No look-behind is needed for the
# digit-run boundary: the match is greedy and scanning is left to right, so a match never starts
# right after a digit (and the pattern stays eligible for the engine's fast first-character skip).
# The look-ahead (a plain character-class run) rejects short numbers before the real pattern runs.
_CHUNK_RE = re.compile(rf"[0-9](?=[0-9{_SEP}]{{12}})(?:[{_SEP}]?[0-9]){{12,}}")
_SPLIT_RE = re.compile(rf"[{_SEP}]")

_CARD_WORD_RE = re.compile(
    r"\b(?:(?:credit|debit|kredit|bank|ec|gift)[\s-]?)?(?:cards?|karten?|cartes?|tarjetas?|carta|kaart)\b"
    r"|\b(?:kreditkarte\w*|kartennummer|visa|mastercard|master\s+card|amex|american\s+express|discover"
    r"|diners(?:\s+club)?|jcb|unionpay|maestro|uatp|airplus|cvv2?|cvc2?)\b",
    re.IGNORECASE,
)
_NOT_CARD_WORD_RE = re.compile(
    r"\b(?:orders?|bestell\w*|commande|pedido|ordine|tracking|sendung\w*|shipment|parcel|paket|awb"
    r"|invoice|rechnung|facture|factura|ref|reference|ean|gtin|upc|barcode|sku|isbn|article|artikel"
    r"|item|imei|serial|tel|phone|telefon|fax|mobile|handy|customer|kunden\w*)\b",
    re.IGNORECASE,
)
# A digit, or a blank left by a number already removed: both separate a cue word from a number.
_NUMBERISH_RE = re.compile(r"[\d\ue000]")
_NEAR_DIGIT_RE = re.compile(r"[0-9]")
_DATE_TAIL_RE = re.compile(r"[/.]\d")


_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")  # each digit doubled, digits of the result summed


def _luhn_ok(digits: str) -> bool:
    """Luhn check. python-stdnum's luhn.checksum gives the same answers (the tests compare them) but is
    several times slower, and this runs on every long digit run in every mail."""
    return (sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLED)))) % 10 == 0


def _issuer_matches(digits: str) -> bool:
    """True when `digits` has the prefix and length of a known card scheme (Luhn not checked)."""
    return len(digits) in _LENGTHS_BY_PREFIX4.get(digits[:4], ())


def _card_like_layout(groups: list[str]) -> bool:
    """Cards are written 4-4-4-4, 4-6-5, 4-4-4-4-3 and the like; 3-7-7 (Amazon order ids) is not a card."""
    if len(groups) == 1:
        return True
    if len(groups[0]) != 4:
        return False
    return all(len(g) in (4, 6) for g in groups[1:-1]) and 1 <= len(groups[-1]) <= 6


def _words_then_nothing(segment: str) -> bool:
    """True when a text segment between a cue and a number holds no digits and no competing cue."""
    return not _NUMBERISH_RE.search(segment) and not _NOT_CARD_WORD_RE.search(segment)


# Every card word contains one of these; a substring test on a short window is far cheaper than the regex.
_CARD_STEMS = ("card", "kart", "cart", "tarj", "kaart", "visa", "master", "amex", "american", "discover")
_CARD_STEMS_2 = ("diners", "jcb", "unionpay", "maestro", "uatp", "airplus", "cvv", "cvc")


def _card_word_adjacent(text: str, start: int, end: int) -> bool:
    """A card word within a few words before (or just after) the number, with nothing number-like between."""
    lo = max(0, start - 48)
    window = text[lo : end + 32].lower()
    if not any(w in window for w in _CARD_STEMS) and not any(w in window for w in _CARD_STEMS_2):
        return False
    before = None
    for m in _CARD_WORD_RE.finditer(text, lo, start):
        before = m
    if before is not None and _words_then_nothing(text[before.end() : start]):
        return True
    m = _CARD_WORD_RE.search(text, end, min(len(text), end + 32))
    return m is not None and _words_then_nothing(text[end : m.start()])


def _card_word_near(text: str, start: int, end: int) -> bool:
    """A card word next to the number and no order/phone/EAN word closer to it."""
    return _card_word_adjacent(text, start, end) and not _not_card_word_before(text, start)


def _not_card_word_before(text: str, start: int) -> bool:
    """An order, tracking, EAN or phone word just before the number, on its line, with no card word after it."""
    lo = max(0, start - 24, text.rfind("\n", 0, start) + 1)
    last = None
    for m in _NOT_CARD_WORD_RE.finditer(text, lo, start):
        last = m
    if last is None or _NUMBERISH_RE.search(text, last.end(), start):
        return False
    return _CARD_WORD_RE.search(text, last.end(), start) is None


def _phone_prefixed(text: str, start: int) -> bool:
    """`+49 1512 3456789` is a phone number even when its digits happen to look like a Visa."""
    i = start - 1
    while i >= 0 and text[i] in " (\u00a0":
        i -= 1
    return i >= 0 and text[i] == "+"


def _glued_to_letters(text: str, start: int, end: int) -> bool:
    """Digits run into letters in hex or base64 blobs and identifiers, not in a typed card number."""
    return (start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()) or (
        end < len(text) and text[end].isascii() and text[end].isalpha()
    )


def _is_card(text: str, start: int, end: int, digits: str, groups: list[str], word_near: Callable[[], bool]) -> bool:
    """Cheap tests first: length, issuer table, then Luhn, then the context look-ups.

    `word_near` says (once per digit chunk, on demand) whether a card word sits right by the chunk.
    """
    if not 13 <= len(digits) <= 19 or _glued_to_letters(text, start, end):
        return False
    if _issuer_matches(digits) and _card_like_layout(groups):
        if not _luhn_ok(digits) or _phone_prefixed(text, start):
            return False
        # A 13-digit run after "EAN", "order", "tel" is a barcode or id, not an old Visa.
        return len(digits) != 13 or not _not_card_word_before(text, start)
    # No issuer: only with a card word next to it.
    return _luhn_ok(digits) and not _phone_prefixed(text, start) and word_near()


def _plain_card_at(groups: list[str], seps: list[str], i: int) -> bool:
    """Whether groups[i:] begin with a Luhn-valid issuer number: two cards written back to back."""
    digits = ""
    for k in range(i, len(groups)):
        if k > i + 1 and seps[k - 1] != seps[i]:
            return False
        digits += groups[k]
        if len(digits) > 19:
            return False
        if len(digits) >= 13 and _luhn_ok(digits) and _issuer_matches(digits):
            return True
    return False


def _cards_in_chunk(text: str, start: int, chunk: str, blocked: list[tuple[int, int]], out: list[Finding]) -> None:
    """Cut a digit chunk into group-aligned windows and add those that are cards to `out`.

    A window inside a longer chunk must be set off from its neighbours: by a
    different separator, by a card found just before it, by a short trailing
    group (CVV, expiry month), or by a card word. So the 4-digit groups of a
    22-digit USPS number are never read as a 16-digit card.
    """
    if chunk.isdigit():  # one unbroken run: a card or nothing, never a window of it
        end = start + len(chunk)
        if (
            len(chunk) <= 19
            and not _overlaps(start, end, blocked)
            and _is_card(text, start, end, chunk, [chunk], lambda: _card_word_near(text, start, end))
        ):
            out.append(Finding("card_number", start, end))
        return
    groups = _SPLIT_RE.split(chunk)
    n = len(groups)
    near: list[bool] = []

    def word_near() -> bool:
        if not near:
            near.append(_card_word_near(text, start, start + len(chunk)))
        return near[0]

    # Where a scheme prefix could start; none and no card word (a USPS run): nothing to look at.
    may_start = [(groups[i] + (groups[i + 1] if i + 1 < n else ""))[:4] in _LENGTHS_BY_PREFIX4 for i in range(n)]
    if not any(may_start) and not word_near():
        return
    offs: list[int] = []
    pos = 0
    for g in groups:
        offs.append(pos)
        pos += len(g) + 1
    seps = [chunk[offs[k] - 1] for k in range(1, n)]  # seps[k] sits between groups k and k+1
    cum = [0]  # cum[k]: digits in groups[:k]
    for g in groups:
        cum.append(cum[-1] + len(g))
    last_end = -1  # index of the group after the last card found in this chunk
    i = 0
    while i < n:
        found: tuple[int, int] | None = None
        if not may_start[i] and not word_near():
            i += 1  # no scheme starts here and no card word: skip the windows (USPS runs)
            continue
        for j in range(min(n, bisect.bisect_right(cum, cum[i] + 19) - 1), i, -1):
            nd = cum[j] - cum[i]
            if nd < 13:
                break
            sub = groups[i:j]
            inner = seps[i] if j - i > 1 else None
            if inner is not None and any(x != inner for x in seps[i : j - 1]):
                continue
            s = start + offs[i]
            e = start + offs[j - 1] + len(groups[j - 1])
            if _overlaps(s, e, blocked) or not _is_card(text, s, e, "".join(sub), sub, word_near):
                continue
            left_ok = (
                i == 0
                or i == last_end
                or inner is None
                or seps[i - 1] != inner
                or _overlaps(start + offs[i - 1], start + offs[i] - 1, blocked)  # an IBAN ends there
            )
            right_ok = (
                j == n
                or inner is None
                or seps[j - 1] != inner
                or (j == n - 1 and len(groups[-1]) <= 4)
                or _plain_card_at(groups, seps, j)
            )
            if not (left_ok and right_ok) and not word_near():
                continue
            found = (i, j)
            break
        if found is None:
            i += 1
            continue
        i, j = found
        # "4111 1111 1111 1111 123": prefer card + CVV over a 19-digit reading that
        # would put the CVV's digits into the marker.
        if j == n and j - i > 2 and len(groups[j - 1]) < 4:
            sub = groups[i : j - 1]
            s = start + offs[i]
            e = start + offs[j - 2] + len(groups[j - 2])
            if sum(map(len, sub)) >= 13 and _is_card(text, s, e, "".join(sub), sub, word_near):
                j -= 1
        out.append(Finding("card_number", start + offs[i], start + offs[j - 1] + len(groups[j - 1])))
        if j == n - 1 and 3 <= len(groups[j]) <= 4:
            cs = start + offs[j]
            ce = cs + len(groups[j])
            if not _DATE_TAIL_RE.match(text, ce):
                out.append(Finding("card_cvv", cs, ce))  # the code glued to the card: "… 1111.123"
        last_end = i = j


# ---------------------------------------------------------------------------
# IBAN

# Anchored on the two check digits (digits are rarer than letters, so the engine skips ahead
# fast), with the country code checked by look-behind: "DE89", "DE 89", "de-89".
_CC = r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z]"
_IBAN_CD = (
    rf"[0-9][0-9](?:(?<={_CC}[0-9][0-9])|(?<={_CC}[ \-.][0-9][0-9]))"
    r"(?=(?:[ \-.\u00a0]?[A-Za-z0-9]){10})"  # the shortest IBAN (Norway) has 11 more
)
_IBAN_CHECK_RE = re.compile(_IBAN_CD)
# A lower-case country code ("de89 …") only counts after a word like this.
_IBAN_WORD_RE = re.compile(r"\b(?:iban|bankverbindung|bank|account|konto|compte|cuenta|rib)\b", re.IGNORECASE)
_IBAN_DB = _stdnum_numdb.get("iban")
_STRUCT_RE = re.compile(r"(\d+)!")


_IBAN_SEP_RE = re.compile(r"[ \-.\u00a0]")


@lru_cache(maxsize=64)
def _iban_body_re(need: int) -> re.Pattern[str]:
    """Exactly `need` letters or digits, single separators between, ending where the group ends."""
    return re.compile(rf"(?:[ \-.\u00a0]?[A-Za-z0-9]){{{need}}}(?![A-Za-z0-9])")


@lru_cache(maxsize=256)
def _iban_length(country: str) -> int | None:
    """Total IBAN length for a country from python-stdnum's copy of the SWIFT registry."""
    info = _IBAN_DB.info(country + "00")
    bban = info[0][1].get("bban") if info and len(info[0][0]) == 2 else None
    if not bban:
        return None
    return 4 + sum(int(x) for x in _STRUCT_RE.findall(bban))


def _iban_at(text: str, cd: int) -> Finding | None:
    """The IBAN whose check digits start at `cd`, if the registry length, structure and mod-97 agree."""
    cc_start = cd - (2 if text[cd - 1].isalpha() else 3)
    country = text[cc_start : cc_start + 2]
    if not country.isupper() and not _IBAN_WORD_RE.search(text, max(0, cc_start - 32), cc_start):
        return None
    total = _iban_length(country.upper())
    if total is None:
        return None
    body = _iban_body_re(total - 4).match(text, cd + 2)
    if body is None:
        return None  # too short, or the run goes on mid-group: not this country's IBAN
    compact = (country + text[cd : cd + 2] + _IBAN_SEP_RE.sub("", body.group())).upper()
    if _stdnum_iban.is_valid(compact, check_country=False):
        return Finding("iban", cc_start, body.end())
    return None


# One pass finds both: a long digit chunk (maybe a card), or the check digits of a possible IBAN.
# (No capture group: it would cost the engine its fast skip to the next digit. The length tells them
# apart: check digits are 2 characters, a chunk at least 13.)
_NUMBER_RE = re.compile(rf"{_CHUNK_RE.pattern}|{_IBAN_CD}")


def _find_numbers(text: str) -> list[Finding]:
    """IBANs and card numbers (plus a CVV glued to a card), in one scan over the digits."""
    out: list[Finding] = []
    blocked: list[tuple[int, int]] = []
    for m in _NUMBER_RE.finditer(text):
        start = m.start()
        chunk = m.group() if m.end() - start > 2 else None
        # A chunk can start with an IBAN's check digits ("DE89 3704 0044 …"); test that first.
        if chunk is None or _IBAN_CHECK_RE.match(text, start):
            iban = _iban_at(text, start)
            if iban is not None:
                out.append(iban)
                blocked.append((iban.start, iban.end))
        if chunk is not None:
            # IBANs come in text order, so only the latest can reach into this chunk.
            _cards_in_chunk(text, start, chunk, blocked[-1:], out)
    return out


# ---------------------------------------------------------------------------
# Cue-driven kinds: CVV, expiry, bank account, password

# Cue words, lower case, each alternative starting with a literal letter so the
# scanner below can be a first-letter trie (several times faster than one big
# case-insensitive alternation). Order matters within a kind and between kinds:
# one-time codes come before passwords so "one-time password" is an OTP cue.
_CUES: tuple[tuple[str, str], ...] = (
    ("otp", r"one[\s-]?time[\s-]?(?:code|pass(?:word|code)|pin)"),
    ("otp", r"otp|2fa(?:\s+code)?|two[\s-]factor\s+code|verification\s+code|login\s+code|sign[\s-]?in\s+code"),
    ("otp", r"access\s+code|auth(?:entication)?\s+code|sms[\s-]code|mtan|itan|tan"),
    ("otp", r"einmal(?:code|passwort|kennwort)|best[äa]tigungscode|verifizierungscode"),
    ("otp", r"code\s+de\s+v[ée]rification|c[óo]digo\s+de\s+(?:verificaci[óo]n|acceso)"),
    ("seed", r"secret\s+(?:recovery|seed|backup|mnemonic|wallet)\s+(?:phrase|words)"),
    ("seed", r"recovery\s+(?:phrase|words)|seed\s+(?:phrase|words)|backup\s+(?:phrase|words)"),
    ("seed", r"wallet\s+(?:phrase|words)|mnemonic(?:\s+phrase)?|wiederherstellungsphrase"),
    ("seed", r"phrase\s+de\s+r[ée]cup[ée]ration|frase\s+(?:semilla|de\s+recuperaci[óo]n)"),
    ("codes", r"recovery\s+codes?|backup\s+codes?|wiederherstellungscodes?"),
    ("cvv", r"card\s+(?:security|verification)\s+(?:code|value|number)|cvv2?|cvc2?|cid|csc|cvn|cav2"),
    ("cvv", r"kartenpr[üu]f(?:nummer|ziffer|code)|pr[üu]f(?:ziffer|nummer)|cryptogramme(?:\s+visuel)?"),
    ("sec", r"security\s+code|sicherheitscode|code\s+de\s+s[ée]curit[ée]|c[óo]digo\s+de\s+seguridad"),
    ("sec", r"codice\s+di\s+sicurezza"),
    ("exp", r"exp(?:iry|iration|ires?|\.)?(?:\s+date)?|valid\s+(?:thru|through|till|until|to)|good\s+thru"),
    ("exp", r"g[üu]ltig\s+bis|ablaufdatum|verfallsdatum|date\s+d'expiration|vencimiento|scadenza"),
    ("exp", r"fecha\s+de\s+(?:vencimiento|caducidad)"),
    ("bank", r"bank\s+account(?:\s+(?:number|no\.?|nr\.?|\#))?|account\s+(?:number|no\.?|nr\.?|\#)|account(?=\s*[:#])"),
    ("bank", r"acct\.?(?:\s*(?:number|no\.?|\#))?|a/c(?:\s*no\.?)?"),
    ("bank", r"checking\s+account(?:\s+(?:number|no\.?))?|savings\s+account(?:\s+(?:number|no\.?))?"),
    ("bank", r"current\s+account(?:\s+(?:number|no\.?))?|routing(?:\s+(?:number|no\.?|\#))?"),
    ("bank", r"aba(?:\s+routing)?(?:\s+(?:number|no\.?|\#))?|rtn|sort\s*code|bsb(?:\s+number)?"),
    ("bank", r"transit\s+number|institution\s+number|blz|bankleitzahl|konto(?:nummer|\s*nr\.?|-nr\.?)?"),
    ("bank", r"kto\.?(?:\s*-?nr\.?)?|num[ée]ro\s+de\s+compte|n[úu]mero\s+de\s+cuenta|rekeningnummer|clabe|rib"),
    ("pin", r"pin(?:[\s-]?(?:code|nummer|number|no\.?|nr\.?))?|pincode|geheimzahl|code\s+pin|code\s+secret"),
    ("pin", r"c[óo]digo\s+pin"),
    ("pw", r"pass(?:wor[dt]s?|code|phrase|wd)|pass\s+word|kennwort|pwd|pw|mot\s+de\s+passe|mdp"),
    ("pw", r"contrase[ñn]a|clave|wachtwoord|senha|has[łl]o|l[öo]senord|passord|adgangskode|salasana|heslo"),
    ("login", r"log[\s-]?in|user(?:\s?name)?|benutzer(?:name)?|credentials|zugangsdaten|identifiant|usuario"),
)
# What may stand right before a cue: spelled out (an explicit set is faster to skip to than [\W_]).
_CUE_BEFORE = r"""[\s!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~\ue000«»“”„‚‘’¿¡–—…·•]"""
# A cue ends where a letter cannot follow; a digit may ("CVV123", "account #12345678").
_CUE_END = r"(?![^\W\d_])"


def _split_alternatives(pattern: str) -> list[str]:
    """Top-level `|` split of a regex, so each alternative can be filed under its first letter."""
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _build_cue_scanner() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    by_first: dict[str, list[str]] = {}
    kind_res: dict[str, list[str]] = {}
    for kind, pattern in _CUES:
        kind_res.setdefault(kind, []).append(pattern)
        for alt in _split_alternatives(pattern):
            by_first.setdefault(alt[0], []).append(alt[1:])
    trie = "|".join(re.escape(c) + "(?:" + "|".join(rests) + ")" for c, rests in by_first.items())
    # Scanning from the character before the cue lets the engine skip ahead quickly.
    scan = re.compile(_CUE_BEFORE + "((?:" + trie + ")" + _CUE_END + ")")
    at_start = re.compile(r"((?:" + trie + ")" + _CUE_END + ")")
    classify = tuple((k, re.compile("(?:" + "|".join(v) + ")" + _CUE_END, re.IGNORECASE)) for k, v in kind_res.items())
    return scan, at_start, classify


_CUE_SCAN_RE, _CUE_AT_START_RE, _CUE_KINDS = _build_cue_scanner()
_CUE_SCAN_I_RE = re.compile(_CUE_SCAN_RE.pattern, re.IGNORECASE)
_CUE_AT_START_I_RE = re.compile(_CUE_AT_START_RE.pattern, re.IGNORECASE)


def _cues(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every cue word; scans a lower-cased copy when lower() keeps offsets."""
    low = text.lower()
    if len(low) == len(text):
        scan, at_start, hay = _CUE_SCAN_RE, _CUE_AT_START_RE, low
    else:  # a rare character ("İ") changed length when lower-cased: fall back to IGNORECASE
        scan, at_start, hay = _CUE_SCAN_I_RE, _CUE_AT_START_I_RE, text
    matches = list(scan.finditer(hay))
    first = at_start.match(hay)
    if first:
        matches.insert(0, first)
    out: list[tuple[str, int, int]] = []
    for m in matches:
        s, e = m.span(1)
        # Which kind: the first whose own pattern matches exactly this span (in place, so look-aheads work).
        kind = next((k for k, rx in _CUE_KINDS if (c := rx.match(hay, s)) and c.end() == e), None)
        if kind is None:
            continue
        if kind == "otp" and hay[s:e].lower().endswith("tan") and not text[s:e].endswith("TAN"):
            continue  # "tan" is a colour; the German banking TAN is written in capitals
        out.append((kind, s, e))
    return out


# "password for my account is", "Passwort: ", "mot de passe : ", "PIN is now"
_GAP = r"(?:\s+(?:for|of|to|on|für|zu|de|du|pour|para|del|per|voor)\s+(?:[^\s\d:=\ue000]+\s+){0,3}?)?"
_SP = r"[ \t]*(?:\n[ \t]*)?"  # a value may sit on the next line, never past a blank line
_STRONG_RE = re.compile(
    _GAP + r"""(?:["'”’»)\]*]{1,2})?[ \t]*(?:"""
    r"[:=]" + _SP + r"(?:(?:is|ist|est|es)[ \t]+)?"
    r"|(?P<narr>(?:is|was|are|ist|war|lautet|est|était|es|era|è|é|zijn)[ \t]*:?(?:[ \t]+|[ \t]*\n[ \t]*)"
    r"(?:(?:now|still|currently|actually|just|jetzt|nun|noch|maintenant|ahora|ora)[ \t]+)?)"
    r"|(?:changed|set|reset|updated|geändert|gesetzt|changé|cambiad[oa]|cambiata)[ \t]+(?:to|zu|auf|en|à|a)[ \t]+"
    r")",
    re.IGNORECASE,
)
_WEAK_RE = re.compile(r"[ \t]*(?:[\-–][ \t]*)?(?:(?:number|nummer|no\.?|nr\.?)[ \t]*:?[ \t]*)?", re.IGNORECASE)
_QUOTED_RE = re.compile(
    r"\"([^\"\n\ue000]{1,64})\"|'([^'\n\ue000]{1,64})'|“([^”\n\ue000]{1,64})”"
    r"|«\s?([^»\n\ue000]{1,64}?)\s?»|„([^“\n\ue000]{1,64})“"
)
_TOKEN_RE = re.compile(r"[^\s\ue000]{1,128}")
_LIST_MARK_RE = re.compile(r"\d{1,2}[.)]")
_TRAIL_PUNCT = ".,;:!?)]}>\"'»”"
_DIGIT_CODE_RE = re.compile(r"(?<!\d)(\d{3}[ -]\d{3}|\d{3,8})(?!\w|[/.,:]\d)")  # "123 456" before "123"
_CVV_VALUE_RE = re.compile(
    r"\s*(?:\([^)\n]{1,12}\)\s*)?(?:(?:code|number|no\.?|nr\.?|nummer)\s*)?[:=#\-–]?\s*"
    r"(?:(?:is|ist|lautet|est|es|was)\s*:?\s*)?(?<!\d)(\d{3,4})(?!\w|[/.,:]\d)",
    re.IGNORECASE,
)
_MONTHS = r"jan|feb|m[äa]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]"
_EXP_VALUE_RE = re.compile(
    r"\s*(?:(?:date|datum)\s*)?(?:\(\s*mm\s*/\s*yy(?:yy)?\s*\)\s*)?[:=\-–]?\s*(?:(?:is|ist|on|am|le)\s*:?\s*)?"
    r"(?P<v>(?<![\d/.\-])(?:(?:0?[1-9]|1[0-2])\s?[/\-.]\s?(?:20)?\d{2}|(?:0[1-9]|1[0-2])(?:20)?\d{2}"
    rf"|(?:{_MONTHS})[a-zäé]*\.?\s+(?:20)?\d{{2}})(?![\d/]))",
    re.IGNORECASE,
)
_EXP_BARE_RE = re.compile(r"(?<![\d/.\-])(?:0?[1-9]|1[0-2])\s?/\s?(?:20)?\d{2}(?![\d/])")
_BANK_VALUE_RE = re.compile(
    r"\s*(?:\(\w{1,10}\)\s*)?[:#=]?\s*(?:(?:is|ist|lautet|est|es|n[°º]|no\.?|nr\.?)\s*:?\s*)?"
    r"(?<!\w)(\d(?:[ \-]?\d){4,33})(?!\d)",
    re.IGNORECASE,
)
_SEED_VALUE_RE = re.compile(
    r"(?:\d{1,2}[.):]\s*)?[A-Za-z]{3,8}(?:[ \t,;\n]+(?:\d{1,2}[.):]\s*)?[A-Za-z]{3,8}){11,23}(?![A-Za-z])"
)
_CODES_VALUE_RE = re.compile(
    r"(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,24}(?:[\s,;]+(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,24}){0,15}(?![A-Za-z0-9-])"
)
_LOGIN_PAIR_RE = re.compile(
    r"\s*[:=]\s*[^\s/|\ue000]{1,64}\s*[/|]\s*"
    r"(?!(?:pw|pwd|pass|password|passwort|kennwort|pin)\b)([^\s\ue000]{1,128})",
    re.IGNORECASE,
)
_STRONG_EXP_RE = re.compile(r"(?i)(?:valid\s+(?:thru|through)|good\s+thru)")
_POSTAL_PIN_RE = re.compile(r"[1-9]\d{5}")
_NARRATIVE_RE = re.compile(r"\b(?:is|was|ist|lautet|est|es|my|mein|meine|mon|ma|mi)\b", re.IGNORECASE)

# Words that follow "password is" in ordinary sentences about passwords, never a password itself.
_STOPWORDS_TEXT = """
    a an the my your our his her its their this that these those it is was be been being not no none
    wrong incorrect invalid correct right ok okay fine same different new old too also still now
    just only probably definitely somehow either neither expired changed reset working broken blocked
    locked required needed missing lost forgotten unknown known sent set saved stored empty blank
    case sensitive long short weak strong secure safe there here in on for of to and or but with
    by at as from below above attached what which why when where how who yes please help
    thanks thank regards hi hello dear best cheers danke gruß grüße merci gracias
    nicht falsch richtig korrekt das der die ein eine mein meine leider noch jetzt abgelaufen gesperrt
    vergessen ungültig und oder zu pas le la les un une mon ma mes faux oublié bloqué expiré et ou
    el mi incorrecta olvidé bloqueada y o
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def _token_value(text: str, pos: int, *, need_mixed: bool, narrative: bool = False) -> tuple[int, int] | None:
    """The value after a cue: a quoted string or one token, minus trailing punctuation."""
    q = _QUOTED_RE.match(text, pos)
    if q:
        g = next(i for i in range(1, 6) if q.group(i) is not None)
        return q.start(g), q.end(g)
    t = _TOKEN_RE.match(text, pos)
    if not t:
        return None
    s, e = t.span()
    while e > s and text[e - 1] in _TRAIL_PUNCT:
        e -= 1
    while s < e and text[s] in "([{<\"'«“„":
        s += 1
    if e <= s:
        return None
    word = text[s:e]
    low = word.lower()
    if low in _STOPWORDS or len(word) < 3 or _LIST_MARK_RE.fullmatch(text, t.start(), t.end()):
        return None
    if narrative and word.isalpha() and word.islower() and low.endswith(("ed", "ing", "ly")):
        return None  # "my password was denied", "is expiring": a participle, not a password
    if need_mixed and (len(word) < 4 or word.isdigit() or not any(c.isdigit() for c in word)):
        return None  # after a bare "password", only a letters-and-digits token reads as the value
    return s, e


def _card_context(text: str, start: int, end: int, cards: list[tuple[int, int]], sentences: _Sentences) -> bool:
    """A card number or card word in the same sentence: what makes 12/29 an expiry and not a coupon date.

    `cards` is sorted and non-overlapping; each sentence is searched for card words once.
    """
    lo = sentences.start(start)
    hi = sentences.end(end)
    i = bisect.bisect_right(cards, (lo, len(text)))  # first card starting after lo
    if (i and cards[i - 1][1] > lo) or (i < len(cards) and cards[i][0] < hi):
        return True
    key = (lo, hi)
    if key not in sentences.card_word:
        sentences.card_word[key] = _CARD_WORD_RE.search(text, lo, hi) is not None
    return sentences.card_word[key]


def _find_cued(text: str, cards: list[tuple[int, int]]) -> list[Finding]:
    out: list[Finding] = []
    sentences = _Sentences(text)
    for kind, cue_start, pos in _cues(text):
        if kind == "cvv":
            v = _CVV_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("card_cvv", *v.span(1)))
        elif kind == "sec":
            v = _CVV_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("card_cvv", *v.span(1)))
                continue
            span = _code_value(text, pos)
            if span and span[1] - span[0] >= 5:
                out.append(Finding("password", *span))
        elif kind == "exp":
            v = _EXP_VALUE_RE.match(text, pos)
            if not v:
                continue
            s, e = v.span("v")
            if _STRONG_EXP_RE.match(text, cue_start) or _card_context(text, s, e, cards, sentences):
                out.append(Finding("card_expiry", s, e))
        elif kind == "bank":
            v = _BANK_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("bank_account", *v.span(1)))
        elif kind == "pin" or kind == "otp":
            span = _code_value(text, pos, allow_token=True)
            if span is None:
                continue
            value = text[span[0] : span[1]]
            cue = text[cue_start:pos].lower().replace("-", " ")
            if (
                kind == "pin"
                and cue in ("pincode", "pin code")
                and _POSTAL_PIN_RE.fullmatch(value)
                and not _NARRATIVE_RE.search(text, max(0, cue_start - 12), span[0])
                and not _card_context(text, *span, cards, sentences)
            ):
                continue  # an Indian postal PIN code, part of an address
            out.append(Finding("password", *span))
        elif kind == "seed":
            c = _STRONG_RE.match(text, pos)
            p = c.end() if c else pos
            while p < len(text) and text[p] in " \t\n":
                p += 1
            v = _SEED_VALUE_RE.match(text, p)
            if v:
                out.append(Finding("password", *v.span()))
        elif kind == "codes":
            c = _STRONG_RE.match(text, pos)
            if c:
                v = _CODES_VALUE_RE.match(text, c.end())
                if v:
                    out.append(Finding("password", *v.span()))
        elif kind == "pw":
            c = _STRONG_RE.match(text, pos)
            if c:
                span = _token_value(text, c.end(), need_mixed=False, narrative=c.group("narr") is not None)
            else:
                w = _WEAK_RE.match(text, pos)
                span = _token_value(text, w.end(), need_mixed=True) if w and w.end() > pos else None
            if span:
                out.append(Finding("password", *span))
        elif kind == "login":
            v = _LOGIN_PAIR_RE.match(text, pos)
            if v:
                s, e = v.span(1)
                while e > s and text[e - 1] in _TRAIL_PUNCT:
                    e -= 1
                if e > s and text[s:e].lower() not in _STOPWORDS:
                    out.append(Finding("password", s, e))
    return out


def _code_value(text: str, pos: int, *, allow_token: bool = False) -> tuple[int, int] | None:
    """A PIN or one-time code: digits after a weak cue, or any token after "is" / ":"."""
    c = _STRONG_RE.match(text, pos)
    if c:
        d = _DIGIT_CODE_RE.match(text, c.end())
        if d:
            return d.span()
        if allow_token:
            span = _token_value(text, c.end(), need_mixed=False)
            if span and any(ch.isdigit() for ch in text[span[0] : span[1]]):
                return span
        return None
    w = _WEAK_RE.match(text, pos)
    if w is None or w.end() == pos:
        return None
    d = _DIGIT_CODE_RE.match(text, w.end())
    return d.span() if d else None


_CHAIN_GAP_RE = re.compile(r"[ \t,;|/\-]{1,3}|\s*\n\s*")
_BARE_CVV_RE = re.compile(r"\d{3,4}(?!\w|[/.,:]\d|[ \-\u00a0]\d)")  # a lone group, not the head of another number


def _chained_after_cards(text: str, cards: list[tuple[int, int]]) -> list[Finding]:
    """`4111 1111 1111 1111 12/29 123`: an expiry and a code written right after the number."""
    out: list[Finding] = []
    sentences = _Sentences(text)
    for _, ce in cards:
        pos = ce
        got_exp = got_cvv = False
        for _ in range(2):
            g = _CHAIN_GAP_RE.match(text, pos)
            if not g:
                break
            p = g.end()
            if not got_exp:
                x = _EXP_BARE_RE.match(text, p)
                if x:
                    out.append(Finding("card_expiry", *x.span()))
                    pos, got_exp = x.end(), True
                    continue
            if not got_cvv:
                v = _BARE_CVV_RE.match(text, p)
                if v:
                    out.append(Finding("card_cvv", *v.span()))
                    pos, got_cvv = v.end(), True
                    continue
            break
        # An expiry later in the same sentence ("card 4111… which expires … 12/29" is cued anyway).
        if not got_exp:
            stop = min(sentences.end(ce), ce + 120)  # a bound keeps a long run of cards linear
            x = _EXP_BARE_RE.search(text, ce, stop)
            if x:
                out.append(Finding("card_expiry", *x.span()))
    return out


# A sentence ends at . ! ? before a capital (so "exp. 03/29" and "approx. 3" do not end one) or at a blank line.
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-ZÀ-ÝÄÖÜ\"'(]|\s*$)|\n[ \t]*\n")


class _Sentences:
    """Sentence bounds of one text, found in one pass when first asked for.

    No length cap on a sentence: a cap would count characters, and a second pass sees markers of other
    lengths than the secrets they replaced, so it could decide otherwise. One pass keeps it linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self.card_word: dict[tuple[int, int], bool] = {}  # per sentence: does it hold a card word?

    def _load(self) -> list[int]:
        if self._starts is None:
            spans = [m.span() for m in _SENTENCE_END_RE.finditer(self.text)]
            self._starts = [a for a, _ in spans]
            self._ends = [b for _, b in spans]
        return self._starts

    def start(self, pos: int) -> int:
        self._load()
        i = bisect.bisect_right(self._ends, pos)
        return self._ends[i - 1] if i else 0

    def end(self, pos: int) -> int:
        starts = self._load()
        j = bisect.bisect_left(starts, pos)
        return starts[j] if j < len(starts) else len(self.text)


# ---------------------------------------------------------------------------
# Putting it together


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < oe and os < e for os, oe in spans)


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out spans (same length, so offsets hold) that later patterns must neither read nor run into."""
    parts: list[str] = []
    last = 0
    for s, e in sorted(spans):
        if s < last:
            s = last
        parts.append(text[last:s])
        parts.append(_MASK * max(0, e - s))
        last = max(last, e)
    parts.append(text[last:])
    return "".join(parts)


def _mask_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out markers from an earlier pass; return the card markers, which are still card context."""
    found = [(m.start(), m.end(), m.group().startswith("[card")) for m in _MARKER_RE.finditer(text)]
    if not found:
        return text, []
    return _mask(text, [(s, e) for s, e, _ in found]), [(s, e) for s, e, is_card in found if is_card]


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Keep non-overlapping findings, the higher-priority kind first, then the longer span."""
    ordered = sorted(candidates, key=lambda f: (_PRIORITY[f.kind], f.start, -(f.end - f.start)))
    kept: list[Finding] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for f in ordered:
        if f.end <= f.start:
            continue
        i = bisect.bisect_right(starts, f.start)
        if (i and kept[i - 1].end > f.start) or (i < len(kept) and kept[i].start < f.end):
            continue
        kept.insert(i, f)
        starts.insert(i, f.start)
    return kept


def _marker_for(f: Finding, text: str) -> str:
    if f.kind == "card_number":
        digits = [c for c in text[f.start : f.end] if c.isdigit()]
        return "[card •••• " + "".join(digits[-4:]) + "]"
    return _MARK[f.kind]


def _detect(scan: str, card_context: list[tuple[int, int]]) -> list[Finding]:
    """One pass of every detector over `scan`, overlaps settled."""
    numbers = _find_numbers(scan)
    card_spans = [(f.start, f.end) for f in numbers if f.kind == "card_number"]
    if numbers:
        # The cue patterns then see what a second pass would see: a blank where the number was.
        scan = _mask(scan, [(f.start, f.end) for f in numbers])
    candidates = numbers + _find_cued(scan, sorted(card_spans + card_context))
    if card_spans:
        candidates.extend(_chained_after_cards(scan, card_spans))
    return _resolve(candidates) if candidates else []


def redact(text: str) -> Redaction:
    """Replace every secret in `text` with a marker; findings point into the original text.

    Idempotent: markers are never re-read, so redacting redacted text changes nothing.
    """
    if not text:
        return Redaction(text, ())
    scan, card_context = text, []
    if "[" in text:
        scan, card_context = _mask_markers(text)
    findings: list[Finding] = []
    # Removing one secret can expose another (a card that shared a digit run with an expiry), which a
    # second call would then find. Detect again on the blanked text until nothing new turns up, so a
    # second call never does.
    for _ in range(4):
        new = _detect(scan, card_context)
        if not new:
            break
        findings.extend(new)
        card_context = card_context + [(f.start, f.end) for f in new if f.kind == "card_number"]
        scan = _mask(scan, [(f.start, f.end) for f in new])
        if not any(_NEAR_DIGIT_RE.search(scan, max(0, f.start - 3), min(len(scan), f.end + 3)) for f in new):
            break  # nothing number-like borders a blank, so a second look cannot find more
    if not findings:
        return Redaction(text, ())
    findings.sort(key=lambda f: f.start)

    parts: list[str] = []
    last = 0
    for f in findings:
        parts.append(text[last : f.start])
        parts.append(_marker_for(f, text))
        last = f.end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(findings))


def _merge_max(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in a.keys() | b.keys()}


def _add(a: dict[str, int], b: dict[str, int]) -> None:
    for k, v in b.items():
        a[k] = a.get(k, 0) + v


def redact_message(msg: ParsedMessage) -> tuple[ParsedMessage, dict[str, int]]:
    """Redact every human-written field of a message; return the copy and {kind: count}.

    new_text, quoted_text and signature are slices of body_text, so a secret is
    counted once: per kind, the larger of the body's count and the slices' count
    (they agree unless a parser normalised the slices differently).
    """
    subject = redact(msg.subject)
    from_name = redact(msg.from_name)
    body = redact(msg.body_text)
    new = redact(msg.new_text)
    quoted = redact(msg.quoted_text)
    signature = redact(msg.signature)
    attachments: list[Attachment] = []
    counts: dict[str, int] = {}
    for att in msg.attachments:
        r = redact(att.filename)
        _add(counts, r.counts())
        attachments.append(dataclasses.replace(att, filename=r.text) if r.findings else att)
    _add(counts, subject.counts())
    _add(counts, from_name.counts())
    slices: dict[str, int] = {}
    for r in (new, quoted, signature):
        _add(slices, r.counts())
    _add(counts, _merge_max(body.counts(), slices))
    redacted = dataclasses.replace(
        msg,
        subject=subject.text,
        from_name=from_name.text,
        body_text=body.text,
        new_text=new.text,
        quoted_text=quoted.text,
        signature=signature.text,
        attachments=tuple(attachments),
    )
    return redacted, {k: v for k, v in counts.items() if v}
