"""Extraction: the facts a reply needs (order numbers, emails, name, country, time, address, …).

Works on the redacted subject and new text only, so quoted history cannot
leak old order numbers into a new request, and redaction markers such as
`[card •••• 1111]` are blanked before any number is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz, process

from triage.orders import DEFAULT_ORDER_PATTERNS
from triage.records import Extraction, OrderMatch, ParsedMessage


@dataclass(frozen=True)
class ExtractSettings:
    """Order-number patterns (one capture group = canonical form) and the shop's own addresses.

    An own address starting with "@" excludes the whole domain.
    """

    order_patterns: tuple[str, ...] = DEFAULT_ORDER_PATTERNS
    own_addresses: tuple[str, ...] = ()


# ---------------------------------------------------------------- text helpers


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return base if len(base) == 1 else low


def fold(text: str) -> str:
    """Lower-case without accents, keeping every index: a match in the fold is a slice of the original."""
    return "".join(_fold_char(c) for c in text)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# Sentence ends, but not the dot after a number ("3. November").
_SENTENCES = re.compile(r"(?<=[^\W\d][.!?])\s+|(?<=[)\"'][.!?])\s+|\n\s*\n")
_MARKER = re.compile(r"\[[^\[\]\n]{0,60}?(?:•|removed|redacted|entfernt)[^\[\]\n]{0,60}?\]", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _mask(text: str) -> str:
    """Blank redaction markers, URLs and addresses so their digits are never read as numbers."""
    spans = [m.span() for rx in (_MARKER, _URL, _EMAIL) for m in rx.finditer(text)]
    return _blank(text, spans)


# ---------------------------------------------------------------- order numbers

_ORDER_WORD = (
    r"(?:orders?(?:[\s-]?(?:number|no(?![a-z])\.?|nr(?![a-z])\.?|num(?![a-z])\.?|id\b|ref(?:erence)?\b))?"
    r"|bestell(?:ung(?:en)?|nummer|nr(?![a-z])\.?|-nr(?![a-z])\.?|-nummer)|auftrag(?:s(?:nummer|-?nr(?![a-z])\.?))?|ordernummer"
    r"|pedidos?|numero\s+de\s+pedido|orden(?:es)?|numero\s+de\s+orden"
    r"|commandes?|numero\s+de\s+commande|n[°º]\s*de\s+commande"
    r"|(?<=my )(?:oder|ordr|odrer|oredr|ordre)|(?<=the )(?:oder|ordr|odrer|oredr))"
)
_SEP = (
    r"(?:\s|[:#(\-]|,(?=\s*(?:number|no|nr|n[°º]|#|nummer|numero|num)\b)|n[°º]\.?|n\.\s?(?:[°º]|o\b)|no(?![a-z])\.?|nr(?![a-z])\.?|number\b|nummer\b|numero\b|num(?![a-z])\.?|id\b"
    r"|is\b|was\b|ist\b|lautet\b|war\b|es\b|est\b|era\b)"
)
_KEYWORD_NUMBER = re.compile(rf"(?<![\w])(?:{_ORDER_WORD}){_SEP}{{0,8}}?(#?\s?(?:[a-z]{{1,6}}-?)?\d++)(?![\w])", re.I)
_LIST_NEXT = re.compile(
    r"\s*(?:([,/+])|&|\band\b|\bund\b|\by\b|\be\b|\bet\b|\bor\b|\boder\b|\bo\b|\bou\b|\bsowie\b)\s*"
    r"(#?\s?(?:[a-z]{1,6}-?)?\d++)(?![\w])",
    re.I,
)
# A listed number followed by a capitalised word or "is" starts a new phrase: "1042, 10115 Berlin",
# "1042, 12345678 is the tracking number".
_NEW_PHRASE = re.compile(r"[ \t]+(?:[^\W\d_a-z]|(?:is|ist|es|est|was|war)\b)")
# After a number: a decimal, a date or time, more digit groups (phone), a currency or percent.
_BAD_FOLLOW = re.compile(
    r"[.,]\d{1,2}(?!\d)|[./:\-]\d|[ \t\-]\d{3}|\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|gbp\b|chf\b|dollars?\b)",
    re.I,
)
# Words whose number is not an order number; the nearest cue before a "#123" decides.
_DECOY_CUE = (
    r"tracking|track|sendung\w*|paket\w*|parcel|package|shipment|awb|waybill|seguimiento|suivi|colis"
    r"|apt|apartment|suite|unit|room|flat|floor|house|ticket|case|item|sku|article|artikel|product|produkt"
    r"|customer|kunde\w*|cliente|client|phone|tel|telefon\w*|mobile|handy|usps|dhl|fedex|gls|dpd|hermes"
)
_CUE = re.compile(rf"(?<![\w])(?:({_DECOY_CUE})|({_ORDER_WORD}))(?![\w])", re.I)


def _canonical(token: str, patterns: Sequence[str]) -> str | None:
    text = re.sub(r"\s+", "", token)
    for pattern in patterns:
        m = re.fullmatch(pattern, text) or re.fullmatch(pattern, "#" + text.lstrip("#"))
        if m:
            return m.group(1)
    return None


def _decoy_before(folded: str, start: int) -> bool:
    last = None
    for m in _CUE.finditer(folded, max(0, start - 40), start):
        last = m
    return bool(last and last.group(1))


def find_order_numbers(text: str, patterns: Sequence[str] = DEFAULT_ORDER_PATTERNS) -> list[str]:
    """Order numbers in `text`, canonical, in order of appearance, each once.

    Two routes: a configured pattern anywhere ("#1042"), unless the nearest cue
    before it names a decoy ("tracking #…", "apt #…"); or a number right after
    an order word in EN/DE/ES/FR ("order no. 1042", "Bestellung 1042",
    "commande n° 1042", "orders 1042 and 1043"), which must fit a pattern.
    Neither takes a number followed by a decimal, date, time, currency or
    another digit group.
    """
    masked = _mask(text)
    folded = fold(masked)
    found: list[tuple[int, str]] = []

    def take(token: str, start: int, end: int) -> None:
        if _BAD_FOLLOW.match(masked, end):
            return
        number = _canonical(token, patterns)
        glued = re.fullmatch(r"(?:no|n[º°]|nr|num|id)\.?(\d+)", token.strip(), re.I)  # "nº1042" folds to "no1042"
        if number is None and glued:
            number = _canonical(glued.group(1), patterns)
        if number:
            found.append((start, number))

    for pattern in patterns:
        for m in re.finditer(pattern, masked):
            if not _decoy_before(folded, m.start()):
                take(m.group(0), m.start(), m.end())
    for m in _KEYWORD_NUMBER.finditer(folded):
        take(masked[m.start(1) : m.end(1)], m.start(1), m.end(1))
        end = m.end()
        previous = m.group(1)
        while nxt := _LIST_NEXT.match(folded, end):
            token = masked[nxt.start(2) : nxt.end(2)]
            digits = sum(c.isdigit() for c in token)
            bare = nxt.group(1) is not None  # "," "/" "+": only numbers of the same size make a list
            if _NEW_PHRASE.match(masked, nxt.end()) or (bare and abs(digits - sum(c.isdigit() for c in previous)) > 1):
                break
            take(token, nxt.start(2), nxt.end(2))
            previous, end = token, nxt.end()
    out: list[str] = []
    for _, number in sorted(found, key=lambda f: f[0]):
        if number not in out:
            out.append(number)
    return out


# ---------------------------------------------------------------- emails


def _is_own(addr: str, own: Sequence[str]) -> bool:
    for entry in own:
        e = entry.strip().lower()
        if e.startswith("@") and addr.endswith(e):
            return True
        if addr == e:
            return True
    return False


def normalize_email(candidate: str) -> str | None:
    """A valid address lower-cased, or None; never a DNS lookup (works offline)."""
    try:
        return validate_email(candidate.strip().strip(".<>"), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def find_emails(msg: ParsedMessage, own: Sequence[str] = ()) -> tuple[str, ...]:
    """Customer addresses: From, Reply-To, then any in the body; the shop's own left out."""
    headers = [_EMAIL.search(h) for h in (msg.from_addr, msg.reply_to or "")]
    candidates = [h.group(0) for h in headers if h]
    candidates += [m.group(0) for m in _EMAIL.finditer(f"{msg.subject}\n{msg.new_text}")]
    out: list[str] = []
    for c in candidates:
        addr = normalize_email(c) if c else None
        if addr and addr not in out and not _is_own(addr, own):
            out.append(addr)
    return tuple(out)


