"""Split a plain-text mail body into what the sender wrote now, the quoted history, and the signature.

Rules follow the conventions real mail clients write, in many languages:
- attribution lines ("On <date>, <name> wrote:", "Am … schrieb …:", "Le … a écrit :",
  "<date> <name> <addr>:" as Gmail writes it in several locales), possibly wrapped over
  up to four lines;
- Outlook header blocks ("From: / Sent: / To: / Subject:" and their translations), with
  the "____" or "-----Original Message-----" separator above them;
- forwarded-message markers; ">" quoting (wrapped quote lines are kept with the quote);
- "-- " signature delimiters, phone/app sign-offs ("Sent from my iPhone") and a closing
  ("Best regards,") followed by a short name block.

Text after an attribution that is itself ">"-quoted stays new when it follows the quote
(inline answers), because a customer answering between the shop's questions is writing
new text. Every line is looked at a bounded number of times, so the work is linear in
the size of the text.
"""

from __future__ import annotations

import re

_NEW, _QUOTED, _SIG = 0, 1, 2
_MAX_MATCH = 400  # characters of a line (or joined header) any pattern looks at
_HEADER_SPAN = 4  # an attribution may be wrapped over this many lines
_BLOCK_WINDOW = 8  # lines looked at for an Outlook header block

_QUOTE_MARK = re.compile(r"[ \t]*>")
_SEPARATOR = re.compile(r"[ \t]*(?:_{5,}|-{5,}|={4,}|\*{5,})[ \t]*$")

# "-----Original Message-----", "-------- Message d'origine --------", forwards, in many languages.
_MARKER_PHRASES = (
    r"original message|original e-?mail|reply message|forwarded message|forwarded e-?mail"
    r"|ursprüngliche nachricht|originalnachricht|weitergeleitete nachricht"
    r"|message d'origine|message original|message transféré|courriel original"
    r"|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato"
    r"|oorspronkelijk bericht|origineel bericht|doorgestuurd bericht"
    r"|oprindelig meddelelse|oprindelig besked|videresendt meddelelse|opprinnelig melding|videresendt melding"
    r"|ursprungligt meddelande|vidarebefordrat meddelande|alkuperäinen viesti|välitetty viesti"
    r"|oryginalna wiadomość|przekazana wiadomość|wiadomość oryginalna|původní zpráva|přeposlaná zpráva"
    r"|mensagem original|mensagem encaminhada|исходное сообщение|пересылаемое сообщение"
    r"|eredeti üzenet|orijinal mesaj|αρχικό μήνυμα"
)
_MARKER = re.compile(rf"[ \t]*-{{2,}}[ \t]*(?:{_MARKER_PHRASES})[ \t]*-{{2,}}[ \t]*$", re.IGNORECASE)
_FORWARD_INTRO = re.compile(
    r"[ \t]*(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié"
    r"|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht"
    r"|início da mensagem reencaminhada|forwarded message)[ \t]*:[ \t]*$",
    re.IGNORECASE,
)

# Outlook-style header blocks: a "From" label and at least one other label in a few lines.
_FROM_LABELS = (
    r"from|de|von|van|da|fra|från|od|от|lähettäjä|feladó|kimden|mittente|remetente|afzender|frá"
    r"|发件人|寄件者|差出人"
)
_DATE_LABELS = (
    r"sent|date|gesendet|datum|envoyé|envoyé le|date d'envoi|message du|enviado|enviada|fecha|data|inviato"
    r"|verzonden|verstuurd|sendt|dato|skickat|lähetetty|päivämäärä|wysłano|wysłane|odesláno|отправлено"
    r"|дата|elküldve|gönderildi|tarih|日期|发送时间|送信日時"
)
_OTHER_LABELS = (
    r"to|cc|bcc|subject|reply-to|importance|an|betreff|kopie|à|a|objet|sujet|copie|copie à|para|asunto"
    r"|assunto|oggetto|aan|onderwerp|til|emne|till|ämne|vastaanottaja|aihe|do|temat|komu|předmět|кому"
    r"|тема|копия|címzett|tárgy|kime|konu|收件人|主题|宛先|件名"
)
_LABEL = re.compile(
    rf"[ \t]*\*?(?:(?P<from>{_FROM_LABELS})|(?P<date>{_DATE_LABELS})|(?P<other>{_OTHER_LABELS}))\*?[ \t\xa0]*:",
    re.IGNORECASE,
)

