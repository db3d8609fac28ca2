"""The text primitives every reader of customer text shares, each defined once.

Index-preserving accent folding, masking (redaction markers, URLs and addresses blanked at the same
length), sentence splitting, the one pattern for redaction markers, and the e-mail and sign-off patterns.
"Index-preserving" is the contract that lets a pattern run on the folded or masked form while its match
positions still slice the original: fold(t)[a:b] == fold(t[a:b]) and len(mask(t)) == len(t).
`TextForms` holds a text's forms computed once, so the extractors of one message share them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# ---------------------------------------------------------------- folding


def _strip_accents(text: str) -> str:
    """Compatibility forms spelled out and every combining mark dropped: the one definition of "no accents"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on demand, so each code point is folded once."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            folded = ch
        else:
            # Compatibility forms may decompose to an upper-case letter ("𝑨" -> "A"): lower it again.
            base = _strip_accents(low).lower()
            folded = base if len(base) == 1 else low
        if len(self) < 65536:  # bounded, whatever text arrives
            self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case without accents, keeping every index: a match in the fold is a slice of the original.

    "Größe" -> "große", "Dirección" -> "direccion"; a letter that has no single-letter base (ß, œ) or
    whose lower case is longer (İ) is only lower-cased, or kept, so the length never changes.
    """
    if text.isascii():  # an ASCII character folds to its lower case
        return text.lower()
    low = text.lower()
    # A letter whose lower case is longer (İ), or a capital sigma (lower() picks σ or ς by context, the
    # table always σ): character by character.
    if len(low) != len(text) or "\u03a3" in text:
        return text.translate(_FOLD)
    # Every letter lowered to one letter, so fold(c) == fold(c.lower()): only the few distinct non-ASCII
    # characters go through the table, each replaced everywhere at once (translating every character, or
    # each non-ASCII run through a regex callback, costs several times more on mostly ASCII text).
    for ch in set(_NON_ASCII_CHAR.findall(low)):
        base = _FOLD[ord(ch)]
        if base != ch:
            low = low.replace(ch, base)
    return low


_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


# The accented lower-case letters of EN/DE/ES/FR text, mapped by the fold table above.
_COMMON_ACCENTED = "àáâãäåèéêëìíîïòóôõöùúûüýÿñç"
_COMMON_BASE = {c: fold(c) for c in _COMMON_ACCENTED}
_COMMON_RE = re.compile(f"[{_COMMON_ACCENTED}]")


def _common_base(m: re.Match[str]) -> str:
    return _COMMON_BASE[m.group()]


def fold_common(text: str) -> str:
    """`fold` of already lower-cased text, restricted to the accented letters of EN/DE/ES/FR.

    The intent model's entry point: it was trained on exactly this, and on mostly ASCII text a
    regex over the few accented letters is about five times faster than translating every character.
    """
    return text if text.isascii() else _COMMON_RE.sub(_common_base, text)


def plain(text: str) -> str:
    """Lower-case without accents, for a scan that needs no offsets: unlike `fold`, the length may change.

    Compatibility forms are spelled out ("ﬁ" -> "fi", "ｃｖｖ" -> "cvv") and lone combining marks
    dropped, so nothing hides a word from a pattern; "ß" becomes "ss".
    """
    return _strip_accents(text.lower().replace("ß", "ss"))


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal word list."""
    return frozenset(text.split())


# ---------------------------------------------------------------- redaction markers

# Every marker triage.redact writes ("[card •••• 1111]", "[cvv removed]", "[iban removed]", ...) and the
# looser forms other tools and older versions wrote ("[Kartennummer entfernt]", "[REDACTED]"): what is
# inside is never a number, a word or a language to read. No brackets or line breaks inside, so one
# marker never swallows text between two.
MARKER = re.compile(r"\[[^\[\]\n]{0,60}?(?:•|removed|redacted|entfernt)[^\[\]\n]{0,60}?\]", re.I)

# ---------------------------------------------------------------- masking

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def blank(text: str, spans: Iterable[tuple[int, int]], fill: str = " ") -> str:
    """`text` with every span overwritten by `fill` (one character), same length so offsets hold.

    Spans may overlap and come in any order.
    """
    parts: list[str] = []
    last = 0
    for s, e in sorted(spans):
        if s < last:
            s = last
        parts.append(text[last:s])
        parts.append(fill * max(0, e - s))
        last = max(last, e)
    parts.append(text[last:])
    return "".join(parts)


