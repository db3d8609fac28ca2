"""Typos of the words a request turns on ("cancdling", "casnceling", "reimbvurse"), read as the word meant.

Customers type on phones. A phrase matcher and a bag of words both miss "where can i cancfel order 2291":
the one word that matters is unknown to both. A word of at least MIN_LEN letters is compared with the
lexicons' `typo_keys` (cancel, refund, address, stornieren, reembolso, annuler …; at least KEY_LEN letters):
one edit away (insert, delete, substitute, swap two neighbours), two for words of LONG_LEN letters or more;
the nearest key wins.

A real word is never changed: "cancer", "shopping", "sortieren" and "revolution" are within reach of a key
but are words of their language. `not_typos` lists every word of the four languages' full lemma tables
(spaCy's spacy-lookups-data, a build-time source) that a key would otherwise take; triage.model.lemmas
writes it beside the lemma tables it ships, so only that short list, not the tables, is needed at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from triage.text import fold

MIN_LEN = 5
KEY_LEN = 6
LONG_LEN = 9
MAX_REACH = 2
MAX_CACHE = 60_000
NOT_TYPOS_FILE = "not_typos.json"


def reach(word: str) -> int:
    """How many edits a word of this length may hold and still be read as a key."""
    return MAX_REACH if len(word) >= LONG_LEN else 1


def fold_keys(words: Iterable[str]) -> frozenset[str]:
    """Keys as the text is read: folded, lower case, letters only, at least KEY_LEN long."""
    return frozenset(k for k in (fold(w.lower()) for w in words) if len(k) >= KEY_LEN and k.isalpha())


class Speller(dict[str, str]):
    """word -> the key it is a typo of, or the word itself; filled as words are met (bounded)."""

    def __init__(self, keys: Iterable[str], not_typos: Iterable[str] = ()) -> None:
        super().__init__()
        self.targets = tuple(sorted(fold_keys(keys)))
        self._known = frozenset(self.targets) | frozenset(not_typos)
        self._by_length: dict[int, tuple[str, ...]] = {
            n: tuple(k for k in self.targets if abs(len(k) - n) <= MAX_REACH)
            for n in range(MIN_LEN, max(map(len, self.targets), default=0) + MAX_REACH + 1)
        }

    def correct(self, word: str) -> str:
        """The key `word` is a typo of, or `word` unchanged."""
        if len(word) < MIN_LEN or word in self._known or not word.isalpha():
            return word
        near = self._by_length.get(len(word), ())
        limit = reach(word)
        hits = extract(word, near, scorer=OSA.distance, score_cutoff=limit, limit=None)
        found = [(int(d), abs(len(k) - len(word)), k) for k, d, _ in hits]
        return min(found)[2] if found else word

    def __missing__(self, word: str) -> str:
        fixed = self.correct(word)
        if len(self) < MAX_CACHE:
            self[word] = fixed
        return fixed


def not_typos(keys: Iterable[str], words: Iterable[str]) -> list[str]:
    """The real `words` a Speller over `keys` would change: the list it must be given (sorted)."""
    speller = Speller(keys)
    candidates: set[str] = set()
    pool = sorted({w for w in words if len(w) >= MIN_LEN and w.isalpha()} - set(speller.targets))
    for key in speller.targets:
        near = [w for w in pool if abs(len(w) - len(key)) <= MAX_REACH]
        candidates.update(w for w, _, _ in extract(key, near, scorer=OSA.distance, score_cutoff=MAX_REACH, limit=None))
    return sorted(w for w in candidates if speller.correct(w) != w)


def load_speller(lemma_dir: Path, keys: Iterable[str]) -> Speller:
    """The speller for `keys`, with the not-typo list shipped in `lemma_dir` (none there: no list)."""
    path = Path(lemma_dir) / NOT_TYPOS_FILE
    listed = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return Speller(keys, listed)


@cache
def default_speller() -> Speller:
    """The speller of the shipped lexicons and lemma tables: what model_text reads words with."""
    from triage.resources import MODEL, bundled
    from triage.understand.requests import LEXICONS

    return load_speller(bundled(MODEL) / "lemmas", (k for lex in LEXICONS for k in lex.typo_keys))
