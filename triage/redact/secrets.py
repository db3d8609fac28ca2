"""The values behind cue words: CVV, expiry, bank account and password (incl. PIN, one-time code, seed phrase).

A value is only read right behind its cue ("CVV 123", "password is hunter2", "sort code 12-34-56"),
or, for CVV and expiry, chained right after a card number ("4111 1111 1111 1111 12/29 123").
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from triage.records import Finding
from triage.redact.cards import card_after_word, card_word_in
from triage.redact.cues import find_cues
from triage.redact.gaps import (
    APART_KINDS,
    clause_value,
    expiry_in_words,
    password_phrase,
    secret_after_login,
    value_before,
    value_in_cells,
    value_next_line,
    whole_token,
)
from triage.redact.iban import iban_without_country
from triage.redact.spelled import spelled_value

# "password for my account is", "Passwort: ", "mot de passe : ", "PIN is now"
_GAP: Final = (
    r"(?:\s+(?:for|of|to|on|für|fürs|beim|zu|de|du|do|da|di|pour|para|del|per|voor|van)\s+"
    r"(?:[^\s\d:=\ue000\"“”«».,;!?()\[\]{}]+(?:\s+|(?=[ \t]*[:=]))){0,3}?"
    r"|\s+(?:that\s+|which\s+)?(?:i|we|you|ich|wir|je|yo|nous)\s+(?:always\s+|usually\s+|normally\s+)?"
    r"(?:use|used|have|had|chose|set|type|verwende|benutze|nutze|habe|utilise|uso|tengo)\s+(?:\w+\s+){0,2}?"
    # "the same password everywhere: Fenster77"
    r"|\s+(?:everywhere|überall|partout|en\s+todas\s+partes|dappertutto|overal|em\s+todo\s+o\s+lado))?"
)
_SP: Final = r"[ \t]*(?:\n[ \t]*(?:\n[ \t]*)?)?"  # after a colon the value may sit on the next line or paragraph
_STRONG_RE: Final = re.compile(
    _GAP + r"""(?:[ \t]*\([^()\n\ue000]{1,24}\))?(?:["'”’»)\]*]{1,2})?[ \t]*(?:"""
    r"[:=]" + _SP + r"(?:(?:is|ist|est|es)[ \t]+)?"
    # ("to" only after Polish "hasło": "moje hasło to …"; "the password to log in" has no value)
    r"|(?P<narr>(?:is|was|are|ist|war|lautet|est|était|es|era|è|é|zijn|är|jest|(?<=[łl]o[ \t])to)"
    r"[ \t]*:?(?:[ \t]+|[ \t]*\n[ \t]*)"
    r"(?:(?:now|still|currently|actually|just|jetzt|nun|noch|maintenant|ahora|ora)[ \t]+)?)"
    r"|(?:changed|set|reset|updated|geändert|gesetzt|changé|cambiad[oa]|cambiata)[ \t]+(?:to|zu|auf|en|à|a)[ \t]+"
    # "the password, it's Blue$ky77", "la contraseña, es Sol#2020", "password -> Zebra!55", "PIN — it's 4321"
    r"|(?:,|[\-–—]+>?|=>)?[ \t]*(?:it'?s|it’s|it\s+is|c'est|c’est|es|ist)[ \t]+"
    r"|(?:->|=>|—|–)[ \t]*"
    r")",
    re.IGNORECASE,
)
_WEAK_RE: Final = re.compile(r"[ \t]*(?:[\-–][ \t]*)?(?:(?:number|nummer|no\.?|nr\.?)[ \t]*:?[ \t]*)?", re.IGNORECASE)
_QUOTED_RE: Final = re.compile(
    r"\"([^\"\n\ue000]{1,64})\"|'([^'\n\ue000]{1,64})'|“([^”\n\ue000]{1,64})”"
    r"|«\s?([^»\n\ue000]{1,64}?)\s?»|„([^“\n\ue000]{1,64})“"
)
_TOKEN_RE: Final = re.compile(r"[^\s\ue000]{1,128}")
_LIST_MARK_RE: Final = re.compile(r"\d{1,2}[.)]")
_HOLDS_DIGIT_RE: Final = re.compile(r"[0-9]")
_TRAIL_PUNCT: Final = ".,;:!?)]}>\"'»”"
_DIGIT_CODE_RE: Final = re.compile(
    r"(?<!\d)(\d{3}[ -]\d{3}|\d(?: \d){3,7}(?![ ]?\d)|\d{3,8})(?!\w|[/.,:]\d)"
)  # "123 456", "1 2 3 4"
_CVV_VALUE_RE: Final = re.compile(
    r"[\"']?\s*(?:\([^)\n]{1,12}\)\s*)?(?:[\-–—]?\s*(?:code|number|no\.?|nr\.?|nummer|num[ée]ro|n[úu]mero)\s*)?"
    r"[:=#\-–—]?\s*[\"'*(]{0,2}\s*(?:(?:is|ist|lautet|est|es|was|are|were|sind|lauten|son|sont|read|say|it'?s|it’s"
    r"|sono|è|zijn|são|é"
    r"|c'est)\s*:?\s*)?[\"'*(]{0,2}"
    # (a letter O or l read for a digit, in a code typed off a photo: "CVV: 3O7")
    r"(?<!\d)(\d{3,4}|(?=[OoIl]*\d[OoIl]*\d)[\dOoIl]{3}(?![\dOoIl])|\d(?:[ .\-]\d){2,3})(?!\w|[/.,:]\d)",
    re.IGNORECASE,
)
_MONTHS: Final = (
    r"jan|feb|m[äa]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]|ene|abr|ago|dic|d[ée]c|f[ée]v|avr|jui|ao[uû]"
)
_EXP_VALUE_RE: Final = re.compile(
    r"[)\]]?[\"']?\s*(?:(?:date|datum)\s*)?(?:\(\s*mm\s*/\s*yy(?:yy)?\s*\)\s*)?"
    r"(?:(?:der|die|of|de|la|du|your|my|the|meiner|ihrer|mi|ma|karte|card|tarjeta|carte)\b[ \t]*){0,3}"
    r"[:=\-–]?\s*[\"']?(?:(?:is|ist|on|am|le|el|en|im|in|at|is\s+on)\s*:?\s*)?(?:(?:the|le|la|el|dem|den)[ \t]+)?"
    r"(?P<v>(?<![\d/.\-])(?:20\d{2}\s?[/\-.]\s?(?:0?[1-9]|1[0-2])(?![\d/\-]|\.\d)"
    r"|(?:0?[1-9]|1[0-2])\s?[/\-.]\s?(?:20)?\d{2}|(?:0[1-9]|1[0-2])(?:20)?\d{2}|(?:0[1-9]|1[0-2])[ \t](?:20)?\d{2}"
    rf"|(?:{_MONTHS})[a-zäéû]*\.?(?:\s+de)?(?:\s+|\s?[/\-]\s?)(?:20)?\d{{2}}"
    r")(?![\d/]|[\-.]\d))",  # ("01-03-2027" is a whole date, no month and year)
    re.IGNORECASE,
)
# "Month 09, year 2028", "Monat 09, Jahr 2028": read from the start of the cue, which holds the month's digits.
_MONTH_YEAR_RE: Final = re.compile(
    r"(?i)(?:month|monat)[ \t]{0,2}:?[ \t]{0,2}"
    r"(?P<v>(?:0?[1-9]|1[0-2])[ \t]*[,/]?[ \t]*(?:year|yr|jahr)[ \t]*:?[ \t]*(?:20)?\d{2})(?![\d/])"
)
_EXP_BARE_RE: Final = re.compile(r"(?<![\d/.\-])(?:0?[1-9]|1[0-2])\s?/\s?(?:20)?\d{2}(?![\d/])")
_BANK_VALUE_RE: Final = re.compile(
    r"\s*(?:\(\w{1,10}\)\s*)?[:#=]?\s*(?:(?:is|ist|lautet|est|es|è|é|n[°º.]|no\.?|nr\.?)\s*:?\s*)?"
    r"(?<!\w)(\d(?:[ \-]?\d){4,33})(?!\d)",
    re.IGNORECASE,
)
_SEED_VALUE_RE: Final = re.compile(
    r"(?:\d{1,2}[.):]\s*)?[A-Za-z]{3,8}(?:[ \t,;\n]+(?:\d{1,2}[.):]\s*)?[A-Za-z]{3,8}){11,23}(?![A-Za-z])"
)
_CODES_VALUE_RE: Final = re.compile(
    r"(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,24}(?:[\s,;]+(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,24}){0,15}(?![A-Za-z0-9-])"
)
_LOGIN_PAIR_RE: Final = re.compile(
    r"\s*[:=]\s*[^\s/|\ue000]{1,64}\s*[/|]\s*"
    r"(?!(?:pw|pwd|pass|password|passwort|kennwort|pin)\b)([^\s\ue000]{1,128})",
    re.IGNORECASE,
)
# "the voucher is valid thru 12/29", "my passport expires in March 2027": a voucher, coupon, offer, document or
# contract in the sentence and no card: not a card's expiry.
_NOT_CARD_EXP_RE: Final = re.compile(
    r"(?i)\b(?:voucher|coupon|gutschein\w*|offer|angebot|promo\w*|discount|rabatt\w*|bon\s+d'achat|cup[óo]n|oferta"
    r"|korting\w*|cadeaubon\w*|actiecode|waardecode"
    r"|offre|warranty|garantie|garant[íi]a|subscription|abo\w*|ticket|membership|mitgliedschaft"
    r"|buono|offerta|garanzia|abbonamento|waardebon|tegoedbon|aanbieding|abonnement|vale|cup[ãa]o|cupom|oferta"
    r"|promo[çc][ãa]o|garantia|assinatura|produto|prodotto|product"
    # an identity document, a licence or a contract expires too
    r"|passport|reisepass|personalausweis|ausweis|pasaporte|passeport|carte\s+d'identit[ée]|licen[cs]e|lizenz"
    r"|f[üu]hrerschein|permis|dni|contract|vertrag|contrat|contrato|insurance|versicherung|assurance|trial)\b"
)
_JSON_VALUE_RE: Final = re.compile(r"[\"']?\s*[:=]\s*[\"']?\s*(\d{1,4})(?!\d)")
_CUSTOMER_BEFORE_RE: Final = re.compile(
    r"(?i)\b(?:customer|client|kunden|member|loyalty|mitglieds|shop|store|user|benutzer|cliente|fidélité)\s*$"
)
_BANK_CONTEXT_RE: Final = re.compile(
    r"(?i)\b(?:sort\s*code|routing|aba|bsb|transit|institution|bank\w*|iban|bic|swift|blz|wire|transfer"
    r"|überweisung|virement|transferencia|rib|clabe|acc(?:ount)?\s+holder|kontoinhaber)\b"
)
_ACCT_VALUE_RE: Final = re.compile(
    r"\s*(?:(?:number|no\.?|nr\.?|n[°º]|#)\s*)?[:#=]?\s*(?:(?:is|ist|est"
    r"|es)\s*:?\s*)?(?<!\w)(\d(?:[ \-]?\d){5,33})(?!\d)",
    re.IGNORECASE,
)
_CHANGED_BEFORE_RE: Final = re.compile(
    r"(?i)\b(?:changed|set|reset|updated|made|ge[äa]ndert|gesetzt|chang[ée]|modifi[ée]|cambi[ée]|cambiado|puesto)"
    r"\s+(?:\w+\s+){0,2}$"
)
_TO_RE: Final = re.compile(r"[ \t]+(?:to|zu|auf|en|à|a|in)[ \t]+:?[ \t]*", re.IGNORECASE)
_WEAK_WORDS_TEXT: Final = """
    reset manager change recovery help please field page link email policy requirements hint protected strength
    protection forgot forgotten expired expiry expires rules settings vault generator manager reuse security
    login sign update updates button box prompt request requested
"""
_WEAK_WORDS: Final = frozenset(_WEAK_WORDS_TEXT.split())
_POSTAL_PIN_RE: Final = re.compile(r"[1-9]\d{5}")
_NARRATIVE_RE: Final = re.compile(r"\b(?:is|was|ist|lautet|est|es|my|mein|meine|mon|ma|mi)\b", re.IGNORECASE)

# Words that follow "password is" in ordinary sentences about passwords, never a password itself.
_STOPWORDS_TEXT: Final = """
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
_STOPWORDS: Final = frozenset(_STOPWORDS_TEXT.split())
_COMMON_WORDS: Final = _STOPWORDS | _WEAK_WORDS  # what never runs a password on (password_phrase); built once


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
    if e < t.end() and text[e] in "!?" and _HOLDS_DIGIT_RE.search(text, s, e):
        while e < t.end() and text[e] in "!?":  # "Sommer2024!": a password's own "!", not the sentence's
            e += 1
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


def _card_context(text: str, start: int, end: int, cards: list[tuple[int, int]], sentences: Sentences) -> bool:
    """A card number or card word in the same sentence: what makes 12/29 an expiry and not a coupon date.

    `cards` is sorted and non-overlapping; each sentence is searched for card words once.

    First the common case without the sentence bounds ("card 4111 … exp 12/29"): a card starting at most 160
    characters before `start` with no sentence end from the card's start to `start` is in start's sentence.
    (The search stops at `start`, so it finds every end there and maybe more: a `.` before `start` that only
    blanks follow up to it counts as one. No end match begins before the card and reaches into it: each
    begins with `.!?` or a line break and the card with a digit. tests/test_redact_equivalence.py holds
    both ways equal.)
    """
    i = bisect.bisect_right(cards, (start, len(text)))
    if i and start - cards[i - 1][0] <= 160 and not _SENTENCE_END_RE.search(text, cards[i - 1][0], start):
        return True
    return _card_context_by_sentence(text, start, end, cards, sentences)


def _card_context_by_sentence(
    text: str, start: int, end: int, cards: list[tuple[int, int]], sentences: Sentences
) -> bool:
    """_card_context from the sentence bounds: a card overlapping the sentence, else a card word in it."""
    lo = sentences.start(start)
    hi = sentences.end(end)
    i = bisect.bisect_right(cards, (lo, len(text)))  # first card starting after lo
    if (i and cards[i - 1][1] > lo) or (i < len(cards) and cards[i][0] < hi):
        return True
    key = (lo, hi)
    if key not in sentences.card_word:
        sentences.card_word[key] = card_word_in(text, lo, hi)
    return sentences.card_word[key]


def find_cued(
    text: str,
    cards: list[tuple[int, int]],
    sentences: Sentences | None = None,
    windows: list[tuple[int, int]] | None = None,
) -> list[Finding]:
    """The values behind every cue word in `text`; `sentences`: text's bounds, when the caller shares them;
    `windows`: where the prescan found cue words (None: look everywhere)."""
    out: list[Finding] = []
    sentences = sentences or Sentences(text)
    for kind, cue_start, pos in find_cues(text, windows):
        found = len(out)
        # "<td>Kennwort</td><td>Bodensee!19</td>": the value in the element after the cue's own
        tag = _TAG_GAP_RE.match(text, pos) if kind in _ELSEWHERE_KINDS and "<" in text[pos : pos + 8] else None
        if tag is not None and (span := _value_in_tag(text, kind, tag.end())):
            out.append(Finding(_ELSEWHERE_KINDS[kind], *span))
            continue
        if kind == "cvv" and _LAST_DIGITS_RE.search(text, max(0, cue_start - 12), cue_start):
            continue  # "the last 3 digits": of a number shown anyway
        if kind in APART_KINDS and (span := _apart(text, kind, cue_start, pos, sentences, cards)):
            out.append(Finding(APART_KINDS[kind], *span))  # "my CVV, as requested, is 123"
            continue
        if kind == "cvv":
            v = _CVV_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("card_cvv", *v.span(1)))
            elif spelled := spelled_value(text, pos, 3, 4):  # "cvv is one two three"
                out.append(Finding("card_cvv", *spelled))
        elif kind == "sec":
            v = _CVV_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("card_cvv", *v.span(1)))
                continue
            if spelled := spelled_value(text, pos, 3, 4):
                out.append(Finding("card_cvv", *spelled))
                continue
            span = _code_value(text, pos)
            if span and span[1] - span[0] >= 5:
                out.append(Finding("password", *span))
        elif kind == "exp":
            by_fields = text[cue_start : cue_start + 3].lower() == "mon"  # "Month 09, year 2028": the cue holds 09
            v = _MONTH_YEAR_RE.match(text, cue_start) if by_fields else _EXP_VALUE_RE.match(text, pos)
            if not v:
                words = expiry_in_words(text, cue_start, pos)  # "caduca en diciembre del 29"
                if words and (
                    _card_context(text, words[0], words[1], cards, sentences)
                    or not (words[2] or _not_card_expiry(text, words[:2], sentences, cards))
                ):
                    out.append(Finding("card_expiry", words[0], words[1]))
                else:
                    _before(text, kind, cue_start, pos, out, sentences, cards)  # "12/28 is the expiry"
                continue
            s, e = v.span("v")
            card = _card_context(text, s, e, cards, sentences)
            if not card and _NOT_CARD_EXP_RE.search(text, sentences.start(cue_start), sentences.end(e)):
                continue  # a voucher's or an offer's date
            # An expiry cue with a month and year after it is a card's, unless a voucher or an offer is the
            # sentence's subject (above): "expires 12/27" alone is still card data someone pasted.
            out.append(Finding("card_expiry", s, e))
        elif kind == "expjson":
            v = _JSON_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("card_expiry", *v.span(1)))
        elif kind == "bank":
            if _CUSTOMER_BEFORE_RE.search(text, max(0, cue_start - 24), cue_start):
                continue  # "customer account #58213": the shop's own reference
            v = _BANK_VALUE_RE.match(text, pos)
            if v:
                out.append(Finding("bank_account", *whole_token(text, *v.span(1))))
        elif kind == "acct":
            # A bare "account 12345678" is a bank account beside a routing number, sort code, BSB, "bank"...
            if _CUSTOMER_BEFORE_RE.search(text, max(0, cue_start - 24), cue_start):
                continue
            v = _ACCT_VALUE_RE.match(text, pos)
            short = text[cue_start:pos].lower().startswith("acc") and len(text[cue_start:pos]) <= 4
            if v and (short or _BANK_CONTEXT_RE.search(text, max(0, cue_start - 120), min(len(text), v.end() + 60))):
                out.append(Finding("bank_account", *whole_token(text, *v.span(1))))
        elif kind == "banklogin":
            # An online-banking user name or login is half of a bank login: removed like a password.
            c = _STRONG_RE.match(text, pos)
            if c:
                span = _token_value(text, c.end(), need_mixed=False)
            else:  # after a bare label, a token with a digit ("online banking customer number 12345678")
                w = _WEAK_RE.match(text, pos)
                span = _token_value(text, w.end(), need_mixed=False) if w else None
                if span and not (
                    span[1] - span[0] >= 4
                    and (any(ch.isdigit() for ch in text[span[0] : span[1]]) or _ID_LIKE_RE.fullmatch(text, *span))
                ):
                    span = None  # ("VR-Kennung devries_jan": a user name with a dot or underscore is one too)
            if span:
                cue = text[cue_start:pos].lower()
                out.append(Finding("password" if cue.endswith(_SECRET_CUE_ENDS) else "login", *span))
                if more := secret_after_login(text, span[1]):  # "… : 0612345678 et code 482911"
                    out.append(Finding("password", *more))
        elif kind == "code" and not _bare_code_ok(text, cue_start, pos):
            continue  # "zip code: 10115", "error code: 404": a bare "code:" after another word is that word's
        elif kind in ("pin", "otp", "code"):
            # ("code": a bare "the code is", only digits: "the code is SUMMER20" is a discount's)
            span = _code_value(text, pos, allow_token=kind != "code", weak_min=_weak_min(text, kind, cue_start))
            if span is None:
                if spelled := spelled_value(text, pos, 4, 8):  # "my PIN is four three two one"
                    out.append(Finding("password", *spelled))
                elif kind != "code" and not _before(text, kind, cue_start, pos, out, sentences, cards):
                    _value_elsewhere(text, kind, cue_start, pos, out)
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
            adj = _PW_ADJ_AFTER_RE.match(text, pos)
            at = adj.end() if adj else pos  # "contraseña antigua soleil-2025": the value after the adjective
            c = _STRONG_RE.match(text, at)
            if c is None and _CHANGED_BEFORE_RE.search(text, max(0, cue_start - 40), cue_start):
                c = _TO_RE.match(text, at)  # "I changed my password to Bluebird7"
            if c and "phrase" in text[cue_start:pos].lower():
                span = _phrase_value(text, c.end())  # "passphrase: correct horse battery staple"
            elif c:
                narr = c.groupdict().get("narr") is not None
                span = _token_value(text, c.end(), need_mixed=False, narrative=narr)
            else:
                w = _WEAK_RE.match(text, at)
                span = _weak_password(text, w.end()) if w and w.end() > at else None
            if span is None:
                span = _value_on_next_line(text, cue_start, pos)
            elif not (c and "phrase" in text[cue_start:pos].lower()):
                span = password_phrase(text, span, _COMMON_WORDS)  # "pw: hunter2 hunter2"
            if span:
                out.append(Finding("password", *span))
                _login_before(text, cue_start, out)
                if new := _new_after_old(text, span[1]):
                    out.append(Finding("password", *new))
        elif kind == "answer":
            if span := _answer_value(text, cue_start, pos):
                out.append(Finding("password", *span))
        elif kind == "pwverb":
            g = _BLANKS_RE.match(text, pos)
            span = _token_value(text, g.end(), need_mixed=True) if g else None
            if span and "@" not in text[span[0] : span[1]]:
                out.append(Finding("password", *span))
        elif kind == "urlcreds":
            if u := _URL_CREDS_RE.match(text, cue_start):
                out.append(Finding("login", *u.span(1)))
                out.append(Finding("password", *u.span(2)))
        elif kind == "cardno":
            if typed := card_after_word(text, cue_start):
                out.append(Finding("card_number", *typed))
        elif kind == "ibancc":
            if iban := iban_without_country(text, cue_start, pos):
                out.append(iban)
        elif kind == "bankid":
            v = _BANK_ID_RE.match(text, pos)
            if v and _CUSTOMER_LABEL_RE.search(text, max(0, cue_start - 48), cue_start):
                out.append(Finding("login", *v.span(1)))
        elif kind == "sent":
            span = _sent_code(text, pos)
            if span:
                out.append(Finding("password", *span))
        elif kind == "bytext":
            span = _code_by_text(text, cue_start, pos)
            if span:
                out.append(Finding("password", *span))
        elif kind == "login":
            if text[cue_start:pos].lower() in _PAIR_HEADINGS and (pair := _creds_pair(text, pos)):
                out.extend(pair)  # "creds jmueller84/Roma_Caput9"
                continue
            v = _LOGIN_PAIR_RE.match(text, pos)
            if v:
                s, e = v.span(1)
                while e > s and text[e - 1] in _TRAIL_PUNCT:
                    e -= 1
                if e > s and text[s:e].lower() not in _STOPWORDS:
                    out.append(Finding("password", *password_phrase(text, (s, e), _COMMON_WORDS)))
            span = _login_value(text, cue_start, pos)
            if span:
                out.append(Finding("login", *span))
                if more := secret_after_login(text, span[1]):
                    out.append(Finding("password", *more))
        if (
            len(out) == found
            and kind in _ELSEWHERE_KINDS
            and not _before(text, kind, cue_start, pos, out, sentences, cards)
        ):
            _value_elsewhere(text, kind, cue_start, pos, out)
        if kind == "pw" and (before := _password_before(text, cue_start, pos)):
            out.append(Finding("password", *before))  # "Sunshine99 is my password"
    return out


def _apart(
    text: str, kind: str, cue_start: int, pos: int, sentences: Sentences, cards: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """A value behind a clause after its cue, or in the cell after or under it (see gaps); an expiry not a
    voucher's."""
    span = clause_value(text, kind, pos) or value_in_cells(text, kind, cue_start, pos)
    if span and kind == "exp" and _not_card_expiry(text, span, sentences, cards):
        return None
    return span


def _before(
    text: str,
    kind: str,
    cue_start: int,
    pos: int,
    out: list[Finding],
    sentences: Sentences,
    cards: list[tuple[int, int]],
) -> bool:
    """A value named before its cue ("419 es el código de seguridad") or alone on the line after it, into `out`;
    whether there was one."""
    span = value_before(text, kind, cue_start) if kind in APART_KINDS else None
    if span is None and kind in APART_KINDS:
        span = value_next_line(text, kind, cue_start, pos)  # "PIN\n7301"
    if span is None or (kind == "exp" and _not_card_expiry(text, span, sentences, cards)):
        return False
    out.append(Finding(APART_KINDS[kind], *span))
    return True


def _not_card_expiry(text: str, span: tuple[int, int], sentences: Sentences, cards: list[tuple[int, int]]) -> bool:
    """A voucher's or an offer's date, with no card in its sentence."""
    return not _card_context(text, *span, cards, sentences) and bool(
        _NOT_CARD_EXP_RE.search(text, sentences.start(span[0]), sentences.end(span[1]))
    )


# "my password doesn't work", "passcode won't", "password isn't accepted": English contractions are words.
_CONTRACTION_RE: Final = re.compile(r"(?i)[a-z]+(?:n['’]t|['’](?:s|re|ll|ve|d|m))")


def _weak_password(text: str, pos: int) -> tuple[int, int] | None:
    """The token after a bare "password": letters and digits, or a word that is not a common one."""
    span = _token_value(text, pos, need_mixed=False)
    if span is None:
        return None
    word = text[span[0] : span[1]]
    if any(c.isdigit() for c in word) and len(word) >= 4:
        return span
    if word.lower() in _WEAK_WORDS or len(word) < 5 or _CONTRACTION_RE.fullmatch(word):
        return None
    # "password Sunshine", "Passwort qwertz!": a capitalised or odd word right after a bare cue.
    return span if (word[0].isupper() and word[1:].islower()) or not word.isalpha() or not word.islower() else None


_LOGIN_LABEL_RE: Final = re.compile(
    r"(?i)\b(?:user(?:\s?name|[\s-]?id)?|login(?:\s+id)?|benutzer(?:name|kennung)?|nutzer(?:name|kennung)?"
    r"|anmeldename|username|identifiant|nom\s+d'utilisateur|(?:nombre\s+de\s+)?usuario|e-?mail)\s*[:=]?\s*"
    r"([^\s\ue000:=,;]{2,64})\s*[,;/|]?\s*(?:and\s+|und\s+|et\s+|y\s+)?$"
)


# A word each alternative of _LOGIN_LABEL_RE's label contains (benutzer: nutzer, nom d'utilisateur: utilisateur).
_LOGIN_LABEL_WORDS: Final = ("user", "login", "nutzer", "anmeldename", "identifiant", "utilisateur", "usuario", "mail")


def _login_before(text: str, cue_start: int, out: list[Finding]) -> None:
    """`user: jdoe88 pass: S3cret!`: the user name right before a password goes with it (a bank login).

    The search ends at the cue, so it tries every start in the 80 characters before it: first a cheap test
    that one of the label's words is there at all (case-folded as IGNORECASE matches: "ſ", "ı", "İ", "K")."""
    lo = max(0, cue_start - 80)
    low = text[lo:cue_start].casefold().replace("ı", "i").replace("i\u0307", "i")
    if not any(w in low for w in _LOGIN_LABEL_WORDS):
        return
    m = _LOGIN_LABEL_RE.search(text, lo, cue_start)
    if m and ("@" not in m.group(1) or _bank_named(text, m.start(), cue_start)):
        out.append(Finding("login", *m.span(1)))


# What a user name label reads as the start of its sentence's subject, never a value ("Login page doesn't
# load", "user name: same as my e-mail"), beside the password stopwords and weak words.
_LOGIN_NOT_VALUE_TEXT: Final = """
    same taken unique visible shown displayed private public available unavailable valid active inactive
    disabled enabled deleted greyed problem problems issue issues error screen form details data attempt
    attempts failed fails failing works worked working process name names id ids via with mit avec con
    information info field credentials
"""
_LOGIN_NOT_VALUE: Final = frozenset(_LOGIN_NOT_VALUE_TEXT.split())
# Labels that name a login event or page as often as a user name ("login", "user"): after them a value
# must look like an ID (digits, or letters with digits, dots or underscores), not a plain word.
_EVENT_LABEL_RE: Final = re.compile(
    r"(?i)log[\s-]?in|user|usuario|benutzer|identifiant|gebruikersnaam|(?:codice|nome)\s+utente|utilizador"
    r"|nome\s+de\s+utilizador|nome\s+de\s+usu[áa]rio|usu[áa]rio"
)
_WEAK_ID_RE: Final = re.compile(r"[ \t]+([A-Za-z0-9][\w.\-]{2,63}?)(?=[.,;:!?)]*(?:\s|$))")
_ID_LIKE_RE: Final = re.compile(r"(?=[^\s]*[\d._])[^\s]*[A-Za-z][^\s]*|\d{6,}")
_ORDER_GAP_RE: Final = re.compile(
    r"(?i)order|commande|pedido|bestell|tracking|colis|paket|sendung|invoice|factur|rechnung"
)
_SECRET_CUE_ENDS: Final = ("pass", "password", "passwort", "pin")
_NOT_ID_END: Final = ("ed", "ing", "ly")


def _bank_named(text: str, lo: int, hi: int) -> bool:
    """Whether a bank is named near [lo, hi) (the clause, and a heading a few lines up: "Online banking:\n
    username: …"): an e-mail address used as a user name there is a bank login, while elsewhere it is how
    the shop finds the customer and stays. (A fixed window, not the sentence: no sentence scan for this.)"""
    near = text[max(0, lo - 160) : hi + 80].lower()
    return "bank" in near or "banc" in near or "banque" in near


def _login_value(text: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """The user name or login ID after its label ("username: jsmith88", "Benutzername: mmustermann", "login
    jsmith88", "my user ID is JSMITH1980"): removed like a password, since with it half a login is known.

    A label with a colon, "=" or "is" takes one token that is no common word; a label with only a blank
    after it ("login jsmith88") takes only an ID-like token, so "login page", "log in to my account" and
    "I forgot my login" keep every word. An e-mail address stays unless the sentence names a bank."""
    label = text[cue_start:pos]
    low_label = label.lower()
    if low_label in _PAIR_HEADINGS:
        return None  # a heading for what follows, each part with its own label
    if cue_start > 1 and text[cue_start - 1] in "_-" and text[cue_start - 2].isalnum():
        return None  # part of a longer name ("hash_user=…", "X-MC-User: …"): a parameter or a header
    c = _STRONG_RE.match(text, pos)
    if c is not None and c.end() - pos > 8 and _ORDER_GAP_RE.search(text, pos, c.end()):
        return None  # "identifiant de commande : 12345": an order's, not a login's
    if c is not None:
        narr = c.groupdict().get("narr") is not None
        span = _token_value(text, c.end(), need_mixed=False, narrative=narr)
        need_id = narr and _EVENT_LABEL_RE.fullmatch(label) is not None
    else:  # only a blank: the ID itself must follow, a word bounded by blanks or punctuation
        w = _WEAK_ID_RE.match(text, pos)
        if w is None:
            return None
        span = w.span(1)
        need_id = True
    if span is None:
        return None
    word = text[span[0] : span[1]]
    if "@" in word:  # the customer's e-mail address, how the shop finds them: only a bank's login goes
        return span if _bank_named(text, cue_start, span[1]) else None
    low = word.lower()
    if (
        low in _WEAK_WORDS
        or low in _LOGIN_NOT_VALUE
        or (("'" in word or "’" in word) and _CONTRACTION_RE.fullmatch(word))
    ):
        return None
    if word.isalpha() and word.islower() and low.endswith(_NOT_ID_END):
        return None
    if need_id and not _ID_LIKE_RE.fullmatch(word):
        return None
    return span


# "Sunshine99 is my password", "I tried logging in with Sunshine99 as my password", "Geheim123! ist mein
# Passwort", "Sol#2020 es mi contraseña", "Lune!77 c'est mon mot de passe": the value named before its cue.
_PW_BEFORE_RE: Final = re.compile(
    r"(?i)(?<![^\s(\"'“«„])([^\s\ue000]{4,64}?)[\"'”»“)]?[ \t,]*[ \t]"
    r"(?:as|is|was|=|ist|war|als|es|era|fue|como|est|était|c['’]est|comme)[ \t]+"
    r"(?:(?:my|the|our|a|mein|meine|das|unser|mi|la|su|mon|ma|le|notre|votre)[ \t]+)?"
    r"(?:(?:new|old|current|neues|altes|nueva|nuevo|nouveau|nouvel)[ \t]+)?$"
)


_PW_LINKS: Final = frozenset(
    ["as", "is", "was", "=", "ist", "war", "als", "es", "era", "fue", "como", "est", "était", "c'est", "c’est", "comme"]
)
_PW_DETS: Final = frozenset(
    ["my", "the", "our", "a", "mein", "meine", "das", "unser", "mi", "la", "su", "mon", "ma", "le", "notre", "votre"]
)
_PW_ADJS: Final = frozenset(["new", "old", "current", "neues", "altes", "nueva", "nuevo", "nouveau", "nouvel"])


def _linked_before(text: str, cue_start: int) -> bool:
    """What `_PW_BEFORE_RE` needs right before a cue ("… is my", "… as", "… c'est mon nouveau"), read word by
    word: most password cues have none of it, and the search over 80 characters is then skipped (a search
    anchored at its end tries every start before it)."""
    if cue_start == 0 or text[cue_start - 1] not in " \t":
        return False
    last = text[max(0, cue_start - 12) : cue_start].split()[-1:]  # the word right before: most often none of these
    if not last or ((w := last[0].lower()) not in _PW_ADJS and w not in _PW_DETS and w not in _PW_LINKS):
        return False
    words = text[max(0, cue_start - 40) : cue_start].split()
    i = len(words) - 1
    if i >= 0 and words[i].lower() in _PW_ADJS:
        i -= 1
    if i >= 0 and words[i].lower() in _PW_DETS:
        i -= 1
    return i >= 1 and words[i].lower() in _PW_LINKS


def _password_before(text: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """A password written before its cue: one token that mixes letters with digits or symbols. (Not when a
    blank follows the cue: a letter masked on a later pass, where the prescan's trigger saw a longer word.)"""
    if text[pos : pos + 1] == "\ue000" or not _linked_before(text, cue_start):
        return None
    m = _PW_BEFORE_RE.search(text, max(0, cue_start - 80), cue_start)
    if m is None:
        return None
    s, e = m.span(1)
    while e > s and text[e - 1] in _TRAIL_PUNCT:
        e -= 1
    word = text[s:e]
    if len(word) < 4 or word.isalpha() or word.isdigit() or not any(c.isalpha() for c in word):
        return None
    return (s, e) if word.lower() not in _STOPWORDS else None


# "customer number for online banking 12345678": a customer number named before the banking words.
_BANK_ID_RE: Final = re.compile(r"[ \t]+(\d{5,16})(?!\w|[/.,:]\d)")
_CUSTOMER_LABEL_RE: Final = re.compile(r"(?i)\b(?:customer|client|kunden|cliente)")

# A one-time code as sent: six digits or so, maybe after a letter prefix ("G-482913"), or two groups of three.
_PREFIXED_CODE: Final = r"(?:[A-Z]{1,3}-)?\d{4,8}"
_SENT_CODE: Final = rf"({_PREFIXED_CODE}|\d{{3}}[ -]\d{{3}})"
_CODE_END: Final = r"(?!\w|[/.,:]\d)"  # no word or number goes on after it
# After a cue that says a code came as a text message ("you texted me", "me mandaron por SMS el"): the code.
_SENT_VALUE_RE: Final = re.compile(
    r"[ \t]*[:=]?[ \t]*(?:(?:is|was|ist|war|est|[ée]tait|es|era|fue)[ \t]*:?[ \t]+)?"
    r"(?:(?:the|this|a|le|ce|el|este|den|die|diesen|un|une)[ \t]+)?"
    r"(?:(?:code|c[óo]digo|pin|tan|nummer|number|num[ée]ro)[ \t]*:?[ \t]*)?"
    rf"{_SENT_CODE}{_CODE_END}",
    re.IGNORECASE,
)
# Around "by text" / "SMS": the code right before ("482913 by text", "482913 par SMS", the word before "SMS"
# one for how it came), or right after ("por SMS el 482913", "par SMS le code 482913", "per SMS bekommen:
# 482913"), with a word for sending it not far before the code.
_BEFORE_BY_TEXT_RE: Final = re.compile(
    rf"(?<![\w\-]){_SENT_CODE}[ \t]+"
    r"(?:(?:by|via|per|als|par|por|en[ \t]+un|in[ \t]+an?)[ \t]+)?$",
    re.IGNORECASE,
)
_AFTER_BY_TEXT_RE: Final = re.compile(
    r"(?:[ \t]+(?:bekommen|erhalten|geschickt|gesendet|zugeschickt)\w*)?[ \t]*[:=]?[ \t]*"
    r"(?:(?:el|este|le|ce|den|die|the|this)[ \t]+)?(?:(?:code|c[óo]digo|pin|tan)[ \t]*:?[ \t]*)?"
    rf"{_SENT_CODE}{_CODE_END}",
    re.IGNORECASE,
)
_SMS_BEFORE_RE: Final = re.compile(r"(?i)(?:by|via|per|als|par|por|en\s+un|in\s+an?)\s+$")
_SENDING_RE: Final = re.compile(
    r"(?i)\b(?:sent|send|texted|got|received|mandaron|enviaron|mandasteis|enviasteis|mandaste|enviaste|mand[óo]"
    r"|envi[óo]|lleg[óo]|mandado|enviado|envoy[ée]|re[çc]u|geschickt|gesendet|schickten|haben\s+mir|habt\s+mir"
    r"|bekommen|erhalten)\b"
)


def _sent_code(text: str, pos: int) -> tuple[int, int] | None:
    """The one-time code after a cue that says it came by text ("the 6 digits you texted me: 482913")."""
    v = _SENT_VALUE_RE.match(text, pos)
    return v.span(1) if v else None


def _code_by_text(text: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """The code beside "by text" / "SMS", when a word for sending it stands near. (Nothing before the cue
    when a blank follows it: a letter masked on a later pass, see `_password_before`.)"""
    low = text[cue_start:pos].lower()
    if low.startswith("sms") and not _SMS_BEFORE_RE.search(text, max(0, cue_start - 8), cue_start):
        return None  # "SMS code", "the SMS": not how the code came
    after = _AFTER_BY_TEXT_RE.match(text, pos)
    if after is not None:
        span = after.span(1)
    elif text[pos : pos + 1] != "\ue000" and (v := _BEFORE_BY_TEXT_RE.search(text, max(0, cue_start - 24), cue_start)):
        span = v.span(1)
    else:
        return None
    return span if _SENDING_RE.search(text, max(0, min(span[0], cue_start) - 48), span[0]) else None


# A bare "code:" is a code's label at the start of its line or sentence, or after a possessive ("your
# code:"); after any other word it belongs to that word ("zip code: 10115", "error code: 404").
_CODE_OWNER_RE: Final = re.compile(
    r"(?i)(?:^|[\n.!?;,(\ue000>–—]|\b(?:your|my|the|this|that|dein|mein|ihr|der|le|ton|votre|mon|el|tu|su|mi|sms|text"
    r"|verification|login))[ \t]*$"
)


_BARE_CODE_RE: Final = re.compile(r"(?i)code|c[óo]digo")


def _bare_code_ok(text: str, cue_start: int, pos: int) -> bool:
    """Whether a "code" cue is the code's own label (only a bare "code" needs the check)."""
    if not _BARE_CODE_RE.fullmatch(text, cue_start, pos):
        return True
    return _CODE_OWNER_RE.search(text, max(0, cue_start - 24), cue_start) is not None


# A label alone on its line ("Password" / "Passwort:"), its value alone on the next non-blank one.
_LABEL_LINE_RE: Final = re.compile(r"[ \t]*:?[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=\S)")


def _value_on_next_line(text: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """A password laid out as a form: the cue is the whole of its line, and the next non-blank line is one
    token that mixes letters with digits or symbols (so "Password\nThanks" keeps its "Thanks")."""
    if text[text.rfind("\n", 0, cue_start) + 1 : cue_start].strip():
        return None
    m = _LABEL_LINE_RE.match(text, pos)
    if m is None:
        return None
    span = _token_value(text, m.end(), need_mixed=True)
    if span is None:
        return None
    line_end = text.find("\n", span[1])
    rest = text[span[1] : line_end if line_end >= 0 else len(text)]
    return span if not rest.strip().strip(_TRAIL_PUNCT) else None


def _weak_min(text: str, kind: str, cue_start: int) -> int:
    """How many digits a code needs with no "is" or ":" after its cue: "the code 123 in the manual" or
    "Der Code 123 im Handbuch" (an article, not a possessive) points at a code, not at a secret, unless
    it is one's length (4 digits and more)."""
    return 4 if kind == "code" and _ARTICLE_CODE_RE.match(text, cue_start) else 0


_ARTICLE_CODE_RE: Final = re.compile(r"(?i)(?:the|der|le|el)\s")


def _code_value(text: str, pos: int, *, allow_token: bool = False, weak_min: int = 0) -> tuple[int, int] | None:
    """A PIN or one-time code: digits after a weak cue, or any token after "is" / ":"."""
    c = _STRONG_RE.match(text, pos)
    if c:
        d = _DIGIT_CODE_RE.match(text, c.end()) or _PREFIXED_CODE_RE.match(text, c.end())
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
    d = _DIGIT_CODE_RE.match(text, w.end()) or _PREFIXED_CODE_RE.match(text, w.end())
    if d is None or sum(ch.isdigit() for ch in d.group()) < weak_min:
        return None
    return d.span()


_PREFIXED_CODE_RE: Final = re.compile(
    r"[A-Z]{1,3}-\d{4,8}(?!\w|[/.,:]\d)"
)  # "G-482913": a letter prefix, then the code


# ("sec", "sec code", "sc": the short labels of a card form; the value may sit on the label's next line)
_CODE_AFTER_RE: Final = re.compile(
    r"\b(?:code|c[óo]digo|zahlencode|nummer\s+hinten|pr[üu]fcode|sec(?:urity)?(?:[ \t]*code)?|sc)\b[ \t]*"
    r"(?:is|ist|es|est|lautet|was|:|=)?[ \t]*:?[ \t]*(?:\n[ \t]*)?"
    r"(?<!\d)(\d{3,4})(?!\d|[/.,:]\d)",
    re.IGNORECASE,
)
# Right after an expiry: "exp 12/2027, sec 123", "Expiry\n09/26\nCode\n737".
_CODE_AFTER_EXP_RE: Final = re.compile(r"[ \t]*[,;/|)\]]?[ \t]*(?:\n[ \t]*)?(?:and[ \t]+|und[ \t]+|et[ \t]+|y[ \t]+)?")
# "4111…|12|2027|123": month and year as two fields, with the separator the fields use.
_EXP_FIELDS_RE: Final = re.compile(r"(?:0?[1-9]|1[0-2])(?:[ \t]*([|,;])[ \t]*|([ \t]))(?:20)?\d{2}(?![\d/.\-])")
# (Wide blanks: the columns under a header line, "Card number   Expiry   CVV"; a dash or bullet: a list, one
# value a line.)
_CHAIN_GAP_RE: Final = re.compile(r"[ \t]{4,24}(?![ \t])|[ \t,;|/\-()]{1,3}|\s*\n\s*(?:[\-*•][ \t]+)?")
_BARE_CVV_RE: Final = re.compile(
    r"\d{3,4}(?!\w|[/.,:]\d|[ \-\u00a0]\d)"
)  # a lone group, not the head of another number
# "4111 … / 1229 / 123": a compact MMYY (or MMYYYY) group right after a card, when a code group follows it.
_EXP_COMPACT_RE: Final = re.compile(r"(?:0[1-9]|1[0-2])(?:20)?\d{2}(?!\w)")


def _fields_follow(text: str, pos: int, p: int, f: re.Match[str]) -> bool:
    """Month and year as two fields after a card ("4111…|12|2027|123"): the fields' separator is the one
    between the card and the month; a blank (a tab, once normalised) only when a code field follows too."""
    if f.group(1):
        return f.group(1) in text[pos:p]
    g = _CHAIN_GAP_RE.match(text, f.end())
    return g is not None and _BARE_CVV_RE.match(text, g.end()) is not None


def codes_after_expiries(text: str, found: list[Finding]) -> list[Finding]:
    """A card code right after an expiry found by its cue ("exp 12/2027, sec 123", "Expiry\n09/26\nCode\n737")."""
    out: list[Finding] = []
    for f in found:
        if f.kind != "card_expiry":
            continue
        g = _CODE_AFTER_EXP_RE.match(text, f.end)
        c = _CODE_AFTER_RE.match(text, g.end()) if g else None
        if c:
            out.append(Finding("card_cvv", *c.span(1)))
    return out


def chained_after_cards(text: str, cards: list[tuple[int, int]], sentences: Sentences | None = None) -> list[Finding]:
    """`4111 1111 1111 1111 12/29 123`: an expiry and a code written right after the number."""
    out: list[Finding] = []
    sentences = sentences or Sentences(text)
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
                if x is None and (f := _EXP_FIELDS_RE.match(text, p)) and _fields_follow(text, pos, p, f):
                    x = f
                if x:
                    out.append(Finding("card_expiry", *x.span()))
                    pos, got_exp = x.end(), True
                    continue
            if not got_exp and not got_cvv:
                m = _EXP_COMPACT_RE.match(text, p)
                g2 = _CHAIN_GAP_RE.match(text, m.end()) if m else None
                if m and g2 and _BARE_CVV_RE.match(text, g2.end()):
                    out.append(Finding("card_expiry", *m.span()))
                    pos, got_exp = m.end(), True
                    continue
            if not got_cvv:
                v = _BARE_CVV_RE.match(text, p)
                if v:
                    out.append(Finding("card_cvv", *v.span()))
                    pos, got_cvv = v.end(), True
                    continue
            break
        if not got_cvv:
            # "4111 1111 1111 1111 and the code is 737": "the code" right after a card is its CVV.
            c = _CODE_AFTER_RE.search(text, ce, min(len(text), ce + 60))
            if c:
                out.append(Finding("card_cvv", *c.span(1)))
        # An expiry later in the same sentence ("card 4111… which expires … 12/29" is cued anyway).
        if not got_exp:
            stop = min(sentences.end(ce), ce + 120)  # a bound keeps a long run of cards linear
            x = _EXP_BARE_RE.search(text, ce, stop)
            if x:
                out.append(Finding("card_expiry", *x.span()))
    return out


# A sentence ends at . ! ? before a capital (so "exp. 03/29" and "approx. 3" do not end one) or at a blank line:
# `[.!?](?=\s+[A-ZÀ-ÝÄÖÜ"'(]|\s*$)|\n[ \t]*\n`, written with one character class first (the consumed
# character, told apart by a look-behind) so the engine skips to the next candidate in C: an alternation whose
# first branch opens with a class gets no such skip. Same spans (tests/test_redact_equivalence.py); ~1.6x faster.
_SENTENCE_END_RE: Final = re.compile(r"[.!?\n](?:(?<=\n)[ \t]*\n|(?<!\n)(?=\s+[A-ZÀ-ÝÄÖÜ\"'(]|\s*$))")


class Sentences:
    """Sentence bounds of one text: the first few asked for are found near where they are asked, the rest
    after one pass over the whole text.

    No length cap on a sentence: a cap would count characters, and a second pass sees markers of other
    lengths than the secrets they replaced, so it could decide otherwise. One pass keeps it linear.

    Near a position, the bounds are those of the whole-text pass: an end is a `.!?` before a capital (or the
    end of the text), found alone wherever it stands, or a blank line, and the blank lines of a run of
    line breaks and blanks pair up from the start of that run; so a scan that starts where no such run is
    under way finds the same ends the whole-text pass does. A scan runs on to the next end, so a text with
    few of them could make each local look as long as the text: after `LOCAL_LOOKS` of them, the whole
    text is read once instead, which keeps it linear.
    """

    LOCAL_LOOKS = 8

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._looks = 0
        self.card_word: dict[tuple[int, int], bool] = {}  # per sentence: does it hold a card word?

    def _load(self) -> list[int]:
        if self._starts is None:
            spans = [m.span() for m in _SENTENCE_END_RE.finditer(self.text)]
            self._starts = [a for a, _ in spans]
            self._ends = [b for _, b in spans]
        return self._starts

    def _local(self) -> bool:
        if self._starts is None and self._looks < self.LOCAL_LOOKS:
            self._looks += 1
            return True
        return False

    def _fresh(self, pos: int) -> int:
        """`pos`, moved back to the start of the run of line breaks and blanks it is in, if any."""
        text = self.text
        while pos > 0 and text[pos - 1] in " \t\n":
            pos -= 1
        return pos

    def start(self, pos: int) -> int:
        if self._local():
            width = 256
            while True:
                lo = self._fresh(max(0, pos - width))
                last = 0
                for m in _SENTENCE_END_RE.finditer(self.text, lo):
                    if m.end() > pos:
                        break
                    last = m.end()
                if last or lo == 0:
                    return last
                width *= 4
        self._load()
        i = bisect.bisect_right(self._ends, pos)
        return self._ends[i - 1] if i else 0

    def end(self, pos: int) -> int:
        if self._local():
            for m in _SENTENCE_END_RE.finditer(self.text, self._fresh(pos)):
                if m.start() >= pos:
                    return m.start()
            return len(self.text)
        starts = self._load()
        j = bisect.bisect_left(starts, pos)
        return starts[j] if j < len(starts) else len(self.text)


_LAST_DIGITS_RE: Final = re.compile(r"(?i)\b(?:last|first|letzten|ersten|[úu]ltimos|primeros|derniers|premiers)\s+$")
_PHRASE_RE: Final = re.compile(r"[^\s\ue000][^\n.;,\ue000]{7,99}")


def _phrase_value(text: str, pos: int) -> tuple[int, int] | None:
    """A pass phrase: words to the end of its line or clause ("passphrase: correct horse battery staple")."""
    m = _PHRASE_RE.match(text, pos)
    if m is None:
        return None
    s, e = m.span()
    while e > s and (text[e - 1].isspace() or text[e - 1] in _TRAIL_PUNCT):
        e -= 1
    return (s, e) if len(text[s:e].split()) >= 2 else _token_value(text, pos, need_mixed=False)


# Kinds whose value may stand apart from its cue: in the next HTML cell or paragraph, in the next sentence
# ("my usual password. It is Herfst2020"), or as the answer on the next chat line; and what they are: the
# kinds a clause may part from their cue (gaps.APART_KINDS), and a login's user name.
_ELSEWHERE_KINDS: Final = {**APART_KINDS, "login": "login"}
# A cue closed by markup and the value in the next element: "Kennwort</td><td>", "Password:</p>\n<p>", ": <strong>".
_TAG_GAP_RE: Final = re.compile(r"[ \t]*:?[ \t]*(?:</?[A-Za-z][^<>\n]{0,80}>[ \t\n]*:?[ \t]*){1,6}")
_TAG_VALUE_RE: Final = re.compile(r"[^<>\n\ue000]{1,64}(?=<)")
_CVV_ALONE_RE: Final = re.compile(r"\d{3,4}")
_CODE_ALONE_RE: Final = re.compile(_PREFIXED_CODE)


def _value_alone(kind: str, value: str) -> bool:
    """Whether `value`, all there is in its cell or line, is the value a `kind` cue names."""
    if kind in ("cvv", "sec"):
        return _CVV_ALONE_RE.fullmatch(value) is not None
    if kind in ("pin", "otp"):
        return _CODE_ALONE_RE.fullmatch(value) is not None
    if kind == "exp":
        m = _EXP_VALUE_RE.fullmatch(value)
        return m is not None and m.start("v") == 0
    if kind == "login":
        return _ID_LIKE_RE.fullmatch(value) is not None
    # a password: one token of letters with digits or symbols, or a capitalised odd word
    return (
        " " not in value
        and len(value) >= 4
        and value.lower() not in _STOPWORDS
        and (not value.isalpha() or not value.islower())
        and not value.isdigit()
    )


def _value_in_tag(text: str, kind: str, pos: int) -> tuple[int, int] | None:
    """The value filling the element right after a cue's own element ("<div>CVV</div><div>842</div>")."""
    m = _TAG_VALUE_RE.match(text, pos)
    if m is None:
        return None
    s, e = m.span()
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s and _value_alone(kind, text[s:e]) else None


# The cue's sentence ends within a few words and the next one opens with "it is", "here it is:", "Es", "Die
# lautet"...: the value follows ("The PIN you asked about. It's 6120.", "Prüfziffer? Die lautet 481.").
_ANSWER_RE: Final = re.compile(
    r"[^\n.?!\ue000\d]{0,40}?[.?!]+[ \t]+(?:(?:so|well|ok|okay|and)[ \t,]+)?"
    r"(?:here[ \t]+it[ \t]+is|it[ \t]+is|it['’]s|this[ \t]+is|that[ \t]+is|that['’]s|es|ist|die[ \t]+lautet"
    r"|der[ \t]+lautet|sie[ \t]+lautet|lautet|c['’]est|è|é|het[ \t]+is|is[ \t]+het|sono|são)[ \t]*:?[ \t]+",
    re.IGNORECASE,
)
# A question in a chat, the answer alone on the next line after its "[14:02] me:" prefix.
_CHAT_ANSWER_RE: Final = re.compile(
    r"[^\n\ue000]{0,40}\?[ \t]*\n[ \t]*(?:\[[^\]\n]{1,16}\][ \t]*)?(?:[^\s:\[\]]{1,24}:[ \t]*)?"
)
_ANSWER_END_RE: Final = re.compile(r"[ \t]*(?:[.!,;)]|\n|$)")
# "G-285013 is your Google verification code": the code before its cue.
_CODE_BEFORE_RE: Final = re.compile(
    rf"(?<![\w\-])({_PREFIXED_CODE})[ \t]+(?:is|ist|est|es|é|è)[ \t]+"
    r"(?:your|ihr|dein|votre|ton|tu|su|uw|je|il[ \t]+tuo|o[ \t]+seu)[ \t]+(?:[A-Za-z]+[ \t]+){0,2}$"
)


def _value_elsewhere(text: str, kind: str, cue_start: int, pos: int, out: list[Finding]) -> None:
    """A cue that found no value right behind it: the value in the next sentence or chat line, or a code
    named before its cue."""
    if kind == "otp" and (b := _CODE_BEFORE_RE.search(text, max(0, cue_start - 60), cue_start)):
        out.append(Finding("password", *b.span(1)))
        return
    if kind in ("exp", "login"):
        return
    m = _ANSWER_RE.match(text, pos)
    if m is not None:
        p = m.end()
        if kind == "pw":
            span = _token_value(text, p, need_mixed=True)
        else:
            d = (_CVV_ALONE_RE if kind in ("cvv", "sec") else _CODE_ALONE_RE).match(text, p)
            ok = d is not None and not text[d.end() : d.end() + 1].isalnum()
            span = d.span() if d and ok and _ANSWER_END_RE.match(text, d.end()) else None
        if span:
            out.append(Finding(_ELSEWHERE_KINDS[kind], *span))
        return
    m = _CHAT_ANSWER_RE.match(text, pos)
    if m is not None:
        e = text.find("\n", m.end())
        e = len(text) if e < 0 else e
        value = text[m.end() : e].rstrip(" \t.!")
        if value and _value_alone(kind, value):
            out.append(Finding(_ELSEWHERE_KINDS[kind], m.end(), m.end() + len(value)))


# "altes Passwort X, neues Y", "ancien mot de passe X, nouveau Y", "old password X, the new one: Y": the new one
# right after the old one goes too.
_NEW_AFTER_RE: Final = re.compile(
    r"[ \t]*[,;/]?[ \t]*(?:(?:and|und|et|y|e|en)[ \t]+)?(?:(?:the|das|le|la|el|il|de|het|o|a)[ \t]+)?"
    r"(?:new|neues|neue|nouveau|nouvel(?:le)?|nueva|nuevo|nuovo|nuova|nieuwe?|novo|nova)"
    r"(?:[ \t]+(?:one|password|passwort|kennwort|mot[ \t]+de[ \t]+passe|contrase[ñn]a|clave|wachtwoord|senha))?"
    r"(?:[ \t]*[:=][ \t]*|[ \t]+(?:is|ist|est|es|è|é|lautet)[ \t]*:?[ \t]+|[ \t]+)",
    re.IGNORECASE,
)
# "contraseña antigua X", "Passwort alt: X", "mot de passe actuel X": an adjective between the cue and its value.
_PW_ADJ_AFTER_RE: Final = re.compile(
    r"[ \t]+(?:antigua|anterior|actual|vieja|nueva|ancien|actuel|nouveau|alt|neu|aktuell|vecchia|nuova|attuale"
    r"|oude|nieuwe|huidige|antiga|nova|atual)(?=[ \t]*[:=]|[ \t]+\S)",
    re.IGNORECASE,
)


def _new_after_old(text: str, end: int) -> tuple[int, int] | None:
    """The new password named right after the old one (see `_NEW_AFTER_RE`)."""
    m = _NEW_AFTER_RE.match(text, end)
    if m is None:
        return None
    span = _token_value(text, m.end(), need_mixed=False)
    return span if span and _value_alone("pw", text[span[0] : span[1]]) else None


_BLANKS_RE: Final = re.compile(r"[ \t]+")
# "https://jdoe:S3cret!@bank.example/": the user name and the password of a URL.
_URL_CREDS_RE: Final = re.compile(r"(?i)https?://([^\s/:@\ue000]{1,64}):([^\s/@\ue000]{1,128})@")
# Headings for a user name and password that follow, each with its own label, or as one "user/pass" pair.
_PAIR_HEADINGS: Final = ("credentials", "creds", "zugangsdaten")
_CREDS_PAIR_RE: Final = re.compile(r"[ \t]*[:=]?[ \t]*([^\s/|:\ue000]{2,64})[ \t]*[/|][ \t]*([^\s\ue000]{4,128})")


def _creds_pair(text: str, pos: int) -> list[Finding]:
    """`creds jmueller84/Roma_Caput9`: a user name and its password as one pair after a heading."""
    m = _CREDS_PAIR_RE.match(text, pos)
    if m is None:
        return []
    s, e = m.span(2)
    while e > s and text[e - 1] in _TRAIL_PUNCT:
        e -= 1
    user, word = m.group(1).lower(), text[s:e]
    if user in _STOPWORDS or user in _LOGIN_NOT_VALUE or len(word) < 4 or word.lower() in _STOPWORDS:
        return []
    return [Finding("login", *m.span(1)), Finding("password", s, e)]


# Bare answer labels ("Answer: …", "Antwort: …"): an answer only after a security question, with a colon.
_BARE_ANSWERS: Final = frozenset(
    ["answer", "antwort", "respuesta", "réponse", "reponse", "risposta", "antwoord", "resposta"]
)
_SECURITY_QUESTION_RE: Final = re.compile(
    r"(?i)security\s+question|secret\s+question|sicherheitsfrage|pregunta\s+(?:secreta|de\s+seguridad)"
    r"|question\s+(?:secr[èe]te|de\s+s[ée]curit[ée])|domanda\s+(?:segreta|di\s+sicurezza)|beveiligingsvraag"
    r"|pergunta\s+(?:secreta|de\s+seguran[çc]a)|maiden|memorable|geburtsname|m[äa]dchenname|soltera|jeune\s+fille"
    r"|nubile|meisjesnaam|solteira"
)
_ANSWER_COLON_RE: Final = re.compile(r"[ \t]*")
# An answer: up to four words to the end of its clause (a name: "van der Berg"), else its first word.
_ANSWER_WORDS_RE: Final = re.compile(
    r"[^\s\ue000.,;!?:()\"“”«»]+(?:[ \t]+[^\s\ue000.,;!?:()\"“”«»]+){0,3}(?=[ \t]*(?:[.,;!?)\n]|$))"
)


def _answer_value(text: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """The answer to a security question after its label ("mother's maiden name is X", "Answer: X" after the
    question): it opens the account as a password does."""
    if text[cue_start:pos].lower().rstrip(" \t:=") in _BARE_ANSWERS:  # "Answer:", its colon in the cue
        if not _SECURITY_QUESTION_RE.search(text, max(0, cue_start - 120), cue_start):
            return None
        c = _ANSWER_COLON_RE.match(text, pos)
    else:
        c = _STRONG_RE.match(text, pos)
    if c is None:
        return None
    q = _QUOTED_RE.match(text, c.end())
    if q:
        g = next(i for i in range(1, 6) if q.group(i) is not None)
        return q.start(g), q.end(g)
    words = _ANSWER_WORDS_RE.match(text, c.end())
    first = _token_value(text, c.end(), need_mixed=False)
    if first is None:
        return None
    return words.span() if words and words.end() > first[1] else first