# ---------------------------------------------------------------- names


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _wordset("van von der den de da del della di du la le ten ter y zu bin al")
_NOT_NAMES = _wordset(
    """order orders thanks thank regards best kind warm hello hi hey dear team support customer service
    shop store sent from my iphone android mobile please the and bestellung danke dank grüße gruesse
    viele liebe freundlichen gracias saludos atentamente merci cordialement bonjour hola hallo
    inc ltd llc gmbh street road str avenue monday tuesday wednesday thursday friday saturday sunday
    i we you it this that refund cancel address"""
)
_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|herr|frau|sr|sra|srta|m|mme|mlle)\.?\s+", re.I)
_NAME_CUE = re.compile(
    r"(?i:my name is|my name's|name:|mein name ist|ich hei(?:ß|ss)e|me llamo|mi nombre es"
    r"|je m['’]appelle|mon nom est)\s+([^\n,.;:!?()]{2,60})"
)
_SIGNOFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|many)\s+)?(?:regards|wishes|thanks|thank you|cheers|sincerely|best"
    r"|(?:viele|liebe|beste|herzliche)\s+gr(?:ü|ue)(?:ß|ss)e|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|gru(?:ß|ss)"
    r"|danke|lg|mfg|saludos|un saludo|atentamente|gracias|cordialement|bien (?:à|a) vous|merci"
    r"|bisous|amicalement)\b[\s,.!:]*(.*)$",
    re.I,
)


