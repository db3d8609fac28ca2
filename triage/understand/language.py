"""Which language a customer wrote in (en, de, es or fr), from stopwords alone, so a reply can answer in kind.

Support mail is short and informal, and the four languages share few function
words, so counting the distinctive ones is enough and needs no model. Words the
languages share ("de", "la", "in", "die", "no") are left out on purpose, and a
message with no evidence is English: the templates' fallback.
"""

from __future__ import annotations

import re

from triage.text import MARKER, wordset

LANGUAGES: tuple[str, ...] = ("en", "de", "es", "fr")
DEFAULT = "en"


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": wordset(
        """the and is are were be been have has had you your yours my mine our we they them this that these
        those it its of to for with from at on but not can could would should did do does don't didn't
        i'm i've it's what when where which who how please thanks thank hi hello just already still yet
        want wanted order ordered received got there their here about because if or any some"""
    ),
    "de": wordset(
        """und ist sind war waren bin bist hat habe haben hatte ich sie wir ihr ihre ihren ihrem ihnen mein
        meine meinen meinem mir mich uns unser der das dem den nicht noch schon auch aber oder wenn weil
        dass mit von zu zum zur bei nach für ein eine einen einem einer bitte danke vielen hallo gestern
        heute bestellung bestellt wurde wird werden kann können möchte würde sehr geehrte damen herren
        grüße gruß freundlichen leider"""
    ),
    "es": wordset(
        """el los las del al y son está están estaba fue ha han hice mi mis su sus mío nuestro yo usted
        ustedes nosotros qué por para pero porque cuando como cómo muy ya todavía aún hola gracias
        saludos pedido pedí quiero quisiera puedo pueden sería hacer hecho recibí recibido dirección favor
        buenos buenas días este esta eso una uno unos unas sin también"""
    ),
    "fr": wordset(
        """le les et est sont était suis ai avez avons ont je vous nous il elle ils mon ma mes votre vos notre
        du des au aux pour par avec dans sur mais ou où qui quoi quand comme pas ne plus très déjà
        encore bonjour merci cordialement bonne journée commande commandé reçu adresse voici c'est j'ai je
        suis une cette ce ces sans aussi"""
    ),
}
# Letters only one of the four uses: a cheap tie-breaker for very short texts.
_LETTERS: dict[str, str] = {"ß": "de", "ä": "de", "ö": "de", "ü": "de", "ñ": "es", "¿": "es", "¡": "es"}
_LETTERS.update(dict.fromkeys("çèêëœ", "fr"))

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Redaction markers ("[card •••• 1111]", "[iban removed]") are ours, in English: never evidence.


def language_scores(text: str) -> dict[str, int]:
    """Distinctive stopwords (and letters) per language: the evidence `detect_language` weighs."""
    text = MARKER.sub(" ", text.lower().replace("’", "'"))
    scores = dict.fromkeys(LANGUAGES, 0)
    for word in _WORD.findall(text):
        for lang, words in _STOPWORDS.items():
            if word in words:
                scores[lang] += 1
    for ch, lang in _LETTERS.items():
        if ch in text:
            scores[lang] += 1
    return scores


def detect_language(text: str, default: str = DEFAULT) -> str:
    """The language with the most evidence; `default` when there is none or a tie at the top."""
    return language_of(language_scores(text), default)


def language_of(scores: dict[str, int], default: str = DEFAULT) -> str:
    """`detect_language` for scores counted already, so a caller that looked at them does not count twice."""
    best = max(scores.values())
    leaders = [lang for lang, score in scores.items() if score == best]
    if best == 0 or len(leaders) > 1:
        return default if default in leaders or best == 0 else leaders[0]
    return leaders[0]
