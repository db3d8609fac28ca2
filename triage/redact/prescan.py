"""Prescan: hyperscan finds where each detector could fire, so the Python detectors read only there.

Why: the detectors are regex scans over the whole text (the rewrites of `normalize`, the digit runs and
IBAN check digits of `_find_numbers`, the cue words of `cues`, the "first 8 … last 8" words of
`split_cards`), and each Python scan of a 4 KB mail costs about as much as the whole budget for a
40 MB/s redactor. Hyperscan runs every trigger pattern at once (two databases: the rewrite triggers,
read on the original text, and the detector triggers, read on the clean text `normalise` makes); the
Python patterns then run only in the windows around its hits. All the same trigger patterns as one
compiled Python regex scan at under 1 MB/s (bench/bench_redact.py prints both), so a pure-Python
prescan is no design.

Hyperscan reads bytes; it is given the text's *shadow*, one byte per character (Latin-1 as itself, any
other character as "?"), so its offsets are character offsets, and each trigger class that must match
a character beyond Latin-1 (a non-ASCII digit, a Kelvin sign lower-casing to "k") holds "?".

Why nothing is lost (the correctness argument; tests/test_redact_prescan.py checks it by property):
every trigger pattern is a *superset* of the Python pattern it stands for, and each window is wide
enough that the Python scan inside it sees what a scan of the whole text would see there.

- Rewrites (`normalise`): each rewrite starts at a character the trigger names exactly: a Unicode
  digit, format character, odd space or tab (one character); an entity (`&…;`, from its `&`); a
  `%XX` (3 characters); a line break or `<` after a digit (ASCII or not) and blanks, for a break
  also before a digit after an optional quote prefix. `normalise` visits these candidates in order,
  skipping any inside an earlier rewrite, and runs the same match and checks at each: the full scan
  visits every match position in order the same way, and every match that does not rewrite is one
  character long, so leaving it out changes nothing. (A character hit on the shadow's SUB is kept only
  when the character is one of RELEVANT: `normalise` passes over every other one.)
- Numbers (`_find_numbers`): a WIDE_RE run is a chain of at least 12 digits with separators, and its
  first digit follows a non-digit (or the start), else the run would have begun a digit earlier. A card
  needs 12 digits of one such chain; with exactly 12 the chain is the card, and only Maestro (50, 56-69:
  the issuer table's only 12-digit prefixes) comes that short. So the triggers are
  `(?:^|[^0-9])[0-9](?:SEP{0,3}[0-9]){12}` and the same 12 digits long starting 50/56-69: a 12-digit
  phone number ("+44 20 8507 1748") opens no window. The window is the whole stretch of digits and
  separators around the hit's last digit: a WIDE_RE run holds nothing else, so the run whose 13th digit
  (or 12th) the hit ended on lies inside it whole, and no match of the whole-text scan is cut in two. (A
  separator class in the trigger may read a SUB for a character that is none, "€"; such a hit ends in
  some stretch of digits all the same, and a real run has its own hit.) An IBAN check-digit match lies
  inside its trigger (country letters, check digits and the 10 characters its look-ahead reads; the
  trigger also wants no ASCII letter before the code, as the look-behind does, see `iban_trigger`);
  those where `iban_may_start` says neither `iban_at` nor `iban_shape` can find anything are dropped (a
  lower-case code without an IBAN word before it whose text does not fit the country's BBAN structure:
  "at 94107 San Francisco"), and the rest are widened like a digit run. A stretch of 20 to 128 digits
  and nothing else (a tracking number) opens no window: only an IBAN can start it, and that has its own
  trigger (see `_LONG_RUNS`). Overlapping windows are merged, and inside a window
  `_NUMBER_RE.finditer(text, start, end)` (found faster as `triage.redact.number_spans`) finds exactly
  the whole-text matches: none crosses a window edge, look-behinds see the text before the window, and
  no match needs to look past its end.
- Cues (`find_cues`): each cue pattern is a trigger with its look-arounds dropped (so it fires more
  often, never less), each letter matching every character `str.lower()` turns into it, `\\s` spelled
  out as Python's Unicode whitespace, and followed by what the scanner's CUE_END allows (no letter; a
  cue ending the text has no value: see `_cue_trigger`, also for why a masked later pass loses nothing).
  Hits are merged when less than `CUE_MARGIN` apart and scanned from the character before (the scanner's
  "before" character) to `CUE_MARGIN` past the end, keeping matches that end inside: the cue patterns'
  look-aheads read at most 48 characters. Any match the truncated scan found is a trigger hit too, hence
  inside a window.
- "first"/"last" words (`split_cards`): the same literal words; it is tried only where they start.
- Masking (a second detection pass blanks findings with U+E000) only removes digits, letters and
  separators, and the triggers leave out what may stand before a match (a look-behind, the cue scanner's
  "before" character; the IBAN trigger's "no letter before" is the one kept), so every match on the
  masked text is a trigger match on the unmasked text (for a cue, every one that can yield a value: see
  `_cue_trigger`): the windows of the clean text serve every pass. The two exceptions, a finding ending
  in a letter glued to another (a letter masked before an IBAN code) and one cutting a digit run (a
  128-character token ending inside a long number), make the later passes read the whole text
  (`triage.redact._glued`).

Without hyperscan (no wheel for the platform) or with `disabled()`, `scan` and `rewrites` return None
and every detector scans the whole text, as before the prescan: the slow path, with identical results.
The databases are built on first use, from a cache file in the user's cache directory when one matches
(see `_load_or_compile`): importing the package costs no compile, and a fresh process loads them in
milliseconds instead of compiling for about 0.1 s.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import os
import platform
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Final

from triage.redact.cards import FIRST_WORDS, LAST_WORDS, WIDE_CHARS
from triage.redact.cues import CUE_MARGIN, cue_patterns, cue_rows_ending_text
from triage.redact.iban import IBAN_COUNTRIES, iban_may_start, iban_trigger
from triage.redact.normalize import BULLETS, ENTITY, MARK_RUN, PERCENT, RELEVANT, SYMBOL_RUN, symbolish
from triage.redact.spelled import DIGIT_WORDS, GLUED_AND, TENS_WORDS, TRIGGER_WORDS, WORD_SEPARATORS
from triage.redact.spelled import SEPARATORS as SPELL_SEPARATORS

# Imported by name so that a build without hyperscan installed (mypyc's, in pip's isolated build
# environment) type-checks the same as one with it.
hyperscan: ModuleType | None
try:  # a native wheel (x86_64 Linux, macOS); elsewhere the whole-text scans run instead
    hyperscan = importlib.import_module("hyperscan")
except ImportError:  # pragma: no cover - exercised by forcing the fallback in the tests
    hyperscan = None


_LOOKAROUND_RE: Final = re.compile(r"\(\?<?[=!]")


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


# The shadow of a text: one byte per character, so hyperscan's offsets are character offsets. Latin-1
# characters stand for themselves; every other character is "?" (the encoder's own replacement, at C
# speed), which the triggers accept wherever such a character could stand in the Python pattern (a
# non-ASCII digit, a Kelvin sign read as "k"). A real "?" there only widens a window.
SUB: Final = "?"


def shadow(text: str) -> bytes:
    """`text` with one byte per character: Latin-1 as is, anything else "?"."""
    return text.encode("latin-1", "replace")


def _byte(c: str) -> str:
    """The shadow byte of character `c`, escaped for a hyperscan class."""
    return f"\\x{ord(c) if ord(c) < 256 else ord(SUB):02x}"


def _bytes_class(chars: Iterable[str]) -> str:
    return "[" + "".join(sorted({_byte(c) for c in chars})) + "]"


# Python's `\\s` on str (str.isspace); characters that are whitespace have no case.
_PY_SPACE: Final = {chr(c) for c in range(0x3001) if chr(c).isspace()}
# Every character that lower() turns into a given one (what a lower-case pattern letter reads in text.lower()).


@functools.cache
def _upper_of() -> dict[str, frozenset[str]]:
    """Every character that lower() turns into a given one (what a lower-case pattern letter reads in
    text.lower()); built when the triggers are, not at import."""
    out: dict[str, set[str]] = {}
    for c in map(chr, range(0x10000)):
        low = c.lower()
        if len(low) == 1 and low != c:
            out.setdefault(low, set()).add(c)
    return {k: frozenset(v) for k, v in out.items()}


def _folds(c: str) -> set[str]:
    """The characters `c` matches in text.lower() (itself, and all that lower-case to it)."""
    if c.lower() != c:  # an upper-case letter in a pattern matches nothing in lower-cased text
        return set()
    return {c} | _upper_of().get(c, frozenset())


def shadow_pattern(pattern: str, *, fold: bool) -> str:
    """A Python pattern (literals, classes, `\\s`, groups, quantifiers: what the trigger tables use) as a
    hyperscan pattern over the shadow; `fold`: a lower-case pattern read against text.lower(), so each
    letter also matches the characters that lower-case to it. Raises on syntax it does not know."""
    out: list[str] = []
    i = 0
    n = len(pattern)

    def chars_of(c: str) -> set[str]:
        return _folds(c) if fold else {c}

    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1]
            if nxt == "s":
                out.append(_bytes_class(_PY_SPACE))
            elif nxt in ".#-/'\"()[]{}?*+|^$\\":
                out.append(_bytes_class({nxt}))
            else:
                raise ValueError(f"shadow_pattern: unsupported escape \\{nxt} in {pattern!r}")
            i += 2
        elif c == "[":
            members: set[str] = set()
            i += 1
            if pattern[i] == "^":
                raise ValueError(f"shadow_pattern: negated class in {pattern!r}")
            while pattern[i] != "]":
                if pattern[i] == "\\":
                    if pattern[i + 1] == "s":
                        members |= _PY_SPACE
                    else:
                        members |= chars_of(pattern[i + 1])
                    i += 2
                elif pattern[i + 1] == "-" and pattern[i + 2] != "]":
                    for k in range(ord(pattern[i]), ord(pattern[i + 2]) + 1):
                        members |= chars_of(chr(k))
                    i += 3
                else:
                    members |= chars_of(pattern[i])
                    i += 1
            out.append(_bytes_class(members))
            i += 1
        elif c in "()?:*+|{},":
            out.append(c)
            i += 1
        elif c.isdigit() and out and (out[-1] in "{," or out[-1].isdigit()):
            out.append(c)  # a quantifier's bound
            i += 1
        else:
            out.append(_bytes_class(chars_of(c)))
            i += 1
    return "".join(out)


# Trigger kinds; the ids of "first" words start at _FIRST, of "last" words at _LAST, of cue patterns at _CUE.

# (One Final constant each: compiled by mypyc, a Final int is inlined, a plain global is a dict look-up.)
_NUMBER: Final = 0
_IBAN: Final = 1
_BREAK: Final = 2
_ENTITY: Final = 3
_PERCENT: Final = 4
_TAG: Final = 5
_CHAR: Final = 6
_SPELL: Final = 7
_SAID: Final = 9  # two number words side by side (spelled.said_cards)
_FIRST: Final = 100
_LAST: Final = 200
_CUE: Final = 1000
_SYM: Final = 8  # a run of symbols between digit groups (normalize.symbol_separator)
_WORD_LEN: Final = {_FIRST + k: len(w) for k, w in enumerate(FIRST_WORDS)} | {
    _LAST + k: len(w) for k, w in enumerate(LAST_WORDS)
}


def _triggers(hs: ModuleType) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, int]]]:
    """(id, hyperscan pattern over the shadow, flags) of every trigger: those of `normalise`'s rewrites (read on
    the original text) and those of the detectors (read on the clean text). Each is a superset of its
    Python pattern: a SUB in a class stands for any character beyond Latin-1 that the Python class holds."""
    sub = _byte(SUB)
    # An ASCII digit or any other (FOREIGN_DIGITS are all beyond Latin-1; of ODD_DIGITS, "²", "³", "¹" are not).
    digit = f"[0-9{sub}\\xb2\\xb3\\xb9]"
    seps = "".join(sorted({_byte(c) for c in WIDE_CHARS}))
    rewrites = [
        (_BREAK, rf"{digit}[ \t]*\r?\n(?:[ \t]*[>{''.join(_byte(c) for c in BULLETS)}])*[ \t]*{digit}", 0),
        (_ENTITY, f"&(?:{ENTITY})", 0),
        (_PERCENT, f"%(?:{PERCENT})", 0),
        (_TAG, rf"{digit}[ \t]*<", 0),
        (_CHAR, _bytes_class(RELEVANT), 0),
        # A superset of normalize.symbol_separator: every character beyond Latin-1 is SUB, so the class holds it.
        # (An arrow "->", "=>" is one symbol of two characters; a keycap's marks may end the digit before.)
        (_SYM, rf"{digit}{sub}{{0,{MARK_RUN}}} ?(?:{_symbols()}|[-=]>){{1,{SYMBOL_RUN}}} ?{digit}", 0),
    ]
    som = hs.HS_FLAG_SOM_LEFTMOST
    detectors = [
        # A separator of a digit run is at most 3 characters (" - ", three spaces).
        # 13 digits; or 12 with a prefix of the only schemes 12 digits long (Maestro: 50, 56-69).
        (_NUMBER, rf"(?:^|[^0-9])[0-9](?:[{seps}]{{0,3}}[0-9]){{12}}", 0),
        (_NUMBER, rf"(?:^|[^0-9])(?:5[{seps}]{{0,3}}[06-9]|6[{seps}]{{0,3}}[0-9])(?:[{seps}]{{0,3}}[0-9]){{10}}", 0),
        *((_FIRST + k, shadow_pattern(re.escape(w), fold=False), 0) for k, w in enumerate(FIRST_WORDS)),
        *((_LAST + k, shadow_pattern(re.escape(w), fold=False), 0) for k, w in enumerate(LAST_WORDS)),
        # The start of an IBAN's country code or of a cue is where its window begins. (An IBAN trigger's
        # end has one start: the tail after the check digits holds exactly 10 letters or digits.)
        (_IBAN, iban_trigger(), som),
        # A written digit next to a digit word, either way round ("1111 one", "vier 1111"), with at most 3
        # separators between, the word not inside a longer one: a superset of spelled.meets (any case; an
        # ASCII letter bounds the word, while meets stops at any letter, so this fires wherever meets does).
        (_SPELL, rf"{digit}{_SPELL_SEP}{{0,3}}(?:{_spelled_words()})(?:[^a-zA-Z]|$)", 0),
        (_SPELL, rf"(?:^|[^a-zA-Z])(?:{_spelled_words()}){_SPELL_SEP}{{0,3}}{digit}", 0),
        # Two number words side by side: a superset of spelled.word_runs (caseless; the words' non-ASCII letters
        # as classes of both cases; one or more words glued before the separator, the first of the next after it).
        (_SAID, _said_trigger(), hs.HS_FLAG_CASELESS),
        *(
            (_CUE + k, _cue_trigger(p, at_end=e), som)
            for k, (p, e) in enumerate(zip(cue_patterns(), cue_rows_ending_text(), strict=True))
        ),
    ]
    return rewrites, detectors


_SPELL_SEP: Final = _bytes_class(SPELL_SEPARATORS)


def _spelled_words() -> str:
    """The digit words of `spelled` as one hyperscan alternation over the shadow, any case."""
    return "|".join(shadow_pattern(re.escape(w), fold=True) for w in sorted(DIGIT_WORDS))


def _said_trigger() -> str:
    """The trigger of spelled.said_cards over the shadow, read with HS_FLAG_CASELESS (one class per letter, as
    shadow_pattern writes, would make it longer than hyperscan takes)."""

    def word(w: str) -> str:
        return "".join(
            c if c.isascii() and c.isalpha() else _bytes_class({c, c.upper()} if len(c.upper()) == 1 else {c})
            for c in w
        )

    glued = "|".join(word(w) for w in GLUED_AND)
    tens = "|".join(word(w) for w in TENS_WORDS)
    words = "|".join(word(w) for w in TRIGGER_WORDS) + f"|(?:{glued})(?:{tens})"
    return f"(?:{words})+{_bytes_class(WORD_SEPARATORS)}{{1,3}}(?:{words})"


def _latin1_class(keep: Callable[[str], bool]) -> str:
    """A hyperscan class over the shadow: the Latin-1 characters `keep` accepts, and SUB, which stands for every
    character beyond Latin-1 (both classes below hold "?" itself, so SUB is in them as the character it is)."""
    chars = {c for c in map(chr, range(256)) if keep(c)}
    assert SUB in chars
    return _bytes_class(chars)


def _symbols() -> str:
    return _latin1_class(_symbol_or_sub)


def _symbol_or_sub(c: str) -> bool:
    return c == SUB or symbolish(c)


_LETTER_RE: Final = re.compile(r"[^\W\d_]")  # what CUE_END forbids right after a cue


@functools.cache
def _cue_end() -> str:
    """The hyperscan class of what may stand right after a cue (CUE_END: anything but a letter)."""
    return _latin1_class(lambda c: _LETTER_RE.fullmatch(c) is None)


def _cue_trigger(pattern: str, *, at_end: bool = False) -> str:
    """A cue row's trigger: the row without its look-arounds (so it fires more often, never less), ended as the
    scanner ends every cue (CUE_END): a character after it that is no letter. A cue word inside a longer word
    ("expéditeur", "important", "shopping") then opens no window. A cue at the very end of the text opens
    none either: the value patterns in `secrets` read a value after their cue, and there is none. (`$` in
    the trigger would find it, at a quarter more scan time for all cue triggers.) The exception, `at_end`:
    the password rows, whose value may stand before the cue ("Sunshine99 is my password"), also fire there.

    Only the end: the character before a cue is left out, as for every trigger, because masking a finding
    can put a CUE_BEFORE character (U+E000) there on a later pass ("…1111cvv 123"). Masking can also put
    U+E000 right after a cue where a letter stood ("kontoDE89…" once the IBAN is gone), so the later pass may
    see a cue this trigger did not fire on; but no value pattern in `secrets` accepts U+E000 as the first
    character after a cue, so such a cue yields nothing either way."""
    end = f"(?:{_cue_end()}|$)" if at_end else _cue_end()
    return f"(?:{shadow_pattern(strip_lookarounds(pattern), fold=True)}){end}"


def _compile(hs: ModuleType, rows: list[tuple[int, str, int]]) -> object:
    db = hs.Database()
    db.compile(
        expressions=[p.encode() for _, p, _ in rows],
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


# Both databases, built on first use (`_databases`): a process that never redacts (`triage queue`, the web
# server until mail arrives) pays nothing, and one that does reads them from a cache file.
_DBS: tuple[object, object] | None = None
_DBS_LOCK: Final = threading.Lock()
_CACHE_MAGIC: Final = b"triage-prescan-1\n"


def _databases() -> tuple[object, object]:
    """Both databases (rewrite triggers, detector triggers), built once per process on first use."""
    global _DBS
    if _DBS is None:
        with _DBS_LOCK:
            if _DBS is None:
                _DBS = _load_or_compile()
    return _DBS


def cache_path(key: str) -> Path:
    """Where the compiled databases for trigger set `key` are kept: the user's cache directory (XDG)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "triage" / f"prescan-{key}.hsdb"


