"""Redaction of a stream: bounded chunks with an overlap, output written as it is decided, memory flat.

`triage redact` on a 50 MB paste must neither hold it all nor read it slice by slice with secrets cut in
half. The stream is read in chunks; each round redacts what is buffered and writes out all but the last
`overlap` characters, cut at a paragraph or line break that no finding spans. The tail and `overlap`
characters of already written text (left context for the cue words) stay for the next round. Every
detector looks at most a few hundred characters around a number or cue, so with the default overlap
the output is the one-shot `redact` output; a single "sentence" longer than the overlap is the one
place where the two could differ (see `Sentences` in secrets.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from triage.records import Finding
from triage.redact import find_marked

# 64 K characters a round: each round is redacted as one text, and a text in which a removed secret
# borders a digit gets a second detection pass (see triage.redact._find_all); in a 1 M round that is
# nearly every round, so the whole stream was read twice. 64 K rounds need it far less often, and the
# overlap re-read stays small (2 x 4 K per round).
CHUNK_CHARS = 1 << 16
OVERLAP_CHARS = 4096  # far above the longest secret plus its cue window (a few hundred characters)


def _cut(buf: str, lo: int, hi: int, findings: list[Finding]) -> int:
    """Where to end this round's output: the last blank line (else line break, else space) in [lo, hi],
    moved back before any finding it would split."""
    cut = -1
    for sep in ("\n\n", "\n", " "):
        k = buf.rfind(sep, lo, hi)
        if k >= lo:
            cut = k + len(sep)
            break
    if cut < 0:
        cut = hi
    for f in findings:
        if f.start < cut < f.end:
            cut = f.start
    return max(cut, lo)


class StreamRedactor:
    """Feed text in pieces, get redacted text out in pieces; `findings` point into the whole stream."""

    def __init__(self, write: Callable[[str], object], overlap: int = OVERLAP_CHARS) -> None:
        self.write = write
        self.overlap = overlap
        self.buf = ""
        self.done = 0  # buf[:done] is already written: left context only
        self.base = 0  # stream offset of buf[0]
        self.findings: list[Finding] = []

    def feed(self, text: str) -> None:
        self.buf += text
        if len(self.buf) - self.done > 2 * self.overlap:
            self._emit(final=False)

    def close(self) -> None:
        self._emit(final=True)

    def _emit(self, *, final: bool) -> None:
        buf = self.buf
        found = [(f, m) for f, m in find_marked(buf) if f.end > self.done]
        end = len(buf) if final else _cut(buf, self.done, len(buf) - self.overlap, [f for f, _ in found])
        out: list[str] = []
        last = self.done
        for f, marker in found:
            if f.start >= end:
                break
            start = max(f.start, self.done)  # never straddles `done`: the cut before kept clear of findings
            out.append(buf[last:start])
            out.append(marker)
            self.findings.append(Finding(f.kind, self.base + f.start, self.base + f.end))
            last = f.end
        out.append(buf[last:end])
        self.write("".join(out))
        # Keep `overlap` characters of written text as left context for the next round.
        keep = max(0, end - self.overlap)
        self.buf = buf[keep:]
        self.base += keep
        self.done = end - keep


def redact_stream(
    read: Callable[[int], str], write: Callable[[str], object], *, as_json: bool = False, chunk: int = CHUNK_CHARS
) -> list[Finding]:
    """Redact everything `read` yields to `write`, chunk by chunk; return the findings (stream offsets).

    With `as_json`, write the same object `redact --json` always printed ({"text", "redactions",
    "findings"}), the text streamed inside it.
    """
    if as_json:
        write('{"text": "')
        sink = StreamRedactor(lambda s: write(json.dumps(s)[1:-1]))
    else:
        sink = StreamRedactor(write)
    while True:
        piece = read(chunk)
        if not piece:
            break
        sink.feed(piece)
    sink.close()
    if as_json:
        counts: dict[str, int] = {}
        for f in sink.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        findings = [{"kind": f.kind, "start": f.start, "end": f.end} for f in sink.findings]
        write(f'", "redactions": {json.dumps(counts)}, "findings": {json.dumps(findings)}}}\n')
    return sink.findings
