"""Streaming `triage redact`: chunked output is the one-shot output, secrets across chunk borders included."""

from __future__ import annotations

import io
import json
import random

import pytest

from tests.support.cli import invoke_triage
from triage.redact import redact
from triage.redact.stream import StreamRedactor, redact_stream

SECRETS = [
    "my card 4111 1111 1111 1111 exp 12/29 cvv 123",
    "IBAN DE89 3704 0044 0532 0130 00",
    "password: hunter22",
    "card ４１１１ １１１１ １１１１ １１１１",
    "card 4111\u200b1111\u200b1111\u200b1111",
    "card 41111111\n11111111",
    "sort code 12-34-56 account number 12345678",
    "Verfallsdatum der Karte: 12.2029",
]
FILLER = ["Hello,", "order 1042 arrived", "thanks", "see you", "call +49 151 23456789", "12.03.2026", "EUR 12,99"]


def corpus(n: int, seed: int, newlines: bool) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    for _ in range(n):
        words.append(rng.choice(SECRETS) if rng.random() < 0.3 else rng.choice(FILLER))
    sep = "\n" if newlines else " "
    return sep.join(words)


def streamed(text: str, chunk: int, overlap: int) -> tuple[str, list[tuple[str, int, int]]]:
    out: list[str] = []
    sink = StreamRedactor(out.append, overlap=overlap)
    for i in range(0, len(text), chunk):
        sink.feed(text[i : i + chunk])
    sink.close()
    return "".join(out), [(f.kind, f.start, f.end) for f in sink.findings]


@pytest.mark.parametrize("newlines", [True, False])
@pytest.mark.parametrize(("chunk", "overlap"), [(97, 600), (1000, 600), (4096, 4096), (50_000, 4096)])
def test_streamed_output_equals_one_shot(newlines: bool, chunk: int, overlap: int) -> None:
    text = corpus(3000, seed=chunk + overlap, newlines=newlines)
    want = redact(text)
    got, findings = streamed(text, chunk, overlap)
    assert got == want.text
    assert findings == [(f.kind, f.start, f.end) for f in want.findings]
    assert "4111" not in got.replace("•••• 1111", "")


def test_a_secret_on_every_chunk_border() -> None:
    """Cuts fall at line breaks and spaces; put a secret across every possible read border."""
    text = "x" * 10 + " ".join("card 4111 1111 1111 1111" for _ in range(400))
    for chunk in (7, 13, 64, 333):
        got, _ = streamed(text, chunk, overlap=300)
        assert got == redact(text).text
        assert "4111 1111" not in got


def test_redact_stream_json_is_the_one_shot_json() -> None:
    text = corpus(2000, seed=5, newlines=True)
    buf = io.StringIO()
    redact_stream(io.StringIO(text).read, buf.write, as_json=True, chunk=1000)
    got = json.loads(buf.getvalue())
    want = redact(text)
    assert got["text"] == want.text
    assert got["redactions"] == want.counts()
    assert got["findings"] == [{"kind": f.kind, "start": f.start, "end": f.end} for f in want.findings]


def test_cli_redact_streams_a_multi_chunk_input() -> None:
    filler = ("Hello, order 1042 arrived today, thanks.\n" * 30_000)[: (1 << 20) - 10]  # one chunk, nearly
    text = filler + "\n" + corpus(400, seed=9, newlines=True)  # secrets across the first chunk's end
    assert len(text) > 1 << 20
    result = invoke_triage("redact", input=text)
    assert result.returncode == 0
    assert result.stdout == redact(text).text


def test_cli_redact_json_empty_input() -> None:
    result = invoke_triage("redact", "--json", input="")
    assert json.loads(result.stdout) == {"text": "", "redactions": {}, "findings": []}
