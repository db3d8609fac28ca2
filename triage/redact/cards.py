"""Card numbers: the issuer table, Luhn, and which digit runs (or group-aligned windows of them) are cards.

A run of 13-19 digits (single spaces, dashes or dots between groups) bounded by non-digits is a card
when it passes Luhn and either has a known issuer's prefix and length in a card-like grouping (the
strong rule), or a card word stands right next to it. Inside a longer run of groups, every group-aligned
window passing the strong rule is a card, the other groups (an order number) staying; in a 17-19 digit
unbroken run, only a strong card at either end, with a card word by it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from typing import Final

from triage.records import Finding
from triage.redact.issuers import lengths_by_prefix4
from triage.redact.markers import overlaps

_LENGTHS_BY_PREFIX4: Final = lengths_by_prefix4()
_CORE_LENGTHS_BY_PREFIX4: Final = lengths_by_prefix4(core=True)

_SEP: Final = " \\-.\u00a0\u2009\u202f"
# At least 12 ASCII digits with single separators between groups. No look-behind is needed for the
# digit-run boundary: the match is greedy and scanning is left to right, so a match never starts
# right after a digit (and the pattern stays eligible for the engine's fast first-character skip).
# The look-ahead (a plain character-class run) rejects short numbers before the real pattern runs.
CHUNK_RE: Final = re.compile(rf"[0-9](?=[0-9{_SEP}]{{11}})(?:[{_SEP}]?[0-9]){{11,}}")
_SPLIT_RE: Final = re.compile(rf"[{_SEP}]")

CARD_WORD_RE: Final = re.compile(
    r"\b(?:(?:credit|debit|kredit|bank|ec|gift)[\s-]?)?(?:cards?|karten?|cartes?|tarjetas?|carta|kaart|cart[ãa]o|cart[õo]es)\b"
    r"|\b(?:kreditkarte\w*|kartennummer|visa|mastercard|master\s+card|amex|american\s+express|discover"
    r"|diners(?:\s+club)?|jcb|unionpay|maestro|uatp|airplus|cvv2?|cvc2?)\b",
    re.IGNORECASE,
)
_NOT_CARD_WORD_RE: Final = re.compile(
    r"\b(?:orders?|bestell\w*|commande|pedido|ordine|tracking|sendung\w*|shipment|parcel|paket|awb"
    r"|invoice|rechnung|facture|factura|ref|reference|ean|gtin|upc|barcode|sku|isbn|article|artikel"
    # invoice and delivery-note labels in de/it/nl/pt, and a loyalty card's number ("Rechnungsnummer",
    # "Lieferscheinnummer", "numero fattura", "factuurnummer", "número da fatura", "loyalty number")
    r"|rechnungs\w*|lieferschein\w*|fattura|factuur\w*|fatura|pakbon\w*|bolla|loyalty|fidelidade|fidelit[àa]"
    r"|item|imei|serial|tel|phone|telefon|fax|mobile|handy|customer|kunden\w*|voucher|gutschein\w*|coupon"
    r"|r[ée]f[ée]rence|referencia|suivi|seguimiento|colis|auftrag\w*|rastreo|lieferung\w*"
    # "envío"/"envio" is a shipment only as a label ("Nº de envio", "número de envío"); alone it is "I send".
    r"|n\.?[º°]\s*(?:de\s+)?env[íi]o|(?:n[úu]mero|c[óo]digo|gu[íi]a)\s+de\s+env[íi]o|env[íi]o\s+n[º°.])\b",
    re.IGNORECASE,
)
# A digit, or a blank left by a number already removed: both separate a cue word from a number.
_NUMBERISH_RE: Final = re.compile(r"[\d\ue000]")
_DATE_TAIL_RE: Final = re.compile(r"[/.]\d")


_LUHN_DOUBLED: Final = str.maketrans("0123456789", "0246813579")  # each digit doubled, digits of the result summed


def luhn_ok(digits: str) -> bool:
    """Luhn check. python-stdnum's luhn.checksum gives the same answers (the tests compare them) but is
    several times slower, and this runs on every long digit run in every mail."""
    if not digits.isascii():  # Unicode digits ("٤١١١…", from a caller that did not normalise): int() reads them
        return (sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLED)))) % 10 == 0
    # ASCII digits: the byte values summed in C, less 48 ("0") for each (about 2.5x faster than int() per digit).
    odd, even = digits[-1::-2].encode(), digits[-2::-2].translate(_LUHN_DOUBLED).encode()
    return (sum(odd) + sum(even) - 48 * len(digits)) % 10 == 0


def issuer_matches(digits: str, *, core: bool = False) -> bool:
    """True when `digits` has the prefix and length of a known card scheme (Luhn not checked); `core`:
    of a scheme's own ranges, not a broad space like Maestro's 56-69 (see issuers.lengths_by_prefix4)."""
    table = _CORE_LENGTHS_BY_PREFIX4 if core else _LENGTHS_BY_PREFIX4
    return len(digits) in table.get(digits[:4], ())


def _card_like_layout(groups: list[str]) -> bool:
    """Cards are written 4-4-4-4, 4-6-5, 4-4-4-4-3 and the like, or in two parts where a line broke them
    or a bank printed them so: 8+8, 12+4, 6+13 (UnionPay), 4+12. 3-7-7 (Amazon order ids) is no card,
    nor 2-2-7-5 (a phone number before a postal code) or 8+4+4 (an order number before a card)."""
    if len(groups) == 1:
        return True
    if len(groups) >= 13 and all(len(g) == 1 for g in groups):
        return True  # every digit spaced ("5 5 7 6 4 3 2 8 …"), as read out or typed off a photo
    first, last = len(groups[0]), len(groups[-1])
    if 3 <= len(groups) <= 5 and sum(map(len, groups)) == 16 and all(3 <= len(g) <= 5 for g in groups):
        return True  # 16 digits in odd groups ("519 5786 2993 97263"): still a card's length
    if len(groups) == 2:
        return (first, last) in _TWO_PARTS or (first == 4 and last >= 8) or (first == 12 and 1 <= last <= 7)
    if first != 4:
        return False
    return all(len(g) in (4, 6) for g in groups[1:-1]) and 1 <= last <= 6


_TWO_PARTS: Final = frozenset({(8, 8), (8, 7), (8, 11), (6, 10), (6, 12), (6, 13), (10, 6), (10, 9)})


# The card-word patterns are written in lower case. On an ASCII piece of text, matching them case-sensitively on
# the lower-cased piece finds exactly what IGNORECASE finds on the text (the case folds that differ, "ı", "ſ",
# "İ", the Kelvin sign, are not ASCII), about three times faster; these run on every card candidate.
_CARD_WORD_LOWER_RE: Final = re.compile(CARD_WORD_RE.pattern)
_NOT_CARD_WORD_LOWER_RE: Final = re.compile(_NOT_CARD_WORD_RE.pattern)


def _word_spans(rx: re.Pattern[str], lower_rx: re.Pattern[str], text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The spans of rx.finditer(text, lo, hi), by `lower_rx` on the lower-cased piece when it is ASCII. The piece
    starts a character early: a `\\b` at `lo` reads the character before it (at `hi` it reads nothing, as
    there)."""
    base = lo - 1 if lo > 0 else 0
    piece = text[base:hi]
    if piece.isascii():
        return [(m.start() + base, m.end() + base) for m in lower_rx.finditer(piece.lower(), lo - base)]
    return [m.span() for m in rx.finditer(text, lo, hi)]


