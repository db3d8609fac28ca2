"""Redaction: tables of cases per kind, the keep-list, idempotence, messages, and properties."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn as stdnum_luhn

import triage.redact
from triage.mail.quotes import split_reply
from triage.records import Attachment, ParsedMessage
from triage.redact import KINDS, redact, redact_message
from triage.redact.cards import issuer_matches
from triage.redact.cards import luhn_ok as _luhn_ok


def luhn_ok(digits: str) -> bool:
    """Our own Luhn, written here so the tests do not lean on the code under test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    """Append the check digit that makes `body` Luhn-valid."""
    return next(body + c for c in "0123456789" if luhn_ok(body + c))


def only_digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def kinds_of(text: str) -> list[str]:
    return [f.kind for f in redact(text).findings]


# ---------------------------------------------------------------------------
# card_number

CARDS = [
    ("4111 1111 1111 1111", "1111"),
    ("4111-1111-1111-1111", "1111"),
    ("4111.1111.1111.1111", "1111"),
    ("4111111111111111", "1111"),
    ("4111\u00a01111\u00a01111\u00a01111", "1111"),
    ("3782 822463 10005", "0005"),  # Amex 4-6-5
    ("2223 0031 2200 3222", "3222"),  # Mastercard 2-series
    ("5555 5555 5555 4444", "4444"),
    ("3622 720627 1667", "1667"),  # Diners 14, 4-6-4
    ("6011 1111 1111 1117", "1117"),  # Discover
    ("3566 0020 2036 0505", "0505"),  # JCB
    ("6205500000000000004", "0004"),  # UnionPay 19
    ("6304000000000000", "0000"),  # Maestro
    ("4222222222222", "2222"),  # Visa 13
]


@pytest.mark.parametrize(("number", "last4"), CARDS)
@pytest.mark.parametrize("template", ["{}", "my card is {}, thanks", "Karte:\n{}\n", "({})"])
def test_card_numbers_are_replaced_keeping_only_the_last_four(number: str, last4: str, template: str) -> None:
    text = template.format(number)
    r = redact(text)
    assert r.counts() == {"card_number": 1}
    assert f"[card •••• {last4}]" in r.text
    assert only_digits(number) not in only_digits(r.text)
    (f,) = r.findings
    assert text[f.start : f.end] == number  # positions point into the original


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("two cards 4111 1111 1111 1111 5555 5555 5555 4444 ok", 2),
        ("4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881", 3),
        ("IBAN DE89 3704 0044 0532 0130 00 4111 1111 1111 1111", 1),
        ("my credit card: 122000000000003", 1),  # UATP: no issuer rule, but a card word right before
        ("card number 1748503543012", 1),
        ("4111111111111111 is my card", 1),
        ("No he recibido el pedido.\nKartennummer 4222 2222 2222 2", 1),  # the order word is on another line
    ],
)
def test_card_number_counts(text: str, count: int) -> None:
    assert kinds_of(text).count("card_number") == count


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "my credit card number is 4012-8888-8888-1882",
        "order 113542617735902 please",  # Luhn-valid order number, no issuer prefix
        "113542617735902",
        "1748503543012",  # Luhn-valid, no issuer, no card word
        "Amazon order " + "302-1234567-" + luhn_complete("3021234567123456")[10:],  # 3-7-7, not a card layout
        "USPS 9400 1000 0000 0000 0000 00",
        "tracking 9400411111111111111100",
        "Call +49 " + luhn_complete("491512345678")[2:6] + " " + luhn_complete("491512345678")[6:],
        "EAN " + luhn_complete("400638133393"),
        "hash 3a4111111111111111f0",  # digits glued to hex letters
        "card 1042 order 113542617735902",
        "order 1042411111111111111",  # a card glued to an order number, no card word: an order id
        "DE66 4255 3248 8141 1654 58",  # a mistyped IBAN (mod-97 fails) holding a Visa-shaped window
    ],
)
def test_not_card_numbers(text: str) -> None:
    assert "card_number" not in kinds_of(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Order 1042 4111 1111 1111 1111", "Order 1042 [card •••• 1111]"),
        ("Order 1042 4111-1111-1111-1111 please", "Order 1042 [card •••• 1111] please"),
        ("order #1042-5555-5555-5555-4444", "order #1042-[card •••• 4444]"),
        ("Bestellung 88.4111.1111.1111.1111", "Bestellung 88.[card •••• 1111]"),
        ("Order 1042 4111 1111 1111 1111 123", "Order 1042 [card •••• 1111] [cvv removed]"),
        ("order 1042 3782 822463 10005 1234", "order 1042 [card •••• 0005] [cvv removed]"),  # Amex + 4-digit CID
        ("ref 77 1042 4222 2222 2222 2", "ref 77 1042 [card •••• 2222]"),  # 13-digit Visa
        ("1042 4111 1111 1111 1111 5555 5555 5555 4444", "1042 [card •••• 1111] [card •••• 4444]"),
        ("12.03.2026 4111 1111 1111 1111", "12.03.2026 [card •••• 1111]"),  # the date stays
        # A 22-digit USPS number holding a Luhn-valid Visa window: the card reading wins (a safe failure).
        ("USPS 9400 4111 1111 1111 1111 00", "USPS 9400 [card •••• 1111] 00"),
        # 17-19 digits in one run, a known issuer's card at either end, a card word by it.
        ("card 4111111111111111123", "card [card •••• 1111][cvv removed]"),
        ("my card 3782822463100051234", "my card [card •••• 0005][cvv removed]"),
        ("my card: 10424222222222222", "my card: 1042[card •••• 2222]"),
        ("card 9424111111111111111", "card 942[card •••• 1111]"),
    ],
)
def test_cards_inside_longer_digit_runs(text: str, expected: str) -> None:
    r = redact(text)
    assert r.text == expected
    assert redact(r.text).findings == ()


