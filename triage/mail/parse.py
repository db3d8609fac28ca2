"""Raw RFC 822 bytes to the ParsedMessage the pipeline needs, without ever raising.

Real mail is broken in every way a parser can imagine (wrong charsets, bogus transfer
encodings, missing boundaries, 200 KB headers, thousands of nested parts), so every step
here is bounded and defensive: problems become `defects`, never exceptions. Headers are
decoded from their raw values with `policy.default` after capping their length, because
the policy re-parses a header on every access and a huge one costs seconds; the common plain
shapes (text without encoded words, "Name <a@b.c>", "<id@host>", an RFC 5322 date) skip the
structured parse, whose result for them is known.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import errors, headerregistry, policy, utils
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from triage.mail.mime_decode import (
    MAX_DEPTH,
    MAX_PARTS,
    MAX_TEXT_CHARS,
    Body,
    Defects,
    clean,
    decode_bytes,
    fallback_decode,
    one_line,
    unsurrogate,
)
from triage.mail.never_reply import never_reply_reason
from triage.mail.quotes import split_reply
from triage.records import ParsedMessage

__all__ = [
    "MAX_ADDRESSES",
    "MAX_DEPTH",
    "MAX_HEADER_CHARS",
    "MAX_PARSE_COST",
    "MAX_PARTS",
    "MAX_TEXT_CHARS",
    "decode_bytes",
    "parse_message",
]

MAX_HEADER_CHARS = 16 * 1024  # of one header value
MAX_ADDRESSES = 100  # per address header
# The stdlib parser checks every line against every open boundary (about 70 ns each), so
# deeply nested multiparts cost boundaries x lines; above this budget (about 0.7 s) only the
# first lines are parsed. Real mail stays far below it: 10 boundaries x a 15 MB attachment's
# 200,000 lines is 2 million.
MAX_PARSE_COST = 10_000_000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOUNDARY_RE = re.compile(rb"boundary\s*=|message/rfc822", re.IGNORECASE)
_MSGID_RE = re.compile(r"<([^<>\s]+)>")
# "Name <local@domain>", "<local@domain>" or "local@domain" in plain ASCII: policy.default parses it
# to exactly these parts without defects, and most mail has this shape. atext without "=" and "?",
# which could start an encoded word.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]+"
_PLAIN_ADDR = rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_SIMPLE_MAILBOX = re.compile(rf"(?:({_ATEXT}(?: {_ATEXT})*) )?<({_PLAIN_ADDR})>|({_PLAIN_ADDR})")
# What From and Reply-To must hold to name a sender: a local part without quoting, comments or spaces, and
# a host name of letters, digits and inner hyphens (any script, for IDN); not an IP literal.
_LOCAL_PART = re.compile(r'[^\s"(),:;<>@\[\\\]]+')
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_COMMENT = re.compile(r"\((?:[^()\\]|\\.)*\)")
_TOKEN_SPLIT = re.compile(r"[\s,<>]+")
_ADDRESS_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_BARE_LOCAL = re.compile(r"(?:[^<>@]*<)?\s*([A-Za-z0-9._-]+)\s*>?")
_GUESSED = "not a valid address list"
_DOT_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_PLAIN_MSGID = re.compile(rf"<{_DOT_ATOM}@{_DOT_ATOM}>")
_UNSTRUCTURED = frozenset({"subject", "in-reply-to", "references"})  # as policy.default's registry has them


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


class _Message(EmailMessage):
    """policy.default re-parses a header on every access, and the parser, the body walk and the
    never-reply check ask for each part's Content-Type many times; this message parses each once.

    A parsed value is reused only while the raw (name, value) item it came from is still the
    first of its name (and the policy the same), so the results are exactly the stdlib's.
    """

    def __init__(self, policy: Any = None) -> None:
        super().__init__(policy)
        self._parsed: dict[str, tuple[tuple[str, Any], object, Any]] = {}

    def get(self, name: str, failobj: Any = None) -> Any:
        key = name.lower()
        # email.message keeps its (name, value) pairs in `_headers`; the typeshed stub does not declare it.
        for item in self._headers:  # type: ignore[attr-defined]
            if item[0].lower() == key:
                hit = self._parsed.get(key)
                if hit is not None and hit[0] is item and hit[1] is self.policy:
                    return hit[2]
                value = self.policy.header_fetch_parse(*item)
                self._parsed[key] = (item, self.policy, value)
                return value
        return failobj


_POLICY = policy.default.clone(header_factory=_CachedRegistry(), message_factory=_Message)


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
    defects = Defects()
    msg = _parse_bytes(data, defects)
    if not msg.keys():
        if b"\x00" in data[:1024]:
            return _unreadable("unreadable: binary data without mail headers")
        defects.add("no header fields")

    raw = _raw_headers(msg)
    from_name, from_addr, from_doubt = _sender(raw, "from", defects)
    reply_to, reply_doubt = _sender(raw, "reply-to", defects)[1:]
    for header, doubt in (("from", from_doubt), ("reply-to", reply_doubt)):
        if doubt is not None:
            defects.add(f"{header}: sender unverified: {doubt}")
    # Either header in doubt: no sender at all, so nothing is matched, inferred or answered by it.
    unverified = from_doubt is not None or reply_doubt is not None
    if unverified:
        from_addr, reply_to = "", ""
    body = Body(defects)
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
        no_reply = never_reply_reason(msg, from_addr or _robot_local_part(raw), own_addresses)
    except Exception as exc:
        defects.add(f"never-reply check failed: {type(exc).__name__}")
        no_reply = None

    return ParsedMessage(
        message_id=_message_id(_header(raw, "message-id", defects)),
        subject=one_line(_header(raw, "subject", defects) or ""),
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to or None,
        to=_address_list(raw, "to", defects),
        cc=_address_list(raw, "cc", defects),
        date=_date(raw, defects),
        in_reply_to=_message_id(_header(raw, "in-reply-to", defects)),
        references=_references(_header(raw, "references", defects)),
        body_text=text,
        new_text=new_text,
        quoted_text=quoted_text,
        signature=signature,
        attachments=tuple(body.attachments),
        html_only=html_only,
        no_reply=no_reply,
        defects=defects.items(),
        sender_unverified=unverified,
    )


def _unreadable(reason: str) -> ParsedMessage:
    return ParsedMessage.empty(defects=(reason,))


def _parse_bytes(data: bytes, defects: Defects) -> Message:
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


def _raw_headers(msg: Message) -> dict[str, str]:
    """The raw value of the first header of each (lower-cased) name, read in one pass."""
    found: dict[str, str] = {}
    try:
        for key, value in msg.raw_items():
            found.setdefault(key.lower(), value)
    except Exception:
        pass
    return found


def _header(raw: dict[str, str], name: str, defects: Defects) -> str | None:
    """The decoded value of the first `name` header (RFC 2047 and 8-bit bytes handled), or None."""
    value = _header_value(raw, name, defects)
    if value is None:
        return None
    # A plain Message-ID, and an unstructured header without an encoded word, parse to themselves without defects.
    if name == "message-id":
        plain = _PLAIN_MSGID.fullmatch(value) is not None
    else:
        plain = name in _UNSTRUCTURED and "=?" not in value
    text = value if plain else str(_structured(name, value, defects))
    if "=?" in text and "?=" in text:
        # An encoded word the policy left alone (raw 8-bit inside it, as old Eudora wrote): the lenient decoder.
        text = fallback_decode(text)
    return clean(text)


def _header_value(raw: dict[str, str], name: str, defects: Defects) -> str | None:
    """The unfolded value of the first `name` header, 8-bit bytes decoded and length capped; None if absent."""
    found = raw.get(name)
    if found is None:
        return None
    value = unsurrogate("".join(str(found).splitlines()))
    if len(value) > MAX_HEADER_CHARS:
        defects.add(f"{name} header longer than {MAX_HEADER_CHARS} characters: truncated")
        cut = value.rfind(",", 0, MAX_HEADER_CHARS)
        value = value[: cut if cut > MAX_HEADER_CHARS // 2 else MAX_HEADER_CHARS]
    return value


def _structured(name: str, value: str, defects: Defects) -> object:
    """policy.default's parse of the header, its defects noted; the leniently decoded text if the parser fails."""
    try:
        header = _POLICY.header_factory(name, value)
    except Exception as exc:  # known stdlib parser bugs on hostile input
        defects.add(f"{name} header unparsable: {type(exc).__name__}")
        return fallback_decode(value)
    for defect in getattr(header, "defects", ()):
        defects.add(f"{name}: {type(defect).__name__}")
    return header


