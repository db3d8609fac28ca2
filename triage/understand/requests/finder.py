"""Finds the request clauses of a customer's new text with a phrase matcher over folded lemmas.

The text is cut into clauses (sentences, lines, "but"); each clause's words are folded (triage.text.fold),
elisions and "n't" split off, and mapped through the shipped lemma tables (models/intent/lemmas/*.json),
so "cancelled", "storniert", "cancelen" and "annulez" meet the lexicon's "cancel", "stornieren", "cancelar",
"annuler". The phrases sit in a trie of dicts over lemma strings (_PhraseTrie: spaCy's PhraseMatcher
without building a Doc, held to it by tests/test_finder_equivalence.py), walked clause by clause. Per intent
and clause the result says: a request, a mention, or blocked (negation, policy question, hypothetical,
an object that is not an order), with the clause.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.text import MARKER, fold
from triage.understand.requests.lexicon import Lexicon, split_parts
from triage.understand.requests.tense import cancel_not_asked
from triage.understand.spelling import Speller, load_speller

# A long story keeps its request; a pasted log must not cost more than a few thousand characters.
MAX_TEXT = 4000
MAX_CLAUSE = 400
# How far (in tokens) an object that is not an order may sit from the verb it blocks ("cancel my newsletter").
OBJECT_WINDOW = 2
# An address that is not an order's ("the address saved on my account") is told by the whole clause.
OBJECT_WINDOWS = {"address_fix": 8}
# Something done twice that is not ordering ("le escribí a su chat dos veces", "I called twice") may sit this
# many words before "twice", whatever else the clause names.
OBJECT_LEAD = {"duplicate": 5}
# An object after the verb blocks it anywhere in the verb's object phrase ("cancel my Crafty Club monthly
# box"): up to this many tokens on (intents without their own OBJECT_WINDOWS), stopping at a comma, a number
# or an order word (OBJECT_STOPS).
OBJECT_PHRASE = 5
OBJECT_STOPS = ("order", "orders", "bestellung", "bestellungen", "pedido", "pedidos", "commande", "commandes")
NEGATION_WINDOW = 4
# "bitte nicht zusammenlegen oder stornieren", "please don't merge or cancel them": a negation reaches across one
# verb joined to the term by one of these.
COORDINATORS = frozenset(("oder", "or", "nor", "ou", "ni", "o"))
# How many words may sit between the head and the tail of a split phrase ("nehmt bitte den Wasserkocher aus der
# Bestellung"): a separable verb's object, an adverb or two.
SPLIT_GAP = 6
# A line at least this long that ends without punctuation was wrapped by the mail client.
WRAPPED_LINE = 60

REQUEST, MENTION, BLOCKED = "request", "mention", "blocked"
NOT_AN_ORDER = "not an order"
POLICY = "policy question"
RETRACTABLE = ("cancel", "refund", "address_fix")
# The intent a lexicon's `deliberate` phrases block in the whole message.
DELIBERATE_INTENT = "duplicate"
# The intent a lexicon's `address_book` phrases block when the clause names no order.
ADDRESS_BOOK_INTENT = "address_fix"
# Intents whose term opening a clause is an imperative ("Cancel 2291", "Refund please"); an address noun
# opening a line ("Rue du Rhône 12") is not.
IMPERATIVE = ("cancel", "refund")

# Sentence ends, line breaks, semicolons and the contrastive conjunctions that start a new claim.
# A comma before a new subject ("please cancel it, I don't mind the fee") starts a new claim too.
# Matched on the folded text (no re.I: an ignore-case alternation costs several times more per character).
# Each branch opens with a literal character, so the regex engine skips ahead to one of them (a branch
# opening with a class such as [.!?] would make it try the whole pattern at every character).
_CLAUSE_END = re.compile(
    r"\.[.!?]*(?=\s|$)|![.!?]*(?=\s|$)|\?[.!?]*(?=\s|$)|\n|;"
    r"| (?:but|aber|pero|mais|sondern)(?= )|,(?= (?:i|we|ich|wir|je|yo) )"
)
# The lemmas most frequent in the clauses of our own training mail (models/data/mail, train split), most
# frequent first: the finder anchors a phrase on a rarer word of it (see RequestFinder.anchors). Only a speed
# hint: any list finds the same, a good one skips more clauses unread.
_FREQUENT = (
    "0 the i order it a my and to for you be de on not ich in please me la is can die s cancel have hi of thank one",
    "refund pedir bestellung el no commander en do und que bitte so address je back just hello y der this was le",
    "that send das d go from hallo ist with nicht change sie meinen bonjour want say if es two sich est at delivery",
    "un we has vous mi same still an habe your ll bei fur email now need et wrong sein charge einen pour account ma",
    "hola am merci mir ai only bestellen got twice there j lo as return buy les por pas or last mon noch adresse",
    "about like box all get by card dank den new numb l los si del pay will n stornieren week sorry instead up out",
    "after auf konnen pouvoir",
)
# An order's number: a run of at least four digits (a day, an hour or a price of a general question is shorter).
_ORDER_NUMBER = re.compile(r"\d{4,}")
# Words, and commas as tokens of their own: "Oh no, I need to change the address" keeps "no" out of reach.
_WORD = re.compile(r"[^\W_]+|,")
_DIGITS = re.compile(r"\d+")
_SUBJECT_REPLY = re.compile(
    r"^\s*(?:(?:re|aw|rv|tr|sv|fwd?|wg|r|ref|automatic reply|auto-?reply|out of office|abwesend"
    r"|automatische antwort|respuesta autom[aá]tica|r[ée]ponse automatique)\s*(?:\[\d+\])?\s*:\s*)+",
    re.I,
)


def is_reply_subject(subject: str) -> bool:
    """A reply or forward subject (Re:/AW:/RV:/TR:/SV:/Fwd:/WG:) names an old thread, not today's request."""
    return bool(_SUBJECT_REPLY.match(subject))


