"""Prescan: one hyperscan pass finds where each detector could fire, so the Python detectors read only there.

Why: the detectors are regex scans over the whole text (the rewrites of `normalize`, the digit runs and
IBAN check digits of `_find_numbers`, the cue words of `cues`, the "first 8 … last 8" words of
`split_cards`), and each Python scan of a 4 KB mail costs about as much as the whole budget for a
40 MB/s redactor. Hyperscan runs every trigger pattern at once at hundreds of MB/s; the Python
patterns then run only in the windows around its hits.

Why nothing is lost (the correctness argument; tests/test_redact_prescan.py checks it by property):
every trigger pattern is a *superset* of the Python pattern it stands for, and each window is wide
enough that the Python scan inside it sees what a scan of the whole text would see there.

- Rewrites (`normalise`): each rewrite starts at a character the trigger names exactly: a Unicode
  digit, format character, odd space or tab (one character); an entity (`&…;`, from its `&`); a
  `%XX` (3 characters); a line break or `<` after a digit (ASCII or not) and blanks, for a break
  also before a digit after an optional quote prefix. `normalise` visits these candidates in order,
  skipping any inside an earlier rewrite, and runs the same match and checks at each: the full scan
  visits every match position in order the same way, and every match that does not rewrite is one
  character long, so leaving it out changes nothing.
- Numbers (`_find_numbers`): a WIDE_RE run is a chain of at least 12 digits with separators, and its
  first digit follows a non-digit (or the start), else the run would have begun a digit earlier;
  the trigger `(?:^|[^0-9])[0-9](?:SEP?[0-9]){11}` fires there. The window runs from before that
  start (backed up over digits and separators, so no match of the whole-text scan is cut in two) to
  where the digits and separators after the hit end. An IBAN check-digit match lies inside its
  trigger (country letters, check digits and the 10 characters its look-ahead reads). Overlapping
  windows are merged, and inside a window `_NUMBER_RE.finditer(text, start, end)` finds exactly the
  whole-text matches: none crosses a window edge, look-behinds see the text before the window, and
  no match needs to look past its end.
- Cues (`find_cues`): each cue pattern is a trigger with its look-arounds dropped (so it fires more
  often, never less), case-insensitive, `\\s` spelled out as Python's Unicode whitespace. Hits are
  merged when less than `CUE_MARGIN` apart and scanned from the character before (the scanner's
  "before" character) to `CUE_MARGIN` past the end, keeping matches that end inside: the cue
  patterns' look-aheads read at most 48 characters. Any match the truncated scan found is a
  trigger hit too, hence inside a window.
- Masking (a second detection pass blanks findings with U+E000) only removes digits, letters and
  separators, so every match on the masked text is a trigger match on the unmasked text: the windows
  of the clean text serve every pass.

Without hyperscan (no wheel for the platform) or with `disabled()`, `scan` returns None and every
detector scans the whole text, as before the prescan: the slow path, with identical results.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from triage.redact.cards import HALF_WORDS, WIDE_CHARS
from triage.redact.cues import CUE_MARGIN, cue_patterns
from triage.redact.iban import IBAN_TRIGGER
from triage.redact.normalize import ENTITY, FOREIGN_DIGITS, FORMAT_CHARS, PERCENT, SPACES

hyperscan: ModuleType | None
try:  # a native wheel (x86_64 Linux, macOS); elsewhere the whole-text scans run instead
    import hyperscan
except ImportError:  # pragma: no cover - exercised by forcing the fallback in the tests
    hyperscan = None

_NUMBER_BACK = 48  # longer than a trigger match: a non-digit, 12 digits and 11 three-character separators
_IBAN_BACK = 36  # longer than an IBAN trigger match (2 + 1 + 2 + 10 x 3)

# Python's `\s` on str (str.isspace: also the C0 separators \x1c-\x1f, which Unicode's White_Space lacks).
PY_SPACE = "\\t-\\r \\x1c-\\x1f\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
_LOOKAROUND_RE = re.compile(r"\(\?<?[=!]")


def strip_lookarounds(pattern: str) -> str:
    """`pattern` without its look-ahead and look-behind groups: it matches wherever the original does."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif _LOOKAROUND_RE.match(pattern, i):
            depth = 0
            while True:
                c = pattern[i]
                if c == "\\":
                    i += 2
                    continue
                depth += c == "("
                depth -= c == ")"
                i += 1
                if depth == 0:
                    break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def to_hyperscan(pattern: str) -> str:
    """A Python pattern in hyperscan's (PCRE) syntax: `\\s` spelled out, \\uXXXX as \\x{XXXX}."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1]
            if nxt == "s":
                out.append(PY_SPACE if in_class else f"[{PY_SPACE}]")
            elif nxt == "u":
                out.append(f"\\x{{{pattern[i + 2 : i + 6]}}}")
                i += 4
            elif nxt == "U":
                out.append(f"\\x{{{pattern[i + 2 : i + 10]}}}")
                i += 8
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a literal ] first in a class
                out.append("\\]")
                i += 1
        elif c == "]" and in_class:
            in_class = False
            out.append(c)
        elif ord(c) > 0x7F or ord(c) < 0x20:
            out.append(f"\\x{{{ord(c):x}}}")
        else:
            out.append(c)
        i += 1
    return "".join(out)


# Trigger kinds. Cue triggers take the ids from _CUE upward.
_NUMBER, _IBAN, _BREAK, _ENTITY, _PERCENT, _TAG, _HALF, _CHAR, _CUE = range(9)
_ANY_DIGIT = f"(?:[0-9]|[{FOREIGN_DIGITS}])"


def _triggers(hs: ModuleType) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, int]]]:
    """(id, Python-syntax pattern, flags) for the byte-mode database and for the UTF-8 one."""
    f_utf8 = hs.HS_FLAG_UTF8
    f_cue = hs.HS_FLAG_UTF8 | hs.HS_FLAG_CASELESS | hs.HS_FLAG_SOM_LEFTMOST
    # Byte mode for the digit runs: the [^0-9] before a run is much faster to scan for than in UTF-8 mode,
    # and any byte that is not a digit (a UTF-8 continuation byte too) stands for a character that is not.
    sep_bytes = "|".join(
        re.escape(c) if c.isascii() else "".join(f"\\x{b:02x}" for b in c.encode()) for c in WIDE_SEP_CHARS_LIST
    )
    number = rf"(?:^|[^0-9])[0-9](?:(?:[ ]?(?:{sep_bytes})[ ]?|[ ]{{1,3}})?[0-9]){{11}}"
    halves = "|".join(HALF_WORDS)
    by_bytes = [(_NUMBER, number, 0)]
    by_utf8 = [
        (_IBAN, IBAN_TRIGGER, f_utf8),
        (_HALF, halves, f_utf8),
        (_BREAK, rf"{_ANY_DIGIT}[ \t]*\r?\n(?:[ \t]*>)*[ \t]*{_ANY_DIGIT}", f_utf8),
        (_ENTITY, f"&(?:{ENTITY})", f_utf8),
        (_PERCENT, f"%(?:{PERCENT})", f_utf8),
        (_TAG, rf"{_ANY_DIGIT}[ \t]*<", f_utf8),
        (_CHAR, f"[{FOREIGN_DIGITS}{FORMAT_CHARS}{SPACES}]", f_utf8),
    ]
    by_utf8 += [(_CUE + k, strip_lookarounds(p), f_cue) for k, p in enumerate(cue_patterns())]
    return by_bytes, by_utf8


# The separators of a digit run, as single characters (the " - " and double-space forms are built in).
WIDE_SEP_CHARS_LIST = sorted(set(WIDE_CHARS) - {" "})


def _compile(hs: ModuleType, rows: list[tuple[int, str, int]]) -> object:
    db = hs.Database()
    db.compile(
        expressions=[to_hyperscan(p).encode() for _, p, _ in rows],
        ids=[i for i, _, _ in rows],
        elements=len(rows),
        flags=[f for _, _, f in rows],
    )
    return db


_enabled = hyperscan is not None


def available() -> bool:
    """Whether the hyperscan prescan runs (installed and not disabled)."""
    return _enabled


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Run the whole-text scans instead (the path without hyperscan): for tests and the benchmark."""
    global _enabled
    before = _enabled
    _enabled = False
    try:
        yield
    finally:
        _enabled = before