def _load_or_compile() -> tuple[object, object]:
    """The databases from the cache file when it holds exactly these triggers for this hyperscan, else
    compiled (about 0.1 s) and written there for the next process. The file is named by a hash of the
    patterns, ids, flags, hyperscan's version and the machine, and its content carries a SHA-256: a stale,
    foreign, truncated or corrupt file is never loaded, only replaced; a cache directory that cannot be
    written (read-only home) costs a compile per process, nothing more."""
    assert hyperscan is not None
    rewrites, detectors = _triggers(hyperscan)
    ident = repr((hyperscan.__version__, platform.machine(), rewrites, detectors)).encode()
    path = cache_path(hashlib.sha256(ident).hexdigest()[:32])
    loaded = _read_cache(path)
    if loaded is not None:
        return loaded
    dbs = _compile(hyperscan, rewrites), _compile(hyperscan, detectors)
    _write_cache(path, hyperscan.dumpb(dbs[0]), hyperscan.dumpb(dbs[1]))
    return dbs


def _read_cache(path: Path) -> tuple[object, object] | None:
    assert hyperscan is not None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_CACHE_MAGIC)
    if len(data) < head + 40 or not data.startswith(_CACHE_MAGIC):
        return None
    digest, body = data[head : head + 32], data[head + 32 :]
    if hashlib.sha256(body).digest() != digest:
        return None
    first = int.from_bytes(body[:8], "big")
    try:
        return (
            hyperscan.loadb(body[8 : 8 + first], hyperscan.HS_MODE_BLOCK),
            hyperscan.loadb(body[8 + first :], hyperscan.HS_MODE_BLOCK),
        )
    except Exception:  # hyperscan.error and friends: a database this build cannot read; compile instead
        return None


