"""The queue with 10,000 open conversations: cold start of `run_triage.py queue`, and the render in-process.

    .venv/bin/python bench/bench_queue.py [--quick]

The store is built by running the real pipeline over a few hundred corpus messages and saving
copies of the results (each under its own UID and thread) through Store.save_batch until 10,000
items are open. Cold start is measured against `python -c "pass"` (the interpreter) and
`python -c "import triage.cli"` (the CLI's own imports); the in-process render (Store.queue +
report.terminal.queue_table) against a bare sqlite3 execution of the very SELECT Store.queue runs.
Targets: cold start < 1.5 s (issue 8), render < 1 s (issue 5).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import demo_customers, make_corpus  # noqa: E402
from bench.harness import (  # noqa: E402  (sets the one-thread environment before numpy/spaCy load)
    DEMO_ORDERS,
    load_pipeline,
    one_core,
    profile_top,
    row,
    shop_now,
    timed,
    write_config,
)

ITEMS = 10_000
TARGET_COLD_S = 1.5
TARGET_RENDER_S = 1.0


def build_store(db: Path, cfg: Path, items: int = ITEMS, distinct: int = 300) -> int:
    """A store with `items` open items: `distinct` real pipeline results, saved again and again."""
    from triage.records import Checkpoint, RawMessage
    from triage.run.pipeline import stored_ref
    from triage.store import Store

    pipeline = load_pipeline(cfg)
    now = shop_now()
    corpus = make_corpus(distinct, seed=5, customers=demo_customers(DEMO_ORDERS))
    raws = [RawMessage("bench", 1, str(i + 1), m.raw, now, len(m.raw)) for i, m in enumerate(corpus)]
    results = [(r, t) for r, t in zip(raws, pipeline.run(raws), strict=True) if t.parsed.no_reply is None]
    store = Store(db)
    store.upsert_orders(pipeline.orders.by_number.values())
    batch: list[Any] = []
    for uid in range(1, items + 1):
        raw, t = results[uid % len(results)]
        ref = stored_ref(raw, t)
        received = (ref.received_at or now) - timedelta(minutes=uid % 4000)
        parsed = dataclasses.replace(t.parsed, message_id=f"<bench-{uid}@example.com>")
        ref = dataclasses.replace(ref, uid=str(uid), thread_key=f"bench-{uid}", received_at=received)
        # Each saved copy its own conversation (the results' own keys would fold them into ~300 threads).
        conv = dataclasses.replace(t.conversation, key=f"bench-{uid}", id=None) if t.conversation else None
        batch.append((ref, dataclasses.replace(t, parsed=parsed, conversation=conv)))
        if len(batch) == 500:
            store.save_batch(batch, Checkpoint("bench", 1, uid))
            batch = []
    if batch:
        store.save_batch(batch, Checkpoint("bench", 1, items))
    open_items = len(store.queue())
    store.close()
    return open_items


def _cold(args: list[str], repeat: int, warm: bool = True) -> float:
    """Median wall-clock seconds of a fresh process running `args` (after one untimed run if `warm`)."""
    cmd = [sys.executable, *args]
    if warm:
        subprocess.run(cmd, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_profile(cfg: Path, n: int = 5) -> str:
    """The slowest imports of a `queue` start (python -X importtime), by cumulative time."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "run_triage.py"), "--config", str(cfg), "queue"],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        check=True,
    )
    top: list[tuple[int, str]] = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _self, cumulative, name = (p.strip() for p in line[len("import time:") :].split("|"))
            if name.count(".") == 0 and not name.startswith(" "):
                top.append((int(cumulative), name))
    top.sort(reverse=True)
    return "\n".join(f"{us / 1e6:6.3f} s  import {name}" for us, name in top[:n])


def run(quick: bool) -> list[dict[str, Any]]:
    return run_detailed(quick)["rows"]