def _as_name(text: str) -> str | None:
    """The longest run of 2-4 capitalised words at the start of `text`, or None."""
    text = _TITLES.sub("", text.strip().strip("\"'"))
    words = text.split()[:4]
    for n in range(len(words), 1, -1):
        parts = words[:n]
        real = [w for w in parts if w.lower() not in _PARTICLES]
        ok = (
            len(real) >= 2
            and parts[0].lower() not in _PARTICLES
            and all(re.fullmatch(r"[^\W\d_][^\W\d_'’.\-]*(?:[’'\-][^\W\d_]+)*\.?", w) for w in parts)
            and all(w[0].isupper() and w.lower().strip(".") not in _NOT_NAMES for w in real)
        )
        if ok:
            return " ".join(parts).rstrip(".")
    return None


def find_name(msg: ParsedMessage) -> str | None:
    """Full name: a stated one ("my name is…"), else the sign-off or signature, else the display name."""
    for m in _NAME_CUE.finditer(msg.new_text):
        name = _as_name(m.group(1))
        if name:
            return name
    lines = msg.new_text.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        m = _SIGNOFF.match(lines[i])
        if m:
            tail = [m.group(1)] + [ln for ln in lines[i + 1 : i + 3] if ln.strip()]
            for cand in tail:
                name = _as_name(cand)
                if name:
                    return name
            break
    for line in [ln for ln in msg.signature.splitlines() if ln.strip() and ln.strip() != "--"][:3]:
        name = _as_name(line)
        if name:
            return name
    display = msg.from_name.strip().strip("\"'")
    if "@" not in display:
        if re.fullmatch(r"[^,]+,\s*[^,]+", display):
            last, first = (p.strip() for p in display.split(",", 1))
            display = f"{first} {last}"
        return _as_name(display)
    return None


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
    return " ".join(fold(text).replace("-", " ").replace(".", "").split())