def _write_cache(path: Path, rewrites: bytes, detectors: bytes) -> None:
    body = len(rewrites).to_bytes(8, "big") + rewrites + detectors
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as f:
            tmp = f.name
            f.write(_CACHE_MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)  # atomic: a process reading at the same time sees no file or a whole one
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@dataclass(frozen=True)
class Hits:
    """Where the detectors must look in one text (character offsets)."""

    numbers: list[tuple[int, int]]  # merged windows for _NUMBER_RE
    cues: list[tuple[int, int]]  # merged cue spans (scan CUE_MARGIN around each)
    firsts: list[int]  # where a "first" word of split_cards starts
    lasts: list[int]  # where a "last" word starts
    spells: list[int] = field(default_factory=list)  # where a digit meets a digit word (in it, or just after)
    said: list[int] = field(default_factory=list)  # where two number words side by side end


_RUN_CHARS: Final = frozenset("0123456789" + WIDE_CHARS)
_RUN_RE: Final = re.compile(f"[{re.escape(''.join(sorted(_RUN_CHARS)))}]*")


# _LONG_RUNS: a stretch of 20 to 128 digits and nothing else, but separators at either end ("Tracking
# 9148420558532425670306."), opens no number window. _find_numbers reads it as one run longer than any
# card, where only an IBAN's check digits at its start can lead anywhere, and those need letters right
# before them, where the IBAN trigger fires and opens its own window (or `iban_may_start` proved it leads
# nowhere). A later, masked pass could see a part of it as a shorter run only if a finding cut the run;
# every value pattern takes a digit run whole or not at all, but a token (capped at 128 characters) can end
# inside one, and then `triage.redact._find_all` reads the whole text on the later passes (see `_glued`).
_LONGEST_CARD: Final = 19
_TOKEN_CAP: Final = 128
_SEPARATORS: Final = "".join(sorted(set(WIDE_CHARS)))