@settings(max_examples=500)
@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_fast_luhn_agrees_with_stdnum(digits: str) -> None:
    """triage.redact carries its own Luhn for speed; python-stdnum is the reference."""
    assert _luhn_ok(digits) == stdnum_luhn.is_valid(digits) == luhn_ok(digits)


def test_negative_cases_are_meaningful() -> None:
    """The Luhn-valid negatives above really are Luhn-valid, so context is what keeps them."""
    for digits in ("113542617735902", "1748503543012", "302" + "1234567" + luhn_complete("3021234567123456")[10:]):
        assert luhn_ok(digits)
    assert luhn_ok("4111111111111111")


# ---------------------------------------------------------------------------
# card_cvv and card_expiry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CVV: 123", "CVV: [cvv removed]"),
        ("cvc 1234", "cvc [cvv removed]"),
        ("CVV2 is 987", "CVV2 is [cvv removed]"),
        ("security code: 321", "security code: [cvv removed]"),
        ("Kartenprüfnummer 456", "Kartenprüfnummer [cvv removed]"),
        ("4111111111111111 12/29 123", "[card •••• 1111] [expiry removed] [cvv removed]"),
        ("4111 1111 1111 1111 123", "[card •••• 1111] [cvv removed]"),
        (
            "Card number: 4242-4242-4242-4242\nExp: 12/29\nCVV: 123",
            "Card number: [card •••• 4242]\nExp: [expiry removed]\nCVV: [cvv removed]",
        ),
        ("my card expires 12/2029", "my card expires [expiry removed]"),
        ("valid thru 01/28", "valid thru [expiry removed]"),
        ("Kreditkarte gültig bis 11/27", "Kreditkarte gültig bis [expiry removed]"),
        ("card exp. 0329", "card exp. [expiry removed]"),
    ],
)
def test_cvv_and_expiry(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "order #123 arrived",
        "The CVV field is empty",
        '<img src="cid:335c4fb7">',
        "delivered on 03/11/2026",
        "Coupon valid until 11/26.",
        "expected delivery 12/05",
        "Exp. delivery 12/05",
        "4111 1111 1111 1112 123",  # not a card, so 123 is just a number
        "room 123, due 12/29",
    ],
)
def test_not_cvv_or_expiry(text: str) -> None:
    assert redact(text).findings == ()


