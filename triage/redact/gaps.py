"""Values set apart from their cue: by a clause ("my CVV, as requested, is 123"), or written before it
("419 es el código de seguridad", "Marmalade_Sky7 — that's the password").

Why a module of its own: the value patterns in `secrets` read a value right behind its cue; customers
put a parenthetical or a relative clause between ("Das Passwort, das ich seit Jahren benutze, ist …"),
or name the value first. Both are bounded here (a clause of at most twelve words inside its sentence, the
value before at most a few words from the cue), and the value must have its kind's shape, so a
sentence about a CVV ("asked for my CVV twice, is that normal?") keeps every word.
"""

from __future__ import annotations

import re
from typing import Final

from triage.redact.spelled import said_number

# Which finding a cue kind's value makes.
APART_KINDS: Final = {
    "cvv": "card_cvv",
    "sec": "card_cvv",
    "pin": "password",
    "otp": "password",
    "pw": "password",
    "exp": "card_expiry",
}

# The stretch a clause may fill: no digit, no sentence end, no colon (a colon right after a cue is the
# ordinary "CVV: 123", read by `secrets`).
_STRETCH_RE: Final = re.compile(r"[^\n.!?;:\d\ue000]{1,120}")
# A clause opens with a comma, dash or bracket, or with a relative word ("La contraseña que uso …").
_MARK_RE: Final = re.compile(r"[,(–—]|\s-\s")
# (or with whose it is: "Die Geheimzahl meiner EC-Karte ist 9034")
_OPENER_RE: Final = re.compile(
    r"(?i)\s+(?:que|qui|that|which|i|ich|je|yo|io|ik|eu|jag|som|das|die|der|den|dat|che|który|która|które"
    r"|meiner|meines|unserer|of|for|für|on|auf|de|del|di|van|von|do|da)\s"
)
_COPULA_RE: Final = re.compile(
    r"(?i)(?:(?<![^\s,)–—\-])(?:is|ist|es|est|lautet|è|é|to|är|er|jest|was|war|era|sono|são|zijn|heißt"
    r"|c['’]est|it['’]s|it\s+is|that['’]s|this\s+is)(?:[ \t]+(?:el|la|le|the|die|der|de|o|a|il|het))?"
    r"(?:[ \t]*:[ \t]*|[ \t]+)|:[ \t]*|,[ \t]*(?=\d))"
)
# "mot de passe (c'est « Lune&Soleil9 »)": the value inside a bracket that opens with a copula.
_PAREN_COPULA_RE: Final = re.compile(
    r"(?i)[ \t]*\([ \t]*(?:c['’]est|it['’]s|it\s+is|es|ist|è|é|is|das\s+ist)[ \t]+"
    r"(?:«[ \t]?([^»\n\ue000]{3,64}?)[ \t]?»|\"([^\"\n\ue000]{3,64})\"|“([^”\n\ue000]{3,64})”|'([^'\n\ue000]{3,64})'"
    r"|([^\s()\ue000]{4,64}))"
)
# "Ich hab das PW auf Pusteblume88 geändert": the new value, then the verb at the end.
_CHANGED_TO_RE: Final = re.compile(
    r"(?i)[ \t]+(?:auf|zu|in|to|en|à)[ \t]+((?=[^\s\ue000]*\d)[^\s\ue000]{4,64}?)[ \t]+"
    r"(?:ge[äa]ndert|gesetzt|umgestellt|gewechselt|ändern|changed|modifié|cambiado)"
)
_TRAIL: Final = ".,;:!?)]}>\"'»”"
_VALUE_RES: Final = {
    "cvv": re.compile(r"(?<!\d)\d{3,4}(?!\w|[/.,:]\d)"),
    "sec": re.compile(r"(?<!\d)\d{3,4}(?!\w|[/.,:]\d)"),
    "pin": re.compile(r"(?<!\d)\d{4,8}(?!\w|[/.,:]\d)"),
    "otp": re.compile(r"(?<!\d)(?:\d{3}[ -]\d{3}|\d{4,8})(?!\w|[/.,:]\d)"),
    "exp": re.compile(r"(?<![\d/.\-])(?:0?[1-9]|1[0-2])[ \t]?[/\-.][ \t]?(?:20)?\d{2}(?![\d/])"),
    "pw": re.compile(r"(?=[^\s\ue000]*\d)(?=[^\s\ue000]*[^\W\d_])[^\s\ue000]{4,64}"),
}