def _mailboxes(name: str, value: str, defects: Defects) -> tuple[list[tuple[str, str]], str | None]:
    """(display name, lower-cased addr-spec) of each mailbox the RFC 5322 parser found in a header value,
    and why they cannot be trusted as the sender's (None when they can).

    An address only ever comes from the addr-spec of a parsed mailbox: never from a display name, a
    comment or an encoded word, whatever the header does to look like one. The stdlib parser recovers
    from junk by taking an address out of it (`victim@x <mallory@y>` gives victim@x, with a defect), and
    decodes encoded words inside an addr-spec, so its answer counts only when no such defect was raised
    and the address stands in the raw header, outside every encoded word, as written.
    """
    simple = _SIMPLE_MAILBOX.fullmatch(value)
    if simple:  # the common shape, whose parse is known: skip the costly RFC 5322 parser
        return [(simple[1] or "", (simple[2] or simple[3]).lower())], None
    header = _structured(name, value, defects)
    if not hasattr(header, "groups"):
        return [], "unparsable"
    doubt: str | None = None
    for defect in getattr(header, "defects", ()):
        # The parser's complaints about encoded words concern display names; anything else means it guessed.
        if isinstance(defect, errors.InvalidHeaderDefect) and "encoded" not in str(defect):
            doubt = _GUESSED
    written = _written_tokens(value)
    pairs: list[tuple[str, str]] = []
    try:
        for group in header.groups:
            if group.display_name is not None:
                doubt = doubt or "group syntax"
            for address in group.addresses:
                local, domain = address.username, address.domain
                addr = f"{local}@{domain}".lower()
                if not _plausible(local, domain) or addr not in written:
                    doubt = doubt or ("no domain" if local and not domain else "not a plain address")
                    continue
                pairs.append((address.display_name, addr))
    except Exception as exc:
        defects.add(f"{name} addresses unparsable: {type(exc).__name__}")
        return [], "unparsable"
    return pairs, doubt


