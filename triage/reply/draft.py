"""Reply drafts: one coherent answer per message, in the customer's language, asking only for what is missing.

Pure: the message, its triage and the shop settings in, a `Draft` (or None for
mail that must never be answered) out. The wording lives in jinja2 templates
under `templates/replies/<lang>/` so a shop can make it its own; what must not
be left to a template is here: who the reply goes to, the threading headers,
the subject, cleaning every customer-supplied value, the vetted "never send us
card data" note, and `assert_safe`, which refuses any draft that asks for or
echoes payment or login secrets.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from stdnum import luhn

from triage.errors import TemplateError
from triage.records import STAGE_FAMILIES, Draft, Extraction, IntentResult, OrderMatch, ParsedMessage
from triage.resources import REPLY_TEMPLATES, bundled
from triage.settings import ReplySettings
from triage.text import MARKER, plain
from triage.understand.language import LANGUAGES, detect_language, language_of, language_scores

TEMPLATES_DIR = bundled(REPLY_TEMPLATES)

SECTION_INTENTS: tuple[str, ...] = ("cancel", "duplicate", "address_fix", "refund", "other")

# The only place a draft may name card data or passwords: a fixed, reviewed paragraph telling the
# customer never to send them. It lives in code, not in an editable template, so `assert_safe` can
# cut exactly these words out and refuse any other mention.
SAFETY_NOTES: dict[str, str] = {
    "en": (
        "For your security, we have removed payment and login details from our copy of your message. "
        "Please never send card numbers, security codes (CVV), PINs, passwords or online banking details "
        "by email. We will never ask for them, and refunds always go back to the way you paid."
    ),
    "de": (
        "Zu Ihrer Sicherheit haben wir Zahlungs- und Zugangsdaten aus unserer Kopie Ihrer Nachricht entfernt. "
        "Bitte senden Sie uns niemals Kartennummern, Sicherheitscodes (CVV), PINs, Passwörter oder "
        "Online-Banking-Zugangsdaten per E-Mail. Wir fragen nie danach, und Erstattungen gehen immer auf "
        "dem Weg zurück, auf dem Sie bezahlt haben."
    ),
    "es": (
        "Por su seguridad, hemos eliminado los datos de pago y de acceso de nuestra copia de su mensaje. "
        "Por favor, no nos envíe nunca por correo electrónico números de tarjeta, códigos de seguridad (CVV), "
        "PIN, contraseñas ni datos de acceso a su banca en línea. Nunca se los pediremos, y los reembolsos "
        "siempre se devuelven al mismo medio de pago que usó."
    ),
    "fr": (
        "Pour votre sécurité, nous avons supprimé les données de paiement et de connexion de notre copie de "
        "votre message. Merci de ne jamais nous envoyer par e-mail de numéros de carte, de codes de sécurité "
        "(CVV), de codes PIN, de mots de passe ni vos identifiants de banque en ligne. Nous ne vous les "
        "demanderons jamais, et les remboursements sont toujours effectués sur le moyen de paiement utilisé."
    ),
}

# Words that name a payment or login secret, in the four languages, matched on lower-cased text
# without accents. Outside the safety note a draft has no reason to use any of them.
_SENSITIVE = re.compile(
    r"""\b(?:
      (?:credit\s*|debit\s*)?card\s*(?:numbers?|no\b|details|data|digits)|cvv2?|cvc2?|security\s*codes?
    | card\s*verification|verification\s*codes?|expir(?:y|ation)\s*dates?|exp\.?\s*date|valid\s*(?:thru|through)
    | pass(?:words?|codes?|phrases?)|pins?(?:\s*(?:codes?|numbers?))?|(?:online|internet)\s*banking
    | bank(?:ing)?\s*(?:logins?|passwords?|credentials|access)|login\s*(?:details|credentials|data)|credentials
    | seed\s*phrases?|recovery\s*phrases?|private\s*keys?|wallets?
    | (?:kredit)?karten(?:nummer\w*|daten|prufnummer\w*)|kreditkarte\w*|prufnummer\w*|prufziffer\w*
    | sicherheitscode\w*|ablaufdatum|gultig\s*bis|passwort\w*|passworter|kennwort\w*|zugangsdaten|geheimzahl
    | online-banking\w*|onlinebanking|wiederherstellungsphrase|privater\s*schlussel
    | numeros?\s*de\s*(?:la\s*|su\s*)?tarjeta|datos\s*de\s*(?:la\s*|su\s*)?tarjeta|codigos?\s*de\s*seguridad
    | fecha\s*de\s*(?:caducidad|vencimiento|expiracion)|contrasenas?|clave\s*(?:de\s*acceso|privada|secreta)
    | banca\s*(?:en\s*linea|online|electronica)|credenciales|frase\s*(?:semilla|de\s*recuperacion)
    | numeros?\s*de\s*(?:la\s*|votre\s*)?carte|cryptogramme|codes?\s*de\s*securite|date\s*d'expiration
    | mots?\s*de\s*passe|identifiants?|codes?\s*(?:pin|secret|confidentiel)|banque\s*en\s*ligne
    | phrase\s*de\s*recuperation|cle\s*privee
    )\b""",
    re.X,
)
# Digit runs with single separators; a leading "+" marks an international phone number, not a card.
_DIGIT_RUN = re.compile(r"(?<![\d+])\d(?:[ \-.\u00a0]?\d)*")

_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|antw|sv|vs|rv|réf|wg|fw|fwd|tr|vb|doorst)\s*(?:\[\d+\]|\(\d+\))?\s*(?:\.\s*:|[.:])\s*", re.I
)
_BOT_LOCALPARTS = re.compile(r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(?:[+.-].*)?@", re.I)
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"\\]+@[^\s@<>()\[\],;:\"\\]+\.[^\s@<>()\[\],;:\"\\]+$")
_MSG_ID = re.compile(r"^[^\s<>]+$")
MAX_REFERENCES = 20


@dataclass(frozen=True)
class ThreadContext:
    """What the reply must know of the conversation besides its standing requests and known details."""

    chased: bool = False  # the customer had to write again: say sorry for the wait
    withdrawn: tuple[str, ...] = ()  # requests taken back: a withdrawn cancel gets "we'll leave it as it is"
    follow_up: bool = False  # the reply answers a later message of a conversation


def make_draft(
    parsed: ParsedMessage,
    intent: IntentResult,
    extraction: Extraction,
    match: OrderMatch,
    missing: Sequence[str],
    redactions: Mapping[str, int],
    reply: ReplySettings,
    thread: ThreadContext | None = None,
) -> Draft | None:
    """The reply an agent can send after reading it, or None when this message must never get one.

    For a conversation, `intent`, `extraction`, `missing` and `redactions` are the conversation's, and
    `parsed` is its latest customer message (the one the reply answers).

    Raises TemplateError when a template is broken or the result fails `assert_safe`.
    """
    if parsed.no_reply:
        return None
    to = reply_recipient(parsed, reply.own_addresses)
    if to is None:
        return None
    root = reply.templates or TEMPLATES_DIR
    text = parsed.new_text or parsed.body_text
    # A bare "1047" says nothing about the language; the subject may ("Stornierung").
    scores = language_scores(text)
    lang = language_of(scores) if any(scores.values()) else detect_language(strip_reply_prefixes(parsed.subject))
    if not _has_language(root, lang):
        lang = "en"
    words = _words(root, lang)
    context = _context(parsed, intent, extraction, match, missing, redactions, reply, lang, words, to)
    t = thread or ThreadContext()
    standing = set(intent.intents)
    context["thread"] = {
        "chased": t.chased,
        "follow_up": t.follow_up,
        "withdrawn": [w for w in t.withdrawn if w not in standing],
        "keep_order": "cancel" in t.withdrawn and "cancel" not in standing,
    }
    body = render_reply(root, lang, context)
    if redactions and SAFETY_NOTES[lang] not in body:
        raise TemplateError(f"{root / lang / 'reply.txt'}: must print {{{{ safety_note }}}} when `redacted` is set")
    assert_safe(body)
    subject = reply_subject(parsed.subject, str(words["your_message"]))
    _refuse_cards_in_subject(subject)
    message_id = _msg_id(parsed.message_id)
    refs = [r for r in (_msg_id(x) for x in parsed.references) if r]
    if message_id and message_id not in refs:
        refs.append(message_id)
    if len(refs) > MAX_REFERENCES:  # RFC 5322: keep the root and the most recent ones
        refs = refs[:1] + refs[-(MAX_REFERENCES - 1) :]
    return Draft(to=to, subject=subject, body=body, in_reply_to=message_id, references=tuple(refs), language=lang)


# ---------------------------------------------------------------- headers


def clean_line(value: str | None, limit: int = 200) -> str:
    """One safe line from a customer-supplied value: no CR/LF, control or format characters, no markers.

    A redaction marker ("[card •••• 1111]") is never echoed, not even its last four digits.
    """
    if not value:
        return ""
    value = MARKER.sub(" ", value)
    value = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in value)
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return value


def strip_reply_prefixes(subject: str) -> str:
    """The subject without any leading Re:/AW:/SV:/RV:/Réf./Fwd:/WG:/TR: (and "Re[2]:") prefixes."""
    subject = clean_line(subject, 250)
    while True:
        stripped = _REPLY_PREFIX.sub("", subject, count=1)
        if stripped == subject:
            return subject.strip()
        subject = stripped


def reply_subject(subject: str, fallback: str = "Your message") -> str:
    """`Re: <subject>` with exactly one prefix.

    Forward prefixes go too: the customer forwarded something *to us*, and our answer starts
    the conversation about it, so "Fwd: Order confirmation" becomes "Re: Order confirmation".
    """
    core = strip_reply_prefixes(subject)  # also drops redaction markers: they mean nothing to the customer
    return "Re: " + (core or fallback)


def reply_recipient(parsed: ParsedMessage, own: frozenset[str]) -> str | None:
    """Reply-To, else From; never the shop's own addresses, a robot's, or anything that is not one address.

    None for a sender the parser could not verify: who that mail is from is an agent's call, and a
    prepared reply would only invite sending it to whichever address the headers pretend to.
    """
    if parsed.sender_unverified:
        return None
    domains = tuple(a for a in own if a.startswith("@"))
    for candidate in (parsed.reply_to, parsed.from_addr):
        addr = clean_line(candidate, 254).strip("<>").lower()
        if not addr or not _ADDRESS.match(addr) or _BOT_LOCALPARTS.match(addr):
            continue
        if addr in own or addr.endswith(domains):
            continue
        return addr
    return None


def _msg_id(value: str | None) -> str | None:
    """A Message-ID as a header value (with angle brackets), or None when it is not a single token."""
    value = (value or "").strip().strip("<>").strip()
    return f"<{value}>" if value and _MSG_ID.match(value) and value.isprintable() else None


# ---------------------------------------------------------------- safety


def _refuse_card_numbers(text: str, where: str) -> None:
    for m in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            # Never quote the number itself: this message may end up in a log.
            raise TemplateError(f"draft {where} contains a card-like number ({len(digits)} digits, Luhn-valid)")


def _refuse_cards_in_subject(subject: str) -> None:
    """The subject is the customer's own words: whether a number in it is a card is the redactor's decision, not
    Luhn's alone. A number it kept ("IMEI 356938035643809", a labelled tracking number that happens to pass Luhn)
    is no card, and refusing the draft for it left the customer with none; one it finds (a subject that reached
    here unredacted) still refuses the draft."""
    from triage.redact import redact  # (the redactor's tables load on first use, not with the templates)

    if any(f.kind == "card_number" for f in redact(subject).findings):
        raise TemplateError("draft subject contains a card number (the redactor finds one)")


def assert_safe(body: str) -> None:
    """Refuse a draft that echoes a card number or names a payment or login secret.

    A card number is any 13-19 digit run that passes Luhn. Secrets are named only
    in the vetted SAFETY_NOTES (which tell the customer *not* to send them); any
    other mention, in any of the four languages, is treated as a request and
    refused. So a template can never ask for a CVV, however it is phrased.
    """
    _refuse_card_numbers(body, "body")
    scan = body
    for note in SAFETY_NOTES.values():
        scan = scan.replace(note, " ")
    m = _SENSITIVE.search(plain(scan).replace("’", "'"))
    if m:
        raise TemplateError(
            f"draft names sensitive data ({m.group().strip()!r}) outside the vetted safety note: "
            "a reply must never ask for card data, passwords or PINs; print {{ safety_note }} instead"
        )


# ---------------------------------------------------------------- context


def stage_family(stage: str | None) -> str:
    return STAGE_FAMILIES.get(stage or "unknown", "unknown")


def order_ref(number: str) -> str:
    """How an order number is written to a customer: "#1042" for plain digits, a configured form as is."""
    number = clean_line(number, 40)
    return f"#{number}" if number.isdigit() else number


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def sections_for(intents: Sequence[str]) -> list[str]:
    """The intents that get their own paragraph, so a multi-intent message reads as one letter.

    A cancel already says what happens to the money, and a duplicate is a cancel of one
    of two orders, so those absorb refund and cancel; `other` only stands alone.
    """
    found = [i for i in _unique(list(intents)) if i in SECTION_INTENTS]
    if "duplicate" in found:
        found = [i for i in found if i not in ("cancel", "refund")]
    if "cancel" in found:
        found = [i for i in found if i != "refund"]
    if len(found) > 1:
        found = [i for i in found if i != "other"]
    return found or ["other"]


def asks_for(missing: Sequence[str], sections: Sequence[str], named_orders: int) -> list[str]:
    """The detail names the reply asks for: `missing`, minus what the reply itself makes redundant."""
    asks = _unique(list(missing))
    if "order_numbers" in asks:
        asks = [a for a in asks if a != "order_number"]
    if "duplicate" in sections:
        asks = [a for a in asks if a != "reason"]  # the reason is the duplicate
        if named_orders >= 2:
            asks = [a for a in asks if a != "order_numbers"]  # the reply names both already
    return asks


def _context(
    parsed: ParsedMessage,
    intent: IntentResult,
    ex: Extraction,
    match: OrderMatch,
    missing: Sequence[str],
    redactions: Mapping[str, int],
    reply: ReplySettings,
    lang: str,
    words: Mapping[str, Any],
    to: str,
) -> dict[str, Any]:
    customer = {a.lower() for a in (to, parsed.from_addr, parsed.reply_to or "", *ex.emails) if a}
    o = match.order
    # An order placed under another address is not confirmed to belong to this sender: say nothing about it.
    verified = o is not None and (not o.email or o.email.lower() in customer)
    order = None
    if o is not None and verified:
        stage = o.stage if o.stage in STAGE_FAMILIES else "unknown"
        partial = stage == "in_progress" and (o.fulfillment_status or "").lower() == "partial"
        stages = words["stages"]
        order = {
            "ref": order_ref(o.number),
            "stage": stage,
            "stage_words": stages["in_progress_partial" if partial else stage],
            "family": stage_family(stage),
            "payment": (o.financial_status or "").lower(),
            "partial": partial,
        }
    mentioned = [order_ref(n) for n in ex.order_numbers]
    intro = {
        "written": "",
        "candidates": [],
        "not_found": [],
        "unverified": order_ref(o.number) if o is not None and not verified else "",
        "pair": [],
    }
    if order and match.how == "near_number":
        intro["written"] = next((m for m in mentioned if m != order["ref"]), "")
    if o is None and match.how == "ambiguous":
        intro["candidates"] = sorted(order_ref(c) for c in match.candidates)
    if o is None and match.how != "ambiguous" and mentioned:
        intro["not_found"] = mentioned
        intro["candidates"] = sorted(order_ref(c) for c in match.candidates)

    sections = sections_for(intent.intents)
    pool = list(mentioned) + ([order["ref"]] if order else [])
    if match.how in ("number", "ambiguous", "email_inferred"):
        pool += sorted(order_ref(c) for c in match.candidates)
    if intro["unverified"]:
        pool = [p for p in pool if p != intro["unverified"]]
    both = _unique(pool)
    keep = order_ref(ex.keep_order) if ex.keep_order else ""
    duplicate = {"orders": both, "keep": keep if keep in both else "", "drop": [n for n in both if n != keep]}
    if not duplicate["keep"]:
        duplicate["drop"] = []
    # A duplicate is about two orders: the intro names both instead of one order's stage.
    intro["pair"] = both if "duplicate" in sections and len(both) >= 2 and order else []

    asks = asks_for(missing, sections, len(both))
    if intro["unverified"] and "checkout_email" not in asks:
        asks.append("checkout_email")
    details = words["details"]
    family = order["family"] if order else "unknown"
    payment = order["payment"] if order else ""
    money_moves = "refund" in sections or (bool({"cancel", "duplicate"} & set(sections)) and family != "unknown")
    signature = reply.signature.strip()
    if reply.shop_name and reply.shop_name not in signature:
        signature = f"{signature}\n{reply.shop_name}".strip()
    address = [_echo(line, 120) for line in (ex.address or "").splitlines()]
    return {
        "lang": lang,
        "name": _echo(ex.name or (o.customer_name if o is not None and verified else ""), 80),
        "order": order,
        "how": match.how,
        "intro": intro,
        "intents": list(intent.intents),
        # With two requests, each paragraph opens with its topic, so the letter reads as one answer to both.
        "sections": [
            {
                "intent": s,
                "template": f"{lang}/{s}.txt",
                "family": family,
                "topic": words["topics"][s] if len(sections) > 1 else "",
            }
            for s in sections
        ],
        "duplicate": duplicate,
        "address": [line for line in address if line][:8],
        "asks": [details.get(a) or a.replace("_", " ") for a in asks],
        "ask_names": asks,
        "refund_timing": money_moves and payment not in ("pending", "voided"),
        "redacted": bool(redactions),
        "safety_note": SAFETY_NOTES[lang],
        "shop": {"name": clean_line(reply.shop_name, 120), "support_address": reply.support_address},
        "signature": signature,
        "and_list": _and_list(str(words["and"])),
    }


def _echo(value: str | None, limit: int) -> str:
    """A customer value we may repeat back: one clean line, and dropped if `assert_safe` would refuse it.

    So a TemplateError always means a template is wrong, never that a customer wrote something odd.
    """
    line = clean_line(value, limit)
    try:
        assert_safe(line)
    except TemplateError:
        return ""
    return line


def _and_list(conjunction: str) -> Callable[[Sequence[str]], str]:
    def join(items: Sequence[str]) -> str:
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]

    return join


# ---------------------------------------------------------------- templates


def _has_language(root: Path, lang: str) -> bool:
    return lang in LANGUAGES and (root / lang / "reply.txt").is_file() and (root / lang / "words.toml").is_file()


@lru_cache(maxsize=8)
def _environment(root: str) -> jinja2.Environment:
    # Plain text: no autoescape. StrictUndefined turns a typo in a template into an error, not a blank.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


WORD_KEYS = ("and", "your_message", "stages", "details", "topics")


def _words(root: Path, lang: str) -> dict[str, Any]:
    path = root / lang / "words.toml"
    try:
        return _load_words(str(path), path.stat().st_mtime_ns)
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read: {exc.strerror}") from exc


@lru_cache(maxsize=16)
def _load_words(path: str, _mtime: int) -> dict[str, Any]:
    """The language's plain words for stages and details; every stage must be there."""
    try:
        with open(path, "rb") as fh:
            words = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: not valid TOML: {exc}") from exc
    missing = [k for k in WORD_KEYS if k not in words]
    missing += [f"stages.{s}" for s in (*STAGE_FAMILIES, "in_progress_partial") if s not in words.get("stages", {})]
    missing += [f"topics.{t}" for t in SECTION_INTENTS if t not in words.get("topics", {})]
    if missing:
        raise TemplateError(f"{path}: missing keys: {', '.join(missing)}")
    return words


def render_reply(root: Path, lang: str, context: Mapping[str, Any]) -> str:
    """Render `<lang>/reply.txt` and tidy the blank lines the template's blocks leave behind."""
    name = f"{lang}/reply.txt"
    try:
        text = _environment(str(root)).get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{root / (exc.name or name)} line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"reply template {exc.name} not found under {root}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"reply template {root / name}: {exc}") from exc
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
