"""Redaction: finds card data, bank details and passwords in text and replaces them with markers.

Everything downstream (store, logs, classifier, drafts, summaries) only ever sees
the output of this module, so it errs towards removing a secret, but it must not
eat the numbers agents work with: order and tracking numbers, phone numbers,
prices, dates and postal codes. Findings record kind and position, never the value.

Normalise, scan, map back: the detectors read a clean copy of the text (every digit
ASCII, format characters and invisible entities gone, odd spaces folded, a number
broken over lines, quote prefixes or markup joined: `normalize`), and each hit is
mapped back so its marker replaces exactly the original span.

How a decision is made, cheapest test first:
- card_number: 12-19 digits bounded by non-digits, with any separators customers and
  copy-paste put between groups, passing Luhn, and either an issuer's prefix and length
  from the table in `issuers` with a card-like grouping, or a card word right next to
  it. Inside a longer run of groups ("Order 1042 4111 1111 1111 1111"), every
  group-aligned window of a scheme's core ranges that passes Luhn is a card and the
  other groups stay. A number labelled as something else ("tracking number",
  "Sendungsnummer", "invoice") with no card word by it survives; with both, it goes.
  "first 8 … last 8" halves by a card word go when together they make a card. A number
  written partly or wholly in words ("4111 1111 1111 one one one one", "vier eins eins eins …",
  "forty-one, twelve, …", "double two") is read as its digits and judged the same way (`spelled`).
- iban: country code (either case) + check digits, the registry length, mod-97 and
  BBAN structure (python-stdnum), a letter O typed for a zero read as one.
- card_cvv / card_expiry / bank_account / password: only behind a cue word from the
  per-language lexicons in `cues` (en/de/es/fr, JSON keys too), or for CVV/expiry,
  chained right after a card number, or right after an expiry ("exp 12/27, sec 123").
- login: a user name or login ID right after its label ("username: jsmith88"), half of a
  bank login; an e-mail address there stays unless a bank is named beside it.

The package, one job per module: `normalize` (the clean text and the map back), `issuers` (the
IIN table), `cards` (Luhn, card windows in digit runs), `iban`, `cues` (the cue-word scanner),
`secrets` (the values behind cues), `spelled` (digits written as words), `markers` (marker text and
blanking), `stream` (chunked redaction of a stream), `prescan` (one hyperscan pass saying where the
detectors need to look); this module runs them over a text and a message.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from itertools import chain
from typing import Final

from triage.records import Attachment, Finding, ParsedMessage, Redaction
from triage.redact import prescan
from triage.redact.cards import (
    _WIDE_SEP,
    CHUNK_RE,
    WIDE_CHARS,
    WIDE_RE,
    cards_in_chunk,
    cards_in_wide_run,
    chat_split_cards,
    described_cards,
    joined_cards,
    split_cards,
)
from triage.redact.iban import IBAN_CHECK_DIGITS, IBAN_CHECK_RE, iban_at, iban_shape
from triage.redact.markers import KINDS, marker_for, mask, mask_markers
from triage.redact.normalize import normalise
from triage.redact.prescan import Hits
from triage.redact.secrets import Sentences, chained_after_cards, codes_after_expiries, find_cued
from triage.redact.spelled import said_cards, spelled_cards

__all__ = ["KINDS", "find_marked", "redact", "redact_message"]

# Overlaps are settled by this order: the more specific, checksum-backed kind wins.
_PRIORITY: Final = {
    "iban": 0,
    "card_number": 1,
    "bank_account": 2,
    "password": 3,
    "login": 3,
    "card_expiry": 4,
    "card_cvv": 5,
}
_NEAR_DIGIT_RE: Final = re.compile(r"[0-9]")
_LONGEST_CARD: Final = 19  # cards_in_chunk finds nothing in one unbroken run of more digits

# One pass over the digits finds both: a long run of digit groups with any separators (WIDE_RE; the
# chunks CHUNK_RE takes lie inside these runs and are read from each run alone), or the check digits of a
# possible IBAN. (No capture group: it would cost the engine its fast skip to the next digit. The length
# tells them apart: check digits are 2 characters, a run at least 12.) A scan over the digits of a mail
# costs as much as all the work on what it finds, so there is one, not one per detector.
_NUMBER_RE: Final = re.compile(rf"{WIDE_RE.pattern}|{IBAN_CHECK_DIGITS}")


# _NUMBER_RE's matches, found faster: WIDE_RE spends about 100 ns a character on its per-digit alternation of
# separators, so a chain is found by _CHAIN_RE (the same digits and separators, a run of digits at a time)
# and its digits counted. A chain of 12 digits or more is exactly WIDE_RE's match there: both take digits
# with one separator between, greedily, from the first digit after a non-digit (WIDE_RE's look-ahead
# only asks for 11 run characters, which such a chain has). A shorter chain is no WIDE_RE match from any
# of its digits (each would read a part of it), so there only the check digits of an IBAN can match, tried
# at each digit in turn as the scan would: tests/test_redact_prescan.py compares both on random text.
_CHAIN_RE: Final = re.compile(rf"[0-9]+(?:{_WIDE_SEP}[0-9]+)*")
_DROP_SEPARATORS: Final = str.maketrans(dict.fromkeys(WIDE_CHARS))


def number_spans(text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """The spans of `_NUMBER_RE.finditer(text, lo, hi)`, in order."""
    if hi is None:
        hi = len(text)
    search = _CHAIN_RE.search
    iban = IBAN_CHECK_RE.match
    m = search(text, lo, hi)
    while m is not None:
        start, end = m.span()
        if end - start >= 12 and len(m.group().translate(_DROP_SEPARATORS)) >= 12:
            yield start, end
        else:
            p = start
            while p < end - 1:
                if iban(text, p, hi):
                    yield p, p + 2
                    p += 2
                else:
                    p += 1
        m = search(text, end, hi)


def _number_matches(text: str, windows: list[tuple[int, int]] | None) -> Iterator[tuple[int, int]]:
    """_NUMBER_RE's match spans in `text`, or in the prescan's windows, which hold them all (see prescan)."""
    if windows is None:  # the whole text: many short digit runs (prices, dates), cheaper for the C scan to pass
        return (m.span() for m in _NUMBER_RE.finditer(text))
    return chain.from_iterable(number_spans(text, lo, hi) for lo, hi in windows)


def _find_numbers(text: str, hits: Hits | None = None) -> list[Finding]:
    """IBANs and card numbers (plus a CVV glued to a card), in one scan over the digits (or the windows
    of `hits` where digits can matter)."""
    out: list[Finding] = []
    blocked: list[tuple[int, int]] = []  # IBANs, in text order
    mistyped: list[tuple[int, int]] = []  # IBAN-shaped but failing the checks
    wide: list[tuple[int, str, int]] = []  # (start, run, the length of a card the chunk read found at its start)
    for start, end in _number_matches(text, hits.numbers if hits else None):
        if end - start == 2:
            _iban_at(text, start, out, blocked, mistyped)
            continue
        run = text[start:end]
        if run.isdigit():
            if end - start > _LONGEST_CARD:  # one unbroken number longer than a card: only an IBAN can start it
                if IBAN_CHECK_RE.match(text, start):
                    _iban_at(text, start, out, blocked, mistyped)
                continue
            chunks = [(start, run)]
        else:
            # The chunks of single separators in the run, as a scan of CHUNK_RE over the whole text finds them.
            chunks = [(c.start(), c.group()) for c in CHUNK_RE.finditer(text, start, end)]
        if (not chunks or chunks[0][0] != start) and IBAN_CHECK_RE.match(text, start):
            _iban_at(text, start, out, blocked, mistyped)  # "DE89  3704 …": check digits, then no chunk
        covered = 0
        for cs, chunk in chunks:
            # A chunk can start with an IBAN's check digits ("DE89 3704 0044 …"); test that first.
            if IBAN_CHECK_RE.match(text, cs):
                _iban_at(text, cs, out, blocked, mistyped)
            # IBANs come in text order, so only the latest can reach into this chunk.
            found = len(out)
            cards_in_chunk(text, cs, chunk, blocked[-1:], out, mistyped[-1:])
            if cs == start:  # the run opens with a card: how far it reaches (see cards_in_wide_run)
                covered = next((f.end - cs for f in out[found:] if f.start == cs and f.kind == "card_number"), 0)
        if not run.isdigit():  # (an unbroken run has no separator for cards_in_wide_run to fold)
            wide.append((start, run, covered))
    for start, run, covered in wide:
        cards_in_wide_run(text, start, run, blocked, out, covered)
    if hits is None:
        split_cards(text, out)
        described_cards(text, out)
    elif hits.firsts and hits.lasts:
        split_cards(text, out, hits.firsts, hits.lasts)
    if hits is not None and (hits.firsts or hits.lasts):
        described_cards(text, out, hits.firsts, hits.lasts)
    return out


def _iban_at(
    text: str, start: int, out: list[Finding], blocked: list[tuple[int, int]], mistyped: list[tuple[int, int]]
) -> None:
    """The IBAN with check digits at `start` into `out` and `blocked`, or a mistyped one's span into `mistyped`."""
    iban = iban_at(text, start)
    if iban is not None:
        out.append(iban)
        blocked.append((iban.start, iban.end))
    elif (shape := iban_shape(text, start)) is not None:
        mistyped.append(shape)


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Keep non-overlapping findings, the higher-priority kind first, then the longer span."""
    ordered = sorted(candidates, key=lambda f: (_PRIORITY[f.kind], f.start, -(f.end - f.start)))
    kept: list[Finding] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for f in ordered:
        if f.end <= f.start:
            continue
        i = bisect.bisect_right(starts, f.start)
        if (i and kept[i - 1].end > f.start) or (i < len(kept) and kept[i].start < f.end):
            continue
        kept.insert(i, f)
        starts.insert(i, f.start)
    return kept


def _detect(
    scan: str,
    card_context: list[tuple[int, int]],
    hits: Hits | None,
    spells: list[int] | None = None,
    said: list[int] | None = None,
) -> list[Finding]:
    """One pass of every detector over `scan` (where `hits` says they can fire), overlaps settled; `spells`:
    where a digit meets a digit word, `said`: where two number words stand side by side (the first prescan's;
    masking makes no new such place)."""
    numbers = _find_numbers(scan, hits) + spelled_cards(scan, spells) + said_cards(scan, said) + chat_split_cards(scan)
    numbers += joined_cards(scan, numbers)
    card_spans = [(f.start, f.end) for f in numbers if f.kind == "card_number"]
    if numbers:
        # The cue patterns then see what a second pass would see: a blank where the number was.
        scan = mask(scan, [(f.start, f.end) for f in numbers])
    sentences = Sentences(scan)  # found once, when first asked for, and shared by both
    cue_windows = hits.cues if hits else None
    cued = find_cued(scan, sorted(card_spans + card_context), sentences, cue_windows)
    candidates = numbers + cued + codes_after_expiries(scan, cued)
    if card_spans:
        candidates.extend(chained_after_cards(scan, card_spans, sentences))
    return _resolve(candidates) if candidates else []


def redact(text: str) -> Redaction:
    """Replace every secret in `text` with a marker; findings point into the original text.

    The detectors read the normalised text (ASCII digits, no invisible characters, a number broken over
    lines joined: see triage.redact.normalize); each hit is mapped back, so a marker replaces exactly the
    original span, the invisible characters inside it included. Idempotent: markers are never re-read,
    so redacting redacted text changes nothing.
    """
    marked = find_marked(text)
    if not marked:
        return Redaction(text, ())
    parts: list[str] = []
    last = 0
    for f, marker in marked:
        parts.append(text[last : f.start])
        parts.append(marker)
        last = f.end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(f for f, _ in marked))


def find_marked(text: str) -> list[tuple[Finding, str]]:
    """Each finding (original offsets, in text order, never overlapping) with the marker that replaces it."""
    if not text:
        return []
    data = prescan.shadow(text) if prescan.available() else None
    norm = normalise(text, prescan.rewrites(text, data))
    clean = norm.text
    hits = prescan.scan(clean, data if norm.identity else None)  # the windows are found in what detectors read
    # The marker is made from the clean text: a card's last four in ASCII digits.
    return [(Finding(f.kind, *norm.to_original(f.start, f.end)), marker_for(f, clean)) for f in _find_all(clean, hits)]


def _find_all(text: str, hits: Hits | None = None) -> list[Finding]:
    """Every finding in a (normalised) text, sorted, never overlapping; `hits`: the text's prescan, if any."""
    scan, card_context = text, list[tuple[int, int]]()
    if "[" in text:
        scan, card_context = mask_markers(text)
    findings: list[Finding] = []
    # Removing one secret can expose another (a card that shared a digit run with an expiry), which a
    # second call would then find. Detect again on the blanked text until nothing new turns up, so a
    # second call never does.
    spells = hits.spells if hits is not None else None
    said = hits.said if hits is not None else None
    for _ in range(4):
        new = _detect(scan, card_context, hits, spells, said)
        if not new:
            break
        findings.extend(new)
        card_context = card_context + [(f.start, f.end) for f in new if f.kind == "card_number"]
        scan = mask(scan, [(f.start, f.end) for f in new])
        if hits is not None and any(_glued(text, f) for f in new):
            hits = None  # the prescan's windows may not cover what this blank exposes: see _glued
        if not any(_NEAR_DIGIT_RE.search(scan, max(0, f.start - 3), min(len(scan), f.end + 8)) for f in new):
            break  # nothing number-like borders a blank (or just past a glued cue: "…exp1227cvv123"), so done
    findings.sort(key=lambda f: f.start)
    return findings