# Attribution lines. A "lead" form starts with a word like "On"/"Am"/"Le"; a lead-less
# form starts with a date or a short weekday followed by a number (Gmail in many locales).
# Their verbs, as the last word before the colon ("a écrit" ends in "écrit").
_WROTE = frozenset(
    (
        "wrote", "writes", "schrieb", "geschrieben", "écrit", "escribió", "escreveu", "scritto", "scrive",
        "schreef", "geschreven", "skrev", "kirjoitti", "napisał", "napisała", "napisal", "napsal", "napsala",
        "написал", "написала", "написав", "пишет", "yazdı", "írta", "έγραψε", "escriure", "scris",
    )
)  # fmt: skip
_WROTE_CJK = ("写道", "寫道", "のメッセージ")
_BRACKETED = re.compile(r"<[^<>]*>?|\([^()]*\)?|\[[^\[\]]*\]?")
_LEAD = re.compile(
    r"(?:on|am|le|el|op|il|in data|w dniu|dnia|em|den|på|dne|v|в|στις|no dia)[ \t\xa0]",
    re.IGNORECASE,
)
_LEADLESS = re.compile(r"(?:\d|[^\W\d_]{1,12}[.,]?[ \t\xa0]+\d)")
# Either form, one match a line: the `lead` group is set when the lead form matched (tried first).
_LEAD_OR_LEADLESS = re.compile(f"(?P<lead>(?i:{_LEAD.pattern}))|{_LEADLESS.pattern}")
# A time, a numeric date or an address: what a client's attribution has and a sentence rarely does.
_STRONG = re.compile(r"\d{1,2}[:.]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|@")

# Signatures.
# "-- " and "__" (with any trailing space) alone on a line; compared after rstrip, as a set lookup.
_SIG_DELIMITERS = frozenset(("--", "__"))
_SIGN_OFF = re.compile(
    r"[ \t]*(?:sent from|sent with|sent via|sent using|get outlook for|envoyé de mon|envoyé depuis"
    r"|envoyé à partir de|von meinem|gesendet von|gesendet mit|enviado desde|enviado do meu|enviado de meu"
    r"|enviado a partir do|inviato da|verzonden vanaf|verstuurd vanaf|verzonden met|sendt fra|skickat från"
    r"|lähetetty|wysłane z|отправлено с)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_PHONE_SIGN_OFF = re.compile(
    r"[ \t]*(?:sent from my|get outlook for|envoyé de mon|envoyé à partir de outlook|von meinem|gesendet von outlook"
    r"|enviado desde mi|enviado do meu|enviado de meu|inviato da|verzonden vanaf mijn|verstuurd vanaf mijn"
    r"|sendt fra min|skickat från min|lähetetty|wysłane z)\b",
    re.IGNORECASE,
)
_URL_TAIL = re.compile(r"[ \t]*(?:<[^>\s]*>|\([^)\s]*\)|\[[^\]\s]*\])[ \t]*\.?$")
_CLOSINGS = frozenset(
    (
        "regards", "best regards", "kind regards", "warm regards", "warmest regards", "best wishes",
        "all the best", "best", "cheers", "many thanks", "thanks", "thank you", "thanks again", "thanks a lot",
        "thank you very much", "thx", "sincerely", "yours sincerely", "sincerely yours", "yours truly",
        "yours faithfully", "cordially", "respectfully", "greetings", "with thanks", "with best regards",
        "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "freundliche grüsse",
        "viele grüße", "viele grüsse", "beste grüße", "liebe grüße", "lg", "mfg", "gruß", "grüße",
        "danke", "vielen dank", "cordialement", "bien cordialement", "bien à vous", "salutations",
        "merci", "merci beaucoup", "saludos", "saludos cordiales", "un saludo", "atentamente", "gracias",
        "muchas gracias", "cordiali saluti", "saluti", "distinti saluti", "grazie", "met vriendelijke groet",
        "vriendelijke groet", "vriendelijke groeten", "groeten", "groet", "mvg", "bedankt", "med vänliga hälsningar",
        "vänliga hälsningar", "hälsningar", "mvh", "med venlig hilsen", "venlig hilsen", "hilsen",
        "med vennlig hilsen", "vennlig hilsen", "ystävällisin terveisin", "terveisin", "pozdrawiam",
        "z poważaniem", "atenciosamente", "abraços", "obrigado", "obrigada", "cumprimentos", "с уважением",
        "спасибо", "saygılarımla", "üdvözlettel", "s pozdravem",
    )
)  # fmt: skip
_CLOSING_TRAIL = " \t,.!;:-–—"
_MAX_CLOSING_TAIL = 5  # name, title, company, phone, link
_MAX_TAIL_LINE = 60