def _value(text: str, kind: str, pos: int) -> tuple[int, int] | None:
    m = _VALUE_RES[kind].match(text, pos)
    if m is None:
        return None
    s, e = m.span()
    while e > s and text[e - 1] in _TRAIL:
        e -= 1
    return (s, e) if e - s >= 3 else None


def clause_value(text: str, kind: str, pos: int) -> tuple[int, int] | None:
    """The value after a clause between the cue ending at `pos` and a copula: "my CVV, as requested, is 123",
    "Expiry date - I had to dig the card out - is 08 / 29", "Güvenlik kodu, istediğiniz gibi, 604"."""
    if kind == "pw":
        p = _PAREN_COPULA_RE.match(text, pos) or _CHANGED_TO_RE.match(text, pos)
        if p is not None:
            g = p.lastindex or 1
            s, e = p.span(g)
            while e > s and text[e - 1] in _TRAIL:
                e -= 1
            return (s, e) if e - s >= 3 else None
    stretch = _STRETCH_RE.match(text, pos)
    if stretch is None:
        return None
    end = stretch.end()
    gap_head = text[pos : min(end, pos + 40)]
    if not _MARK_RE.search(text, pos, end) and not _OPENER_RE.match(gap_head):
        return None
    for c in _COPULA_RE.finditer(text, pos + 1, min(len(text), end + 1)):
        gap = text[pos : c.start()]
        if sum(any(ch.isalpha() for ch in w) for w in gap.split()) > 12:
            return None
        if not (_MARK_RE.search(gap) or _OPENER_RE.match(gap)) or not gap.strip(" \t,–—-()"):
            continue
        span = _value(text, kind, c.end())
        if span is not None:
            return span
    return None


# The value, then a copula and a few words, right before the cue: "419 es el", "123 ist die", "775 : c'est le",
# "12/28 is the", "Marmalade_Sky7 — that's the", "5561 ist meine".
_BEFORE_TAIL: Final = (
    r"[ \t]*(?:[:—–\-][ \t]*)?(?:is|ist|es|est|c['’]est|that['’]s|this\s+is|era|è|é|är|to|was|war|sind|son|sont)"
    r"[ \t]+(?:(?:el|la|le|the|die|der|das|mein|meine|my|your|mi|su|mon|ma|il|o|a|de|min|mitt|moje|mój)[ \t]+){0,2}$"
)
_BEFORE_RES: Final = {
    "cvv": re.compile(r"(?<![\w/.,\-])(\d{3,4})" + _BEFORE_TAIL, re.IGNORECASE),
    "sec": re.compile(r"(?<![\w/.,\-])(\d{3,4})" + _BEFORE_TAIL, re.IGNORECASE),
    "pin": re.compile(r"(?<![\w/.,\-])(\d{4,8})" + _BEFORE_TAIL, re.IGNORECASE),
    "exp": re.compile(r"(?<![\w/.,\-])((?:0?[1-9]|1[0-2])[ \t]?/[ \t]?(?:20)?\d{2})" + _BEFORE_TAIL, re.IGNORECASE),
    "pw": re.compile(
        r"(?<![^\s(\"'“«„])((?=[^\s\ue000]*\d)(?=[^\s\ue000]*[^\W\d_])[^\s\ue000]{4,64}?)[\"'”»]?" + _BEFORE_TAIL,
        re.IGNORECASE,
    ),
}


def value_before(text: str, kind: str, cue_start: int) -> tuple[int, int] | None:
    """A value of `kind`'s shape named right before its cue, linked by a copula ("123 ist die Prüfnummer")."""
    rx = _BEFORE_RES.get(kind)
    if rx is None or cue_start == 0 or text[cue_start - 1] not in " \t":
        return None
    m = rx.search(text, max(0, cue_start - 60), cue_start)
    if m is None or _TIME_WORD_RE.search(text, max(0, m.start(1) - 12), m.start(1)):
        return None  # "Seit 2024 ist die PIN gesperrt": a year, not the PIN
    return m.span(1)


_TIME_WORD_RE: Final = re.compile(
    r"(?i)(?:^|\W)(?:seit|since|in|im|bis|until|till|desde|depuis|en|from|von|ab|um|at|vor|before|after|nach|year"
    r"|jahr|año|an|order|bestellung|pedido|commande|nr\.?|no\.?|n[º°]|\#)[ \t]*$"
)


