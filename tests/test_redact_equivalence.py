"""Issue 13's speed work on the redactor, each change proven equal to the code it replaced.

Each test keeps the unoptimised form (a regex as it was written, or the slow path of a detector) and
compares it with the fast one on generated text built from the characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import triage.redact as redact_package
from tests.test_redact_prescan import CUE_TEXT, cased
from tests.test_redact_properties import SCRIPTS, SEPARATORS, groups_of, in_script, issuer_cards
from triage.redact import cards, cues, redact, secrets
from triage.redact.cards import _SPLIT_RE, _Groups, _strong_card, issuer_matches, luhn_ok

# The sentence-end pattern as it was: an alternation whose first branch opens with a character class.
_SENTENCE_END_BEFORE = re.compile(r"[.!?](?=\s+[A-ZÀ-ÝÄÖÜ\"'(]|\s*$)|\n[ \t]*\n")
_SENTENCE_CHARS = ".!?\n\t \r\x0b\x0c\u00a0\u2028aAzZÀÝÄéü\"'(x1"


@settings(max_examples=500, deadline=None)
@given(st.text(_SENTENCE_CHARS, max_size=60))
def test_sentence_ends_equal_the_alternation(text: str) -> None:
    want = [m.span() for m in _SENTENCE_END_BEFORE.finditer(text)]
    assert [m.span() for m in secrets._SENTENCE_END_RE.finditer(text)] == want
    for pos in range(len(text) + 1):  # the local scans of Sentences start anywhere
        assert [m.span() for m in secrets._SENTENCE_END_RE.finditer(text, pos)] == [
            m.span() for m in _SENTENCE_END_BEFORE.finditer(text, pos)
        ]


def test_sentence_ends_on_mail_text() -> None:
    text = "Hi.\nCard 4111 exp. 03/29!  Thanks\n \n> Quote? Yes.\n\n\t\nEnd."
    assert [m.span() for m in secrets._SENTENCE_END_RE.finditer(text)] == [
        m.span() for m in _SENTENCE_END_BEFORE.finditer(text)
    ]
    assert len(list(secrets._SENTENCE_END_RE.finditer(text))) >= 4


def _classified_before(text: str, hay: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """cues._classified as it was: each kind's own pattern tried in table order."""
    out = []
    for s, e in spans:
        kinds = cues._KINDS_BY_FIRST.get(hay[s], cues._CUE_KINDS)
        kind = next((k for k, rx in kinds if (c := rx.match(hay, s)) and c.end() == e), None)
        if kind is None:
            continue
        if kind == "otp" and hay[s:e].lower().endswith("tan") and not text[s:e].endswith("TAN"):
            continue
        out.append((kind, s, e))
    return out


_CUE_GLUE = st.sampled_from([" ", ": ", "\n", " # ", "=", "-", "x", "s", " is ", "\u0130", "K"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CUE_TEXT.flatmap(cased), _CUE_GLUE), min_size=1, max_size=4))
def test_cue_kinds_equal_the_loop_over_kinds(pieces: list[tuple[str, str]]) -> None:
    """Every span the scanner finds, and every other (start, end) pair in a short text: the fallback for a
    kind whose own match ends elsewhere is exercised too."""
    text = "".join(w + g for w, g in pieces)
    for hay in {text, text.lower()} if len(text.lower()) == len(text) else {text}:
        found = [m.span(1) for m in cues._CUE_SCAN_I_RE.finditer(" " + hay)]
        spans = [(s - 1, e - 1) for s, e in found]
        assert cues._classified(text, hay, spans) == _classified_before(text, hay, spans)
        every = [(s, e) for s in range(min(len(hay), 40)) for e in range(s + 1, min(len(hay), s + 48) + 1)]
        assert cues._classified(text, hay, every) == _classified_before(text, hay, every)


def test_cue_kinds_on_the_table_spellings() -> None:
    text = "CVV 123, exp 12/29, account: 1234, pass is x, password: y, one-time code 5, PIN 1, TAN, tan, login: z"
    spans = [(s - 1, e - 1) for s, e in (m.span(1) for m in cues._CUE_SCAN_I_RE.finditer(" " + text))]
    got = cues._classified(text, text, spans)
    assert got == _classified_before(text, text, spans)
    assert [k for k, _, _ in got] == ["cvv", "exp", "bank", "pw", "pw", "otp", "pin", "otp", "login"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CUE_TEXT.flatmap(cased), _CUE_GLUE), min_size=1, max_size=4))
