"""The hyperscan prescan never changes a redaction: with it and without it (the whole-text scans, the path
taken where hyperscan does not import), `redact` gives identical results, and every trigger is made from
the detectors' own tables, so a cue added there cannot be missing from the prescan."""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.redact_corpus import make_corpus
from tests.support import ROOT
from tests.test_redact_adversarial import DECOYS, SECRETS
from tests.test_redact_properties import INVISIBLE, SCRIPTS, SEPARATORS, decoys, groups_of, in_script, issuer_cards
from triage.redact import _NUMBER_RE, find_marked, number_spans, prescan, redact
from triage.redact.cues import _CUES, cue_patterns, find_cues
from triage.redact.iban import iban_may_start
from triage.redact.secrets import Sentences
from triage.redact.stream import redact_stream

pytestmark = pytest.mark.skipif(not prescan.available(), reason="hyperscan is not installed on this platform")


def both_ways(text: str) -> None:
    """The prescan path and the whole-text path find the same spans, kinds and markers."""
    fast = find_marked(text)
    with prescan.disabled():
        slow = find_marked(text)
    assert fast == slow, text


# Pieces of a hostile mail: cards in every separator, script and invisible character, cue words drawn from
# every row of the cue table (any case), decoys, digit runs, markup and quote prefixes between them.
CUE_TEXT = st.sampled_from(cue_patterns()).flatmap(
    lambda p: st.from_regex(prescan.strip_lookarounds(p).replace(r"\#", "#"), fullmatch=True)
)
FILLER = st.sampled_from(
    [
        "Hello", "order 1042", "+49 151 2345678", "12/29", "123", "DE89 3704 0044 0532 0130 00", "İstanbul",
        "Karte", "first 8 digits", "last 8", "&#8203;", "%3D", "<br>", "card", "is", "thanks.",
        "Tracking 9400 1000 0000 0000 0000 00", "at 94107", "es 2026-11-07", "de89 3704 0044 0532 0130 00",
        "iban de89 37o4 0044 0532 0130 00", "at61 19O4 3002 3457 3201", "Konto at 12 3456 7890", "5018 2000 0006",
        "6771 8999 9999", "4111 1111 1111",
    ]
)  # fmt: skip


@st.composite
def card_piece(draw: st.DrawFn) -> str:
    digits = draw(issuer_cards())
    sep = draw(st.sampled_from([*SEPARATORS, *INVISIBLE]))
    return in_script(sep.join(groups_of(digits)), draw(st.sampled_from(list(SCRIPTS))))


@st.composite
def cased(draw: st.DrawFn, text: str) -> str:
    how = draw(st.sampled_from(["as is", "upper", "title", "mixed"]))
    if how == "upper":
        return text.upper()
    if how == "title":
        return text.title()
    if how == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        return "".join(c.upper() if f else c for c, f in zip(text, flips, strict=True))
    return text


PIECE = st.one_of(
    card_piece(),
    CUE_TEXT.flatmap(lambda t: cased(t)),
    decoys(),
    FILLER,
    st.text(alphabet="0123456789 -./\n>", max_size=30),
    st.text(max_size=12),
)
GLUE = st.sampled_from([" ", "\n", "\n> ", ": ", ", ", "", "\n\n", " is ", "\t", "<br>\n", "\u00a0"])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.tuples(PIECE, GLUE), min_size=1, max_size=12))
def test_generated_mails_redact_the_same_with_and_without_the_prescan(pieces: list[tuple[str, str]]) -> None:
    both_ways("".join(p + g for p, g in pieces))


# Round 7's shapes whose value stands before the cue or whose cue is only a label: the cue may end the text
# (only the password and SMS rows' triggers fire there), be glued to what a later pass masks, or follow a name.
BEFORE_VALUE = st.sampled_from(["Sunshine99", "Geheim123!", "482913", "G-482913", "jsmith88", "x", "4111111111111111"])
LINK = st.sampled_from([" is my ", " as my ", " ist mein ", " es mi ", " c'est mon ", " sent me ", " ", " haben mir "])
CUE_WORD = st.sampled_from(
    ["password", "Passwort", "contraseña", "mot de passe", "by text", "SMS", "per SMS geschickt", "par SMS",
     "username:", "login", "Benutzername:", "code:", "Ihr Code lautet", "Valid:", "hash_user=", "texted me:"]
)  # fmt: skip
TAIL = st.sampled_from(["", ".", "\n", " 482913", "DE89370400440532013000", "4111111111111111", "abc", ": jdoe88"])


