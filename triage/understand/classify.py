"""The intent stage: the trained spaCy text classifier, loaded once and applied in batches.

`model_text` is the single definition of what the model sees; training, evaluation and the
pipeline all go through it, so a change to it can never make training and inference disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.errors import ModelError
from triage.mail.quotes import cut_history, new_text
from triage.records import INTENT_LABELS, IntentResult
from triage.text import fold, fold_common
from triage.understand.intents import Thresholds, decide
from triage.understand.requests import (
    LEXICONS,
    Clauses,
    RequestFinder,
    Title,
    clause_spans,
    is_reply_subject,
    titles,
)
from triage.understand.requests.finder import MAX_CLAUSE
from triage.understand.spelling import MIN_LEN, default_speller
from triage.understand.wordtrie import trie_pattern

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import TextCategorizer

INTENTS: tuple[str, ...] = tuple(label for label in INTENT_LABELS if label != "other")
PIPE_NAME = "textcat_multilabel"
THRESHOLDS_FILE = "thresholds.json"
LEMMAS_DIR = "lemmas"
DEFAULT_REVIEW_THRESHOLD = 0.5
# Long stories carry their request early or late; 4000 characters keeps both ends of anything a
# customer types while bounding the cost of a pasted log or a forwarded thread.
MAX_CHARS = 4000

_DIGITS = re.compile(r"\d+")
# Sub-word robustness: every word is cut to its first STEM_LEN letters, so inflections share one feature
# ("cancelled", "cancelling", "cancellation", "cancelar" -> "cance"; "refunds", "refunded" -> "refun";
# "stornieren", "storniert" -> "storn") and so does any typo after the cut ("cancellaton"). Cutting
# (not appending) keeps the text short, so the model reads fewer tokens, not more. 5 was chosen over 6
# and 7 on our dev split (macro-F1 0.957 vs 0.951 on the round-3 dev split; 6 and 7 were no better on
# the old dev split either).
STEM_LEN = 5
# Deleting the letters after the cut (a fixed-width look-behind) is about twice as fast as a capture
# group and replacement. Accents are folded first, so [a-zß] covers nearly every letter of EN/DE/ES/FR.
_LONG_TAIL = re.compile(rf"(?<=\b[a-zß]{{{STEM_LEN}}})[a-zß]+")
# "-able" words are policy questions ("is the order cancellable?", "is this refundable?" are `other`), so
# they keep a feature of their own instead of being cut to the request's stem.
_ABLE = re.compile(r"\b(?:(cancel+|annul|stornier)|refund|rembours|reembols|erstatt)(?:able|ables|bar|bare|baren)\b")


def _able(m: re.Match[str]) -> str:
    return "canbl" if m.group(1) else "refbl"


# Typos of the domain's key words, written for this repo; keys and values are cut like every word, and
# the map applies after the cut, so "cancle" -> "cance", "refnd" -> "refun", "adress" -> "addre".
# No key is a value, so a second pass changes nothing. German "oder" ("or") is deliberately not mapped to order.
_TYPO_SOURCES = {
    "cancel": "cancle cansel cancl canel cacnel cnacel cancal cancil cencel cancli cancek canecl",
    "refund": "refnd refud rfund refudn reufnd refumd refunf redund refun refnud reefun refound",
    "reimbu": "reinbu reimbo reimbr riembu reimbi reinbo",
    "addres": "adress adres addrss addess adrres adrees addrse adresse addrea adddre",
    "order": "ordr odrer oredr ordeer orderr",
    "purcha": "purchs puchas purcah purhca purcas prucha purcge",
    "please": "plz pls pleas plase pelase pleae pleaes",
    "delive": "delivr dilive delevi deliev devliv",
    "shippi": "shipin shping shipng shippn",
    "money": "mony moeny mney",
    "track": "trak trck trakc tracj",
    "reembo": "rembol reembl rembls",
    "annule": "anule anuler annula",
    "storni": "stroni stonri",
}
_TYPOS = {
    k[:STEM_LEN]: v[:STEM_LEN]
    for v, keys in _TYPO_SOURCES.items()
    for k in keys.split()
    if k[:STEM_LEN] != v[:STEM_LEN]
}
assert not set(_TYPOS) & set(_TYPOS.values())


_TYPO_WORD = re.compile(r"\b" + trie_pattern(sorted(_TYPOS)) + r"\b")


def _typo(m: re.Match[str]) -> str:
    return _TYPOS[m.group()]


class ModelText(str):
    """A string model_text made: IntentModel.scores reads it as it is instead of normalising it again.

    spaCy accepts exact `str` only, so pass `str(text)` to it directly (scores and train do)."""

    __slots__ = ()


def model_text(subject: str, body: str, *, history: bool = True) -> str:
    """Compose the one string the model reads: subject and new text, lower-cased, history dropped.

    Lower-casing makes "CANCEL" and "cancel" the same feature for the bag-of-words model; digit runs
    become "0" because order numbers and amounts say nothing about intent and would otherwise let
    the model memorise single messages; accents are folded (triage.text.fold_common); words are cut to
    their first STEM_LEN letters and known typos of key words mapped (see _TYPOS); quoted history is
    dropped (triage.mail.quotes.cut_history) because a shop's own template text ("reply to cancel") is
    not the customer's request.
    Idempotent: model_text("", t) == t for any t it returned.
    """
    text = (cut_history(body) if history else body) if body else ""
    if subject:
        text = f"{subject}\n{text}"
    # Every step after the cut reads one space-separated word at a time (a \b or a look-behind never sees
    # past a space), so each distinct word is normalised once per process and looked up after that.
    get = _NORMALISED.get
    return ModelText(" ".join([get(w) or _normalise(w) for w in _raw_words(text)]))


def _raw_words(text: str) -> list[str]:
    """model_text's words before their normalisation: lower-cased, split on whitespace, cut at MAX_CHARS."""
    low = text.lower()
    if len(low) <= MAX_CHARS:  # the words joined by single spaces are no longer: nothing to cut
        return low.split() or [""]
    return " ".join(low.split())[:MAX_CHARS].split(" ")