def card_word_in(text: str, lo: int, hi: int) -> bool:
    """Whether CARD_WORD_RE finds a card word in text[lo:hi] (`search(text, lo, hi)`), fast on ASCII as above."""
    base = lo - 1 if lo > 0 else 0
    piece = text[base:hi]
    if piece.isascii():
        return _CARD_WORD_LOWER_RE.search(piece.lower(), lo - base) is not None
    return CARD_WORD_RE.search(text, lo, hi) is not None


def _card_word_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return _word_spans(CARD_WORD_RE, _CARD_WORD_LOWER_RE, text, lo, hi)


def _not_card_word_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return _word_spans(_NOT_CARD_WORD_RE, _NOT_CARD_WORD_LOWER_RE, text, lo, hi)


def _words_then_nothing(segment: str) -> bool:
    """True when a text segment between a cue and a number holds no digits and no competing cue."""
    return not _NUMBERISH_RE.search(segment) and not _not_card_word_spans(segment, 0, len(segment))


# Every card word contains one of these; a substring test on a short window is far cheaper than the regex.
_CARD_STEMS: Final = ("card", "kart", "cart", "tarj", "kaart", "visa", "master", "amex", "american", "discover")
_CARD_STEMS_2: Final = ("diners", "jcb", "unionpay", "maestro", "uatp", "airplus", "cvv", "cvc")
_CARD_STEMS_RE: Final = re.compile("|".join(_CARD_STEMS + _CARD_STEMS_2))  # one C call on the lower-cased window


def _card_stem_near(text: str, start: int, end: int) -> bool:
    """Whether the window `_card_word_adjacent` reads holds a card word's stem at all (the cheap test first)."""
    return _CARD_STEMS_RE.search(text[max(0, start - 48) : end + 32].lower()) is not None


def _card_word_adjacent(text: str, start: int, end: int) -> bool:
    """A card word within a few words before (or just after) the number, with nothing number-like between."""
    lo = max(0, start - 48)
    if not _card_stem_near(text, start, end):
        return False
    before = _card_word_spans(text, lo, start)
    if before and _words_then_nothing(text[before[-1][1] : start]):
        return True
    after = _card_word_spans(text, end, min(len(text), end + 32))
    return bool(after) and _words_then_nothing(text[end : after[0][0]])


def _card_word_near(text: str, start: int, end: int) -> bool:
    """A card word next to the number and no order/phone/EAN word closer to it."""
    return _card_word_adjacent(text, start, end) and not _not_card_word_before(text, start)


# What may stand between a label and the number it names: "tracking number: ", "Nº de envio CTT: ", "invoice
# no. ", "order #", "Bestellung Nr. ", "número de pedido es " (at most three such words, each a label's tail).
_LABEL_TAIL_RE: Final = re.compile(
    r"(?:[\s:#=.,\-–—()\"'“”«»]|\ue000)*(?:(?:(?i:numbers?|nummer|no|nr|n[º°]|num|numéro|numero|número|id|code|c[óo]digo"
    r"|ref|is|ist|lautet|est|es|é|was|war|de|du|des|der|die|das|the|your|my|votre|ihre|mi|su|tu|meu|minha|da|do)"
    r"|[A-Z]{2,5})(?:[\s:#=.,\-–—()\"'“”«»]|\ue000)*){0,3}$"
)


def _not_card_word_before(text: str, start: int) -> bool:
    """An order, tracking, EAN or phone word naming the number right before it, on its line, with no card
    word after it. It must name the number ("tracking number: 4111…"): a label word earlier in the sentence
    ("I send you my card …", "envio o meu cartão …") says nothing about this number."""
    lo = max(0, start - 40, text.rfind("\n", 0, start) + 1)
    spans = _not_card_word_spans(text, lo, start)
    if not spans or _NUMBERISH_RE.search(text, spans[-1][1], start):
        return False
    if not _LABEL_TAIL_RE.match(text, spans[-1][1], start):
        return False
    return not card_word_in(text, spans[-1][1], start)


def _phone_prefixed(text: str, start: int, digits: str) -> bool:
    """`+49 1512 3456789` is a phone number even when its digits happen to look like a Visa; but a phone
    number has at most 15 digits (E.164), so "+4111 1111 1111 1111" is a card with a stray plus."""
    if len(digits) > 15:
        return False
    i = start - 1
    while i >= 0 and text[i] in " (\u00a0":
        i -= 1
    return i >= 0 and text[i] == "+"


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


_GLUED_CUE_RE: Final = re.compile(
    r"(?i)(?:exp(?:iry|ires?|iration)?|cvv2?|cvc2?|cid|csc|valid|g[üu]ltig|vence|mm)(?=[:=/]?\d)"
)


def _glued_to_letters(text: str, start: int, end: int) -> bool:
    """Digits inside a hex or base64 blob or an identifier, not a card glued to a word.

    "Card:4111…Exp:12/29", "visa4111….png", "pan=4111…" are cards: the letters glued on either side are
    a word with no digits. When the glued token carries other digits too ("a3f4111…9be2") or is long,
    the run is part of a blob.
    """
    if not (start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()) and not (
        end < len(text) and text[end].isascii() and text[end].isalpha()
    ):
        return False  # a digit next to the window is the caller's business (a longer run)
    lo = start
    while lo > 0 and start - lo <= 24 and _alnum(text[lo - 1]):
        lo -= 1
    hi = end
    cue = _GLUED_CUE_RE.match(text, end)
    if cue:  # "…1111exp1227cvv123": a card-data cue glued after the number, its value after it, is no blob
        hi = cue.end()
    else:
        while hi < len(text) and hi - end <= 24 and _alnum(text[hi]):
            hi += 1
    if start - lo == 2 and text[lo:start].isupper() and hi == end:
        return True  # "DK5000400440116342": an IBAN's country code, whatever the checksum said
    others = text[lo:start] + text[end:hi]
    return len(others) > 24 or any(c.isdigit() for c in others)


def _strong_card(text: str, start: int, end: int, digits: str, groups: list[str], *, candidate: bool = False) -> bool:
    """The strong rule: a known issuer's prefix and length, a card-like grouping, Luhn. Cheap tests first.
    `candidate`: `digits` is known to have 12-19 digits, an issuer's prefix and length and to pass Luhn
    (`_strong_candidates` tested just that), so those tests are not run again."""
    if not candidate and (not 12 <= len(digits) <= 19 or not issuer_matches(digits)):
        return False
    if not _card_like_layout(groups):
        return False
    if not (candidate or luhn_ok(digits)) or _phone_prefixed(text, start, digits):
        return False
    if _glued_to_letters(text, start, end):
        return False
    if len(digits) == 12 and len(groups) not in (1, 3) and not _card_word_adjacent(text, start, end):
        return False  # 12 digits are a Maestro only as 4-4-4, unbroken, or with a card word by them
    # A number labelled as something else ("tracking number", "EAN", "Bestellnummer") with no card word by
    # it is that thing, even when it passes Luhn. When in doubt (a card word too), it is a card.
    return not _not_card_word_before(text, start) or _card_word_adjacent(text, start, end)