def _to_mask(text: str) -> tuple[list[tuple[int, int]], tuple[str, ...]]:
    """The spans `mask` blanks, and the addresses among them."""
    emails = list(EMAIL.finditer(text))
    spans = [m.span() for rx in (MARKER, _URL) for m in rx.finditer(text)] + [m.span() for m in emails]
    return spans, tuple(m.group() for m in emails)


def mask(text: str) -> str:
    """Blank redaction markers, URLs and addresses so their digits are never read as numbers."""
    return blank(text, _to_mask(text)[0])


# ---------------------------------------------------------------- sentences and sign-offs

# Sentence ends, but not the dot after a number ("3. November").
SENTENCES = re.compile(r"(?<=[^\W\d][.!?])\s+|(?<=[)\"'][.!?])\s+|\n\s*\n")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each piece `SENTENCES.split(text)` returns, so a parallel form can be cut the same way."""
    start = 0
    for m in SENTENCES.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


# A closing line ("Best regards,", "Viele Grüße"); what follows it is a name, not text.
SIGNOFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|many)\s+)?(?:regards|wishes|thanks|thank you|cheers|sincerely|best"
    r"|(?:viele|liebe|beste|herzliche)\s+gr(?:ü|ue)(?:ß|ss)e|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|gru(?:ß|ss)"
    r"|danke|lg|mfg|saludos|un saludo|atentamente|gracias|cordialement|bien (?:à|a) vous|merci"
    r"|bisous|amicalement)\b[\s,.!:]*(.*)$",
    re.I,
)

# ---------------------------------------------------------------- one text, its forms computed once


@dataclass(frozen=True)
class TextForms:
    """A text with its folded and masked forms, made once and handed to every extractor.

    All four strings have the same length and line breaks, so an offset found in one indexes all:
    `folded` is fold(text), `masked` is mask(text), `masked_folded` is the fold of the masked text.
    `emails` are the addresses found while masking, in order.
    """

    text: str
    folded: str
    masked: str
    masked_folded: str
    emails: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str) -> TextForms:
        """Fold, find what to mask, and blank it in both forms: one pass of each per text."""
        folded = fold(text)
        spans, emails = _to_mask(text)
        if not spans:
            return cls(text, folded, text, folded)
        return cls(text, folded, blank(text, spans), blank(folded, spans), emails)

    def join(self, other: TextForms) -> TextForms:
        """The forms of `self.text + "\n" + other.text`, without computing them again.

        Exact: no marker, URL or address runs across a line break, and folding is per character.
        """
        return TextForms(
            f"{self.text}\n{other.text}",
            f"{self.folded}\n{other.folded}",
            f"{self.masked}\n{other.masked}",
            f"{self.masked_folded}\n{other.masked_folded}",
            self.emails + other.emails,
        )


def forms(text: str | TextForms) -> TextForms:
    """`text` as TextForms: the public extractors take either a plain string or forms made already."""
    return text if isinstance(text, TextForms) else TextForms.of(text)


# ---------------------------------------------------------------- thread subjects

# Reply and forward prefixes in the languages mail clients write them: Re/AW/SV/RV/VS/Antw (reply),
# Fwd/FW/WG/TR/VB/RV (forward), with an optional count ("Re[2]:", "AW(3):").
_THREAD_PREFIX = re.compile(r"^\s*(?:re|aw|antw|sv|vs|rv|wg|fw|fwd|tr|vb|réf|ref)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*", re.I)


def thread_subject(subject: str | None) -> str:
    """A subject as threading compares it: reply/forward prefixes stripped repeatedly, case and spaces folded."""
    text = " ".join((subject or "").split())
    while True:
        stripped = _THREAD_PREFIX.sub("", text, count=1)
        if stripped == text:
            return text.casefold().strip()
        text = stripped


def body_hash(body: str) -> str:
    """What triage wrote into a draft, as a short hash: the store keeps it, and so does the draft's marker
    header in the Drafts folder, so an agent's edit anywhere shows as a different hash."""
    text = "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
