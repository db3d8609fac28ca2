"""Raw RFC 822 bytes to the ParsedMessage the pipeline needs, without ever raising.

Real mail is broken in every way a parser can imagine (wrong charsets, bogus transfer
encodings, missing boundaries, 200 KB headers, thousands of nested parts), so every step
here is bounded and defensive: problems become `defects`, never exceptions. Headers are
decoded from their raw values with `policy.default` after capping their length, because
the policy re-parses a header on every access and a huge one costs seconds.
"""

from __future__ import annotations

import binascii
import codecs
import quopri
import re
from datetime import UTC, datetime
from email import headerregistry, policy, utils
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser

from triage.html_text import MAX_HTML_CHARS, html_to_text
from triage.never_reply import never_reply_reason
from triage.quotes import split_reply
from triage.records import Attachment, ParsedMessage

MAX_TEXT_CHARS = 256 * 1024  # readable text kept per message
MAX_DEPTH = 30  # MIME nesting walked
MAX_PARTS = 500  # MIME parts walked
MAX_HEADER_CHARS = 16 * 1024  # of one header value
MAX_ADDRESSES = 100  # per address header
MAX_DEFECTS = 50
# The stdlib parser checks every line against every open boundary (about 70 ns each), so
# deeply nested multiparts cost boundaries x lines; above this budget (about 0.7 s) only the
# first lines are parsed. Real mail stays far below it: 10 boundaries x a 15 MB attachment's
# 200,000 lines is 2 million.
MAX_PARSE_COST = 10_000_000
_MAX_TEXT_BYTES = MAX_HTML_CHARS * 2  # bytes of one text part worth decoding (HTML needs the most)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOUNDARY_RE = re.compile(rb"boundary\s*=|message/rfc822", re.IGNORECASE)
_MSGID_RE = re.compile(r"<([^<>\s]+)>")
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
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
    "unknown-8bit": "",
    "x-unknown": "",
    "unknown": "",
    "default": "",
}