def test_cue_kind_by_first_letter_equals_the_whole_alternation(pieces: list[tuple[str, str]]) -> None:
    """The kind pattern cut down to a cue's first letter matches as the whole alternation does, everywhere."""
    text = "".join(w + g for w, g in pieces)
    for hay in (text, text.lower()):
        for s in range(len(hay)):
            want = cues._CUE_KIND_RE.match(hay, s)
            rx = cues._kind_re(hay[s])
            got = rx.match(hay, s) if rx is not None else None
            assert (got and (got.lastgroup, got.span())) == (want and (want.lastgroup, want.span())), (hay, s)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(CUE_TEXT.flatmap(cased), _CUE_GLUE), min_size=1, max_size=5),
    st.integers(0, 90),
    st.integers(0, 90),
)
def test_window_scan_equals_finditer(pieces: list[tuple[str, str]], lo: int, width: int) -> None:
    """A window's cue spans tried at the candidate positions only are finditer's over the window and margin."""
    text = "".join(w + g for w, g in pieces)
    for scan, candidates, hay in (
        (cues._CUE_SCAN_I_RE, cues._CUE_CANDIDATE_I_RE, text),
        (cues._CUE_SCAN_RE, cues._CUE_CANDIDATE_RE, text.lower()),
    ):
        start = min(lo, len(hay))
        hi = min(start + width, len(hay))
        endpos = min(len(hay), hi + cues.CUE_MARGIN)
        want = [m.span(1) for m in scan.finditer(hay, start, endpos) if m.end(1) <= hi]
        assert cues._window_spans(scan, candidates, hay, start, hi, endpos) == want


def test_window_scan_on_mail_text() -> None:
    text = "Hi, my CVV: 123 and exp 12/29.\nPassword: hunter2, PIN 4321 -- login: kim; the sort code 12-34-56"
    hay = text.lower()
    want = [m.span(1) for m in cues._CUE_SCAN_RE.finditer(hay, 0, len(hay)) if m.end(1) <= 70]
    assert len(want) >= 4
    assert cues._window_spans(cues._CUE_SCAN_RE, cues._CUE_CANDIDATE_RE, hay, 0, 70, len(hay)) == want


def _strong_candidate_before(groups: list[str], may_start: list[bool]) -> bool:
    """cards._strong_candidate as it was: any window from a possible start with an issuer and Luhn."""
    for i in range(len(groups)):
        if not may_start[i]:
            continue
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j]
            if len(digits) > 19:
                break
            if len(digits) >= 12 and issuer_matches(digits) and luhn_ok(digits):
                return True
    return False


def _strong_found_before(g: _Groups, may_start: list[bool]) -> list[tuple[int, int]]:
    """The windows _Groups.strong_windows accepted before ranking, as it read them: every window from every
    possible start."""
    found = []
    for i in range(g.n):
        if may_start[i]:
            for j in g.windows(i, g.n):
                sub = g._window_groups(i, j)
                if (i, j) != (0, g.n) and not issuer_matches("".join(sub), core=True):
                    continue
                s, e = g.span(i, j)
                if not _strong_card(g.text, s, e, "".join(sub), sub):
                    continue
                if cards.overlaps(s, e, g.mistyped) and not (g.left_set_off(i, j) and g.right_set_off(i, j)):
                    continue
                found.append((i, j))
    return found