# A label alone on its line ("PIN", "CVV:"), the value alone on the next non-blank one.
_NEXT_LINE_RE: Final = re.compile(r"[ \t]*:?[ \t]*\n(?:[ \t]*\n)?[ \t]*")
_LINE_START_RE: Final = re.compile(r"[ \t*\-•|>]*")


def value_next_line(text: str, kind: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """A digit value alone on the line after a cue that is alone on its own ("PIN\n7301")."""
    if kind not in ("cvv", "sec", "pin", "otp"):
        return None
    line_start = text.rfind("\n", 0, cue_start) + 1
    if _LINE_START_RE.match(text, line_start).end() < cue_start:  # type: ignore[union-attr]
        return None
    m = _NEXT_LINE_RE.match(text, pos)
    if m is None:
        return None
    v = _VALUE_RES[kind].match(text, m.end())
    if v is None:
        return None
    rest_end = text.find("\n", v.end())
    rest = text[v.end() : rest_end if rest_end >= 0 else len(text)]
    return v.span() if not rest.strip(" \t.") else None


# An expiry in words after its cue: "caduca en diciembre del 29", "scade a settembre 2028", "verloopt in januari
# 2029", "Verfällt: 31. Juli 2029", "expiring Feb '28", "expire fin 2028" (a year alone after an end word), or a
# month and year in brackets later in the clause ("Expiry: end of June next year (06/27)").
_MONTH_NAMES: Final = (
    r"(?:jan|feb|f[ée]v|m[äa]r|maa|apr|avr|abr|ma[iy]|mei|mag|jun|jui|giu|jul|lug|aug|ago|ao[uû]|sep|set|o[ck]t"
    r"|ott|out|nov|de[cz]|d[ée]c|dic|ene|gen)[a-zäéèûôíç]*\.?"
)
_EXP_WORDS_RE: Final = re.compile(
    r"(?i)[ \t]*[:=\-–]?[ \t]*(?:(?:is|ist|on|am|le|el|en|in|im|a|at|nel|op|em|the|la|der|zum|au|à|de|of)[ \t]+){0,3}"
    r"(?:(?P<end>end|ende|fin|fine|einde|final|finales)[ \t]+(?:(?:of|de|del|des|von|van)[ \t]+)?)?"
    rf"(?P<v>(?:\d{{1,2}}\.?[ \t]+(?:de[ \t]+)?)?{_MONTH_NAMES}[ \t]+(?:(?:de|del|of|des)[ \t]+)?['’]?(?:20)?\d{{2}}"
    r"(?![\d/])|20\d{2}(?![\d/.,]\d|\d))"
)
_EXP_IN_BRACKETS_RE: Final = re.compile(
    r"[^\n.!?\ue000\d]{0,60}?\([ \t]*(?P<v>(?:0?[1-9]|1[0-2])[ \t]?/[ \t]?(?:20)?\d{2})[ \t]*\)"
)
_END_CUE_RE: Final = re.compile(r"(?i)(?:fin|end|ende|fine|einde|final)$")
# An expiry said in words: a month's name or "the twelfth month of", then the year in words ("December twenty-nine",
# "Dezember neunundzwanzig", "diciembre del veintinueve"); or month and year both said ("oh nine twenty-eight").
_ORDINAL_MONTHS: Final = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
_EXP_SAID_RE: Final = re.compile(
    r"(?i)[ \t]*[:=\-–]?[ \t]*(?:(?:is|ist|on|am|le|el|en|in|im|a|at|nel|op|em|the|la|der|zum|au|à|de|of)[ \t]+){0,3}"
    rf"(?P<v>(?:{_MONTH_NAMES}|(?:{_ORDINAL_MONTHS})[ \t]+month)[ \t]+(?:(?:de|del|of|des|van)[ \t]+)?)?"
)


def _said_expiry(text: str, pos: int) -> tuple[int, int] | None:
    """The span of an expiry said in words right after a cue ending at `pos` (see _EXP_SAID_RE)."""
    m = _EXP_SAID_RE.match(text, pos)
    if m is None:
        return None
    said = said_number(text, m.end())
    if said is None:
        return None
    start = m.start("v") if m.group("v") else said[0]
    heard = said[2]
    if m.group("v"):  # the month is named: the words are its year, "twenty-nine", "two thousand twenty-nine"
        year = "".join(heard)
        return (start, said[1]) if len(year) == 2 or (len(year) == 4 and year.startswith("20")) else None
    digits = "".join(heard)  # month and year said: "twelve twenty-nine", "oh nine twenty-eight"
    if len(digits) == 4 and 1 <= int(digits[:2]) <= 12 and len(heard) >= 2:
        return start, said[1]
    return None


def expiry_in_words(text: str, cue_start: int, pos: int) -> tuple[int, int, bool] | None:
    """An expiry written with a month's name (or a year alone after "end of"/"fin"), or in brackets after its cue;
    and whether it is in words (the caller wants a card by those: "my passport expires in March 2027" stays)."""
    m = _EXP_WORDS_RE.match(text, pos)
    if m is not None:
        s, e = m.span("v")
        year_alone = text[s].isdigit() and e - s == 4 and text[s : s + 2] == "20"
        if not year_alone or m.group("end") or _END_CUE_RE.search(text, cue_start, pos):
            return s, e, True
    if said := _said_expiry(text, pos):
        return (*said, True)
    b = _EXP_IN_BRACKETS_RE.match(text, pos)
    return (*b.span("v"), False) if b else None


# Label and value in cells: "| CVV | 664 |", "card[cvc]=117" (a percent-encoded key, decoded by normalize), a
# header row whose value stands in the next row ("| card | exp | cvv |" over "| `4057…` | `11/27` | `203` |"), a
# CSV header ("username,password" over "mike.b,Kn1ght Rider 82").
_CELL_AFTER_RE: Final = re.compile(r"[ \t]*[`*]*[ \t]*\|[ \t]*[`*\"']*[ \t]*")
_KEY_AFTER_RE: Final = re.compile(r"[\]\"'`]{1,3}[ \t]*[:=][ \t]*[\"'`]?")
_RULE_LINE_RE: Final = re.compile(r"[ \t]*\|?[ \t:\-|]+\|?[ \t]*")
_CELL_STRIP: Final = " \t`*\"'"
_CELL_ENDS: Final = frozenset(["|", "]", '"', "'", ",", ";", "\n", ""])  # what may follow a key or label ("" the end)
_ROW_ENDS: Final = frozenset(["|", ",", ";", ":", "\n", ""])


def _shaped(text: str, kind: str, s: int, e: int) -> tuple[int, int] | None:
    """[s, e) without its blanks and quotes, when it holds a value of `kind`'s shape and nothing else."""
    while s < e and text[s] in _CELL_STRIP:
        s += 1
    while e > s and text[e - 1] in _CELL_STRIP:
        e -= 1
    if e <= s or e - s > 64:
        return None
    if kind == "pw":
        return (s, e) if any(c.isalnum() for c in text[s:e]) else None
    m = _VALUE_RES[kind].fullmatch(text, s, e)
    return (s, e) if m else None


def _cells(text: str, lo: int, hi: int, sep: str) -> list[tuple[int, int]]:
    """The cells of the line text[lo:hi] split at `sep` (a table's outer bars give no empty first/last cell)."""
    out: list[tuple[int, int]] = []
    start = lo
    for i in range(lo, hi):
        if text[i] == sep:
            out.append((start, i))
            start = i + 1
    out.append((start, hi))
    if sep == "|":
        if out and not text[out[0][0] : out[0][1]].strip():
            out = out[1:]
        if out and not text[out[-1][0] : out[-1][1]].strip():
            out = out[:-1]
    return out


def _line(text: str, pos: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi < 0 else hi


def value_in_cells(text: str, kind: str, cue_start: int, pos: int) -> tuple[int, int] | None:
    """A value in the cell after its label's, after a bracketed key, or under its label in a header row."""
    if kind not in _VALUE_RES:
        return None
    after = text[pos : pos + 4].lstrip(" \t`*")
    before = text[max(0, cue_start - 4) : cue_start].rstrip(" \t`*")
    if not (after[:1] in _CELL_ENDS or (before[-1:] in _CELL_ENDS and after[:1] in _ROW_ENDS)):
        return None  # (cheap) neither a cell, a key nor a label of its own: most cues
    m = _CELL_AFTER_RE.match(text, pos) or _KEY_AFTER_RE.match(text, pos)
    if m is not None:
        end = text.find("|", m.end()) if "|" in text[pos : m.end()] else -1
        lo, hi = _line(text, m.end())
        if end < 0 or end > hi:
            end = m.end()
            while end < hi and not text[end].isspace() and text[end] not in "&|\"'`,;}])":
                end += 1
        if span := _shaped(text, kind, m.end(), end):
            return span
    lo, hi = _line(text, cue_start)
    sep = "|" if "|" in text[lo:hi] else "," if "," in text[lo:hi] else ";" if ";" in text[lo:hi] else ""
    if not sep:
        return None
    head = _cells(text, lo, hi, sep)
    idx = next((k for k, (s, e) in enumerate(head) if s <= cue_start and pos <= e), -1)
    if idx < 0 or text[head[idx][0] : head[idx][1]].strip(_CELL_STRIP + ":").lower() != text[cue_start:pos].lower():
        return None  # the label is not a cell of its own
    if any(any(c.isdigit() for c in text[s:e]) or len(text[s:e].split()) > 2 for s, e in head) or len(head) < 2:
        return None  # a header holds short labels only ("Password, username and email" is a sentence)
    nxt = hi + 1
    while nxt < len(text):
        nlo, nhi = _line(text, nxt)
        if not _RULE_LINE_RE.fullmatch(text, nlo, nhi):
            break
        nxt = nhi + 1
    if nxt >= len(text):
        return None
    nlo, nhi = _line(text, nxt)
    row = _cells(text, nlo, nhi, sep)
    if len(row) > len(head) and sep != "|":  # a CSV value may hold the separator: the last column takes the rest
        row = [*row[: len(head) - 1], (row[len(head) - 1][0], nhi)]
    if len(row) != len(head):
        return None
    return _shaped(text, kind, *row[idx])


# A password with blanks in it ("pw: hunter2 hunter2", "la mia password è Pizza Margherita 9", "login: … / Pa55
# word!"): the rest of its clause joins the first token when it is at most three more words, none of them a common
# word, each with a digit, a capital or a symbol, or the last word of its line.
_CLAUSE_REST_RE: Final = re.compile(r"(?:[^\n.!?(),;\ue000]|[.!?](?=\S))*")
_MORE_WORDS: Final = 3


def password_phrase(text: str, span: tuple[int, int], common: frozenset[str]) -> tuple[int, int]:
    """`span` (a password's first token) run on over the rest of its clause when that reads as part of it."""
    s, e = span
    rest = _CLAUSE_REST_RE.match(text, e)
    if rest is None or rest.end() == e or not text[e : e + 1].isspace():
        return span
    words = text[e : rest.end()].split()
    if not words or len(words) > _MORE_WORDS:
        return span
    line_end = text.find("\n", e)
    last_on_line = not text[rest.end() : line_end if line_end >= 0 else len(text)].strip(" \t.!?")
    for k, w in enumerate(words):
        core = w.strip(".!?\"'»”")
        if not core or core.lower() in common:
            return span
        marked = any(c.isdigit() for c in core) or core[0].isupper() or not core.isalpha()
        if not marked and not (last_on_line and k == len(words) - 1):
            return span
    end = rest.end()
    while end > e and (text[end - 1].isspace() or text[end - 1] in ".!?\"'»”"):
        end -= 1
    return s, end


# "identifiant banque en ligne : 0612345678 et code 482911": the code or password joined to a login by "and".
_AND_SECRET_RE: Final = re.compile(
    r"(?i)[ \t]*[,/]?[ \t]*(?:et|and|und|y|e|en)[ \t]+(?:(?:le|the|der|das|el|mon|my|mein|mi|il|o|a)[ \t]+)?"
    r"(?:code|pin|passcode|mot[ \t]+de[ \t]+passe|password|passwort|kennwort|c[óo]digo|clave|contrase[ñn]a|senha)"
    r"[ \t]*:?[ \t]*((?=[^\s\ue000]*\d)[^\s\ue000]{4,64}?)(?=[.,;!?)]*(?:\s|$))"
)


def secret_after_login(text: str, end: int) -> tuple[int, int] | None:
    """The code or password right after a login value, joined by "and"/"et"/"und" ("… et code 482911")."""
    m = _AND_SECRET_RE.match(text, end)
    return m.span(1) if m else None


def whole_token(text: str, s: int, e: int) -> tuple[int, int]:
    """An account number's span run on over letters and digits glued to its end (a French RIB account
    "0500013M026" holds a letter), up to an IBAN's 34 characters."""
    end = e
    while end < len(text) and end - s < 34 and text[end].isascii() and text[end].isalnum():
        end += 1
    return (s, end) if end - s <= 34 and (end == len(text) or not text[end].isalnum()) else (s, e)