def _is_card(text: str, start: int, end: int, digits: str, groups: list[str], word_near: Callable[[], bool]) -> bool:
    """The strong rule, or Luhn with a card word right by the number (UATP and other prefix-less schemes).

    `word_near` says (once per digit chunk, on demand) whether a card word sits right by the chunk.
    """
    if not 12 <= len(digits) <= 19 or _glued_to_letters(text, start, end):
        return False
    if issuer_matches(digits) and _card_like_layout(groups):
        return _strong_card(text, start, end, digits, groups)
    # Without an issuer, 13 digits at least: a 12-digit Luhn hit next to "card" is one in ten numbers.
    return len(digits) >= 13 and luhn_ok(digits) and not _phone_prefixed(text, start, digits) and word_near()


def _plain_card_at(groups: list[str], seps: list[str], i: int) -> bool:
    """Whether groups[i:] begin with a Luhn-valid issuer number: two cards written back to back."""
    digits = ""
    for k in range(i, len(groups)):
        if k > i + 1 and seps[k - 1] != seps[i]:
            return False
        digits += groups[k]
        if len(digits) > 19:
            return False
        if len(digits) >= 12 and luhn_ok(digits) and issuer_matches(digits):
            return True
    return False


def cards_in_chunk(
    text: str,
    start: int,
    chunk: str,
    blocked: list[tuple[int, int]],
    out: list[Finding],
    mistyped: Sequence[tuple[int, int]] = (),
) -> None:
    """Add the cards in a digit chunk (and a CVV glued to one) to `out`.

    `blocked`: IBANs, never part of a card. `mistyped`: IBAN-shaped spans that fail mod-97 or the
    registry format; a window inside one is only a card when set off on both sides.
    """
    if len(chunk) <= 23 and chunk.count(" ") + chunk.count("-") + chunk.count(".") >= len(chunk) - 12:
        # At most 12 digits, however many separators ("+44 20 6693 6359"): no window is shorter than 12,
        # so a card only as a whole, with an issuer (phone numbers end here).
        digits = _SPLIT_RE.sub("", chunk)
        if len(digits) == 12 and not (issuer_matches(digits) and luhn_ok(digits)):
            return
    if chunk.isdigit():
        _cards_in_run(text, start, chunk, blocked, out)
    else:
        groups = _SPLIT_RE.split(chunk)
        n = len(groups)
        if n >= 13 and len(chunk) == 2 * n - 1:  # every digit spaced: a card only as a whole
            digits = "".join(groups)
            if _strong_card(text, start, start + len(chunk), digits, groups) and not overlaps(
                start, start + len(chunk), blocked
            ):
                out.append(Finding("card_number", start, start + len(chunk)))
            return
        # Where a strong window could start; none and no card word (a USPS run): nothing to look at. A window
        # from a later group is inside the run, so it needs a scheme's core range (see _Groups.strong_windows):
        # Maestro's broad 56-69 there ("9207 5931 4101 …") starts nothing.
        may_start = [
            (groups[i] + (groups[i + 1] if i + 1 < n else ""))[:4]
            in (_CORE_LENGTHS_BY_PREFIX4 if i else _LENGTHS_BY_PREFIX4)
            for i in range(n)
        ]
        near = None
        candidates = _strong_candidates(groups, may_start) if any(may_start) else set()
        if not candidates:
            near = _card_word_near(text, start, start + len(chunk))
            if not near:
                return
        _Groups(text, start, chunk, groups, blocked, mistyped, near).find(candidates, out)


def _strong_candidates(groups: list[str], may_start: list[bool]) -> set[tuple[int, int]]:
    """The group-aligned windows (i, j) of 12-19 digits from a group where a strong window may start that have
    an issuer's prefix and length and pass Luhn: what `_Groups.strong_windows` asks of a window before anything
    else (`_strong_card` needs all three, of the same digits), so it reads only these. None, and no card word
    by the chunk: `_Groups.find` finds nothing (its other windows need `word_near`), so a run of groups such as
    a USPS tracking number ("9207 5931 4101 6358 5581 70") is settled here, before the windows are built."""
    n = len(groups)
    out: set[tuple[int, int]] = set()
    for i in range(n):
        if not may_start[i]:
            continue
        # may_start[i] found this 4-digit key in a table (all their keys have 4 digits), so it is the prefix of
        # every window from group i, and issuer_matches(window) is `size in lengths`: looked up once per start,
        # and a window's digits are joined only when its size passes.
        lengths = _LENGTHS_BY_PREFIX4.get((groups[i] + (groups[i + 1] if i + 1 < n else ""))[:4], ())
        size = 0
        for j in range(i, n):
            size += len(groups[j])
            if size > 19:
                break
            if size >= 12 and size in lengths and luhn_ok("".join(groups[i : j + 1])):
                out.add((i, j + 1))
    return out


def _cards_in_run(text: str, start: int, run: str, blocked: list[tuple[int, int]], out: list[Finding]) -> None:
    """One unbroken run of digits: a card, or (17-19 digits, a card word by it) a known issuer's card at
    either end of it, glued to a short number: "card 4111111111111111123", "Karte 0424111111111111111"."""
    end = start + len(run)
    if len(run) > 19 or overlaps(start, end, blocked):
        return
    if not issuer_matches(run) and not _card_stem_near(text, start, end):
        return  # no issuer: a card only by a card word (below, the same window), and there is none
    if _is_card(text, start, end, run, [run], lambda: _card_word_near(text, start, end)):
        out.append(Finding("card_number", start, end))
        return
    if len(run) < 17 or _glued_to_letters(text, start, end) or not _card_word_near(text, start, end):
        return
    for size in range(len(run) - 1, 11, -1):  # the longest reading first, the start before the end
        if _strong_card(text, start, start + size, run[:size], [run[:size]]):
            out.append(Finding("card_number", start, start + size))
            if len(run) - size in (3, 4) and not _DATE_TAIL_RE.match(text, end):
                out.append(Finding("card_cvv", start + size, end))  # the code glued to the card
            return
        if _strong_card(text, end - size, end, run[-size:], [run[-size:]]):
            out.append(Finding("card_number", end - size, end))  # an order number glued in front stays
            return


