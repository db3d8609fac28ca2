"""A seeded, realistic support-mail corpus for the redaction benchmark, with the truth about each mail.

Every mail is a customer message (English, German, French or Spanish) with the numbers agents need
(order, tracking, phone, price, date, postal code), often a signature and the shop's quoted reply.
About a third also carry secrets: card numbers in several groupings with expiry and CVV, IBANs,
passwords, PINs. The generator records what it put in, so the benchmark can score any redactor.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

from stdnum import iban as stdnum_iban
from stdnum import luhn


@dataclass
class Mail:
    text: str
    cards: list[str] = field(default_factory=list)  # digits only
    ibans: list[str] = field(default_factory=list)  # compact
    passwords: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)  # must survive verbatim


# (prefix choices, length) per scheme; numbers are random and Luhn-completed, never real test cards.
_SCHEMES: list[tuple[list[str], int]] = [
    (["4"], 16),
    (["4"], 13),
    (["51", "52", "53", "54", "55", "2221", "2500", "2720"], 16),
    (["34", "37"], 15),
    (["6011", "65", "644"], 16),
    (["36", "38"], 14),
    (["3528", "3566", "3589"], 16),
    (["62"], 16),
    (["62"], 19),
    (["6304", "6759", "5018"], 16),
]
_NAMES = ["Jane Doe", "Max Müller", "Léa Dubois", "Carlos García", "Priya Patel", "Tom O'Brien", "Anna Nowak"]
_CITIES = [
    ("10115", "Berlin"),
    ("75001", "Paris"),
    ("28013", "Madrid"),
    ("94107", "San Francisco"),
    ("1011 AB", "Amsterdam"),
]


def _card(rng: random.Random) -> str:
    prefixes, length = rng.choice(_SCHEMES)
    body = rng.choice(prefixes)
    body += "".join(rng.choice(string.digits) for _ in range(length - 1 - len(body)))
    return body + luhn.calc_check_digit(body)


def _group_card(rng: random.Random, digits: str) -> str:
    style = rng.choice(["none", "space", "space", "dash", "dot"])
    if style == "none":
        return digits
    sep = {"space": " ", "dash": "-", "dot": "."}[style]
    sizes = [4, 6, 5] if len(digits) in (14, 15) else [4, 4, 4, 4, 4]
    out, i = [], 0
    for n in sizes:
        if i < len(digits):
            out.append(digits[i : i + n])
            i += n
    return sep.join(out)


def _iban(rng: random.Random) -> str:
    country, bban = rng.choice(
        [
            ("DE", lambda: "".join(rng.choice(string.digits) for _ in range(18))),
            ("GB", lambda: "NWBK" + "".join(rng.choice(string.digits) for _ in range(14))),
            ("NL", lambda: "ABNA" + "".join(rng.choice(string.digits) for _ in range(10))),
            ("ES", lambda: "".join(rng.choice(string.digits) for _ in range(20))),
            ("FR", lambda: "".join(rng.choice(string.digits) for _ in range(23))),
        ]
    )
    b = bban()
    return country + stdnum_iban.calc_check_digits(country + "00" + b) + b


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _keep_items(rng: random.Random) -> dict[str, str]:
    zip_code, city = rng.choice(_CITIES)
    usps = "9" + str(rng.randint(1, 5)) + "".join(rng.choice(string.digits) for _ in range(20))
    return {
        "order": rng.choice([f"#{rng.randint(1001, 99999)}", f"order {_digits(rng, rng.randint(4, 10))}"]),
        "bitext": "113542617735902",
        "ups": "1Z" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
        "usps": rng.choice([usps, " ".join(usps[i : i + 4] for i in range(0, 22, 4))]),
        "dhl": _digits(rng, 10),
        "phone": rng.choice(
            [
                f"+49 30 {_digits(rng, 7)}",
                f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}",
                f"+33 6 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
            ]
        ),
        "price": rng.choice(
            [f"€{rng.randint(5, 400)}.{rng.randint(0, 99):02d}", f"${rng.randint(1, 3):d},{rng.randint(0, 999):03d}.00"]
        ),
        "date": rng.choice(
            [
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026",
                f"Nov {rng.randint(1, 28)}",
            ]
        ),
        "postal": f"{zip_code} {city}",
    }


_BODIES = [
    "Hello,\n\nI placed {order} on {date} and paid {price}. The tracking number {ups} has not moved for a week.\n"
    "Could you check what is going on? You can reach me on {phone}.\n",
    "Hi team,\n\nmy parcel ({usps}) was supposed to arrive at {postal} by {date}. It is {order}.\n"
    "Please cancel it if it has not shipped yet and refund the {price}.\n",
    "Guten Tag,\n\nich habe am {date} die Bestellung {order} aufgegeben ({price}). Laut DHL ({dhl}) liegt das Paket\n"
    "in der Filiale. Bitte ändern Sie die Adresse auf {postal}. Telefon: {phone}\n",
    "Bonjour,\n\nma commande {order} du {date} n'est toujours pas arrivée. Numéro de suivi : {ups}.\n"
    "Merci de me rappeler au {phone}.\n",
    "Hola,\n\nme cobraron dos veces {price} por el pedido {order}. Fecha: {date}. Mi código postal es {postal}.\n",
    "Hi,\n\nabout order number {bitext}: the size is wrong, I need to exchange it. Tracking {usps}.\n",
]
_SECRETS = [
    "My card number is {card}, exp {mm}/{yy}, CVV {cvv}. Please charge it again.\n",
    "Card: {card}\nExp: {mm}/{yy}\nCVV: {cvv}\n",
    "please use this card instead {card} {mm}/{yy} {cvv}\n",
    "Kartennummer {card}, gültig bis {mm}/{yy}, Prüfnummer {cvv}.\n",
    "For the refund, my IBAN is {iban}.\n",
    "Bankverbindung: IBAN {iban}, BIC COBADEFFXXX\n",
    "In case you need to log in: my password is {pw}\n",
    "Login: {email} / pw: {pw}\n",
    "My PIN is {pin} if that helps.\n",
    "Passwort: {pw}\n",
]
_PROSE = [
    "I have been a customer for years and this has never happened before.",
    "The confirmation e-mail said it would be delivered within three working days.",
    "I tried to call your hotline twice but nobody answered, so I am writing instead.",
    "If it is easier, you can also send a replacement and I will return the first one.",
    "The jacket is for a birthday at the weekend, so please let me know quickly.",
    "Ich warte jetzt schon seit über einer Woche und habe noch keine Antwort bekommen.",
    "Je ne comprends pas pourquoi le colis est reparti chez l'expéditeur.",
    "No he recibido ningún correo de confirmación desde que hice el pedido.",
    "Could you also tell me whether the blue version is back in stock?",
    "Thanks in advance for your help, and sorry for the long message.",
]
_QUOTE = (
    "\nOn {date}, Shop Support <support@shop.example> wrote:\n> Thank you for your order ({order}).\n"
    "> Your total was {price}. We ship within 2 business days.\n> Kind regards, the Shop team\n"
)
_SIGNATURE = "\n-- \n{name}\n{street} {house}\n{postal}\n{phone}\n"


def make_corpus(n: int, seed: int = 20261103, secret_share: float = 0.35) -> list[Mail]:
    """`n` mails, the same for the same seed."""
    rng = random.Random(seed)
    mails: list[Mail] = []
    for _ in range(n):
        items = _keep_items(rng)
        body = rng.choice(_BODIES)
        used = [k for k in items if "{" + k + "}" in body]
        text = body.format(**items)
        text += " ".join(rng.sample(_PROSE, rng.randint(1, 5))) + "\n"
        mail = Mail("")
        mail.keep = [items[k] for k in used]
        if rng.random() < secret_share:
            for _ in range(rng.choice([1, 1, 2])):
                template = rng.choice(_SECRETS)
                card = _card(rng)
                iban = _iban(rng)
                pw = rng.choice(["hunter2", "Sommer2024!", "c0rrect-h0rse", "qwerty123", "MyDog#Rex7"])
                values = {
                    "card": _group_card(rng, card),
                    "mm": f"{rng.randint(1, 12):02d}",
                    "yy": str(rng.randint(26, 33)),
                    "cvv": str(rng.randint(100, 9999) if card[:2] in ("34", "37") else rng.randint(100, 999)),
                    "iban": rng.choice([iban, " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))]),
                    "pw": pw,
                    "pin": f"{rng.randint(0, 9999):04d}",
                    "email": "jane@example.com",
                }
                text += template.format(**values)
                if "{card}" in template:
                    mail.cards.append(card)
                if "{iban}" in template:
                    mail.ibans.append(iban)
                if "{pw}" in template:
                    mail.passwords.append(pw)
                if "{pin}" in template:
                    mail.passwords.append(values["pin"])
        if rng.random() < 0.6:
            street = rng.choice(["Hauptstraße", "Rue de Rivoli", "Calle Mayor", "Main Street"])
            sig = _SIGNATURE.format(
                name=rng.choice(_NAMES),
                street=street,
                house=rng.randint(1, 200),
                postal=items["postal"],
                phone=items["phone"],
            )
            text += sig
            mail.keep += [items["postal"], items["phone"]]
        if rng.random() < 0.5:
            text += _QUOTE.format(date=items["date"], order=items["order"], price=items["price"])
        # Long threads: a share of mails carry more quoted history.
        if rng.random() < 0.3:
            text += "\n".join("> " + line for line in text.splitlines()[:40])
        mail.text = text
        mails.append(mail)
    return mails
