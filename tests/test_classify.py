"""The intent stage: the shipped model, model_text, training on a tiny fixture, evaluation arithmetic."""

from __future__ import annotations

import json
import re
import shutil
import socket
from pathlib import Path
from typing import ClassVar

import pytest

from tests.support import MODEL, ROOT
from triage.errors import ModelError, UsageError
from triage.model.evaluate import evaluate, load_labeled, score_predictions
from triage.model.keywords import classify_keywords
from triage.model.train import train
from triage.records import INTENT_LABELS, IntentResult
from triage.understand.classify import IntentModel, mail_parts, model_text

DATA = ROOT / "models" / "data"
TINY = Path(__file__).parent / "fixtures" / "intent_tiny"


def _labels(model: IntentModel, subject: str, body: str) -> set[str]:
    return set(model.classify([mail_parts(subject, body)])[0].intents)


def test_shipped_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = IntentModel.load(MODEL)
    assert model.nlp.pipe_names == ["textcat_multilabel"]
    assert set(model.thresholds.model) == {"cancel", "duplicate", "address_fix", "refund"}
    assert model.finder.lemmas  # the lemma tables shipped beside the model
    assert 0 < model.review_threshold < 1


KNOWN = [
    ("Cancel order #1042", "Hi, please cancel my order #1042. Thanks, Anna", {"cancel"}),
    ("", "I ordered twice by mistake, please cancel the second order.", {"duplicate", "cancel"}),
    (
        "Charged twice",
        "My card was charged twice for order 5521, please refund the extra payment.",
        {"duplicate", "refund"},
    ),
    (
        "Wrong address",
        "I entered the wrong address. Please send the parcel to 14 Elm Street, Leeds LS6 2AB instead.",
        {"address_fix"},
    ),
    ("", "Where is my refund? I returned the jacket two weeks ago.", {"refund"}),
    ("", "Please cancel my order and refund the payment.", {"cancel", "refund"}),
    # negations and look-alikes are `other`
    ("", "Please don't cancel my order, I still want it.", {"other"}),
    ("", "I cancelled my order by mistake, can you undo it?", {"other"}),
    ("", "Please cancel my newsletter subscription.", {"other"}),
    ("", "Is the order cancellable once it's placed?", {"other"}),
    ("", "What is your refund policy?", {"other"}),
    ("", "How do I add a new address to my account?", {"other"}),
    ("", "Where is my order? It has been a week.", {"other"}),
    ("", "Do you offer wholesale prices for shops?", {"other"}),
    # German, Spanish, French
    ("Stornierung", "Bitte stornieren Sie meine Bestellung 1042.", {"cancel"}),
    ("", "Ich habe aus Versehen zweimal bestellt, bitte stornieren Sie eine Bestellung.", {"duplicate", "cancel"}),
    ("", "Quiero cancelar mi pedido, por favor.", {"cancel"}),
    ("", "Necesito cambiar la dirección de envío de mi pedido.", {"address_fix"}),
    ("", "Merci d'annuler ma commande.", {"cancel"}),
    # the shop's quoted template ("reply to cancel") is not the customer's request
    (
        "",
        "Hi,\n\nPlease change the delivery address.\n\nOn Mon, 3 Jun 2024 at 10:14, Shop <s@shop.example> wrote:\n"
        "> If you need to cancel, reply to this email.",
        {"address_fix"},
    ),
    # formerly known misses of the 6k-row model, fixed by the 20k-row corpus
    ("", "Je voudrais être remboursé pour la commande 1042.", {"refund"}),
    ("Re: Cancel order #1042", "Please ignore my last email, I want to keep the order.", {"other"}),
    # labelling policy (models/data/README.md): order items and account addresses are `other`
    ("", "I want to change the size of the jacket in my order", {"other"}),
    ("", "How do I add a new shipping address to my account?", {"other"}),
    ("", "I need to change the shipping address of order 5521", {"address_fix"}),
    ("", "Is there a fee for cancelling my order?", {"other"}),
    ("", "How do I track my purchase?", {"other"}),
    ("", "I need help cancelling my purchase", {"cancel"}),
    ("", "I'm still waiting for my reimbursement", {"refund"}),
    ("", "Ich habe mein Passwort vergessen, bitte Link schicken.", {"other"}),
    ("", "Quiero cambiar la direccion de envio de mi pedido", {"address_fix"}),
    # round 3: inflections and typos share features (model_text cuts words, maps key-word typos)
    ("", "I need to cancell my order", {"cancel"}),
    ("", "help canceling order", {"cancel"}),
    ("", "i need a refnd", {"refund"}),
    # round 5: cancel and address words that mean something else, and the same words meaning the intent
    ("", "I'd like to cancel my account, but please keep my order.", {"other"}),
    ("", "How do I save a delivery address in my profile?", {"other"}),
    ("", "Can I change the colour of the mug in my order?", {"other"}),
    ("", "please don't cancel anything, I still want the parcel", {"other"}),
    ("", "¿Cuánto cuesta cancelar mi pedido?", {"other"}),
    ("", "Comment ajouter une adresse à mon profil ?", {"other"}),
    ("", "please cancel my order, I don't mind the cancellation fee", {"cancel"}),
    ("", "send order 5521 to the new address I saved in my account", {"address_fix"}),
]