_GROUP = st.one_of(
    st.text("0123456789", min_size=1, max_size=7),
    issuer_cards().map(lambda d: d[: len(d) // 2]),
    issuer_cards().map(lambda d: d[len(d) // 2 :]),
    issuer_cards().map(lambda d: d[:4]),
)


@st.composite
def digit_chunks(draw: st.DrawFn) -> str:
    """A run of digit groups: whole cards, halves of cards and random groups, one or mixed separators."""
    parts = draw(st.lists(st.one_of(_GROUP, issuer_cards()), min_size=2, max_size=7))
    seps = draw(st.lists(st.sampled_from([" ", " ", "-", ".", "\u00a0"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))[:-1]


@settings(max_examples=800, deadline=None)
@given(digit_chunks(), st.sampled_from(["", "card ", "Kartennummer: ", "order ", "tracking no ", "ref 12 "]))
def test_strong_windows_read_only_the_candidates(chunk: str, before: str) -> None:
    """The strong windows of a chunk are the same whether every window is read or only the issuer+Luhn
    candidates, and a chunk has candidates exactly when the old test said it had one."""
    text = f"Hi, {before}{chunk} thanks"
    start = text.index(chunk)
    groups = _SPLIT_RE.split(chunk)
    n = len(groups)
    may_start = [
        (groups[i] + (groups[i + 1] if i + 1 < n else ""))[:4]
        in (cards._CORE_LENGTHS_BY_PREFIX4 if i else cards._LENGTHS_BY_PREFIX4)
        for i in range(n)
    ]
    candidates = cards._strong_candidates(groups, may_start)
    assert bool(candidates) == _strong_candidate_before(groups, may_start)
    for mistyped in ([], [(start + 2, start + 14)]):  # a mistyped IBAN's span over the chunk, or none
        g = _Groups(text, start, chunk, groups, [], mistyped, None)
        assert g.strong_found(candidates) == _strong_found_before(g, may_start)


@st.composite
def card_runs(draw: st.DrawFn) -> str:
    """A card, then an expiry and maybe a CVV joined to it by any separator, in any digit script, with the words
    customers put around them: the runs the chunk read and the folded read both see."""
    digits = draw(issuer_cards())
    plain = draw(st.sampled_from([" ", "-", ".", ""]))
    card = plain.join(groups_of(digits)) if plain else digits
    month = draw(st.integers(1, 12))
    exp = draw(st.sampled_from([f"{month:02d}/29", f"{month:02d}/2031", f"{month}/27", f"{month:02d} 28", "2029-12"]))
    cvv = draw(st.sampled_from(["", "123", "7371", "12", "000"]))
    tail = draw(st.lists(st.sampled_from([*SEPARATORS, " / ", "/", " | "]), min_size=2, max_size=2))
    run = card + tail[0] + exp + (tail[1] + cvv if cvv else "")
    before = draw(st.sampled_from(["", "card ", "Kartennummer: ", "order ", "tracking no ", "+", "visa", "Card:"]))
    after = draw(st.sampled_from(["", " thanks", " card", " visa.", "/99", "5", " 4111 1111 1111 1111"]))
    return in_script(f"Hi, {before}{run}{after}", draw(st.sampled_from(list(SCRIPTS))))


@settings(max_examples=600, deadline=None)
@given(card_runs())
def test_a_run_the_chunk_read_covers_is_not_read_again(text: str) -> None:
    """Skipping the folded read where `_adds_nothing` says it can only find the card again changes no finding:
    the numbers found are the same set, and redact's output is the same."""
    fast = redact(text)
    clean = redact_package.normalise(text, None).text
    fast_numbers = set(redact_package._find_numbers(clean))
    cards._SKIP_COVERED = False
    try:
        slow = redact(text)
        slow_numbers = set(redact_package._find_numbers(clean))
    finally:
        cards._SKIP_COVERED = True
    assert fast_numbers == slow_numbers
    assert fast == slow


def test_the_covered_run_skip_fires() -> None:
    """The skip is taken on the common shape (and the test above compares it with the read it skips)."""
    calls: list[bool] = []
    real = cards._adds_nothing

    def spy(*args: object) -> bool:
        calls.append(real(*args))  # type: ignore[arg-type]
        return calls[-1]

    cards._adds_nothing = spy  # type: ignore[assignment]
    try:
        got = [
            redact(t) for t in ("Karte 4111 1111 1111 1111 / 12/29 / 737, danke", "card 6304 0340 9247 1530 01/27 871")
        ]
    finally:
        cards._adds_nothing = real  # type: ignore[assignment]
    assert calls == [True, True]
    assert [r.counts() for r in got] == [{"card_number": 1, "card_expiry": 1, "card_cvv": 1}] * 2


@settings(max_examples=400, deadline=None)
@given(st.text(_SENTENCE_CHARS + "0123456789 " * 3, max_size=80), st.data())
def test_card_context_fast_path_equals_the_sentence_bounds(text: str, data: st.DataObject) -> None:
    """The shortcut of _card_context (a card shortly before, no sentence end from it to the value) gives what the
    sentence bounds give, for every value position; cards are digit runs, as a card starts with a digit."""
    cards = [m.span() for m in re.finditer(r"[0-9][0-9 ]*[0-9]|[0-9]", text)]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    fast = secrets._card_context(text, start, end, cards, secrets.Sentences(text))
    assert fast == secrets._card_context_by_sentence(text, start, end, cards, secrets.Sentences(text))