def _databases() -> tuple[object, object] | None:
    """Both databases, compiled once at import (about 0.3 s: a first `redact` call that paid for it
    would be an outlier in every latency a caller measures)."""
    if hyperscan is None:
        return None
    by_bytes, by_utf8 = _triggers(hyperscan)
    return _compile(hyperscan, by_bytes), _compile(hyperscan, by_utf8)


_DBS = _databases()


@dataclass(frozen=True)
class Hits:
    """Where the detectors must look in one text (character offsets)."""

    rewrites: list[int]  # sorted positions where a `normalise` rewrite may start
    numbers: list[tuple[int, int]]  # merged windows for _NUMBER_RE
    cues: list[tuple[int, int]]  # merged cue spans (scan CUE_MARGIN around each)
    halves: bool  # a "first"/"last" word somewhere: split_cards must look


_DIGIT_RUN = frozenset("0123456789" + WIDE_CHARS)


def _char_offsets(data: bytes, offsets: list[int]) -> dict[int, int]:
    """Byte offset -> character offset, for the (sorted, distinct) offsets of one UTF-8 text."""
    out: dict[int, int] = {}
    last_b = last_c = 0
    for b in offsets:
        last_c += len(data[last_b:b].decode("utf-8"))
        last_b = b
        out[b] = last_c
    return out