# word -> its normalised form (bounded like the token caches below)
_NORMALISED: dict[str, str] = {}
MAX_NORMALISED = 50_000


def _normalise(text: str) -> str:
    """model_text's word steps on lower-cased text: accents, -able words, the STEM_LEN cut, typos, digits."""
    # Accents folded so "dirección"/"direccion" and "réclamation"/"reclamation" (customers often type
    # without them) are one feature; ß and the letters of other languages stay.
    out = fold_common(text)
    if len(out) >= MIN_LEN:  # a typo of a key word ("cancfel") is read as the key (triage.understand.spelling)
        out = " ".join(map(default_speller().__getitem__, out.split(" ")))
    if "able" in out or "bar" in out:
        out = _ABLE.sub(_able, out)
    out = _DIGITS.sub("0", _TYPO_WORD.sub(_typo, _LONG_TAIL.sub("", out)))
    if len(_NORMALISED) < MAX_NORMALISED:
        _NORMALISED[text] = out
    return out


MailText = tuple[str, str]  # (subject, the customer's new text): what classify reads of one message


def mail_parts(subject: str, body: str) -> MailText:
    """(subject, new text) of a stored or labelled mail: quotes, forwards and the signature cut off by
    triage.mail.quotes.split_reply, exactly as the parser does for incoming mail."""
    return subject, new_text(body) if body else ""


def request_text(subject: str, new_text: str) -> tuple[str, list[str]]:
    """What is read of a message: the model's text and the clauses, the subject only when it is no reply.

    A reply or forward subject ("Re: Question about sizing") names an old thread; its words are not
    today's request, so neither the model nor the finder sees it."""
    subject, body, clauses = _read(subject, new_text)
    return model_text(subject, body, history=False), clauses


def _read(subject: str, new_text: str) -> tuple[str, str, list[str]]:
    """request_text's parts: the subject kept (or ""), the body cut at MAX_CHARS, and the clauses."""
    subject = "" if is_reply_subject(subject) else subject.strip()
    body = new_text[:MAX_CHARS]
    folded = fold(body)  # one fold for the clause split and the finder
    spans = clause_spans(body, folded)
    clauses = titles(body, spans)
    parts = [folded[a:b] for a, b in spans]
    if subject:
        clauses.insert(0, Title(subject[:MAX_CLAUSE]))
        parts.insert(0, fold(clauses[0]))
    return subject, body, Clauses(clauses, "\x00".join(parts))


def _textcat(nlp: Language) -> TextCategorizer:
    """The pipeline's text classifier, typed (spaCy's `get_pipe` returns a bare callable)."""
    from spacy.pipeline import TextCategorizer

    pipe = nlp.get_pipe(PIPE_NAME)
    if not isinstance(pipe, TextCategorizer):
        raise ModelError(f"pipe {PIPE_NAME!r} is not a text classifier")
    return pipe