class _Groups:
    """A chunk of digit groups ("1042 4111 1111 1111 1111 123") cut into group-aligned windows.

    Every window that passes the strong rule is a card wherever it sits in the run: card data must
    never rest anywhere, so when a longer run (a 22-digit USPS number, say) holds a Luhn-valid
    issuer-shaped window, redacting part of a tracking number is the failure we choose. Where such
    windows overlap, the one set off from its neighbours wins (by the end of the run, a different
    separator, a 3-digit CVV after it, another card); then the one ending at the run's end, since a
    number typed before a card is an order number and one after it a CVV or expiry. Windows without
    an issuer are cards only with Luhn and a card word next to the run, as in a 13-19 digit run.
    """

    def __init__(
        self,
        text: str,
        start: int,
        chunk: str,
        groups: list[str],
        blocked: list[tuple[int, int]],
        mistyped: Sequence[tuple[int, int]],
        near: bool | None,
    ) -> None:
        self.text, self.start, self.chunk, self.blocked, self.mistyped = text, start, chunk, blocked, mistyped
        self.groups = groups
        self.n = len(groups)
        lens = [len(g) for g in groups]
        self.offs = list(accumulate([k + 1 for k in lens[:-1]], initial=0))  # offs[k]: where group k starts
        self.seps = [chunk[o - 1] for o in self.offs[1:]]  # seps[k] sits between groups k and k+1
        self.cum = list(accumulate(lens, initial=0))  # cum[k]: digits in groups[:k]
        # same_to[i]: the first k > i with seps[k] != seps[i] (len(seps) if none); a window groups[i:j] with
        # one separator throughout needs j - 1 <= same_to[i].
        m = len(self.seps)
        self.same_to = [m] * (m + 1)
        if len(set(self.seps)) > 1:
            for k in range(m - 2, -1, -1):
                self.same_to[k] = self.same_to[k + 1] if self.seps[k] == self.seps[k + 1] else k + 1
        self._near = near  # a card word right by the chunk; None: not looked up yet

    def _window_groups(self, i: int, j: int) -> list[str]:
        """The groups of a window; the whole run, set off by non-digits on both sides, reads as one group:
        how a number was split ("4111<ZWSP>1111 1111 1111", "41111111 1111 1111") tells little then, as long
        as no group but the last is shorter than four ("RS35 A600 0560 …" is a mistyped IBAN, not a card)."""
        if i == 0 and j == self.n and self.n > 1 and all(len(g) >= 4 for g in self.groups[:-1]):
            return ["".join(self.groups)]
        return self.groups[i:j]

    def word_near(self) -> bool:
        if self._near is None:
            self._near = _card_word_near(self.text, self.start, self.start + len(self.chunk))
        return self._near

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Text offsets of groups[i:j]."""
        return self.start + self.offs[i], self.start + self.offs[j - 1] + len(self.groups[j - 1])

    def windows(self, i: int, stop: int) -> list[int]:
        """Ends j (longest first) of the windows groups[i:j], j <= stop, of 13-19 digits with one separator."""
        cum = self.cum
        same_to = self.same_to[i] if i < len(self.seps) else i
        out = []
        for j in range(min(stop, bisect.bisect_right(cum, cum[i] + 19) - 1), i, -1):
            if cum[j] - cum[i] < 12:
                break
            if j - i > 1 and j - 1 > same_to:
                continue  # two kinds of separator inside
            if not self.blocked or not overlaps(*self.span(i, j), self.blocked):
                out.append(j)
        return out

    def left_set_off(self, i: int, j: int) -> bool:
        return (
            i == 0
            or j - i == 1
            or self.seps[i - 1] != self.seps[i]
            or overlaps(self.start + self.offs[i - 1], self.start + self.offs[i] - 1, self.blocked)  # an IBAN
        )

    def right_set_off(self, i: int, j: int) -> bool:
        """Set off on the right; a final group of 3 digits (4 after an Amex 15) after it reads as a CVV."""
        short_tail = 4 if self.cum[j] - self.cum[i] == 15 else 3
        return (
            j == self.n
            or j - i == 1
            or self.seps[j - 1] != self.seps[i]
            or (j == self.n - 1 and len(self.groups[-1]) <= short_tail)
            or _plain_card_at(self.groups, self.seps, j)
        )

    def strong_windows(self, candidates: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """The windows passing the strong rule, overlaps settled as the class docstring says; sorted."""
        return self.settled(self.strong_found(candidates))

    def strong_found(self, candidates: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """The windows passing the strong rule, from each start in turn, longest first.

        Only `candidates` (see `_strong_candidates`) are read, in the order every window was read before:
        any other window fails `_strong_card` on its issuer, length or Luhn (of the same digits)."""
        found: list[tuple[int, int]] = []
        for i in sorted({i for i, _ in candidates}):
            for j in self.windows(i, self.n):
                if (i, j) not in candidates:
                    continue
                sub = self._window_groups(i, j)
                digits = "".join(sub)
                if (i, j) != (0, self.n) and not issuer_matches(digits, core=True):
                    continue  # inside a longer run (a tracking number): the core ranges only
                s, e = self.span(i, j)
                if not _strong_card(self.text, s, e, digits, sub, candidate=True):
                    continue
                if overlaps(s, e, self.mistyped) and not (self.left_set_off(i, j) and self.right_set_off(i, j)):
                    continue  # the middle of a mistyped IBAN
                found.append((i, j))
        return found

    def settled(self, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Of overlapping strong windows, the one set off from its neighbours (see the class docstring)."""
        if len(found) < 2:
            return found
        ends = {j for _, j in found}

        def rank(w: tuple[int, int]) -> tuple[int, int, int, int]:
            i, j = w
            digits = self.cum[j] - self.cum[i]
            right = self.right_set_off(i, j)
            left = self.left_set_off(i, j) or i in ends
            return left + right, right, digits, i

        chosen: list[tuple[int, int]] = []
        for i, j in sorted(found, key=rank, reverse=True):
            if all(j <= a or b <= i for a, b in chosen):
                chosen.append((i, j))
        return sorted(chosen)

    def find(self, candidates: set[tuple[int, int]], out: list[Finding]) -> None:
        """Add the cards (strong windows first, then card-word ones between them) and glued CVVs to `out`."""
        n = self.n
        strong = self.strong_windows(candidates)
        i = k = 0
        while i < n:
            if k < len(strong) and strong[k][0] == i:
                j = strong[k][1]
                k += 1
            else:
                # Windows without an issuer: need a card word; none may reach into a strong window.
                stop = strong[k][0] if k < len(strong) else n
                j = self.weak_window(i, stop)
                if not j:
                    i += 1
                    continue
            self.emit(i, j, out)
            i = j

    def weak_window(self, i: int, stop: int) -> int:
        """The end of the longest card window at groups[i] short of `stop`, or 0; only with a card word by the
        run, which is looked up only when such a window exists (after a card, the groups of an expiry and a
        CVV make none: the look-up, a regex on each side, was the costliest step of such a chunk)."""
        ends = self.windows(i, stop)
        if not ends or not self.word_near():
            return 0
        for j in ends:
            sub = self._window_groups(i, j)
            if _is_card(self.text, *self.span(i, j), "".join(sub), sub, self.word_near):
                return j
        return 0

    def emit(self, i: int, j: int, out: list[Finding]) -> None:
        groups, n = self.groups, self.n
        # "4111 1111 1111 1111 123": prefer card + CVV over a 19-digit reading that
        # would put the CVV's digits into the marker.
        if j == n and j - i > 2 and len(groups[j - 1]) == 3:
            sub = groups[i : j - 1]
            s, e = self.span(i, j - 1)
            if sum(map(len, sub)) >= 12 and _is_card(self.text, s, e, "".join(sub), sub, self.word_near):
                j -= 1
        out.append(Finding("card_number", *self.span(i, j)))
        if j == n - 1 and 3 <= len(groups[j]) <= 4:
            cs, ce = self.span(j, j + 1)
            if not _DATE_TAIL_RE.match(self.text, ce):
                out.append(Finding("card_cvv", cs, ce))  # the code glued to the card: "… 1111.123"


