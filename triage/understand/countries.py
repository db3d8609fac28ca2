"""Where the parcel goes: the destination country, from multilingual name tables, and the corrected address block.

Built on the shared text primitives of triage.text (folding, sentence splitting, sign-off lines).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from triage.text import SIGNOFF, TextForms, fold, forms, sentence_spans, wordset
from triage.understand.wordtrie import trie_pattern

# ---------------------------------------------------------------- countries

_COUNTRIES: dict[str, tuple[str, ...]] = {
    "DE": ("germany", "deutschland", "alemania", "allemagne"),
    "AT": ("austria", "österreich", "oesterreich", "autriche"),
    "CH": ("switzerland", "schweiz", "suiza", "suisse"),
    "FR": ("france", "frankreich", "francia"),
    "BE": ("belgium", "belgien", "bélgica", "belgique"),
    "NL": ("netherlands", "the netherlands", "holland", "niederlande", "países bajos", "holanda", "pays-bas"),
    "LU": ("luxembourg", "luxemburg", "luxemburgo"),
    "IT": ("italy", "italien", "italia", "italie"),
    "ES": ("spain", "spanien", "españa", "espagne"),
    "PT": ("portugal",),
    "GB": (
        "united kingdom",
        "uk",
        "great britain",
        "britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "vereinigtes königreich",
        "großbritannien",
        "grossbritannien",
        "reino unido",
        "inglaterra",
        "royaume-uni",
        "angleterre",
        "ecosse",
        "schottland",
    ),
    "IE": ("ireland", "irland", "irlanda", "irlande"),
    "US": ("united states", "usa", "america", "vereinigte staaten", "estados unidos", "eeuu", "états-unis"),
    "CA": ("canada", "kanada", "canadá"),
    "AU": ("australia", "australien", "australie"),
    "NZ": ("new zealand", "neuseeland", "nueva zelanda", "nouvelle-zélande"),
    "DK": ("denmark", "dänemark", "dinamarca", "danemark"),
    "SE": ("sweden", "schweden", "suecia", "suède"),
    "NO": ("norway", "norwegen", "noruega", "norvège"),
    "FI": ("finland", "finnland", "finlandia", "finlande"),
    "IS": ("iceland", "Island", "islandia", "islande"),
    "PL": ("poland", "polen", "polonia", "pologne"),
    "CZ": ("czech republic", "czechia", "tschechien", "república checa", "chequia", "tchéquie", "république tchèque"),
    "SK": ("slovakia", "slowakei", "eslovaquia", "slovaquie"),
    "HU": ("hungary", "ungarn", "hungría", "hongrie"),
    "SI": ("slovenia", "slowenien", "eslovenia", "slovénie"),
    "HR": ("croatia", "kroatien", "croacia", "croatie"),
    "RO": ("romania", "rumänien", "rumania", "rumanía", "roumanie"),
    "BG": ("bulgaria", "bulgarien", "bulgarie"),
    "GR": ("greece", "griechenland", "grecia", "grèce"),
    "CY": ("cyprus", "zypern", "chipre", "chypre"),
    "MT": ("Malta", "malte"),
    "EE": ("estonia", "estland", "estonie"),
    "LV": ("latvia", "lettland", "letonia", "lettonie"),
    "LT": ("lithuania", "litauen", "lituania", "lituanie"),
    "LI": ("liechtenstein",),
    "MC": ("monaco", "mónaco"),
    "MX": ("mexico", "mexiko", "méxico", "mexique"),
    "BR": ("brazil", "brasilien", "brasil", "brésil"),
    "AR": ("argentina", "argentinien", "argentine"),
    "CL": ("Chile", "chili"),
    "CO": ("colombia", "kolumbien", "colombie"),
    "JP": ("japan", "japón", "japon"),
    "CN": ("China", "chine"),
    "KR": ("south korea", "südkorea", "corea del sur", "corée du sud"),
    "IN": ("India", "indien", "inde"),
    "ZA": ("south africa", "südafrika", "sudáfrica", "afrique du sud"),
    "TR": ("Turkey", "türkiye", "türkei", "turquía", "turquie"),
    "UA": ("ukraine", "ucrania"),
    "IL": ("israel",),
    "AE": ("united arab emirates", "uae", "vereinigte arabische emirate", "emiratos árabes unidos"),
    "SG": ("singapore", "singapur", "singapour"),
    "HK": ("hong kong", "hongkong"),
}


def _norm_words(text: str) -> str:
    return _norm_folded(fold(text))


def _norm_folded(folded: str) -> str:
    """The words of already folded text, hyphens as spaces and dots dropped: the form names are looked up in."""
    return " ".join(folded.replace("-", " ").replace(".", "").split())


# Names that are also ordinary words ("Island" is German for Iceland) count only capitalised.
_CASED = frozenset(_norm_words(n) for names in _COUNTRIES.values() for n in names if n[0].isupper())
_NAME_TO_ISO = {_norm_words(n): iso for iso, names in _COUNTRIES.items() for n in names}
_FUZZY_CHOICES = [n for n in _NAME_TO_ISO if len(n) >= 5 and n not in _CASED]
_NOT_COUNTRY = wordset(
    """german french spanish english italian dutch swiss austrian british american polish danish swedish
    irish belgian canadian chinese japanese greek portuguese address adresse street strasse please parcel
    package grande grace frank"""
)
_ORIGIN = wordset("from left leaving via through aus von uber de desde depuis")  # "since it left Germany"
_DEST_PREP = wordset("to nach in into a au aux en para vers")
_SHIP_CONTEXT = re.compile(
    r"\b(?:ship\w*|deliver\w*|send|sent|address\w*|adress\w*|direcci\w*|versand\w*|versend\w*|liefer\w*"
    r"|geliefert|schick\w*|envi\w*|entreg\w*|livr\w*|expedi\w*|customs|zoll|aduana|douane|live|living"
    r"|wohne\w*|vivo|habite|moved|umgezogen|country|land|pais|pays)\b"
)
_ADDRESS_LINE = re.compile(r"\b\d{4,5}\b|\b[a-z]\d[a-z] ?\d[a-z]\d\b|\b[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b")
_LABEL = re.compile(r"\b(?:country|land|pais|pays)\s*:\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:[’'.\-][^\W\d_]+)*")


# The normal form of any span of a line is a substring of the line's normal form, and its first
# word begins with the first word of the span's first word: so a line without any name in it, or
# a word no name begins with, needs no lookups.
_ANY_NAME = re.compile(trie_pattern(_NAME_TO_ISO))
_NAME_HEADS = frozenset(h[:k] for h in (n.split(" ")[0] for n in _NAME_TO_ISO) for k in range(len(h) + 1))
_MADE_IN = re.compile(r"\b(?:made|hergestellt|hecho|fabrique)\s+(?:in|en)\s*$")


@lru_cache(maxsize=4096)
def _fuzzy_country(key: str) -> str | None:
    """The country a misspelt name means ("Germnay"), or None; each word is scored once."""
    best = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=80)
    return _NAME_TO_ISO[best[0]] if best and best[0][0] == key[0] else None


def _norm_word(folded: str) -> str:
    return folded if folded.isalpha() else _norm_folded(folded)


def _name_at(line: str, folded: str, words: list[re.Match[str]], i: int) -> tuple[int, str] | None:
    """(words taken, ISO) for the longest country name of up to four words starting at word i."""
    start, end = words[i].span()
    first = _norm_word(folded[start:end])
    if first.partition(" ")[0] not in _NAME_HEADS:
        return None
    for n in (4, 3, 2, 1):
        if i + n > len(words):
            continue
        key = first if n == 1 else _norm_folded(folded[start : words[i + n - 1].end()])
        iso = _NAME_TO_ISO.get(key)
        if iso is not None and (key not in _CASED or line[start].isupper()):
            return n, iso
    return None


def _countries_in(line: str, folded: str, in_block: bool) -> list[tuple[int, int, str]]:
    """(tier, position, ISO) per country named on one line (`folded` is its fold); higher tier is better context."""
    normal = _norm_folded(folded)
    named = _ANY_NAME.search(normal) is not None
    shipping = _SHIP_CONTEXT.search(folded) is not None
    postal = in_block or _ADDRESS_LINE.search(folded) is not None
    colon = folded.find(":")  # a label ("Country: DE") needs one before the word
    if not (named or shipping or postal or colon >= 0):
        return []  # no name, and no context for a country code or a misspelt name
    words = list(_WORD.finditer(line))
    address_like = in_block or (postal and len(words) <= 8)
    if not address_like and len(words) <= 3 and words and normal in _NAME_TO_ISO:
        address_like = True
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        start = words[i].start()
        hit = _name_at(line, folded, words, i) if named else None
        word = words[i].group(0)
        labelled = 0 <= colon < start and _LABEL.search(folded, 0, start) is not None
        if hit is None and (address_like or labelled) and len(word) == 2 and word.isupper() and word in _COUNTRIES:
            hit = (1, word)
        if hit is None and (shipping or address_like) and len(word) >= 5:
            key = _norm_word(folded[start : words[i].end()])
            if key not in _NOT_COUNTRY and key not in _NAME_TO_ISO:
                iso = _fuzzy_country(key)
                if iso is not None:
                    hit = (1, iso)
        if hit is None:
            i += 1
            continue
        before = folded[:start]
        prev = before.split()[-1] if before.split() else ""
        made_in = _MADE_IN.search(before)
        if address_like or labelled:
            tier = 3
        elif prev in _DEST_PREP and not made_in:
            tier = 2
        elif shipping and not made_in and prev not in _ORIGIN:
            tier = 1
        else:
            tier = 0
        if tier:
            found.append((tier, start, hit[1]))
        i += hit[0]
    return found


def find_country(text: str | TextForms, address: str | None = None) -> str | None:
    """Destination country as ISO 3166 alpha-2, only where address or shipping context backs it.

    "I ordered from Germany" is noise; "ship to Germnay", "10115 Berlin, DE" or
    "nach Österreich" are not. A corrected address block wins over the prose.
    """
    if address:
        block = [c for line in address.splitlines() for c in _countries_in(line, fold(line), True)]
        if block:
            return block[-1][2]
    best: tuple[int, int, int, str] | None = None
    view = forms(text)
    # fold keeps every index and line break, so the folded lines and sentences are those of the text
    for n, (line, folded) in enumerate(zip(view.text.splitlines(), view.folded.splitlines(), strict=True)):
        for a, b in sentence_spans(line):
            for tier, pos, iso in _countries_in(line[a:b], folded[a:b], False):
                key = (tier, n, pos, iso)
                if best is None or key[:3] >= best[:3]:
                    best = key
    return best[3] if best else None


# ---------------------------------------------------------------- corrected address

# Strong cues name the new address and may carry it on the same line ("New address: 5 Main St").
_ADDRESS_CUE = re.compile(
    r"(?:new|correct|corrected|updated|right|proper|changed)\s+(?:shipping\s+|delivery\s+)?address(?:\s+is)?"
    r"|address\s+should\s+(?:be|read)|(?:change|update|correct)\s+(?:the|my)\s+(?:shipping\s+|delivery\s+)?"
    r"address\s+to|(?:neue|richtige|korrekte|geanderte)\s+(?:liefer)?adresse(?:\s+lautet|\s+ist)?"
    r"|(?:nueva|correcta)\s+direccion(?:\s+es)?|direccion\s+correcta(?:\s+es)?"
    r"|(?:nouvelle|bonne)\s+adresse(?:\s+est)?|adresse\s+correcte(?:\s+est)?"
)
# Weak cues only count when an address block follows on its own lines ("… send it to my office instead:").
_ADDRESS_WEAK_CUE = re.compile(
    r"\b(?:(?:ship|send|deliver|post)\s+it\s+to|it\s+should\s+(?:be|read|say)|(?:schicken|senden|liefern)\s+sie"
    r"|(?:envien|enviar|mandar)(?:lo)?\s+a|(?:envoyer|livrer)\s+(?:le|la)?\s*a)\b"
)

# A request to send the parcel somewhere or to change its address, in any wording: a send/deliver/redirect
# verb, or a change verb with the word "address", then (in the same sentence, across hard wraps) where it
# goes: "to", "an", "a", "à", "chez", or a colon. German may put the verb last ("an meine Mutter schicken:").
# What follows is read like after a weak cue, but only a block or inline text shaped like an address counts.
_GAP = r"(?:[^.!?:\n]|\.(?=\s*[#\d])|\n(?![ \t]*\n))"
_TO = r"(?:\b(?:to|at|an|nach|auf|zu|a|al|hacia|chez|au|aux|vers|en|para)\b|(?=\s*:))"
_REQUEST_CUE = re.compile(
    # EN, ES, FR: verb first
    rf"\b(?:(?:send|ship|deliver|post|mail|forward|redirect|re-?route|dispatch)(?:ing)?"
    r"|(?:should|must|needs?\s+to|has\s+to|can|could|will|would)\s+(?:[\w#]+\s+){0,4}?(?:go|be\s+(?:sent|shipped"
    r"|delivered|posted|redirected|forwarded))"
    r"|(?:envi|envie|mand|remit|entreg|redirig|reenvi)[a-z]*|(?:vaya|llegue|vayan|lleguen)"
    r"|(?:envoy|envoi|livr|expedi|redirig|achemin|reexpedi)[a-z]*(?:-(?:la|le|les|moi))?"
    rf"|(?:schick|send|liefer|versend|stell|leit)[a-z]*\s+sie)\b{_GAP}{{0,70}}?{_TO}"
    # a change of the address, any language: "change the delivery address on order #1 to:"
    rf"|\b(?:change|update|correct|amend|modify|fix|cambi|modific|correg|corrij|actualic|actualiz|modifi|chang"
    rf"|corrig|mett[a-z]*\s+a\s+jour|ander|korrigier|aktualisier|anpass)[a-z]*\b{_GAP}{{0,50}}?"
    rf"(?:address|[a-z]*adresse|direccion|domicilio){_GAP}{{0,50}}?{_TO}"
    # German verb last: "an meine Mutter schicken:", "die Adresse der Bestellung 12 bitte ändern:"
    rf"|\b(?P<dest>an|nach|zu)\b{_GAP}{{0,60}}?\b(?:(?:schicken|senden|liefern|zustellen|versenden|verschicken"
    r"|umleiten|gehen)(?:\s+(?:lassen|kann|konnen))?|(?:geschickt|geliefert|gesendet|versandt|verschickt|zugestellt)\s+werden)\b"
    rf"|\b[a-z]*adresse\b{_GAP}{{0,60}}?\b(?:andern|korrigieren|aktualisieren|anpassen)\b(?:\s+(?:lassen|werden))?"
)
# The place named after "to" is the shop's or the old one: "send it back to your warehouse", "went to my old address".
_NOT_NEW = re.compile(
    r"\s*(?:back\s+)?(?:\S+\s+){0,2}?(?:your|yours|ihre|eure|euer|vuestr\w*|votre|vos|old|previous|current|former|alte\w*"
    r"|bisherige\w*|vorherige\w*|antigu\w*|anterior|actual|ancien\w*|actuel\w*|precedent\w*)\b"
)
# What the order or the shop says now is not a request: "your email says it will go to:", "laut Bestätigung".
_REPORTED = re.compile(
    r"\b(?:says?|said|shows?|listed|currently|at the moment|confirmation|laut|steht|zurzeit|derzeit|dice|pone"
    r"|figura|actualmente|indique|affiche|actuellement)\b"
)


def _sentence_start(folded: str, at: int) -> int:
    """Where the sentence holding position `at` starts (after the last . ! ? or blank line before it)."""
    return max(max(folded.rfind(c, 0, at) for c in ".!?") + 1, folded.rfind("\n\n", 0, at) + 1, 0)


# After a request, the text before the block on the same line ends the sentence: "… to my new flat please?"
_TAIL = re.compile(r"[^\d.!?:]{0,60}[.!?:]?\s*")


def _looks_postal(block: list[str]) -> bool:
    """Whether lines hold an address: two or more with a postcode among them, or a street, number and town on one."""
    folded = [fold(line) for line in block]
    return (any(_ADDRESS_LINE.search(f) for f in folded) and len(block) >= 2) or any(
        _INLINE_ADDRESS.search(line) for line in block
    )


# After a weak cue on the same line, an address is a house number and a street word, or a street and a
# house number ("Hauptstr. 7"), with a postcode or a town after a comma: "12 Elm Street, Leeds LS1 4AB".
_STREET = (
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|court|place|square|terrace|crescent|boulevard"
    r"|blvd|str|strasse|straße|weg|platz|gasse|allee|ring|damm|ufer|calle|avenida|avda|plaza|paseo|carrer|rue"
    r"|chemin|impasse|allée|place|quai|cours)\.?"
)
_STREET_FIRST = r"(?:calle|avenida|avda|plaza|paseo|carrer|camino|rue|avenue|via|viale|piazza)"
# A conjunction or a "for the attention of" ends an inline address: "… 14 Elm Street and refund the fee",
# "…, 70565 Stuttgart, z. Hd. Frau Berger", "…, 1000 Bruxelles, au lieu de mon domicile".
_JOIN = (
    r"(?:,?\s+|,\s*)(?i:and|und|but|aber|pero|mais|since|because|weil|porque|car|puisque|au lieu|en lugar|anstatt"
    r"|statt|z\.\s?hd|c/o|attn)\b|,\s*(?i:et|y|e)\s"
)
_INLINE_ADDRESS = re.compile(
    # "12 Elm Street" / "8 rue Victor Hugo" · "Gartenweg 12" / "Hauptstr. 7" · "Calle Sol 4"
    rf"(?:\d{{1,5}}[a-zA-Z]?(?:,\s*\d{{1,5}}[a-zA-Z]?)?,?\s+(?:[^\W\d][\w'’.-]*\s+|\d{{1,5}}[a-zA-Z]?,\s+|\d+(?:st|nd|rd|th)\s+){{0,3}}"
    rf"(?i:{_STREET})"
    rf"|[A-ZÄÖÜ][\w'’-]*?(?i:{_STREET})\s+\d{{1,5}}[a-z]?"
    rf"|(?i:{_STREET_FIRST})\s+(?:[\w'’.-]+\s+){{1,4}}\d{{1,5}}[a-z]?)"
    rf"\b(?:(?!{_JOIN})[^.!?\n]){{0,80}}?,\s*(?:(?!{_JOIN})[^.!?\n]){{2,60}}?"
    r"(?=\s+(?i:instead|please|bitte|por favor|s'il vous pla[iî]t|merci|thanks?|"
    r"danke|gracias|en su lugar|stattdessen|à la place|plut[oô]t)\b|\s*[,;]\s*(?i:danke|thanks|merci|gracias)\b"
    rf"|{_JOIN}|[.!?]?\s*$|\s*[.!?](?:\s|$))"
)


def _inline_address(rest: str) -> str | None:
    m = _INLINE_ADDRESS.search(rest)
    return m.group().strip().rstrip(".,") if m else None


def _address_block(lines: list[str]) -> list[str]:
    block: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            if block:
                break
            continue
        if SIGNOFF.match(s) or len(block) >= 6 or s.endswith("?") or len(s) > 80:
            break
        block.append(s)
    return block


def _requested_block(rest: str, following: list[str]) -> list[str]:
    """The address after a request to send or change (`rest` is the rest of its line), or nothing.

    Inline ("send order #1 to 5 Kingfisher Close, Norwich NR4 7TJ"), or a block on the next lines after a
    colon or after the sentence ends ("… to my new flat please?"); a block must look postal, and one after a
    sentence (not a colon) that starts with a name must be followed by more text, so a signature that ends
    the mail is not taken.
    """
    if rest and (inline := _inline_address(rest)):
        return [inline]
    if rest and not _TAIL.fullmatch(rest):
        return []
    block = _address_block(following)
    if not block or not _looks_postal(block):
        return []
    if not rest.endswith(":") and not any(c.isdigit() for c in block[0]):
        # A block that starts with a name and ends the mail is how a signature looks (parse may have cut
        # the sign-off above it); one that starts with the street, or has text after it, is the address.
        after = following[[ln.strip() for ln in following].index(block[-1]) + 1 :]
        if not any(ln.strip() for ln in after):
            return []
    return block


def find_address(text: str | TextForms) -> str | None:
    """The corrected address block: what follows "new address:" and the like, up to a blank line.

    Cues are found across hard-wrapped lines. After a strong cue the address may
    stand on the same line; after a weak one ("send it to my office instead:")
    only a block on the following lines counts, so "it should be here by Friday"
    is not an address.
    """
    view = forms(text)
    text, folded = view.text, view.folded
    cues = [(m, "strong") for m in _ADDRESS_CUE.finditer(folded)]
    cues += [(m, "weak") for m in _ADDRESS_WEAK_CUE.finditer(folded)]
    requests = [
        (m, "request")
        for m in _REQUEST_CUE.finditer(folded)
        if not _NOT_NEW.match(folded, m.end("dest") if m.group("dest") else m.end())
        and not _REPORTED.search(folded, _sentence_start(folded, m.start()), m.start())
    ]
    # A cue that names the new address wins wherever it stands; a request only when none does.
    for m, kind in [*sorted(cues, key=lambda c: c[0].start()), *requests]:
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        rest = text[m.end() : line_end].strip()
        following = text[line_end + 1 :].splitlines()
        if kind == "request":
            block = _requested_block(rest, following)
        elif not rest or rest.endswith(":"):
            if rest.endswith(":") and len(rest) > 40:
                continue  # a sentence that happens to end in a colon
            block = _address_block(following)
        elif kind == "strong":
            rest = rest.lstrip(":-– \t")
            block = [rest, *_address_block(following)] if rest.endswith(",") else [rest]
        elif inline := _inline_address(rest):
            block = [inline]  # "please ship it to 12 Elm Street, Leeds LS1 4AB instead"
        else:
            continue
        if block:
            return "\n".join(block).rstrip(".")
    return None