class _CachedRegistry(headerregistry.HeaderRegistry):
    """policy.default's registry builds a new header class on every lookup (a third of a header's
    cost); this one builds each class once. Parsing is otherwise exactly policy.default's."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = super().__getitem__(key)
            if len(self._classes) < 256:
                self._classes[key] = cls
        return cls


_POLICY = policy.default.clone(header_factory=_CachedRegistry())


def parse_message(data: bytes, own_addresses: frozenset[str] = frozenset()) -> ParsedMessage:
    """Parse one message; never raises. Problems are listed in `defects`.

    A defect starting with "unreadable:" means the bytes are not a mail message at all
    (for example an Outlook .msg file); its other fields are then empty.
    """
    if data.startswith(_OLE2_MAGIC):
        return _unreadable("unreadable: an Outlook .msg (OLE2) file, not an RFC 822 message")
    try:
        return _parse(data, own_addresses)
    except Exception as exc:  # every step below is defensive; this is the last net, so the row is kept
        return _unreadable(f"unreadable: {type(exc).__name__}: {exc}"[:300])


def _parse(data: bytes, own_addresses: frozenset[str]) -> ParsedMessage:
    defects = _Defects()
    msg = _parse_bytes(data, defects)
    if not msg.keys():
        if b"\x00" in data[:1024]:
            return _unreadable("unreadable: binary data without mail headers")
        defects.add("no header fields")

    from_name, from_addr = _first_address(msg, "from", defects)
    reply_to = _first_address(msg, "reply-to", defects)[1] or None
    body = _Body(defects)
    try:
        body.walk(msg)
    except Exception as exc:  # a parser object in a state we did not foresee
        defects.add(f"body walk failed: {type(exc).__name__}")
    text, html_only = body.text()
    try:
        new_text, quoted_text, signature = split_reply(text)
    except Exception as exc:  # keep the message even if the splitter trips
        defects.add(f"quote split failed: {type(exc).__name__}")
        new_text, quoted_text, signature = text, "", ""
    try:
        no_reply = never_reply_reason(msg, from_addr, own_addresses)
    except Exception as exc:
        defects.add(f"never-reply check failed: {type(exc).__name__}")
        no_reply = None

    return ParsedMessage(
        message_id=_message_id(_header(msg, "message-id", defects)),
        subject=_clean(_header(msg, "subject", defects) or "").strip(),
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to,
        to=_address_list(msg, "to", defects),
        cc=_address_list(msg, "cc", defects),
        date=_date(msg, defects),
        in_reply_to=_message_id(_header(msg, "in-reply-to", defects)),
        references=_references(_header(msg, "references", defects)),
        body_text=text,
        new_text=new_text,
        quoted_text=quoted_text,
        signature=signature,
        attachments=tuple(body.attachments),
        html_only=html_only,
        no_reply=no_reply,
        defects=defects.items(),
    )


class _Defects:
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


def _unreadable(reason: str) -> ParsedMessage:
    return ParsedMessage(
        message_id=None,
        subject="",
        from_addr="",
        from_name="",
        reply_to=None,
        to=(),
        cc=(),
        date=None,
        in_reply_to=None,
        references=(),
        body_text="",
        new_text="",
        quoted_text="",
        signature="",
        defects=(reason,),
    )


def _parse_bytes(data: bytes, defects: _Defects) -> Message:
    parser = BytesParser(policy=_POLICY)
    boundaries = len(_BOUNDARY_RE.findall(data))
    lines = data.count(b"\n") + 1
    if boundaries * lines > MAX_PARSE_COST:
        keep = MAX_PARSE_COST // boundaries
        cut = data.find(b"\n", len(data) * keep // lines)  # about `keep` lines, ending at a line break
        defects.add(f"MIME structure too complex: only about the first {keep} lines parsed")
        data = data[: cut + 1] if cut >= 0 else data
    try:
        msg = parser.parsebytes(data)
    except RecursionError:
        defects.add("MIME nesting too deep to parse: body not read")
        return parser.parsebytes(data, headersonly=True)
    defects.add_from(msg)
    return msg


# -- headers ---------------------------------------------------------------


def _raw_header(msg: Message, name: str) -> str | None:
    try:
        for key, value in msg.raw_items():
            if key.lower() == name:
                return str(value)
    except Exception:
        return None
    return None


def _header(msg: Message, name: str, defects: _Defects) -> str | None:
    """The decoded value of the first `name` header (RFC 2047 and 8-bit bytes handled), or None."""
    parsed = _parsed_header(msg, name, defects)
    if parsed is None:
        return None
    text = str(parsed)
    if "=?" in text and "?=" in text:
        # An encoded word the policy left alone (raw 8-bit inside it, as old Eudora wrote): the lenient decoder.
        text = _fallback_decode(text)
    return _clean(text)


def _parsed_header(msg: Message, name: str, defects: _Defects) -> object | None:
    raw = _raw_header(msg, name)
    if raw is None:
        return None
    value = _unsurrogate("".join(raw.splitlines()))
    if len(value) > MAX_HEADER_CHARS:
        defects.add(f"{name} header longer than {MAX_HEADER_CHARS} characters: truncated")
        cut = value.rfind(",", 0, MAX_HEADER_CHARS)
        value = value[: cut if cut > MAX_HEADER_CHARS // 2 else MAX_HEADER_CHARS]
    try:
        header = _POLICY.header_factory(name, value)
    except Exception as exc:  # known stdlib parser bugs on hostile input
        defects.add(f"{name} header unparsable: {type(exc).__name__}")
        return _fallback_decode(value)
    for defect in getattr(header, "defects", ()):
        defects.add(f"{name}: {type(defect).__name__}")
    return header


def _fallback_decode(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def _unsurrogate(text: str) -> str:
    """Undo the parser's surrogateescape of 8-bit header bytes: utf-8 if it is, else Windows-1252."""
    if _SURROGATE_RE.search(text) is None:
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _clean(text: str) -> str:
    """No lone surrogates (they cannot be stored or encoded) and no NUL characters."""
    if _SURROGATE_RE.search(text) is not None:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.replace("\x00", "")