@settings(max_examples=400, deadline=None)
@given(value=BEFORE_VALUE, link=LINK, cue=CUE_WORD, tail=TAIL, head=st.sampled_from(["", "I tried ", "card "]))
def test_values_before_their_cue_redact_the_same_both_ways(
    value: str, link: str, cue: str, tail: str, head: str
) -> None:
    both_ways(head + value + link + cue + tail)


# Probe 4: symbols, emoji and bullets between a card's groups (normalize.symbol_separator, the _SYM trigger),
# runs too long or of characters that are no such symbol included, in any digit script.
SYMBOL_RUN = st.text(alphabet="•·▪◦⋅~👉✨🔹\ufe0f×–€a?", min_size=1, max_size=5)


@settings(max_examples=400, deadline=None)
@given(
    digits=issuer_cards(),
    run=SYMBOL_RUN,
    left=st.sampled_from(["", " ", "  "]),
    right=st.sampled_from(["", " ", "\n• "]),
    script=st.sampled_from(list(SCRIPTS)),
    head=st.sampled_from(["", "card ", "Karte: ", "order 1042 "]),
)
def test_symbols_between_groups_redact_the_same_both_ways(
    digits: str, run: str, left: str, right: str, script: str, head: str
) -> None:
    text = head + in_script((left + run + right).join(groups_of(digits)), script)
    both_ways(text)
    if len(run) <= 3 and all(c in "•·▪◦⋅~👉✨🔹" for c in run) and len(left) <= 1 and right in ("", " "):
        # a short run of such symbols reads as one space: the card is found as with a plain space between
        plain = head + in_script(" ".join(groups_of(digits)), script)
        cards = [f.kind for f in redact(text).findings if f.kind == "card_number"]
        assert cards == [f.kind for f in redact(plain).findings if f.kind == "card_number"], text


@pytest.mark.parametrize("text", [t for t, _ in SECRETS] + [t for t, _ in DECOYS])
def test_the_adversarial_table_redacts_the_same_both_ways(text: str) -> None:
    both_ways(text)


def test_the_benchmark_corpus_redacts_the_same_both_ways() -> None:
    mails = make_corpus(300, seed=13, secret_share=0.5)
    for m in mails:
        both_ways(m.text)
    thread = "\n\n".join(m.text for m in mails[:40])  # a long thread: many windows in one text
    both_ways(thread)


def test_streaming_redacts_the_same_both_ways() -> None:
    rng = random.Random(13)
    text = "\n".join(rng.choice([t for t, _ in SECRETS] + ["order 1042 arrived", "thanks"]) for _ in range(400))
    outs = []
    for off in (False, True):
        out: list[str] = []
        source = io.StringIO(text)
        if off:
            with prescan.disabled():
                redact_stream(source.read, out.append, chunk=997)
        else:
            redact_stream(source.read, out.append, chunk=997)
        outs.append("".join(out))
    assert outs[0] == outs[1]
    # (a masked number, first six and last four, is no secret and stays: see the adversarial table)
    assert "4111" not in outs[0].replace("•••• 1111", "").replace("411111******1111", "")


def test_every_cue_row_has_its_trigger() -> None:
    """The triggers are the cue table itself (look-arounds dropped): one per row, and each row's own words
    are found by the prescan where find_cues finds them."""
    assert cue_patterns() == [p for _, p in _CUES]
    for _, pattern in _CUES:
        for alternative in pattern.split("|"):
            word = re.sub(r"\(\?[=!].*", "", alternative)
            if not re.fullmatch(r"[a-zà-ÿł’'. ]+", word) or "(" in alternative:
                continue  # only plain spellings are written out here; the property test draws the rest
            text = f"x {word.upper()}: 1234 y"
            hits = prescan.scan(text)
            assert hits is not None
            assert find_cues(text, hits.cues) == find_cues(text, None), word


def test_case_folds_cover_python_lower() -> None:
    """A pattern letter reads text.lower(): every character that lower-cases to it is in its trigger class."""
    letters = {c for p in cue_patterns() for c in p if c.isalpha()}
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        low = c.lower()
        if len(low) == 1 and low in letters:
            assert c in prescan._folds(low), (hex(code), low)