# Bounds each word cache (normalised form, token ids): a few thousand distinct words cover normal mail, and a
# stream of junk words (base64, random ids) stops filling them at a few MB; a word past the bound is computed.
MAX_CACHED_WORDS = 50_000


class _Tokens:
    """What the model's bag-of-words layer reads of a Doc (its length and ORTH ids), without building one.

    spaCy's TextCatBOW (extract_ngrams) calls only `len(doc)` and `doc.to_array([ORTH])`; test_classify
    checks the scores equal those of `nlp.pipe` on real Docs, so a spaCy change to that contract shows up."""

    __slots__ = ("ids",)

    def __init__(self, ids: list[int] | bytes) -> None:
        import numpy

        if type(ids) is bytes:  # the ids' uint64 values end to end, as _WordIds keeps each word's: no copy
            self.ids = numpy.frombuffer(ids, dtype=numpy.uint64)
        else:
            self.ids = numpy.array(ids, dtype=numpy.uint64)

    def __len__(self) -> int:
        return len(self.ids)

    def to_array(self, attrs: object) -> Any:
        return self.ids


class _WordIds(dict[str, bytes]):
    """word -> token ids (as uint64 bytes), filled by `make` as words are met (bounded), so a known word is one
    C-level lookup and a message's ids are one bytes.join."""

    def __init__(self, make: Callable[[str], bytes]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, word: str) -> bytes:
        ids = self.make(word)
        if len(self) < MAX_CACHED_WORDS:
            self[word] = ids
        return ids


def _word_wise(nlp: Language) -> bool:
    """Whether `nlp` may be fed _Tokens: a bag-of-words textcat on ORTH, and a tokenizer that reads each
    whitespace-separated word on its own (no special case holds a space inside other text)."""
    from spacy.attrs import ORTH  # type: ignore[import-not-found]  # a compiled module without stubs

    if list(nlp.pipe_names) != [PIPE_NAME]:
        return False
    layers = {layer.name: layer for layer in _textcat(nlp).model.walk()}
    ngrams = layers.get("extract_ngrams")
    if ngrams is None or ngrams.attrs.get("attr") != ORTH:
        return False
    if not {"sparse_linear", "logistic"} <= set(layers) or any(name.startswith("tok2vec") for name in layers):
        return False
    rules: dict[str, object] | None = getattr(nlp.tokenizer, "rules", None)
    if rules is None:  # not spaCy's rule-based tokenizer: tokenise whole texts
        return False
    return not any(len(rule) > 1 and any(c.isspace() for c in rule) for rule in rules)


class _BagOfWords:
    """The shipped model's layers after extract_ngrams, fed n-gram counts made for a whole batch at once.

    spaCy's extract_ngrams calls numpy.unique once a message, whose Python-level steps cost about twice the
    rest of the prediction; `counts` gives the same arrays (each message's keys sorted, their counts, the
    number of keys a message) with one sort a message and the rest done once a batch. Found only in the
    exact layout TextCatBOW.v3 builds: with_cpu(extract_ngrams >> resizable(sparse_linear)) >>
    with_cpu(logistic); test_classify holds the arrays and the scores to spaCy's own."""

    __slots__ = ("linear", "ngram_size", "ngrams", "output")

    def __init__(self, ngram_size: int, ngrams: Callable[..., Any], linear: Any, output: Any) -> None:
        self.ngram_size = ngram_size
        self.ngrams = ngrams
        self.linear = linear
        self.output = output

    @classmethod
    def of(cls, nlp: Language) -> _BagOfWords | None:
        """The layers of `nlp`'s textcat, or None when it is laid out any other way."""
        top = _textcat(nlp).model
        names = [top.name, *(layer.name for layer in top.layers)]
        if names != [
            "with_cpu(extract_ngrams>>resizable(sparse_linear))>>with_cpu(logistic)",
            "with_cpu(extract_ngrams>>resizable(sparse_linear))",
            "with_cpu(logistic)",
        ]:
            return None
        extract, linear = top.layers[0].layers[0].layers
        return cls(int(extract.attrs["ngram_size"]), extract.ops.ngrams, linear, top.layers[1].layers[0])

    def counts(self, docs: Sequence[_Tokens]) -> tuple[Any, Any, Any]:
        """extract_ngrams' output for `docs` (none empty): keys (uint64), counts (float32), lengths (int32)."""
        import numpy

        sorted_keys = []
        for doc in docs:
            ids = doc.ids
            keys = numpy.concatenate([ids, *(self.ngrams(n, ids) for n in range(2, self.ngram_size + 1))])
            keys.sort()
            sorted_keys.append(keys)
        sizes = numpy.fromiter(map(len, sorted_keys), dtype=numpy.int64, count=len(sorted_keys))
        every = numpy.concatenate(sorted_keys)
        first = numpy.empty(len(every), dtype=bool)  # a key unlike the one before it, or a message's first
        first[0] = True
        numpy.not_equal(every[1:], every[:-1], out=first[1:])
        starts = numpy.zeros(len(sizes), dtype=numpy.int64)
        numpy.cumsum(sizes[:-1], out=starts[1:])
        first[starts] = True
        at = numpy.flatnonzero(first)
        counts = numpy.diff(numpy.append(at, len(every))).astype("f")
        return every[at], counts, numpy.add.reduceat(first, starts, dtype=numpy.int32)

    def predict(self, docs: Sequence[_Tokens]) -> Any:
        """The scores of `docs` (none empty), as the whole model's predict gives them."""
        return self.output.predict(self.linear.predict(self.counts(docs)))