# ---------------------------------------------------------------------------
# iban


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "de89 3704 0044 0532 0130 00",
        "GB29 NWBK 6016 1331 9268 19",
        "NL91ABNA0417164300",
        "FR14 2004 1010 0505 0001 3M02 606",
        "AT61-1904-3002-3457-3201",
        "CH93 0076 2011 6238 5295 7",
    ],
)
def test_ibans(iban: str) -> None:
    text = f"IBAN: {iban}, thanks"
    r = redact(text)
    assert r.text == "IBAN: [iban removed], thanks"
    assert r.counts() == {"iban": 1}


@pytest.mark.parametrize(
    "text",
    [
        "DE89 3704 0044 0532 0130 01",  # checksum
        "DE89 3704 0044 0532 0130",  # truncated
        "DE89 A704 0044 0532 0130 00",  # letter in a numeric field
        "DE89/3704/0044/0532/0130/00",  # slash is not a separator (nor in Presidio's cases)
        "XX89 3704 0044 0532 0130 00",  # no such country
        "DE89370400440532013000123",  # runs on past the German length
    ],
)
def test_not_ibans(text: str) -> None:
    assert "iban" not in kinds_of(text)


# ---------------------------------------------------------------------------
# bank_account


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sort code 12-34-56", "sort code [bank account removed]"),
        ("account number 12345678", "account number [bank account removed]"),
        ("Routing number: 021000021", "Routing number: [bank account removed]"),
        ("BLZ 370 400 44", "BLZ [bank account removed]"),
        ("Kontonummer: 0532013000", "Kontonummer: [bank account removed]"),
        ("Acct #: 9876543210", "Acct #: [bank account removed]"),
        ("Sort code: 20-00-00 Account: 12345678", "Sort code: [bank account removed] Account: [bank account removed]"),
        ("numéro de compte : 12345678901", "numéro de compte : [bank account removed]"),
    ],
)
def test_bank_accounts(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    ["my account is locked", "account number 1042", "order number 12345678", "BLZ?", "my bank is slow"],
)
def test_not_bank_accounts(text: str) -> None:
    assert redact(text).findings == ()


# ---------------------------------------------------------------------------
# password

SEED_12 = "apple banana cherry delta eagle fig grape hotel igloo jelly kite lemon"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my password is hunter2", "my password is [password removed]"),
        ("password: xyz123", "password: [password removed]"),
        ("Passwort: Sommer2024", "Passwort: [password removed]"),
        ("contraseña: gato123", "contraseña: [password removed]"),
        ("mot de passe : azerty12", "mot de passe : [password removed]"),
        ("Kennwort lautet Blume7", "Kennwort lautet [password removed]"),
        ("pw=abc123", "pw=[password removed]"),
        ("the password for my account is 'correct horse'", "the password for my account is '[password removed]'"),
        ("PIN 1234", "PIN [password removed]"),
        ("my PIN is 4321", "my PIN is [password removed]"),
        ("one-time code 123456", "one-time code [password removed]"),
        ("verification code: 123 456", "verification code: [password removed]"),
        ('{"password": "x1y2z3"}', '{"password": "[password removed]"}'),
        ("İstanbul PASSWORD: Hunter22", "İstanbul PASSWORD: [password removed]"),  # lower() changes length
        ("OTP: 884422", "OTP: [password removed]"),
        ("login: jane@example.com / pw: s3cr3t", "login: jane@example.com / pw: [password removed]"),
        ("login: jane / s3cr3t", "login: [login removed] / [password removed]"),
        (f"recovery phrase: {SEED_12}", "recovery phrase: [password removed]"),
        (f"Seed phrase:\n{SEED_12} {SEED_12}", "Seed phrase:\n[password removed]"),
    ],
)
def test_passwords_keep_the_cue_and_drop_the_value(text: str, expected: str) -> None:
    r = redact(text)
    assert r.text == expected
    assert set(r.counts()) == ({"password", "login"} if "[login removed]" in expected else {"password"})


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my password",
        "Please send me a password reset link",
        "my PIN is blocked",
        "the password is incorrect",
        "How do I reset your PIN code?",
        "my password was rejected",
        "Pincode: 560001, Bangalore",  # an Indian postal PIN code
        "postal code 10115",
        "discount code SAVE10",
        "Follow these steps to recover your password:\n\n1. Visit our site",
        "a tan leather bag, 123456 in stock",
    ],
)
def test_not_passwords(text: str) -> None:
    assert redact(text).findings == ()


