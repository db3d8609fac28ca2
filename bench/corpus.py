"""A seeded corpus of realistic support mail, as RFC 822 bytes ready for IMAP APPEND.

Every intent (cancel, duplicate, address_fix, refund, other, and the common combinations) in
English, German, Spanish and French; one-liners to long stories and threads with quoted history
(mail-client "On … wrote:" quoting and Outlook "Original Message" blocks); text/plain,
multipart/alternative, HTML-only and multipart/mixed with a photo or PDF attached; utf-8 8bit,
quoted-printable (utf-8 and latin-1) and base64 bodies; RFC 2047 encoded headers; a few
auto-replies, follow-up nudges in existing threads, and test card numbers or IBANs pasted in.

The same seed always gives the same bytes, so every benchmark in a run (and across runs) reads
the same mail. `Message` records what went in, for benchmarks that want to slice by kind.
"""

from __future__ import annotations

import base64
import csv
import quopri
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus_phrases import (  # noqa: E402
    ALSO,
    CARD_LINES,
    CLOSE,
    GREET,
    IBAN_LINES,
    NUDGES,
    QUOTE_HEAD,
    REFS,
    REQUESTS,
    SHOP_REPLY,
    STORY,
    SUBJECTS,
)

SHOP = "Juniper & Oak"
SUPPORT = "support@juniper-oak.example.com"
SEED = 20261121
# The demo shop's clock: dates fall in the days before it, as in the bundled demo inbox.
NOW = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    orders: tuple[str, ...]  # order numbers without '#'
    country: str = ""


@dataclass(frozen=True)
class Message:
    raw: bytes
    intents: tuple[str, ...]
    language: str
    size_class: str  # oneliner | short | story | thread
    shape: str  # plain | alternative | html_only | attachment
    encoding: str  # e.g. "utf-8/8bit", "iso-8859-1/quoted-printable", "utf-8/base64"
    cards: tuple[str, ...] = ()  # digits of the test cards pasted in
    kind: str = "customer"  # customer | nudge | auto_reply


