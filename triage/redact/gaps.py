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

# Which finding a cue kind's value makes.
APART_KINDS = {
    "cvv": "card_cvv",
    "sec": "card_cvv",
    "pin": "password",
    "otp": "password",
    "pw": "password",
    "exp": "card_expiry",
}

# The stretch a clause may fill: no digit, no sentence end, no colon (a colon right after a cue is the
# ordinary "CVV: 123", read by `secrets`).
_STRETCH_RE = re.compile(r"[^\n.!?;:\d\ue000]{1,120}")
# A clause opens with a comma, dash or bracket, or with a relative word ("La contraseña que uso …").
_MARK_RE = re.compile(r"[,(–—]|\s-\s")
# (or with whose it is: "Die Geheimzahl meiner EC-Karte ist 9034")
_OPENER_RE = re.compile(
    r"(?i)\s+(?:que|qui|that|which|i|ich|je|yo|io|ik|eu|jag|som|das|die|der|den|dat|che|który|która|które"
    r"|meiner|meines|unserer|of|for|für|on|auf|de|del|di|van|von|do|da)\s"
)
_COPULA_RE = re.compile(
    r"(?i)(?:(?<![^\s,)–—\-])(?:is|ist|es|est|lautet|è|é|to|är|er|jest|was|war|era|sono|são|zijn|heißt"
    r"|c['’]est|it['’]s|it\s+is|that['’]s|this\s+is)(?:[ \t]+(?:el|la|le|the|die|der|de|o|a|il|het))?"
    r"(?:[ \t]*:[ \t]*|[ \t]+)|:[ \t]*|,[ \t]*(?=\d))"
)
# "mot de passe (c'est « Lune&Soleil9 »)": the value inside a bracket that opens with a copula.
_PAREN_COPULA_RE = re.compile(
    r"(?i)[ \t]*\([ \t]*(?:c['’]est|it['’]s|it\s+is|es|ist|è|é|is|das\s+ist)[ \t]+"
    r"(?:«[ \t]?([^»\n\ue000]{3,64}?)[ \t]?»|\"([^\"\n\ue000]{3,64})\"|“([^”\n\ue000]{3,64})”|'([^'\n\ue000]{3,64})'"
    r"|([^\s()\ue000]{4,64}))"
)
# "Ich hab das PW auf Pusteblume88 geändert": the new value, then the verb at the end.
_CHANGED_TO_RE = re.compile(
    r"(?i)[ \t]+(?:auf|zu|in|to|en|à)[ \t]+((?=[^\s\ue000]*\d)[^\s\ue000]{4,64}?)[ \t]+"
    r"(?:ge[äa]ndert|gesetzt|umgestellt|gewechselt|ändern|changed|modifié|cambiado)"
)
_TRAIL = ".,;:!?)]}>\"'»”"
_VALUE_RES = {
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
_BEFORE_TAIL = (
    r"[ \t]*(?:[:—–\-][ \t]*)?(?:is|ist|es|est|c['’]est|that['’]s|this\s+is|era|è|é|är|to|was|war|sind|son|sont)"
    r"[ \t]+(?:(?:el|la|le|the|die|der|das|mein|meine|my|your|mi|su|mon|ma|il|o|a|de|min|mitt|moje|mój)[ \t]+){0,2}$"
)
_BEFORE_RES = {
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
    return m.span(1) if m else None


# A label alone on its line ("PIN", "CVV:"), the value alone on the next non-blank one.
_NEXT_LINE_RE = re.compile(r"[ \t]*:?[ \t]*\n(?:[ \t]*\n)?[ \t]*")
_LINE_START_RE = re.compile(r"[ \t*\-•|>]*")


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