def _glued(text: str, f: Finding) -> bool:
    """Whether a finding ends in a letter glued to another letter, or cuts a digit run at either end: the rare
    blanks after which later passes read the whole text. The prescan's windows assume neither: its IBAN trigger
    wants no letter before a country code (see iban_trigger), and a stretch of 20-128 digits opens no window
    (see prescan._LONG_RUNS), so a token capped at 128 characters that ends inside such a stretch, or a letter
    before a code, must not leave a later pass something no window holds."""
    end = text[f.end - 1 : f.end + 1]
    return (len(end) == 2 and ((end.isascii() and end.isalpha()) or end.isdigit())) or (
        f.start > 0 and text[f.start - 1 : f.start + 1].isdigit()
    )


def _add(a: dict[str, int], b: dict[str, int]) -> None:
    for k, v in b.items():
        a[k] = a.get(k, 0) + v


def _place(lines: list[str], part: str) -> list[int] | None:
    """Indexes of the body lines `part` is made of, in order (its last line right-stripped), or None."""
    want = part.split("\n")
    last = len(want) - 1
    picked: list[int] = []
    i = 0
    for j, line in enumerate(want):
        while i < len(lines) and (lines[i] if j < last else lines[i].rstrip()) != line:
            i += 1
        if i == len(lines):
            return None
        picked.append(i)
        i += 1
    return picked