# Names that are also ordinary words ("Island" is German for Iceland) count only capitalised.
_CASED = frozenset(_norm_words(n) for names in _COUNTRIES.values() for n in names if n[0].isupper())
_NAME_TO_ISO = {_norm_words(n): iso for iso, names in _COUNTRIES.items() for n in names}
_FUZZY_CHOICES = [n for n in _NAME_TO_ISO if len(n) >= 5 and n not in _CASED]
_NOT_COUNTRY = _wordset(
    """german french spanish english italian dutch swiss austrian british american polish danish swedish
    irish belgian canadian chinese japanese greek portuguese address adresse street strasse please parcel
    package grande grace frank"""
)
_ORIGIN = _wordset("from left leaving via through aus von uber de desde depuis")  # "since it left Germany"
_DEST_PREP = _wordset("to nach in into a au aux en para vers")
_SHIP_CONTEXT = re.compile(
    r"\b(?:ship\w*|deliver\w*|send|sent|address\w*|adress\w*|direcci\w*|versand\w*|versend\w*|liefer\w*"
    r"|geliefert|schick\w*|envi\w*|entreg\w*|livr\w*|expedi\w*|customs|zoll|aduana|douane|live|living"
    r"|wohne\w*|vivo|habite|moved|umgezogen|country|land|pais|pays)\b"
)
_ADDRESS_LINE = re.compile(r"\b\d{4,5}\b|\b[a-z]\d[a-z] ?\d[a-z]\d\b|\b[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b")
_LABEL = re.compile(r"\b(?:country|land|pais|pays)\s*:\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:[’'.\-][^\W\d_]+)*")


def _countries_in(line: str, in_block: bool) -> list[tuple[int, int, str]]:
    """(tier, position, ISO) per country named on one line; higher tier is better context."""
    folded = fold(line)
    words = list(_WORD.finditer(line))
    address_like = in_block or (_ADDRESS_LINE.search(folded) is not None and len(words) <= 8)
    if not address_like and len(words) <= 3 and words and _norm_words(line) in _NAME_TO_ISO:
        address_like = True
    shipping = _SHIP_CONTEXT.search(folded) is not None
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        hit: tuple[int, str] | None = None
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            span = line[words[i].start() : words[i + n - 1].end()]
            key = _norm_words(span)
            if key in _NAME_TO_ISO and (key not in _CASED or span[0].isupper()):
                hit = (n, _NAME_TO_ISO[key])
                break
        word = words[i].group(0)
        labelled = _LABEL.search(fold(line[: words[i].start()])) is not None
        if hit is None and (address_like or labelled) and len(word) == 2 and word.isupper() and word in _COUNTRIES:
            hit = (1, word)
        if hit is None and (shipping or address_like) and len(word) >= 5:
            key = _norm_words(word)
            if key not in _NOT_COUNTRY and key not in _NAME_TO_ISO:
                best = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=80)
                if best and best[0][0] == key[0]:
                    hit = (1, _NAME_TO_ISO[best[0]])
        if hit is None:
            i += 1
            continue
        before = fold(line[: words[i].start()])
        prev = before.split()[-1] if before.split() else ""
        made_in = re.search(r"\b(?:made|hergestellt|hecho|fabrique)\s+(?:in|en)\s*$", before)
        if address_like or labelled:
            tier = 3
        elif prev in _DEST_PREP and not made_in:
            tier = 2
        elif shipping and not made_in and prev not in _ORIGIN:
            tier = 1
        else:
            tier = 0
        if tier:
            found.append((tier, words[i].start(), hit[1]))
        i += hit[0]
    return found


def find_country(text: str, address: str | None = None) -> str | None:
    """Destination country as ISO 3166 alpha-2, only where address or shipping context backs it.

    "I ordered from Germany" is noise; "ship to Germnay", "10115 Berlin, DE" or
    "nach Österreich" are not. A corrected address block wins over the prose.
    """
    if address:
        block = [c for line in address.splitlines() for c in _countries_in(line, True)]
        if block:
            return block[-1][2]
    best: tuple[int, int, int, str] | None = None
    for n, line in enumerate(text.splitlines()):
        for sentence in _SENTENCES.split(line):
            for tier, pos, iso in _countries_in(sentence, False):
                key = (tier, n, pos, iso)
                if best is None or key[:3] >= best[:3]:
                    best = key
    return best[3] if best else None


# ---------------------------------------------------------------- order time

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "january jan januar janner enero janvier janv",
        "february feb februar febrero fevrier fevr",
        "march mar marz maerz marzo mars",
        "april apr abril avril avr",
        "may mai mayo",
        "june jun juni junio juin",
        "july jul juli julio juillet juil",
        "august aug agosto aout",
        "september sep sept septiembre setiembre septembre",
        "october oct oktober okt octubre octobre",
        "november nov noviembre novembre",
        "december dec dezember dez diciembre decembre",
    ),
    start=1,
):
    for _m in _names.split():
        _MONTHS[_m] = _n