def clause_spans(text: str, folded: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank clause of `text` (capped at MAX_TEXT; each clause at MAX_CLAUSE);
    `folded` is fold(text) when the caller has it already.

    A line break after a long line is a soft wrap inside a sentence (mail clients wrap at about 72
    characters), so it does not end a clause; after a short line ("Hi Anna,", a list item) it does."""
    text = text[:MAX_TEXT]
    folded = fold(text) if folded is None else folded[:MAX_TEXT]
    spans: list[tuple[int, int]] = []
    start = 0
    # Where the line before ends: every "\n" is a match of its own (no other branch takes one), in order.
    line_end = -1
    for m in _CLAUSE_END.finditer(folded):
        at, stop = m.span()
        first = folded[at]
        if first == "\n":  # the "\n" branch is one character
            long_line = at - line_end - 1 >= WRAPPED_LINE
            line_end = at
            if long_line:
                continue
            end = at
        elif first in ".!?":
            end = stop
        else:  # ";", "," and " but" end before themselves; the space stays with the clause before
            end = at + (first == " ")
        if end > start and not text[start:end].isspace():  # a clause neither empty nor blank
            spans.append((start, min(end, start + MAX_CLAUSE)))
        start = stop
    if text[start:].strip():
        spans.append((start, min(len(text), start + MAX_CLAUSE)))
    return spans


class Clauses(list[str]):
    """A message's clauses with `folded`, fold("\\x00".join(clauses)), cut from the fold of the whole text
    (fold keeps every index): RequestFinder.find reads it instead of folding the message a second time.
    Made by triage.understand.classify once the list is complete; a changed list needs a new one (find folds
    again when the lengths no longer agree)."""

    __slots__ = ("folded",)

    def __init__(self, clauses: Iterable[str], folded: str) -> None:
        super().__init__(clauses)
        self.folded = folded


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


class Title(str):
    """A clause that names a topic rather than asks: a subject line or a heading-like line of the body. A
    term opening it ("Refund wording that keeps customers", "Erstattung bei Klarna") is no imperative."""

    __slots__ = ()


# A heading: a short line without final punctuation (after an optional "2." or "-"), in a mail of many lines.
HEADING_WORDS = 8
HEADING_MAIL_LINES = 8
_ENUMERATOR = re.compile(r"\s*(?:\d{1,2}[.)]|[-*\u2022#]+)\s*")


def titles(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The clauses of `text` at `spans`, heading-like ones as Title: in a mail of at least HEADING_MAIL_LINES
    non-blank lines (a newsletter, a long story), a clause in a line of at most HEADING_WORDS words that
    starts after a blank line (or the text's start) and ends without punctuation."""
    clauses = [text[a:b] for a, b in spans]
    if len(spans) < 2 or sum(map(bool, map(str.strip, text.splitlines()))) < HEADING_MAIL_LINES:
        return clauses
    heading: dict[int, bool] = {}  # by where a line starts: clauses of one line share its verdict
    for k, (a, _) in enumerate(spans):
        start = text.rfind("\n", 0, a) + 1
        title = heading.get(start)
        if title is None:
            title = heading[start] = _is_heading(text, start)
        if title:
            clauses[k] = Title(clauses[k])
    return clauses


def _is_heading(text: str, start: int) -> bool:
    """Whether the line of `text` at `start` is heading-like (see titles), the cheapest tests first."""
    end = text.find("\n", start)
    line = text[start : len(text) if end < 0 else end]
    tail = line.rstrip()
    if not tail or not tail[-1].isalnum():  # the line's last character is the head's
        return False
    # only after a blank line (the line before, up to its "\n" at start - 1) or at the text's start
    if start > 1 and text[text.rfind("\n", 0, start - 1) + 1 : start - 1].strip():
        return False
    enumerator = _ENUMERATOR.match(line)
    head = line[enumerator.end() if enumerator else 0 :].strip()
    return bool(head) and head[-1].isalnum() and len(head.split()) <= HEADING_WORDS


# bytes.translate table to _WORD's words: an ASCII word character ([^\W_] is str.isalnum) kept, a comma and NUL
# kept, any other ASCII character a space; a byte of a UTF-8 sequence (128-255) kept, so a letter such as ß or
# œ stays whole. Encoding, translating and decoding is several times faster than the regex, and than
# str.translate, which reads a non-ASCII text character by character through a dict.
_BYTE_WORDS = bytes(c if c >= 128 or chr(c).isalnum() or chr(c) in ",\x00" else 32 for c in range(256))


_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


def _message_words(folded: str, clauses: Sequence[str]) -> list[str]:
    """Every clause's words (_WORD) in `folded`, the clauses joined by NUL there, in one list with a "\x00"
    between clauses.

    One pass over the message instead of one per clause: each non-ASCII character that is no word character
    is first made a space (a few distinct ones: quotes, dashes, €, emoji), then the rest goes through
    _BYTE_WORDS and a split. A clause that holds a NUL itself takes the per-clause regex path.
    tests/test_finder_equivalence.py holds every path to the plain regex."""
    if folded.count("\x00") != len(clauses) - 1:
        out: list[str] = []
        start = 0
        for clause in clauses:
            if start:
                out.append("\x00")
            out += _WORD.findall(folded, start, start + len(clause))
            start += len(clause) + 1
        return out
    if not folded.isascii():
        for ch in set(_NON_ASCII_CHAR.findall(folded)):
            if not ch.isalnum():
                folded = folded.replace(ch, " ")
    text = folded.encode().translate(_BYTE_WORDS).decode() if not folded.isascii() else folded.translate(_ASCII_WORDS)
    return text.replace(",", " , ").replace("\x00", " \x00 ").split()


# The same table for str.translate, whose ASCII fast path an all-ASCII text takes.
_ASCII_WORDS = {c: chr(b) for c, b in enumerate(_BYTE_WORDS[:128])}


def _clause_words(folded: str, clauses: Sequence[str]) -> list[list[str]]:
    """_message_words cut into one list a clause (what the equivalence tests compare with the regex)."""
    out: list[list[str]] = [[]] if clauses else []
    for word in _message_words(folded, clauses):
        if word == "\x00":
            out.append([])
        else:
            out[-1].append(word)
    return out


# Spanish glues object pronouns to imperatives and infinitives ("anúlenla", "devuélvanme", "cancelármelo"):
# longest first, so "melo" is tried before "lo".
_CLITICS = (
    "selos",
    "selas",
    "melos",
    "melas",
    "selo",
    "sela",
    "melo",
    "mela",
    "noslo",
    "nosla",
    "nos",
    "les",
    "las",
    "los",
    "me",
    "te",
    "le",
    "la",
    "lo",
    "se",
)


def _clitic_stem(word: str, lemmas: dict[str, str]) -> str | None:
    """The verb form under a Spanish imperative or infinitive with pronouns glued on, when the table knows it
    ("anulenla" -> "anulen"); None for any other word."""
    for clitic in _CLITICS:
        if word.endswith(clitic) and len(word) - len(clitic) >= 4 and (stem := word[: -len(clitic)]) in lemmas:
            return stem
    return None


class _LemmaOf(dict[str, str]):
    """A clause word's lemma for find, read through the speller first ("cancfel" -> "cancel"): digit runs are
    "0", the "nt" split off "n't" is "not", any other word its table lemma or itself. Filled as words are met,
    so a known word costs one C-level lookup for both steps."""

    def __init__(self, lemmas: dict[str, str], speller: Speller) -> None:
        super().__init__()
        self._lemmas = lemmas
        self._speller = speller

    @staticmethod
    def lemma(word: str, lemmas: dict[str, str]) -> str:
        return "0" if word.isdigit() else "not" if word == "nt" else lemmas.get(word, word)

    def __missing__(self, word: str) -> str:
        spelled = self._speller[word]
        lemma = self.lemma(spelled, self._lemmas)
        if spelled not in self._lemmas and (stem := _clitic_stem(spelled, self._lemmas)):
            lemma = self._lemmas[stem]
        if len(self) < MAX_LEMMA_CACHE:  # bounded, whatever text arrives
            self[word] = lemma
        return lemma


MAX_LEMMA_CACHE = 60_000


def load_lemmas(directory: Path, langs: Iterable[str]) -> dict[str, str]:
    """The lemma tables of `langs` merged (the first language listed wins a clash): folded word -> lemma."""
    table: dict[str, str] = {}
    for lang in langs:
        path = Path(directory) / f"{lang}.json"
        for word, lemma in json.loads(path.read_text(encoding="utf-8")).items():
            table.setdefault(word, lemma)
    return table


def words_of(text: str) -> list[str]:
    """The folded words of a text, "n't" and elisions split off, digit runs as "0": the finder's tokens."""
    folded = fold(text).replace("\u2019", "'").replace("n't", " not")
    return [("0" if w.isdigit() else w) for w in _WORD.findall(folded)]


# A trie entry: (the entries of the lemmas that may follow, or None; the labels of the phrase ending here).
_Entry = tuple[dict[str, Any] | None, tuple[str, ...]]


class _PhraseTrie:
    """Phrases of lemmas as a trie of dicts: lemma -> (next lemmas' entries, labels of a phrase ending here).

    What spaCy's PhraseMatcher does over a Doc, on a plain list of lemma strings: at each start a dict
    lookup, so a clause without a phrase's first word costs one miss a word, and no Doc is built."""

    __slots__ = ("root",)

    def __init__(self, phrases: dict[str, frozenset[tuple[str, ...]]]) -> None:
        nested: dict[str | None, Any] = {}
        for key in sorted(phrases):
            for phrase in sorted(phrases[key]):
                node = nested
                for word in phrase:
                    node = node.setdefault(word, {})
                node.setdefault(None, []).append(key)

        def entries(node: dict[str | None, Any]) -> dict[str, _Entry] | None:
            out = {w: (entries(sub), tuple(sub.get(None, ()))) for w, sub in node.items() if w is not None}
            return out or None

        self.root: dict[str, _Entry] = entries(nested) or {}

    def match(self, words: list[str]) -> dict[str, list[tuple[int, int]]]:
        """label -> the (start, end) of each of its phrases in `words`, by start, then end."""
        root = self.root
        found: dict[str, list[tuple[int, int]]] = {}
        n = len(words)
        for i, word in enumerate(words):
            entry = root.get(word)
            if entry is None:
                continue
            j = i + 1
            while True:
                children, ends = entry
                if ends:
                    span = (i, j)
                    for key in ends:
                        if key in found:
                            found[key].append(span)
                        else:
                            found[key] = [span]
                if children is None or j == n:
                    break
                entry = children.get(words[j])
                if entry is None:
                    break
                j += 1
        return found


# The match labels whose phrases make a clause count (see find): the others only qualify these.
ANCHORED = ("term", "strong", "retract", "keep", "idle", "meant", "part")


def _anchors(phrases: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """Words such that every one of `phrases` holds one: a clause whose lemmas hold none matches no phrase.

    A one-word phrase is its own anchor; a longer phrase holding an anchor already needs no other, else it
    adds its rarest word (the least frequent in _FREQUENT, then the longest: "send the two to" -> "two"), so
    common words ("it", "my", "order") open few clauses for nothing."""
    rank = {w: i for i, w in enumerate(" ".join(_FREQUENT).split())}
    rarest = len(rank)
    chosen: set[str] = set()
    for phrase in sorted(set(phrases), key=lambda p: (len(p), p)):
        if chosen.isdisjoint(phrase):
            chosen.add(max(phrase, key=lambda w: (rank.get(w, rarest), len(w))))
    return frozenset(chosen)


@dataclass(frozen=True)
class Hit:
    """What the finder saw for one intent: `kind` (request, mention or blocked) and the clause that says so."""

    intent: str
    kind: str
    clause: str
    why: str = ""
    strong: bool = False  # a request phrase of the lexicon's `strong` list: a request whatever the model says


class RequestFinder:
    """A phrase trie over the lemmas of one or more lexicons; build once, call for every message."""

    def __init__(self, lexicons: Sequence[Lexicon], lemmas: dict[str, str], speller: Speller | None = None) -> None:
        self.lexicons = tuple(lexicons)
        self.lemmas = lemmas
        # A typo of a key word ("cancfel") is read as the key before anything else looks at the words.
        self.speller = speller if speller is not None else Speller(k for lex in lexicons for k in lex.typo_keys)
        self._lemma_of = _LemmaOf(lemmas, self.speller)
        self.intents: tuple[str, ...] = tuple(dict.fromkeys(i for lex in lexicons for i in lex.terms))
        # The match labels of each intent, made once: (term, strong, boost, obj).
        self._keys: dict[str, tuple[str, str, str, str]] = {
            i: (f"term:{i}", f"strong:{i}", f"boost:{i}", f"obj:{i}") for i in self.intents
        }
        self._term_keys = tuple((i, self._keys[i][0], self._keys[i][1]) for i in self.intents)
        groups: dict[str, set[tuple[str, ...]]] = {}
        # (intent, head lemmas, tail lemmas) of every split phrase; their parts are matched under "part".
        self.splits: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []

        def add(key: str, phrases: Iterable[str]) -> None:
            groups.setdefault(key, set()).update(t for t in (tuple(self.lemmatise(p)) for p in phrases) if t)

        for lex in lexicons:
            for intent in lex.terms:
                add(f"term:{intent}", lex.terms[intent])
                add(f"term:{intent}", lex.redirects.get(intent, ()))
                add(f"redirect:{intent}", lex.redirects.get(intent, ()))
                add(f"strong:{intent}", lex.strong.get(intent, ()))
                add(f"boost:{intent}", lex.boosters.get(intent, ()))
                add(f"obj:{intent}", lex.objects.get(intent, ()))
            add("frame", lex.frames)
            add("retract", lex.retractions)
            add("keep", lex.keeps)
            add("policy", lex.policy)
            add("general", lex.general)
            add("own", lex.own)
            for intent, phrases in lex.split.items():
                for phrase in phrases:
                    head, tail = (tuple(self.lemmatise(part)) for part in split_parts(phrase))
                    self.splits.append((intent, head, tail))
                    groups.setdefault("part", set()).update((head, tail))
            add("hypo", lex.hypothetical)
            add("book", lex.address_book)
            add("idle", lex.nothing_pending)
            add("meant", lex.deliberate)
        self.splits = list(dict.fromkeys(self.splits))
        self.negations = {w for lex in lexicons for p in lex.negations for w in self.lemmatise(p)}
        self.post_negations = {w for lex in lexicons for p in lex.post_negations for w in self.lemmatise(p)}
        self.stops = {",", "0", *(w for p in OBJECT_STOPS for w in self.lemmatise(p))}
        self.minds = frozenset(w for lex in lexicons for p in lex.minds for w in self.lemmatise(p))
        self.order_words = self.stops - {","}
        self.gap = {w for lex in lexicons for p in lex.negation_gap for w in self.lemmatise(p)}
        # The phrases a clause must hold for find to judge it: a clause with none of their anchors is skipped.
        self.anchors = _anchors(p for key, phrases in groups.items() if key.split(":")[0] in ANCHORED for p in phrases)
        # The phrases of each match label, as lemma tuples (what the matcher finds; tests rebuild it from these).
        self.phrases: dict[str, frozenset[tuple[str, ...]]] = {k: frozenset(v) for k, v in groups.items()}
        self._trie = _PhraseTrie(self.phrases)

    @classmethod
    def load(cls, directory: Path, lexicons: Sequence[Lexicon]) -> RequestFinder:
        """The finder for `lexicons` with the lemma tables shipped in `directory` (one JSON file a language)."""
        keys = (k for lex in lexicons for k in lex.typo_keys)
        return cls(lexicons, load_lemmas(directory, [lex.lang for lex in lexicons]), load_speller(directory, keys))

    def lemmatise(self, text: str) -> list[str]:
        """The lemmas of a text's words (see words_of); a word the tables do not know is its own lemma."""
        lemmas = self.lemmas
        return [
            lemmas[w] if w in lemmas else lemmas[stem] if (stem := _clitic_stem(w, lemmas)) else w
            for w in words_of(text)
        ]

    def find(self, clauses: Sequence[str]) -> dict[str, Hit]:
        """Per intent, the strongest finding over the clauses: a request beats a block beats a mention.

        A retraction anywhere ("ignore my last email", "actually, I'll keep it") blocks cancel and refund
        everywhere: it takes back what an earlier mail, or an earlier clause, asked. An item kept ("I'll keep
        it", "je le garde") takes back its own clause's request and, when nothing is asked, an earlier mail's."""
        # Per matched clause: its lemmas and its matches (label -> spans, positions within the clause).
        per: dict[int, tuple[list[str], dict[str, list[tuple[int, int]]]]] = {}
        at: dict[int, int] = {}  # where each matched clause starts in `folded`
        retracted: int | None = None  # the last clause with a retraction, and where its last one ends
        retract_end = 0
        kept: int | None = None  # the last clause saying an item is kept, and where that ends
        kept_end = 0
        prev_lem: list[str] = []  # the lemmas of the clause before
        anchors, match = self.anchors, self._match
        # One fold for the whole message; "n't" -> " nt" keeps every length, so clauses stay aligned.
        folded = clauses.folded if type(clauses) is Clauses else ""
        if len(folded) != sum(map(len, clauses)) + len(clauses) - 1:  # not made by classify, or changed since
            folded = fold("\x00".join(clauses))
        if not folded.isascii():
            folded = folded.replace("\u2019", "'").replace("\u2013", ",").replace("\u2014", ",")
        # A dash between words or a semicolon parts a sentence as a comma does (same lengths, clauses align).
        folded = folded.replace("n't", " nt").replace(" - ", " , ").replace(";", ",")
        if "[" in folded:  # a redaction marker's words are ours, not the customer's ("[cvv removed]")
            folded = MARKER.sub(_blank, folded)
        # Every word of the message read (spelled, lemmatised) at once; "\x00" between clauses is its own lemma.
        lemmas = [*map(self._lemma_of.__getitem__, _message_words(folded, clauses))]
        start = 0
        starts: list[int] = []  # where each clause starts in `folded`
        first = 0  # where the clause's lemmas start in `lemmas`
        last = len(clauses) - 1
        for i, clause in enumerate(clauses):
            end = lemmas.index("\x00", first) if i < last else len(lemmas)
            lem = lemmas[first:end]
            first = end + 1
            clause_start = start
            starts.append(start)
            start += len(clause) + 1
            # Most clauses hold no word a term or retraction needs: they are never matched.
            if anchors.isdisjoint(lem):
                prev_lem = lem
                continue
            keys = match(lem)
            if "part" in keys:
                keys = self._join(lem, keys)
            if not keys:
                prev_lem = lem
                continue
            per[i] = (lem, keys)
            at[i] = clause_start
            if "retract" in keys:
                retracted, retract_end = i, keys["retract"][-1][1]
            if "keep" in keys:
                kept, kept_end = i, keys["keep"][-1][1]
                # After a change of mind ("actually", "finalement", "al final", in this clause or the one
                # before) an item kept takes back what came before it, as a retraction does.
                if not self.minds.isdisjoint(lem[: keys["keep"][-1][0]]) or not self.minds.isdisjoint(prev_lem):
                    retracted, retract_end = i, kept_end
            prev_lem = lem
        if not per:
            return {}
        found: dict[str, Hit] = {}
        not_orders: set[str] = set()  # intents some clause blocked as not an order or a policy question
        unnamed: dict[str, bool] = {}  # whether found[intent]'s clause names no order (nor has a comma)
        no_order: dict[str, bool] = {}  # whether found[intent]'s clause names no order
        rank = {MENTION: 1, BLOCKED: 2, REQUEST: 3}
        for c, (words, keys) in per.items():
            for intent, term_key, strong_key in self._term_keys:
                if term_key not in keys and strong_key not in keys:
                    continue
                title = isinstance(clauses[c], Title)
                question = title and clauses[c].rstrip().endswith("?")
                named = "general" in keys and ("own" in keys or bool(_ORDER_NUMBER.search(clauses[c])))
                hit = self._judge(intent, keys, words, (0, len(words)), title, question, named)
                if hit is None:
                    continue
                kind, why, strong = hit
                # A threat's condition may sit in the clause before ("si elle n'arrive pas vendredi, | je l'annule").
                before = starts[c - 1] if c else at[c]
                if intent == "cancel" and (
                    not_asked := cancel_not_asked(folded, at[c], at[c] + len(clauses[c]), before)
                ):
                    kind, why, strong = BLOCKED, not_asked, False
                # A retraction takes back what came before it and what its own clause merely mentions;
                # a request after it ("scratch that, please cancel it altogether") stands.
                if (
                    retracted is not None
                    and intent in RETRACTABLE
                    and kind != BLOCKED
                    and (
                        c < retracted
                        or (
                            c == retracted
                            and (kind != REQUEST or not self._after_break(intent, keys, words, retract_end))
                        )
                    )
                ):
                    kind, why = BLOCKED, "retraction"
                # "I'll keep it" takes back only what its own clause says: another clause's request is about
                # another item ("refund the corkscrew; the stopper I keep").
                if (
                    c == kept
                    and intent in RETRACTABLE
                    and kind != BLOCKED
                    and (kind != REQUEST or not self._after_break(intent, keys, words, kept_end))
                ):
                    kind, why = BLOCKED, "retraction"
                if kind == BLOCKED and why in (NOT_AN_ORDER, POLICY):
                    not_orders.add(intent)
                old = found.get(intent)
                if old is None or (rank[kind], strong) > (rank[old.kind], old.strong):
                    found[intent] = Hit(intent, kind, clauses[c].strip(), why, strong and kind == REQUEST)
                    unnamed[intent] = self.stops.isdisjoint(words)
                    no_order[intent] = self.order_words.isdisjoint(words)
        # An address given in one clause ("New address: 7 Larch Walk") for an address another clause put on
        # the account or asked about in general ("update the address saved on my account for future
        # orders") is no order's: unless the clause names an order (a number, "order"), the block wins.
        for intent in not_orders & set(OBJECT_WINDOWS):
            best = found[intent]
            if best.kind == REQUEST and unnamed[intent]:
                found[intent] = Hit(intent, MENTION, best.clause)
        # "I don't have anything on order at the moment": a request in a clause that names no order is a
        # question about how things work, not one about an order of theirs.
        if any("idle" in keys for _, keys in per.values()):
            for intent, best in list(found.items()):
                if best.kind == REQUEST and intent in RETRACTABLE and no_order[intent]:
                    found[intent] = Hit(intent, MENTION, best.clause)
        # "I ordered it twice on purpose, one is a gift": no duplicate, whatever else the message says.
        # "nicht mit Absicht", "not on purpose": a negated purpose is an accident, no block.
        if DELIBERATE_INTENT in found and any(self._on_purpose(words, keys) for words, keys in per.values()):
            found[DELIBERATE_INTENT] = Hit(DELIBERATE_INTENT, BLOCKED, found[DELIBERATE_INTENT].clause, "on purpose")
        # A retraction, or an item kept, with nothing asked: it takes back what an earlier mail asked.
        said = retracted if retracted is not None else kept
        if said is not None:
            for intent in RETRACTABLE:
                if intent not in found or found[intent].kind == MENTION:
                    found[intent] = Hit(intent, BLOCKED, clauses[said].strip(), "retraction")
        return found

    def _join(self, words: list[str], keys: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
        """`keys` with each split phrase found in a clause (its head, then its tail within SPLIT_GAP words, no
        comma or negation between) added to its intent's strong spans, as one span from head to tail; a new
        dict, so the matcher's own result stays as it found it."""
        parts = keys["part"]
        keys = {k: list(v) for k, v in keys.items()}
        for intent, head, tail in self.splits:
            m = len(tail)
            for s, e in parts:
                if tuple(words[s:e]) != head:
                    continue
                for ts, te in parts:
                    if (
                        e <= ts <= e + SPLIT_GAP
                        and te - ts == m
                        and tuple(words[ts:te]) == tail
                        and "," not in words[e:ts]
                        and self.negations.isdisjoint(words[e:ts])
                    ):
                        spans = keys.setdefault(f"strong:{intent}", [])
                        spans.append((s, te))
                        spans.sort()
                        break
        return keys

    def _match(self, lemmas: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Every phrase of every label found in one clause's lemmas: label -> (start, end) spans, each label's
        in the order spaCy's PhraseMatcher gives (by start, then end). tests/test_finder_equivalence.py holds
        this to the PhraseMatcher on the whole training mail."""
        return self._trie.match(lemmas)

    def _judge(
        self,
        intent: str,
        keys: dict[str, list[tuple[int, int]]],
        words: list[str],
        bounds: tuple[int, int],
        title: bool = False,
        question: bool = False,
        named: bool = False,
    ) -> tuple[str, str, bool] | None:
        """One clause's finding for one intent (kind, why, strong), or None when the clause does not mention it.

        A title that is a question ("Address change?", "Adresse nachträglich ändern?") names a topic to ask
        about: only a strong phrase makes it a request ("Can I still cancel?"). `named`: the clause names the
        writer's own order (its number, "meine Bestellung"), so an impersonal question is about that order."""
        term_key, strong_key, boost_key, obj_key = self._keys[intent]
        strong = keys.get(strong_key, [])
        # A term inside a strong phrase is judged with the phrase (an object next to the phrase blocks both).
        terms = keys.get(term_key, [])
        if strong:
            terms = strong + [t for t in terms if not any(a <= t[0] and t[1] <= b for a, b in strong)]
        if not terms:
            return None
        if "policy" in keys and self._about(intent, keys["policy"], keys):
            return BLOCKED, POLICY, False
        if "general" in keys and not named and self._about(intent, keys["general"], keys):
            return BLOCKED, POLICY, False
        if "hypo" in keys and not strong:  # "please cancel if it hasn't left yet" is a conditional request
            return BLOCKED, "hypothetical", False
        if (
            intent == ADDRESS_BOOK_INTENT
            and "book" in keys
            and self.order_words.isdisjoint(words[bounds[0] : bounds[1]])
            and any(b0 < e and s < b1 for b0, b1 in keys["book"] for s, e in terms)
        ):  # "where can I add a second delivery address?": the address book, no order named
            return BLOCKED, NOT_AN_ORDER, False
        objects = keys.get(obj_key, [])
        window = OBJECT_WINDOWS.get(intent, OBJECT_WINDOW)
        if "0" in words[bounds[0] : bounds[1]]:  # a clause naming an order number is about that order
            window = OBJECT_WINDOW
        lead = max(window, OBJECT_LEAD.get(intent, 0))
        # An address's object ("the new address I saved in my account") keeps its own window (OBJECT_WINDOWS).
        phrase = intent not in OBJECT_WINDOWS
        live = []
        for s, e in terms:
            # An object next to the verb blocks it; across a comma it belongs to another clause of the
            # sentence ("ignore my last email, please cancel order 5512"), except for an address's object.
            if objects and any(
                os - window <= e and oe >= s - lead and not (phrase and oe <= s and "," in words[oe:s])
                for os, oe in objects
            ):
                continue
            if (
                objects
                and phrase
                and any(e <= os <= e + OBJECT_PHRASE and self.stops.isdisjoint(words[e:os]) for os, _ in objects)
            ):
                continue
            if self._negated(s, e, strong, words, bounds):
                continue
            live.append((s, e))
        if not live:
            return BLOCKED, "negated" if not objects else NOT_AN_ORDER, False
        # A strong phrase, a booster in the clause, a request frame around a verb (an address or a
        # "twice" under "please" is no request by itself), or the verb opening it ("Cancel 2291").
        if any(span in strong for span in live):
            return REQUEST, "", True
        if question:
            return MENTION, "", False
        if boost_key in keys or ("frame" in keys and (intent in IMPERATIVE or f"redirect:{intent}" in keys)):
            return REQUEST, "", False
        opens = intent in IMPERATIVE and min(s for s, _ in live) == bounds[0] and not title
        return (REQUEST, "", False) if opens else (MENTION, "", False)

    def _about(self, intent: str, spans: list[tuple[int, int]], keys: dict[str, list[tuple[int, int]]]) -> bool:
        """Whether a clause's policy or fee phrases block `intent`. A phrase that names an intent ("refund
        policy", "cancellation fee") is about that intent only, and so is a phrase inside it ("policy" in
        "refund policy"): "what is your refund policy, please cancel my order" keeps cancel. A phrase that
        names none ("if i pre-order", "in general") frames the whole clause and blocks every intent in it."""
        terms = {i: keys.get(self._keys[i][0], []) + keys.get(self._keys[i][1], []) for i in self.intents}
        owners: dict[tuple[int, int], set[str]] = {
            p: {i for i, found in terms.items() if any(t0 < p[1] and p[0] < t1 for t0, t1 in found)} for p in spans
        }
        for p in spans:
            if not owners[p]:
                for q in spans:
                    if q != p and q[0] <= p[0] and p[1] <= q[1]:
                        owners[p] |= owners[q]
        return any(not owned or intent in owned for owned in owners.values())

    def _after_break(self, intent: str, keys: dict[str, list[tuple[int, int]]], words: list[str], end: int) -> bool:
        """Whether the intent's request in a retraction's clause is a new one: it starts after the retraction,
        past a comma ("scratch that, please cancel it altogether"). Without one it is what the retraction
        names ("vergessen Sie meine Mail wegen der Stornierung")."""
        first = self._first(intent, keys)
        return first >= end and "," in words[end:first]

    @staticmethod
    def _first(intent: str, keys: dict[str, list[tuple[int, int]]]) -> int:
        """Where the intent's first term or strong phrase starts in a clause."""
        return min(s for k in (f"term:{intent}", f"strong:{intent}") for s, _ in keys.get(k, []))

    def _on_purpose(self, words: list[str], keys: dict[str, list[tuple[int, int]]]) -> bool:
        """Whether a clause says an order was placed twice on purpose: a "meant" phrase that no negation
        takes back, itself or a longer phrase around it ("nicht *mit Absicht*" also covers "Absicht")."""
        spans = keys.get("meant", [])
        negated = [(s, e) for s, e in spans if self._negated(s, e, [], words, (0, len(words)))]
        return any(not any(a <= s and e <= b for a, b in negated) for s, e in spans)

    def _negated(
        self, s: int, e: int, strong: list[tuple[int, int]], words: list[str], bounds: tuple[int, int]
    ) -> bool:
        """A negation before the term (only gap words between) or a post-negation right after it.

        A negation inside a strong phrase covering the term is part of the request ("don't ship it",
        "noch keine Erstattung"), and "haven't received my refund" is not negated: "receive" is no gap word."""
        lo, hi = s, e
        for a, b in strong:
            if a <= s and e <= b:
                lo, hi = min(lo, a), max(hi, b)
        i = lo - 1
        joined = False  # one word already crossed because a coordinator joins it to the term
        while i >= bounds[0] and lo - i <= NEGATION_WINDOW:
            w = words[i]
            if w in self.negations:
                return True
            if w not in self.gap and w not in COORDINATORS:
                if joined or i + 1 >= lo or words[i + 1] not in COORDINATORS:
                    break
                joined = True
            i -= 1
        j = hi
        while j < bounds[1] and j - hi < NEGATION_WINDOW:
            w = words[j]
            if w in self.post_negations:
                return True
            if w not in self.gap:
                break
            j += 1
        return False
