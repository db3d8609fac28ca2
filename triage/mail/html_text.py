"""HTML mail bodies to plain text, with blockquotes kept as "> " lines for the quote splitter.

A small stdlib `html.parser` converter rather than html2text: triage needs the readable
words and the quoting structure, not Markdown ("**From:**" hides Outlook's quote header from
the splitter), and this is about three times faster on the corpus's HTML parts. Input and
output are capped so a huge body costs a bounded amount of work.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_HTML_CHARS = 1_000_000  # worst case (a megabyte of stray "<") about a second
MAX_TEXT_CHARS = 256 * 1024
_FEED_CHUNK = 64 * 1024

# Elements whose text is never shown to a reader.
_SKIP = frozenset({"script", "style", "title", "template", "noscript", "xml"})
# Styles that hide an element's text from the reader ("display:none", "visibility:hidden", a zero font size,
# width or height, "opacity:0"): what the customer does not see is not their text, and filler hidden between
# the groups of a number ("4111<span style=display:none>x</span> 1111") must not glue to it.
_HIDDEN_STYLE = re.compile(
    r"(?i)(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$|!)"
    r"|(?:font-size|max-height|height|width|max-width|line-height)\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$|!))"
)
# Elements with no end tag: never the start of a hidden stretch.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _hides(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element's attributes hide it (the `hidden` attribute, `aria-hidden` alone does not)."""
    return any(
        name == "hidden" or (name == "style" and bool(value) and _HIDDEN_STYLE.search(value or "") is not None)
        for name, value in attrs
    )


# Elements that end the current line.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "header", "main", "nav", "section", "table", "tbody", "thead",
        "tfoot", "tr", "caption", "ul", "ol", "body", "html",
    }
)  # fmt: skip
# Elements that stand apart as a paragraph (a blank line before and after).
_PARA = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr"})
_CELL = frozenset({"td", "th"})
# A run of white space becomes one space; invisible characters (zero-width space and joiners, word
# joiner, BOM, soft hyphen: what &#8203; &zwnj; &shy; decode to) inside such a run go with it. Between
# two characters they stay, for the redactor, which drops format characters, to join what they split.
_WS = "\t\n\r\f\v\xa0\u2028\u2029 "
_INVISIBLE = "\u200b-\u200d\u2060\ufeff\xad"
_SPACE_RE = re.compile(f"[{_WS}{_INVISIBLE}]*[{_WS}][{_WS}{_INVISIBLE}]*")
# A line that is nothing but digit groups ("1111", "4111 1111", "- 1111"): a number that markup broke.
_DIGIT_GROUPS = re.compile(r"(?:- )?\d+(?:[ -]\d+)*")


class _TextBuilder(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depths: list[int] = []  # the blockquote depth of each line
        self.cur: list[str] = []
        self.depth = 0  # blockquote nesting
        self.skip = 0
        self.hidden: list[str] = []  # a hidden element's tag, then the tags opened inside it and not yet closed
        self.pre = 0
        self.size = 0
        self.limit = limit
        self.full = False

    # -- line assembly -------------------------------------------------
    def _end_line(self, *, force: bool = False) -> None:
        """Finish the current line; with force an empty line becomes a blank line (for <br>)."""
        text = "".join(self.cur).rstrip()
        self.cur = []
        if not text and not force:
            return
        if not text and self.lines and self.lines[-1].strip(" >") == "":
            return  # never more than one blank line in a row
        if text and self._join_digits(text):
            return
        line = ("> " * self.depth + text) if text else (">" * self.depth)
        self._append(line)

    def _append(self, line: str) -> None:
        self.lines.append(line)
        self.depths.append(self.depth)
        self.size += len(line) + 1
        if self.size >= self.limit:
            self.full = True

    def _join_digits(self, text: str) -> bool:
        """Join a line to the one before when markup (<br>, a <div>, <p>, <li> or table row) split a
        number there: both sides are digits at the break and one of them is nothing but digit groups.
        So "4111<br>1111<br>1111<br>1111" reaches the redactor as one run with single spaces, while
        "Street 12<br>12345 Berlin" and prose stay as they were written."""
        if self.pre or not (text[:1].isdigit() or (text.startswith("- ") and text[2:3].isdigit())):
            return False  # preformatted text keeps its lines as typed
        back = 2 if len(self.lines) >= 2 and not self.lines[-1].strip(" >") else 1  # over one paragraph gap
        if len(self.lines) < back or self.depths[-back:] != [self.depth] * back:
            return False
        prefix = "> " * self.depth
        before = self.lines[-back][len(prefix) :]
        if not before[-1:].isdigit():
            return False
        if not (_DIGIT_GROUPS.fullmatch(text) or _DIGIT_GROUPS.fullmatch(before)):
            return False
        joined = f"{prefix}{before} {text.removeprefix('- ')}"
        del self.lines[-back:], self.depths[-back:]
        self._append(joined)
        return True

    def _para(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1].strip(" >") != "":
            self._append(">" * self.depth)

    # -- parser callbacks ------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and (self.hidden or _hides(attrs)):
            self.hidden.append(tag)
        if self.hidden:
            return  # nothing inside a hidden element is shown, not even its line breaks
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._end_line(force=True)
        elif tag == "blockquote":
            self._para()
            self.depth += 1
        elif tag in _PARA:
            self._para()
            if tag == "pre":
                self.pre += 1
        elif tag in _BLOCK:
            self._end_line()
        elif tag == "li":
            self._end_line()
            self.cur.append("- ")
        elif tag in _CELL and self.cur and not self.cur[-1].endswith(" "):
            self.cur.append(" ")  # cells of one row: one space between them, whatever white space came first

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden:
            return
        if tag == "br":
            self._end_line(force=True)
        elif tag in _PARA:
            self._para()
        elif tag in _BLOCK:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            if tag in self.hidden:  # (tags left open inside close with it, as a browser closes them)
                del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
                return
            self.hidden = []  # it closes an element around the hidden one, which then ended unclosed
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self._end_line()
            self.depth = max(0, self.depth - 1)
            self._para()
        elif tag in _PARA:
            self._para()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag in _BLOCK or tag == "li":
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skip or self.full or self.hidden:
            return
        if self.pre:
            parts = data.replace("\r\n", "\n").split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._end_line(force=True)
                self.cur.append(part.replace("\xa0", " "))
            return
        text = _SPACE_RE.sub(" ", data)
        if not self.cur:
            text = text.lstrip()
        elif text.startswith(" ") and self.cur[-1].endswith(" "):
            text = text[1:]
        if text:
            self.cur.append(text)


def html_to_text(html: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Readable text of an HTML body; quoted blocks come out as "> " lines like a plain-text reply.

    Never raises on malformed markup: whatever the tolerant parser has seen so far is kept.
    """
    builder = _TextBuilder(limit)
    html = html[:MAX_HTML_CHARS]
    try:
        for start in range(0, len(html), _FEED_CHUNK):
            builder.feed(html[start : start + _FEED_CHUNK])
            if builder.full:
                break
        else:
            builder.close()
    except Exception:  # html.parser is tolerant, but a parser bug must not lose the message
        pass
    builder._end_line()
    lines = builder.lines
    start, end = 0, len(lines)
    while start < end and not lines[start].strip(" >"):
        start += 1
    while end > start and not lines[end - 1].strip(" >"):
        end -= 1
    return "\n".join(lines[start:end])[:limit]