def _written_tokens(value: str) -> set[str]:
    """The header's words, lower-cased, outside encoded words, quoted strings and comments, split at
    white space, commas and angle brackets: the places an address can be written as itself."""
    text = _QUOTED.sub(" ", _ENCODED_WORD.sub(" ", value))
    for _ in range(10):  # comments nest; a header deeper than this is unparsable anyway
        text, found = _COMMENT.subn(" ", text)
        if not found:
            break
    return set(_TOKEN_SPLIT.split(text.lower()))


def _plausible(local: str, domain: str) -> bool:
    """An address a reply could go to: a plain local part and a host name (IDN allowed), no quoting tricks."""
    if not local or not domain or len(local) + len(domain) >= 254 or not (local + domain).isprintable():
        return False
    if _LOCAL_PART.fullmatch(local) is None or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return all(_DOMAIN_LABEL.fullmatch(label) for label in domain.split("."))


def _sender(raw: dict[str, str], name: str, defects: Defects) -> tuple[str, str, str | None]:
    """(display name, address, doubt) of From or Reply-To: exactly one plausible mailbox, or a doubt.

    Reply-To may be absent (doubt None, address ""); From may not. The display name comes back as
    one clean line, and empty when it shows an address other than the sender's own.
    """
    value = _header_value(raw, name, defects)
    if value is None or not value.strip():
        return "", "", "missing" if name == "from" else None
    pairs, doubt = _mailboxes(name, value, defects)
    if doubt is None and len(pairs) != 1:
        doubt = f"{len(pairs)} addresses" if pairs else "no address"
    if doubt is not None:
        return "", "", doubt
    display, addr = pairs[0]
    display = one_line(display).strip('"').strip()
    shown = {m.group().strip(".,;:()[]<>'\"").lower() for m in _ADDRESS_LIKE.finditer(display)}
    if shown - {addr}:
        defects.add(f"{name}: display name shows another address: dropped")
        display = ""
    return display, addr, None


def _robot_local_part(raw: dict[str, str]) -> str:
    """The local part of a From without a domain ("MAILER-DAEMON"): not a sender, but it names a robot."""
    value = (raw.get("from") or "")[:MAX_HEADER_CHARS].strip()
    m = _BARE_LOCAL.fullmatch(value)
    return m.group(1).lower() if m else ""


def _address_list(raw: dict[str, str], name: str, defects: Defects) -> tuple[str, ...]:
    """The plausible addresses of To or Cc, each once, capped; none guessed from a display name."""
    value = _header_value(raw, name, defects)
    if value is None:
        return ()
    pairs, doubt = _mailboxes(name, value, defects)
    if doubt == _GUESSED:  # the parser took addresses out of junk: keep none rather than a guess
        return ()
    if len(pairs) > MAX_ADDRESSES:
        defects.add(f"{name}: {len(pairs)} addresses, kept {MAX_ADDRESSES}")
    return tuple(dict.fromkeys(addr for _, addr in pairs[:MAX_ADDRESSES]))


def _date(raw: dict[str, str], defects: Defects) -> datetime | None:
    value = _header_value(raw, "date", defects)
    if value is None:
        return None
    try:  # what the policy's date header holds when it parses without defects
        parsed: object = utils.parsedate_to_datetime(value)
    except Exception:
        parsed = _structured("date", value, defects)
    when = parsed if isinstance(parsed, datetime) else getattr(parsed, "datetime", None)
    if not isinstance(when, datetime):
        try:
            when = utils.parsedate_to_datetime(str(parsed))
        except Exception:
            defects.add("date unparsable")
            return None
    if when.tzinfo is None:  # "-0000": the zone is unknown; UTC is the honest guess
        when = when.replace(tzinfo=UTC)
    return when


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
