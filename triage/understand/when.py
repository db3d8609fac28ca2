"""When the customer says the order was placed ("yesterday", "3.11.", "vor zwei Wochen"): a date, week or month."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from triage.text import SENTENCES, TextForms, forms

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
        month, d_text = (m[1], m[2]) if kind == "md" else (m[2], m[1])
        if month == "may" and not re.search(r"\bMay\b", sentence[m.start() : m.end()]):
            return None  # "I may 2 …" is a verb
        y, given = _year(m[3], today)
        day = _safe_date(y, _MONTHS[month], int(d_text), today, given)
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


def find_order_time(text: str | TextForms, now: datetime) -> str | None:
    """When the order was placed, roughly: "YYYY-MM-DD", "YYYY-MM-DD/YYYY-MM-DD" (a week) or "YYYY-MM".

    Only sentences about ordering count, so "I'm away until Friday" is not an
    order time; a date later than `now` is never one.
    """
    today = now.date()
    for sentence in SENTENCES.split(forms(text).masked_folded):
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