def _addresses(msg: Message, name: str, defects: _Defects) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; a sender without a domain ("MAILER-DAEMON") is kept."""
    header = _parsed_header(msg, name, defects)
    if header is None:
        return []
    pairs: list[tuple[str, str]] = []
    try:
        for group in getattr(header, "groups", ()):
            for address in group.addresses:
                pairs.append((address.display_name, address.addr_spec))
    except Exception as exc:
        defects.add(f"{name} addresses unparsable: {type(exc).__name__}")
        pairs = []
    if not pairs and str(header).strip():
        # The policy's strict grammar gave up (or was not used): the lenient parser still finds addresses.
        pairs = utils.getaddresses([str(header)])
    out = []
    for display, addr in pairs:
        addr = _clean(addr).strip().strip("<>").lower()
        if addr and (name == "from" or "@" in addr) and not addr.endswith((":", ";")):
            out.append((_clean(display).strip().strip('"').strip(), addr))
    if len(out) > MAX_ADDRESSES:
        defects.add(f"{name}: {len(out)} addresses, kept {MAX_ADDRESSES}")
    return out[:MAX_ADDRESSES]


def _first_address(msg: Message, name: str, defects: _Defects) -> tuple[str, str]:
    found = _addresses(msg, name, defects)
    return found[0] if found else ("", "")


def _address_list(msg: Message, name: str, defects: _Defects) -> tuple[str, ...]:
    return tuple(dict.fromkeys(addr for _, addr in _addresses(msg, name, defects)))


def _date(msg: Message, defects: _Defects) -> datetime | None:
    header = _parsed_header(msg, "date", defects)
    if header is None:
        return None
    value = getattr(header, "datetime", None)
    if not isinstance(value, datetime):
        try:
            value = utils.parsedate_to_datetime(str(header))
        except Exception:
            defects.add("date unparsable")
            return None
    if value.tzinfo is None:  # "-0000": the zone is unknown; UTC is the honest guess
        value = value.replace(tzinfo=UTC)
    return value


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    m = _MSGID_RE.search(value)
    if m:
        return m.group(1)
    token = value.strip().strip("<>").split()
    return token[0] if token else None


def _references(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    ids = _MSGID_RE.findall(value) or [t.strip("<>") for t in value.split() if t.strip("<>")]
    return tuple(dict.fromkeys(ids))[:MAX_ADDRESSES]


# -- body --------------------------------------------------------------------

_BODY, _FALLBACK, _OTHER = 0, 1, 2  # roles of a part: the chosen text, a fallback alternative, neither


class _Body:
    """Walks the MIME tree within bounds, collecting body text and attachment facts."""

    def __init__(self, defects: _Defects) -> None:
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
    name = _clean(_unsurrogate(str(name)))
    if "=?" in name:
        name = _fallback_decode(name)
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


def _decode_text(part: Message, defects: _Defects) -> str:
    raw = _payload_bytes(part)
    truncated = len(raw) > _MAX_TEXT_BYTES
    return decode_bytes(raw[:_MAX_TEXT_BYTES] if truncated else raw, _charset(part), defects, truncated=truncated)


def decode_bytes(raw: bytes, label: str, defects: _Defects | None = None, *, truncated: bool = False) -> str:
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
            return _clean(_decode(raw, codec, truncated))
        except (UnicodeDecodeError, LookupError):
            note(f"text is not valid {codec}")
        if codec != "utf-8":
            text = _mostly_utf8(raw, truncated)
            return _clean(text if text is not None else raw.decode(codec, "replace"))
    elif raw.isascii():
        return raw.decode("ascii")
    text = _mostly_utf8(raw, truncated)
    if text is not None:
        if codec not in (None, "utf-8"):
            note(f"text labelled {codec} is utf-8")
        return _clean(text)
    if codec not in ("cp1252", "iso8859-1"):
        note("8-bit text read as windows-1252")
    return _clean(raw.decode("cp1252", "replace"))


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