# ---------------------------------------------------------------------------
# keep-list, idempotence, API shape

KEEP = [
    "order #1042",
    "Order 123456789",
    "order 113542617735902",
    "UPS 1Z999AA10123456784",
    "USPS 9400 1000 0000 0000 0000 00",
    "USPS 9400100000000000000000",
    "DHL 1234567890",
    "call +49 30 1234567",
    "call (555) 123-4567",
    "call +1 555 123 4567",
    "€49.99",
    "$1,299.00",
    "2026-11-03",
    "03/11/2026",
    "Nov 3",
    "10115 Berlin",
    "SW1A 1AA London",
    "1234 AB Amsterdam",
]


@pytest.mark.parametrize("item", KEEP)
def test_keep_list_survives(item: str) -> None:
    text = f"Hi, about {item}: any news?"
    r = redact(text)
    assert r.findings == ()
    assert r.text == text


def test_keep_list_survives_together() -> None:
    text = "; ".join(KEEP)
    assert redact(text).text == text


def test_kinds_are_the_documented_ones() -> None:
    assert KINDS == ("card_number", "card_cvv", "card_expiry", "iban", "bank_account", "password", "login")


def test_findings_never_hold_the_value() -> None:
    r = redact("card 4111 1111 1111 1111, password: hunter2")
    assert "4111" not in repr(r.findings)
    assert "hunter2" not in repr(r.findings)
    assert all(set(dataclasses.asdict(f)) == {"kind", "start", "end"} for f in r.findings)


def test_empty_text() -> None:
    assert redact("").text == ""
    assert redact("").findings == ()


MIXED = (
    "Hi! Order #1042. Card 4111 1111 1111 1111 exp 12/29 cvv 123, IBAN DE89 3704 0044 0532 0130 00,\n"
    "sort code 12-34-56, password: hunter2, PIN 1234. Call +49 30 1234567 about €49.99 on 2026-11-03."
)


def test_mixed_message() -> None:
    r = redact(MIXED)
    assert r.counts() == {
        "card_number": 1,
        "card_expiry": 1,
        "card_cvv": 1,
        "iban": 1,
        "bank_account": 1,
        "password": 2,
    }
    for keep in ("#1042", "+49 30 1234567", "€49.99", "2026-11-03", "password:", "PIN", "sort code"):
        assert keep in r.text


def test_redaction_is_idempotent_on_markers() -> None:
    once = redact(MIXED)
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.findings == ()


def _message(**over: object) -> ParsedMessage:
    body = "Please use card 4111 1111 1111 1111.\n\n> IBAN DE89 3704 0044 0532 0130 00\n\n-- \nJane, PIN 1234"
    new, rest = body.split("\n\n> ")
    quoted, signature = ("> " + rest).split("\n\n-- \n")
    base = ParsedMessage(
        message_id="<m1@example.com>",
        subject="Refund to 5555 5555 5555 4444",
        from_addr="jane@example.com",
        from_name="Jane password: hunter22",
        reply_to=None,
        to=("shop@example.com",),
        cc=(),
        date=None,
        in_reply_to=None,
        references=(),
        body_text=body,
        new_text=new,
        quoted_text=quoted,
        signature=signature,
        attachments=(
            Attachment("card_4012888888881881.pdf", "application/pdf", 10),
            Attachment("invoice-1042.pdf", "application/pdf", 20),
        ),
    )
    return dataclasses.replace(base, **over)


