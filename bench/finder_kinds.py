"""The request finder's reading of every train and dev mail, per intent, and how two readings compare with gold.

`python bench/finder_kinds.py dump OUT` writes one JSON line per train+dev mail (models/data/mail, its fixed
split): id, split, language, gold labels, and per intent the finder's kind (request, mention, blocked or none)
with the `why` of a block. `python bench/finder_kinds.py compare A B` reads two dumps (before, after a finder
change) and prints, per language, how many readings got better or worse against gold, then the changed ids.
Right for a gold label is a request; a request for a label the mail lacks is wrong; any other reading of a gold
label is a miss. The finder is judged alone (no model), so a lexicon change is measured without retraining:
the acceptance for one is 0 worse and some better. Never run on test rows or ../shared/eval.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage.model.data import load_mail, split  # noqa: E402
from triage.understand.classify import LEMMAS_DIR, mail_parts, request_text  # noqa: E402
from triage.understand.intents import INTENTS  # noqa: E402
from triage.understand.requests import LEXICONS, REQUEST, RequestFinder  # noqa: E402

SPLITS = ("train", "dev")
NONE = "none"
RIGHT, WRONG, MISS, FINE = "right", "wrong", "miss", "fine"
# Better/worse: a move up this scale for one intent of one mail (right and fine are both correct readings).
GOOD = {RIGHT: 1, FINE: 1, MISS: 0, WRONG: 0}


def readings(finder: RequestFinder) -> list[dict[str, object]]:
    """One record per train+dev mail: gold labels and the finder's kind (and why) per intent."""
    rows = split(load_mail())
    out: list[dict[str, object]] = []
    for which in SPLITS:
        for row in rows[which]:
            _, clauses = request_text(*mail_parts(row.subject, row.body))
            hits = finder.find(clauses)
            reading = {i: [hits[i].kind, hits[i].why] if i in hits else [NONE, ""] for i in INTENTS}
            out.append({"id": row.id, "split": which, "lang": row.lang, "gold": list(row.labels), "finder": reading})
    return out


def verdict(kind: str, gold: bool) -> str:
    """A reading of one intent against gold: right, miss (gold label not read as a request), wrong, fine."""
    if gold:
        return RIGHT if kind == REQUEST else MISS
    return WRONG if kind == REQUEST else FINE


def compare(a: list[dict], b: list[dict]) -> tuple[Counter[tuple[str, str]], list[str]]:
    """Counts of (lang, better|worse|moved) and one line per changed reading; `moved` is a changed kind or
    why that leaves the verdict as it was (mention -> blocked of a label the mail lacks)."""
    before = {r["id"]: r for r in a}
    counts: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for r in b:
        old = before.get(r["id"])
        if old is None:
            continue
        for intent in INTENTS:
            was, now = old["finder"][intent], r["finder"][intent]
            if was == now:
                continue
            gold = intent in r["gold"]
            v0, v1 = verdict(was[0], gold), verdict(now[0], gold)
            change = "better" if GOOD[v1] > GOOD[v0] else "worse" if GOOD[v1] < GOOD[v0] else "moved"
            counts[(r["lang"], change)] += 1
            if change != "moved" or "-v" in sys.argv:
                why0, why1 = f"({was[1]})" if was[1] else "", f"({now[1]})" if now[1] else ""
                lines.append(
                    f"{change:6} {r['id']} [{r['lang']} {r['split']}] {intent}: {was[0]}{why0} -> {now[0]}{why1}"
                    f"  gold={r['gold']}"
                )
    return counts, sorted(lines)


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "dump" and len(sys.argv) == 3:
        finder = RequestFinder.load(ROOT / "models" / "intent" / LEMMAS_DIR, LEXICONS)
        recs = readings(finder)
        Path(sys.argv[2]).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
        per = Counter((str(r["lang"]), verdict(r["finder"][i][0], i in r["gold"])) for r in recs for i in INTENTS)
        for lang in sorted({k for k, _ in per}):
            print(lang, {v: per[(lang, v)] for v in (RIGHT, MISS, WRONG)})
        print(f"{len(recs)} train+dev mails written to {sys.argv[2]}")
        return 0
    if mode == "compare" and len(sys.argv) >= 4:
        load = [[json.loads(x) for x in Path(p).read_text().splitlines()] for p in sys.argv[2:4]]
        counts, lines = compare(*load)
        print("\n".join(lines))
        for lang in sorted({k for k, _ in counts}):
            print(lang, {c: counts[(lang, c)] for c in ("better", "worse", "moved")})
        total = {c: sum(n for (_, k), n in counts.items() if k == c) for c in ("better", "worse", "moved")}
        print("all", total)
        return 0
    print(__doc__.split("\n\n")[1] + "\nusage: finder_kinds.py dump OUT | compare A B [-v]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
