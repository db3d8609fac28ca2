"""The shape of one language's request lexicon: what asks for an intent, and what takes the asking back.

Every phrase is written as a customer types it; the finder folds and lemmatises each phrase with the same
table as the text, so "cancelled", "cancelling" and "cancel" in a lexicon all mean the one lemma.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lexicon:
    """One language's phrases, grouped by the role they play in a clause.

    - `terms[intent]`: a clause that contains one mentions the intent (a weak hit on its own);
    - `strong[intent]`: a phrase that is a request by itself ("please cancel", "ordered twice");
    - `boosters[intent]`: words that turn a term in the same clause into a request ("cancel" + "order");
    - `frames`: request frames ("please", "can you", "I would like", "can I still");
    - `negations`: words that, right before a term (or `post_negations` right after it), take it back;
    - `negation_gap`: words allowed between a negation and its term ("don't *want to* cancel");
    - `retractions`: phrases that withdraw an earlier request for the whole message;
    - `keeps`: an item kept ("I'll keep it"): withdraws its own clause's request, or an earlier mail's when the
      message asks nothing; a request in another clause is about another item and stands;
    - `minds`: words of a change of mind ("actually", "finalement"): an item kept after one, in its clause or
      the clause before, takes back what came before it, as a retraction does;
    - `policy`: general policy or fee questions; `hypothetical`: threats and maybes;
    - `general`: a question asked impersonally ("kann man …", "can one …", "se puede …", "peut-on …"): it
      blocks as a policy question does, unless the clause names an order of the writer's, by its number or
      with `own` ("kann man die Bestellung 88104 noch stornieren" asks about that order: a request);
    - `own`: the writer's own order, named with a possessive ("meine Bestellung", "my order", "ma commande");
    - `objects[intent]`: things that are not orders ("newsletter" blocks cancel, "e-mail address" address_fix);
    - `redirects[intent]`: terms that a request frame alone makes a request ("could you send order 5518 to",
      "kann die Bestellung … ins Büro"): sending an order somewhere is asking for it;
    - `nothing_pending`: the writer has nothing on order or returned ("I don't have anything on order"): no
      request in a clause that names no order stands in that message;
    - `deliberate`: an order placed twice on purpose ("c'est voulu, une pour ma sœur"), or one order come in
      two parcels with different contents ("one with the plates, the other with the bowls"): no duplicate in
      the message;
    - `address_book`: adding, saving or setting up an address ("add a new delivery address"): the account's
      or the checkout's, so no order's address to fix unless the clause names an order;
    - `split[intent]`: a request phrase in two parts written "head … tail", for German separable verbs and the
      like ("nehmen … aus der bestellung", "überweisen … zurück"): the two in this order in one clause, with at
      most finder.SPLIT_GAP words, no comma and no negation between, are a strong phrase of the intent;
    - `typo_keys`: the words a typo is read as ("cancfel" -> "cancel"; see triage.understand.spelling).
    """

    lang: str
    terms: dict[str, tuple[str, ...]]
    strong: dict[str, tuple[str, ...]]
    boosters: dict[str, tuple[str, ...]]
    frames: tuple[str, ...]
    negations: tuple[str, ...]
    negation_gap: tuple[str, ...]
    retractions: tuple[str, ...]
    policy: tuple[str, ...]
    hypothetical: tuple[str, ...]
    objects: dict[str, tuple[str, ...]]
    post_negations: tuple[str, ...] = field(default=())
    typo_keys: tuple[str, ...] = field(default=())
    address_book: tuple[str, ...] = field(default=())
    redirects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    nothing_pending: tuple[str, ...] = field(default=())
    deliberate: tuple[str, ...] = field(default=())
    keeps: tuple[str, ...] = field(default=())
    minds: tuple[str, ...] = field(default=())
    general: tuple[str, ...] = field(default=())
    own: tuple[str, ...] = field(default=())
    split: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words(self) -> set[str]:
        """Every word any phrase uses: the lemma tables keep only the entries that lead to one of them."""
        phrases: list[str] = [
            *self.frames,
            *self.negations,
            *self.negation_gap,
            *self.retractions,
            *self.keeps,
            *self.minds,
        ]
        phrases += [
            *self.policy,
            *self.general,
            *self.own,
            *self.hypothetical,
            *self.post_negations,
            *self.address_book,
            *self.nothing_pending,
            *self.deliberate,
        ]
        for group in (self.terms, self.strong, self.boosters, self.objects, self.redirects):
            for values in group.values():
                phrases += values
        phrases += [part for values in self.split.values() for p in values for part in split_parts(p)]
        return {w for p in phrases for w in p.split()}


SPLIT = "…"


def split_parts(phrase: str) -> tuple[str, str]:
    """The head and tail of a `split` phrase ("nehmen … aus der bestellung")."""
    head, _, tail = phrase.partition(SPLIT)
    if not head.strip() or not tail.strip():
        raise ValueError(f"split phrase {phrase!r} needs a head and a tail around {SPLIT!r}")
    return head.strip(), tail.strip()


def combine(*parts: tuple[str, ...]) -> tuple[str, ...]:
    """Every phrase made of one choice from each part, in order ("" leaves a part out): a verb, a
    determiner and a noun written once each instead of every combination by hand."""
    out = [""]
    for choices in parts:
        out = [f"{head} {choice}".strip() for head in out for choice in choices]
    return tuple(dict.fromkeys(" ".join(p.split()) for p in out))
