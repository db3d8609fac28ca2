"""How often split_reply finds the new text the public reply-parsing expectations ask for.

Two sets from ../shared/eval:
- emails-talon/expectations.jsonl (mailgun/talon): client replies as .eml (through parse_message)
  and HTML bodies (through html_to_text). Talon's "reply" keeps the signature, so the compared
  text is new_text plus signature.
- email-replies-crisp/expectations.jsonl (crisp-oss/email-reply-parser): plain bodies; "first
  fragment" and "visible text" are our new_text. A fragment_count of 1 means nothing may be split
  off; more than 1 means something must be.

Text is compared with whitespace runs collapsed (talon's HTML rows: with all whitespace removed).
Known deliberate differences (see the module docstring of triage.mail.quotes): inline answers below a
quote stay new text (crisp email_2), a closing with a name under it is a signature (crisp
email_not_a_signature), and a name above an <hr> stays in the reply (talon reply-separated-by-hr).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from triage.mail.html_text import html_to_text
from triage.mail.parse import parse_message
from triage.mail.quotes import split_reply

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
TALON = SHARED_EVAL / "emails-talon"
CRISP = SHARED_EVAL / "email-replies-crisp"
# The rates reached when these bounds were set: talon 23/24, crisp 69/71.
TALON_MIN_RATE = 0.9
CRISP_MIN_RATE = 0.93


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _talon_failure(row: dict[str, object]) -> str | None:
    path = TALON / str(row["fixture"])
    if path.suffix == ".eml":
        parsed = parse_message(path.read_bytes())
        new, signature = parsed.new_text, parsed.signature
    else:
        new, _, signature = split_reply(html_to_text(path.read_text(encoding="utf-8", errors="replace")))
    reply = f"{new}\n\n{signature}" if signature else new
    expected = row["expected_reply_text"]
    if expected is None:  # "the reply is non-empty and does not contain 'From'"
        good = bool(new.strip()) and "From" not in new
    elif path.suffix == ".eml":
        good = _ws(reply) == _ws(str(expected))
    else:
        good = re.sub(r"\s+", "", reply) == re.sub(r"\s+", "", str(expected))
    return None if good else f"{row['fixture']}: got {reply[:120]!r}"


def _crisp_failure(row: dict[str, object]) -> str | None:
    text = (CRISP / str(row["fixture"])).read_text(encoding="utf-8")
    new, quoted, signature = split_reply(text)
    problems = []
    for key in ("first_fragment_equals", "first_fragment_trimmed_equals", "visible_text_equals"):
        if key in row and _ws(new) != _ws(str(row[key])):
            problems.append(key)
    patterns = row.get("first_fragment_matches_regex", [])
    for pattern in patterns if isinstance(patterns, list) else []:
        if not re.search(pattern, new):
            problems.append(f"regex {pattern}")
    if row.get("first_fragment_is_quoted") is False and not new.strip():
        problems.append("first fragment is empty")
    if "fragment_count" in row and (row["fragment_count"] == 1) == bool(quoted or signature):
        problems.append(f"fragment_count {row['fragment_count']}")
    return f"{row['fixture']}: {', '.join(problems)}; new text {new[:80]!r}" if problems else None


def test_talon_expectations() -> None:
    rows = _rows(TALON / "expectations.jsonl")
    assert len(rows) == 24
    failures = [f for f in map(_talon_failure, rows) if f]
    rate = 1 - len(failures) / len(rows)
    print(f"talon: {len(rows) - len(failures)}/{len(rows)} = {rate:.3f}", *failures, sep="\n  ")
    assert rate >= TALON_MIN_RATE, failures


def test_crisp_expectations() -> None:
    rows = _rows(CRISP / "expectations.jsonl")
    assert len(rows) == 71
    failures = [f for f in map(_crisp_failure, rows) if f]
    rate = 1 - len(failures) / len(rows)
    print(f"crisp: {len(rows) - len(failures)}/{len(rows)} = {rate:.3f}", *failures, sep="\n  ")
    assert rate >= CRISP_MIN_RATE, failures
