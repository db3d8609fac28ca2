"""Pipeline throughput on one core: parse → redact → classify → extract → match → rank → draft, then store.

    .venv/bin/python bench/bench_pipeline.py [--quick]

The baseline is the bare stdlib parse of the same messages (email.message_from_bytes with
policy.default, then get_body and get_content): the least any Python mail tool pays. Targets
(issue 8): the whole pipeline >= 500 messages/s on one core and at most 5x the bare parse cost.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import demo_customers, describe, make_corpus  # noqa: E402
from bench.harness import (  # noqa: E402  (sets the one-thread environment before numpy/spaCy load)
    BATCH,
    DEMO_ORDERS,
    load_pipeline,
    one_core,
    profile_top,
    row,
    shop_now,
    timed,
    write_config,
)

TARGET_RATE = 500
TARGET_COST = 5.0


def bare_parse(data: bytes) -> str:
    msg = message_from_bytes(data, policy=policy.default)
    body = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
    return body.get_content() if body is not None else ""


def run(quick: bool) -> list[dict[str, Any]]:
    return run_detailed(quick)["rows"]


def run_detailed(quick: bool) -> dict[str, Any]:
    """Rows for the table, plus the per-stage split and, for a miss, where the time goes."""
    tmp = Path(tempfile.mkdtemp(prefix="triage-bench-pipeline-"))
    try:
        return _measure(quick, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(quick: bool, tmp: Path) -> dict[str, Any]:
    from triage.records import Checkpoint, RawMessage
    from triage.run.pipeline import stored_ref
    from triage.store import Store

    n, repeat = (600, 2) if quick else (5000, 3)
    corpus = make_corpus(n, customers=demo_customers(DEMO_ORDERS))
    now = shop_now()
    raws = [RawMessage("bench", 1, str(i + 1), m.raw, now, len(m.raw)) for i, m in enumerate(corpus)]
    batches = [raws[i : i + BATCH] for i in range(0, n, BATCH)]
    cfg_path = write_config(tmp / "inbox.toml", tmp / "unused.db")
    pipeline = load_pipeline(cfg_path)
    pipeline.run(raws[:BATCH])  # warm: lazy regex compiles, template loading, spaCy's first batch

    def whole() -> None:
        for b in batches:
            pipeline.run(b)

    stores: list[Any] = []

    def fresh_store() -> None:
        for s in stores:
            s.close()
        stores[:] = [Store(tmp / f"store{len(list(tmp.glob('store*.db')))}.db")]
        stores[0].upsert_orders(pipeline.orders.by_number.values())

    def with_store() -> None:
        store = stores[0]
        for b in batches:
            results = pipeline.run(b)
            items = [(stored_ref(r, t), t) for r, t in zip(b, results, strict=True)]
            store.save_batch(items, Checkpoint("bench", 1, int(b[-1].uid)))

    with one_core() as core:
        bare_wall, bare_s = timed(lambda: [bare_parse(r.data) for r in raws], repeat)
        pipe_wall, pipe_s = timed(whole, repeat)
        store_wall, store_s = timed(with_store, 1 if quick else repeat, setup=fresh_store)
        stages = _stage_split(pipeline, batches)
    stored = stores[0].count_messages()
    errors = stores[0].db.execute("SELECT count(*) FROM messages WHERE status = 'error'").fetchone()[0]
    for s in stores:
        s.close()

    bare_rate, pipe_rate, store_rate = n / bare_s, n / pipe_s, n / store_s
    note = (
        f"{n} msgs, {core}, CPU time, best of {repeat}; wall clock {n / pipe_wall:.0f} vs {n / bare_wall:.0f} msg/s;"
        f" {errors} error rows"
    )
    rows = [
        row(
            "pipeline: messages/s, one core",
            pipe_rate,
            "msg/s",
            bare_rate,
            "bare stdlib MIME parse",
            ratio=pipe_s / bare_s,
            ratio_unit="× parse cost",
            target=f">= {TARGET_RATE} msg/s",
            note=note,
        ),
        row(
            "pipeline: cost vs bare parse",
            pipe_s / bare_s,
            "×",
            bare_s / n * 1000,
            "bare parse, ms/msg",
            baseline_unit="ms",
            ratio=pipe_s / n * 1000,
            ratio_unit="ms/msg",
            target=f"<= {TARGET_COST:g}×",
        ),
        row(
            "pipeline + Store.save_batch (SQLite file)",
            store_rate,
            "msg/s",
            bare_rate,
            "bare stdlib MIME parse",
            ratio=store_s / bare_s,
            ratio_unit="× parse cost",
            note=f"CPU time, best of {1 if quick else repeat}; wall clock {n / store_wall:.0f} msg/s;"
            f" {stored} rows stored per run",
        ),
    ]
    out: dict[str, Any] = {"rows": rows, "stages": stages, "corpus": describe(corpus), "profile": None}
    if pipe_rate < TARGET_RATE or pipe_s / bare_s > TARGET_COST:
        out["profile"] = profile_top(whole, 5)
    return out


def _stage_split(pipeline: Any, batches: list[list[Any]]) -> dict[str, float]:
    """Seconds per stage group over the corpus, calling the pipeline's own stage methods in run()'s order."""
    spent = {"parse + redact": 0.0, "classify (spaCy)": 0.0, "extract … draft": 0.0}
    for b in batches:
        t0 = time.perf_counter()
        prepared = [pipeline.prepare(r) for r in b]
        t1 = time.perf_counter()
        ok = [p for p in prepared if p.error is None]
        intents = pipeline.classify(ok)
        t2 = time.perf_counter()
        by_id = dict(zip((id(p) for p in ok), intents, strict=True))
        now = pipeline.clock()
        threads: dict[str, list[tuple[str, ...]]] = {}
        for p in prepared:
            if id(p) in by_id:
                pipeline.finish(p, by_id[id(p)], now, threads)
        t3 = time.perf_counter()
        spent["parse + redact"] += t1 - t0
        spent["classify (spaCy)"] += t2 - t1
        spent["extract … draft"] += t3 - t2
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    out = run_detailed(args.quick)
    print(out["corpus"])
    for r in out["rows"]:
        print(f"{r['figure']:44} {r['value']:>14}  baseline {r['baseline']:<34} {r['ratio']:>16}  {r['result']}")
    total = sum(out["stages"].values())
    print("stages: " + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in out["stages"].items()))
    if out["profile"]:
        print(out["profile"])


if __name__ == "__main__":
    main()
