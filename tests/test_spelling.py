"""Typos of key words are read as the key; words of the four languages never are."""

from __future__ import annotations

import pytest

from tests.support import MODEL
from triage.model.lemmas import real_words
from triage.understand.classify import IntentModel
from triage.understand.requests import LEXICONS
from triage.understand.spelling import Speller, default_speller, load_speller, not_typos

KEYS = [k for lex in LEXICONS for k in lex.typo_keys]


@pytest.mark.parametrize(
    ("typo", "key"),
    [
        ("cancfel", "cancel"),
        ("cancdling", "canceling"),
        ("cacnelling", "cancelling"),
        ("refnd", "refund"),
        ("reimbvurse", "reimburse"),
        ("adress", "address"),
        ("stonieren", "stornieren"),
        ("rückerstatung", "ruckerstattung"),
        ("cancelacíon", "cancelacion"),
        ("reembolzo", "reembolso"),
        ("anullar", "anular"),
        ("rembourcement", "remboursement"),
        ("annuller", "annuler"),
    ],
)
def test_a_typo_of_a_key_word_reads_as_the_key(typo: str, key: str) -> None:
    from triage.text import fold

    assert default_speller()[fold(typo)] == key


@pytest.mark.parametrize(
    "word",
    ["cancer", "sortieren", "revolution", "direction", "zustellung", "herstellung", "command", "order", "shopping"],
)
def test_a_real_word_near_a_key_is_left_alone(word: str) -> None:
    assert default_speller()[word] == word


def test_short_words_numbers_and_keys_are_never_changed() -> None:
    speller = Speller(["cancel", "refund"])
    words = ["cane", "4111", "cancel", "refund", "x" * 30]
    assert [speller[w] for w in words] == words
    assert speller["cancle"] == "cancel"  # a swap of two neighbours is one edit


def test_not_typos_lists_exactly_the_real_words_a_key_would_take() -> None:
    words = {"cancer", "canvas", "cancel", "refund", "befund", "parcel", "orders"}
    assert not_typos(["cancel", "refund"], words) == ["befund", "cancer"]
    speller = Speller(["cancel", "refund"], not_typos(["cancel", "refund"], words))
    assert all(speller[w] == w for w in words)


def test_the_shipped_list_protects_every_real_word() -> None:
    """Every word of spaCy's full en/de/es/fr lemma tables stays itself (the build wrote the list from them)."""
    speller = load_speller(MODEL / "lemmas", KEYS)
    changed = [w for w in real_words() if speller.correct(w) != w and w not in speller.targets]
    assert changed == []


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel.load(MODEL)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("where can i cancfel order 2291", "cancel"),
        ("Bitte stonieren Sie meine Bestellung 5512", "cancel"),
        ("i still need a refnud for the broken lamp", "refund"),
        ("Quiero el reembolzo del pedido 7781", "refund"),
        ("Pouvez-vous anuler ma commande 4410 ?", "cancel"),
    ],
)
def test_a_request_with_a_typo_is_found(model: IntentModel, body: str, intent: str) -> None:
    result = model.classify([("", body)])[0]
    assert intent in result.intents
    assert result.evidence[intent]


def test_a_real_word_does_not_become_a_request(model: IntentModel) -> None:
    clauses = ["My mother has cancer, so please be patient with order 2291."]
    assert "cancel" not in model.finder.find(clauses)