def _rebuild_body(body_text: str, parts: tuple[str, ...], redacted: tuple[str, ...]) -> str | None:
    """body_text with each part's lines swapped for their redaction, or None where that is not exact.

    split_reply makes new text, quoted text and signature of whole body lines, in order, and leaves
    out only blank ones; so when every line that is not blank is placed in exactly one part, and
    redaction kept each part's line count, the body holds nothing the parts did not redact.
    """
    if "\r" in body_text:
        return None
    lines = body_text.split("\n")
    out = list(lines)
    placed = [False] * len(lines)
    for part, red in zip(parts, redacted, strict=True):
        if not part:
            continue
        picked = _place(lines, part)
        red_lines = red.split("\n")
        if picked is None or len(red_lines) != len(picked):
            return None
        for i, line in zip(picked, red_lines, strict=True):
            if placed[i]:
                return None
            placed[i] = True
            out[i] = line
        end = picked[-1]  # the part lost this line's trailing blanks; the body keeps them
        out[end] += lines[end][len(lines[end].rstrip()) :]
    if any(not done and line.strip() for done, line in zip(placed, lines, strict=True)):
        return None
    return "\n".join(out)


def redact_message(msg: ParsedMessage) -> tuple[ParsedMessage, dict[str, int]]:
    """Redact every human-written field of a message; return the copy and {kind: count}.

    new_text, quoted_text and signature are made of body_text's lines, so each is redacted once and
    the body is rebuilt from them (see `_rebuild_body`); only a body they do not add up to (a message
    built by hand) is redacted on its own, and then a secret is still counted once: per kind, the
    larger of the body's count and the parts' count.
    """
    subject = redact(msg.subject)
    from_name = redact(msg.from_name)
    new = redact(msg.new_text)
    quoted = redact(msg.quoted_text)
    signature = redact(msg.signature)
    attachments: list[Attachment] = []
    counts: dict[str, int] = {}
    for att in msg.attachments:
        r = redact(att.filename)
        _add(counts, r.counts())
        attachments.append(dataclasses.replace(att, filename=r.text) if r.findings else att)
    _add(counts, subject.counts())
    _add(counts, from_name.counts())
    parts: dict[str, int] = {}
    for r in (new, quoted, signature):
        _add(parts, r.counts())
    body_text = _rebuild_body(
        msg.body_text, (msg.new_text, msg.quoted_text, msg.signature), (new.text, quoted.text, signature.text)
    )
    if body_text is None:
        body = redact(msg.body_text)
        body_text = body.text
        whole = body.counts()
        parts = {k: max(whole.get(k, 0), parts.get(k, 0)) for k in whole.keys() | parts.keys()}
    _add(counts, parts)
    redacted = dataclasses.replace(
        msg,
        subject=subject.text,
        from_name=from_name.text,
        body_text=body_text,
        new_text=new.text,
        quoted_text=quoted.text,
        signature=signature.text,
        attachments=tuple(attachments),
    )
    return redacted, {k: v for k, v in counts.items() if v}
