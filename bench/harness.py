"""What every benchmark here shares: the one-thread setup, core pinning, timing, result rows, the config.

Import this module before numpy or spaCy: it sets the BLAS/OpenMP thread counts to one, so
"one core" means one core and the figures do not depend on how many the machine has.
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
for _var in THREAD_VARS:
    os.environ[_var] = "1"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_ORDERS = ROOT / "demo" / "orders.csv"
MODEL = ROOT / "models" / "intent"
PASSWORD_ENV = "TRIAGE_BENCH_IMAP_PASSWORD"
# The demo shop's pinned clock (as in inbox.toml), so ages and deadlines read the same in every run.
SHOP_NOW = "2026-11-21T09:30:00+01:00"
BATCH = 200  # [imap] batch_size default: messages per FETCH and per pipeline batch

_ALL_CPUS = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def restore_affinity() -> None:
    """Undo any pinning (a benchmark module may pin the whole process and not put it back)."""
    if _ALL_CPUS:
        os.sched_setaffinity(0, _ALL_CPUS)


@contextlib.contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to one CPU for the block: single-threaded figures, less scheduler noise."""
    if not _ALL_CPUS:
        yield "unpinned"
        return
    cpu = max(_ALL_CPUS)
    os.sched_setaffinity(0, {cpu})
    try:
        yield f"cpu {cpu}"
    finally:
        restore_affinity()


