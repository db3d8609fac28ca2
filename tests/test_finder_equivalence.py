"""The request finder's fast paths find exactly what the straightforward way finds, on all of our training mail.

The finder matches its phrases with a trie of dicts over lemma strings (_PhraseTrie) instead of spaCy's
PhraseMatcher over a Doc, and reads a message's words with translate and split instead of a regex; here the
spaCy way and the regex are the references, and every mail of models/data/mail (its new text, and its whole
body with the quotes) must give the same matches, in the same order, the same words and the same hits. A
change to either path that breaks the equivalence fails here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from triage.model.data import load_mail
from triage.text import fold
from triage.understand.classify import IntentModel, _read, mail_parts
from triage.understand.requests import Clauses, RequestFinder
from triage.understand.requests.finder import _WORD, ANCHORED, _clause_words


class SpacyFinder(RequestFinder):
    """The reference: the same finder, each clause's phrases matched by spaCy's PhraseMatcher over a Doc of
    the clause's lemmas (the finder before the trie held all matched clauses in one Doc and dropped a match
    that ran across two: the same matches)."""

    def __init__(self, finder: RequestFinder) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        super().__init__(finder.lexicons, finder.lemmas, finder.speller)
        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        for key, phrases in self.phrases.items():
            self.matcher.add(key, [Doc(self.vocab, words=list(p)) for p in sorted(phrases)])
        self.compared: list[tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]] = []

    def _match(self, lemmas: list[str]) -> dict[str, list[tuple[int, int]]]:
        from spacy.tokens import Doc

        found: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self.matcher(Doc(self.vocab, words=lemmas)):
            found.setdefault(self.vocab.strings[match_id], []).append((start, end))
        self.compared.append((super()._match(lemmas), found))
        return found


@pytest.fixture(scope="module")
def reference(intent_model: IntentModel) -> SpacyFinder:
    return SpacyFinder(intent_model.finder)


def _clause_lists() -> list[Sequence[str]]:
    """The clauses the finder reads of each training mail: its new text, and its whole body quotes and all."""
    out = []
    for row in load_mail():
        out.append(_read(*mail_parts(row.subject, row.body))[2])
        out.append(_read(row.subject, row.body)[2])
    return out


def test_trie_matches_as_phrasematcher_on_every_training_mail(
    intent_model: IntentModel, reference: SpacyFinder
) -> None:
    reference.compared.clear()
    mails = _clause_lists()
    for clauses in mails:
        assert intent_model.finder.find(clauses) == reference.find(clauses), clauses
    assert len(reference.compared) > len(mails)  # most mails have clauses that reach the matcher
    matched = 0
    for fast, spacy_way in reference.compared:
        assert fast == spacy_way  # the same labels, each with the same spans in the same order
        matched += sum(map(len, fast.values()))
    assert matched > 2 * len(mails)  # and most of those find phrases


def test_a_phrase_never_runs_across_two_clauses(intent_model: IntentModel, reference: SpacyFinder) -> None:
    # "please" ends one clause and "cancel" opens the next: "please cancel" would span them in one list.
    clauses = ["I need this by Friday please", "cancel the blue one if it is late"]
    assert intent_model.finder.find(clauses) == reference.find(clauses)
    first, second = (intent_model.finder.lemmatise(c) for c in clauses)
    joined = intent_model.finder._match(first + second)
    assert any(s < len(first) < e for spans in joined.values() for s, e in spans)
    assert "strong:cancel" not in intent_model.finder._match(first)
    assert intent_model.finder.find(clauses[:1]) == {}


def _regex_words(folded: str, clauses: Sequence[str]) -> list[list[str]]:
    """The reference: each clause's words read by the _WORD regex on its own slice of `folded`."""
    out, start = [], 0
    for clause in clauses:
        out.append(_WORD.findall(folded, start, start + len(clause)))
        start += len(clause) + 1
    return out


def _folded(clauses: Sequence[str]) -> str:
    return fold("\x00".join(clauses)).replace("\u2019", "'").replace("n't", " nt")


def test_clause_words_read_every_training_mail_as_the_regex(intent_model: IntentModel) -> None:
    mails = _clause_lists()
    ascii_only = 0
    for clauses in mails:
        folded = _folded(clauses)
        assert _clause_words(folded, clauses) == _regex_words(folded, clauses)
        ascii_only += folded.isascii()
    assert 0 < ascii_only < len(mails)  # both the translate path and the non-ASCII ones were taken


@pytest.mark.parametrize("plane", range(0, 0x110000, 0x10000))
def test_clause_words_read_every_character_as_the_regex(plane: int) -> None:
    # Every code point (but NUL, the clause separator, and surrogates) among ASCII words, commas and spaces.
    chars = [chr(c) for c in range(max(plane, 1), plane + 0x10000) if not 0xD800 <= c < 0xE000]
    clauses = ["ab" + "".join(chars[k : k + 7]) + ", cd 12" for k in range(0, len(chars), 7)]
    # clauses that are ASCII but for one character: the run-spacing path (non-word) or the regex (a letter)
    clauses += [f"x{ch}y, {ch} z{ch}" for ch in chars[::7]]
    for k in range(0, len(clauses), 50):
        part = clauses[k : k + 50]
        assert _clause_words("\x00".join(part), part) == _regex_words("\x00".join(part), part)


def test_clause_words_of_a_clause_holding_a_nul_are_cut_per_clause() -> None:
    clauses = ["please cancel\x00order 12", "thanks, anna"]
    folded = "\x00".join(clauses)
    assert _clause_words(folded, clauses) == [["please", "cancel", "order", "12"], ["thanks", ",", "anna"]]


def test_the_clauses_fold_is_the_fold_of_the_clauses(intent_model: IntentModel) -> None:
    # classify folds a message once and cuts the clauses' fold from it; find must read what folding gives.
    mails = _clause_lists()
    for clauses in mails:
        assert type(clauses) is Clauses
        assert clauses.folded == fold("\x00".join(clauses))
    for clauses in mails[::7]:
        assert intent_model.finder.find(clauses) == intent_model.finder.find(list(clauses))


def test_clauses_changed_after_their_fold_are_folded_again(intent_model: IntentModel) -> None:
    clauses = _read("", "Thanks for the quick reply. Please cancel order 4410, I found one locally.")[2]
    clauses.append("Please refund the shipping too.")  # the fold no longer covers the list
    assert set(intent_model.finder.find(clauses)) == set(intent_model.finder.find(list(clauses))) >= {"refund"}


def test_every_phrase_that_makes_a_clause_count_holds_an_anchor(intent_model: IntentModel) -> None:
    # find skips a clause whose lemmas hold no anchor: exact only while every such phrase holds one.
    finder = intent_model.finder
    counted = [p for key, phrases in finder.phrases.items() if key.split(":")[0] in ANCHORED for p in phrases]
    assert len(counted) > 1000
    assert all(not finder.anchors.isdisjoint(p) for p in counted)
    assert {"it", "my", "the", "order"}.isdisjoint(finder.anchors)  # common words open no clause by themselves