def test_python_whitespace_is_spelled_out() -> None:
    assert {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))} == prescan._PY_SPACE


def test_a_text_without_hyperscan_takes_the_whole_text_path() -> None:
    with prescan.disabled():
        assert prescan.scan("card 4111 1111 1111 1111") is None
        assert prescan.rewrites("card 4111\u200b1111") is None
        assert redact("card 4111 1111 1111 1111").counts() == {"card_number": 1}


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=".!? \t\nAaÄ1>", max_size=60), positions=st.lists(st.integers(0, 60), max_size=12))
def test_sentence_bounds_found_nearby_are_the_whole_text_ones(text: str, positions: list[int]) -> None:
    near, whole = Sentences(text), Sentences(text)
    whole._load()
    for pos in (min(p, len(text)) for p in positions):
        assert near.start(pos) == whole.start(pos), (text, pos)
        assert near.end(pos) == whole.end(pos), (text, pos)


def test_threads_each_scan_with_their_own_scratch() -> None:
    """The web server's thread and the run loop redact at the same time: hyperscan refuses a shared scratch."""
    text = "card 4111 1111 1111 1111 exp 12/29, IBAN DE89 3704 0044 0532 0130 00. order 1042\n" * 4000
    want = redact(text)
    got: list[object] = []

    def work() -> None:
        for _ in range(3):
            got.append(redact(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 12


HIT_TEXT = prescan.shadow(
    "card 4111 1111 1111 1111, IBAN de89 3704 0044 0532 0130 00, Passwort: x\n4111\n> 1111 &#8203;"
)


def _all_hits(dbs: tuple[object, object]) -> list[list[tuple[int, int, int]]]:
    """Every hit of each database on one text with every kind of trigger in it."""
    out: list[list[tuple[int, int, int]]] = []
    for db in dbs:
        found: list[tuple[int, int, int]] = []
        db.scan(  # type: ignore[attr-defined]
            HIT_TEXT,
            match_event_handler=lambda i, s, e, f, into: into.append((i, s, e)),
            context=found,
            scratch=prescan.hyperscan.Scratch(db),  # type: ignore[union-attr]
        )
        out.append(found)
    return out


def test_the_databases_are_cached_per_trigger_set_and_a_bad_file_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compiled = prescan._load_or_compile()  # nothing cached yet: compiled, then written
    files = list((tmp_path / "triage").glob("prescan-*.hsdb"))
    assert len(files) == 1
    assert not list((tmp_path / "triage").glob("*.tmp"))
    loaded = prescan._read_cache(files[0])
    assert loaded is not None
    assert _all_hits(loaded) == _all_hits(compiled) and _all_hits(compiled)[1]
    data = files[0].read_bytes()
    for bad in (b"", data[:-100], data[:-1] + bytes([data[-1] ^ 1]), b"junk" * 100):
        files[0].write_bytes(bad)
        assert prescan._read_cache(files[0]) is None
        assert _all_hits(prescan._load_or_compile()) == _all_hits(compiled)
        assert files[0].read_bytes() == data  # compiled again and rewritten whole


def test_an_unwritable_cache_directory_costs_only_a_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _all_hits(prescan._load_or_compile())[1]
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # XDG: a relative path is ignored
    assert prescan.cache_path("k") == Path.home() / ".cache" / "triage" / "prescan-k.hsdb"


_MODULES_AT_EXIT = (
    "import atexit, runpy, sys\n"
    "atexit.register(lambda: print('MODULES', 'triage.redact' in sys.modules, 'hyperscan' in sys.modules))\n"
)


def test_importing_builds_nothing_and_queue_never_loads_the_redactor(tmp_path: Path) -> None:
    env = {**os.environ, **{f"XDG_{k}_HOME": str(tmp_path / k) for k in ("CONFIG", "DATA", "CACHE")}}
    code = "import triage.redact.prescan as p; print('BUILT', p._DBS is not None)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["BUILT", "False"]
    run = f"runpy.run_path({str(ROOT / 'run_triage.py')!r}, run_name='__main__')\n"
    queue = _MODULES_AT_EXIT + "sys.argv = ['run_triage.py', 'queue']\n" + run
    proc = subprocess.run([sys.executable, "-c", queue], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "MODULES False False" in proc.stdout
    assert not (tmp_path / "CACHE").exists()


VALID_IBANS = [
    "GB82 WEST 1234 5698 7654 32",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91 ABNA 0417 1643 00",
    "AT61 1904 3002 3457 3201",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
    "NO93 8601 1117 947",
    "DE89 3704 0044 0532 0130 00",
]


@pytest.mark.parametrize("iban", VALID_IBANS)
@pytest.mark.parametrize("shape", ["lower", "lower, O for 0", "lower, no spaces", "as is"])
def test_a_lower_case_iban_without_a_cue_keeps_its_window(iban: str, shape: str) -> None:
    """The prescan drops a lower-case code's window only when the text cannot fit the country's structure."""
    text = iban.lower() if shape != "as is" else iban
    if "O for 0" in shape:
        text = text[:4] + text[4:].replace("0", "o", 1)
    if "no spaces" in shape:
        text = text.replace(" ", "")
    mail = f"please send it to {text} today"
    assert iban_may_start(mail, mail.index(text))
    assert [f.kind for f, _ in find_marked(mail)] == ["iban"]
    both_ways(mail)


def test_words_before_a_number_open_no_iban_window() -> None:
    mail = "we are at 94107 San Francisco, es 2026-11-07 is fine, by 2026-02-18. It is"
    hits = prescan.scan(mail)
    assert hits is not None and hits.numbers == []
    assert not iban_may_start(mail, mail.index("at 9"))
    assert iban_may_start("IBAN: at 94107 San Francisco", 6)  # an IBAN word before: a mistyped one may be there


@pytest.mark.parametrize(
    "text",
    [
        "Tracking 9148420558532425670306.",
        "IBAN DE89370400440532013000. thanks",
        "my iban: de89370400440532013000.",
        "Passwort: " + "7" * 130 + " ok",
        "Passwort: " + "7" * 112 + "4111111111111111 ok",
        "card " + "1" * 20 + " 4111 1111 1111 1111",
        "Karte 4111111111111111" + "9" * 8 + " and 12/29",
        "number " + "4" * 129,
    ],
)
def test_long_unbroken_numbers_open_no_window_and_lose_nothing(text: str) -> None:
    """A stretch of 20-128 digits and nothing else opens no number window (only an IBAN can start it, and
    that has its own trigger), and the result is the whole-text one."""
    both_ways(text)
    hits = prescan.scan("Tracking 9148420558532425670306. Order 1042")
    assert hits is not None and hits.numbers == []


@pytest.mark.parametrize(
    "text",
    [
        "Karte 4111111111111111DE89 3704 0044 0532 0130 00",
        "Passwort: " + "x" * 128 + "DE89370400440532013000 ok",
        "Passwort: " + "x" * 127 + "DE89370400440532013000 ok",
        "order 1135 DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "€DE89370400440532013000",
        "1DE89370400440532013000",
    ],
)
def test_iban_codes_glued_to_findings_or_words_redact_the_same(text: str) -> None:
    """The IBAN trigger skips codes right after a letter; a code glued to a finding is still read on the later
    pass, and the result is the whole-text one."""
    both_ways(text)


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet="0123456789 /_,.+-=–—−\u00a0\nDEdeATGBxX", max_size=60),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_number_spans_are_the_number_pattern_matches(text: str, lo: int, hi: int) -> None:
    """The chain scan finds exactly the spans of `_NUMBER_RE.finditer(text, lo, hi)` (long runs, IBAN check digits)."""
    lo, hi = min(lo, len(text)), min(max(lo, hi), len(text))
    assert list(number_spans(text, lo, hi)) == [m.span() for m in _NUMBER_RE.finditer(text, lo, hi)]


@pytest.mark.parametrize(
    "text",
    [
        "Passwort: abcdefghijkl" + "x" * 104 + "123456789012" + "4111111111111111" + " ok",  # a card left after it
        "Passwort: " + "x" * 128 + "DE89370400440532013000 ok",  # an IBAN code glued to the token's last letter
        "pw: " + "y" * 100 + "1234567890123456789012345678 Karte",
        "Karte 4111111111111111123 and 12/29",
    ],
)
def test_a_finding_cutting_a_long_digit_run_loses_nothing(text: str) -> None:
    """A token capped at 128 characters can end inside a stretch of digits that opened no window; the later
    passes then read the whole text, so both ways agree."""
    both_ways(text)