def test_redact_message_covers_every_human_field_and_counts_each_secret_once() -> None:
    msg = _message()
    out, counts = redact_message(msg)
    # body card + subject card + attachment card; the body's IBAN and PIN counted once despite the slices
    assert counts == {"card_number": 3, "iban": 1, "password": 2}
    blob = repr(out)
    for secret in ("4111111111111111", "5555555555554444", "4012888888881881", "DE89", "hunter22", "1234"):
        assert secret not in only_digits(blob) if secret.isdigit() else secret not in blob
    assert out.new_text == "Please use card [card •••• 1111]."
    assert out.quoted_text == "> IBAN [iban removed]"
    assert out.signature == "Jane, PIN [password removed]"
    assert out.attachments[0].filename == "card_[card •••• 1881].pdf"
    assert out.attachments[1] == msg.attachments[1]
    assert (out.message_id, out.from_addr, out.to) == (msg.message_id, msg.from_addr, msg.to)


def test_redact_message_without_secrets_changes_nothing() -> None:
    msg = _message(
        subject="Where is order #1042?",
        from_name="Jane",
        body_text="Hi",
        new_text="Hi",
        quoted_text="",
        signature="",
        attachments=(),
    )
    out, counts = redact_message(msg)
    assert counts == {}
    assert out == msg


# ---------------------------------------------------------------------------
# properties

# Filler text without vowels, digits or the letters of consonant-only cues ("pw", "cvv", "BLZ", "mdp")
# cannot spell a cue word or a number, so whatever is found comes from what the test put there.
FILLER = st.text(alphabet=st.sampled_from(list("dfghjklmnqrsxzßçñ日本語🙂 \n\t.,;!?()'\"")), max_size=40)
LEFT_EDGE = st.sampled_from([" ", "\n", ": ", " (", ", ", "\t"])
RIGHT_EDGE = st.sampled_from([" ", "\n", ". ", ") ", ", ", "!"])

BRANDS: list[tuple[st.SearchStrategy[str], list[int]]] = [
    (st.just("4"), [13, 16, 19]),  # Visa
    (st.integers(51, 55).map(str), [16]),  # Mastercard
    (st.integers(2221, 2720).map(str), [16]),  # Mastercard 2-series
    (st.sampled_from(["34", "37"]), [15]),  # Amex
    (st.sampled_from(["6011", "65"]) | st.integers(644, 649).map(str), [16, 19]),  # Discover
    (st.sampled_from(["36", "38", "39"]) | st.integers(300, 305).map(str), [14, 16]),  # Diners
    (st.integers(3528, 3589).map(str), [16, 19]),  # JCB
    (st.just("62"), [16, 19]),  # UnionPay
    (st.sampled_from(["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"]), [13, 16, 19]),
]


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    prefix_st, lengths = draw(st.sampled_from(BRANDS))
    prefix = draw(prefix_st)
    length = draw(st.sampled_from(lengths))
    body = prefix + draw(
        st.text(alphabet="0123456789", min_size=length - 1 - len(prefix), max_size=length - 1 - len(prefix))
    )
    return luhn_complete(body)


def group(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        if i >= len(digits):
            break
        out.append(digits[i : i + n])
        i += n
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


@st.composite
def grouped(draw: st.DrawFn, digits: str) -> str:
    style = draw(st.sampled_from(["none", "fours", "amex"]))
    if style == "none":
        return digits
    sep = draw(st.sampled_from([" ", "-", ".", "\u00a0"]))
    sizes = [4, 6, 5] if style == "amex" and len(digits) in (14, 15) else [4] * 5
    return group(digits, sizes, sep)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), left=FILLER, right=FILLER, ledge=LEFT_EDGE, redge=RIGHT_EDGE)
def test_every_valid_issuer_card_is_removed(data: st.DataObject, left: str, right: str, ledge: str, redge: str) -> None:
    digits = data.draw(card_numbers())
    number = data.draw(grouped(digits))
    text = left + ledge + number + redge + right
    r = redact(text)
    assert "card_number" in r.counts()
    assert digits not in only_digits(r.text)
    start = len(left) + len(ledge)
    covered = set()
    for f in r.findings:
        covered.update(range(f.start, f.end))
    assert all(i in covered for i in range(start, start + len(number)) if text[i].isdigit())