_WEEKDAYS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "monday montag lunes lundi",
        "tuesday dienstag martes mardi",
        "wednesday mittwoch miercoles mercredi",
        "thursday donnerstag jueves jeudi",
        "friday freitag viernes vendredi",
        "saturday samstag sonnabend sabado samedi",
        "sunday sonntag domingo dimanche",
    )
):
    for _m in _names.split():
        _WEEKDAYS[_m] = _n
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "ein": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "un": 1, "una": 1, "une": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
}  # fmt: skip
_NUM_RX = r"\d{1,2}|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True))
_ORDER_CONTEXT = re.compile(
    r"\b(?:order\w*|bought|purchas\w*|placed|bestell\w*|gekauft|kaufte|pedido|pedi|compre|compra\w*"
    r"|commande\w*|achete\w*)\b"
)
_TIME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("iso", r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b"),
        ("dmy", r"\b(\d{1,2})\.(\d{1,2})\.(?:(\d{4}|\d{2})\b)?"),
        ("slash", r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b"),
        ("md", rf"\b({_MONTH_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(20\d\d))?"),
        ("dm", rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?({_MONTH_RX})\b\.?(?:\s+(?:de\s+)?(20\d\d))?"),
        ("before_yesterday", r"\b(?:day before yesterday|vorgestern|anteayer|antier|avant-hier)\b"),
        ("yesterday", r"\b(?:yesterday|last night|gestern|ayer|anoche)\b"),
        ("hier", r"\bhier\b"),
        ("today", r"\b(?:today|this morning|earlier today|heute|hoy|esta manana|aujourd'hui|ce matin)\b"),
        ("ago", rf"\b({_NUM_RX})\s+(days?|weeks?)\s+ago\b"),
        ("ago", rf"\bvor\s+({_NUM_RX})\s+(tag(?:en)?|wochen?)\b"),
        ("ago", rf"\bhace\s+({_NUM_RX})\s+(dias?|semanas?)\b"),
        ("ago", rf"\bil y a\s+({_NUM_RX})\s+(jours?|semaines?)\b"),
        (
            "last_week",
            r"\b(?:last week|letzte[n]? woche|vorige[n]? woche|vergangene[n]? woche"
            r"|la semana pasada|la semaine derniere)\b",
        ),
        ("last_month", r"\b(?:last month|letzte[nm]? monat|el mes pasado|le mois dernier)\b"),
        ("weekday", r"\b(" + "|".join(_WEEKDAYS) + r")\b"),
    )
)


def _safe_date(y: int, m: int, d: int, today: date, year_given: bool) -> date | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if day > today:
        if year_given:
            return None
        try:
            day = date(y - 1, m, d)
        except ValueError:
            return None
    return day


def _year(text: str | None, today: date) -> tuple[int, bool]:
    if not text:
        return today.year, False
    y = int(text)
    return (2000 + y if y < 100 else y), True


def _resolve(kind: str, m: re.Match[str], sentence: str, today: date) -> str | None:
    """One time expression as an ISO date, an ISO interval (last week) or a month."""
    if kind == "iso":
        day = _safe_date(int(m[1]), int(m[2]), int(m[3]), today, True)
        return day.isoformat() if day else None
    if kind in ("dmy", "slash"):
        a, b = int(m[1]), int(m[2])
        if kind == "slash" and a <= 12 and b <= 12 and a != b:
            return None  # 3/11 or 11/3: too ambiguous to guess
        d, mo = (a, b) if kind == "dmy" or a > 12 else (b, a)
        y, given = _year(m[3], today)
        day = _safe_date(y, mo, d, today, given)
        return day.isoformat() if day else None
    if kind in ("md", "dm"):
        month, d = (m[1], m[2]) if kind == "md" else (m[2], m[1])
        if month == "may" and not re.search(r"\bMay\b", sentence[m.start() : m.end()]):
            return None  # "I may 2 …" is a verb
        y, given = _year(m[3], today)
        day = _safe_date(y, _MONTHS[month], int(d), today, given)
        return day.isoformat() if day else None
    if kind == "before_yesterday":
        return (today - timedelta(days=2)).isoformat()
    if kind == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    if kind == "hier":  # French "yesterday", German "here"
        if re.search(r"\b(?:j'ai|je|commande\w*|achete\w*|nous)\b", sentence):
            return (today - timedelta(days=1)).isoformat()
        return None
    if kind == "today":
        return today.isoformat()
    if kind == "ago":
        n = int(m[1]) if m[1].isdigit() else _NUM_WORDS[m[1]]
        per = 7 if m[2].startswith(("week", "woche", "semana", "semaine")) else 1
        return (today - timedelta(days=n * per)).isoformat()
    if kind == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    if kind == "last_month":
        first = today.replace(day=1) - timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if kind == "weekday":
        back = (today.weekday() - _WEEKDAYS[m[1]]) % 7 or 7
        return (today - timedelta(days=back)).isoformat()
    return None


def find_order_time(text: str, now: datetime) -> str | None:
    """When the order was placed, roughly: "YYYY-MM-DD", "YYYY-MM-DD/YYYY-MM-DD" (a week) or "YYYY-MM".

    Only sentences about ordering count, so "I'm away until Friday" is not an
    order time; a date later than `now` is never one.
    """
    today = now.date()
    folded = fold(_mask(text))
    for sentence in _SENTENCES.split(folded):
        if not _ORDER_CONTEXT.search(sentence):
            continue
        hits = sorted(
            ((m.start(), i, kind, m) for i, (kind, rx) in enumerate(_TIME_RULES) for m in rx.finditer(sentence))
        )
        for _, _, kind, m in hits:
            value = _resolve(kind, m, sentence, today)
            if value:
                return value
    return None


# ---------------------------------------------------------------- address, keep, reason

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


def _address_block(lines: list[str]) -> list[str]:
    block: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            if block:
                break
            continue
        if _SIGNOFF.match(s) or len(block) >= 6 or s.endswith("?") or len(s) > 80:
            break
        block.append(s)
    return block


def find_address(text: str) -> str | None:
    """The corrected address block: what follows "new address:" and the like, up to a blank line.

    Cues are found across hard-wrapped lines. After a strong cue the address may
    stand on the same line; after a weak one ("send it to my office instead:")
    only a block on the following lines counts, so "it should be here by Friday"
    is not an address.
    """
    folded = fold(text)
    cues = [(m, True) for m in _ADDRESS_CUE.finditer(folded)] + [(m, False) for m in _ADDRESS_WEAK_CUE.finditer(folded)]
    for m, strong in sorted(cues, key=lambda c: c[0].start()):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        rest = text[m.end() : line_end].strip()
        following = text[line_end + 1 :].splitlines()
        if not rest or rest.endswith(":"):
            if rest.endswith(":") and len(rest) > 40:
                continue  # a sentence that happens to end in a colon
            block = _address_block(following)
        elif strong:
            rest = rest.lstrip(":-– \t")
            block = [rest, *_address_block(following)] if rest.endswith(",") else [rest]
        else:
            continue
        if block:
            return "\n".join(block).rstrip(".")
    return None


_KEEP = re.compile(r"\b(?:keep|behalten|mantener|quedarme con|quedo con|garder|conserver)\b")
_CANCEL = re.compile(r"\b(?:cancel\w*|delete|remove|storn\w*|loschen|elimin\w*|annul\w*|supprim\w*)\b")
_VERB_LAST = re.compile(r"behalten|storn\w*|loschen")  # German puts the verb after the number
_BOTH = re.compile(r"\b(?:both|beide|los dos|ambos|les deux)\b")
_FIRST = re.compile(r"\b(?:first|older|earlier|original|erste\w*|altere\w*|primer\w*|anterior|premier\w*|ancien\w*)\b")
_SECOND = re.compile(
    r"\b(?:second|newer|later|latest|last(?!\s+(?:night|week|month|year|time))|most recent"
    r"|zweite\w*|neuere\w*|letzte\w*(?!\s+(?:woche|nacht|monat))|spatere\w*|segund\w*"
    r"|ultim\w*|deuxieme|seconde?|dernier\w*|nouvelle)\b"
)
_NUMBER_TOKEN = re.compile(r"#?\s?\d{3,8}(?!\d)")


def _named_number(sentence: str, verb: re.Match[str], patterns: Sequence[str]) -> str | None:
    after = [_canonical(t.group(0), patterns) for t in _NUMBER_TOKEN.finditer(sentence[verb.end() : verb.end() + 40])]
    if any(after):
        return next(n for n in after if n)
    if _VERB_LAST.fullmatch(verb.group(0)):
        before = sentence[max(0, verb.start() - 30) : verb.start()]
        named = [_canonical(t.group(0), patterns) for t in _NUMBER_TOKEN.finditer(before)]
        named = [n for n in named if n]
        if named:
            return named[-1]
    return None


def _ordinal(text: str) -> str | None:
    first, second = _FIRST.search(text), _SECOND.search(text)
    if first and (not second or first.start() < second.start()):
        return "first"
    return "second" if second else None


def find_keep_order(text: str, numbers: Sequence[str], patterns: Sequence[str]) -> str | None:
    """Which of two duplicate orders to keep: a number, "first", "second" or "both".

    "cancel #1043" keeps the other one; "keep the first one" names the older,
    which with sequential shop numbers is the lower of two numbers mentioned.
    """
    ranked = sorted(numbers, key=lambda n: (len(n), n))
    folded = fold(_mask(text))
    for sentence in _SENTENCES.split(folded):
        for verb_rx, keeps in ((_KEEP, True), (_CANCEL, False)):
            for verb in verb_rx.finditer(sentence):
                after = sentence[verb.end() : verb.end() + 40]
                if keeps and _BOTH.search(after):
                    return "both"
                number = _named_number(sentence, verb, patterns)
                if number and keeps:
                    return number
                if number:
                    others = [n for n in numbers if n != number]
                    if len(numbers) == 2 and len(others) == 1:
                        return others[0]
                    continue
                which = _ordinal(after) or (
                    _ordinal(sentence[max(0, verb.start() - 30) : verb.start()])
                    if _VERB_LAST.fullmatch(verb.group(0))
                    else None
                )
                if which is None:
                    continue
                if not keeps:
                    which = "second" if which == "first" else "first"
                if len(ranked) >= 2:
                    return ranked[0] if which == "first" else ranked[-1]
                return which
    return None


_CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|since|weil|wegen|porque|ya que|puesto que|debido a"
    r"|parce que|parce qu'|puisque|a cause (?:de|du|des)"
    r"|(?<!soon )(?<!such )(?<!same )(?<!well )(?<!just )(?<!long )(?<!far )"
    r"as(?= (?:i|we|my|it|the|our|i've|i'm|this|that)\b)"
    r"|(?:da|denn)(?= (?:ich|wir|mir|es|die|der|das|meine?)\b)"
    r"|car(?= (?:je|j'|nous|il|elle|c'|on|le|la|les|mon|ma|mes)\b))"
    r"\s*"
)
_SINCE_TIME = re.compile(
    r"(?:\d|yesterday|today|last|this|monday|tuesday|wednesday|thursday|friday|saturday|sunday|then|a |an |two"
    r"|three|several|days|weeks|ages|hours)"
)
_REASON_PHRASES = re.compile(
    r"changed my mind|change of mind|found it cheaper|cheaper elsewhere|by mistake|by accident|accidentally"
    r"|ordered the wrong|wrong size|wrong colou?r|no longer need|(?:don't|do not|dont) need|too expensive"
    r"|takes too long|too long|anders uberlegt|nicht mehr|versehentlich|aus versehen|falsche grosse"
    r"|por error|por equivocacion|me equivoque|cambie de opinion|ya no|mas barato|par erreur|change d'avis"
    r"|moins cher|plus besoin"
)