# Digit groups with any separator a customer or a copy-paste puts between them: "/", "_", ",", "+",
# en dash, minus sign, a double space, " - ", mixed. (Tabs and odd spaces are plain spaces by now,
# see triage.redact.normalize.) The single-separator runs CHUNK_RE takes are left to it.
_WIDE_SEP: Final = r"(?:[ ]?[/_,.+\-\u2013\u2014\u2212=|\\:*][ ]?|[ ]?[)\]][ ]?[(\[][ ]?|[ ]{1,3})"
# Every character a run of digit groups may hold besides digits (WIDE_RE's and CHUNK_RE's separators).
WIDE_CHARS: Final = " /_,.+-=\u2013\u2014\u2212|\\:*()[]" + _SEP.replace("\\", "")
WIDE_RE: Final = re.compile(rf"[0-9](?=[0-9 /_,.+\-\u2013\u2014\u2212=|\\:*()\[\]]{{11}})(?:{_WIDE_SEP}?[0-9]){{11,}}")
_WIDE_SEP_RE: Final = re.compile(rf"(?<=[0-9]){_WIDE_SEP}(?=[0-9])")
_EXOTIC_SEP_RE: Final = re.compile(r"[/_,+=\u2013\u2014\u2212|\\:*()\[\]]|  ")
_CONTEXT: Final = 64


_LIST_COMMA_RE: Final = re.compile(r"[ ]?,[ ]")


def _list_items(run: str) -> list[tuple[int, int]]:
    """Spans of a run that is a list of numbers ("9100 0000 … 5559, 9400 0000 …", "… 6679, 32527 Berlin"):
    split at a comma and a space where the digits on both sides, up to the next such comma, are 12 or
    more each, or on one side more than the 19 a card can have. No card written with a comma in it has
    either, so a card stays whole ("4111 1111 1111, 1111") and a long tracking number stays an item of
    its own, not the start of a card that ends in the next item."""
    cuts = [(m.start(), m.end()) for m in _LIST_COMMA_RE.finditer(run)]
    if not cuts:
        return [(0, len(run))]
    bounds = [0, *(x for c in cuts for x in c), len(run)]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    digits = [sum(c.isdigit() for c in run[s:e]) for s, e in pieces]
    out = [pieces[0]]
    for k in range(1, len(pieces)):
        if min(digits[k - 1], digits[k]) >= 12 or max(digits[k - 1], digits[k]) > 19:
            out.append(pieces[k])
        else:
            out[-1] = (out[-1][0], pieces[k][1])
    return out


def cards_in_wide_runs(text: str, blocked: list[tuple[int, int]], out: list[Finding]) -> None:
    """Cards in digit runs whose separators CHUNK_RE does not take: each such run is read with every
    separator folded to one space, in a window of its context, and the hits mapped back."""
    for m in WIDE_RE.finditer(text):
        cards_in_wide_run(text, m.start(), m.group(), blocked, out)


def cards_in_wide_run(
    text: str, start: int, run: str, blocked: list[tuple[int, int]], out: list[Finding], covered: int = 0
) -> None:
    """`cards_in_wide_runs` for one WIDE_RE match at `start`; `blocked`: the IBANs, in text order. `covered`:
    the length of the card the chunk read found at the run's start (already in `out`), or 0; the folded read
    is skipped where it can only find that card again (see `_adds_nothing`)."""
    if _EXOTIC_SEP_RE.search(run) is None and (" " in run) + ("-" in run) + ("." in run) <= 1:
        return  # one plain separator throughout: CHUNK_RE saw this one as it is
    parts = _list_items(run)
    if len(parts) > 1:
        for s, e in parts:
            if WIDE_RE.fullmatch(run, s, e):
                cards_in_wide_run(text, start + s, run[s:e], blocked, out)
        return
    end = start + len(run)
    k = bisect.bisect_left(blocked, (end,))
    if k and blocked[k - 1][1] > start:
        # An IBAN in the run ("DE89 3704 … 00 / 4111/1111/…"): read what follows it, if enough does.
        rest = WIDE_RE.search(text, blocked[k - 1][1], end)
        if rest is None or rest.end() != end:
            return
        start, run = rest.start(), rest.group()
        covered = 0
    # Fold: each separator to " "; where[k] is the run offset of folded character k.
    folded: list[str] = []
    where: list[int] = []
    pos = 0
    for sep in _WIDE_SEP_RE.finditer(run):
        folded.append(run[pos : sep.start()])
        where.extend(range(pos, sep.start()))
        folded.append(" ")
        where.append(sep.start())
        pos = sep.end()
    folded.append(run[pos:])
    where.extend(range(pos, len(run)))
    chunk = "".join(folded)
    lo = max(0, start - _CONTEXT)
    before = text[lo:start]
    view = before + chunk + text[end : end + _CONTEXT]
    if covered and _SKIP_COVERED and _adds_nothing(view, len(before), chunk, run, covered):
        return
    local: list[Finding] = []
    cards_in_chunk(view, len(before), chunk, [], local)
    for f in local:
        s = f.start - len(before)
        e = f.end - len(before)
        if s < 0 or e > len(chunk) or e <= s:
            continue
        out.append(Finding(f.kind, start + where[s], start + where[e - 1] + 1))


_SKIP_COVERED: Final = True  # tests turn it off to compare with the folded read done every time


