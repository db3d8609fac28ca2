"""Cuts the lemma tables the request finder ships from spaCy's `spacy-lookups-data` (a build-time source).

Only entries whose lemma is a word of the lexicons are kept: the finder compares lemmas with lexicon
lemmas, so any other entry could never change a match, and the shipped files stay small. Keys and
lemmas are folded (triage.text.fold) like the text the finder reads. The same tables, whole, tell which
real words sit within a typo's reach of a key word (triage.understand.spelling): that list ships too.
Rebuild with `python -m triage.model.lemmas` (writes models/intent/lemmas/{en,de,es,fr}.json and
not_typos.json).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from triage.errors import ModelError
from triage.resources import MODEL, bundled
from triage.text import fold
from triage.understand.requests import LEXICONS, Lexicon, words_of
from triage.understand.spelling import NOT_TYPOS_FILE, not_typos

DEFAULT_OUT = bundled(MODEL) / "lemmas"  # beside the shipped model that reads them
# Words the lookup tables miss or that "n't" splitting leaves behind ("won't" -> "wo not").
# "dont" typed without its apostrophe is the negation; the table would make it "do", and "please do cancel"
# would then read as a negated request.
# German "meiner" is "sich" in the table, as "euch" and "uns" are: "bei meiner Bestellung" must name the writer's
# own order (Lexicon.own), and "euch Bestellungen" must not.
EXTRA = {
    "en": {"wo": "will", "ca": "can", "ll": "will", "d": "would", "dont": "not"},
    "de": {"meiner": "mein"},
}


def _source(lang: str) -> dict[str, str]:
    try:
        import spacy_lookups_data
    except ImportError as exc:
        raise ModelError("spacy-lookups-data is needed to build the lemma tables: pip install -e '.[test]'") from exc
    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw: dict[str, str] = json.load(fh)  # (a few values are lists)
    return raw


def _pairs(lang: str) -> Iterator[tuple[str, str]]:
    """`lang`'s whole lookup table, folded: (word, lemma) in the table's order."""
    for word, lemma in _source(lang).items():
        if isinstance(lemma, list):  # a few entries list several lemmas: the first is the usual one
            lemma = lemma[0] if lemma else word
        yield fold(str(word)), fold(str(lemma))


def cut(lang: str, lexicons: tuple[Lexicon, ...] = LEXICONS) -> dict[str, str]:
    """The folded entries of `lang`'s lookup table whose lemma is a word of any lexicon (sorted, no identities)."""
    full: dict[str, str] = {}
    for w, lem in _pairs(lang):
        if " " in w or " " in lem or w == lem:
            continue
        full.setdefault(w, lem)
    full.update(EXTRA.get(lang, {}))
    words = {w for lex in lexicons for w in words_of(" ".join(_phrases(lex)))}
    own = {w for lex in lexicons if lex.lang == lang for w in words_of(" ".join(_phrases(lex)))}
    # Another language's lexicon words are fixed points, and so are this language's short ones: the
    # tables are merged at run time, and Spanish "no" -> "numero" or "a" -> "angstrom" would otherwise
    # rewrite every English "no" and "a". This language's longer words keep their lemma ("refunded").
    keep = {w: lem for w, lem in full.items() if w not in words or (w in own and len(w) > 3)}
    vocab = {keep.get(w, w) for w in words}
    table = {w: lem for w, lem in keep.items() if lem in vocab}
    # The lexicon's own words are written down as themselves when they are lemmas, so a table merged
    # after this one cannot remap them.
    table.update({w: w for w in own if w in vocab and w not in table and len(w) > 1})
    return dict(sorted(table.items()))


def _phrases(lex: Lexicon) -> list[str]:
    return sorted(lex.words())


def real_words(langs: tuple[str, ...] = ("en", "de", "es", "fr")) -> set[str]:
    """Every folded word and lemma of the languages' whole tables: the words a typo fix must leave alone."""
    words: set[str] = set()
    for lang in langs:
        for w, lem in _pairs(lang):
            words.update(x for x in (w, lem) if " " not in x)
    return words


def build(out_dir: Path = DEFAULT_OUT) -> dict[str, int]:
    """Write one table a language and the not-typo list to out_dir; returns the entry counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for lex in LEXICONS:
        table = cut(lex.lang)
        _write(out_dir / f"{lex.lang}.json", table)
        counts[lex.lang] = len(table)
    listed = not_typos((k for lex in LEXICONS for k in lex.typo_keys), real_words())
    _write(out_dir / NOT_TYPOS_FILE, listed)
    counts["not_typos"] = len(listed)
    return counts


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    print(build())