@pytest.mark.parametrize(("subject", "body", "expected"), KNOWN)
def test_known_phrasings(intent_model: IntentModel, subject: str, body: str, expected: set[str]) -> None:
    assert _labels(intent_model, subject, body) == expected


def test_results_keep_the_contract(intent_model: IntentModel) -> None:
    texts = ["please cancel my order", "", "do you ship to norway?", "charged twice, refund one please"]
    results = intent_model.classify([("", t) for t in texts], batch_size=2)
    assert len(results) == len(texts)
    for r in results:
        assert set(r.scores) == set(INTENT_LABELS)
        assert all(0.0 <= v <= 1.0 for v in r.scores.values())
        assert r.intents == ("other",) or "other" not in r.intents
        # every intent names the clause it came from; `other` needs none
        assert set(r.evidence) == set(r.intents) - {"other"}
    assert results[3].evidence == {
        "duplicate": "charged twice, refund one please",
        "refund": "charged twice, refund one please",
    }
    # An empty message (spaCy cannot batch an empty doc) is `other` with nothing scored, sent for review.
    assert results[1] == IntentResult(("other",), dict.fromkeys(INTENT_LABELS, 0.0), low_confidence=True)


def test_model_text_drops_history_and_numbers_and_is_idempotent() -> None:
    body = (
        "Please CANCEL order #1042.\n\nOn Mon, 3 Jun 2024, Shop <s@shop.example> wrote:\n> Reply to cancel.\n"
        "\n-----Original Message-----\nFrom: Shop\nSubject: refund"
    )
    text = model_text("Order 1042", body)
    assert text == "order 0 pleas cance order #0."
    assert model_text("", text) == text
    assert model_text("", "") == ""


def test_model_text_shares_inflections_and_typos() -> None:
    """Words are cut to their first STEM_LEN letters and key-word typos mapped, so variants are one feature."""
    cancel = {model_text("", w) for w in ("cancel", "cancelled", "cancelling", "Cancellation", "cancle", "cancell")}
    assert len(cancel) == 1
    refund = {model_text("", w) for w in ("refund", "refunds", "refunded", "refnd", "rfund")}
    assert len(refund) == 1
    assert model_text("", "adress") == model_text("", "address") == model_text("", "Addresses")
    assert model_text("", "stornieren") == model_text("", "Stornierung")
    assert model_text("", "dirección") == model_text("", "direccion")
    # German "oder" (or) is not an order typo; ß survives; idempotent on everything it returns
    assert model_text("", "oder") == "oder"
    for raw in ("Straße größere Bestellung", "re-cancelled", "cancelled123abc", "l'annulation de ma commande"):
        once = model_text("", raw)
        assert model_text("", once) == once


def test_scores_skip_a_second_normalisation_only_for_model_text_output(intent_model: IntentModel) -> None:
    raw = "Please CANCEL my order #1042"
    assert intent_model.scores([raw]) == intent_model.scores([model_text("", raw)])


