"""The web queue with 10,000 open conversations: server time of the queue page, and new mail to the page.

    .venv/bin/python bench/bench_web.py [--quick]

The store is bench_queue's (real pipeline results saved again and again until 10,000 items are open).
The first queue page (50 rows) is fetched through Starlette's TestClient with a logged-in session, so
the time is the server's own (routing, the session lookup, the store read, the adapter, the template),
against the baseline of Store.queue() of all rows (what the page read before filtering moved into SQL).
A filtered page (intent, page 3) is measured against reading every row and filtering in Python (the old
adapter), a text search page against the same, and the FTS5 search read against the LIKE fallback.
Target: < 150 ms for each page (issue 17).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_queue import ITEMS, build_store  # noqa: E402
from bench.harness import one_core, profile_top, row, timed, write_config  # noqa: E402

TARGET_PAGE_S = 0.150
PASSWORD = "a long bench password"


def _measure(quick: bool, tmp: Path) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from triage.config import load_config
    from triage.store import QueueFilter, Store
    from triage.web.app import create_app
    from triage.web.auth import hash_password

    repeat = 3 if quick else 7
    db = tmp / "web.db"
    cfg_path = write_config(tmp / "inbox.toml", db)
    open_items = build_store(db, cfg_path)
    cfg = load_config(cfg_path)
    store = Store(db)
    for name in ["bench", *(f"load{i}" for i in range(20))]:
        store.add_user(name, hash_password(PASSWORD), manager=False)
    app = create_app(cfg, db, lambda: datetime.fromisoformat(cfg.shop.now) if cfg.shop.now else datetime.now())
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})

        def page() -> None:
            r = client.get("/")
            assert r.status_code == 200 and r.text.count("data-href=") == 50, r.status_code

        def filtered() -> None:
            r = client.get("/?intent=cancel&page=3")
            assert r.status_code == 200 and r.text.count("data-href=") == 50, r.status_code

        def old_filtered() -> None:
            # The adapter before the store-side filter: every open conversation read, filtered in Python.
            found = [c for c in store.queue() if "cancel" in c.intents]
            assert len(found) > 150

        # A word of a stored message's (redacted) text, so the search finds something.
        text = store.db.execute("SELECT text FROM messages WHERE length(text) > 40 LIMIT 1").fetchone()[0]
        word = max(re.findall(r"[A-Za-z]{5,}", text), key=len)
        hits = store.queue_slice(QueueFilter(search=word), 50).total

        def searched() -> None:
            r = client.get(f"/?q={word}")
            assert r.status_code == 200 and r.text.count("data-href=") == min(50, hits), r.status_code

        def fts() -> None:
            assert store.queue_slice(QueueFilter(search=word), 50).total == hits

        def like() -> None:
            assert store.queue_slice(QueueFilter(search=word), 50, search_kind="like").total == hits

        page()
        with one_core() as core:
            page_wall, page_cpu = timed(page, repeat)
            _, read_cpu = timed(store.queue, repeat)
            filtered_wall, filtered_cpu = timed(filtered, repeat)
            _, old_cpu = timed(old_filtered, repeat)
            search_wall, search_cpu = timed(searched, repeat)
            _, fts_cpu = timed(fts, repeat)
            _, like_cpu = timed(like, repeat)
        profiles = {}
        rows = [
            row(
                f"web: first queue page, {open_items:,} open",
                page_cpu,
                "s",
                read_cpu,
                "Store.queue() of all rows",
                ratio=page_cpu / read_cpu,
                target=f"< {TARGET_PAGE_S:g} s",
                check=page_cpu,
                note=f"TestClient GET / with a session, CPU time, {core}, best of {repeat}; wall {page_wall:.3f} s",
            ),
            row(
                f"web: filtered page 3 (intent=cancel), {open_items:,} open",
                filtered_cpu,
                "s",
                old_cpu,
                "all rows read, filtered in Python",
                ratio=filtered_cpu / old_cpu,
                target=f"< {TARGET_PAGE_S:g} s",
                check=filtered_cpu,
                note=f"filter, order and LIMIT/OFFSET in SQL (store/web_queries.py); wall {filtered_wall:.3f} s",
            ),
            row(
                f"web: text search page (q={word}), {open_items:,} open",
                search_cpu,
                "s",
                read_cpu,
                "Store.queue() of all rows",
                ratio=search_cpu / read_cpu,
                target=f"< {TARGET_PAGE_S:g} s",
                check=search_cpu,
                note=f"{hits:,} conversations match; FTS5 index message_search; wall {search_wall:.3f} s",
            ),
            row(
                "web: search read, FTS5 index",
                fts_cpu,
                "s",
                like_cpu,
                "LIKE scan of messages (the no-FTS5 fallback)",
                ratio=fts_cpu / like_cpu,
                note=f"Store.queue_slice(search={word!r}), 50 rows, {hits:,} matching, {open_items:,} open",
            ),
        ]
        if page_cpu >= TARGET_PAGE_S:
            profiles[rows[0]["figure"]] = profile_top(page, 8)
    rows.extend(_live(cfg_path, db, store, 5 if quick else 20, 2.0 if quick else 5.0))
    store.close()
    assert open_items == ITEMS
    return {"rows": rows, "profiles": profiles}


def _session(port: int, name: str) -> Any:
    """A logged-in keep-alive connection to the web process: (connection, cookie header)."""
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    r = conn.getresponse()
    page = r.read().decode()
    cookie = r.getheader("set-cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urlencode({"username": name, "password": PASSWORD, "csrf_token": token})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", "/login", body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    assert r.status == 303, r.status
    return conn, r.getheader("set-cookie", "").split(";")[0]


def _throughput(port: int, sessions: int, seconds: float) -> float:
    """Queue pages a second over `sessions` concurrent logged-in sessions (one thread and connection each)."""
    import threading
    import time

    clients = [_session(port, f"load{i % 20}") for i in range(sessions)]
    counts = [0] * sessions
    stop_at = time.perf_counter() + seconds

    def work(i: int) -> None:
        import http.client

        conn, cookie = clients[i]
        while time.perf_counter() < stop_at:
            try:
                conn.request("GET", "/", headers={"Cookie": cookie})
                r = conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError):  # idle past the server's keep-alive
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            r.read()
            assert r.status == 200, r.status
            counts[i] += 1
        clients[i] = (conn, cookie)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    for conn, _ in clients:
        conn.close()
    return sum(counts) / elapsed


def _live(cfg_path: Path, db: Path, store: Any, samples: int, seconds: float) -> list[dict[str, Any]]:
    """Against a `triage web` process: queue pages a second under load, then store-to-page latency."""
    import dataclasses
    import socket
    import subprocess
    import time
    from datetime import UTC

    from playwright.sync_api import sync_playwright

    from bench.harness import load_pipeline, percentile, shop_now
    from triage.records import Checkpoint, RawMessage, Urgency
    from triage.run.pipeline import stored_ref
    from triage.web.app import TICK

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_triage.py"), "--config", str(cfg_path), "web", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT),
    )  # fmt: skip
    times: list[float] = []
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        from bench.bench_queue import build_store as _  # noqa: F401  (same store as above)
        from bench.harness import load_pipeline, shop_now
        from triage.records import RawMessage
        from triage.run.pipeline import stored_ref

        rps_one = _throughput(port, 1, seconds)
        rps_many = _throughput(port, 20, seconds)
        pipeline = load_pipeline(cfg_path)
        now = shop_now()
        mail = b"From: a@example.com\r\nSubject: hi\r\n\r\nplease cancel #1001\r\n"
        raw0 = RawMessage("bench", 1, "x", mail, now, len(mail))
        old = datetime(2000, 1, 1, tzinfo=UTC)
        result = pipeline.run([raw0])[0]
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]  # fmt: skip
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/login")
            page.fill("#username", "bench")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.locator("body[data-ready]").wait_for()
            page.wait_for_timeout(500)
            for n in range(samples):
                uid = 1_000_000 + n
                raw = dataclasses.replace(raw0, uid=str(uid))
                ref = dataclasses.replace(stored_ref(raw, result), thread_key=f"lat-{uid}", received_at=old)
                parsed = dataclasses.replace(result.parsed, message_id=f"<lat-{uid}@example.com>")
                conv = result.conversation
                conv = dataclasses.replace(conv, key=f"lat-{uid}", id=None) if conv else None
                # Urgent and oldest, so its conversation ranks on the first page.
                t = dataclasses.replace(
                    result, parsed=parsed, urgency=Urgency(100, ("bench",)), conversation=conv, received_at=old
                )
                t0 = time.perf_counter()
                (new_id,) = store.save_batch([(ref, t)], Checkpoint("bench-lat", 1, uid))
                # The page lists conversations: wait for the new message's conversation row.
                conv_id = store.db.execute("SELECT conversation FROM messages WHERE id = ?", [new_id]).fetchone()[0]
                page.locator(f'#rows tr[data-id="{conv_id}"]').wait_for(timeout=10_000)
                times.append(time.perf_counter() - t0)
                page.wait_for_timeout(300)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    p95 = percentile(times, 95)
    load = row(
        "web: queue pages/s, 20 concurrent sessions",
        rps_many,
        "/s",
        rps_one,
        "one session",
        ratio=rps_many / rps_one,
        note=f"unfiltered first page, {ITEMS:,} open; one uvicorn process (one event loop) on this machine;"
        f" {seconds:g} s each",
    )
    return [
        load,
        row(
            "web: store commit to row on the open page",
            p95,
            "s",
            TICK,
            "the event stream's tick",
            ratio=p95 / TICK,
            target="< 1",
            note=f"p95 of {len(times)}; median {sorted(times)[len(times) // 2]:.3f} s; max {max(times):.3f} s;"
            f" {ITEMS:,} open; Chromium + Playwright",
        ),
    ]


def run(quick: bool) -> list[dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp(prefix="triage-bench-web-"))
    try:
        return _measure(quick, tmp)["rows"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="triage-bench-web-"))
    try:
        out = _measure(args.quick, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in out["rows"]:
        print(f"{r['figure']:44} {r['value']:>10}  {r['baseline']:<30} {r['ratio']:>8}  {r['result']}  {r['note']}")
    for figure, text in out["profiles"].items():
        print(f"\n{figure}:\n{text}")


if __name__ == "__main__":
    main()
