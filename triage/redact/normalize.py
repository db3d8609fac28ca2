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
from dataclasses import dataclass, field

# Unicode format characters (category Cf) as of Python 3.11's Unicode 14; tests/test_redact_normalize.py
# compares this with unicodedata, so a newer Python that adds some fails loudly instead of letting them by.
FORMAT_CHARS = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Non-ASCII decimal digits: `\d` on str patterns is exactly Unicode's Nd, which unicodedata.decimal maps.
_FOREIGN_DIGIT = r"(?![0-9])\d"
# Unicode spaces (Zs) other than the plain one, and the tab.
_SPACES = "\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
# What may stand between the digits of a number broken over lines: the break, trailing blanks, a quote prefix.
_BREAK = r"[ \t]*\r?\n(?:[ \t]*>)*[ \t]*"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|shy|zwj|zwnj|nbsp|NoBreak|ZeroWidthSpace|thinsp|ensp|emsp|lrm|rlm);"
# Percent-encoded punctuation only ("pan%3D4111…"): encoded letters and digits are not a disguise we meet.
_PERCENT = r"%(?:2[0-9A-Fa-f]|3[A-Fa-f]|5[BbDdFf]|7[B-Eb-e])"
_DIGIT_BREAK = rf"(?<=\d){_BREAK}(?=\d)"
_REWRITE_RE = re.compile(rf"{_FOREIGN_DIGIT}|[{FORMAT_CHARS}]+|[{_SPACES}]|{_ENTITY}|{_PERCENT}|{_DIGIT_BREAK}")


def _rewrite(piece: str) -> str:
    """What one matched piece reads as: an ASCII digit, nothing, a space, or the decoded character."""
    c = piece[0]
    if len(piece) == 1 or c not in "&%\n\r \t>":
        if c in "\r\n \t" and len(piece) > 1:
            return " "
        d = unicodedata.decimal(c, None)
        if d is not None:
            return str(d)
        if unicodedata.category(c) == "Cf":
            return ""
        return " "  # tab or an odd space
    if c == "&":
        return _rewrite(html.unescape(piece)) if html.unescape(piece) != piece else piece
    if c == "%":
        return chr(int(piece[1:], 16))
    return " "  # a line break inside a digit run


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


def normalise(text: str) -> Normalised:
    """Digits to ASCII, format characters and invisible entities dropped, odd spaces and tabs folded to a
    space, a line break inside a digit run (with its quote prefix) read as a space, `%3D` decoded."""
    cs: list[int] = []
    ce: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    parts: list[str] = []
    last = 0
    clean_len = 0
    for m in _REWRITE_RE.finditer(text):
        s, e = m.span()
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