def best_of(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """The least disturbed of `repeat` runs, in wall-clock seconds; `setup` runs untimed before each."""
    return timed(fn, repeat, setup)[0]


def timed(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> tuple[float, float]:
    """(best wall-clock seconds, best CPU seconds of this process) over `repeat` runs.

    CPU time is what a single-threaded stage costs on one core whatever else the machine runs;
    wall-clock time is what a user waits. On a shared machine they differ, so both are kept.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        if setup is not None:
            setup()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def load_note() -> str:
    """The machine's load average: figures taken while other work runs are noisier."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return ""
    return f"load avg {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def median_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): the value below which p% of the samples fall."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


_TARGET = re.compile(r"^\s*(>=|<=|≥|≤|<|>)\s*([0-9.,]+)")


def meets(value: float, target: str) -> bool | None:
    """Check a value against a target written like '>= 500' or '< 1.5'; None if the target is prose."""
    m = _TARGET.match(target)
    if not m:
        return None
    op, bound = m.group(1), float(m.group(2).replace(",", ""))
    return {
        ">=": value >= bound,
        "≥": value >= bound,
        "<=": value <= bound,
        "≤": value <= bound,
        "<": value < bound,
        ">": value > bound,
    }[op]


def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "—"
    if isinstance(x, int) or abs(x) >= 100:
        text = f"{x:,.0f}"
    elif abs(x) >= 10:
        text = f"{x:.1f}"
    elif abs(x) >= 1:
        text = f"{x:.2f}"
    else:
        text = f"{x:.3f}"
    return f"{text} {unit}".strip()


def row(
    figure: str,
    value: float | None,
    unit: str,
    baseline: float | None = None,
    baseline_label: str = "",
    baseline_unit: str | None = None,
    ratio: float | None = None,
    ratio_unit: str = "×",
    target: str = "",
    check: float | None = None,
    note: str = "",
    ok: bool | None = None,
) -> dict[str, Any]:
    """One line of the results table. `check` is the number the target is about (the value by default:
    pass e.g. the ratio when the target is on the ratio)."""
    if ok is None and target and value is not None:
        ok = meets(value if check is None else check, target)
    return {
        "figure": figure,
        "value": fmt(value, unit),
        "baseline": (
            f"{fmt(baseline, unit if baseline_unit is None else baseline_unit)} ({baseline_label})"
            if baseline is not None
            else "—"
        ),
        "ratio": fmt(ratio, ratio_unit) if ratio is not None else "—",
        "target": target or "—",
        "result": "—" if ok is None else ("pass" if ok else "MISS"),
        "note": note,
        "raw": {"value": value, "baseline": baseline, "ratio": ratio},
    }


def write_config(path: Path, store: Path, source: str = "maildir", **imap: object) -> Path:
    """An inbox.toml for the benchmark: the demo shop, the shipped model, a temp store, and optionally
    the benchmark's Dovecot (password from PASSWORD_ENV)."""
    lines = [
        "[shop]",
        'name = "Juniper & Oak"',
        'support_address = "support@juniper-oak.example.com"',
        'own_addresses = ["orders@juniper-oak.example.com", "noreply@juniper-oak.example.com"]',
        'signature = "The Juniper & Oak support team"',
        'timezone = "Europe/Berlin"',
        f'now = "{SHOP_NOW}"',
        "[source]",
        f'kind = "{source}"',
        f'path = "{ROOT / "demo" / "inbox"}"',
        "[store]",
        f'path = "{store}"',
        "[model]",
        f'path = "{MODEL}"',
        "[orders]",
        f'file = "{DEMO_ORDERS}"',
        'format = "shopify"',
    ]
    if imap:
        from tests.support.dovecot import imap_table

        settings: dict[str, object] = {"password_env": PASSWORD_ENV, "batch_size": BATCH, "poll_seconds": 60}
        settings.update(imap)
        lines += imap_table(settings)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shop_now():  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(SHOP_NOW)


def load_pipeline(cfg_path: Path, store: Any | None = None):  # type: ignore[no-untyped-def]
    """The pipeline exactly as `run_triage.py` builds it (triage.cli.App), with the demo orders."""
    from triage.cli import App

    app = App(str(cfg_path), None)
    if store is None:
        from triage.orders.csv_import import read_orders
        from triage.run.pipeline import OrderBook, Pipeline

        orders = read_orders(DEMO_ORDERS, app.cfg.stage_settings().orders).orders
        return Pipeline(app.cfg, app.model, OrderBook.of(orders), clock=app.now)
    from triage.orders.csv_import import read_orders

    store.upsert_orders(read_orders(DEMO_ORDERS, app.cfg.stage_settings().orders).orders)
    return app.pipeline(store)


def profile_stats(fn: Callable[[], object]) -> dict[str, list[Any]]:
    """Own time per function while running `fn` once: {name: [own seconds, calls, main caller]}."""
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]

    def name(key: tuple[str, int, str]) -> str:
        file, line, func = key
        if file == "~":
            return func
        rel = file.split("/site-packages/")[-1].replace(str(ROOT) + "/", "")
        rel = re.sub(r"^.*/lib/python3\.\d+/", "", rel)
        return f"{rel}:{line}({func})"

    out: dict[str, list[Any]] = {}
    for key, (_cc, nc, tt, _ct, callers) in stats.items():
        top = max(callers.items(), key=lambda kv: kv[1][2], default=None)
        entry = out.setdefault(name(key), [0.0, 0, name(top[0]) if top else ""])
        entry[0] += tt
        entry[1] += nc
    return out


def format_top(stats: dict[str, list[Any]], n: int = 5, minus: dict[str, list[Any]] | None = None) -> str:
    """The `n` functions with the most own time (or, with `minus`, the most own time added over that
    baseline profile), each with its main caller, so a hot `re.Pattern.findall` says who runs it."""
    total = sum(v[0] for v in stats.values()) or 1.0
    base = minus or {}
    delta = {k: v[0] - (base[k][0] if k in base else 0.0) for k, v in stats.items()}
    lines = []
    for key in sorted(delta, key=lambda k: -delta[k])[:n]:
        own, calls, caller = stats[key]
        extra = f" (+{delta[key]:.3f} s over the baseline)" if minus is not None else ""
        via = f"  <- {caller}" if caller else ""
        lines.append(f"{100 * own / total:5.1f}% own {own:6.3f} s{extra}, {calls:>7} calls  {key}{via}")
    return "\n".join(lines)


def profile_top(fn: Callable[[], object], n: int = 5) -> str:
    """Where the time goes running `fn` once: the top `n` functions by own time."""
    return format_top(profile_stats(fn), n)
