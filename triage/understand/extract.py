"""Extraction: the facts a reply needs (order numbers, emails, name, country, time, address, …).

Works on the redacted subject and new text only, so quoted history cannot
leak old order numbers into a new request, and redaction markers such as
`[card •••• 1111]` are blanked before any number is read. The country and the corrected address
are found by triage.understand.countries and the order time by triage.understand.when; both are re-exported here.
Bare numbers after a request ("can u cancel 2291?") are only candidates, found by
triage.understand.bare_numbers and confirmed or not by the order book at the match stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from triage.records import Extraction, OrderMatch, ParsedMessage
from triage.settings import DEFAULT_ORDER_PATTERNS, DEFAULT_REQUIRED, ExtractSettings
from triage.text import EMAIL, SENTENCES, SIGNOFF, TextForms, forms, wordset
from triage.understand.bare_numbers import find_bare_numbers
from triage.understand.countries import find_address, find_country
from triage.understand.when import find_order_time

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


def find_order_numbers(text: str | TextForms, patterns: Sequence[str] = DEFAULT_ORDER_PATTERNS) -> list[str]:
    """Order numbers in `text`, canonical, in order of appearance, each once.

    Two routes: a configured pattern anywhere ("#1042"), unless the nearest cue
    before it names a decoy ("tracking #…", "apt #…"); or a number right after
    an order word in EN/DE/ES/FR ("order no. 1042", "Bestellung 1042",
    "commande n° 1042", "orders 1042 and 1043"), which must fit a pattern.
    Neither takes a number followed by a decimal, date, time, currency or
    another digit group.
    """
    view = forms(text)
    masked, folded = view.masked, view.masked_folded
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


@lru_cache(maxsize=1024)  # validation costs ~0.1 ms, and a customer's and the shop's addresses recur
def normalize_email(candidate: str) -> str | None:
    """A valid address lower-cased, or None; never a DNS lookup (works offline)."""
    try:
        return validate_email(candidate.strip().strip(".<>"), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def find_emails(msg: ParsedMessage, own: Sequence[str] = (), text: TextForms | None = None) -> tuple[str, ...]:
    """Customer addresses: From, Reply-To, then any in the subject and new text; the shop's own left out.

    `text` is the forms of subject and new text joined by a line break, when the caller has them.
    """
    headers = [EMAIL.search(h) for h in (msg.from_addr, msg.reply_to or "")]
    candidates = [h.group(0) for h in headers if h]
    candidates += (text or TextForms.of(f"{msg.subject}\n{msg.new_text}")).emails
    out: list[str] = []
    for c in candidates:
        addr = normalize_email(c) if c else None
        if addr and addr not in out and not _is_own(addr, own):
            out.append(addr)
    return tuple(out)


# ---------------------------------------------------------------- names


_PARTICLES = wordset("van von der den de da del della di du la le ten ter y zu bin al")
_NOT_NAMES = wordset(
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
        signoff = SIGNOFF.match(lines[i])
        if signoff:
            tail = [signoff.group(1)] + [ln for ln in lines[i + 1 : i + 3] if ln.strip()]
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


# ---------------------------------------------------------------- keep, reason

_KEEP = re.compile(
    r"\b(?:keep|hold on to|behalten|behalte|mantener|mantengan|qued\w* con|guard(?:ar|en|ad)|conserv\w*|gard(?:er|ez|e)"
    r"|retain)\b"
)
_CANCEL = re.compile(
    r"\b(?:cancel\w*|delete|remove|storn\w*|loschen|zuruckziehen|elimin\w*|anul\w*|annul\w*|supprim\w*)\b"
)
_VERB_LAST = re.compile(r"behalten|behalte|storn\w*|loschen|zuruckziehen")  # German puts the verb after the number
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


def find_kept_in_pair(text: str | TextForms, numbers: Sequence[str], patterns: Sequence[str]) -> str | None:
    """The order kept where one sentence keeps one number and cancels another ("keep #1 and cancel #2",
    "behalten Sie die 1, stornieren Sie die 2"): read from a message that is only a cancel by its words."""
    folded = forms(text).masked_folded
    for sentence in SENTENCES.split(folded):
        if _KEEP.search(sentence) and _CANCEL.search(sentence):
            kept = find_keep_order(sentence, numbers, patterns)
            if kept and kept not in ("first", "second", "both"):
                return kept
    return None


def find_keep_order(text: str | TextForms, numbers: Sequence[str], patterns: Sequence[str]) -> str | None:
    """Which of two duplicate orders to keep: a number, "first", "second" or "both".

    "cancel #1043" keeps the other one; "keep the first one" names the older,
    which with sequential shop numbers is the lower of two numbers mentioned.
    """
    ranked = sorted(numbers, key=lambda n: (len(n), n))
    for sentence in SENTENCES.split(forms(text).masked_folded):
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
    r"|parce que|parce qu'|puisque|a cause (?:de|du|des)|vu que|etant donne que|dado que|now that|nachdem"
    r"|(?:(?<![^\n.!?¡¿])|(?<=[\n.!?¡¿] ))como(?= (?:ya|no|me|lo|la|he|ha|tengo|mi|el|nos)\b)"
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
# Reasons as shapes, in EN/DE/ES/FR: found elsewhere or cheaper, someone already bought it, no longer
# needed, ordered twice, the wrong size or colour, too late, a changed mind.
_REASON_PHRASES = re.compile(
    # found elsewhere / cheaper
    r"\b(?:found|got|bought|seen|saw|spotted)\b[^.!?\n]{0,40}?\b(?:elsewhere|somewhere else|cheaper|locally|near me"
    r"|(?:in|at|from|on)\s+(?:a|an|another|my local)\s+(?:\w+\s+)?(?:shop|store|site|seller|market|website))"
    r"|cheaper|better (?:price|deal)|woanders|anderswo|anderweitig|gunstiger|billiger"
    r"|in einem (?:anderen )?(?:laden|geschaft)"
    r"|en otr[oa] (?:sitio|tienda|lado|parte|web)|mas barat|mejor precio|ailleurs|moins cher|meilleur prix"
    r"|dans un (?:autre )?magasin|sur un autre site"
    # someone (or I) already has it
    r"|\balready\s+(?:\w+\s+)?(?:bought|got|ordered|purchased|received|gave|gifted|owns?"
    r"|ha(?:ve|s|d)\s+(?:one|it|this|that|the same|them))\b"
    r"|\b(?:schon|bereits)\s+(?:\w+\s+){0,3}(?:gekauft|bestellt|geschenkt|bekommen|besorgt)\b"
    r"|\bya\s+(?:\w+\s+){0,2}(?:compr|regal|ten|recib|encarg)\w*|\bdeja\s+(?:\w+\s+){0,2}(?:achet|command|offert|recu)\w*"
    # no longer needed or wanted
    r"|no longer (?:need|want)|(?:don't|do not|dont|won't|will not) (?:need|want)|not need\w* (?:it )?any ?more"
    r"|nicht mehr|brauche\w* (?:\w+ )?nicht|kein(?:en)? bedarf|ya no|no (?:lo |la |los |las )?necesit"
    r"|plus besoin|n'en (?:ai|avons) (?:plus|pas) besoin|n'en veux plus"
    # ordered twice
    r"|twice|two times|double[ -]?(?:order|ordered|booked|paid)|duplicate|doppelt|zweimal|zwei mal"
    r"|dos veces|duplicad|repetid|deux fois|en double|doublon"
    # wrong item, size or colour; a mistake
    r"|by mistake|by accident|accidentally|ordered the wrong|wrong (?:size|colou?r|item|model|product|one)"
    r"|versehentlich|aus versehen|falsche\w* (?:gro(?:ss|ß)e|farbe|artikel|modell)|vertan"
    r"|por error|por equivocacion|me equivoque|(?:talla|color|tamano|modelo) (?:equivocad|incorrect)\w*"
    r"|par erreur|(?:mauvaise?|erreur de) (?:taille|couleur|article|modele)|me suis trompe"
    # too late or too slow
    # ("is it too late?" asks, with or without its question mark)
    r"|(?<!is it )(?<!is it already )too late|takes too long|too long"
    r"|(?:won't|will not|wouldn't|not) (?:\w+ ){0,2}(?:arrive|make it|be here|come) in time"
    r"|(?<!ist es )(?<!ist es schon )(?<!ist es bereits )zu spat|zu lange|nicht rechtzeitig|demasiado tarde"
    r"|tarda\w* demasiado|no llega\w* a tiempo|(?<!est-il )(?<!est-ce )trop tard|trop long"
    r"|n'arrivera pas a temps"
    # a changed mind or plans
    r"|changed my mind|change of (?:mind|plans?)|second thoughts|too expensive|anders uberlegt|umentschieden"
    r"|cambi\w* de (?:opinion|idea|planes)|pensado mejor|change d'avis|change d'idee|trop cher"
)


_CLAUSE_END = re.compile(r"[.!?;,(]|\s[-–—]\s|\n\s*\n|$")


def _clause(text: str, start: int, end: int, *, whole: bool = True) -> str:
    """The clause around text[start:end] (from `start` when not `whole`), across hard-wrapped lines,
    on one line, at most 120 characters."""
    begin = start
    if whole:
        blank = text.rfind("\n\n", 0, start)
        dash = max(text.rfind(f" {c} ", 0, start) for c in "-–—")
        begin = max(
            max(text.rfind(c, 0, start) for c in ".!?;:,(") + 1,
            dash + 3 if dash >= 0 else 0,
            blank + 2 if blank >= 0 else 0,
        )
    stop = _CLAUSE_END.search(text, end)
    return " ".join(text[begin : stop.start() if stop else len(text)].split())[:120]


def find_reason(text: str | TextForms) -> str | None:
    """The customer's own words for why: the clause after "because"/"weil"/"porque"/"parce que"/…,
    else the clause holding a stock reason ("changed my mind", "ordered by mistake")."""
    view = forms(text)
    masked, folded = view.masked, view.masked_folded
    for m in _CAUSE.finditer(folded):
        if folded[m.start() : m.start() + 5] == "since" and _SINCE_TIME.match(folded, m.end()):
            continue
        clause = _clause(masked, m.end(), m.end(), whole=False)
        if len(clause) >= 3:
            return clause
    for p in _REASON_PHRASES.finditer(folded):
        if _in_question(folded, p.start(), p.end()):
            continue  # "is it too late to cancel?" asks; it gives no reason
        return _clause(masked, p.start(), p.end())
    return None


def _in_question(folded: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands in a clause that ends with "?" or opens with "¿" (a clause ends at
    . ! ? ; : , a line break or a spaced dash: "by mistake - can I still cancel?" gives its reason)."""
    after = _QUESTION_END.search(folded, end)
    begin = max(folded.rfind(c, 0, start) for c in ".!?;:,\n")
    return bool(after and after.group() == "?") or "¿" in folded[begin + 1 : start]