def test_word_cached_tokens_score_exactly_as_spacy_docs(intent_model: IntentModel) -> None:
    """The speed path (each word tokenised once, no Doc) must give nlp.pipe's scores to the last bit."""
    from triage.model.data import load_mail
    from triage.understand.classify import request_text

    texts = [request_text(*mail_parts(r.subject, r.body))[0] for r in load_mail()[:400]]
    texts += ["ca n't won't i'm (see: www.shop.com/x?a=1) e.g. 0,0 eur :-) ", "x" * 50 + " don't."]
    assert intent_model._words is not None  # the shipped model takes the speed path
    fast = intent_model.scores(texts)
    slow = [dict(doc.cats) for doc in intent_model.nlp.pipe([str(model_text("", t)) for t in texts])]
    assert fast == slow
    # classify reads the raw words straight to token ids: the same scores as scoring request_text's text
    mails = [mail_parts(r.subject, r.body) for r in load_mail()[:400]]
    assert [r.scores for r in intent_model.classify(mails)] == intent_model.scores([request_text(*m)[0] for m in mails])


def test_batched_ngram_counts_are_extract_ngrams_arrays(intent_model: IntentModel) -> None:
    """_BagOfWords.counts must give spaCy's extract_ngrams arrays exactly (keys, counts, lengths, dtypes)."""
    from triage.model.data import load_mail
    from triage.understand.classify import _raw_words, _textcat

    bow = intent_model._bow
    assert bow is not None  # the shipped model takes the batched path
    texts = [" ".join(mail_parts(r.subject, r.body)) for r in load_mail()[:300]] + ["cancel", "x x x x", "a b a b a"]
    docs = [intent_model._raw_tokens(_raw_words(t)) for t in texts]
    extract = next(layer for layer in _textcat(intent_model.nlp).model.walk() if layer.name == "extract_ngrams")
    for ours, theirs in zip(bow.counts(docs), extract.predict(docs), strict=True):
        assert ours.dtype == theirs.dtype and ours.tolist() == theirs.tolist()
    assert bow.counts(docs[-3:])[2].tolist() == [1, 2, 4]  # 'x', 'x x'; 'a', 'b', 'a b', 'b a'


def test_train_on_tiny_fixture_gives_a_loadable_deterministic_model(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "intent"
    summary = train(TINY / "mail", out, seed=0, epochs=3, folds=3)
    # the split is a hash of each row's id: 42 rows give 29 train, 5 dev (8 test rows stay out)
    assert summary["train_rows"] == 29 and summary["dev_rows"] == 5 and summary["epochs"] == 3
    model = IntentModel.load(out)
    info = json.loads((out / "thresholds.json").read_text())
    for bars in ("labels", "affirm", "request"):
        assert set(info[bars]) == {"cancel", "duplicate", "address_fix", "refund"}
    assert info["training"]["seed"] == 0 and info["training"]["folds"] == 3
    shipped = sorted(p.name for p in (out / "lemmas").iterdir())
    assert shipped == ["de.json", "en.json", "es.json", "fr.json", "not_typos.json"]
    texts = ["please cancel my order", "where is my refund"]
    again = train(TINY / "mail", tmp_path / "again", seed=0, epochs=3, folds=3)
    assert again["thresholds"] == summary["thresholds"]
    assert IntentModel.load(tmp_path / "again").scores(texts) == model.scores(texts)
    assert model.classify([("", "please cancel my order")])[0].evidence.get("cancel") == "please cancel my order"


def test_missing_model_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=re.escape(str(tmp_path / "nope")) + r".*run `run_triage.py train`"):
        IntentModel.load(tmp_path / "nope")


