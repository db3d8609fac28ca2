"""intents.decide's rules, the request finder's blocks and clauses, and the shipped lemma tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import MODEL
from triage.model.data import split_of
from triage.model.lemmas import build
from triage.records import INTENT_LABELS
from triage.understand.intents import LEAD, MODEL_ALONE_WORDS, SHORT_LEAD, Thresholds, decide
from triage.understand.requests import (
    BLOCKED,
    LEXICONS,
    MENTION,
    REQUEST,
    Hit,
    RequestFinder,
    Title,
    clause_spans,
    titles,
)

T = Thresholds(
    model=dict.fromkeys(("cancel", "duplicate", "address_fix", "refund"), 0.5),
    affirm=dict.fromkeys(("cancel", "duplicate", "address_fix", "refund"), 0.2),
    request=dict.fromkeys(("cancel", "duplicate", "address_fix", "refund"), 0.1),
)


def _scores(**kw: float) -> dict[str, float]:
    return {label: kw.get(label, 0.0) for label in INTENT_LABELS}


@pytest.mark.parametrize(
    ("scores", "hits", "intents", "low"),
    [
        # a request the finder read: no `other` veto even when `other` scores higher
        (_scores(cancel=0.6, other=0.9), {"cancel": Hit("cancel", REQUEST, "c")}, ("cancel",), False),
        # the model alone, over its threshold and clearly ahead of `other` (worth a look: no clause says it)
        (_scores(cancel=0.6, other=0.1), {}, ("cancel",), True),
        (_scores(cancel=0.6, other=0.9), {}, ("other",), False),
        (_scores(cancel=0.4), {}, ("other",), True),
        # a request affirmed by a low score; a strong phrase needs none; a mention needs `affirm`
        (_scores(cancel=0.15), {"cancel": Hit("cancel", REQUEST, "c")}, ("cancel",), False),
        (_scores(cancel=0.05), {"cancel": Hit("cancel", REQUEST, "c")}, ("other",), True),
        (_scores(cancel=0.0), {"cancel": Hit("cancel", REQUEST, "c", strong=True)}, ("cancel",), False),
        (_scores(refund=0.25), {"refund": Hit("refund", MENTION, "r")}, ("refund",), True),
        (_scores(refund=0.15, other=0.8), {"refund": Hit("refund", MENTION, "r")}, ("other",), False),
        # a block vetoes the model, however sure it is (and a sure model against a block is worth a look)
        (_scores(cancel=0.99), {"cancel": Hit("cancel", BLOCKED, "c", "negated")}, ("other",), True),
        (_scores(cancel=0.1, other=0.9), {"cancel": Hit("cancel", BLOCKED, "c", "negated")}, ("other",), False),
        # finder and model agree: confident
        (_scores(cancel=0.9), {"cancel": Hit("cancel", REQUEST, "c")}, ("cancel",), False),
    ],
)
def test_decide(scores: dict[str, float], hits: dict[str, Hit], intents: tuple[str, ...], low: bool) -> None:
    result = decide(scores, hits, T)
    assert result.intents == intents and result.low_confidence is low
    assert set(result.evidence) == {i for i in intents if i in hits}


@pytest.mark.parametrize(
    ("scores", "words", "intents"),
    [
        # the model alone must lead its own `other` score: by SHORT_LEAD on a short text
        (_scores(address_fix=0.7, other=0.2), 5, ("other",)),
        (_scores(address_fix=0.85, other=0.2), 5, ("address_fix",)),
        # and by LEAD on a text of MODEL_ALONE_WORDS words or more
        (_scores(address_fix=0.7, other=0.2), MODEL_ALONE_WORDS, ("address_fix",)),
        (_scores(address_fix=0.55, other=0.3), MODEL_ALONE_WORDS, ("other",)),
        (_scores(address_fix=0.7, other=0.2), MODEL_ALONE_WORDS - 1, ("other",)),
        # its own threshold still applies
        (_scores(address_fix=0.45, other=0.0), MODEL_ALONE_WORDS, ("other",)),
    ],
)
def test_the_model_alone_needs_a_lead_over_other(
    scores: dict[str, float], words: int, intents: tuple[str, ...]
) -> None:
    assert (LEAD, SHORT_LEAD) == (0.3, 0.6)
    assert decide(scores, {}, T, words=words).intents == intents
    # the finder's reading does not depend on the length
    assert decide(scores, {"cancel": Hit("cancel", REQUEST, "c", strong=True)}, T, words=words).intents[0] == "cancel"


def test_finder_requests_first_then_model_only_intents() -> None:
    result = decide(_scores(refund=0.95, cancel=0.3), {"cancel": Hit("cancel", REQUEST, "please cancel")}, T)
    assert result.intents == ("cancel", "refund") and result.evidence == {"cancel": "please cancel"}


@pytest.fixture(scope="module")
def finder() -> RequestFinder:
    return RequestFinder.load(MODEL / "lemmas", LEXICONS)


@pytest.mark.parametrize(
    ("clauses", "intent", "kind", "why"),
    [
        (["Please cancel my order."], "cancel", REQUEST, ""),
        (["Please don't cancel my order."], "cancel", BLOCKED, "negated"),
        (["Bitte stornieren Sie die Bestellung nicht."], "cancel", BLOCKED, "negated"),
        (["Ne l'annulez surtout pas."], "cancel", BLOCKED, "negated"),
        (["Please cancel my order.", "Ignore my last email, I'll keep it."], "cancel", BLOCKED, "retraction"),
        (["Scratch that, please cancel it altogether."], "cancel", REQUEST, ""),
        (["What is your cancellation policy?"], "cancel", BLOCKED, "policy question"),
        (["What is your refund policy, and please cancel my order?"], "cancel", REQUEST, ""),
        (["What is your refund policy, and please cancel my order?"], "refund", BLOCKED, "policy question"),
        (["If I pre-order it, can I cancel and get a refund?"], "refund", BLOCKED, "policy question"),
        (["In which cases can I ask for a refund?"], "refund", BLOCKED, "policy question"),
        (["Is there a money back guarantee, could I get a refund?"], "refund", BLOCKED, "policy question"),
        (["In welchen Fällen bekomme ich eine Erstattung?"], "refund", BLOCKED, "policy question"),
        (["¿En qué casos puedo pedir un reembolso?"], "refund", BLOCKED, "policy question"),
        (["Dans quels cas puis-je demander un remboursement ?"], "refund", BLOCKED, "policy question"),
        (["I might have to cancel if it's late."], "cancel", BLOCKED, "hypothetical"),
        (["Please cancel order 12 if it hasn't shipped yet."], "cancel", REQUEST, ""),
        (["Please cancel my newsletter."], "cancel", BLOCKED, "not an order"),
        (["Please cancel my Crafty Club monthly box."], "cancel", BLOCKED, "not an order"),
        (["Por favor cancelen mi caja sorpresa de café suscripción mensual."], "cancel", BLOCKED, "not an order"),
        (["Merci d'annuler mon coffret beauté mensuel abonnement."], "cancel", BLOCKED, "not an order"),
        (["Please cancel my order for the gift box, thanks."], "cancel", REQUEST, ""),
        (["Send order 5521 to the new address I saved in my account."], "address_fix", REQUEST, ""),
        (["I still haven't received my refund."], "refund", REQUEST, ""),
        (["Our invoice shows the old address."], "address_fix", BLOCKED, "not an order"),
        (["You cancelled my order 2915 last week, why?"], "cancel", BLOCKED, "the shop's cancellation"),
        (["Ihr habt meine Bestellung einfach storniert."], "cancel", BLOCKED, "the shop's cancellation"),
        (["Can you cancel my order 2915?"], "cancel", REQUEST, ""),
    ],
)
def test_finder_kinds(finder: RequestFinder, clauses: list[str], intent: str, kind: str, why: str) -> None:
    hit = finder.find(clauses)[intent]
    assert (hit.kind, hit.why) == (kind, why)


@pytest.mark.parametrize(
    ("clause", "kind"), [("Refund", MENTION), ("Erstattung bei Klarna", MENTION), ("Please cancel my order", REQUEST)]
)
def test_a_title_opening_with_a_term_is_no_imperative(finder: RequestFinder, clause: str, kind: str) -> None:
    (hit,) = finder.find([Title(clause)]).values()
    assert hit.kind == kind


def test_heading_like_lines_of_a_long_mail_are_titles(finder: RequestFinder) -> None:
    text = "ISSUE 4\nNotes\n\n2. Refund wording that keeps customers\nSay when.\nA\nB\nC\nD\n\nRefund please\n"
    clauses = titles(text, clause_spans(text))
    assert [c.strip() for c in clauses if isinstance(c, Title)] == [
        "ISSUE 4",
        "2.",
        "Refund wording that keeps customers",
        "Refund please",
    ]
    assert finder.find(clauses)["refund"].kind == REQUEST  # "Refund please" asks, heading or not
    newsletter = text.replace("Refund please", "See you")
    assert finder.find(titles(newsletter, clause_spans(newsletter)))["refund"].kind == MENTION
    short = "Refund please\n\nThanks, Anna"  # a short mail has no headings: its first line asks
    assert not any(isinstance(c, Title) for c in titles(short, clause_spans(short)))


def test_clauses_keep_soft_wrapped_sentences_whole() -> None:
    text = (
        "Hello,\nI placed the order on Monday and only now notice that the delivery address is\n"
        "wrong. Please fix it; thanks, I'm grateful\nAnna"
    )
    clauses = [text[a:b] for a, b in clause_spans(text)]
    assert clauses[0] == "Hello,"  # a short line ends a clause
    assert "is\nwrong." in clauses[1]
    assert clauses[2].strip() == "Please fix it"
    assert clauses[-1] == "Anna"


def test_shipped_lemma_tables_equal_a_fresh_build(tmp_path: Path) -> None:
    counts = build(tmp_path)
    for lang in ("en", "de", "es", "fr"):
        assert (tmp_path / f"{lang}.json").read_text(encoding="utf-8") == (MODEL / "lemmas" / f"{lang}.json").read_text(
            encoding="utf-8"
        ), f"models/intent/lemmas/{lang}.json is stale: run `python -m triage.model.lemmas`"
        assert counts[lang] == len(json.loads((tmp_path / f"{lang}.json").read_text(encoding="utf-8")))
    name = "not_typos.json"
    assert (tmp_path / name).read_text(encoding="utf-8") == (MODEL / "lemmas" / name).read_text(encoding="utf-8"), (
        f"models/intent/lemmas/{name} is stale: run `python -m triage.model.lemmas`"
    )
    assert sum(p.stat().st_size for p in (MODEL / "lemmas").iterdir()) < 1_000_000


def test_split_is_a_stable_hash_of_the_id() -> None:
    assert [split_of(f"w1-{i:04d}") for i in range(1, 9)] == [split_of(f"w1-{i:04d}") for i in range(1, 9)]
    counts = {s: sum(split_of(f"x-{i}") == s for i in range(2000)) for s in ("train", "dev", "test")}
    assert 1500 < counts["train"] < 1700 and 150 < counts["dev"] < 250 and 150 < counts["test"] < 250
