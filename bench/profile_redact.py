"""Where the time of one typical mail goes in `triage.redact` (issue 13): a per-phase table, and the prescan's
callbacks and windows by trigger class, for secret-free ~4 KB mails and for ~4 KB mails with secrets.

    .venv/bin/python bench/profile_redact.py [--mails N] [--rounds N] [--code DIR]

Each phase is timed on its own over the same texts (best of rounds, µs of this process's CPU time per mail:
a table of shares, not a benchmark; bench_redact.py gives the MB/s and the ratio). `--code /work/main` times
another checkout's package with this same script and corpus, for a before/after in one session. Every window
opened on a secret-free mail is wasted work, so the windows are counted apart for those.

Measured 2026-12-03 (issue 13, fourth round), main at 0b3aed4 (`--code /work/main`) and this code alternating,
two runs each, in one session on the shared 2-core machine; CPU µs per ~4 KB mail; secret-free | with secrets
| the bench's mix:

    phase                                   main                      after
    rewrites() (hyperscan + callbacks)      9.2 |   8.5 |   9.4       9.1 |   8.4 |   9.1
    normalise                               9.8 |   9.8 |  10.2       9.7 |   9.8 |   9.8
    scan() incl. callbacks + windows       27.6 |  55.2 |  37.3      28.3 |  55.5 |  34.9
    numbers: cards + IBAN                  21.4 | 210-222 |  67      24.6 |   184 |  63.4
    cue words                               0.9 |  42.4 |  10.4       0.9 |  44.3 |  10.6
    cue values (incl. cue words)            1.2 | 123-127 |  27      1.2 | 112-137 |  25
    all detectors (_find_all)              30.0 | 455-468 | 132-139   31-35 | 400-407 | 122-155
    redact, everything                    101-102 | 623-631 | 224-229  102-103 | 553-569 | 213-216

What changed (each proven equal in tests/test_redact_equivalence.py): the sentence-end pattern starts with one
character class (41 -> 25 µs for a whole-text pass); the cue kind comes from one alternation with a named
group per kind; a chunk's strong windows are only the issuer+Luhn candidates found before the windows are
built, looked up once per start group; a weak window looks the card word up only where a window of 12+
digits starts; a wide run that opens with the card the chunk read found is not read folded again where that
read can only find the same card (`cards._adds_nothing`; in one process, alternating, with the skip on and
off: numbers on mails with secrets 198 -> 189 µs). A mail dense with secrets costs ~10 % less, the mix ~5 %.

What the table says: a secret-free mail costs ~100 µs (~44 MB/s, about the one-regex scan). The mix spends
more than half its time on the fifth of its mails with secrets: ~18 findings per ~4 KB text of such mails
(4.3 cards, 4.3 CVVs, 4.2 expiries, 3.9 passwords, 1.9 IBANs) at ~25 µs of Python each: the card chunk
reads (~15-30 µs a card), the cue values and their sentence bounds, the chain after each card. A mix text
costs ~215 µs: ~100 base plus ~5 findings at ~23; 40 MB/s is ~111 µs, so ~2-3 µs a finding: a different
design (the windows' decisions out of Python), not more trimming.
Before the third round, cue triggers fired inside words ("expéditeur", "important"), the IBAN trigger on
any two letters before two digits ("order 1135…"), and a 20+ digit tracking number opened a number window in
which only an IBAN could start.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# `--code DIR`: time another checkout's triage (main, say) with this script and corpus: read before the imports.
if "--code" in sys.argv[1:-1]:
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

import triage.redact as R  # noqa: E402
from bench.redact_corpus import make_corpus  # noqa: E402
from triage.redact import find_marked, prescan  # noqa: E402
from triage.redact.cues import find_cues  # noqa: E402
from triage.redact.normalize import normalise  # noqa: E402

SEED = 20261103


def texts_by_kind(n: int) -> dict[str, list[str]]:
    """~4 KB texts (the corpus's mails joined, as bench_redact does), made only of secret-free mails or only
    of mails with secrets, and the mixed ones bench_redact times."""
    mails = make_corpus(n, seed=SEED, secret_share=0.2)
    out: dict[str, list[str]] = {}
    for name, pick in (
        ("secret-free", lambda m: not (m.cards or m.ibans or m.passwords)),
        ("with secrets", lambda m: bool(m.cards or m.ibans or m.passwords)),
        ("mixed (bench)", lambda m: True),
    ):
        texts: list[str] = []
        cur: list[str] = []
        for m in mails:
            if pick(m):
                cur.append(m.text)
                if sum(map(len, cur)) >= 4000:
                    texts.append("\n\n".join(cur))
                    cur = []
        out[name] = texts
    return out


def _best(f: Callable[[str], object], texts: list[str], rounds: int) -> float:
    """µs of this process's CPU time per text, best of `rounds` (CPU time: other jobs on the shared machine
    take the cores away now and then, which wall time counts)."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for t in texts:
            f(t)
        best = min(best, time.process_time() - t0)
    return best / len(texts) * 1e6