_CLAUSE_END = re.compile(r"[.!?;,(]|\n\s*\n|$")


def _clause(text: str, start: int, end: int, *, whole: bool = True) -> str:
    """The clause around text[start:end] (from `start` when not `whole`), across hard-wrapped lines,
    on one line, at most 120 characters."""
    begin = start
    if whole:
        blank = text.rfind("\n\n", 0, start)
        begin = max(max(text.rfind(c, 0, start) for c in ".!?;,(") + 1, blank + 2 if blank >= 0 else 0)
    stop = _CLAUSE_END.search(text, end)
    return " ".join(text[begin : stop.start() if stop else len(text)].split())[:120]


def find_reason(text: str) -> str | None:
    """The customer's own words for why: the clause after "because"/"weil"/"porque"/"parce que"/…,
    else the clause holding a stock reason ("changed my mind", "ordered by mistake")."""
    masked = _mask(text)
    folded = fold(masked)
    for m in _CAUSE.finditer(folded):
        if folded[m.start() : m.start() + 5] == "since" and _SINCE_TIME.match(folded, m.end()):
            continue
        clause = _clause(masked, m.end(), m.end(), whole=False)
        if len(clause) >= 3:
            return clause
    p = _REASON_PHRASES.search(folded)
    return _clause(masked, p.start(), p.end()) if p else None


