"""Bare order numbers: "can u cancel 2291?", "storniert bitte 2291", "I ordered it twice, 5120 and 5121".

Customers often write an order number with no "#" and no "order" before it. Such a number is only a
*candidate*: it must have the shop's order-number shape (a configured pattern accepts it, with or
without the "#"), stand right after a request in the same sentence (or before a German verb at the
end), and look like nothing else: not a phone number or other digit group, a tracking, customer or
ticket number behind its label, a postal code before a place name, a price, a date, a time, a year,
a quantity with its unit, or a card or IBAN fragment. Whether a candidate really is an order is
decided later by the order book (triage.orders.match.confirm_candidates), which knows the
sender's orders; extraction never has to guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from triage.settings import DEFAULT_ORDER_PATTERNS
from triage.text import SENTENCES, TextForms, forms, wordset

_DIGITS = re.compile(r"\d+")
_PARAGRAPH = re.compile(r"\n\s*\n")
# A run of digits standing alone: not glued to letters, "#", other digits or a decimal/date separator.
_NUMBER = re.compile(r"(?<![\w#@])(?<![\d][.,:/\-])(?<![€$£+])\d++(?![\w@]|[.,:/\-]\d)")

# Words (folded) after which a number is asked about: requests, and verbs of buying and paying.
_REQUEST = (
    r"cancel\w*|refund\w*|return\w*|send\s+back|change|changing|update|updating|modify|amend|edit"
    r"|stop|hold|ship|duplicate\w*|twice|double\w*|ordered|order|purchase\w*|bought|placed"
    r"|delete|remove|redirect|reroute|track"
    r"|storn\w*|zuruck\w*|erstatt\w*|ruckerstatt\w*|ruckgab\w*|andern|aendern|anderung|bestellt|gekauft"
    r"|doppelt\w*|zweimal|loschen|aufhalten|umleiten"
    r"|anul\w*|cancel\w*|reembols\w*|devol\w*|cambi\w*|modific\w*|pedi|pedido|compre|comprado|duplicad\w*"
    r"|dos\s+veces|detener"
    r"|annul\w*|rembours\w*|retourn\w*|renvo\w*|modifi\w*|chang\w*|commande\w*|achete\w*|deux\s+fois"
    r"|arret\w*"
)
# Labels that make the number after them something else (folded); the nearest cue before a number decides.
_DECOY = (
    r"tracking|track(?:ing)?\s*(?:no|nr|number|id)|sendung\w*|paket\w*|parcel|package|shipment|awb|waybill"
    r"|seguimiento|suivi|colis|envio|carrier|usps|ups|dhl|fedex|gls|dpd|hermes|correos|colissimo|chronopost"
    r"|phone|tel|telefon\w*|telephone|mobile|cell|handy|movil|portable|call|ring|anruf\w*|rufen|llam\w*"
    r"|appel\w*|whatsapp|sms|fax"
    r"|customer|kunde\w*|cliente|client|account|konto|cuenta|compte|ticket|case|reference|ref|invoice|bill"
    r"|rechnung\w*|factura|facture|receipt|quittung|recibo|recu"
    r"|apt|apartment|suite|unit|room|flat|floor|house|haus\w*|hausnummer|street|road|avenue|lane|strasse|str"
    r"|calle|avenida|piso|rue|boulevard|bd|etage|zip|postcode|postal|plz|postleitzahl|cp|codigo|code"
    r"|item|sku|article|artikel|product|produkt|producto|produit|model|modelo|modele|size|grosse|talla|taille"
    r"|card|karte|tarjeta|carte|ending|endet|endend|termina\w*|iban|bic|konto\w*|bank\w*|pin|cvv|cvc"
    r"|year|years|jahr\w*|ano|anos|annee\w*|an|ans|since|seit|desde|depuis|in|im|en|circa|ca|um|at"
    r"|price|preis|precio|prix|cost\w*|kost\w*|cuesta|coute|total|betrag|importe|montant|amount"
    r"|charged|paid|pay|bezahlt|zahlen|gezahlt|belastet|pague|pagado|pagar|cobrado|paye|payer|debite"
    r"|x|mal|times|veces|fois|qty|quantity|menge|anzahl|cantidad|quantite"
)
_CUE = re.compile(rf"(?<![\w])(?:({_DECOY})|({_REQUEST}))(?![\w])")
# A German verb closes the clause: "kannst du 2291 stornieren?", "2291 bitte zurückerstatten".
_VERB_AFTER = re.compile(
    r"[ \t]+(?:(?:bitte|mal|doch|noch|gerne?|sofort|schnell|direkt)[ \t]+){0,2}"
    r"(?:storn\w*|zuruck\w*|erstatt\w*|ruckerstatt\w*|andern|aendern|loschen|aufhalten|anul\w*|cancel\w*"
    r"|annul\w*|rembours\w*)\b"
)
# Months and units that make a number a date, a time, a quantity or a measure.
_MONTH = (
    r"jan\w*|feb\w*|mar\w*|apr\w*|may|mai|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|okt\w*|nov\w*|dec\w*|dez\w*"
    r"|ene\w*|abr\w*|ago\w*|dic\w*|janv\w*|fev\w*|avr\w*|juin|juil\w*|aout|sept\w*"
)
_AFTER_UNIT = re.compile(
    rf"\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|gbp\b|chf\b|dollars?\b|pounds?\b|cents?\b|pesos?\b"
    r"|g\b|gr\b|kg\b|mg\b|ml\b|l\b|cl\b|cm\b|mm\b|m\b|km\b|in\b|inch\w*|ft\b|feet|lbs?\b|oz\b|w\b|v\b|mah\b"
    r"|x\b|pcs\b|pieces?\b|pc\b|stuck\w*|st\b|units?\b|items?\b|pairs?\b|paar\b|unidades?\b|piezas?\b"
    r"|pieces?\b|exemplaires?\b|mal\b|times\b|veces\b|fois\b"
    r"|h\b|hrs?\b|hours?\b|uhr\b|am\b|pm\b|min\w*|sec\w*|days?\b|tage?n?\b|dias?\b|jours?\b|weeks?\b|wochen?\b"
    r"|semanas?\b|semaines?\b|months?\b|monate?n?\b|mes(?:es)?\b|mois\b|years?\b|jahre?n?\b|anos?\b|ans?\b"
    rf"|(?:of\s+|de\s+)?(?:{_MONTH})\b)"
)
# A capitalised word after the number on the same line names a place ("10115 Berlin", "75001 Paris"),
# unless it is a courtesy, a sign-off or "I" starting the next thought.
_AFTER_PLACE = re.compile(
    r"[ \t]+(?=[^\W\d_])(?!(?:I|Thanks?|Thank|Thx|Danke|Gracias|Merci|Please|Bitte|Por"
    r"|Cheers|Regards|Best|Saludos|Cordialement|Gr\w*e|Gruss|Lg|Vg|Mfg|Ty|Asap)\b)"
)
_BEFORE_MONTH = re.compile(rf"(?:{_MONTH})\.?\s*$")
# Another digit group on either side (phones, IBAN and card groups), or a currency before (a price).
_GROUP_BEFORE = re.compile(r"(?:\d[ \t\-]|[€$£][ \t]?|\b(?:eur|usd|gbp|chf)[ \t]?)$")
_GROUP_AFTER = re.compile(r"[ \t\-]\d")
# A new address being given: what follows in the sentence is street, house and postal numbers
# ("change the address to 12 Oak St, Springfield, IL 62704"), and "IL 62704" is a state's postal code.
_ADDRESS_GIVEN = re.compile(
    r"\b(?:address|adresse|lieferadresse|anschrift|direccion|domicilio)\b[^.!?\n]{0,12}?"
    r"(?:\b(?:to|is|nach|auf|lautet|ist|a|es|est|por|pour)\b|:)"
)
_STATE_BEFORE = re.compile(r",[ \t]*[A-Z]{2}[ \t]$")
# A lowercase word after the number must be one a request goes on with ("cancel 2291 please",
# "2291 because …", "anular 2291 por favor"); any other word makes it a count of things ("300 shirts").
_FOLLOW = wordset(
    """please pls plz thanks thank thx ty and or but too as also asap now today tomorrow immediately
    right away for from because since which that it i im ive id my me we is was if so then again already
    still urgently quickly before after by with on in at to the this
    bitte danke und oder auch sofort heute jetzt noch schon weil da denn die der das ich es ist war mit von
    vom fur aus bei wegen ab zu schnell gerne gern mal doch
    por favor gracias y o e pero tambien ya hoy ahora que porque del de la el lo es era para con desde en a
    yo mi me urgente
    svp stp s merci et ou mais aussi deja aujourd maintenant qui parce car du le est etait pour avec depuis
    je j mon ma urgent vite"""
)
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")
# A sentence ends the reach of a request; a request reaches this far to its number.
_REACH = 60


def _shape(token: str, patterns: Sequence[str]) -> str | None:
    """The canonical number when a configured pattern accepts the token, with or without its "#"."""
    for pattern in patterns:
        for text in (token, "#" + token):
            m = re.fullmatch(pattern, text)
            if m:
                return m.group(1)
    return None


def _is_year(token: str, before: str) -> bool:
    """1900-2099 after "in", "since", "seit", "desde", "depuis", "©", a month, …: a year, not an order."""
    return (
        len(token) == 4
        and 1900 <= int(token) <= 2099
        and bool(
            re.search(r"(?:\b(?:in|im|since|seit|en|desde|depuis|de|of|von|del|year|jahr|ano|annee)\s+|[©'])$", before)
            or _BEFORE_MONTH.search(before)
        )
    )


def _looks_like_something_else(token: str, masked: str, folded: str, begin: int, start: int, end: int) -> bool:
    """A price, a measure, a time, a date, a year, part of an address or of a digit group.

    `begin` is where the number's sentence starts.
    """
    if _ADDRESS_GIVEN.search(folded, begin, start) or _STATE_BEFORE.search(masked[max(0, start - 8) : start]):
        return True
    place = _AFTER_PLACE.match(masked, end)
    if _AFTER_UNIT.match(folded, end) or _GROUP_AFTER.match(masked, end) or (place and masked[place.end()].isupper()):
        return True
    before = folded[max(0, start - 20) : start]
    if _GROUP_BEFORE.search(before) or _is_year(token, before):
        return True
    word = _NEXT_WORD.match(folded, end)
    return bool(word and word.group(1) not in _FOLLOW and not _VERB_AFTER.match(folded, end))


def _quoted_line(text: str, start: int) -> bool:
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return line.lstrip().startswith(">")


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    begin = 0
    for m in SENTENCES.finditer(text):
        yield begin, m.start()
        begin = m.end()
    yield begin, len(text)


def find_bare_numbers(
    text: str | TextForms, patterns: Sequence[str] = DEFAULT_ORDER_PATTERNS, known: Iterable[str] = ()
) -> list[str]:
    """Candidate order numbers written bare, canonical, in order of appearance, each once.

    `known` holds numbers already found behind an order word or "#": they are not candidates again.
    """
    view = forms(text)
    masked, folded = view.masked, view.masked_folded
    out: list[str] = []
    skip = set(known)
    spans: list[tuple[int, int]] = []  # sentences and their cues are read only once a number has the shape
    cues: dict[int, list[tuple[int, bool]]] = {}
    for digits in _DIGITS.finditer(masked):
        m = _NUMBER.match(masked, digits.start())
        if m is None or m.end() != digits.end():
            continue
        token = m.group(0)
        number = _shape(token, patterns)
        if number is None or number in skip or number in out or _quoted_line(masked, m.start()):
            continue
        spans = spans or list(_sentences(folded))
        begin, end = spans[bisect_right([b for b, _ in spans], m.start()) - 1]
        if _looks_like_something_else(token, masked, folded, begin, m.start(), m.end()):
            continue
        if begin not in cues:
            cues[begin] = [(c.end(), c.group(1) is None) for c in _CUE.finditer(folded, begin, end)]
        before = [c for c in cues[begin] if c[0] <= m.start()]
        if before:
            cue_end, is_request = before[-1]
            if not is_request or m.start() - cue_end > _REACH or _PARAGRAPH.search(folded, cue_end, m.start()):
                continue
        elif not _VERB_AFTER.match(folded, m.end()):
            continue
        out.append(number)
    return out