# Public test numbers from the card networks' documentation: Luhn-valid, never real accounts.
TEST_CARDS = (
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "5555555555554444",
    "5105105105105100",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "3530111333300000",
    "36227206271667",
)
TEST_IBANS = ("DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "FR14 2004 1010 0505 0001 3M02 606")

ITEMS = (
    "Stoneware Mug - Sage",
    "Stoneware Mug - Oat",
    "Linen Napkins Set of 4",
    "Linen Tea Towel - Stripe",
    "tall ink vase",
    "Moss teapot",
    "washed linen duvet cover",
    "Dinner Plate - Speckled White",
    "Linen Fitted Sheet - Double / Oat",
    "oak serving board",
)
FIRST = ("Anna", "Tom", "Lena", "Marc", "Sara", "Jonas", "Lucía", "Chloé", "Björn", "Priya", "Zoë", "José")
LAST = ("Berg", "Reyes", "Vogel", "Dubois", "Lind", "Müller", "García", "Lefèvre", "Okafor", "Patel", "Nowak")
ADDRESSES = {  # street line ({n}: house number), city line, country
    "en": ("Flat 2, {n} Elm Street", "Manchester M14 5XY", "United Kingdom"),
    "de": ("Lindenstraße {n}", "10115 Berlin", "Deutschland"),
    "es": ("Calle de Alcalá {n}, 3º B", "28009 Madrid", "España"),
    "fr": ("{n} rue des Lilas", "75011 Paris", "France"),
}
LANG_WEIGHTS = (("en", 70), ("de", 12), ("es", 9), ("fr", 9))
INTENT_WEIGHTS = (
    (("cancel",), 19),
    (("address_fix",), 14),
    (("refund",), 18),
    (("duplicate",), 5),
    (("duplicate", "cancel"), 5),
    (("address_fix", "cancel"), 2),
    (("cancel", "refund"), 3),
    (("other",), 34),
)
SIZE_WEIGHTS = (("oneliner", 14), ("short", 44), ("story", 26), ("thread", 16))
SHAPE_WEIGHTS = (("plain", 55), ("alternative", 25), ("html_only", 10), ("attachment", 10))

MAILERS = ("Apple Mail (2.3826.200.121)", "Microsoft Outlook 16.0", "Thunderbird 128.4.2", None, None)
ENCODINGS = {
    "en": (
        ("utf-8", "7bit", 45),
        ("utf-8", "quoted-printable", 25),
        ("utf-8", "base64", 15),
        ("iso-8859-1", "quoted-printable", 15),
    ),
    "other": (
        ("utf-8", "8bit", 35),
        ("utf-8", "quoted-printable", 25),
        ("iso-8859-1", "quoted-printable", 25),
        ("utf-8", "base64", 15),
    ),
}


def demo_customers(orders_csv: Path) -> list[Customer]:
    """Customers and their order numbers from a Shopify orders export (one row per line item)."""
    by_email: dict[str, tuple[str, list[str], str]] = {}
    with orders_csv.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            email = (row.get("Email") or "").strip().lower()
            number = (row.get("Name") or "").lstrip("#").strip()
            if not email or not number:
                continue
            name, numbers, country = by_email.get(email, ("", [], ""))
            name = name or (row.get("Billing Name") or row.get("Shipping Name") or "").strip()
            country = country or (row.get("Shipping Country") or "").strip()
            if number not in numbers:
                numbers.append(number)
            by_email[email] = (name, numbers, country)
    return [Customer(n or e.split("@")[0], e, tuple(o), c) for e, (n, o, c) in by_email.items()]


def _pick(rng: random.Random, weighted: Sequence[tuple]) -> tuple:  # type: ignore[type-arg]
    total = sum(w[-1] for w in weighted)
    x = rng.uniform(0, total)
    for item in weighted:
        x -= item[-1]
        if x <= 0:
            return item
    return weighted[-1]


def _encode_header(text: str) -> str:
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        return Header(text, "utf-8").encode()


def _address(name: str, email: str) -> str:
    try:
        name.encode("ascii")
        return f'"{name}" <{email}>' if any(c in name for c in ",.;&") else f"{name} <{email}>"
    except UnicodeEncodeError:
        return f"{Header(name, 'utf-8').encode()} <{email}>"


def _body_part(text: str, subtype: str, charset: str, cte: str) -> bytes:
    """One MIME leaf: headers plus the body in the given charset and transfer encoding."""
    try:
        data = text.encode(charset)
    except UnicodeEncodeError:  # latin-1 cannot hold every character (€, č): fall back as mail clients do
        charset, data = "utf-8", text.encode("utf-8")
    if cte == "7bit" and any(b > 127 for b in data):
        cte = "8bit"
    data = data.replace(b"\r\n", b"\n")
    if cte == "quoted-printable":
        payload = quopri.encodestring(data)
    elif cte == "base64":
        payload = base64.encodebytes(data)
    else:
        payload = data
    head = f'Content-Type: text/{subtype}; charset="{charset}"\nContent-Transfer-Encoding: {cte}\n\n'
    return head.encode("ascii") + payload


def _crlf(data: bytes) -> bytes:
    """Wire format: CRLF line ends, as IMAP APPEND and real mailboxes hand messages over."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _html(text: str, quoted: str = "") -> str:
    def paras(t: str) -> str:
        out = []
        for block in t.split("\n\n"):
            esc = block.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append("<p>" + esc.replace("\n", "<br>\n") + "</p>")
        return "\n".join(out)

    body = paras(text)
    if quoted:
        body += '\n<blockquote type="cite" style="border-left:2px solid #ccc;padding-left:8px">\n'
        body += paras(quoted) + "\n</blockquote>"
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>p{margin:0 0 1em 0;font-family:Arial}'
        '</style></head>\n<body>\n<div dir="ltr">\n' + body + "\n</div>\n"
        '<img src="https://tracker.example.net/open.gif?u=83bd2" width="1" height="1" alt="">\n</body></html>\n'
    )


class _Writer:
    """Builds one corpus; keeps the Message-IDs already written so nudges can reply to them."""

    def __init__(self, seed: int, customers: Sequence[Customer]) -> None:
        self.rng = random.Random(seed)
        self.customers = list(customers)
        self.sent: list[tuple[str, str, str, str, str, str]] = []  # (msgid, subject, lang, name, email, intent)
        self.seq = 0

    def _who(self, lang: str) -> tuple[str, str, tuple[str, ...]]:
        rng = self.rng
        if self.customers and rng.random() < 0.6:
            c = rng.choice(self.customers)
            return c.name, c.email, c.orders
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = f"{first}.{last}".lower().encode("ascii", "ignore").decode() or "customer"
        domain = rng.choice(("example.com", "example.org", "example.net", "mail.example.de", "correo.example.es"))
        return f"{first} {last}", f"{local}{rng.randrange(100)}@{domain}", ()

    def _ref(self, lang: str, orders: tuple[str, ...]) -> tuple[str, str]:
        rng = self.rng
        n = rng.choice(orders) if orders and rng.random() < 0.85 else str(rng.randint(1001, 1199))
        n2 = str(int(n) + rng.randint(1, 3))
        return rng.choice(REFS[lang]).format(n=n), rng.choice(REFS[lang]).format(n=n2)

    def message(self) -> Message:
        rng = self.rng
        self.seq += 1
        lang = _pick(rng, LANG_WEIGHTS)[0]
        if self.sent and rng.random() < 0.03:
            return self._nudge()
        if rng.random() < 0.02:
            return self._auto_reply(lang)
        intents = _pick(rng, INTENT_WEIGHTS)[0]
        size = _pick(rng, SIZE_WEIGHTS)[0]
        shape = _pick(rng, SHAPE_WEIGHTS)[0]
        charset, cte, _ = _pick(rng, ENCODINGS["en" if lang == "en" else "other"])
        name, email, orders = self._who(lang)
        first = name.split()[0]
        ref, ref2 = self._ref(lang, orders)
        item = rng.choice(ITEMS)
        street, city, country = ADDRESSES[lang]
        addr = f"{name}\n{street.format(n=rng.randint(2, 99))}\n{city}\n{country}"
        fill = {"ref": ref, "ref2": ref2, "item": item, "addr": addr, "first": first, "name": name}

        lines = [rng.choice(REQUESTS[lang][intents[0]]).format(**fill)]
        if len(intents) > 1:
            lines.append(ALSO[lang] + rng.choice(REQUESTS[lang][intents[1]]).format(**fill))
        if size == "oneliner":
            text = lines[0].split("\n")[0]
        else:
            paras = []
            if size in ("story", "thread"):
                paras += rng.sample(STORY[lang], k=min(len(STORY[lang]), rng.randint(2, 4)))
            paras = [*lines[:1], *paras, *lines[1:]] if rng.random() < 0.5 else [*paras, *lines]
            greet = rng.choice(GREET[lang])
            text = (greet + "\n\n" if greet else "") + "\n\n".join(paras)
        cards: tuple[str, ...] = ()
        if rng.random() < 0.05:
            card = rng.choice(TEST_CARDS)
            grouped = card if rng.random() < 0.3 else " ".join(card[i : i + 4] for i in range(0, len(card), 4))
            exp = f"{rng.randint(1, 12):02d}/{rng.randint(27, 31)}"
            cvv = f"{rng.randint(0, 9999 if card.startswith('3') else 999):03d}"
            text += "\n\n" + rng.choice(CARD_LINES[lang]).format(card=grouped, exp=exp, cvv=cvv)
            cards = (card,)
        elif "refund" in intents and rng.random() < 0.15:
            text += "\n\n" + IBAN_LINES[lang].format(iban=rng.choice(TEST_IBANS))
        if size != "oneliner" or rng.random() < 0.5:
            text += "\n\n" + rng.choice(CLOSE[lang]).format(first=first, name=name)
        if rng.random() < 0.2:
            text += "\n\n-- \n" + name + "\n" + rng.choice(("Sent from my iPhone", "+44 7700 900214", "Get Outlook"))

        subject = rng.choice(SUBJECTS[lang][intents[0]]).format(ref=ref, item=item)
        quoted, in_reply = "", None
        if size == "thread":
            quoted, in_reply = self._history(lang, name, first, email)
            subject = "Re: " + subject
        msg_id = f"<{self.seq:06d}.{rng.getrandbits(40):010x}@{email.split('@')[1]}>"
        self.sent.append((msg_id, subject, lang, name, email, intents[0]))
        date = NOW - timedelta(minutes=rng.randint(5, 6 * 24 * 60))
        headers = self._headers(name, email, subject, date, msg_id, in_reply)
        body, shape = self._mime(text, quoted, shape, charset, cte)
        return Message(_crlf(headers + body), intents, lang, size, shape, f"{charset}/{cte}", cards)

    def _history(self, lang: str, name: str, first: str, email: str) -> tuple[str, str]:
        """Quoted history: the shop's reply quoting the customer's first mail, '>'-quoted or Outlook-style."""
        rng = self.rng
        then = NOW - timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 600))
        earlier = rng.choice(REQUESTS[lang]["other"] + REQUESTS[lang]["cancel"]).format(
            ref="", ref2="", item=rng.choice(ITEMS), addr="", first=first, name=name
        )
        shop = SHOP_REPLY[lang].format(first=first)
        parent = f"<reply-{rng.getrandbits(48):012x}@juniper-oak.example.com>"
        when = format_datetime(then)
        first_when = format_datetime(then - timedelta(hours=rng.randint(2, 40)))
        if lang == "en" and rng.random() < 0.4:
            block = (
                "________________________________\n"
                f"From: {SHOP} <{SUPPORT}>\nSent: {when}\nTo: {name} <{email}>\nSubject: RE: Your message\n\n"
                f"{shop}\n\n-----Original Message-----\nFrom: {name} <{email}>\n\n{earlier}\n"
            )
            return block, parent
        inner = "\n".join("> " + line if line else ">" for line in earlier.splitlines())
        outer = shop + "\n\n" + QUOTE_HEAD[lang].format(date=first_when, who=f"{name} <{email}>") + "\n" + inner
        quoted = QUOTE_HEAD[lang].format(date=when, who=f"{SHOP} <{SUPPORT}>") + "\n"
        quoted += "\n".join("> " + line if line else ">" for line in outer.splitlines()) + "\n"
        return quoted, parent

    def _headers(self, name: str, email: str, subject: str, date: datetime, msg_id: str, in_reply: str | None) -> bytes:
        rng = self.rng
        domain = email.split("@")[1]
        hop = f"{rng.randint(1, 254)}"
        lines = [
            f"Return-Path: <{email}>",
            f"Delivered-To: {SUPPORT}",
            f"Received: from mail.{domain} (mail.{domain} [198.51.100.{hop}]) by\n mx.juniper-oak.example.com "
            f"(Postfix) with ESMTPS id {rng.getrandbits(32):08X} for\n <{SUPPORT}>; {format_datetime(date)}",
            f"From: {_address(name, email)}",
            f"To: {SHOP} <{SUPPORT}>",
            f"Subject: {_encode_header(subject)}",
            f"Date: {format_datetime(date)}",
            f"Message-ID: {msg_id}",
        ]
        if in_reply:
            lines += [f"In-Reply-To: {in_reply}", f"References: {in_reply}"]
        mailer = rng.choice(MAILERS)
        if mailer:
            lines.append(f"X-Mailer: {mailer}")
        lines.append("MIME-Version: 1.0")
        return ("\n".join(lines) + "\n").encode("ascii")

    def _mime(self, text: str, quoted: str, shape: str, charset: str, cte: str) -> tuple[bytes, str]:
        rng = self.rng
        full = text + ("\n\n" + quoted if quoted else "")
        if shape == "plain":
            return _body_part(full, "plain", charset, cte), shape
        if shape == "html_only":
            return _body_part(_html(text, quoted), "html", charset, cte), shape
        b1 = f"----=_Part_{rng.getrandbits(48):012x}"
        alt = (
            f'Content-Type: multipart/alternative; boundary="{b1}"\n\n--{b1}\n'.encode()
            + _body_part(full, "plain", charset, cte)
            + f"\n--{b1}\n".encode()
            + _body_part(_html(text, quoted), "html", charset, cte)
            + f"\n--{b1}--\n".encode()
        )
        if shape == "alternative":
            return alt, shape
        b2 = f"----=_Mixed_{rng.getrandbits(48):012x}"
        kind, ext = rng.choice((("image/jpeg", "jpg"), ("application/pdf", "pdf"), ("image/png", "png")))
        size = int(2 ** rng.uniform(14, 17.2))  # 16-150 KB: a phone photo, a scanned receipt
        blob = rng.getrandbits(size * 8).to_bytes(size, "little")
        filename = rng.choice(("IMG_4021", "damaged", "Rechnung", "recibo", "photo colis")) + "." + ext
        att = (
            f'Content-Type: {kind}; name="{filename}"\nContent-Disposition: attachment; filename="{filename}"\n'
            "Content-Transfer-Encoding: base64\n\n"
        ).encode() + base64.encodebytes(blob)
        mixed = (
            f'Content-Type: multipart/mixed; boundary="{b2}"\n\n--{b2}\n'.encode()
            + alt
            + f"\n--{b2}\n".encode()
            + att
            + f"\n--{b2}--\n".encode()
        )
        return mixed, shape

    def _nudge(self) -> Message:
        """A follow-up in an existing thread ("did you get my email?")."""
        rng = self.rng
        parent, subject, lang, name, email, intent = rng.choice(self.sent[-200:])
        text = rng.choice(NUDGES[lang]) + "\n\n" + name.split()[0]
        msg_id = f"<{self.seq:06d}.n{rng.getrandbits(36):09x}@{email.split('@')[1]}>"
        date = NOW - timedelta(minutes=rng.randint(1, 600))
        subj = subject if subject.startswith("Re: ") else "Re: " + subject
        headers = self._headers(name, email, subj, date, msg_id, parent)
        body = _body_part(text, "plain", "utf-8", "quoted-printable")
        return Message(
            _crlf(headers + body), (intent,), lang, "oneliner", "plain", "utf-8/quoted-printable", (), "nudge"
        )

    def _auto_reply(self, lang: str) -> Message:
        rng = self.rng
        name, email, _ = self._who(lang)
        msg_id = f"<{self.seq:06d}.a{rng.getrandbits(36):09x}@{email.split('@')[1]}>"
        date = NOW - timedelta(minutes=rng.randint(1, 3000))
        headers = self._headers(name, email, "Out of office: Re: Your order", date, msg_id, None)
        headers = headers.replace(b"MIME-Version", b"Auto-Submitted: auto-replied\nMIME-Version")
        text = "I am out of the office until 30 November with limited access to email."
        return Message(
            _crlf(headers + _body_part(text, "plain", "utf-8", "7bit")),
            ("other",),
            lang,
            "oneliner",
            "plain",
            "utf-8/7bit",
            (),
            "auto_reply",
        )


def make_corpus(n: int, seed: int = SEED, customers: Sequence[Customer] = ()) -> list[Message]:
    """`n` messages; the same (n, seed, customers) always gives the same bytes, and a longer corpus
    starts with the shorter one."""
    writer = _Writer(seed, customers)
    return [writer.message() for _ in range(n)]


def describe(corpus: Sequence[Message]) -> str:
    """One line on what the corpus holds, for the results header."""
    size = sum(len(m.raw) for m in corpus)
    langs = {k: sum(m.language == k for m in corpus) for k in ("en", "de", "es", "fr")}
    shapes = {k: sum(m.shape == k for m in corpus) for k in ("plain", "alternative", "html_only", "attachment")}
    cards = sum(bool(m.cards) for m in corpus)
    return (
        f"{len(corpus)} messages, {size / 1e6:.1f} MB (mean {size / max(1, len(corpus)) / 1024:.1f} KB); "
        + ", ".join(f"{k} {v}" for k, v in langs.items())
        + "; "
        + ", ".join(f"{k} {v}" for k, v in shapes.items())
        + f"; {cards} with test cards"
    )


if __name__ == "__main__":  # a quick look: python bench/corpus.py [N]
    import sys

    msgs = make_corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(describe(msgs))
