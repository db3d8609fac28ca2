"""Issue 13's speed work on the redactor, each change proven equal to the code it replaced.

Each test keeps the unoptimised form (a regex as it was written, or the slow path of a detector) and
compares it with the fast one on generated text built from the characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_redact_prescan import CUE_TEXT, cased
from triage.redact import cues, secrets

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
