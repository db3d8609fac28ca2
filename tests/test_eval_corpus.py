"""Every raw message of the public corpus (../shared/eval/emails-*) parses, within a time bound.

The corpus is required: CI checks it out beside this repository, so a missing folder fails
here rather than skipping. Each parse runs under a SIGALRM guard; that is a hang detector
with a generous bound, not a speed measurement.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.mail.parse import MAX_TEXT_CHARS, parse_message
from triage.run.guard import time_limit

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
# ../shared/eval/README.md: "257 full RFC 822 messages (103 mikel + 48 flanker + 75 hunnysoft +
# 18 SpamScope + 13 talon; +1 Outlook .msg binary)".
EXPECTED = {
    "emails-mikel-mail": 103,
    "emails-flanker": 48,
    "emails-zbateson-hunnysoft": 75,
    "emails-spamscope": 18,
    "emails-talon": 13,
}
RFC822_TOTAL = 257
NOT_RFC822 = {"emails-spamscope/mails/mail_outlook_1"}  # an Outlook .msg (OLE2) file
TIME_LIMIT_SECONDS = 5


def _corpus() -> list[str]:
    """Paths (relative to SHARED_EVAL) of every message the folders' manifests list."""
    paths = []
    for folder in sorted(SHARED_EVAL.glob("emails-*")):
        for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                paths.append(f"{folder.name}/{json.loads(line)['path']}")
    return paths


MESSAGES = _corpus() if SHARED_EVAL.is_dir() else []


def test_corpus_is_present_and_complete() -> None:
    assert SHARED_EVAL.is_dir(), f"{SHARED_EVAL} is missing: check out ../shared beside this repository"
    counts = {name: 0 for name in EXPECTED}
    for rel in MESSAGES:
        if rel not in NOT_RFC822:
            counts[rel.split("/", 1)[0]] += 1
    assert counts == EXPECTED
    assert sum(counts.values()) == RFC822_TOTAL
    assert all((SHARED_EVAL / rel).is_file() for rel in MESSAGES)
    assert set(MESSAGES) >= NOT_RFC822


@pytest.mark.parametrize("rel", MESSAGES)
def test_message_parses_in_time(rel: str) -> None:
    data = (SHARED_EVAL / rel).read_bytes()
    with time_limit(TIME_LIMIT_SECONDS):
        parsed = parse_message(data, frozenset({"support@shop.example"}))
    if rel in NOT_RFC822:
        assert parsed.defects[0].startswith("unreadable:")
        return
    assert not any(d.startswith("unreadable:") for d in parsed.defects)
    assert len(parsed.body_text) <= MAX_TEXT_CHARS
    body_lines = {line.rstrip() for line in parsed.body_text.split("\n")}
    for part in (parsed.new_text, parsed.quoted_text, parsed.signature):
        # The split only sorts the body's lines (each part loses its trailing whitespace).
        assert {line.rstrip() for line in part.split("\n")} <= body_lines | {""}
    for field in ("subject", "from_name", "body_text", "new_text", "quoted_text", "signature"):
        getattr(parsed, field).encode("utf-8")  # no lone surrogates: storable and JSON-encodable
    assert parsed.from_addr == parsed.from_addr.lower()
    assert all(a == a.lower() for a in parsed.to + parsed.cc)
    assert parsed.date is None or parsed.date.tzinfo is not None
    assert parsed.message_id is None or not parsed.message_id.startswith("<")


def test_known_bounces_are_never_answered() -> None:
    # Every delivery report in the corpus, whatever MTA wrote it, must be recognised.
    bounces = [
        rel
        for rel in MESSAGES
        if "/bounce/" in rel or "/multipart_report_emails/" in rel or rel.endswith("mail_malformed_2")
    ]
    assert len(bounces) >= 12
    for rel in bounces:
        assert parse_message((SHARED_EVAL / rel).read_bytes()).no_reply == "bounce", rel