def test_broken_model_raises_model_error(tmp_path: Path) -> None:
    broken = tmp_path / "intent"
    shutil.copytree(MODEL, broken)
    (broken / "thresholds.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"is broken.*run `run_triage\.py train`"):
        IntentModel.load(broken)


class FixedModel:
    """Stands in for the model with predictions chosen for the hand computation below."""

    PREDICTIONS: ClassVar[list[tuple[str, ...]]] = [
        ("cancel",),
        ("duplicate",),
        ("address_fix", "refund"),
        ("refund",),
        ("cancel",),
        ("other",),
    ]

    def classify(self, texts: list[tuple[str, str]], batch_size: int = 256) -> list[IntentResult]:
        assert len(texts) == len(self.PREDICTIONS)
        return [
            IntentResult(p, dict.fromkeys(INTENT_LABELS, 0.9), low_confidence=(i == 4))
            for i, p in enumerate(self.PREDICTIONS)
        ]


def test_evaluate_matches_hand_computation() -> None:
    report = evaluate(FixedModel(), TINY / "eval.jsonl")
    m, b = report.model, report.baseline
    # gold: cancel | duplicate+cancel | address_fix | refund | other ("don't cancel") | other
    assert {s.label: (s.tp, s.fp, s.fn) for s in m.per_label} == {
        "cancel": (1, 1, 1),
        "duplicate": (1, 0, 0),
        "address_fix": (1, 0, 0),
        "refund": (1, 1, 0),
        "other": (1, 0, 1),
    }
    assert m.label("cancel").f1 == pytest.approx(0.5)
    assert m.label("refund").precision == pytest.approx(0.5) and m.label("refund").recall == 1.0
    assert m.macro_f1 == pytest.approx((0.5 + 1 + 1 + 2 / 3 + 2 / 3) / 5)
    assert m.exact_match == pytest.approx(3 / 6)
    assert m.confusion["other"] == {"cancel": 1, "duplicate": 0, "address_fix": 0, "refund": 0, "other": 1}
    assert m.confusion["duplicate"]["duplicate"] == 1
    # keyword rules: right on everything except the negation, which a trigger rule reads as cancel
    assert {s.label: (s.tp, s.fp, s.fn) for s in b.per_label} == {
        "cancel": (2, 1, 0),
        "duplicate": (1, 0, 0),
        "address_fix": (1, 0, 0),
        "refund": (1, 0, 0),
        "other": (1, 0, 1),
    }
    assert b.macro_f1 == pytest.approx((0.8 + 1 + 1 + 1 + 2 / 3) / 5)
    assert b.confusion["duplicate"]["cancel"] == 1  # the rule lists labels in fixed order
    assert report.low_confidence == 1 and report.n == 6
    assert report.gold_counts == {"cancel": 2, "duplicate": 1, "address_fix": 1, "refund": 1, "other": 2}
    text = report.render()
    assert "macro-F1" in text and "keyword rules" in text and "0.767" in text and "0.893" in text
    assert report.to_dict()["model"]["per_label"]["cancel"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "support": 2,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }


def test_macro_f1_skips_labels_without_gold_rows() -> None:
    scores = score_predictions("x", [("other",), ("cancel",)], [("duplicate",), ("cancel",)])
    assert scores.label("duplicate").fp == 1
    assert scores.macro_labels == ("cancel", "other")
    assert scores.macro_f1 == pytest.approx((1.0 + 0.0) / 2)


def test_csv_with_label_map() -> None:
    rows = load_labeled(TINY / "eval.csv", TINY / "label_map.json")
    assert [(r.body, r.labels) for r in rows] == [
        ("i want to cancel purchase 1042", ("cancel",)),
        ("where is my package", ("other",)),
        ("help me get my money back, please", ("refund",)),
    ]
    with pytest.raises(UsageError, match="--label-map"):
        load_labeled(TINY / "eval.csv")


def test_label_map_null_leaves_rows_out(tmp_path: Path) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text('{"map": {"cancel_order": "cancel", "track_order": null, "get_refund": "refund"}}')
    assert [r.labels for r in load_labeled(TINY / "eval.csv", mapping)] == [("cancel",), ("refund",)]

    class ByWord:
        def classify(self, texts: list[tuple[str, str]], batch_size: int = 256) -> list[IntentResult]:
            labels = [("refund",) if "money" in t[1] else ("cancel",) for t in texts]
            return [IntentResult(x, dict.fromkeys(INTENT_LABELS, 0.9), low_confidence=False) for x in labels]

    report = evaluate(ByWord(), TINY / "eval.csv", mapping)
    assert report.n == 2 and report.left_out == 1 and report.to_dict()["left_out"] == 1
    assert report.model.macro_f1 == 1.0  # the package question would have been a cancel false positive
    assert "1 rows left out by the label map" in report.render()
    mapping.write_text('{"map": {"cancel_order": null, "track_order": null, "get_refund": null}}')
    with pytest.raises(UsageError, match="3 left out by the label map"):
        load_labeled(TINY / "eval.csv", mapping)


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Cancel", "please cancel my order", ("cancel",)),
        ("", "I ordered twice, cancel one", ("cancel", "duplicate")),
        ("", "Bitte Lieferadresse ändern", ("address_fix",)),
        ("", "¿Dónde está mi reembolso?", ("refund",)),
        ("", "Please don't cancel my order", ("cancel",)),  # no cleverness: a trigger rule misses negation
        ("", "Where is my parcel?", ("other",)),
    ],
)
def test_keyword_baseline(subject: str, body: str, expected: tuple[str, ...]) -> None:
    assert classify_keywords(subject, body) == expected