def phases(texts: list[str], rounds: int) -> dict[str, float]:
    """µs per mail of each phase of find_marked, each run on its own over precomputed inputs."""
    for t in texts:
        find_marked(t)
    sh = {t: prescan.shadow(t) for t in texts}
    rw = {t: prescan.rewrites(t, sh[t]) for t in texts}
    norm = {t: normalise(t, rw[t]) for t in texts}
    clean = {t: norm[t].text for t in texts}
    csh = {t: sh[t] if norm[t].identity else prescan.shadow(clean[t]) for t in texts}
    hits = {t: prescan.scan(clean[t], csh[t]) for t in texts}
    dbs = prescan._databases()
    out: dict[str, float] = {}
    out["shadow encode"] = _best(prescan.shadow, texts, rounds)
    out["hs rewrite db, no callback"] = _best(lambda t: dbs[0].scan(sh[t], scratch=prescan._scratch(0)), texts, rounds)  # type: ignore[attr-defined]
    out["rewrites() incl. callbacks"] = _best(lambda t: prescan.rewrites(t, sh[t]), texts, rounds)
    out["normalise"] = _best(lambda t: normalise(t, rw[t]), texts, rounds)
    out["re-shadow of the clean text"] = _best(
        lambda t: None if norm[t].identity else prescan.shadow(clean[t]), texts, rounds
    )
    out["hs detector db, no callback"] = _best(
        lambda t: dbs[1].scan(csh[t], scratch=prescan._scratch(1)), texts, rounds
    )  # type: ignore[attr-defined]
    out["scan() incl. callbacks + windows"] = _best(lambda t: prescan.scan(clean[t], csh[t]), texts, rounds)
    out["numbers: cards + IBAN (_find_numbers)"] = _best(lambda t: R._find_numbers(clean[t], hits[t]), texts, rounds)
    out["cue words (find_cues)"] = _best(lambda t: find_cues(clean[t], hits[t].cues), texts, rounds)
    out["cue values (find_cued incl. cues)"] = _best(
        lambda t: R.find_cued(clean[t], [], None, hits[t].cues), texts, rounds
    )
    out["all detectors (_find_all)"] = _best(lambda t: R._find_all(clean[t], hits[t]), texts, rounds)
    out["find_marked (everything)"] = _best(find_marked, texts, rounds)
    out["redact (+ result assembly)"] = _best(R.redact, texts, rounds)
    return out


_KIND = {0: "number", 1: "iban", 2: "break", 3: "entity", 4: "percent", 5: "tag", 6: "char"}


def callbacks(texts: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Per mail: hyperscan callbacks by trigger class, and windows (count; characters) the detectors read."""
    cb: collections.Counter[str] = collections.Counter()
    win: collections.Counter[str] = collections.Counter()
    for t in texts:
        sh = prescan.shadow(t)
        for k, _, _ in prescan._hits(0, sh):
            cb["rewrite:" + _KIND[k]] += 1
        rw = prescan.rewrites(t, sh) or []
        norm = normalise(t, rw)
        win["rewrite candidates"] += len(rw)
        win["rewrites made"] += len(norm.clean_starts)
        clean = norm.text
        for k, _, _ in prescan._hits(1, prescan.shadow(clean)):
            name = _KIND.get(k) or ("cue" if k >= prescan._CUE else "first/last word")
            cb["detector:" + name] += 1
        h = prescan.scan(clean)
        assert h is not None
        win["number windows"] += len(h.numbers)
        win["number window chars"] += sum(e - s for s, e in h.numbers)
        win["cue windows"] += len(h.cues)
        win["first/last words"] += len(h.firsts) + len(h.lasts)
    n = len(texts)
    return {k: v / n for k, v in sorted(cb.items())}, {k: v / n for k, v in win.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--code", metavar="DIR", help="time the triage package of this checkout instead (main)")
    args = parser.parse_args(argv)
    kinds = texts_by_kind(args.mails)
    print(f"code: {Path(R.__file__).resolve().parents[2]}")
    table = {name: phases(texts, args.rounds) for name, texts in kinds.items()}
    names = list(kinds)
    print("| phase (µs per ~4 KB mail) | " + " | ".join(f"{n} ({len(kinds[n])})" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for phase in table[names[0]]:
        print(f"| {phase} | " + " | ".join(f"{table[n][phase]:.1f}" for n in names) + " |")
    sizes = {n: sum(len(t.encode()) for t in kinds[n]) / len(kinds[n]) for n in names}
    print(
        "| MB/s (redact) | "
        + " | ".join(f"{sizes[n] / table[n]['redact (+ result assembly)']:.1f}" for n in names)
        + " |"
    )
    print()
    per = {n: callbacks(kinds[n]) for n in names}
    keys = sorted({k for n in names for k in per[n][0]})
    print("| per mail | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for k in keys:
        print(f"| callbacks {k} | " + " | ".join(f"{per[n][0].get(k, 0):.1f}" for n in names) + " |")
    for k in per[names[0]][1]:
        print(f"| {k} | " + " | ".join(f"{per[n][1].get(k, 0):.1f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