def _adds_nothing(view: str, at: int, chunk: str, run: str, covered: int) -> bool:
    """Whether the folded read of a run (`cards_in_chunk(view, at, chunk, [], …)`) can only find the card the
    chunk read found at the run's start, `run[:covered]` ("4111 1111 1111 1111 / 12/29 / 123", "6304 0340 9247
    1530 01/27 871", where the chunk read took "… 1530 01" and found the card in its first four groups).

    When the card ends where a group does, its groups are the folded read's first ones (a chunk has single
    " ", "-" or "." between digits, folded one character to one, so offsets map back unchanged), then come the
    tail's. Let m be the card's groups and n all of them. When
      (a) the tail holds some digits but fewer than 12, no window starts in it (a card has 12 or more);
      (b) the tail is not one group of 3-4 digits, `emit` glues no CVV to the card (it does when j == n - 1);
      (c) the only strong candidate of the folded groups (an issuer's prefix and length, Luhn: what every
          strong window needs) is (0, m), and (d) it passes the rest of the strong rule there (the core ranges,
          as a window short of the whole run; `_strong_card` on the same view),
    then `strong_found` is [(0, m)], `find` emits it (not j == n: the tail has digits) with nothing glued, jumps
    to group m, and no weak window starts from m on, by (a). The folded read's one finding is then the card
    already in `out`, mapped back to the same span; a duplicate changes nothing downstream (overlaps are
    settled by `_resolve`, card context is a test for any overlap). The caller has ruled out an IBAN in the
    run and a list of numbers. tests/test_redact_equivalence.py compares with the read done every time.
    """
    tail = run[covered:]
    if not tail or tail[0].isdigit():  # the card is the whole run, or ends inside a group ("4111…1111123/…")
        return False
    if sum(c.isdigit() for c in tail) >= 12:  # (a)
        return False
    groups = _SPLIT_RE.split(chunk)
    m = len(_SPLIT_RE.split(run[:covered]))
    n = len(groups)
    if n == m + 1 and 3 <= len(groups[m]) <= 4:  # (b)
        return False
    may_start = [
        (groups[i] + (groups[i + 1] if i + 1 < n else ""))[:4]
        in (_CORE_LENGTHS_BY_PREFIX4 if i else _LENGTHS_BY_PREFIX4)
        for i in range(n)
    ]
    if _strong_candidates(groups, may_start) != {(0, m)}:  # (c)
        return False
    digits = "".join(groups[:m])
    return (
        issuer_matches(digits, core=True)
        and _strong_card(  # (d)
            view, at, at + covered, digits, groups[:m], candidate=True
        )
    )


# Literal spellings (no case folding, no leading \b), so the engine skips ahead on their first letters;
# the word boundary before is checked by hand. The prescan's trigger is made of the same words.
FIRST_WORDS: Final = (
    "first",
    "First",
    "FIRST",
    "erste",
    "Erste",
    "ERSTE",
    "premier",
    "Premier",
    "PREMIER",
    "première",
    "Première",
    "primer",
    "Primer",
    "PRIMER",
    "starts",
    "Starts",
    "begins",
    "Begins",
    # (probe 4: Italian, Dutch, Portuguese halves)
    "prime",
    "Prime",
    "primi",
    "primeir",
    "Primeir",
    "eerste",
    "Eerste",
)
LAST_WORDS: Final = (
    "last",
    "Last",
    "LAST",
    "letzte",
    "Letzte",
    "LETZTE",
    "dernier",
    "Dernier",
    "DERNIER",
    "dernière",
    "Dernière",
    "ultim",
    "Ultim",
    "últim",
    "Últim",
    "ends",
    "Ends",
    # (probe 4: Dutch; the digits a masked number left out: "446020131645•••• — the missing ones are 6366")
    "laatste",
    "Laatste",
    "missing",
    "fehlend",
    "faltan",
    "manquant",
)
_FIRST_RE: Final = re.compile(rf"(?:{'|'.join(FIRST_WORDS)})\w{{0,2}}\b")
_LAST_RE: Final = re.compile(rf"(?:{'|'.join(LAST_WORDS)})\w{{0,2}}\b")
_HALF_DIGITS_RE: Final = re.compile(r"(?<![0-9])[0-9]{4,12}(?:[ \-][0-9]{4}){0,2}(?![0-9])")
_HALF_SEP_RE: Final = re.compile(r"[ \-]")
# "first 8 are …", "the number starts 5506 2662 and ends …": the words name the halves of one number, which may
# then make a card with no card word by them.
_HALF_NAMED_RE: Final = re.compile(
    r"\w{0,3}(?:[ \t]+(?:\d{1,2}|digits?|with|are|is|ist|sind|son|sont|sono|zijn|são)\b){0,3}[ \t:]*[0-9]"
)


def split_cards(
    text: str, out: list[Finding], first_at: list[int] | None = None, last_at: list[int] | None = None
) -> None:
    """Halves that make a card together, by a card word: "first 8 digits 41111111 … last 8 digits 11111111".

    Both halves go when, joined, they pass Luhn and an issuer's prefix and length. `first_at`, `last_at`:
    where the prescan found the words (sorted); None: look for them everywhere.
    """
    firsts: list[tuple[int, int]] = []
    named: list[bool] = []  # per half: right after its word ("first 8 are 4761…", "starts 5506 …")
    for cue in _words(_FIRST_RE, text, first_at, 0):
        if cue.start() and text[cue.start() - 1].isalpha():
            continue
        d = _HALF_DIGITS_RE.search(text, cue.end(), min(len(text), cue.end() + 40))
        if d is not None:
            firsts.append(d.span())
            named.append(_HALF_NAMED_RE.match(text, cue.end()) is not None)
    if not firsts:
        return
    for cue in _words(_LAST_RE, text, last_at, firsts[0][1]):
        if text[cue.start() - 1].isalpha():
            continue
        d = _HALF_DIGITS_RE.search(text, cue.end(), min(len(text), cue.end() + 40))
        if d is None:
            continue
        close = _HALF_NAMED_RE.match(text, cue.end()) is not None
        i0 = bisect.bisect_left(firsts, (d.start() - 200, 0))
        for (fs, fe), first_named in zip(firsts[i0:], named[i0:], strict=True):
            if d.start() - fe > 160 or d.start() <= fe:
                continue
            digits = _HALF_SEP_RE.sub("", text[fs:fe] + d.group())
            if (
                12 <= len(digits) <= 19
                and issuer_matches(digits)
                and luhn_ok(digits)
                and (
                    (first_named and close and len(digits) >= 15 and d.start() - fe <= 40)
                    or card_word_in(text, max(0, fs - 120), min(len(text), d.end() + 60))
                )
            ):
                out.append(Finding("card_number", fs, fe))
                out.append(Finding("card_number", *d.span()))


def _words(pattern: re.Pattern[str], text: str, at: list[int] | None, pos: int) -> Iterator[re.Match[str]]:
    """pattern.finditer(text, pos), or the same matches tried only at the positions `at`."""
    if at is None:
        yield from pattern.finditer(text, pos)
        return
    end = pos
    for p in at:
        if p >= end and (m := pattern.match(text, p)):
            yield m
            end = m.end()


# A card number after its card word, read off a photo or a scan: letters typed for digits ("5l48 8142 O642 3614",
# "S162 …"), or a hyphen where a line broke it ("656822-\n2397183774"). The digit scan above never sees these.
# (Probe 5: also i, "|" and "!" for 1, z and Z for 2, A for 4, s for 5, b and G for 6, "&" for 8, q and g for 9.)
_OCR_DIGITS: Final = str.maketrans("OolISBi|!zZAsbG&qg", "001158111224566899")
_OCR_CHARS: Final = "0-9OolISBi|!zZAsbG&qg"
_OCR_LETTERS: Final = frozenset("OolISBi|!zZAsbG&qg")
_AFTER_CARD_WORD_RE: Final = re.compile(
    r"[ \t]*(?:(?:no\.?|number|nr\.?|nummer|n[º°]|#|is|ist|est|es|é|:)[ \t]*){0,3}"
    rf"(?<![\w\-])((?=[{_OCR_CHARS}]{{0,5}}[0-9])[{_OCR_CHARS}]{{1,13}}"
    rf"(?:(?:[ \-]|-?[ \t]*\n[ \t]*)[{_OCR_CHARS}]{{1,13}}){{1,5}})"
    r"(?![\w\-])"
)
_GROUP_SPLIT_RE: Final = re.compile(r"-?[ \t]*\n[ \t]*|[ \-]")


