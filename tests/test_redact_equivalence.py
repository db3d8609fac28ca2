"""Issue 13's speed work on the redactor, each change proven equal to the code it replaced.

Each test keeps the unoptimised form (a regex as it was written, or the slow path of a detector) and
compares it with the fast one on generated text built from the characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.redact import secrets

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