def card_shaped_windows(run: str) -> list[tuple[int, int]]:
    """Group-aligned windows of 12-19 digits starting with a 4-digit group, Luhn-valid, of a known issuer
    (the whole run by the full table, a window inside it by the core ranges).

    A superset of what redact may read as a card inside a longer run (it also wants one separator and a
    card-like grouping). The issuer table is the code's own, cross-checked by the card properties.
    """
    groups = re.split(r"[ \-.\u00a0]", run)
    out = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups) + 1):
            w = "".join(groups[i:j])
            inner = (i, j) != (0, len(groups))  # inside a longer run only a scheme's core ranges count
            if len(groups[i]) == 4 and 12 <= len(w) <= 19 and luhn_ok(w) and issuer_matches(w, core=inner):
                out.append((i, j))
    return out


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    left=FILLER,
    right=FILLER,
    word=st.sampled_from(["Order ", "order #", "Bestellung ", "ref ", ""]),
    order=st.text(alphabet="0123456789", min_size=1, max_size=8),
    tail=st.none() | st.integers(100, 9999).map(str),
)
def test_cards_next_to_other_numbers_are_removed_and_the_order_number_stays(
    data: st.DataObject, left: str, right: str, word: str, order: str, tail: str | None
) -> None:
    """`Order 1042 4111 1111 1111 1111 123`: a card inside a longer run of groups still goes."""
    digits = data.draw(card_numbers())
    sep = data.draw(st.sampled_from([" ", "-", ".", "\u00a0"]))
    amex = len(digits) in (14, 15) and data.draw(st.booleans())
    number = group(digits, [4, 6, 5] if amex else [4] * 5, sep)
    joiner = data.draw(st.sampled_from([sep, " "]))
    run = order + joiner + number + (joiner + tail if tail else "")
    # Where the order number or the tail plus part of the card also reads as a card, either reading
    # is a real ambiguity (as in a USPS number): redact removes one of them, not necessarily ours.
    n_order = len(re.split(r"[ \-.\u00a0]", order + joiner)) - 1
    n_card = len(re.split(r"[ \-.\u00a0]", number))
    assume(all(w == (n_order, n_order + n_card) for w in card_shaped_windows(run)))
    head = left + " " + word + order
    text = head + run[len(order) :] + ". " + right
    r = redact(text)
    assert "card_number" in r.counts()
    assert r.text.startswith(head)  # the order number survives
    start = len(head) + len(joiner)
    covered = {k for f in r.findings if f.kind == "card_number" for k in range(f.start, f.end)}
    assert all(k in covered for k in range(start, start + len(number)) if text[k].isdigit())
    assert digits not in only_digits(r.text)


@settings(max_examples=300)
@given(
    data=st.data(),
    word=st.sampled_from(["card ", "my credit card: ", "Karte ", "Visa "]),
    after=st.booleans(),
)
def test_cards_glued_to_a_short_number_next_to_a_card_word_are_removed(
    data: st.DataObject, word: str, after: bool
) -> None:
    """`card 4111111111111111123`: 17-19 digits in one run, a known issuer's card at one end."""
    digits = data.draw(card_numbers())
    assume(len(digits) < 19)
    size = data.draw(st.integers(max(1, 17 - len(digits)), 19 - len(digits)))
    glued = data.draw(st.text(alphabet="0123456789", min_size=size, max_size=size))
    run = digits + glued if after else glued + digits
    r = redact(f"{word}{run}, thanks")
    assert "card_number" in r.counts()
    assert digits not in only_digits(r.text)


def usps(ai: str, body: str) -> str:
    """A 22-digit USPS IMpb tracking number: 9[2-5], 19 digits, the USPS mod-10 (3-1 weights) check digit."""
    digits = "9" + ai + body
    total = sum(int(c) * (3 if k % 2 == 0 else 1) for k, c in enumerate(reversed(digits)))
    return digits + str(-total % 10)