_CARD_WORD_LEAD_RE: Final = re.compile(
    r"(?i)creditcard|kartennummer|kartennr\.?|kaart(?:nummer)?|card|karte|carte|tarjeta|cart[ãa]o|carta|visa|mastercard"
)


def card_after_word(text: str, cue_start: int) -> tuple[int, int] | None:
    """The span of a card number typed with letters for digits, or broken by a hyphen at a line end, right
    after the card word at `cue_start`: a known issuer's prefix and length, Luhn, a card-like grouping once
    read."""
    word = _CARD_WORD_LEAD_RE.match(text, cue_start)
    if word is None:
        return None
    m = _AFTER_CARD_WORD_RE.match(text, word.end())
    if m is None:
        return None
    raw = m.group(1)
    if raw.isdigit() or not (any(not c.isdigit() and c not in " -\t" for c in raw) or "\n" in raw):
        return None  # plain digits: the digit scan's
    groups = _GROUP_SPLIT_RE.split(raw.translate(_OCR_DIGITS))
    digits = "".join(groups)
    letters = sum(c in _OCR_LETTERS for c in raw)
    if not digits.isdigit() or letters > 6 or len(digits) - letters < 9:
        return None
    if issuer_matches(digits) and luhn_ok(digits) and _card_like_layout(groups):
        return m.span(1)
    return None


# A card typed over several chat messages, one part a line after its "[10:42] Kim:" prefix.
_CHAT_PART_RE: Final = re.compile(
    r"^[ \t]*\[[^\]\n]{1,20}\][^\n:]{0,30}:[ \t]*([0-9](?:[ \-]?[0-9]){3,18})[ \t]*$", re.MULTILINE
)
_NOT_DIGIT_RE: Final = re.compile(r"\D")


def chat_split_cards(text: str) -> list[Finding]:
    """A card whose parts stand alone on consecutive chat lines ("[10:42] Kim: 4060 6041\\n[10:43] Kim: 7544
    8370"): together a known issuer's prefix and length and Luhn. One finding from the first part to the last,
    so the marker keeps only the last four digits. (Only where a line starts with "[": chat transcripts.)"""
    if "\n[" not in text and not text.startswith("["):
        return []
    lines = list(_CHAT_PART_RE.finditer(text))
    out: list[Finding] = []
    i = 0
    while i < len(lines):
        digits = _NOT_DIGIT_RE.sub("", lines[i].group(1))
        j, found = i + 1, False
        while j < len(lines) and lines[j].start() == lines[j - 1].end() + 1 and len(digits) < 19:
            digits += _NOT_DIGIT_RE.sub("", lines[j].group(1))
            if 13 <= len(digits) <= 19 and issuer_matches(digits) and luhn_ok(digits):
                out.append(Finding("card_number", lines[i].start(1), lines[j].end(1)))
                found = True
                break
            j += 1
        i = j + 1 if found else i + 1
    return out


# A card told in pieces ("the last four are 5950, the first twelve 4356 0817 8866", "Los primeros cuatro son 4449,
# luego 4594, luego 9522 y los últimos cuatro 3660", "first block 3759, second block 842666, third block 07987",
# "4856 2657 4670 xxxx — sorry the last four are 6767"): the pieces after a "first"/"last" word, in one sentence,
# put in order (the first ones, then the last ones) make a known issuer's number that passes Luhn. One finding
# from the first piece to the last, words between included, so no marker shows a middle piece's digits.
_PIECE_RE: Final = re.compile(r"(?<![0-9])[0-9]{3,12}(?:[ \-][0-9]{3,6}){0,4}(?![0-9])")
_ANY_DIGIT_RE: Final = re.compile(r"[0-9]")
_PIECE_BREAK_RE: Final = re.compile(r"[.!?](?:\s|$)|\n[ \t]*\n|\ue000")
_MASKED_HEAD_RE: Final = re.compile(r"(?<![0-9])[0-9](?:[ \-]?[0-9]){7,14}[ \-]?(?:[xX•*#]{1,7}[ \-]?){1,4}")
_NUMBER_WORDS: Final = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|vier|sechs|acht|zehn|zwölf|cuatro|seis|ocho"
    r"|doce|quatre|six|huit|douze|quattro|sei|otto|dodici|zes|twaalf|quatro|oito|doze|digits?|numbers?|ziffern"
    r"|zahlen|d[íi]gitos|n[úu]meros|chiffres|cifre|cijfers|block|bit|part|teil|are|is|ist|sind|son|sont|sono"
    r"|zijn|são|with|mit|con|avec|met|com|ones"
)
_PIECE_NAMED_RE: Final = re.compile(rf"(?i)\w{{0,3}}(?:[ \t]+(?:\d{{1,2}}|{_NUMBER_WORDS})\b){{1,3}}[ \t:]*[0-9]")


def described_cards(
    text: str, out: list[Finding], first_at: list[int] | None = None, last_at: list[int] | None = None
) -> None:
    """Cards told in pieces after "first"/"last" words (see above); every piece goes. `first_at`, `last_at`: where
    the prescan found the words (None: look everywhere). A card word near, three pieces or more, or a word that
    names a piece ("the last four are", "die ersten zwölf Ziffern sind") must be there too: "the first order
    47616532 and the last order 86360075" stays."""
    if first_at is not None and last_at is not None:  # (cheap) only words with a digit not far after them
        first_at = [p for p in first_at if _ANY_DIGIT_RE.search(text, p, p + 72)]
        last_at = [p for p in last_at if _ANY_DIGIT_RE.search(text, p, p + 72)]
        if not first_at and not last_at:
            return
    cues = sorted(
        [(m.start(), m.end(), False) for m in _words(_FIRST_RE, text, first_at, 0)]
        + [(m.start(), m.end(), True) for m in _words(_LAST_RE, text, last_at, 0)]
    )
    cues = [c for c in cues if not (c[0] and text[c[0] - 1].isalpha())]
    done = 0
    for k, (cs, ce, is_last) in enumerate(cues):
        if cs < done or not _ANY_DIGIT_RE.search(text, ce, ce + 60):
            continue  # (cheap) no piece follows: most "first" and "last" words
        pieces: list[tuple[int, int, bool]] = []
        named = _PIECE_NAMED_RE.match(text, ce) is not None
        head = _last_match(_MASKED_HEAD_RE, text, max(0, cs - 80), cs) if is_last else None
        if head is not None and not _PIECE_BREAK_RE.search(text, head.end(), cs):
            pieces.append((head.start(), head.end(), False))
        pos, last, later = ce, is_last, k + 1
        while len(pieces) < 6:
            p = _PIECE_RE.search(text, pos, min(len(text), pos + 60))
            if p is None or _PIECE_BREAK_RE.search(text, pos, p.start()):
                break
            while later < len(cues) and cues[later][1] <= p.start():  # a "first"/"last" word before this piece
                last = cues[later][2]
                named = named or _PIECE_NAMED_RE.match(text, cues[later][1]) is not None
                later += 1
            pieces.append((p.start(), p.end(), last))
            pos = p.end()
        if len(pieces) < 2:
            continue
        for n in range(len(pieces), 1, -1):
            use = pieces[:n]
            firsts = "".join(_NOT_DIGIT_RE.sub("", text[s:e]) for s, e, lst in use if not lst)
            lasts = "".join(_NOT_DIGIT_RE.sub("", text[s:e]) for s, e, lst in use if lst)
            digits = firsts + lasts
            if not (13 <= len(digits) <= 19 and issuer_matches(digits) and luhn_ok(digits)):
                continue
            lo, hi = use[0][0], use[-1][1]
            if named or n >= 3 or card_word_in(text, max(0, min(cs, lo) - 120), min(len(text), hi + 60)):
                out.append(Finding("card_number", lo, hi))  # one marker: no piece's digits shown on their own
                done = hi
            break