# ---------------------------------------------------------------- the stage


def extract(msg: ParsedMessage, intents: Sequence[str], settings: ExtractSettings, now: datetime) -> Extraction:
    """Everything a reply may need from one (redacted) message; intent-specific parts only when asked."""
    text = msg.new_text
    both = f"{msg.subject}\n{text}"
    numbers = find_order_numbers(msg.subject, settings.order_patterns)
    numbers += [n for n in find_order_numbers(text, settings.order_patterns) if n not in numbers]
    address = find_address(text) if "address_fix" in intents else None
    return Extraction(
        order_numbers=tuple(numbers),
        emails=find_emails(msg, settings.own_addresses),
        name=find_name(msg),
        country=find_country(text, address),
        order_time=find_order_time(both, now),
        address=address,
        keep_order=find_keep_order(text, numbers, settings.order_patterns) if "duplicate" in intents else None,
        reason=find_reason(text) if {"cancel", "refund"} & set(intents) else None,
    )


# ---------------------------------------------------------------- what is still missing

DEFAULT_REQUIRED: dict[str, tuple[str, ...]] = {
    "cancel": ("order_number", "checkout_email", "full_name", "country", "order_time", "reason"),
    "duplicate": ("order_numbers", "keep_order"),
    "address_fix": ("order_number", "current_address", "corrected_address"),
    "refund": ("order_number", "checkout_email"),
}