_THREAD = threading.local()


def _scratch(which: int) -> object:
    """This thread's scratch space for database `which`: hyperscan refuses a scratch another scan is using
    (the web server's thread and the run loop both redact), so each thread has its own."""
    scratches = getattr(_THREAD, "scratches", None)
    if scratches is None:
        assert hyperscan is not None
        scratches = _THREAD.scratches = tuple(hyperscan.Scratch(db) for db in _databases())
    return scratches[which]


def _hits(which: int, data: bytes) -> list[tuple[int, int, int]]:
    found: list[tuple[int, int, int]] = []
    add = found.append

    def on_hit(kind: int, start: int, end: int, flags: int, context: object) -> None:
        add((kind, start, end))

    _databases()[which].scan(data, match_event_handler=on_hit, scratch=_scratch(which))  # type: ignore[attr-defined]
    return found


def rewrites(text: str, data: bytes | None = None) -> list[int] | None:
    """Sorted positions where a `normalise` rewrite may start, or None when the prescan is off; `data`: the
    text's shadow, if the caller has it."""
    if not _enabled:
        return None
    out: list[int] = []
    for kind, _, end in _hits(0, shadow(text) if data is None else data):
        if kind == _BREAK:
            k = text.rfind("\n", 0, end)
            out.append(k)
            if k and text[k - 1] == "\r":
                out.append(k - 1)
        elif kind == _ENTITY:
            out.append(text.rfind("&", 0, end))
        elif kind == _PERCENT:
            out.append(end - 3)
        elif kind == _TAG:  # the character before the end
            out.append(end - 1)
        elif kind == _SYM:  # every symbol of the run: `normalise` tries each, the first one rewrites
            lo = max(0, end - 2 - 2 * SYMBOL_RUN - 1)  # (an arrow's head stands for its run: see normalise)
            out.extend(i for i in range(lo, end - 1) if symbolish(text[i]) or (text[i] == ">" and text[i - 1] in "-="))
        elif text[end - 1] in RELEVANT:  # _CHAR: a SUB also stands for "€", "“", an emoji, and "?" is itself;
            out.append(end - 1)  # `normalise` passes over any character not in RELEVANT, so it is no candidate
    return sorted(set(out))


