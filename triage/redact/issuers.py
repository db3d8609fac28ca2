"""The card issuer table: every scheme's IIN ranges and allowed lengths, as data.

Source: Wikipedia, "Payment card number", section "Issuer identification number (IIN)", the table of
issuing networks (read December 2026). A few ranges not in that table were added where a scheme
publishes them (Maestro's whole 50 / 56-69 space, Bancontact 6703). Ranges longer than four digits
are kept as written; the lookup the detector uses widens them to their four-digit prefixes, so it
can only say "card" more often than the table, never less: a missed card is the failure we do not
accept, a redacted look-alike the one we do.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Issuer(NamedTuple):
    brand: str
    first: str  # first IIN prefix of the range, inclusive
    last: str  # last IIN prefix, inclusive, same number of digits
    lengths: frozenset[int]
    broad: bool = False  # a whole scheme space (Maestro's 50, 56-69): not enough inside a longer digit run


def _n(*lengths: int | range) -> frozenset[int]:
    out: set[int] = set()
    for x in lengths:
        out |= set(x) if isinstance(x, range) else {x}
    return frozenset(out)


ISSUERS: tuple[Issuer, ...] = (
    Issuer("visa", "4", "4", _n(13, 16, 19)),
    Issuer("mastercard", "51", "55", _n(16)),
    Issuer("mastercard", "2221", "2720", _n(16)),
    Issuer("amex", "34", "34", _n(15)),
    Issuer("amex", "37", "37", _n(15)),
    Issuer("discover", "6011", "6011", _n(range(16, 20))),
    Issuer("discover", "644", "649", _n(range(16, 20))),
    Issuer("discover", "65", "65", _n(range(16, 20))),
    Issuer("discover", "622126", "622925", _n(range(16, 20))),
    Issuer("jcb", "3528", "3589", _n(range(16, 20))),
    Issuer("diners", "36", "36", _n(range(14, 20))),
    Issuer("diners", "300", "305", _n(range(14, 20))),
    Issuer("diners", "3095", "3095", _n(range(14, 20))),
    Issuer("diners", "38", "39", _n(range(14, 20))),
    Issuer("unionpay", "62", "62", _n(range(16, 20))),
    Issuer("unionpay", "81", "81", _n(range(16, 20))),
    Issuer("maestro", "50", "50", _n(range(12, 20)), broad=True),
    Issuer("maestro", "56", "69", _n(range(12, 20)), broad=True),
    Issuer("maestro", "6771", "6771", _n(range(12, 20))),
    Issuer("maestro", "6799", "6799", _n(range(12, 20))),
    Issuer("maestro", "5018", "5018", _n(range(12, 20))),
    Issuer("maestro", "5020", "5020", _n(range(12, 20))),
    Issuer("maestro", "5038", "5038", _n(range(12, 20))),
    Issuer("maestro", "5893", "5893", _n(range(12, 20))),
    Issuer("maestro", "6304", "6304", _n(range(12, 20))),
    Issuer("maestro", "6759", "6763", _n(range(12, 20))),
    Issuer("dankort", "5019", "5019", _n(16)),
    Issuer("rupay", "60", "60", _n(16)),
    Issuer("rupay", "65", "65", _n(16)),
    Issuer("rupay", "81", "82", _n(16)),
    Issuer("rupay", "508", "508", _n(16)),
    Issuer("rupay", "353", "353", _n(16)),
    Issuer("rupay", "356", "356", _n(16)),
    Issuer("elo", "401178", "401179", _n(16)),
    Issuer("elo", "431274", "431274", _n(16)),
    Issuer("elo", "438935", "438935", _n(16)),
    Issuer("elo", "451416", "451416", _n(16)),
    Issuer("elo", "457393", "457393", _n(16)),
    Issuer("elo", "457631", "457632", _n(16)),
    Issuer("elo", "504175", "504175", _n(16)),
    Issuer("elo", "506699", "506778", _n(16)),
    Issuer("elo", "509000", "509999", _n(16)),
    Issuer("elo", "627780", "627780", _n(16)),
    Issuer("elo", "636297", "636297", _n(16)),
    Issuer("elo", "636368", "636368", _n(16)),
    Issuer("elo", "650031", "650978", _n(16)),
    Issuer("elo", "651652", "651679", _n(16)),
    Issuer("elo", "655000", "655058", _n(16)),
    Issuer("troy", "65", "65", _n(16)),
    Issuer("troy", "9792", "9792", _n(16)),
    Issuer("verve", "506099", "506198", _n(16, 18, 19)),
    Issuer("verve", "650002", "650027", _n(16, 18, 19)),
    Issuer("verve", "507865", "507964", _n(16, 18, 19)),
    Issuer("bancontact", "6703", "6703", _n(range(16, 20))),
    Issuer("hipercard", "606282", "606282", _n(16, 19)),
    Issuer("hipercard", "384100", "384100", _n(16, 19)),
    Issuer("hipercard", "384140", "384140", _n(16, 19)),
    Issuer("hipercard", "384160", "384160", _n(16, 19)),
    Issuer("mir", "2200", "2204", _n(range(16, 20))),
    Issuer("uzcard", "8600", "8600", _n(16)),
    Issuer("humo", "9860", "9860", _n(16)),
    Issuer("jcb", "3088", "3088", _n(16)),  # JCB's older 16-digit ranges
    Issuer("jcb", "3096", "3096", _n(16)),
    Issuer("jcb", "3112", "3112", _n(16)),
    Issuer("jcb", "3158", "3158", _n(16)),
    Issuer("jcb", "3337", "3337", _n(16)),
)

BRANDS: tuple[str, ...] = tuple(dict.fromkeys(i.brand for i in ISSUERS))
MIN_LENGTH: Final = min(min(i.lengths) for i in ISSUERS)
MAX_LENGTH: Final = max(max(i.lengths) for i in ISSUERS)


def lengths_by_prefix4(*, core: bool = False) -> dict[str, frozenset[int]]:
    """Every 4-digit prefix some range reaches, mapped to the lengths allowed there: one dict lookup per number.

    `core`: without the broad ranges and without 12 digits, for a window inside a longer run of digit
    groups (a tracking number), where a reading as a card needs more than "starts with a 5 or 6"."""
    out: dict[str, set[int]] = {}
    for issuer in ISSUERS:
        if core and issuer.broad:
            continue
        k = min(4, len(issuer.first))
        # A range reaches a prefix when the prefix's first k digits lie within the range's first k: the
        # prefixes from first[:k] followed by 0s to last[:k] followed by 9s (a loop over the issuers, not
        # over all 10,000 prefixes times the issuers: that took 0.25 s of every start).
        scale = 10 ** (4 - k)
        lengths = issuer.lengths - ({12} if core else set())
        for p in range(int(issuer.first[:k]) * scale, (int(issuer.last[:k]) + 1) * scale):
            out.setdefault(f"{p:04d}", set()).update(lengths)
    return {k: frozenset(v) for k, v in out.items() if v}


def brand_of(digits: str) -> str | None:
    """The first brand whose range holds `digits` (at full prefix precision) and allows its length."""
    for issuer in ISSUERS:
        k = len(issuer.first)
        if issuer.first <= digits[:k] <= issuer.last and len(digits) in issuer.lengths:
            return issuer.brand
    return None