def split_reply(text: str) -> tuple[str, str, str]:
    """Return (new_text, quoted_text, signature) of a plain-text body.

    Each part keeps its original lines; leading and trailing blank lines are dropped.
    """
    lines = _lines(text)
    kinds = _mark_quotes(lines)
    _mark_signature(lines, kinds)
    return _join(lines, kinds, _NEW), _join(lines, kinds, _QUOTED), _join(lines, kinds, _SIG)


def new_text(text: str) -> str:
    """split_reply(text)[0], without joining the parts no one asked for."""
    lines = _lines(text)
    kinds = _mark_quotes(lines)
    _mark_signature(lines, kinds)
    return _join(lines, kinds, _NEW)


def cut_history(text: str) -> str:
    """`text` without its quoted history, by the rules of split_reply, the signature kept.

    For text that is not a parsed body (a training row, a text handed to the classifier as it is):
    the history is another writer's words, while a sign-off is still the sender's.
    """
    lines = _lines(text)
    kinds = _mark_quotes(lines)
    return "\n".join(line for line, k in zip(lines, kinds, strict=True) if k != _QUOTED)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _join(lines: list[str], kinds: list[int], kind: int) -> str:
    if kind not in kinds:  # most mail has no quote or no signature: nothing to join
        return ""
    return "\n".join([line for line, k in zip(lines, kinds, strict=True) if k == kind]).strip("\n").rstrip()


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_quoted(line: str) -> bool:
    return ">" in line and _QUOTE_MARK.match(line) is not None  # the substring test is the cheaper one


def _mark_quotes(lines: list[str]) -> list[int]:
    n = len(lines)
    kinds = [_NEW] * n
    i = 0
    # Whether lines[i - 1] is ">"-quoted (_wrapped_quote_end's first test), carried from the line before.
    prev_quoted = False
    while i < n:
        line = lines[i]
        if ">" in line and _QUOTE_MARK.match(line):  # _is_quoted and _is_blank, inlined: this loop sees every line
            kinds[i] = _QUOTED
            i += 1
            prev_quoted = True
            continue
        prev_quoted, was_quoted = False, prev_quoted  # every branch below leaves past an unquoted line
        if not line.strip():
            i += 1
            continue
        cont = _wrapped_quote_end(lines, i) if was_quoted else 0
        if cont:
            for j in range(i, cont):
                kinds[j] = _QUOTED
            i = cont
            continue
        header = _header_at(lines, i)
        if header is None:
            i += 1
            continue
        end, rest_quoted, certain = header
        nxt = end
        while nxt < n and _is_blank(lines[nxt]):
            nxt += 1
        quote_follows = nxt < n and _is_quoted(lines[nxt])
        if not certain and not quote_follows:
            i += 1
            continue
        start = _absorb_separators(lines, kinds, i)
        if rest_quoted or not quote_follows:
            # Outlook and forwards quote without ">": everything below is history.
            for j in range(start, n):
                kinds[j] = _QUOTED
            break
        for j in range(start, end):
            kinds[j] = _QUOTED
        i = end
        prev_quoted = _is_quoted(lines[end - 1])  # a wrapped header may end in a lone ">:"
    _close_quote_gaps(lines, kinds)
    return kinds


def _close_quote_gaps(lines: list[str], kinds: list[int]) -> None:
    """Blank lines with quoted lines on both sides belong to the quote."""
    if _QUOTED not in kinds:  # most new mail quotes nothing
        return
    previous: int | None = None  # the last quoted line, if only blank lines followed it
    for i, line in enumerate(lines):
        if not line.strip():  # _is_blank, inlined: this loop sees every line
            continue
        if kinds[i] != _QUOTED:
            previous = None
            continue
        if previous is not None:
            for j in range(previous + 1, i):
                kinds[j] = _QUOTED
        previous = i


