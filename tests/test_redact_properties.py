"""Properties of redaction against issue 13's attacker: every brand, separator, encoding, line break and
digit script; a generated card (and the CVV and expiry beside it) never survives, and decoys do.

The issuer ranges come from triage.redact.issuers (its source is named there); Luhn is computed here, so
"a valid card" does not lean on the code under test. The end-to-end test runs a handful of the shapes
through `inspect --json` and the store of a real run, and scans the SQLite file's bytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import MODEL
from tests.support.cli import TriageCli
from tests.test_redact import luhn_complete
from triage.mail.html_text import html_to_text
from triage.redact import redact
from triage.redact.issuers import BRANDS, ISSUERS, Issuer


def ascii_digits(s: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in s)


def only_digits(s: str) -> str:
    return re.sub(r"\D", "", ascii_digits(s))


@st.composite
def issuer_cards(draw: st.DrawFn, issuer: Issuer | None = None) -> str:
    """A Luhn-valid number inside one issuer range, of a length that range allows."""
    if issuer is None:
        issuer = draw(st.sampled_from(ISSUERS))
    width = len(issuer.first)
    prefix = str(draw(st.integers(int(issuer.first), int(issuer.last)))).zfill(width)
    length = draw(st.sampled_from(sorted(issuer.lengths)))
    body = prefix + draw(st.text("0123456789", min_size=length - 1 - width, max_size=length - 1 - width))
    return luhn_complete(body)


SEPARATORS = [" ", "-", ".", "/", "_", ",", "\t", "  ", " - ", "–", "\u2212", "+", "- ", " -", "\u00a0", ""]
INVISIBLE = ["\u200b", "&#8203;", "\xad", "\u2060", "\ufeff", "\u3000", "\u2009"]
SCRIPTS = {"ascii": 0x30, "full-width": 0xFF10, "arabic-indic": 0x660, "persian": 0x6F0, "devanagari": 0x966}


def in_script(s: str, script: str) -> str:
    base = SCRIPTS[script]
    return "".join(chr(base + int(c)) if c.isascii() and c.isdigit() else c for c in s)


def groups_of(digits: str) -> list[str]:
    if len(digits) == 15:
        return [digits[:4], digits[4:10], digits[10:]]
    return [digits[i : i + 4] for i in range(0, len(digits), 4)]


CUES = ["", "my card: ", "Kreditkarte ", "tarjeta ", "carte bancaire ", "Visa "]


def assert_card_gone(text: str, digits: str) -> None:
    out = redact(text).text
    assert digits not in only_digits(out), out


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    data=st.data(),
    sep=st.sampled_from(SEPARATORS),
    script=st.sampled_from(list(SCRIPTS)),
    cue=st.sampled_from(CUES),
)
def test_every_brand_separator_and_script_is_removed(data: st.DataObject, sep: str, script: str, cue: str) -> None:
    digits = data.draw(issuer_cards())
    number = in_script(sep.join(groups_of(digits)), script)
    assert_card_gone(f"Hi, {cue}{number} thanks", digits)


@pytest.mark.parametrize("brand", BRANDS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_each_brand_without_a_card_word(brand: str, data: st.DataObject) -> None:
    issuer = data.draw(st.sampled_from([i for i in ISSUERS if i.brand == brand]))
    digits = data.draw(issuer_cards(issuer))
    assert_card_gone(f"here it is {' '.join(groups_of(digits))}", digits)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), invisible=st.sampled_from(INVISIBLE), script=st.sampled_from(list(SCRIPTS)))
def test_invisible_characters_between_groups(data: st.DataObject, invisible: str, script: str) -> None:
    digits = data.draw(issuer_cards())
    number = in_script(invisible.join(groups_of(digits)), script)
    assert_card_gone(f"card {number}.", digits)


def _breaks(digits: str) -> list[str]:
    g = groups_of(digits)
    return [
        f"{digits[:8]}\n{digits[8:]}",  # 8 + rest
        f"{' '.join(g[:3])}\n{' '.join(g[3:])}",  # 12 + 4
        "\n".join(g),  # one group per line
        "> " + "\n> ".join(g),  # inside a quoted reply
        ">> " + " ".join(g[:2]) + "\n>> " + " ".join(g[2:]),
        f"{' '.join(g[:2])} \r\n{' '.join(g[2:])}",
    ]


def _html(digits: str) -> list[str]:
    g = groups_of(digits)
    return [
        "<p>card " + "<br>".join(g) + "</p>",
        "<div>" + "</div><div>".join(g) + "</div>",
        "<table>" + "".join(f"<tr><td>{x}</td></tr>" for x in g) + "</table>",
        "<table><tr>" + "".join(f"<td>{x}</td>" for x in g) + "</tr></table>",
        "<blockquote>card " + " ".join(g[:2]) + "<br>" + " ".join(g[2:]) + "</blockquote>",
    ]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), shape=st.integers(0, 5), script=st.sampled_from(list(SCRIPTS)))
def test_line_break_shapes(data: st.DataObject, shape: int, script: str) -> None:
    digits = data.draw(issuer_cards())
    number = in_script(_breaks(digits)[shape], script)
    assert_card_gone(f"Hello,\nmy card is\n{number}\nthanks", digits)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), shape=st.integers(0, 4))
def test_html_shapes_through_html_text_and_raw(data: st.DataObject, shape: int) -> None:
    digits = data.draw(issuer_cards())
    html = _html(digits)[shape]
    assert_card_gone(html_to_text(html), digits)  # the pipeline's way
    assert_card_gone(html, digits)  # `redact` fed raw HTML


EXPIRY = ["exp {mm}/{yy}", "expiry 20{yy}-{mm}", "(MM/YY): {mm}/{yy}", "good until {mm}/{yy}", "gültig bis {mm}/{yy}"]
CVV = ["cvv {c}", "CVC: {c}", "the 3 digits on the back are {c}", "código de seguridad {c}", "cryptogramme {c}"]


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    exp=st.sampled_from(EXPIRY),
    cvv=st.sampled_from(CVV),
    mm=st.integers(1, 12),
    yy=st.integers(26, 35),
    code=st.integers(100, 999),
    sep=st.sampled_from([" ", "-", "/", "  ", "\u200b"]),
)
def test_cvv_and_expiry_beside_a_card(
    data: st.DataObject, exp: str, cvv: str, mm: int, yy: int, code: int, sep: str
) -> None:
    digits = data.draw(issuer_cards())
    m = f"{mm:02d}"
    text = f"my card {sep.join(groups_of(digits))}, {exp.format(mm=m, yy=yy)}, {cvv.format(c=code)}. Thanks"
    out = ascii_digits(redact(text).text)
    assert digits not in only_digits(out)
    assert not re.search(rf"(?<!\d){code}(?!\d)", out), out
    assert f"{m}/{yy}" not in out and f"20{yy}-{m}" not in out, out


# ---------------------------------------------------------------------------
# decoys


@st.composite
def decoys(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["tracking", "order", "phone", "date", "price", "postal", "voucher", "customer"]))
    if kind == "tracking":
        digits = draw(issuer_cards())
        label = draw(st.sampled_from(["tracking number", "Sendungsnummer", "número de seguimiento", "invoice"]))
        return f"{label} {digits}"
    if kind == "order":
        return f"order #{draw(st.integers(1000, 9_999_999))}"
    if kind == "phone":
        cc = draw(st.sampled_from(["+49", "+44", "+33", "+34", "+1"]))
        return f"{cc} {draw(st.integers(100, 999))} {draw(st.integers(1_000_000, 9_999_999))}"
    if kind == "date":
        d, m, y = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(2020, 2030))
        return draw(st.sampled_from([f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}", f"{m}/{d}/{y}"]))
    if kind == "price":
        return f"€{draw(st.integers(1, 9999))},{draw(st.integers(0, 99)):02d}"
    if kind == "postal":
        return f"{draw(st.integers(10000, 99999))} Berlin"
    if kind == "voucher":
        return f"the voucher is valid thru {draw(st.integers(1, 12)):02d}/{draw(st.integers(26, 35))}"
    return f"customer account #{draw(st.integers(10000, 99999))}"


@settings(max_examples=400, deadline=None)
@given(items=st.lists(decoys(), min_size=1, max_size=4))
def test_decoys_survive(items: list[str]) -> None:
    text = "Hello, " + ". ".join(items) + ". Thanks!"
    assert redact(text).text == text


# ---------------------------------------------------------------------------
# end to end: inspect --json and the store

E2E_CARDS = {
    "zwsp": "4111\u200b1111\u200b1111\u200b1111",
    "fullwidth": "５５５５ ５５５５ ５５５５ ４４４４",
    "quote": "4000 0566\n> 5566 5556",
    "slash": "3782/822463/10005",
    "maestro12": "5018 0000 0009",
}
E2E_DIGITS = ["4111111111111111", "5555555555554444", "4000056655665556", "378282246310005", "501800000009"]


def holds(text: str, digits: str) -> bool:
    """Whether `text` holds the number in any script, with anything but letters and digits between its digits."""
    return re.search("[^0-9A-Za-z]{0,8}".join(digits), ascii_digits(text)) is not None


def _eml(tmp: Path, name: str, body: str = "", html: str | None = None) -> Path:
    m = EmailMessage()
    m["From"] = "Tom Brennan <tom.brennan@example.net>"
    m["To"] = "support@juniper-oak.example.com"
    m["Subject"] = "Payment"
    m["Message-ID"] = f"<{name}@example.net>"
    m["Date"] = "Sat, 21 Nov 2026 09:00:00 +0100"
    if html:
        m.set_content(html, subtype="html")  # HTML only: the pipeline reads it through html_text
    else:
        m.set_content(body)
    path = tmp / f"{name}.eml"
    path.write_bytes(bytes(m))
    return path


def test_adversarial_shapes_never_reach_inspect_or_the_store(tmp_path: Path, triage_cli: TriageCli) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = [
        _eml(inbox, name, f"Hi, please cancel order #1071.\n> my card is {card}\nexp 12/29 cvv 737\nTom")
        for name, card in E2E_CARDS.items()
    ]
    files.append(
        _eml(inbox, "html", html="<div>card 4242 4242</div><div>4242 4242</div><p>Password:</p><p>Qw3rty!9</p>")
    )
    db = tmp_path / "t.db"
    cfg = tmp_path / "inbox.toml"
    cfg.write_text(
        '[shop]\nsupport_address = "support@juniper-oak.example.com"\nnow = "2026-11-21T09:30:00+01:00"\n'
        f'[source]\nkind = "eml_dir"\npath = "{inbox}"\n[store]\npath = "{db}"\n[model]\npath = "{MODEL}"\n'
    )
    planted = [*E2E_DIGITS, "4242424242424242"]

    result = triage_cli("--config", str(cfg), "inspect", *map(str, files), "--json")
    assert result.returncode == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objs) == len(files)
    out = json.dumps([o["text"] for o in objs], ensure_ascii=False)
    assert [d for d in planted if holds(result.stdout, d) or holds(out, d)] == []
    assert "Qw3rty!9" not in result.stdout and not re.search(r"cvv\W{0,3}737", out)
    assert all(o["redactions"] for o in objs)

    once = triage_cli("--config", str(cfg), "once")
    assert once.returncode == 0, once.stderr
    stored = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("t.db*")))
    text = stored.decode("utf-8", "replace")
    assert [d for d in planted if holds(text, d)] == []
    assert "Qw3rty!9" not in text
    for card in E2E_CARDS.values():
        assert card.encode() not in stored