def scan(text: str) -> Hits | None:
    """The trigger hits of `text`, or None when the prescan is off (then every detector scans it all)."""
    if not _enabled or _DBS is None:
        return None
    by_bytes, by_utf8 = _DBS
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, which hyperscan needs; scan it all
        return None
    found: list[tuple[int, int, int]] = []
    add = found.append

    def on_hit(kind: int, start: int, end: int, flags: int, context: object) -> None:
        add((kind, start, end))

    by_bytes.scan(data, match_event_handler=on_hit)  # type: ignore[attr-defined]
    by_utf8.scan(data, match_event_handler=on_hit)  # type: ignore[attr-defined]
    if len(data) != len(text):
        where = _char_offsets(data, sorted({x for _, s, e in found for x in (s, e)}))
        found = [(k, where[s], where[e]) for k, s, e in found]
    rewrites: list[int] = []
    numbers: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    halves = False
    n = len(text)
    for kind, start, end in found:
        if kind >= _CUE:
            cues.append((start, end))
        elif kind == _NUMBER:
            s = max(0, end - _NUMBER_BACK)
            while s > 0 and text[s - 1] in _DIGIT_RUN:
                s -= 1
            e = end
            while e < n and text[e] in _DIGIT_RUN:
                e += 1
            numbers.append((s, e))
        elif kind == _IBAN:
            s = max(0, end - _IBAN_BACK)
            while s > 0 and text[s - 1] in _DIGIT_RUN:
                s -= 1
            numbers.append((s, end))
        elif kind == _HALF:
            halves = True
        elif kind == _BREAK:
            k = text.rfind("\n", 0, end)
            rewrites.append(k)
            if k and text[k - 1] == "\r":
                rewrites.append(k - 1)
        elif kind == _ENTITY:
            rewrites.append(text.rfind("&", 0, end))
        elif kind == _PERCENT:
            rewrites.append(end - 3)
        else:  # _TAG, _CHAR: the one character before the end
            rewrites.append(end - 1)
    rewrites = sorted(set(rewrites))
    return Hits(rewrites, _merge(numbers, 0), _merge(cues, CUE_MARGIN), halves)


def _merge(spans: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Sorted spans, those overlapping or less than `gap` apart joined."""
    if not spans:
        return []
    spans.sort()
    out = [spans[0]]
    for s, e in spans[1:]:
        ls, le = out[-1]
        if s <= le + gap:
            if e > le:
                out[-1] = (ls, e)
        else:
            out.append((s, e))
    return out