def _wrapped_quote_end(lines: list[str], i: int) -> int:
    """A short unquoted run squeezed between quoted lines is a quote line the sender's client re-wrapped."""
    if i == 0 or not _is_quoted(lines[i - 1]):
        return 0
    j = i
    while j < len(lines) and j - i < 2 and not _is_blank(lines[j]) and not _is_quoted(lines[j]):
        j += 1
    return j if j < len(lines) and _is_quoted(lines[j]) else 0


def _absorb_separators(lines: list[str], kinds: list[int], i: int) -> int:
    """Include the "____" / "-----" / "====" rule a client draws above the quoted header."""
    start = i
    j = i - 1
    while j >= 0 and kinds[j] == _NEW and (_is_blank(lines[j]) or _SEPARATOR.match(lines[j])):
        if not _is_blank(lines[j]):
            start = j
        j -= 1
    return start


def _header_at(lines: list[str], i: int) -> tuple[int, bool, bool] | None:
    """If a quote header starts at line i: (end line, all that follows is quoted, header is certain).

    An uncertain header ("On May 5 you wrote:") counts only when ">"-quoted lines follow it.
    """
    first = lines[i][:_MAX_MATCH]
    # a marker line holds dashes, a forward intro ends in a colon: most lines hold neither
    if ("-" in first and _MARKER.match(first)) or (":" in first and _FORWARD_INTRO.match(first)):
        return i + 1, True, True
    block = _outlook_block_end(lines, i) if ":" in first else 0  # every label ends in a colon
    if block:
        return block, True, True
    return _attribution(lines, i)


def _outlook_block_end(lines: list[str], i: int) -> int:
    """End of a "From: / Sent: / To: / Subject:" block starting at line i (needs a From and a date label)."""
    head = lines[i][:_MAX_MATCH]
    first = _LABEL.match(head) if ":" in head else None  # every label ends in a colon; the test is cheaper
    if first is None:
        return 0
    seen = {name for name, value in first.groupdict().items() if value is not None}
    last = i
    limit = min(len(lines), i + _BLOCK_WINDOW)
    j = i + 1
    while j < limit and not _is_blank(lines[j]):
        m = _LABEL.match(lines[j][:_MAX_MATCH])
        if m:
            seen.update(name for name, value in m.groupdict().items() if value is not None)
            last = j
        j += 1
    return last + 1 if {"from", "date"} <= seen else 0


def _strip_decoration(line: str) -> str:
    """Zoho and Yahoo wrap attributions in dashes: "---- On … wrote ----"."""
    return line.strip(" \t\xa0-").replace("\xa0", " ")


def _attribution(lines: list[str], i: int) -> tuple[int, bool, bool] | None:
    head = _strip_decoration(lines[i][:_MAX_MATCH])
    start = _LEAD_OR_LEADLESS.match(head)
    if start is None:
        return None
    lead = start.group("lead") is not None
    joined = head
    for k in range(_HEADER_SPAN):
        j = i + k
        if j >= len(lines) or _is_blank(lines[j]):
            return None
        if k:
            # A wrapped address can leave a lone ">:" on the next line; real quoted text ends the search.
            if _is_quoted(lines[j]) and len(lines[j].strip()) > 2:
                return None
            joined = f"{joined} {_strip_decoration(lines[j][:_MAX_MATCH])}"
            if len(joined) > _MAX_MATCH:
                return None
        strength = _attribution_strength(joined, lead)
        if strength:
            return j + 1, False, strength == 2
    return None


def _attribution_strength(text: str, lead: bool) -> int:
    """2: certainly a client's attribution line; 1: only if quoted lines follow; 0: not one."""
    if not text or not (text[-1] == ":" or text[-1].isalpha()):
        return 0  # every form ends with a colon or a verb ("… wrote")
    strong = _STRONG.search(text) is not None
    if lead:
        if _ends_with_verb(text) or _verb_then_name(text):
            return 2 if strong else (1 if any(c.isdigit() for c in text) else 0)
        return 0
    if not strong or text[-1] != ":":
        return 0
    return 2 if _ends_with_address(text) or _ends_with_verb(text) or _verb_then_name(text) else 0