def scan(text: str, data: bytes | None = None) -> Hits | None:
    """Where the detectors must look in (clean) `text`, or None when the prescan is off (then they read it all);
    `data`: the text's shadow, if the caller has it."""
    if not _enabled:
        return None
    numbers: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    firsts: list[int] = []
    lasts: list[int] = []
    spells: list[int] = []
    said: list[int] = []
    run_end = _RUN_RE.match
    covered = -1  # hits arrive in order of their ends; one inside the last number window adds nothing
    for kind, start, end in _hits(1, shadow(text) if data is None else data):
        if kind >= _CUE:
            cues.append((start, end))
        elif kind == _NUMBER:
            if end <= covered:
                continue
            s = _run_start(text, end)
            covered = run_end(text, end).end()  # type: ignore[union-attr]
            digits = text[s:covered].strip(_SEPARATORS) if covered - s > _LONGEST_CARD else ""
            if _LONGEST_CARD < len(digits) <= _TOKEN_CAP and digits.isdigit():
                continue  # one unbroken number longer than a card (a tracking number): see _LONG_RUNS
            numbers.append((s, covered))
        elif kind == _IBAN:
            if start or not _ascii_letter(text[0]):
                start += 1  # the hit starts with the character before the country code
            # (the first test inline: most hits are after letters that are no country's code: "at 1135…")
            if text[start : start + 2].upper() in IBAN_COUNTRIES and iban_may_start(text, start):
                numbers.append((_run_start(text, start), end))
        elif kind == _SPELL:
            spells.append(end - 1)
        elif kind == _SAID:
            said.append(end)
        elif kind >= _LAST:
            lasts.append(end - _WORD_LEN[kind])
        else:  # a "first" word
            firsts.append(end - _WORD_LEN[kind])
    return Hits(_merge(numbers, 0), _merge(cues, CUE_MARGIN), firsts, lasts, sorted(set(spells)), sorted(set(said)))


_RUN_STR: Final = "".join(sorted(_RUN_CHARS))


def _run_start(text: str, end: int) -> int:
    """Where the stretch of digits and separators ending at `end` starts (rstrip walks it back in C)."""
    lo = max(0, end - 64)
    s = lo + len(text[lo:end].rstrip(_RUN_STR))
    while s == lo and lo:
        lo = max(0, lo - 1024)
        s = lo + len(text[lo:end].rstrip(_RUN_STR))
    return s


def _ascii_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


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