def test_corpus_is_large_multilingual_and_splits_do_not_overlap() -> None:
    splits = {
        name: [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        for name in ("train", "dev", "test")
    }
    assert sum(len(rows) for rows in splits.values()) >= 2500
    every = [r for rows in splits.values() for r in rows]
    assert sum(r["lang"] != "en" for r in every) / len(every) >= 0.10
    assert {r["lang"] for r in every} == {"en", "de", "es", "fr"}

    def key(r: dict) -> str:
        return re.sub(r"\d+", "0", model_text(r["subject"], r["body"]))

    train_keys = {key(r) for r in splits["train"]}
    dev_keys = {key(r) for r in splits["dev"]}
    assert not {key(r) for r in splits["test"]} & (train_keys | dev_keys)
    assert not dev_keys & train_keys


def test_one_word_vocabulary_is_always_trained_and_phrasings_stay_held_out() -> None:
    """Round 5 (models/data/README.md): a one-word synonym or group verb is vocabulary, never dev/test-only."""
    import importlib.util
    import random

    spec = importlib.util.spec_from_file_location("build_corpus", DATA / "build_corpus.py")
    assert spec is not None and spec.loader is not None
    bc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bc)
    assert bc._vocabulary("SYNONYMS.0", r"\1 reimbursement")
    assert bc._vocabulary("GROUPS.cancel.0.v", "widerrufen")
    assert not bc._vocabulary("SYNONYMS.0", r"\1 refund payment")
    assert not bc._vocabulary("GROUPS.cancel.0.o", "order")
    assert not bc._vocabulary("REQUESTS.cancel", "Cancel")
    for lang in bc.LANGS:
        pools = bc.Pools(lang, "dev", random.Random(0))
        for i, (_, alternatives) in enumerate(pools.mod.SYNONYMS):
            pools.pick(f"SYNONYMS.{i}", list(alternatives))
            held = pools._cache[f"SYNONYMS.{i}"]["dev"] + pools._cache[f"SYNONYMS.{i}"]["test"]
            assert not [t for t in held if bc._vocabulary(f"SYNONYMS.{i}", t)]
    # whole phrasings keep their buckets: some English requests are still dev- or test-only
    pools = bc.Pools("en", "test", random.Random(0))
    pools.get("REQUESTS", "cancel")
    assert pools._cache["REQUESTS.cancel"]["test"]


def test_evaluate_per_language_matches_hand_computation() -> None:
    """The realistic150 layout (`text`, `lang`): macro-F1 overall and per language, computed by hand."""

    class Fixed:
        def classify(self, mails: list[tuple[str, str]], batch_size: int = 256) -> list[IntentResult]:
            preds = [("cancel",), ("cancel",), ("refund",), ("other",)]
            return [IntentResult(p, dict.fromkeys(INTENT_LABELS, 0.5)) for p in preds]

    report = evaluate(Fixed(), TINY / "eval_lang.jsonl")
    # en: cancel TP1 FP1 -> F1 2/3; other FN1 -> F1 0; de: refund and other both right
    assert report.per_language["en"] == (2, pytest.approx(1 / 3), pytest.approx(1.0))  # keyword rules get both
    assert report.per_language["de"][:2] == (2, pytest.approx(1.0))
    # overall: cancel 2/3, refund 1, other TP1 FN1 -> 2/3
    assert report.model.macro_f1 == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)
    assert "macro-F1 de" in report.render() and report.to_dict()["per_language"]["en"]["n"] == 2