@settings(max_examples=500)
@given(
    ai=st.sampled_from("2345"),
    body=st.text(alphabet="0123456789", min_size=19, max_size=19),
    sep=st.sampled_from([" ", "-"]),
)
def test_usps_numbers_lose_at_most_a_card_shaped_window(ai: str, body: str, sep: str) -> None:
    """About 4% of random USPS numbers in 4-digit groups hold a Luhn-valid issuer window: a real
    ambiguity with a card typed after an order number. Only that window goes; all others survive."""
    number = group(usps(ai, body), [4] * 6, sep)
    text = f"Tracking {number}, thanks"
    r = redact(text)
    shaped = card_shaped_windows(number)
    if not shaped:
        assert r.findings == ()
        return
    groups = number.split(sep)
    assert [f.kind for f in r.findings] == ["card_number"]
    (f,) = r.findings
    assert text[f.start : f.end] in [sep.join(groups[i:j]) for i, j in shaped]
    assert r.text.startswith(f"Tracking {groups[0]}{sep}")  # 9x.. is no issuer: the first group stays


@st.composite
def invalid_runs(draw: st.DrawFn) -> tuple[str, str]:
    length = draw(st.integers(13, 19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    good = luhn_complete(body)[-1]
    bad = draw(st.sampled_from([c for c in "0123456789" if c != good]))
    digits = body + bad
    return digits, draw(grouped(digits))


def _windows(number: str) -> list[str]:
    """Every run of whole groups: what any reading of a grouped number could call a card."""
    groups = re.split(r"[ \-.\u00a0]", number)
    return ["".join(groups[i:j]) for i in range(len(groups)) for j in range(i + 1, len(groups) + 1)]


@settings(max_examples=300)
@given(run=invalid_runs(), left=FILLER, right=FILLER, ledge=LEFT_EDGE, redge=RIGHT_EDGE)
def test_luhn_invalid_runs_are_never_cards(run: tuple[str, str], left: str, right: str, ledge: str, redge: str) -> None:
    _digits, number = run
    assume(not any(luhn_ok(w) for w in _windows(number) if 12 <= len(w) <= 19))
    assert "card_number" not in kinds_of(left + ledge + number + redge + right)


KEEP_ITEMS = st.one_of(
    st.integers(1000, 999999).map(lambda n: f"#{n}"),
    st.text(alphabet="0123456789", min_size=4, max_size=10).map(lambda s: f"order {s}"),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=8, max_size=8).flatmap(
        lambda s: st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: f"1Z{s}{d}")
    ),
    st.tuples(st.sampled_from("12345"), st.integers(18, 20)).flatmap(
        lambda t: st.text(alphabet="0123456789", min_size=t[1], max_size=t[1]).flatmap(
            lambda d: st.sampled_from([f"9{t[0]}{d}", group(f"9{t[0]}{d}", [4] * 6, " ")])
        )
    ),
    st.text(alphabet="0123456789", min_size=10, max_size=10).map(lambda s: f"DHL {s}"),
    st.text(alphabet="0123456789", min_size=7, max_size=11).map(lambda s: f"+49 {s[:3]} {s[3:]}"),
    st.tuples(st.integers(200, 999), st.integers(200, 999), st.integers(0, 9999)).map(
        lambda t: f"({t[0]}) {t[1]}-{t[2]:04d}"
    ),
    st.tuples(st.integers(0, 99999), st.integers(0, 99)).flatmap(
        lambda t: st.sampled_from([f"€{t[0]}.{t[1]:02d}", f"${t[0]:,}.{t[1]:02d}", f"{t[0]},{t[1]:02d} EUR"])
    ),
    st.dates().flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%b %-d"), d.strftime("%d.%m.%Y")])
    ),
    st.text(alphabet="0123456789", min_size=5, max_size=5).map(lambda s: f"{s} Berlin"),
)


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        (" 9100 0000 0000 0000 5559, 9400 0000 0001 0000 0000.", 0),  # two tracking numbers (found by hypothesis)
        (" 9100 0000 6799 0011 6679, 32527 Berlin.", 0),  # a tracking number, a postcode (found by hypothesis)
        (" 9100 0000 6799 0011 6679\n32527 Berlin.", 0),  # the same one per line: no join past a card's length
        (" 01/01/4000\n9300 0000 0000 0000 0000.", 0),  # a date, then a tracking number: no join before one either
        ("card 4111 1111\n1111 1111 thanks", 1),  # a card broken over two lines is still joined
        ("card 4111 1111 1111, 1111 thanks", 1),  # a card written with a comma stays whole
        ("cards 4111 1111 1111 1111, 5500 0000 0000 0004 ok", 2),
    ],
)
def test_a_list_of_long_numbers_keeps_its_items_apart(text: str, cards: int) -> None:
    assert redact(text).counts().get("card_number", 0) == cards


