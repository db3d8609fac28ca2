"""parse_message on hand-made golden mail, on generated hostile mail, and the pieces it is built from.

Golden cases: tests/data/emails/NAME.eml beside NAME.json. The JSON lists the expected value of
each ParsedMessage field it names (dates as ISO strings, tuples as lists); keys starting with "_"
are checks: `_own_addresses` (input), `_body_contains`, `_quoted_contains`, `_defects_contain`,
and `_nowhere` (strings that must not appear in any text field, e.g. attachment content).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from triage.mail.html_text import html_to_text
from triage.mail.never_reply import never_reply_reason
from triage.mail.parse import MAX_ADDRESSES, MAX_DEPTH, MAX_PARTS, MAX_TEXT_CHARS, decode_bytes, parse_message
from triage.mail.quotes import cut_history, new_text, split_reply
from triage.records import Attachment, ParsedMessage

DATA = Path(__file__).parent / "data" / "emails"
CASES = sorted(DATA.glob("*.eml"))
TEXT_FIELDS = ("body_text", "new_text", "quoted_text", "signature", "subject")


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Attachment):
        return dataclasses.asdict(value)
    return value


# -- golden files ------------------------------------------------------------


def test_golden_cases_are_paired() -> None:
    emls = {p.stem for p in DATA.glob("*.eml")}
    jsons = {p.stem for p in DATA.glob("*.json")}
    assert emls == jsons
    assert len(emls) >= 20


@pytest.mark.parametrize("eml", CASES, ids=lambda p: p.stem)
def test_golden(eml: Path) -> None:
    expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    parsed = parse_message(eml.read_bytes(), frozenset(expected.get("_own_addresses", [])))
    for field, want in expected.items():
        if not field.startswith("_"):
            assert _jsonable(getattr(parsed, field)) == want, field
    for text in expected.get("_body_contains", []):
        assert text in parsed.body_text
    for text in expected.get("_quoted_contains", []):
        assert text in parsed.quoted_text
    for text in expected.get("_defects_contain", []):
        assert text in parsed.defects
    for text in expected.get("_nowhere", []):
        for field in TEXT_FIELDS:
            assert text not in getattr(parsed, field), (text, field)


# -- generated hostile mail ---------------------------------------------------


def _nested(depth: int, text: str = "deepest words") -> bytes:
    head = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    tail = "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    return f"From: a@example.com\nSubject: nested\n{head}Content-Type: text/plain\n\n{text}\n{tail}".encode()


def test_ten_megabyte_attachment_is_recorded_not_read() -> None:
    payload = bytes(range(256)) * (40 * 1024)  # 10 MiB
    msg = EmailMessage()
    msg["From"] = "Kim <kim@example.com>"
    msg["To"] = "support@shop.example"
    msg["Subject"] = "Photos of order 1061"
    msg.set_content("The photos of the broken parcel are attached.")
    msg.add_attachment(payload, maintype="application", subtype="zip", filename="photos.zip")
    parsed = parse_message(msg.as_bytes())
    assert parsed.attachments == (Attachment("photos.zip", "application/zip", len(payload)),)
    assert parsed.new_text == "The photos of the broken parcel are attached."
    assert len(parsed.body_text) < 100


def test_fifty_deep_nesting_stops_at_the_depth_cap() -> None:
    parsed = parse_message(_nested(50))
    assert parsed.subject == "nested"
    assert f"MIME nesting deeper than {MAX_DEPTH}: deeper parts not read" in parsed.defects
    assert parsed.body_text == ""


def test_nesting_within_the_cap_is_read() -> None:
    parsed = parse_message(_nested(MAX_DEPTH - 2))
    assert parsed.body_text == "deepest words"
    assert parsed.defects == ()


def test_recursion_overflow_keeps_the_headers() -> None:
    parsed = parse_message(_nested(2000))  # overflows the stdlib parser's recursion
    assert parsed.subject == "nested"
    assert parsed.from_addr == "a@example.com"
    assert "MIME nesting too deep to parse: body not read" in parsed.defects


def test_costly_nesting_is_parsed_only_in_part() -> None:
    # The text first, then 150 nested multiparts around 100,000 lines: the stdlib parser would check
    # every line against every open boundary (15 million checks). The front of the message is read.
    data = _nested(150, "\n".join(["filler"] * 100_000)).replace(
        b"Subject: nested\n",
        b'Subject: nested\nContent-Type: multipart/mixed; boundary="top"\n\n--top\n'
        b"Content-Type: text/plain\n\nplease cancel order 1070\n--top\n",
    )
    parsed = parse_message(data)
    assert parsed.body_text == "please cancel order 1070"
    assert any(d.startswith("MIME structure too complex: only about the first") for d in parsed.defects)


def test_many_parts_stop_at_the_part_cap() -> None:
    parts = "".join(f"--B\nContent-Type: text/plain\n\npart {i}\n" for i in range(MAX_PARTS + 100))
    data = f'From: a@example.com\nContent-Type: multipart/mixed; boundary="B"\n\n{parts}--B--\n'.encode()
    parsed = parse_message(data)
    assert f"more than {MAX_PARTS} MIME parts: the rest not read" in parsed.defects
    assert "part 0" in parsed.body_text
    assert f"part {MAX_PARTS + 50}" not in parsed.body_text


def test_huge_text_body_is_capped() -> None:
    data = b"From: a@example.com\nSubject: long\n\n" + b"order 1062 please cancel\n" * 800_000  # 20 MB
    parsed = parse_message(data)
    assert len(parsed.body_text) <= MAX_TEXT_CHARS
    assert parsed.body_text.startswith("order 1062 please cancel\n")
    assert f"text longer than {MAX_TEXT_CHARS} characters: truncated" in parsed.defects


def test_heavy_html_markup_is_not_mistaken_for_long_text() -> None:
    # Newsletter-style HTML: 400 KB of styling around one sentence.
    styled = '<td style="font-family:Arial;color:#333333;padding:0">&nbsp;</td>' * 6000
    html = f"<html><body><table><tr>{styled}</tr></table><p>Where is order 1071?</p></body></html>"
    data = b"From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n" + html.encode()
    parsed = parse_message(data)
    assert parsed.new_text == "Where is order 1071?"
    assert parsed.html_only
    assert parsed.defects == ()


def test_huge_subject_is_truncated() -> None:
    data = b"From: a@example.com\nSubject: " + b"=?utf-8?q?gr=C3=BC=C3=9Fe?= " * 8000 + b"\n\nhi\n"
    parsed = parse_message(data)
    assert parsed.subject.startswith("grüße")
    assert len(parsed.subject) < 20_000
    assert any(d.startswith("subject header longer than") for d in parsed.defects)


def test_recipient_lists_are_capped() -> None:
    to = ", ".join(f"user{i}@example.com" for i in range(MAX_ADDRESSES + 50))
    parsed = parse_message(f"From: a@example.com\nTo: {to}\n\nhi\n".encode())
    assert len(parsed.to) == MAX_ADDRESSES
    assert parsed.to[0] == "user0@example.com"


def test_outlook_msg_is_unreadable_not_an_error() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    parsed = parse_message(data)
    assert parsed.defects[0].startswith("unreadable:")
    assert parsed.body_text == parsed.from_addr == parsed.subject == ""


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n\n",
        b"\x00\x01\x02binary\xff\xfe" * 100,
        b"just a line of text without any header",
        b"From: \n\n",
        b"From: <>\nTo: undisclosed-recipients:;\nDate: not a date\nMessage-ID: <>\n\nbody\n",
        b"Content-Type: multipart/mixed\n\nno boundary parameter\n",
        b'Content-Type: text/plain; charset="\xff\xfe"\n\n\xff\xfe\n',
        b"Content-Transfer-Encoding: base64\n\n!!!not base64!!!\n",
        b"From: =?x-unknown?q?=FF=FE?= <a@example.com>\nSubject: =?utf-8?b?broken\n\nx\n",
        b"Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nFrom: inner@example.com\n\nhi\n",
    ],
    ids=lambda d: repr(d[:24]),
)
def test_garbage_never_raises(data: bytes) -> None:
    parsed = parse_message(data)
    assert isinstance(parsed, ParsedMessage)
    for field in TEXT_FIELDS:
        value = getattr(parsed, field)
        value.encode("utf-8")  # no lone surrogates: the store and JSON must accept every field


def test_date_without_zone_is_utc() -> None:
    parsed = parse_message(b"From: a@example.com\nDate: Tue, 12 Mar 2024 10:15:00 -0000\n\nhi\n")
    assert parsed.date == datetime(2024, 3, 12, 10, 15, tzinfo=UTC)


def test_html_alternative_is_the_fallback_for_an_empty_plain_part() -> None:
    data = (
        b'From: a@example.com\nContent-Type: multipart/alternative; boundary="A"\n\n'
        b"--A\nContent-Type: text/plain\n\n \n--A\nContent-Type: text/html\n\n<p>Only here: order 1063</p>\n--A--\n"
    )
    parsed = parse_message(data)
    assert parsed.body_text == "Only here: order 1063"
    assert parsed.html_only


# -- charset decoding -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "label", "text"),
    [
        (b"caf\xc3\xa9", "utf-8", "café"),
        (b"caf\xe9", "utf-8", "café"),  # Latin-1 bytes labelled utf-8
        (b"caf\xe9", "iso-8859-1", "café"),
        (b"\x93quoted\x94", "iso-8859-1", "“quoted”"),  # what "iso-8859-1" means in practice: Windows-1252
        (b"caf\xc3\xa9", "iso-8859-1", "café"),  # utf-8 bytes labelled Latin-1
        (b"caf\xc3\xa9", "us-ascii", "café"),
        (b"caf\xc3\xa9", "x-unknown", "café"),
        (b"caf\xe9", "", "café"),
        ("日本語".encode("shift_jis"), "shift_jis", "日本語"),
        ("한국어".encode("cp949"), "ks_c_5601-1987", "한국어"),
        ("中文".encode("gb18030"), "gb2312", "中文"),
        (b"Fr+APY-sche", "utf-7", "Frösche"),
        ("Привет, заказ 1064".encode("koi8-r"), "koi8-r", "Привет, заказ 1064"),
        ("Привет, заказ 1064".encode("cp1251"), "windows-1251", "Привет, заказ 1064"),
        ("Привет мир".encode() + b"\xff" + "и снова".encode(), "utf-8", "Привет мир\ufffdи снова"),
    ],
)
def test_decode_bytes(raw: bytes, label: str, text: str) -> None:
    assert decode_bytes(raw, label) == text


def test_decode_bytes_after_the_cap_drops_a_cut_character() -> None:
    assert decode_bytes("Привет".encode()[:-1], "utf-8", truncated=True) == "Приве"
    assert decode_bytes(b"caf\xe9", "utf-8", truncated=True) == "caf"  # ambiguous at a cut: utf-8 wins
    assert decode_bytes(b"caf\xe9", "utf-8") == "café"


# -- never reply ----------------------------------------------------------------


def _headers(text: str) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(text.encode() + b"\n\nbody\n")
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Subject: Where is my order?", None),
        ("Auto-Submitted: auto-replied", "auto_reply"),
        ("Auto-Submitted: auto-generated", "auto_reply"),
        ("Auto-Submitted: no", None),
        ("X-Autoreply: yes", "auto_reply"),
        ("X-Autorespond: 1", "auto_reply"),
        ("Precedence: bulk", "auto_reply"),
        ("Precedence: junk", "auto_reply"),
        ("Precedence: auto_reply", "auto_reply"),
        ("Precedence: list", "list"),
        ("List-Id: Shop news <news.shop.example>", "list"),
        ("List-Unsubscribe: <mailto:leave@news.example>", "list"),
        ("Precedence: bulk\nList-Unsubscribe: <mailto:leave@news.example>", "list"),
        ("Subject: Out of Office: Your order 1065", "auto_reply"),
        ("Subject: Automatic reply: Your order 1065", "auto_reply"),
        ("Subject: Abwesenheitsnotiz: Ihre Bestellung", "auto_reply"),
        ("Subject: =?utf-8?q?R=C3=A9ponse_automatique_:_commande?=", "auto_reply"),
        ("Subject: =?utf-8?q?Respuesta_autom=C3=A1tica:_pedido?=", "auto_reply"),
        ("Subject: Risposta automatica: ordine", "auto_reply"),
        ("Subject: Re: out of office question about my order", None),
        ("Subject: Abwesend: bis 25.03.", "auto_reply"),
        ("Subject: Abwesenheit bei der Lieferung, Bestellung 1065", None),
        ("Subject: Auto-generated invoice is wrong", None),
        ("Subject: Vacation", "auto_reply"),
        ("Subject: Vacation rental order 1065", None),
        ("Subject: Delivery Status Notification (Failure)", "bounce"),
        ("Subject: Undeliverable: Your order 1066", "bounce"),
        ("Subject: Undelivered package, order 1066", None),
        ("X-Failed-Recipients: nobody@example.invalid", "bounce"),
        ('Content-Type: multipart/report; report-type=delivery-status; boundary="x"', "bounce"),
        ('Content-Type: multipart/report; report-type=disposition-notification; boundary="x"', "auto_reply"),
    ],
)
def test_never_reply_reason_from_headers(headers: str, reason: str | None) -> None:
    assert never_reply_reason(_headers(headers), "customer@example.com", frozenset()) == reason


@pytest.mark.parametrize(
    ("sender", "reason"),
    [
        ("mailer-daemon@mx.example.com", "bounce"),
        ("postmaster@example.com", "bounce"),
        ("mailer-daemon", "bounce"),
        ("support@shop.example", "own"),
        ("someone@example.com", None),
    ],
)
def test_never_reply_reason_from_sender(sender: str, reason: str | None) -> None:
    own = frozenset({"Support@Shop.Example"})
    assert never_reply_reason(_headers("Subject: hi"), sender, own) == reason


def test_own_mail_wins_over_list_headers() -> None:
    msg = _headers("List-Unsubscribe: <mailto:x@shop.example>")
    assert never_reply_reason(msg, "news@shop.example", frozenset({"news@shop.example"})) == "own"


# -- reply splitting and HTML -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("", "", "")),
        ("Please cancel order 1067.", ("Please cancel order 1067.", "", "")),
        (
            "Cancel it please.\r\n\r\n"
            "On Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\r\n> Order 1067 placed.\r\n",
            (
                "Cancel it please.",
                "On Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\n> Order 1067 placed.",
                "",
            ),
        ),
        (
            "Yes.\n\nLe 4 mars 2024 à 10:00, Boutique <b@shop.example>\na écrit :\n\n> Confirmez-vous ?\n",
            ("Yes.", "Le 4 mars 2024 à 10:00, Boutique <b@shop.example>\na écrit :\n\n> Confirmez-vous ?", ""),
        ),
        (
            "Kaputt angekommen.\n\nAm 16.11.26 um 14:20 schrieb Juniper & Oak:\n> Ihre Bestellung ist unterwegs",
            ("Kaputt angekommen.", "Am 16.11.26 um 14:20 schrieb Juniper & Oak:\n> Ihre Bestellung ist unterwegs", ""),
        ),
        (
            "I asked at 12:30 and you wrote, twice:\nnothing happened.",
            ("I asked at 12:30 and you wrote, twice:\nnothing happened.", "", ""),
        ),
        (
            # An attribution a customer might type: no time, no address, nothing quoted under it.
            "On May 5 you wrote:\n\n'Ships in 2 days.'\n\nIt has not shipped.",
            ("On May 5 you wrote:\n\n'Ships in 2 days.'\n\nIt has not shipped.", "", ""),
        ),
        (
            # Inline answers between the shop's quoted questions are the customer's new text.
            "On Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\n"
            "> Order number?\n\n1068\n\n> Address?\n\n5 Main St",
            (
                "1068\n\n\n5 Main St",
                "On Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\n> Order number?\n> Address?",
                "",
            ),
        ),
        (
            "Where is it?\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\n\nShipped.",
            ("Where is it?", "-----Original Message-----\nFrom: Shop\nSent: Monday\n\nShipped.", ""),
        ),
        (
            "See below.\n\n---------- Forwarded message ---------\nFrom: Shop <s@shop.example>\n\nYour order",
            ("See below.", "---------- Forwarded message ---------\nFrom: Shop <s@shop.example>\n\nYour order", ""),
        ),
        ("Refund please.\n\nThanks,\nAlex\n+1 555 0100", ("Refund please.", "", "Thanks,\nAlex\n+1 555 0100")),
        ("Refund please.\n\nThanks!", ("Refund please.\n\nThanks!", "", "")),
        ("Refund please.\n-- \nAlex", ("Refund please.", "", "-- \nAlex")),
        ("Refund please.\n\nVon meinem iPhone gesendet", ("Refund please.", "", "Von meinem iPhone gesendet")),
        ("I paid.\nSent via PayPal.\nPlease check.", ("I paid.\nSent via PayPal.\nPlease check.", "", "")),
        ("Paid.\n\nSent from my iPhone\n\nOriginal text", ("Paid.", "Original text", "Sent from my iPhone")),
        (
            "Sent from my desk, because the phone died.",
            ("Sent from my desk, because the phone died.", "", ""),
        ),
    ],
)
def test_split_reply(text: str, expected: tuple[str, str, str]) -> None:
    assert split_reply(text) == expected
    assert new_text(text) == expected[0]


def test_new_text_is_split_replys_first_part_on_every_training_mail() -> None:
    from triage.model.data import load_mail

    bodies = [row.body for row in load_mail()] + [path.read_text(errors="replace") for path in CASES]
    assert sum(split_reply(b)[1] != "" for b in bodies) > 100  # quotes and signatures are cut here too
    assert all(new_text(b) == split_reply(b)[0] for b in bodies)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please cancel order 1067.", "Please cancel order 1067."),
        (
            "Cancel it please.\r\n\r\nOn Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\r\n> Order 1067.\r\n",
            "Cancel it please.\n\n",
        ),
        ("Where is it?\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\n\nShipped.", "Where is it?\n"),
        ("Refund please.\n\nThanks,\nAlex", "Refund please.\n\nThanks,\nAlex"),  # the signature stays
        ("> Order number?\n\n1068\n\n> Address?\n\n5 Main St", "\n1068\n\n\n5 Main St"),  # inline answers
        ("> Order number?\n1068\n> Address?\n5 Main St", "5 Main St"),  # "1068": a re-wrapped quote line
        ("On May 5 you wrote:\n\n'Ships in 2 days.'", "On May 5 you wrote:\n\n'Ships in 2 days.'"),
    ],
)
def test_cut_history_drops_what_split_reply_calls_quoted(text: str, expected: str) -> None:
    assert cut_history(text) == expected


def test_split_reply_on_a_huge_body_keeps_every_line() -> None:
    text = "\n".join(f"On line {i} at 10:{i % 60:02d} someone said: order {i}" for i in range(50_000))
    new, quoted, signature = split_reply(text)
    assert new == text
    assert quoted == signature == ""


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a &amp; b&nbsp;c</p>", "a & b c"),
        ("<div>one<br>two</div><div>three</div>", "one\ntwo\nthree"),
        ("<ul><li>first</li><li>second</li></ul>", "- first\n- second"),
        ("<style>p {}</style><script>x()</script><title>t</title><p>seen</p>", "seen"),
        ("<p>new</p><blockquote>old<blockquote>older</blockquote></blockquote>", "new\n\n> old\n>\n> > older"),
        ("<pre>  keep\n    indent</pre>", "  keep\n    indent"),
        ("<div><p>unclosed <b>bold", "unclosed bold"),
        ("<table><tr><td>Order</td><td>1069</td></tr></table>", "Order 1069"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
