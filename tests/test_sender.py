"""A sender who cannot pose as someone else: hostile From, Reply-To and Subject headers, as a table.

Each row is one header shape a hostile (or merely broken) inbox sends, with what triage must make of
it: the stored `from_addr`, `reply_to` and display name, whether the message is flagged
`sender_unverified`, and who a draft would go to. An address only ever comes from the addr-spec of
one parsed mailbox; anything else leaves the message without a sender until an agent decides.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support import MODEL
from triage.config import config_from_dict
from triage.mail.parse import parse_message
from triage.records import Order, RawMessage
from triage.reply.draft import reply_recipient
from triage.run.pipeline import OrderBook, Pipeline, stored_ref
from triage.store import Store
from triage.understand.classify import IntentModel

OWN = frozenset({"support@shop.example"})
VICTIM = "victim@customer.example"
MALLORY = "mallory@attacker.example"


def mail(from_: str | None, reply_to: str | None = None, subject: str = "Where is my parcel?") -> bytes:
    head = [f"From: {from_}"] if from_ is not None else []
    if reply_to is not None:
        head.append(f"Reply-To: {reply_to}")
    head += [f"Subject: {subject}", "To: support@shop.example", "Message-ID: <m1@customer.example>"]
    return ("\n".join(head) + "\n\nHello, where is my parcel?\n").encode()


# (id, From, Reply-To, from_addr, reply_to, from_name, sender_unverified, draft recipient)
SENDERS = [
    ("plain", "Jane Doe <jane@customer.example>", None, "jane@customer.example", None, "Jane Doe", False,
     "jane@customer.example"),
    ("encoded CR/LF forging a second line with the victim's address",
     f"=?utf-8?q?Eve=0D=0AX:_{VICTIM}?= <{MALLORY}>", None, "", None, "", True, None),
    ("encoded CR/LF inside a quoted display name",
     f'"=?utf-8?q?Eve=0D=0AFrom:_{VICTIM}?=" <{MALLORY}>', None, "", None, "", True, None),
    ("quoted address as display name", f'"{VICTIM}" <{MALLORY}>', None, MALLORY, None, "", False, MALLORY),
    ("unquoted address as display name", f"{VICTIM} <{MALLORY}>", None, "", None, "", True, None),
    ("base64-encoded address as display name", f"=?utf-8?b?dmljdGltQGN1c3RvbWVyLmV4YW1wbGU=?= <{MALLORY}>", None,
     MALLORY, None, "", False, MALLORY),
    ("quoted-printable address with underscores as display name",
     f"=?utf-8?q?victim=40customer.example_(Customer)?= <{MALLORY}>", None, MALLORY, None, "", False, MALLORY),
    ("encoded address and nothing else", "=?utf-8?q?victim=40customer.example?=", None, "", None, "", True, None),
    ("nested angle brackets", f"<{VICTIM} <{MALLORY}>>", None, "", None, "", True, None),
    ("address after the angle-addr", f"Eve <{MALLORY}> {VICTIM}", None, "", None, "", True, None),
    ("two From addresses", f"{VICTIM}, {MALLORY}", None, "", None, "", True, None),
    ("group syntax", f"Customers: {VICTIM};", None, "", None, "", True, None),
    ("empty group", "undisclosed-recipients:;", None, "", None, "", True, None),
    ("empty From", "", None, "", None, "", True, None),
    ("no From at all", None, None, "", None, "", True, None),
    ("only a display name", "Victim Customer", None, "", None, "", True, None),
    ("comment holding an address", f"{MALLORY} ({VICTIM})", None, MALLORY, None, "", False, MALLORY),
    ("comment hiding the address the encoded local part decodes to",
     f"(<{VICTIM}>) <=?utf-8?q?victim?=@customer.example>", None, "", None, "", True, None),
    ("encoded word as the local part", "<=?utf-8?q?victim?=@customer.example>", None, "", None, "", True, None),
    ("quoted local part holding an address", f'Eve <"{VICTIM}"@attacker.example>', None, "", None, "", True, None),
    ("IP literal instead of a host", "Eve <mallory@[192.0.2.1]>", None, "", None, "", True, None),
    ("domainless robot", "MAILER-DAEMON", None, "", None, "", True, None),
    ("IDN in Unicode", "Zoë <zoë@bücher.example>", None, "zoë@bücher.example", None, "Zoë", False,
     "zoë@bücher.example"),
    ("IDN in punycode", "Zoe <zoe@xn--bcher-kva.example>", None, "zoe@xn--bcher-kva.example", None, "Zoe", False,
     "zoe@xn--bcher-kva.example"),
    ("bidi override in the display name", f"=?utf-8?q?Eve=E2=80=AE?= <{MALLORY}>", None, MALLORY, None, "Eve",
     False, MALLORY),
    ("obsolete but common: a period in the name", "J. Smith <j.smith@customer.example>", None,
     "j.smith@customer.example", None, "J. Smith", False, "j.smith@customer.example"),
    ("folded header", "Jane\n Doe <jane@customer.example>", None, "jane@customer.example", None, "Jane Doe", False,
     "jane@customer.example"),
    ("the shop's own address", "Shop <support@shop.example>", None, "support@shop.example", None, "Shop", False, None),
    ("Reply-To that differs from From", "Anna <anna@customer.example>", "anna.work@office.example",
     "anna@customer.example", "anna.work@office.example", "Anna", False, "anna.work@office.example"),
    ("Reply-To with an encoded CR/LF", "Anna <anna@customer.example>", f"=?utf-8?q?x=0D=0AX:_{VICTIM}?= <{MALLORY}>",
     "", None, "Anna", True, None),
    ("Reply-To with an address as display name", "Anna <anna@customer.example>", f"{VICTIM} <{MALLORY}>", "", None,
     "Anna", True, None),
    ("Reply-To with two addresses", "Anna <anna@customer.example>", f"{VICTIM}, {MALLORY}", "", None, "Anna", True,
     None),
    ("empty Reply-To is no Reply-To", "Anna <anna@customer.example>", "", "anna@customer.example", None, "Anna",
     False, "anna@customer.example"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("from_", "reply_to", "from_addr", "want_reply_to", "from_name", "unverified", "recipient"),
    [pytest.param(*row[1:], id=row[0]) for row in SENDERS],
)
def test_sender_table(
    from_: str | None,
    reply_to: str | None,
    from_addr: str,
    want_reply_to: str | None,
    from_name: str,
    unverified: bool,
    recipient: str | None,
) -> None:
    parsed = parse_message(mail(from_, reply_to), OWN)
    assert (parsed.from_addr, parsed.reply_to, parsed.from_name) == (from_addr, want_reply_to, from_name)
    assert parsed.sender_unverified is unverified
    assert any("sender unverified" in d for d in parsed.defects) is unverified
    assert reply_recipient(parsed, OWN) == recipient
    assert VICTIM not in (parsed.from_addr, parsed.reply_to or "")


def test_a_domainless_robot_is_still_known_for_a_bounce() -> None:
    parsed = parse_message(mail("Mail Delivery System <MAILER-DAEMON>"), OWN)
    assert parsed.sender_unverified
    assert parsed.no_reply == "bounce"


def test_a_display_name_showing_another_address_is_dropped_and_noted() -> None:
    parsed = parse_message(mail(f'"{VICTIM}" <{MALLORY}>'), OWN)
    assert parsed.from_name == ""
    assert "from: display name shows another address: dropped" in parsed.defects
    same = parse_message(mail('"jane@customer.example" <jane@customer.example>'), OWN)
    assert same.from_name == "jane@customer.example"


@pytest.mark.parametrize(
    ("subject", "stored"),
    [
        ("=?utf-8?q?Order_1042=0D=0ABcc:_victim@customer.example?=", "Order 1042 Bcc: victim@customer.example"),
        ("=?utf-8?q?Order=0A=0A1042?=", "Order 1042"),
        ("=?utf-8?q?Refund=09please?=", "Refund please"),
        ("=?utf-8?q?Refund_=E2=80=AE2401_redro?=", "Refund 2401 redro"),  # bidi override
        ("=?utf-8?q?Can=E2=80=8Bcel_order?=", "Cancel order"),  # zero-width space
        ("=?utf-8?q?Cancel=E2=80=A8order?=", "Cancel order"),  # line separator
        ("=?utf-8?q?Cancel=00_=07order?=", "Cancel order"),  # NUL and BEL
        ("Cancel   order\n  #1042", "Cancel order #1042"),  # folded, with runs of spaces
        ("Stornierung – Bestellung 1059", "Stornierung – Bestellung 1059"),
    ],
)
def test_subject_is_stored_as_one_clean_line(subject: str, stored: str) -> None:
    assert parse_message(mail("jane@customer.example", subject=subject), OWN).subject == stored


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("=?utf-8?q?Jane=09Doe?=", "Jane Doe"),  # an encoded tab
        ("=?utf-8?q?Jane=E2=80=8B_Doe?=", "Jane Doe"),  # zero-width space
        ("=?utf-8?q?Jane=1B_Doe?=", "Jane Doe"),  # ESC
        ('"Jane\tDoe"', "Jane Doe"),  # a raw tab in a quoted string
    ],
)
def test_display_name_is_stored_as_one_clean_line(name: str, stored: str) -> None:
    parsed = parse_message(mail(f"{name} <jane@customer.example>"), OWN)
    assert (parsed.from_name, parsed.from_addr) == (stored, "jane@customer.example")


# -- through the pipeline: no order by sender, no draft, a flag the agent sees --------------------


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel.load(MODEL)


def test_unverified_sender_reaches_the_queue_with_no_order_and_no_draft(model: IntentModel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    cfg = config_from_dict({"shop": {"support_address": "support@shop.example"}})
    order = Order("1042", VICTIM, "unfulfilled", created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    pipeline = Pipeline(cfg, model, OrderBook.of([order]), clock=lambda: now)
    body = b"\n\nPlease cancel my order, I ordered the wrong size.\n"
    honest = b"From: Victim <" + VICTIM.encode() + b">\nSubject: Cancel\nMessage-ID: <a@customer.example>" + body
    forged = (
        b"From: =?utf-8?q?Eve=0D=0AX:_" + VICTIM.encode() + b"?= <" + MALLORY.encode() + b">\n"
        b"Subject: Cancel\nMessage-ID: <b@attacker.example>" + body
    )
    raws = [RawMessage("test", 0, name, data, now, len(data)) for name, data in (("a", honest), ("b", forged))]
    good, bad = pipeline.run(raws)
    assert good.match.how == "email_inferred" and good.draft is not None and good.draft.to == VICTIM
    assert "sender_unverified" not in good.flags
    assert "sender_unverified" in bad.flags
    assert bad.match.order is None and bad.draft is None and bad.parsed.from_addr == ""

    store = Store(tmp_path / "t.db")
    try:
        store.save_batch([(stored_ref(r, t), t) for r, t in zip(raws, (good, bad), strict=True)], None)
        flagged = [row for row in store.queue() if "sender_unverified" in (row.flags or ())]
        assert [row.customer for row in flagged] == [""]
    finally:
        store.close()
