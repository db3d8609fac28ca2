"""The MIME walk of a parsed message (bounded in parts and depth) and the decoding of its text parts.

The defect list and the text cleaning it needs are shared with the header code in triage.mail.parse.
"""

from __future__ import annotations

import binascii
import codecs
import quopri
import re
import unicodedata
from email.header import decode_header, make_header
from email.message import Message

from triage.mail.html_text import MAX_HTML_CHARS, html_to_text
from triage.records import Attachment

MAX_TEXT_CHARS = 256 * 1024  # readable text kept per message
MAX_DEPTH = 30  # MIME nesting walked
MAX_PARTS = 500  # MIME parts walked
MAX_DEFECTS = 50
_MAX_TEXT_BYTES = MAX_HTML_CHARS * 2  # bytes of one text part worth decoding (HTML needs the most)

# The transfer encodings `Message.get_payload(decode=True)` decodes itself.
_STDLIB_CTE = frozenset({"quoted-printable", "base64", "x-uuencode", "uuencode", "uue", "x-uue"})
_ASCII_BYTES = bytes(range(128))
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_UU_BEGIN = re.compile(r"^begin [0-7]{3,4} (\S[^\n]*)$", re.MULTILINE)
_UU_END = re.compile(r"^end[ \t]*$", re.MULTILINE)
_UU_LINE = re.compile(r"[ -`]{0,62}[ \t]*")
# Labels that mean "Western 8-bit" in practice; like browsers, read them as Windows-1252.
_WESTERN = frozenset({"ascii", "iso8859-1", "cp1252"})
# Labels mail software writes that Python does not know, or means the Windows superset of
# (as browsers read them: WHATWG Encoding), mapped to the codec that reads them best.
_CHARSET_ALIASES = {
    **dict.fromkeys(("ks_c_5601-1987", "ks_c_5601", "euc-kr"), "cp949"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk"), "gb18030"),
    "big5": "big5hkscs",
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j"), "cp932"),
    "iso-8859-8-i": "iso-8859-8",
    **dict.fromkeys(("windows-874", "tis-620"), "cp874"),
    **dict.fromkeys(("x-mac-roman", "macintosh"), "mac_roman"),
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
    **dict.fromkeys(("unknown-8bit", "x-unknown", "unknown", "default"), ""),
}


class Defects:
    """Problem descriptions in order of discovery, without repeats, capped."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, text: str) -> None:
        if len(self._seen) < MAX_DEFECTS:
            self._seen.setdefault(text, None)

    def add_from(self, obj: object) -> None:
        for defect in getattr(obj, "defects", ()) or ():
            self.add(type(defect).__name__)

    def items(self) -> tuple[str, ...]:
        return tuple(self._seen)


def fallback_decode(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def unsurrogate(text: str) -> str:
    """Undo the parser's surrogateescape of 8-bit header bytes: utf-8 if it is, else Windows-1252."""
    if _SURROGATE_RE.search(text) is None:
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def clean(text: str) -> str:
    """No lone surrogates (they cannot be stored or encoded) and no NUL characters."""
    if _SURROGATE_RE.search(text) is not None:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.replace("\x00", "")


def one_line(text: str) -> str:
    """Header text as one line a person can trust: what `clean` does, and no line breaks, tabs or
    other control characters (an encoded CR/LF must not forge a second header line in a display),
    no format characters (zero-width, bidi overrides that reverse what follows), whitespace runs
    folded to one space."""
    text = clean(text)
    if not text.isprintable():  # only then is there anything besides plain spaces to fold or drop
        text = "".join(
            " " if c.isspace() or unicodedata.category(c) == "Cc" else c
            for c in text
            if unicodedata.category(c) != "Cf"
        )
    return " ".join(text.split())


def _raw_header(msg: Message, name: str) -> str | None:
    try:
        for key, value in msg.raw_items():
            if key.lower() == name:
                return str(value)
    except Exception:
        return None
    return None


# -- body --------------------------------------------------------------------

_BODY, _FALLBACK, _OTHER = 0, 1, 2  # roles of a part: the chosen text, a fallback alternative, neither


class Body:
    """Walks the MIME tree within bounds, collecting body text and attachment facts."""

    def __init__(self, defects: Defects) -> None:
        self.defects = defects
        self.plain: list[str] = []
        self.html: list[str] = []
        self.fallback_html: list[str] = []
        self.attachments: list[Attachment] = []
        self.chars = 0
        self.html_chars = 0

    def walk(self, root: Message) -> None:
        stack: list[tuple[Message, int, int]] = [(root, 0, _BODY)]
        parts = 0
        while stack:
            part, depth, role = stack.pop()
            parts += 1
            if parts > MAX_PARTS:
                self.defects.add(f"more than {MAX_PARTS} MIME parts: the rest not read")
                return
            if depth > MAX_DEPTH:
                self.defects.add(f"MIME nesting deeper than {MAX_DEPTH}: deeper parts not read")
                continue
            if part is not root:
                self.defects.add_from(part)
            ctype = _content_type(part)
            if ctype.startswith("message/"):  # enclosed mail, delivery reports: facts only
                self._attachment(part, ctype)
                continue
            payload = part.get_payload()
            if isinstance(payload, list):
                children = [c for c in payload if isinstance(c, Message)]
                roles = _child_roles(ctype, children, role)
                stack.extend((c, depth + 1, r) for c, r in zip(reversed(children), reversed(roles), strict=True))
                continue
            self._leaf(part, ctype, role, root=part is root)

    def _leaf(self, part: Message, ctype: str, role: int, *, root: bool) -> None:
        attached = _disposition(part) == "attachment" and not root
        if ctype == "text/plain" and not attached:
            if role == _BODY:
                self._add_text(self.plain, _strip_uuencoded(_decode_text(part, self.defects), self.attachments))
        elif ctype == "text/html" and not attached:
            if role in (_BODY, _FALLBACK):
                self._add_html(self.html if role == _BODY else self.fallback_html, _decode_text(part, self.defects))
        elif ctype.startswith("multipart/") and not attached:
            # A multipart without a usable boundary: its raw text is the best body there is.
            if role == _BODY:
                self._add_text(self.plain, _decode_text(part, self.defects))
        else:
            self._attachment(part, ctype)

    def _add_text(self, into: list[str], text: str) -> None:
        room = MAX_TEXT_CHARS - self.chars
        if room <= 0:
            self.defects.add(f"text longer than {MAX_TEXT_CHARS} characters: truncated")
            return
        if len(text) > room:
            self.defects.add(f"text longer than {MAX_TEXT_CHARS} characters: truncated")
            text = text[:room]
        into.append(text)
        self.chars += len(text)

    def _add_html(self, into: list[str], html: str) -> None:
        """Markup has its own, larger cap: the text cap applies to what it converts to."""
        room = MAX_HTML_CHARS - self.html_chars
        if len(html) > room:
            self.defects.add(f"HTML longer than {MAX_HTML_CHARS} characters: truncated")
            html = html[: max(room, 0)]
        into.append(html)
        self.html_chars += len(html)

    def _attachment(self, part: Message, ctype: str) -> None:
        self.attachments.append(Attachment(filename=_filename(part), content_type=ctype, size=_decoded_size(part)))

    def text(self) -> tuple[str, bool]:
        """The readable text and whether it came from HTML."""
        plain = "\n\n".join(t.strip("\n") for t in self.plain if t.strip())
        if plain:
            return _normalize_newlines(plain), False
        html = self.html or self.fallback_html
        if html:
            text = html_to_text("\n".join(html), MAX_TEXT_CHARS)
            if len(text) >= MAX_TEXT_CHARS:
                self.defects.add(f"text longer than {MAX_TEXT_CHARS} characters: truncated")
            return text, True
        return "", False


def _child_roles(ctype: str, children: list[Message], role: int) -> list[int]:
    """multipart/alternative: only the best version is body text (plain preferred, HTML as fallback)."""
    if role != _BODY:
        return [role] * len(children)
    if ctype == "multipart/alternative" and children:
        scores = [_text_score(c, 3) for c in children]
        best = max(range(len(children)), key=lambda i: (scores[i], -i))
        html = [i for i, s in enumerate(scores) if s in (1, 2) and i != best]
        return [_BODY if i == best else (_FALLBACK if i in html else _OTHER) for i in range(len(children))]
    if ctype == "multipart/related" and children:
        # The first part is the document; the rest are its inline images.
        return [_BODY] + [_OTHER] * (len(children) - 1)
    return [_BODY] * len(children)


def _text_score(part: Message, depth: int) -> int:
    ctype = _content_type(part)
    if ctype == "text/plain":
        return 4
    if ctype == "text/html":
        return 2
    payload = part.get_payload()
    if depth and isinstance(payload, list) and ctype.startswith("multipart/"):
        best = max((_text_score(c, depth - 1) for c in payload[:20] if isinstance(c, Message)), default=0)
        return {4: 3, 3: 3, 2: 1, 1: 1}.get(best, 0)
    return 0


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:
        return None


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return ""
    name = clean(unsurrogate(str(name)))
    if "=?" in name:
        name = fallback_decode(name)
    return name.strip()[:255]


def _transfer_encoding(part: Message) -> str:
    raw = _raw_header(part, "content-transfer-encoding") or ""
    return raw.strip().lower()


def _payload_bytes(part: Message) -> bytes:
    """The decoded payload, also for misspelt transfer encodings ("quoted printable", "base-64").

    `get_payload(decode=True)` is the only stdlib call that hands back the original bytes of an
    8-bit body (the plain `get_payload()` already decodes them with the declared charset and
    replaces what does not fit); for an encoding name it does not know it returns the bytes as
    they are, and those are decoded here.
    """
    try:
        raw = part.get_payload(decode=True)
    except Exception:  # a stdlib decoder bug on hostile input
        return b""
    if not isinstance(raw, bytes):
        return b""
    try:
        # Exactly the expression get_payload uses, so nothing is decoded twice.
        stdlib_cte = str(part.get("content-transfer-encoding", "")).lower()
    except Exception:
        stdlib_cte = ""
    if stdlib_cte in _STDLIB_CTE:
        return raw
    cte = re.sub(r"[^a-z0-9]", "", _transfer_encoding(part))
    if "base64" in cte:
        return _b64decode(raw)
    if "quoted" in cte:
        return quopri.decodestring(raw)
    return raw


def _b64decode(raw: bytes) -> bytes:
    data = _B64_JUNK.sub(b"", raw)
    extra = len(data) % 4
    if extra == 1:
        data = data[:-1]
    elif extra:
        data += b"=" * (4 - extra)
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        return b""


def _decoded_size(part: Message) -> int:
    """Decoded size in bytes; an enclosed message counts its headers and what it carries (bounded walk).

    Base64 sizes are computed from the encoded length, so a 20 MB attachment is never decoded.
    """
    total = 0
    stack = [part]
    seen = 0
    while stack and seen < MAX_PARTS:
        node = stack.pop()
        seen += 1
        if node is not part:
            total += sum(len(k) + len(str(v)) + 4 for k, v in node.raw_items())
        payload = node.get_payload()
        if isinstance(payload, list):
            stack.extend(p for p in payload if isinstance(p, Message))
        elif isinstance(payload, str):
            total += _leaf_size(node, payload)
    return total


def _leaf_size(part: Message, payload: str) -> int:
    cte = _transfer_encoding(part)
    if cte == "base64":
        chars = len(payload) - sum(payload.count(c) for c in "\r\n\t ")
        stripped = payload.rstrip()
        padding = len(stripped) - len(stripped.rstrip("="))
        return max(0, (chars - padding) * 3 // 4)
    return len(_payload_bytes(part))


def _charset(part: Message) -> str:
    try:
        value = part.get_param("charset")
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231 form
        value = value[2]
    return str(value or "").strip().strip('"').lower()


def _codec(label: str) -> str | None:
    label = _CHARSET_ALIASES.get(label, label)
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode_text(part: Message, defects: Defects) -> str:
    raw = _payload_bytes(part)
    truncated = len(raw) > _MAX_TEXT_BYTES
    return decode_bytes(raw[:_MAX_TEXT_BYTES] if truncated else raw, _charset(part), defects, truncated=truncated)


def decode_bytes(raw: bytes, label: str, defects: Defects | None = None, *, truncated: bool = False) -> str:
    """Decode text bytes whose declared charset may be missing, unknown or wrong.

    A known charset is tried first. utf-8 is tried next, since utf-8 labelled as Latin-1 or
    ASCII is the most common lie; Windows-1252 is the last resort (it maps every byte a
    Western client writes, and is what "iso-8859-1" means in practice, as browsers agree).
    A non-Western charset with a few broken bytes keeps its charset with replacement marks.
    `truncated` says the bytes were cut at the length cap, so a last character may be incomplete.
    """
    codec = _codec(label)
    note = defects.add if defects is not None else _ignore
    if label and codec is None:
        note(f"unknown charset {label[:40]!r}")
    if codec is not None and codec not in _WESTERN:
        try:
            return clean(_decode(raw, codec, truncated))
        except (UnicodeDecodeError, LookupError):
            note(f"text is not valid {codec}")
        if codec != "utf-8":
            text = _mostly_utf8(raw, truncated)
            return clean(text if text is not None else raw.decode(codec, "replace"))
    elif raw.isascii():
        return raw.decode("ascii")
    text = _mostly_utf8(raw, truncated)
    if text is not None:
        if codec not in (None, "utf-8"):
            note(f"text labelled {codec} is utf-8")
        return clean(text)
    if codec not in ("cp1252", "iso8859-1"):
        note("8-bit text read as windows-1252")
    return clean(raw.decode("cp1252", "replace"))


def _mostly_utf8(raw: bytes, truncated: bool) -> str | None:
    """utf-8 text, allowing a few broken bytes (1 in 20 non-ASCII bytes); None if it is something else.

    utf-8 is so regular that text in another 8-bit charset almost never passes as it.
    """
    try:
        return _decode(raw, "utf-8", truncated)
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", "replace")
    non_ascii = len(raw.translate(None, _ASCII_BYTES))
    return text if text.count("\ufffd") * 20 <= non_ascii else None


def _ignore(_text: str) -> None:
    return None


def _decode(raw: bytes, codec: str, truncated: bool) -> str:
    """Strict decode; after the length cap an incomplete last character is dropped, not an error."""
    if not truncated:
        return raw.decode(codec)
    return codecs.getincrementaldecoder(codec)("strict").decode(raw, final=False)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strip_uuencoded(text: str, attachments: list[Attachment]) -> str:
    """Old clients (Outlook Express, Eudora) put uuencoded files inside the text: keep only their facts.

    A block counts only if every line between "begin NNN name" and "end" is a uuencoded line.
    """
    if "begin " not in text:
        return text
    text = _normalize_newlines(text)
    out: list[str] = []
    pos = 0
    for m in _UU_BEGIN.finditer(text):
        if m.start() < pos:
            continue
        end = _UU_END.search(text, m.end())
        if end is None:
            break
        lines = text[m.end() + 1 : end.start()].split("\n")
        if not all(_UU_LINE.fullmatch(line) for line in lines):
            continue
        size = sum((ord(line[0]) - 32) & 63 for line in lines if line)
        out.append(text[pos : m.start()])
        attachments.append(Attachment(filename=m.group(1).strip(), content_type="application/octet-stream", size=size))
        pos = end.end()
    out.append(text[pos:])
    return re.sub(r"\n{3,}", "\n\n", "".join(out))