def _last_match(rx: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for found in rx.finditer(text, lo, hi):  # noqa: B007 - the last one is wanted
        pass
    return found


# A card whose groups stand apart: on lines with blank lines between ("Card number\n\n5562\n\n6144\n\n…"), on chat
# lines after a "12/3/26, 10:42 - Tom:" prefix, in two sentences ("the card says 4406 8640. … the rest: 9482
# 2591"), the end told first ("Endziffern 4253, davor 4780 0941 5989"). A piece is a run of groups of 3-6 digits
# standing alone between blanks (no date, time, price, "#1042" or longer number); consecutive pieces close
# together, with nothing between but words, blanks and the dates and times of chat prefixes, are read together.
# They go when together they are a known issuer's number (its own ranges, not Maestro's wide ones) passing Luhn
# in a card's grouping, and either a card word is near and no order/tracking label names the first piece, or
# the pieces are exactly 4-4-4-4 close together. One finding from the first piece to the last, so the marker
# shows no piece's digits but the last four.
_JOIN_PIECE_RE: Final = re.compile(
    # (The first digit comes first, so the engine skips ahead to digits at C speed; the look-behinds then read it.)
    r"[0-9](?<![^\s\"'(«“][0-9])(?<![0-9][ \-][0-9])[0-9]{2,5}(?:[ \-][0-9]{3,6}){0,4}(?![ \-]?[0-9]+(?![0-9/.:,\-]))"
    r"(?=[.,;:!?)\"'»”]*(?:\s|$))(?!\s*(?i:eur|usd|gbp|chf|euros?|dollars?|€|\$|£|kg|km|cm|mm|ml|st|pcs|x)\b)",
)
# A word that tells the piece after it is the end of the number ("ends in 4242; before that …"), in
# en/de/fr/es/it/nl/pt: only then are the pieces also read with the first one last.
_END_FIRST_RE: Final = re.compile(
    r"(?i)\b(?:end\w*|last|letzte\w*|schluss\w*|fin\w*|termin\w*|dernier\w*|derni[èe]re\w*|acab\w*|[úu]ltim\w*"
    r"|eindig\w*|laatste)\b"
)
_JOIN_LENGTHS: Final = frozenset({14, 15, 16, 19})  # Diners, Amex, most, UnionPay and Maestro: not a 13-digit Visa
_JOIN_GAP_RE: Final = re.compile(
    r"(?:[^\d\ue000]|(?<![\d/.:])\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}(?![\d/.:])|(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:]))*"
)
_JOIN_GAP: Final = 80  # the most characters between two pieces
_JOIN_SPAN: Final = 200  # the most from the first piece to the last
_JOIN_BARE_GAP: Final = 40  # between the pieces of a 4-4-4-4 with no card word near


def joined_cards(text: str, found: Sequence[Finding]) -> list[Finding]:
    """Cards whose groups stand apart in the text (see above); `found`: what the other detectors found (no
    piece is read inside one)."""
    pieces = [m.span() for m in _JOIN_PIECE_RE.finditer(text)]
    if len(pieces) < 2:
        return []  # (cheap) nothing to join; counting the digits first cost a fifth of the whole
    taken = [(f.start, f.end) for f in found]
    if taken:
        pieces = [p for p in pieces if not overlaps(*p, taken)]
    out: list[Finding] = []
    i = 0
    while i < len(pieces) - 1:
        # (cheap) the next piece close enough, and this one opens an issuer's number (2-6), or an end word is before
        # it (it may be the number's end); most pieces in mail (prices, years, order numbers) fail here.
        if pieces[i + 1][0] - pieces[i][1] > _JOIN_GAP or (
            text[pieces[i][0]] not in "23456"
            and not _END_FIRST_RE.search(text, max(0, pieces[i][0] - 40), pieces[i][0])
        ):
            i += 1
            continue
        hit = _joined_at(text, pieces, i)
        if hit is None:
            i += 1
            continue
        out.append(Finding("card_number", pieces[i][0], pieces[hit][1]))
        i = hit + 1
    return out


def _joined_at(text: str, pieces: list[tuple[int, int]], i: int) -> int | None:
    """The index of the last piece of a card made of pieces[i], pieces[i + 1], …, or None."""
    groups: list[str] = _SPLIT_RE.split(text[pieces[i][0] : pieces[i][1]])
    first = len(groups)
    gaps: list[int] = []
    for j in range(i + 1, len(pieces)):
        gap_start, gap_end = pieces[j - 1][1], pieces[j][0]
        if gap_end - gap_start > _JOIN_GAP or pieces[j][1] - pieces[i][0] > _JOIN_SPAN:
            return None
        if _JOIN_GAP_RE.fullmatch(text, gap_start, gap_end) is None:
            return None  # another number, or a masked finding, between them
        gaps.append(gap_end - gap_start)
        groups = groups + _SPLIT_RE.split(text[pieces[j][0] : pieces[j][1]])
        digits = "".join(groups)
        if len(digits) > 19:
            return None
        if len(digits) in _JOIN_LENGTHS and _joined_card(text, pieces[i][0], pieces[j][1], groups, first, gaps):
            return j
    return None


def _joined_card(text: str, start: int, end: int, groups: list[str], first: int, gaps: list[int]) -> bool:
    """Whether the pieces' groups make a card: in order, or, after a word naming the end, with the first piece's
    `first` groups last."""
    orders = [groups]
    if _END_FIRST_RE.search(text, max(0, start - 40), start):
        orders.append(groups[first:] + groups[:first])
    for order in orders:
        digits = "".join(order)
        if not (issuer_matches(digits, core=True) and luhn_ok(digits) and _card_like_layout(order)):
            continue
        if _not_card_word_before(text, start):
            return False
        bare = [len(g) for g in order] == [4, 4, 4, 4] and max(gaps) <= _JOIN_BARE_GAP
        return bare or card_word_in(text, max(0, start - 120), end)
    return False
