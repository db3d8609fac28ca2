"""Reply drafts: golden letters per intent × stage family and language, what is asked, what is never said."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from stdnum import luhn

from triage.errors import TemplateError
from triage.mail.parse import parse_message
from triage.model.keywords import classify_keywords
from triage.orders.csv_import import read_orders
from triage.orders.match import index_orders, match_order
from triage.records import STAGE_FAMILIES, Draft, Extraction, IntentResult, Order, OrderMatch, ParsedMessage
from triage.redact import redact_message
from triage.reply.draft import (
    SAFETY_NOTES,
    TEMPLATES_DIR,
    asks_for,
    assert_safe,
    make_draft,
    reply_recipient,
    reply_subject,
    sections_for,
)
from triage.settings import KNOWN_DETAILS, ExtractSettings, OrdersSettings, ReplySettings
from triage.understand.extract import extract, missing_details
from triage.understand.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "data" / "drafts"
EMAILS = Path(__file__).parent / "data" / "emails"
SHOP = ReplySettings(
    shop_name="Juniper & Oak",
    support_address="support@juniper-oak.example.com",
    own_addresses=frozenset({"support@juniper-oak.example.com", "orders@juniper-oak.example.com"}),
    signature="The Juniper & Oak support team",
)


def message(**fields: Any) -> ParsedMessage:
    text = fields.pop("new_text", "")
    base: dict[str, Any] = {
        "message_id": "m1@example.org",
        "subject": "",
        "from_addr": "customer@example.org",
        "from_name": "",
        "reply_to": None,
        "to": (SHOP.support_address,),
        "cc": (),
        "date": None,
        "in_reply_to": None,
        "references": (),
        "body_text": text,
        "new_text": text,
        "quoted_text": "",
        "signature": "",
    }
    base.update(fields)
    base["references"] = tuple(base["references"])
    return ParsedMessage(**base)


def case_args(spec: dict[str, Any]) -> tuple[Any, ...]:
    """The make_draft arguments a golden JSON file describes."""
    parsed = message(**spec["message"])
    extraction = Extraction(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in spec.get("extraction", {}).items()}
    )
    order = Order(**spec["order"]) if spec.get("order") else None
    how = spec.get("how", "number" if order else "none")
    candidates = tuple(spec.get("candidates", [order.number] if order else []))
    shop = dataclasses.replace(SHOP, **spec.get("shop", {}))
    return (
        parsed,
        IntentResult(intents=tuple(spec["intents"]), scores={}),
        extraction,
        OrderMatch(order, how, candidates),
        tuple(spec.get("missing", ())),
        spec.get("redactions", {}),
        shop,
    )


def golden_draft(path: Path) -> Draft | None:
    return make_draft(*case_args(json.loads(path.read_text(encoding="utf-8"))))


CASES = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_draft(path: Path) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    draft = golden_draft(path)
    assert draft is not None
    assert draft.body == path.with_suffix(".txt").read_text(encoding="utf-8")
    expect = spec.get("expect", {})
    for key, value in expect.items():
        got = getattr(draft, key)
        assert (list(got) if isinstance(got, tuple) else got) == value, key
    if "to" not in expect:
        assert draft.to == (spec["message"].get("reply_to") or spec["message"]["from_addr"])
    assert draft.subject.startswith("Re: ") and not re.match(r"Re: (?:re|aw|fwd?)\b", draft.subject, re.I)
    # One letter: one greeting and one sign-off, however many requests it answers.
    assert draft.body.count(draft.body.splitlines()[0]) == 1
    assert draft.body.endswith((f"{SHOP.signature}\n", f"\n{SHOP.shop_name}\n"))


def test_goldens_cover_every_intent_and_stage_family_and_language() -> None:
    covered: set[tuple[str, str]] = set()
    languages: set[str] = set()
    multi = 0
    for path in CASES:
        spec = json.loads(path.read_text(encoding="utf-8"))
        family = STAGE_FAMILIES[spec["order"]["stage"]] if spec.get("order") else "unknown"
        sections = sections_for(spec["intents"])
        covered |= {(s, family) for s in sections}
        multi += len(sections) > 1 or len(spec["intents"]) > 1
        draft = golden_draft(path)
        assert draft is not None
        languages.add(draft.language)
    families = ("before", "label", "after", "closed", "unknown")
    needed = {(i, f) for i in ("cancel", "address_fix", "refund") for f in families}
    needed |= {("duplicate", "before"), ("duplicate", "unknown"), ("other", "before"), ("other", "unknown")}
    assert needed <= covered, sorted(needed - covered)
    assert languages == {"en", "de", "es", "fr"}
    assert multi >= 3


# ---------------------------------------------------------------- what is asked


ORDER = Order(number="1047", email="customer@example.org", stage="unfulfilled", financial_status="paid")
# What the customer must read for each detail, per language; written here, not read from words.toml.
ASK_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "order_number": "your order number",
        "order_numbers": "the numbers of both orders",
        "checkout_email": "the email address you used at checkout",
        "full_name": "the full name on the order",
        "country": "the country the order is being delivered to",
        "order_time": "roughly when you placed the order",
        "reason": "a short reason for your request",
        "keep_order": "which of the two orders you would like to keep",
        "current_address": "the delivery address as it is on the order now",
        "corrected_address": "the complete corrected address, all in one message",
    },
    "de": {
        "order_number": "Ihre Bestellnummer",
        "order_numbers": "die Nummern beider Bestellungen",
        "checkout_email": "die E-Mail-Adresse, mit der Sie bestellt haben",
        "full_name": "den vollständigen Namen auf der Bestellung",
        "country": "das Land, in das die Bestellung geliefert wird",
        "order_time": "ungefähr, wann Sie bestellt haben",
        "reason": "kurz den Grund für Ihr Anliegen",
        "keep_order": "welche der beiden Bestellungen Sie behalten möchten",
        "current_address": "die Lieferadresse, wie sie jetzt in der Bestellung steht",
        "corrected_address": "die vollständige korrigierte Adresse in einer Nachricht",
    },
    "es": {
        "order_number": "su número de pedido",
        "order_numbers": "los números de ambos pedidos",
        "checkout_email": "la dirección de correo electrónico que usó al hacer el pedido",
        "full_name": "el nombre completo que figura en el pedido",
        "country": "el país al que se envía el pedido",
        "order_time": "aproximadamente cuándo hizo el pedido",
        "reason": "en pocas palabras, el motivo de su solicitud",
        "keep_order": "cuál de los dos pedidos desea conservar",
        "current_address": "la dirección de entrega que figura ahora en el pedido",
        "corrected_address": "la dirección corregida completa, en un solo mensaje",
    },
    "fr": {
        "order_number": "votre numéro de commande",
        "order_numbers": "les numéros des deux commandes",
        "checkout_email": "l'adresse e-mail utilisée lors de la commande",
        "full_name": "le nom complet figurant sur la commande",
        "country": "le pays de livraison de la commande",
        "order_time": "à peu près quand vous avez passé la commande",
        "reason": "en quelques mots, le motif de votre demande",
        "keep_order": "laquelle des deux commandes vous souhaitez garder",
        "current_address": "l'adresse de livraison telle qu'elle figure actuellement sur la commande",
        "corrected_address": "l'adresse corrigée complète, en un seul message",
    },
}
TEXTS = {
    "en": "Hi, I would like to cancel my order please, thank you.",
    "de": "Hallo, ich möchte meine Bestellung bitte stornieren. Vielen Dank!",
    "es": "Hola, quiero cancelar mi pedido, por favor. Gracias.",
    "fr": "Bonjour, je voudrais annuler ma commande, s'il vous plaît. Merci.",
}
ASK_LEAD = {
    "en": "please reply with:",
    "de": "schicken Sie uns bitte noch:",
    "es": "respóndanos indicando:",
    "fr": "merci de nous indiquer en réponse :",
}


def cancel_draft(lang: str, missing: tuple[str, ...], intents: tuple[str, ...] = ("cancel",)) -> Draft:
    draft = make_draft(
        message(new_text=TEXTS[lang], subject="order"),
        IntentResult(intents, {}),
        Extraction(emails=("customer@example.org",)),
        OrderMatch(ORDER, "email_inferred", ("1047",)),
        missing,
        {},
        SHOP,
    )
    assert draft is not None and draft.language == lang
    return draft


def test_ask_phrases_cover_every_known_detail() -> None:
    assert all(set(table) == set(KNOWN_DETAILS) for table in ASK_PHRASES.values())


@pytest.mark.parametrize(("lang", "detail"), [(lang, d) for lang in ASK_PHRASES for d in KNOWN_DETAILS])
def test_asks_for_exactly_the_missing_detail(lang: str, detail: str) -> None:
    body = cancel_draft(lang, (detail,)).body
    assert ASK_LEAD[lang] in body
    assert f"- {ASK_PHRASES[lang][detail]}" in body
    assert [p for d, p in ASK_PHRASES[lang].items() if d != detail and p in body] == []


@pytest.mark.parametrize("lang", sorted(ASK_PHRASES))
def test_nothing_missing_asks_nothing(lang: str) -> None:
    body = cancel_draft(lang, ()).body
    assert ASK_LEAD[lang] not in body
    assert not re.search(r"^- ", body, re.M)
    assert [p for p in ASK_PHRASES[lang].values() if p in body] == []


@pytest.mark.parametrize(
    ("missing", "sections", "named", "expected"),
    [
        (("reason",), ["cancel"], 1, ["reason"]),
        (("order_number", "checkout_email"), ["refund"], 0, ["order_number", "checkout_email"]),
        # Asking for both numbers already asks for the one.
        (("order_number", "order_numbers", "keep_order"), ["duplicate"], 0, ["order_numbers", "keep_order"]),
        # A duplicate's reason is the duplicate.
        (("reason",), ["duplicate"], 2, []),
        # The reply names both orders it found under the sender's address.
        (("order_numbers", "keep_order"), ["duplicate"], 2, ["keep_order"]),
        (("order_numbers", "keep_order"), ["duplicate"], 1, ["order_numbers", "keep_order"]),
        (("reason", "reason"), ["cancel"], 1, ["reason"]),
        ((), ["other"], 0, []),
    ],
)
def test_asks_for(missing: tuple[str, ...], sections: list[str], named: int, expected: list[str]) -> None:
    assert asks_for(missing, sections, named) == expected


@pytest.mark.parametrize(
    ("intents", "sections"),
    [
        (("cancel",), ["cancel"]),
        (("cancel", "refund"), ["cancel"]),
        (("refund", "cancel"), ["cancel"]),
        (("duplicate", "cancel"), ["duplicate"]),
        (("address_fix", "cancel"), ["address_fix", "cancel"]),
        (("refund", "address_fix"), ["refund", "address_fix"]),
        (("other",), ["other"]),
        ((), ["other"]),
        (("bogus",), ["other"]),
    ],
)
def test_sections_for_multi_intent(intents: tuple[str, ...], sections: list[str]) -> None:
    assert sections_for(intents) == sections


def test_configured_detail_without_a_phrase_is_asked_in_plain_words() -> None:
    body = cancel_draft("en", ("gift_message",)).body
    assert "- gift message" in body


def test_missing_details_feed_the_draft_end_to_end() -> None:
    """What extract.missing_details leaves open is exactly what the letter asks for, in that order."""
    ex = Extraction(emails=("customer@example.org",), name="Ann Lee")
    match = OrderMatch(None, "none")
    missing = missing_details(("cancel",), ex, match)
    assert missing == ("order_number", "country", "order_time", "reason")
    draft = make_draft(message(new_text=TEXTS["en"]), IntentResult(("cancel",), {}), ex, match, missing, {}, SHOP)
    assert draft is not None
    asked = [line[2:] for line in draft.body.splitlines() if line.startswith("- ")]
    assert len(asked) == len(missing)
    assert all(line.startswith(ASK_PHRASES["en"][d]) for line, d in zip(asked, missing, strict=True))


# ---------------------------------------------------------------- who, what subject, which thread


@pytest.mark.parametrize("reason", ["auto_reply", "bounce", "list", "own"])
def test_no_draft_for_mail_that_must_never_get_a_reply(reason: str) -> None:
    msg = message(new_text=TEXTS["en"], no_reply=reason)
    assert (
        make_draft(msg, IntentResult(("cancel",), {}), Extraction(), OrderMatch(ORDER, "number"), (), {}, SHOP) is None
    )


@pytest.mark.parametrize("name", ["auto_reply", "out_of_office", "bounce", "mailing_list", "own"])
def test_no_draft_for_the_never_reply_fixtures(name: str) -> None:
    spec = json.loads((EMAILS / f"{name}.json").read_text(encoding="utf-8"))
    parsed = parse_message((EMAILS / f"{name}.eml").read_bytes(), frozenset(spec.get("_own_addresses", [])))
    assert parsed.no_reply is not None
    intent = IntentResult(("cancel", "refund"), {})
    assert make_draft(parsed, intent, Extraction(), OrderMatch(None, "none"), ("order_number",), {}, SHOP) is None


@pytest.mark.parametrize(
    ("reply_to", "from_addr", "expected"),
    [
        (None, "dana@example.org", "dana@example.org"),
        ("dana.private@example.net", "dana@example.org", "dana.private@example.net"),
        # Never to ourselves, never to a robot: fall back to From, or no draft.
        ("support@juniper-oak.example.com", "dana@example.org", "dana@example.org"),
        (None, "orders@juniper-oak.example.com", None),
        (None, "no-reply@shop-platform.example.com", None),
        (None, "MAILER-DAEMON@mx.example.com", None),
        ("", "", None),
        (None, "not an address", None),
        ("a@example.org\r\nBcc: evil@example.com", "dana@example.org", "dana@example.org"),
    ],
)
def test_reply_recipient(reply_to: str | None, from_addr: str, expected: str | None) -> None:
    assert reply_recipient(message(reply_to=reply_to, from_addr=from_addr), SHOP.own_addresses) == expected


def test_no_usable_recipient_means_no_draft() -> None:
    msg = message(new_text=TEXTS["en"], from_addr="noreply@example.com")
    assert make_draft(msg, IntentResult(("other",), {}), Extraction(), OrderMatch(None, "none"), (), {}, SHOP) is None


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Cancel order 1047", "Re: Cancel order 1047"),
        ("Re: Cancel order 1047", "Re: Cancel order 1047"),
        ("RE: Re: re: Cancel", "Re: Cancel"),
        ("AW: Bestellung 1050", "Re: Bestellung 1050"),
        ("Aw: WG: Bestellung", "Re: Bestellung"),
        ("SV: Beställning", "Re: Beställning"),
        ("RV: Pedido", "Re: Pedido"),
        ("Réf. : Commande 1055", "Re: Commande 1055"),
        ("RE : commande", "Re: commande"),
        ("Re[2]: Refund", "Re: Refund"),
        ("Re(3): Refund", "Re: Refund"),
        ("Fwd: Order #1056 confirmed", "Re: Order #1056 confirmed"),
        ("Re: Fwd: Re: Order", "Re: Order"),
        ("TR: Commande", "Re: Commande"),
        ("Refund for order", "Re: Refund for order"),
        ("Return label", "Re: Return label"),
        ("Awful service", "Re: Awful service"),
        ("", "Re: Your message"),
        ("Re:", "Re: Your message"),
        ("Hi\r\nBcc: evil@example.com", "Re: Hi Bcc: evil@example.com"),
        ("Refund [card •••• 1111] please", "Re: Refund please"),
        ("  lots   of\tspace  ", "Re: lots of space"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_threading_headers() -> None:
    msg = message(
        new_text=TEXTS["en"],
        message_id="new@example.org",
        in_reply_to="shop@juniper-oak.example.com",
        references=("root@example.org", "shop@juniper-oak.example.com"),
    )
    draft = make_draft(msg, IntentResult(("other",), {}), Extraction(), OrderMatch(None, "none"), (), {}, SHOP)
    assert draft is not None
    assert draft.in_reply_to == "<new@example.org>"
    assert draft.references == ("<root@example.org>", "<shop@juniper-oak.example.com>", "<new@example.org>")


def test_threading_without_message_id_and_with_a_long_chain() -> None:
    refs = tuple(f"r{i}@example.org" for i in range(40))
    msg = message(new_text=TEXTS["en"], message_id=None, references=refs)
    draft = make_draft(msg, IntentResult(("other",), {}), Extraction(), OrderMatch(None, "none"), (), {}, SHOP)
    assert draft is not None and draft.in_reply_to is None
    assert len(draft.references) == 20
    assert draft.references[0] == "<r0@example.org>" and draft.references[-1] == "<r39@example.org>"


def test_customer_values_that_look_like_secrets_are_not_echoed() -> None:
    ex = Extraction(name="Pin Code", address="Flat 2, 4111 1111 1111 1111 Lane\n7 Elm Road\nLeeds")
    draft = make_draft(
        message(new_text=TEXTS["en"]), IntentResult(("address_fix",), {}), ex, OrderMatch(None, "none"), (), {}, SHOP
    )
    assert draft is not None
    assert draft.body.startswith("Hello,\n")
    assert "    7 Elm Road\n    Leeds\n" in draft.body and "4111" not in draft.body


def test_customer_values_are_one_clean_line() -> None:
    msg = message(new_text=TEXTS["en"], subject="Help\r\nBcc: evil@example.com\x00\x1b[31m")
    ex = Extraction(name="Dana\r\nBcc: evil@example.com\u202e", address="1 Main St\r\n\x07Springfield")
    draft = make_draft(msg, IntentResult(("address_fix",), {}), ex, OrderMatch(None, "none"), (), {}, SHOP)
    assert draft is not None
    assert draft.subject == "Re: Help Bcc: evil@example.com [31m"
    assert draft.body.splitlines()[0] == "Hello Dana Bcc: evil@example.com,"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e\r]", draft.body + draft.subject)
    assert "    1 Main St\n    Springfield\n" in draft.body


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hi, please cancel my order, I ordered the wrong size.", "en"),
        ("Hallo, ich möchte meine Bestellung stornieren, bitte.", "de"),
        ("Sehr geehrte Damen und Herren, hiermit widerrufe ich den Kauf.", "de"),
        ("Hola, quiero cancelar mi pedido, gracias.", "es"),
        ("¿Recibieron mi correo?", "es"),
        ("Bonjour, je voudrais annuler ma commande. Merci !", "fr"),
        ("Colis jamais reçu, pouvez-vous vérifier ?", "fr"),
        ("cancel", "en"),
        ("", "en"),
        ("1047", "en"),
        # Our own English markers are no evidence: this is Spanish.
        ("Mi tarjeta es [card •••• 1111], caducidad [expiry removed], CVV [cvv removed].", "es"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_without_templates_falls_back_to_english(tmp_path: Path) -> None:
    root = tmp_path / "replies"
    shutil.copytree(TEMPLATES_DIR, root)
    shutil.rmtree(root / "fr")
    args = (IntentResult(("other",), {}), Extraction(), OrderMatch(None, "none"), (), {}, SHOP)
    draft = make_draft(message(new_text=TEXTS["fr"]), *args[:-1], dataclasses.replace(SHOP, templates=root))
    assert draft is not None and draft.language == "en" and draft.body.startswith("Hello,")
    # A new text without evidence ("" or a bare number) takes its language from the subject.
    for text in ("", "#1050"):
        draft = make_draft(message(new_text=text, subject="AW: Frage zur Bestellung und Lieferung"), *args)
        assert draft is not None and draft.language == "de"


# ---------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "body",
    [
        "Please send us your card number so we can refund you.",
        "Could you confirm the CVV on the back?",
        "Please reply with the expiry date of the card.",
        "What is your password?",
        "Please tell us your PIN.",
        "Send us your online banking login and we will check.",
        "Please share your wallet seed phrase.",
        "Bitte nennen Sie uns Ihre Kartennummer und die Kartenprüfnummer.",
        "Bitte schicken Sie uns Ihr Passwort.",
        "Nennen Sie uns bitte die Geheimzahl.",
        "Indíquenos el número de tarjeta y el código de seguridad.",
        "¿Nos puede enviar su contraseña?",
        "Merci de nous communiquer votre numéro de carte et le cryptogramme.",
        "Merci de nous envoyer votre mot de passe.",
        "Your card 4111 1111 1111 1111 was charged twice.",
        "Card 4111-1111-1111-1111.",
        "Ref 5500005555555559 noted.",
        "Nous vous remercions. " + SAFETY_NOTES["fr"] + " Envoyez-nous votre mot de passe.",
    ],
)
def test_assert_safe_refuses_requests_and_card_numbers(body: str) -> None:
    with pytest.raises(TemplateError) as info:
        assert_safe(body)
    assert not re.search(r"\d{13}", str(info.value).replace(" ", "").replace("-", ""))


@pytest.mark.parametrize(
    "body",
    [
        *SAFETY_NOTES.values(),
        "Hello,\n\n" + SAFETY_NOTES["de"] + "\n\nMit freundlichen Grüßen\n",
        "Thank you for your message about order #1047. It is confirmed and waiting to be packed.",
        "Your parcel 00340434161234567891 is with the carrier.",  # 20 digits: a tracking number, not a card
        "Call us on +49 151 2345 6789.",
        "Order 1234 5678 9012 3456 is not a card (fails Luhn).",
        "Our pinewood boards and the spinning wheel are back in stock.",
        "Le code postal et la ville, s'il vous plaît.",
    ],
)
def test_assert_safe_allows_the_vetted_note_and_ordinary_text(body: str) -> None:
    assert not luhn.is_valid("1234567890123456")
    assert_safe(body)


def test_every_golden_is_safe() -> None:
    for path in CASES:
        assert_safe(path.with_suffix(".txt").read_text(encoding="utf-8"))


def test_redactions_bring_the_safety_note_in_the_customers_language() -> None:
    for lang in ASK_PHRASES:
        draft = make_draft(
            message(new_text=TEXTS[lang] + " [card •••• 4242] [cvv removed]"),
            IntentResult(("cancel",), {}),
            Extraction(),
            OrderMatch(ORDER, "number"),
            (),
            {"card_number": 1, "card_cvv": 1},
            SHOP,
        )
        assert draft is not None and draft.language == lang
        assert SAFETY_NOTES[lang] in draft.body
        assert "4242" not in draft.body and "•" not in draft.body
    without = cancel_draft("en", ())
    assert all(note not in without.body for note in SAFETY_NOTES.values())


def _copy_templates(tmp_path: Path) -> Path:
    root = tmp_path / "replies"
    shutil.copytree(TEMPLATES_DIR, root)
    return root


def _draft_with(root: Path, redactions: dict[str, int] | None = None) -> Draft | None:
    return make_draft(
        message(new_text=TEXTS["en"]),
        IntentResult(("cancel",), {}),
        Extraction(),
        OrderMatch(ORDER, "number"),
        ("reason",),
        redactions or {},
        dataclasses.replace(SHOP, templates=root),
    )


def test_a_template_that_asks_for_card_data_is_refused(tmp_path: Path) -> None:
    root = _copy_templates(tmp_path)
    path = root / "en" / "cancel.txt"
    path.write_text(path.read_text() + "\nTo speed things up, reply with your card number and CVV.\n")
    with pytest.raises(TemplateError, match="sensitive data"):
        _draft_with(root)


def test_a_template_that_drops_the_safety_note_is_refused(tmp_path: Path) -> None:
    root = _copy_templates(tmp_path)
    path = root / "en" / "reply.txt"
    path.write_text(path.read_text().replace("{{ safety_note }}", "We tidied up your message."))
    with pytest.raises(TemplateError, match="safety_note"):
        _draft_with(root, {"card_number": 1})
    assert _draft_with(root) is not None


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        ("reply.txt", "{{ signature }}", "{{ signatur }}", "signatur"),
        ("cancel.txt", '{% elif family == "label" %}', "{% elif family == %}", "cancel.txt line"),
        ("words.toml", 'shipped = "', 'shipped_x = "', "stages.shipped"),
        ("words.toml", "[details]", "[details", "not valid TOML"),
    ],
)
def test_broken_templates_raise_one_clear_template_error(
    tmp_path: Path, file: str, old: str, new: str, error: str
) -> None:
    root = _copy_templates(tmp_path)
    path = root / "en" / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(TemplateError, match=re.escape(error)):
        _draft_with(root)


# ---------------------------------------------------------------- the demo inbox, end to end

DEMO = ROOT / "demo"
DEMO_SHOP = dataclasses.replace(
    SHOP,
    own_addresses=frozenset(
        {"support@juniper-oak.example.com", "orders@juniper-oak.example.com", "noreply@juniper-oak.example.com"}
    ),
)
_RUN = re.compile(r"\d(?:[ \-.]?\d)*")


def _card_numbers(text: str) -> set[str]:
    runs = {re.sub(r"\D", "", m.group()) for m in _RUN.finditer(text)}
    return {r for r in runs if 13 <= len(r) <= 19 and luhn.is_valid(r)}


def test_demo_inbox_drafts_never_carry_card_digits() -> None:
    """Every demo message through parse, redact, extract and match: drafts are safe, never-reply mail gets none."""
    now = datetime.fromisoformat("2026-11-21T09:30:00+01:00")
    orders = read_orders(DEMO / "orders.csv", dataclasses.replace(OrdersSettings(), timezone="Europe/Berlin")).orders
    by_number, by_email = index_orders(orders)
    settings = ExtractSettings(own_addresses=tuple(sorted(DEMO_SHOP.own_addresses)))
    files = sorted(p for p in (DEMO / "inbox").glob("*/*") if p.name != ".gitkeep")
    assert len(files) == 47
    drafts = cards_sent = 0
    for path in files:
        original = parse_message(path.read_bytes(), DEMO_SHOP.own_addresses)
        parsed, redactions = redact_message(original)
        intents = classify_keywords(parsed.subject, parsed.new_text)
        ex = extract(parsed, intents, settings, now)
        match = match_order(ex, parsed.from_addr, by_number, by_email, now)
        missing = missing_details(intents, ex, match)
        draft = make_draft(parsed, IntentResult(intents, {}), ex, match, missing, redactions, DEMO_SHOP)
        if original.no_reply:
            assert draft is None, path.name
            continue
        assert draft is not None, path.name
        drafts += 1
        sent = _card_numbers(original.body_text + "\n" + original.subject)
        cards_sent += bool(sent)
        digits = re.sub(r"\D", "", draft.body + draft.subject)
        assert not any(card in digits for card in sent), path.name
        assert not any(card[-4:] in draft.body for card in sent), path.name
        assert "•" not in draft.body + draft.subject
        assert (SAFETY_NOTES[draft.language] in draft.body) == bool(redactions), path.name
        assert_safe(draft.body)
    assert drafts == 41
    assert cards_sent >= 4


# -- a conversation's draft knows its thread ---------------------------------------------------------------

SORRY = {
    "en": "sorry you had to wait",
    "de": "dass Sie auf unsere Antwort warten mussten",
    "es": "haya tenido que esperar",
    "fr": "désolés de vous avoir fait attendre",
}
PASSED_ON = {
    "en": "We have passed your message on",
    "de": "Wir haben Ihre Nachricht an die richtige Person",
    "es": "Hemos pasado su mensaje",
    "fr": "Nous avons transmis votre message",
}
KEEP = {
    "en": "we will leave your order as it is",
    "de": "lassen wir Ihre Bestellung so, wie sie ist",
    "es": "dejamos su pedido tal como está",
    "fr": "nous laissons votre commande telle quelle",
}


@pytest.mark.parametrize("lang", sorted(SORRY))
def test_a_chased_conversation_says_sorry_and_a_withdrawn_cancel_keeps_the_order(lang: str) -> None:
    from triage.reply.draft import ThreadContext

    def draft(thread: ThreadContext | None, intents: tuple[str, ...]) -> str:
        d = make_draft(
            message(new_text=TEXTS[lang], subject="order"),
            IntentResult(intents, {}),
            Extraction(emails=("customer@example.org",)),
            OrderMatch(ORDER, "email_inferred", ("1047",)),
            (),
            {},
            SHOP,
            thread,
        )
        assert d is not None
        return d.body

    plain = draft(None, ("cancel",))
    assert SORRY[lang] not in plain and KEEP[lang].lower() not in plain.lower()
    chased = draft(ThreadContext(chased=True, follow_up=True), ("cancel",))
    assert SORRY[lang] in chased and KEEP[lang].lower() not in chased.lower()
    paragraphs = chased.split("\n\n")
    assert "\n" not in paragraphs[0]  # the greeting is a paragraph of its own
    apology = next(i for i, p in enumerate(paragraphs) if SORRY[lang] in p)
    # German goes on in lower case after "Guten Tag …,": "vielen Dank" stays the first paragraph, the apology
    # follows it; elsewhere the apology comes first.
    assert apology == (2 if lang == "de" else 1), paragraphs
    assert not any(p[:1].islower() for p in paragraphs[2:]), paragraphs
    kept = draft(ThreadContext(withdrawn=("cancel",), follow_up=True), ("other",))
    assert KEEP[lang].lower() in kept.lower() and SORRY[lang] not in kept
    # The answer to the retraction comes before the generic "passed on to the team" paragraph.
    assert kept.lower().index(KEEP[lang].lower()) < kept.index(PASSED_ON[lang])
    # A cancel asked for again is not "left as it is".
    assert KEEP[lang].lower() not in draft(ThreadContext(withdrawn=("cancel",)), ("cancel",)).lower()


@pytest.mark.parametrize(
    ("subject", "drafted"),
    [
        ("IMEI 356938035643809", True),  # Luhn-valid, labelled: the redactor keeps it, so the draft does too
        ("Reparatur: IMEI-Nummer 490154203237518", True),
        ("Numéro de suivi 4155217220794551", True),  # a labelled tracking number passing Luhn, no card word
        ("número de seguimiento 5136666033093661", True),
        ("Refund to card 4155 2172 2079 4551", False),  # unredacted card: still refused
        ("Karte 5136666033093661 belastet", False),
    ],
)
def test_the_subject_guard_agrees_with_the_redactor(subject: str, drafted: bool) -> None:
    """A number the redactor kept in the subject is no card: the draft is made, with the subject as written."""
    msg = message(new_text=TEXTS["en"], subject=subject)
    args = (IntentResult(("other",), {}), Extraction(), OrderMatch(None, "none"), (), {}, SHOP)
    if drafted:
        draft = make_draft(msg, *args)
        assert draft is not None and draft.subject == "Re: " + subject
    else:
        with pytest.raises(TemplateError, match="subject contains a card number"):
            make_draft(msg, *args)
