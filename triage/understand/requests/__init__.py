"""Request finding: per-language lexicons and the phrase matcher that reads a customer's clauses with them."""

from triage.understand.requests.finder import (
    BLOCKED,
    MENTION,
    REQUEST,
    Clauses,
    Hit,
    RequestFinder,
    Title,
    clause_spans,
    is_reply_subject,
    titles,
    words_of,
)
from triage.understand.requests.lexicon import Lexicon
from triage.understand.requests.lexicon_de import LEXICON as DE
from triage.understand.requests.lexicon_en import LEXICON as EN
from triage.understand.requests.lexicon_es import LEXICON as ES
from triage.understand.requests.lexicon_fr import LEXICON as FR

LEXICONS: tuple[Lexicon, ...] = (EN, DE, ES, FR)

__all__ = [
    "BLOCKED",
    "DE",
    "EN",
    "ES",
    "FR",
    "LEXICONS",
    "MENTION",
    "REQUEST",
    "Clauses",
    "Hit",
    "Lexicon",
    "RequestFinder",
    "Title",
    "clause_spans",
    "is_reply_subject",
    "titles",
    "words_of",
]