_QUESTION_END = re.compile(r"[.!?;:,\n]|\s[-–—]\s")


# ---------------------------------------------------------------- the stage


def extract(msg: ParsedMessage, intents: Sequence[str], settings: ExtractSettings, now: datetime) -> Extraction:
    """Everything a reply may need from one (redacted) message; intent-specific parts only when asked.

    The subject and the new text are folded and masked once here, and every extractor reads those forms.
    """
    subject = TextForms.of(msg.subject)
    text = TextForms.of(msg.new_text)
    both = subject.join(text)
    numbers = find_order_numbers(subject, settings.order_patterns)
    numbers += [n for n in find_order_numbers(text, settings.order_patterns) if n not in numbers]
    candidates = find_bare_numbers(subject, settings.order_patterns, numbers)
    candidates += [n for n in find_bare_numbers(text, settings.order_patterns, numbers) if n not in candidates]
    address = find_address(text) if "address_fix" in intents else None
    return Extraction(
        order_numbers=tuple(numbers),
        candidate_numbers=tuple(candidates),
        emails=find_emails(msg, settings.own_addresses, both),
        name=find_name(msg),
        country=find_country(text, address),
        order_time=find_order_time(both, now),
        address=address,
        keep_order=find_keep_order(text, [*numbers, *candidates], settings.order_patterns)
        if "duplicate" in intents
        else find_kept_in_pair(text, [*numbers, *candidates], settings.order_patterns)
        if "cancel" in intents
        else None,
        reason=find_reason(text) if {"cancel", "refund"} & set(intents) else None,
    )


# ---------------------------------------------------------------- what is still missing


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
            if detail == "reason" and "duplicate" in intents:
                continue  # an order placed twice is the reason for cancelling one of them
            if detail not in out and not _has(detail, extraction, match):
                out.append(detail)
    return tuple(out)
