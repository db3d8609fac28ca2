"""Equality guard for speed work on `triage.redact`: dumps every redaction so a faster redactor can be checked to
redact exactly as before (issue 13's speed round).

`python bench/redact_guard.py dump FILE` writes one JSON line per text: the key, `redact(text)`'s output text and
its findings (kind, start, end), with the hyperscan prescan and, for every text but the big corpus ones, without
it (the fallback path must stay identical too). `python bench/redact_guard.py check FILE` redacts them again and
prints every difference (exit 1 if any). Texts: the bench corpus (`make_corpus`, several seeds, each mail and the
~4 KB threads bench_redact joins them into), every string literal in tests/test_redact*.py (their tables of
secrets, decoys and keep items, and the parts of every parametrized case), the labelled training mails and the
demo inbox, and the probe items of /work/tasks/probe3/items.json and /tmp/probe/ when present. The dump is a local
artefact (it holds the probe's texts): keep it out of git.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.redact_corpus import make_corpus  # noqa: E402
from triage.redact import prescan, redact  # noqa: E402

SEEDS = (20261103, 1, 2, 3, 4)
PROBES = (Path("/work/tasks/probe3/items.json"), *sorted(Path("/tmp/probe").glob("items*.json")))
DECOY_FILES = (Path("/tmp/probe/decoys.txt"),)


def _threads(texts: list[str]) -> Iterator[str]:
    """The texts joined into ~4 KB threads, as bench_redact's typical mail."""
    cur: list[str] = []
    for t in texts:
        cur.append(t)
        if sum(map(len, cur)) >= 4000:
            yield "\n\n".join(cur)
            cur = []
    if cur:
        yield "\n\n".join(cur)


def _test_literals() -> Iterator[tuple[str, str]]:
    """Every string constant of 3+ characters in the redaction tests (tables and parametrized cases)."""
    for path in sorted((ROOT / "tests").glob("test_redact*.py")):
        seen: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and len(value) >= 3 and value not in seen:
                seen.add(value)
                yield f"{path.name}#{len(seen)}", value


def _generated() -> Iterator[tuple[str, str]]:
    """Seeded cases in the shapes of tests/test_redact_properties.py (its helpers and tables, random instead of
    hypothesis): every issuer range with every separator, invisible character, digit script, line break, HTML
    shape, and the CVV and expiry lines beside a card."""
    import random

    import tests.test_redact_properties as P
    from tests.test_redact import luhn_complete

    rng = random.Random(13)

    def card(issuer: object) -> str:
        first, last = int(issuer.first), int(issuer.last)  # type: ignore[attr-defined]
        prefix = str(rng.randint(first, last)).zfill(len(issuer.first))  # type: ignore[attr-defined]
        length = rng.choice(sorted(issuer.lengths))  # type: ignore[attr-defined]
        return luhn_complete(prefix + "".join(rng.choice("0123456789") for _ in range(length - 1 - len(prefix))))

    for n, issuer in enumerate(P.ISSUERS):
        digits = card(issuer)
        g = P.groups_of(digits)
        script = rng.choice(list(P.SCRIPTS))
        for sep in P.SEPARATORS:
            yield f"gen/{n}/sep{sep!r}", f"Hi, {rng.choice(P.CUES)}{P.in_script(sep.join(g), script)} thanks"
        for inv in P.INVISIBLE:
            yield f"gen/{n}/inv{inv!r}", f"card {P.in_script(inv.join(g), script)}."
        for k, shape in enumerate(P._breaks(digits)):
            yield f"gen/{n}/break{k}", f"Hello,\nmy card is\n{P.in_script(shape, script)}\nthanks"
        for k, html in enumerate(P._html(digits)):
            yield f"gen/{n}/html{k}", html
        exp, cvv = rng.choice(P.EXPIRY), rng.choice(P.CVV)
        mm, yy, code = f"{rng.randint(1, 12):02d}", rng.randint(26, 35), rng.randint(100, 999)
        sep = rng.choice([" ", "-", "/", "  ", "\u200b"])
        yield (
            f"gen/{n}/cvv",
            f"my card {sep.join(g)}, {exp.format(mm=mm, yy=yy)}, {cvv.format(c=code)}. Thanks",
        )
        yield (
            f"gen/{n}/tracking",
            f"Hello, {rng.choice(['tracking number', 'Sendungsnummer', 'invoice'])} {digits}. Thanks!",
        )


def _probe_texts() -> Iterator[tuple[str, str]]:
    for path in PROBES:
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        for group, rows in sorted(data.items()):
            for i, row in enumerate(rows):
                yield f"{path}#{group}{i}", row if isinstance(row, str) else row[0]
    for path in DECOY_FILES:
        if path.exists():
            for i, chunk in enumerate(path.read_text().split("\n----\n")):
                yield f"{path}#{i}", chunk


def _repo_mail() -> Iterator[tuple[str, str]]:
    from triage.model.data import load_mail

    for row in load_mail():
        yield f"mail/{row.id}", f"{row.subject}\n\n{row.body}"
    for path in sorted(p for sub in ("cur", "new") for p in (ROOT / "demo" / "inbox" / sub).iterdir()):
        yield f"demo/{path.name}", path.read_bytes().decode("utf-8", "replace")


def texts() -> Iterator[tuple[str, str, bool]]:
    """(key, text, also without the prescan) in a fixed order."""
    for seed in SEEDS:
        mails = [m.text for m in make_corpus(600, seed=seed, secret_share=0.35)]
        for i, t in enumerate(mails):
            yield f"corpus/{seed}/{i}", t, seed == SEEDS[0]
        for i, t in enumerate(_threads(mails)):
            yield f"thread/{seed}/{i}", t, False
    for key, t in _test_literals():
        yield key, t, True
    for key, t in _generated():
        yield key, t, True
    for key, t in _probe_texts():
        yield key, t, True
    for key, t in _repo_mail():
        yield key, t, False


def _record(text: str) -> dict:
    r = redact(text)
    return {"text": r.text, "findings": [[f.kind, f.start, f.end] for f in r.findings]}


def records() -> Iterator[dict]:
    for key, text, both in texts():
        row = {"id": key, **_record(text)}
        if both:
            with prescan.disabled():
                alone = _record(text)
            if alone != {"text": row["text"], "findings": row["findings"]}:
                row["fallback"] = alone
        yield row


def main() -> int:
    mode, path = sys.argv[1], Path(sys.argv[2])
    rows = list(records())
    if mode == "dump":
        path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
        print(f"{len(rows)} redactions written to {path} ({sum(bool(r['findings']) for r in rows)} with findings)")
        return 0
    old = [json.loads(line) for line in path.read_text().split("\n") if line]
    if len(old) != len(rows):
        print(f"{len(old)} texts dumped, {len(rows)} now: the text set changed, dump again on the old code")
        return 1
    diff = [(a, b) for a, b in zip(old, rows, strict=True) if a != json.loads(json.dumps(b, sort_keys=True))]
    for a, b in diff[:20]:
        was, now = (json.dumps(r, ensure_ascii=False)[:600] for r in (a, b))
        print(f"DIFF {a['id']}:\n  was {was}\n  now {now}")
    print(f"{len(rows)} texts ({sum(bool(r['findings']) for r in rows)} with findings), {len(diff)} outputs changed")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
