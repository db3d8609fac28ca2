"""The text the detectors read: every digit in ASCII, invisible characters gone, and a map back to the original.

A hostile or merely copy-pasted mail hides a card number behind characters a reader does not see or
reads as the same: a zero-width space or soft hyphen between groups (also as `&#8203;`), full-width or
Arabic-Indic digits, an ideographic space, a line break (maybe with a "> " quote prefix) in the middle
of the number, `%3D` before it. One pass rewrites only those places and records each rewrite, so a hit
in the clean text maps back to exactly the original span, invisible characters inside it included.
Text with nothing to rewrite (most mail) costs one regex scan and no copy.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

# Unicode format characters (category Cf) as of Python 3.11's Unicode 14; tests/test_redact_normalize.py
# compares this with unicodedata, so a newer Python that adds some fails loudly instead of letting them by.
FORMAT_CHARS: Final = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Non-ASCII decimal digits (Nd, each block 0-9 in order, so unicodedata.decimal maps them), same Unicode.
FOREIGN_DIGITS: Final = (
    "\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
    "\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59"
    "\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f"
    "\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59"
    "\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9"
    "\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00011066-\U0001106f"
    "\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9"
    "\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9"
    "\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011c50-\U00011c59"
    "\U00011d50-\U00011d59\U00011da0-\U00011da9\U00016a60-\U00016a69\U00016ac0-\U00016ac9"
    "\U00016b50-\U00016b59\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9"
    "\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9"
)
# Digits that are not decimal digits (No with a digit value: superscript "³⁶⁷⁰", subscript, circled "④", "⑷", "⒋",
# "❹", Ethiopic), same Unicode: read as the digit they show ("Card ⁴¹¹¹ …", "① ② …"); tests compare with unicodedata.
ODD_DIGITS: Final = (
    "\xb2\xb3\xb9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490"
    "\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43"
    "\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a"
)
# Dashes and hyphens (Pd, and minus-like signs) the digit scans do not read as separators, read as "-" between
# digits ("4279‑1121", U+2011; "6011－9690", U+FF0D); "-", "–", "—", "−" are separators already, and the wave
# dashes of Japanese ranges are left alone.
DASHES: Final = (
    "\u058a\u05be\u1400\u1806\u2010-\u2012\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
    "\ufe31\ufe32\ufe58\ufe63\uff0d\u2796"
)
# Marks that follow a digit without changing it: a keycap emoji "4️⃣" (digit, U+FE0F, U+20E3), variation
# selectors, combining marks ("4̲1̲1̲1̲"). Dropped after a digit only; elsewhere they belong to their letter.
MARKS: Final = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef"
# Unicode spaces (Zs) other than the plain one, and the tab.
SPACES: Final = "\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_FOREIGN_SPACE: Final = frozenset(map(chr, (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)))
ENTITY: Final = (
    r"#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|(?:shy|zwj|zwnj|nbsp|NoBreak|ZeroWidthSpace|thinsp|ensp|emsp|lrm|rlm);"
)
# Percent-encoded punctuation only ("pan%3D4111…"): encoded letters and digits are not a disguise we meet.
PERCENT: Final = r"2[0-9A-Fa-f]|3[A-Fa-f]|5[BbDdFf]|7[B-Eb-e]"
# A line break (maybe with a "> " quote prefix or a list bullet) before a digit; the digit before it is
# checked in _rewrite.
BULLETS: Final = "•◦▪‣∙·⁃"
_BREAK: Final = rf"(?:[ \t]*[>{BULLETS}])*[ \t]*(?=\d)"
# One pattern whose first character is one plain class, so the regex engine skips ahead at C speed: the
# ASCII characters that may start a rewrite, and the non-ASCII blocks that hold a digit, format character
# or space, less the Latin letters, typographic punctuation and currency signs mail is full of (a class
# of many ranges is several times slower to scan); which characters of those matter is a set lookup.
# Markup between two digits ("4111</td><td>1111", "4111<br>\n1111") when `redact` reads raw HTML.
_TAGS: Final = r"/?[A-Za-z][^<>]{0,200}>(?:\s*<[^<>]{1,200}>)*\s*(?=\d)"
_REWRITE_RE: Final = re.compile(
    r"[&%<>\r\n\t~\x80-\xbf\u0250-\u2012\u2015\u2022\u2023\u2043\u202a-\u202f\u205f-\u209f\u20d0-\U0010ffff]"
    rf"(?:(?<=&)(?:{ENTITY})|(?<=%)(?:{PERCENT})|(?<=\r)\n{_BREAK}|(?<=\n){_BREAK}|(?<=<){_TAGS}"
    r"|(?<=[^&%<\r\n]))"
)


def _chars(ranges: str) -> frozenset[str]:
    out: set[str] = set()
    for m in re.finditer(r"(.)(?:-(.))?", ranges, re.DOTALL):
        lo, hi = m.group(1), m.group(2) or m.group(1)
        out.update(map(chr, range(ord(lo), ord(hi) + 1)))
    return frozenset(out)


_DASH_CHARS: Final = _chars(DASHES)
_MARK_CHARS: Final = _chars(MARKS)
RELEVANT: Final = _chars(FOREIGN_DIGITS + ODD_DIGITS + FORMAT_CHARS + SPACES) | _DASH_CHARS | _MARK_CHARS


MARK_RUN: Final = 4  # the most marks passed over after a digit (a keycap has two)


def _before_marks(text: str, k: int) -> int:
    """Where the character at `k` sits once the marks ending there are passed over (a keycap's "4" of "4️⃣")."""
    stop = max(0, k - MARK_RUN)
    while k > stop and text[k] in _MARK_CHARS:
        k -= 1
    return k


def _context_rewrite(text: str, s: int) -> tuple[int, str] | None:
    """A dash or a run of marks at `s` that stands in a number: (where the rewrite ends, what it reads as), or
    None. A dash needs a digit on either side (a blank between allowed), marks a digit right before them (a
    digit in any form: str.isdigit holds exactly for the characters `_rewrite` reads as a digit)."""
    c = text[s]
    if c in _MARK_CHARS:
        if s == 0 or not text[s - 1].isdigit():
            return None
        e = s + 1
        while e < len(text) and text[e] in _MARK_CHARS:
            e += 1
        return e, ""
    b = _before_marks(text, s - 2 if s > 1 and text[s - 1] == " " else s - 1)
    a = s + 2 if s + 2 < len(text) and text[s + 1] == " " else s + 1
    if b < 0 or a >= len(text) or not text[b].isdigit() or not text[a].isdigit():
        return None
    return s + 1, "-"


def _rewrite(piece: str) -> str:
    """What one matched piece reads as: an ASCII digit, nothing, a space, or the decoded character."""
    c = piece[0]
    if c == "&":
        decoded = html.unescape(piece)
        return _rewrite(decoded) if decoded != piece and len(decoded) == 1 else piece
    if c == "%":
        return chr(int(piece[1:], 16))
    if c in "\r\n<":
        return " "  # a line break or markup inside a digit run (the caller checked the digit before)
    d = unicodedata.digit(c, None)
    if d is not None:
        return str(d)
    if unicodedata.category(c) == "Cf":
        return ""
    if c in _FOREIGN_SPACE or c == "\t":
        return " "
    return c


@dataclass(frozen=True)
class Normalised:
    """The clean text and where each rewrite sits: clean [cs, ce) came from original [os, oe)."""

    text: str
    original_length: int
    clean_starts: list[int] = field(default_factory=list)
    clean_ends: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)
    orig_ends: list[int] = field(default_factory=list)

    @property
    def identity(self) -> bool:
        return not self.clean_starts

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of clean [start, end): rewrites at either edge are taken whole."""
        if not self.clean_starts or end <= start:
            return start, end
        return self._orig_start(start), self._orig_end(end)

    def _orig_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.clean_starts, pos) - 1  # the last rewrite starting at or before pos
        if i < 0:
            return pos
        if pos < self.clean_ends[i]:
            return self.orig_starts[i]  # inside a rewrite: all of it
        return pos - self.clean_ends[i] + self.orig_ends[i]  # dropped characters right at pos stay outside

    def _orig_end(self, pos: int) -> int:
        last = pos - 1  # the span's last clean character
        i = bisect.bisect_right(self.clean_starts, last) - 1
        if i < 0:
            return pos
        if last < self.clean_ends[i]:
            return self.orig_ends[i]
        return last - self.clean_ends[i] + self.orig_ends[i] + 1


_CARD_MAX: Final = 19  # the most digits a card number has
_RUN_SEPARATORS: Final = frozenset(" -.")


def _digits_before(text: str, k: int) -> int:
    """How many digits the run of groups ending at text[k] holds (stops counting past a card's length)."""
    n = 0
    while k >= 0 and n <= _CARD_MAX:
        c = text[k]
        if c.isdecimal():
            n += 1
        elif c not in _RUN_SEPARATORS or k == 0 or not text[k - 1].isdecimal():
            break
        k -= 1
    return n


def _digits_after(text: str, k: int) -> int:
    """How many digits the run of groups starting at text[k] holds, its groups set apart by one separator
    throughout ("9300 0000 0000 0000 0000", not "1111 12.03.2026"); stops counting past a card's length."""
    n = 0
    end = len(text)
    sep = ""
    while k < end and n <= _CARD_MAX:
        c = text[k]
        if c.isdecimal():
            n += 1
        elif c not in _RUN_SEPARATORS or k + 1 == end or not text[k + 1].isdecimal() or c != (sep or c):
            break
        else:
            sep = c
        k += 1
    return n


# Symbols, emoji and bullets put between digit groups ("4698👉3792", "5269 • 3567", "4378 ~ 3299"): read as one
# space when at most three of them (with a blank on either side) stand between two digits. Not the dashes and
# signs the digit scans already read as separators or that join numbers in prices and sizes.
_SYMBOL_CATEGORIES: Final = frozenset({"So", "Sm", "Po", "Sk"})
_NOT_SYMBOL: Final = frozenset("–—−×÷±°%‰′″")
_JOINERS: Final = frozenset("\ufe0e\ufe0f\u20e3\u200d")
SYMBOL_RUN: Final = 3


def symbolish(c: str) -> bool:
    """Whether `c` may stand in a run of symbols between digit groups (an emoji's variation selector too)."""
    if c == "~" or c in _JOINERS:
        return True
    return c >= "\x80" and c not in _NOT_SYMBOL and unicodedata.category(c) in _SYMBOL_CATEGORIES


ARROWS: Final = ("->", "=>")  # typed arrows, each one symbol ("5390 -> 4210 -> …")


def _symbol_len(text: str, e: int) -> int:
    """The length of the symbol at `e` (an arrow is two characters), 0 for none."""
    if text.startswith(ARROWS, e):
        return 2
    return 1 if symbolish(text[e]) else 0


def symbol_separator(text: str, s: int, last: int = 0) -> tuple[int, int] | None:
    """The span (blanks around it included) of a run of at most SYMBOL_RUN symbols starting at `s` that stands
    between two digits, or None. `last`: where the previous rewrite ended (the span starts no earlier)."""
    n = len(text)
    e = s
    count = 0
    while e < n and count < SYMBOL_RUN and (k := _symbol_len(text, e)):
        e += k
        count += 1
    if e == s or text[s] in _JOINERS:
        return None
    if e < n and text[e] == " ":
        e += 1
    if e >= n or not text[e].isdigit():  # (isdigit: any digit `_rewrite` reads, "⁴" and "④" too)
        return None
    b = s - 1 if s > 0 and text[s - 1] == " " else s
    if b == 0 or b < last or not text[_before_marks(text, b - 1)].isdigit():
        return None
    return b, e


def normalise(text: str, candidates: list[int] | None = None) -> Normalised:
    """Digits to ASCII, format characters and invisible entities dropped, odd spaces and tabs folded to a
    space, a line break (with its quote prefix) or markup inside a digit run read as a space, `%3D` decoded.

    `candidates`: the sorted positions where a rewrite may start (triage.redact.prescan); only those are
    tried. Without them every match of the rewrite pattern is. The same rewrites either way: the scan
    below visits match positions in order, skipping those inside an earlier rewrite, and a match that
    rewrites nothing is one character long, so it hides nothing from the next.
    """
    cs: list[int] = []
    ce: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    parts: list[str] = []
    last = 0
    clean_len = 0
    for m in _matches(text, candidates):
        s, e = m.span()
        if s < last:
            continue  # inside the previous rewrite
        c = text[s]
        if (c >= "\x80" or c in "~>") and c not in RELEVANT:
            if c == ">":  # an arrow's head: the run starts at its shaft ("5390 -> 4210")
                if not (s and text[s - 1] in "-="):
                    continue
                s -= 1
            run = symbol_separator(text, s, last)  # "4145 🔹 8780", "5269 • 3567", "4378 ~ 3299"
            if run is None:
                continue
            parts.append(text[last : run[0]])
            clean_len += run[0] - last
            cs.append(clean_len)
            ce.append(clean_len + 1)
            os_.append(run[0])
            oe.append(run[1])
            parts.append(" ")
            clean_len += 1
            last = run[1]
            continue
        if c in "\r\n<":
            # Only inside a digit run: a digit before the break (trailing blanks were folded already).
            k = s - 1
            while k >= 0 and text[k] in " \t":
                k -= 1
            if (
                k < 0
                or not text[k].isdecimal()
                or _digits_before(text, k) > _CARD_MAX
                or _digits_after(text, e) > _CARD_MAX
            ):
                # Not markup inside a number (or the number before or after the break is longer than any
                # card, a whole number of its own, as in a list of tracking numbers one per line): read on
                # from the next character, so what the skipped piece held ("<b>٤١١١…") is still rewritten.
                continue
        if c in _DASH_CHARS or c in _MARK_CHARS:
            ctx = _context_rewrite(text, s)  # "4279‑1121", "4️⃣1️⃣"
            if ctx is None:
                continue
            e, new = ctx
            if not new and last < s and text[s - 1].isascii():
                s, new = s - 1, text[s - 1]  # the digit and its marks as one: a marker over the digit takes them
        else:
            new = _rewrite(m.group())
            if new == m.group():
                continue
        parts.append(text[last:s])
        clean_len += s - last
        cs.append(clean_len)
        ce.append(clean_len + len(new))
        os_.append(s)
        oe.append(e)
        parts.append(new)
        clean_len += len(new)
        last = e
    if not cs:
        return Normalised(text, len(text))
    parts.append(text[last:])
    return Normalised("".join(parts), len(text), cs, ce, os_, oe)


def _matches(text: str, candidates: list[int] | None) -> Iterator[re.Match[str]]:
    """Every match of the rewrite pattern, in order (overlapping ones too: the caller skips those inside
    a rewrite), or, given candidates, those starting at a candidate."""
    if candidates is not None:
        match = _REWRITE_RE.match
        for p in candidates:
            m = match(text, p)
            if m is not None:
                yield m
        return
    search = _REWRITE_RE.search
    m = search(text)
    while m is not None:
        yield m
        m = search(text, m.start() + 1)