@dataclass
class IntentModel:
    """A loaded intent pipeline, its request finder and its CV-chosen thresholds. Load once, pass it in."""

    nlp: Language
    thresholds: Thresholds
    finder: RequestFinder
    path: Path
    info: dict[str, Any]
    # word -> the model tokenizer's token ids for it, filled as words are met; None: tokenise whole texts.
    _words: dict[str, list[int]] | None = field(default=None, repr=False)
    # raw word (before model_text's normalisation) -> the same token ids, for classify
    _raw_ids: _WordIds = field(init=False, repr=False)
    # the model's layers after its n-gram extraction, when _Tokens may be fed to them (see _BagOfWords)
    _bow: _BagOfWords | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        if self._words is None and _word_wise(self.nlp):
            self._words = {}
        if self._words is not None:
            self._bow = _BagOfWords.of(self.nlp)
        self._raw_ids = _WordIds(self._raw_word_ids)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Load the pipeline at `path` (tokenizer + textcat only) and the finder with the lemma tables shipped
        beside it; a missing or broken model is a ModelError."""
        path = Path(path)
        fix = "run `run_triage.py train`"
        if not (path / "config.cfg").is_file() or not (path / THRESHOLDS_FILE).is_file():
            raise ModelError(f"intent model not found at {path} (no config.cfg or {THRESHOLDS_FILE}): {fix}")
        try:
            import spacy
            from spacy.util import load_config

            pipeline = list(load_config(path / "config.cfg")["nlp"]["pipeline"])
            nlp = spacy.load(path, exclude=[name for name in pipeline if name != PIPE_NAME])
            info = json.loads((path / THRESHOLDS_FILE).read_text(encoding="utf-8"))
            thresholds = Thresholds.from_dict(info)
            labels = set(_textcat(nlp).labels)
            finder = RequestFinder.load(path / LEMMAS_DIR, LEXICONS)
        except Exception as exc:  # any failure here means the files on disk are unusable
            raise ModelError(f"intent model at {path} is broken ({type(exc).__name__}: {exc}): {fix}") from exc
        if labels != set(INTENT_LABELS):
            raise ModelError(
                f"intent model at {path} has labels {sorted(labels)}, expected {list(INTENT_LABELS)}: {fix}"
            )
        return cls(nlp=nlp, thresholds=thresholds, finder=finder, path=path, info=info)

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels this model was trained on: the intent names a config may refer to."""
        return tuple(_textcat(self.nlp).labels)

    @property
    def review_threshold(self) -> float:
        return self.thresholds.review

    def scores(self, texts: Sequence[str], batch_size: int = 256) -> list[dict[str, float]]:
        """Raw per-label scores of the model alone; texts are normalised with model_text (idempotent) first,
        unless model_text made them already (a ModelText), which saves a second pass over every message.

        Empty texts never reach spaCy: its n-gram extraction fails on an empty doc batched with
        others, and an empty message has nothing to score (all zeros, so it is flagged for review).
        """
        # spaCy takes exact str only; str() of a ModelText is a plain copy, far cheaper than a second pass.
        prepared = [str(t) if type(t) is ModelText else str(model_text("", t)) for t in texts]
        out: list[dict[str, float]] = [dict.fromkeys(INTENT_LABELS, 0.0) for _ in prepared]
        filled = [i for i, t in enumerate(prepared) if t]
        if self._words is None:
            docs = self.nlp.pipe((prepared[i] for i in filled), batch_size=batch_size)
            for i, doc in zip(filled, docs, strict=True):
                out[i] = doc.cats
            return out
        return self._predict([self._tokens(t) for t in prepared], batch_size)

    def _predict(self, tokens: Sequence[_Tokens], batch_size: int) -> list[dict[str, float]]:
        """The model's scores of messages given as _Tokens (all zeros for an empty one, as in scores)."""
        pipe = _textcat(self.nlp)
        labels = pipe.labels
        out: list[dict[str, float]] = [dict.fromkeys(INTENT_LABELS, 0.0) for _ in tokens]
        filled = [i for i, t in enumerate(tokens) if len(t)]
        predict = pipe.model.predict if self._bow is None else self._bow.predict
        for b in range(0, len(filled), batch_size):
            batch = filled[b : b + batch_size]
            scores = predict([tokens[i] for i in batch])
            for i, row in zip(batch, scores.tolist(), strict=True):
                out[i] = dict(zip(labels, row, strict=True))
        return out

    def _raw_tokens(self, words: list[str]) -> _Tokens:
        """_tokens(model_text(...)) straight from model_text's raw words (see _raw_words): each distinct raw
        word is normalised and tokenised once per process, so a message costs one lookup a word."""
        return _Tokens(b"".join(map(self._raw_ids.__getitem__, words)))

    def _raw_word_ids(self, word: str) -> bytes:
        """The token ids of one raw word as uint64 bytes ("" is the space the MAX_CHARS cut may leave at the end:
        none)."""
        if not word:
            return b""
        return self._tokens(_NORMALISED.get(word) or _normalise(word)).ids.tobytes()

    def _tokens(self, text: str) -> _Tokens:
        """The model's tokens of a model_text string, each space-separated word tokenised once per process.

        model_text leaves single spaces between words and spaCy's tokenizer reads each whitespace-separated
        word on its own (checked at load: no special case spans a space), so a word's token ids are the same
        in every message: a dict lookup replaces the tokenizer's per-message pass, its largest cost."""
        words = self._words
        assert words is not None
        ids: list[int] = []
        for word in text.split(" "):
            known = words.get(word)
            if known is None:
                if not word:
                    continue  # a space left at the end by the MAX_CHARS cut
                known = [t.orth for t in self.nlp.tokenizer(word)]
                if len(words) < MAX_CACHED_WORDS:
                    words[word] = known
            ids += known
        return _Tokens(ids)

    def classify(self, mails: Sequence[MailText], batch_size: int = 256) -> list[IntentResult]:
        """Classify (subject, new text) pairs: the model over each text, the finder over its clauses, then
        intents.decide; an intent the model alone found gets the clause that scores highest for it."""
        if self._words is None:
            read = [request_text(subject, new) for subject, new in mails]
            scores = self.scores([text for text, _ in read], batch_size)
            lengths = [len(text.split()) for text, _ in read]
        else:  # the same scores, from the raw words (model_text's string is never built)
            parts = [_read(subject, new) for subject, new in mails]
            words = [_raw_words(f"{subject}\n{body}" if subject else body) for subject, body, _ in parts]
            scores = self._predict([self._raw_tokens(w) for w in words], batch_size)
            read = [("", clauses) for _, _, clauses in parts]
            lengths = [len(w) for w in words]
        out = []
        for (_, clauses), s, n in zip(read, scores, lengths, strict=True):
            result = decide(s, self.finder.find(clauses), self.thresholds, words=n)
            missing = [i for i in result.intents if i != "other" and i not in result.evidence]
            if missing and clauses:
                out.append(replace(result, evidence={**result.evidence, **self._best_clauses(clauses, missing)}))
            else:
                out.append(result)
        return out

    def _best_clauses(self, clauses: Sequence[str], intents: Sequence[str]) -> dict[str, str]:
        """Per intent, the clause the model scores highest for it (only for model-only intents: rare)."""
        per = self.scores(clauses)
        return {i: clauses[max(range(len(clauses)), key=lambda k: per[k][i])].strip() for i in intents}