def _ends_with_verb(text: str) -> bool:
    """ "… wrote:", "… napisał(a):", "… wrote" (no colon, as Zoho writes it)."""
    text = text.rstrip(" \t:")
    if text.endswith("(a)"):
        text = text[:-3].rstrip()
    if text.endswith(_WROTE_CJK):
        return True
    words = text[-40:].split()
    return bool(words) and words[-1].lower() in _WROTE


def _ends_with_address(text: str) -> bool:
    """ "… <name@example.com>:" or "… (name@example.com):" or "… name@example.com:"."""
    if not text.endswith(":"):
        return False
    text = text[:-1].rstrip()
    if text.endswith((">", ")", "]", '"')):
        return True
    words = text[-120:].split()
    return bool(words) and "@" in words[-1] and "." in words[-1].rpartition("@")[2]


def _verb_then_name(text: str) -> bool:
    """ "Am 16.11.26 um 14:20 schrieb Juniper & Oak:", "… skrev Test User <t@example.com>:".

    After the verb only a name (and its address) may follow: a few words, no sentence punctuation.
    """
    if not text.endswith(":"):
        return False
    words = text[:-1].split()
    for k in range(len(words) - 1, max(len(words) - 9, -1), -1):
        if words[k].lower().strip("\"'") in _WROTE:
            name = _BRACKETED.sub(" ", " ".join(words[k + 1 :]))
            return 0 < len(name.split()) <= 6 and not any(c in name for c in ",.;!?")
    return False


def _mark_signature(lines: list[str], kinds: list[int]) -> None:
    """Mark the sender's signature among the new lines (the first delimiter, sign-off or closing)."""
    new = [i for i, k in enumerate(kinds) if k == _NEW and lines[i].strip()]
    for pos, i in enumerate(new):
        line = lines[i]
        if line.rstrip() in _SIG_DELIMITERS:
            if pos == 0:
                continue
            _mark_from(kinds, new[pos:], _SIG)
            return
        if pos and _is_sign_off(line, last=pos == len(new) - 1):
            kinds[i] = _SIG
            # A phone client puts the sign-off under what was typed: below it is the original.
            _mark_from(kinds, new[pos + 1 :], _QUOTED)
            return
        if pos and _is_closing(line) and _name_block_follows(lines, new[pos + 1 :]):
            _mark_from(kinds, new[pos:], _SIG)
            return


def _mark_from(kinds: list[int], indexes: list[int], kind: int) -> None:
    if not indexes:
        return
    first = indexes[0]
    for j in range(first, len(kinds)):
        if kinds[j] == _NEW:
            kinds[j] = kind


def _is_sign_off(line: str, *, last: bool = True) -> bool:
    """ "Sent from my iPhone", "Get Outlook for Android<url>", "Von meinem iPhone gesendet".

    With more text below it, only the phone forms count ("Sent via PayPal." in a sentence list
    must not swallow what follows).
    """
    if len(line) > 120:
        return False
    m = _SIGN_OFF.match(line)
    if m is None or not (last or _PHONE_SIGN_OFF.match(line)):
        return False
    rest = _URL_TAIL.sub("", m.group("rest")).strip().rstrip(".")
    if any(c in rest for c in ",;!?:"):
        return False
    return len(rest.split()) <= 6


def _is_closing(line: str) -> bool:
    text = line.strip().rstrip(_CLOSING_TRAIL).lower()
    return len(text) <= 40 and text in _CLOSINGS


def _name_block_follows(lines: list[str], rest: list[int]) -> bool:
    """A closing starts a signature only when a short name block follows it.

    A lone "Thanks!" at the end is part of the message; "Thanks,\nAlex" is a signature.
    """
    count = 0
    for i in rest:
        text = lines[i].strip()
        if text in _SIG_DELIMITERS or _is_sign_off(text):
            break
        count += 1
        if count > _MAX_CLOSING_TAIL or len(text) > _MAX_TAIL_LINE or text.lower().startswith(("p.s", "ps:", "ps ")):
            return False
    return count > 0