KNOWN_DETAILS: tuple[str, ...] = (
    "order_number",
    "order_numbers",
    "checkout_email",
    "full_name",
    "country",
    "order_time",
    "reason",
    "keep_order",
    "current_address",
    "corrected_address",
)


def _has(detail: str, ex: Extraction, match: OrderMatch) -> bool:
    order = match.order
    if detail == "order_number":
        return bool(ex.order_numbers) or order is not None
    if detail == "order_numbers":
        known = set(ex.order_numbers) | ({order.number} if order else set())
        return len(known) >= 2
    if detail == "checkout_email":
        return bool(ex.emails) or bool(order and order.email)
    if detail == "full_name":
        return bool(ex.name) or bool(order and order.customer_name)
    if detail == "country":
        return bool(ex.country) or bool(order and order.country)
    if detail == "order_time":
        return bool(ex.order_time) or bool(order and order.created_at)
    if detail == "reason":
        return bool(ex.reason)
    if detail == "keep_order":
        return bool(ex.keep_order)
    if detail == "current_address":
        return order is not None  # the shop's order record holds the address it ships to
    if detail == "corrected_address":
        return bool(ex.address)
    return False  # an unknown name is never satisfied: the config asked for it


def missing_details(
    intents: Sequence[str],
    extraction: Extraction,
    match: OrderMatch,
    required: dict[str, tuple[str, ...]] = DEFAULT_REQUIRED,
) -> tuple[str, ...]:
    """Safe details the reply must still ask for; what the message or the matched order gave is not."""
    out: list[str] = []
    for intent in intents:
        for detail in required.get(intent, ()):
            if detail not in out and not _has(detail, extraction, match):
                out.append(detail)
    return tuple(out)