def run_detailed(quick: bool) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="triage-bench-queue-"))
    try:
        return _measure(quick, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(quick: bool, tmp: Path) -> dict[str, Any]:
    from triage.report.terminal import queue_table
    from triage.store import Store

    repeat = 3 if quick else 7
    db = tmp / "queue.db"
    cfg = write_config(tmp / "inbox.toml", db)
    t0 = time.perf_counter()
    open_items = build_store(db, cfg)
    build_s = time.perf_counter() - t0
    if open_items != ITEMS:
        raise RuntimeError(f"expected {ITEMS} open items, the store has {open_items}")

    now = shop_now()
    store = Store(db)
    sql: list[str] = []
    store.db.conn.set_trace_callback(sql.append)
    store.queue()
    store.db.conn.set_trace_callback(None)
    select = next(s for s in sql if s.lstrip().upper().startswith("SELECT") and "ORDER BY" in s)
    bare = sqlite3.connect(db)

    def render() -> str:
        return queue_table(store.queue(), now, store.health())

    rendered = render()
    lines = rendered.count("\n") + 1
    with one_core() as core:
        render_wall, render_cpu = timed(render, repeat)
        _, select_cpu = timed(lambda: bare.execute(select).fetchall(), repeat)
    bare.close()

    queue_args = [str(ROOT / "run_triage.py"), "--config", str(cfg), "queue"]
    out = subprocess.run([sys.executable, *queue_args], cwd=str(ROOT), capture_output=True, text=True, check=True)
    shown = sum(1 for line in out.stdout.splitlines() if "".join(line.split()[:2]).isdigit())
    cold_queue = _cold(queue_args, repeat, warm=False)  # the run above was its warm-up
    cold_pass = _cold(["-c", "pass"], repeat)
    cold_import = _cold(["-c", "import triage.cli"], repeat)

    rows = [
        row(
            f"cold start: `run_triage.py queue`, {ITEMS:,} open",
            cold_queue,
            "s",
            cold_pass,
            '`python -c "pass"`',
            ratio=cold_queue / cold_pass,
            target=f"< {TARGET_COLD_S:g} s",
            note=f"wall clock, median of {repeat} after a warm-up; {shown:,} rows printed",
        ),
        row(
            "cold start: queue vs CLI imports",
            cold_queue,
            "s",
            cold_import,
            '`python -c "import triage.cli"`',
            ratio=cold_queue / cold_import,
            note=f"the queue's own work: {cold_queue - cold_import:.3f} s",
        ),
        row(
            f"queue render in-process, {ITEMS:,} open",
            render_cpu,
            "s",
            select_cpu,
            "bare sqlite3 SELECT of the same rows",
            ratio=render_cpu / select_cpu,
            target=f"< {TARGET_RENDER_S:g} s",
            note=f"Store.queue + report.terminal.queue_table, CPU time, {core}, best of {repeat};"
            f" wall {render_wall:.3f} s; {lines:,} lines; store built in {build_s:.1f} s",
        ),
    ]
    profiles: dict[str, str] = {}
    if render_cpu >= TARGET_RENDER_S:
        profiles[rows[2]["figure"]] = profile_top(render, 5)
    if cold_queue >= TARGET_COLD_S:
        profiles[rows[0]["figure"]] = "slowest imports (-X importtime, cumulative):\n" + _import_profile(cfg)
        profiles[rows[0]["figure"]] += "\nin-process queue command:\n" + _cli_profile(cfg)
    store.close()
    return {"rows": rows, "profiles": profiles}


def _cli_profile(cfg: Path) -> str:
    """Own time of the `queue` command run in-process (imports already done), top 5."""
    import contextlib
    import io

    from triage.cli import main

    def go() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            main(["--config", str(cfg), "queue"])

    return profile_top(go, 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    args = parser.parse_args()
    out = run_detailed(args.quick)
    for r in out["rows"]:
        print(f"{r['figure']:44} {r['value']:>10}  {r['baseline']:<48} {r['ratio']:>8}  {r['result']}  {r['note']}")
    for figure, text in out["profiles"].items():
        print(f"\n{figure}:\n{text}")


if __name__ == "__main__":
    main()