@settings(max_examples=300)
@given(
    items=st.lists(KEEP_ITEMS, min_size=1, max_size=5), left=FILLER, glue=st.sampled_from([", ", "; ", "\n", " and "])
)
def test_keep_list_items_survive(items: list[str], left: str, glue: str) -> None:
    assume(not any(card_shaped_windows(item) for item in items))  # see the USPS property above
    text = left + " " + glue.join(items) + "."
    r = redact(text)
    assert r.findings == ()
    assert r.text == text


PIECES = st.one_of(
    FILLER,
    card_numbers().flatmap(grouped),
    KEEP_ITEMS,
    st.text(alphabet="0123456789 -/", max_size=12),
    st.sampled_from(
        [
            "cvv 123",
            "exp 12/29",
            "12/29",
            "IBAN DE89 3704 0044 0532 0130 00",
            "GB29NWBK60161331926819",
            "password: hunter2",
            "my password is 'open sesame'",
            "PIN 1234",
            "one-time code",
            "sort code 12-34-56",
            "account number",
            "login: jane /",
            f"seed phrase: {SEED_12}",
            "[card •••• 1111]",
            "[password removed]",
            "[cvv removed]",
            "card",
            "Passwort:",
        ]
    ),
)


@settings(max_examples=300)
@given(parts=st.lists(PIECES, max_size=8), glue=st.sampled_from([" ", "\n", ", ", ": "]))
def test_redaction_is_idempotent(parts: list[str], glue: str) -> None:
    once = redact(glue.join(parts))
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.findings == ()


def _parsed(body: str, **over: object) -> ParsedMessage:
    new, quoted, signature = split_reply(body)
    return _message(body_text=body, new_text=new, quoted_text=quoted, signature=signature, **over)


def test_redact_message_redacts_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "Please use card 4111 1111 1111 1111.  \n\n"
        "On Mon, 4 Mar 2024 at 10:00, Shop <s@shop.example> wrote:\n> IBAN DE89 3704 0044 0532 0130 00\n\n"
        "Thanks,\nJane\nPIN 1234"
    )
    msg = _parsed(body, attachments=())
    seen: list[str] = []
    real = triage.redact.redact
    monkeypatch.setattr(triage.redact, "redact", lambda text: seen.append(text) or real(text))
    out, counts = redact_message(msg)
    assert sorted(seen) == sorted([msg.subject, msg.from_name, msg.new_text, msg.quoted_text, msg.signature])
    assert out.body_text == real(body).text  # rebuilt from the parts, trailing blanks and all
    assert out.new_text == "Please use card [card •••• 1111]."
    assert out.signature == "Thanks,\nJane\nPIN [password removed]"
    assert counts == {"card_number": 2, "iban": 1, "password": 2}


def test_redact_message_redacts_a_body_its_parts_do_not_make_up() -> None:
    msg = _message(body_text="Card 4111 1111 1111 1111", new_text="Hi", quoted_text="", signature="", attachments=())
    out, counts = redact_message(msg)
    assert out.body_text == "Card [card •••• 1111]"
    assert counts == {"card_number": 2, "password": 1}  # subject's card, body's card, from_name's password
