"""The web queue in a real browser: Debian's Chromium driven by Playwright against `triage web` on a free
loopback port (a real uvicorn process over a store seeded by the real pipeline).

Screenshots go to /tmp (triage-web-*.png) for people to look at. Under the pages' strict CSP, Playwright
cannot evaluate strings in the page, so the waits are locators.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright
import pytest

from tests.support.cli import TriageCli, spawn_triage, stop, write_config
from tests.support.dovecot import Dovecot, append
from tests.support.mailgen import customer_message
from tests.support.ports import free_port
from tests.support.web import (
    AGENT,
    CARD_DIGITS,
    ETHAN,
    MANAGER,
    PASSWORD,
    TOM,
    deliver,
    seeded_config,
    thread_config,
    thread_round,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module", autouse=True)
def _chromium() -> None:
    """No browser is a broken test machine, not a reason to skip: the README's test command installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the README's test command does)", pytrace=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> Iterator[tuple[str, Path]]:
    config = seeded_config(tmp_path_factory.mktemp("webui"), triage_cli)
    port = free_port()
    proc = spawn_triage("--config", str(config), "web", "--port", str(port))
    _wait_port(port, proc)
    yield f"http://127.0.0.1:{port}", config
    stop(proc)


def _wait_port(port: int, proc: subprocess.Popen[str]) -> None:
    """Until the server listens (a guard against a hang, not a timing)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the web queue did not start"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _login(browser: object, base: str, name: str) -> object:
    context = browser.new_context(viewport={"width": 1300, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + "/")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("body[data-ready]").wait_for()
    return page


def test_queue_keyboard_draft_presence_and_live_mail(
    site: tuple[str, Path], browser: object, triage_cli: TriageCli
) -> None:
    from playwright.sync_api import expect

    base, config = site
    agent = _login(browser, base, AGENT)
    scores = [int(s) for s in agent.locator("#rows .badge").all_inner_texts()]  # type: ignore[attr-defined]
    assert len(scores) == 7 and scores == sorted(scores, reverse=True)
    html = agent.content()  # type: ignore[attr-defined]
    assert "paula@example.com" in html and CARD_DIGITS not in html.replace(" ", "")
    agent.screenshot(path="/tmp/triage-web-queue.png")  # type: ignore[attr-defined]

    # The keyboard: ? shows the shortcuts, / goes to search, j/k move, Enter opens, r edits the reply.
    agent.keyboard.press("?")  # type: ignore[attr-defined]
    expect(agent.locator("#help")).to_be_visible()  # type: ignore[attr-defined]
    agent.keyboard.press("Escape")  # type: ignore[attr-defined]
    expect(agent.locator("#help")).to_be_hidden()  # type: ignore[attr-defined]
    agent.keyboard.press("/")  # type: ignore[attr-defined]
    expect(agent.locator("#q")).to_be_focused()  # type: ignore[attr-defined]
    agent.keyboard.press("Escape")  # type: ignore[attr-defined]
    for key in ("j", "j", "k"):
        agent.keyboard.press(key)  # type: ignore[attr-defined]
    selected = agent.locator("#rows tr.selected")  # type: ignore[attr-defined]
    second = agent.locator("#rows tr[data-id]").nth(1).get_attribute("data-id")  # type: ignore[attr-defined]
    expect(selected).to_have_attribute("data-id", second)
    third = agent.locator("#rows tr[data-id]").nth(2).get_attribute("data-id")  # type: ignore[attr-defined]
    agent.keyboard.press("Enter")  # type: ignore[attr-defined]
    agent.wait_for_url(f"**/c/{second}")  # type: ignore[attr-defined]
    agent.keyboard.press("r")  # type: ignore[attr-defined]
    editor = agent.get_by_label("Reply (r to edit, Esc to leave)")  # type: ignore[attr-defined]
    expect(editor).to_be_focused()

    # A second agent opens the same conversation: each sees the other, live.
    manager = _login(browser, base, MANAGER)
    manager.goto(f"{base}/c/{second}")  # type: ignore[attr-defined]
    expect(agent.locator("#presence")).to_contain_text(f"{MANAGER} is viewing")  # type: ignore[attr-defined]
    editor.press("Control+End")
    editor.type(" Thanks!")
    expect(manager.locator("#presence")).to_contain_text(f"{AGENT} is editing")  # type: ignore[attr-defined]
    agent.screenshot(path="/tmp/triage-web-conversation.png", full_page=True)  # type: ignore[attr-defined]
    agent.get_by_role("button", name="Save draft").click()  # type: ignore[attr-defined]
    expect(agent.get_by_role("status")).to_have_text("Draft saved.")  # type: ignore[attr-defined]
    expect(agent.locator("#body")).to_have_value(__import__("re").compile(r"Thanks!\s*$"))  # type: ignore[attr-defined]

    # The manager's copy is now stale: saving over the agent's save asks first.
    manager.locator("#body").fill("An older text")  # type: ignore[attr-defined]
    manager.get_by_role("button", name="Save draft").click()  # type: ignore[attr-defined]
    expect(manager.get_by_role("alert")).to_contain_text(f"{AGENT} saved this draft")  # type: ignore[attr-defined]
    expect(manager.locator("#body")).to_have_value("An older text")  # type: ignore[attr-defined]
    manager.screenshot(path="/tmp/triage-web-conflict.png")  # type: ignore[attr-defined]

    # Relabel the intents from the page: l goes to the form; the standing intents and the history change; undo.
    agent.goto(f"{base}/c/{third}")  # type: ignore[attr-defined]
    agent.locator("body[data-ready]").wait_for()  # type: ignore[attr-defined]
    standing = agent.locator("ul.standing span.tag")  # type: ignore[attr-defined]
    before = standing.all_inner_texts()
    wanted = ["cancel", "refund"] if sorted(before) != ["cancel", "refund"] else ["duplicate"]
    agent.keyboard.press("l")  # type: ignore[attr-defined]
    boxes = agent.locator('#relabel input[name="intent"]')  # type: ignore[attr-defined]
    expect(boxes.first).to_be_focused()
    for box in boxes.all():
        box.set_checked(box.get_attribute("value") in wanted)
    agent.get_by_role("button", name="Relabel", exact=True).click()  # type: ignore[attr-defined]
    expect(agent.locator("#relabel [role=status]")).to_contain_text("Relabelled")  # type: ignore[attr-defined]
    expect(standing).to_have_text(wanted)
    expect(agent.locator("ol.events")).to_contain_text(f"{AGENT}: relabelled {','.join(wanted)}")  # type: ignore[attr-defined]
    if agent.locator("#body").count():  # type: ignore[attr-defined]
        expect(agent.locator("#draft-before-relabel")).to_contain_text("check it before sending")  # type: ignore[attr-defined]
    agent.screenshot(path="/tmp/triage-web-relabel.png", full_page=True)  # type: ignore[attr-defined]
    agent.get_by_role("button", name="Undo relabel").click()  # type: ignore[attr-defined]
    expect(standing).to_have_text(before)
    expect(agent.get_by_role("button", name="Undo relabel")).to_have_count(0)  # type: ignore[attr-defined]

    # New mail shows up in the open queue without a reload.
    agent.goto(base + "/")  # type: ignore[attr-defined]
    agent.locator("#rows tr[data-id]").first.wait_for()  # type: ignore[attr-defined]
    inbox = config.parent / "inbox"
    (inbox / "late.eml").write_bytes(customer_message(99, seed=18))
    assert triage_cli("--config", str(config), "once").returncode == 0
    expect(agent.locator("#rows tr[data-id]")).to_have_count(8, timeout=5000)  # type: ignore[attr-defined]

    # e closes the selected conversation from the queue; a assigns it to me.
    agent.keyboard.press("j")  # type: ignore[attr-defined]
    first = agent.locator("#rows tr.selected").get_attribute("data-id")  # type: ignore[attr-defined]
    agent.keyboard.press("a")  # type: ignore[attr-defined]
    expect(agent.locator(f'#rows tr[data-id="{first}"]')).to_contain_text(AGENT)  # type: ignore[attr-defined]
    agent.locator("body[data-ready]").wait_for()  # type: ignore[attr-defined]
    agent.keyboard.press("e")  # type: ignore[attr-defined]
    expect(agent.locator(f'#rows tr[data-id="{first}"]')).to_have_count(0)  # type: ignore[attr-defined]


def test_phone_width(site: tuple[str, Path], browser: object) -> None:
    base, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("User name").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#rows tr[data-id]").first.wait_for()
    page.screenshot(path="/tmp/triage-web-phone.png")
    box = page.locator("#rows tr[data-id]").first.bounding_box()
    assert box is not None and box["width"] <= 390


def test_run_serves_the_queue_and_mail_appended_to_dovecot_appears_live(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, browser: object, triage_cli: TriageCli
) -> None:
    """`triage run` with [web] enabled: the mail loop (IDLE) and the web queue in one process."""
    from playwright.sync_api import expect

    append(dovecot, imap_folder, [customer_message(0, seed=41)])
    config = write_config(tmp_path, dovecot, imap_folder)
    port = free_port()
    config.write_text(config.read_text() + f"[web]\nport = {port}\nenabled = true\n")
    added = triage_cli("--config", str(config), "user", "add", AGENT, "--password-stdin", input=PASSWORD)
    assert added.returncode == 0, added.stderr
    proc = spawn_triage("--config", str(config), "run")
    failed: AssertionError | None = None
    try:
        _wait_port(port, proc)
        page = _login(browser, f"http://127.0.0.1:{port}", AGENT)
        expect(page.locator("#rows tr[data-id]")).to_have_count(1, timeout=20000)  # type: ignore[attr-defined]
        append(dovecot, imap_folder, [customer_message(1, seed=41)])
        expect(page.locator("#rows tr[data-id]")).to_have_count(2, timeout=10000)  # type: ignore[attr-defined]
    except AssertionError as exc:
        failed = exc
    finally:
        err = stop(proc)
    assert failed is None, f"{failed}\n--- triage run stderr ---\n{err}"
    assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def thread_site(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> Iterator[tuple[str, Path]]:
    config = thread_config(tmp_path_factory.mktemp("webthread"), triage_cli)
    port = free_port()
    proc = spawn_triage("--config", str(config), "web", "--port", str(port))
    _wait_port(port, proc)
    yield f"http://127.0.0.1:{port}", config
    stop(proc)


def test_a_thread_its_withdrawn_intent_live_and_search_by_text(
    thread_site: tuple[str, Path], browser: object, triage_cli: TriageCli
) -> None:
    """Tom asks to cancel, chases, then withdraws it (delivered while the queue is open): his one row re-ranks
    and strikes the cancel without a reload; his page shows the thread; the search box finds him by body text."""
    from playwright.sync_api import expect

    base, config = thread_site
    agent = _login(browser, base, AGENT)
    rows = agent.locator("#rows tr[data-id]")  # type: ignore[attr-defined]
    count = rows.count()
    tom_row = agent.locator("#rows tr[data-id]", has_text=TOM)  # type: ignore[attr-defined]
    expect(tom_row.locator("span.tag", has_text="cancel")).to_have_count(1)
    tom = tom_row.get_attribute("data-id")
    before = [r.get_attribute("data-id") for r in rows.all()].index(tom)

    manager = _login(browser, base, MANAGER)
    manager.goto(f"{base}/c/{tom}")  # type: ignore[attr-defined]
    expect(manager.locator("#changed")).to_be_hidden()  # type: ignore[attr-defined]
    expect(agent.locator(f'[data-viewing="{tom}"]')).to_have_text(MANAGER)  # type: ignore[attr-defined]

    deliver(config.parent / "md", thread_round(2))
    assert triage_cli("--config", str(config), "once").returncode == 0
    expect(tom_row.locator("del.tag", has_text="cancel")).to_have_count(1, timeout=5000)
    # The manager, on Tom's page, is told the conversation changed and offered a reload.
    expect(manager.locator("#changed")).to_be_visible(timeout=5000)  # type: ignore[attr-defined]
    manager.screenshot(path="/tmp/triage-web-changed.png")  # type: ignore[attr-defined]
    manager.locator("#changed a").click()  # type: ignore[attr-defined]
    expect(manager.locator("ol.messages > li.message")).to_have_count(3)  # type: ignore[attr-defined]
    expect(rows).to_have_count(count)  # the follow-up joined its row: no new one
    assert [r.get_attribute("data-id") for r in rows.all()].index(tom) > before  # withdrawn: ranked lower
    agent.screenshot(path="/tmp/triage-web-queue-thread.png", full_page=True)  # type: ignore[attr-defined]

    agent.keyboard.press("/")  # type: ignore[attr-defined]
    agent.keyboard.type("too big")  # type: ignore[attr-defined]
    agent.keyboard.press("Enter")  # type: ignore[attr-defined]
    agent.wait_for_url("**/?q=too+big*")  # type: ignore[attr-defined]
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-id", str(tom))

    agent.goto(f"{base}/c/{tom}")  # type: ignore[attr-defined]
    thread = agent.locator("ol.messages > li.message")  # type: ignore[attr-defined]
    expect(thread).to_have_count(3)
    expect(thread.nth(0).locator("del.tag", has_text="cancel")).to_be_visible()
    expect(thread.nth(1).locator(".kind-chaser")).to_be_visible()
    expect(thread.nth(2).locator(".kind-retraction")).to_be_visible()
    expect(agent.locator("aside li.withdrawn")).to_contain_text("withdrawn by message 3")  # type: ignore[attr-defined]
    agent.screenshot(path="/tmp/triage-web-thread.png", full_page=True)  # type: ignore[attr-defined]

    ethan = agent.locator("#rows tr[data-id]", has_text=ETHAN)  # type: ignore[attr-defined]
    agent.goto(base + "/")  # type: ignore[attr-defined]
    agent.goto(f"{base}/c/{ethan.get_attribute('data-id')}")  # type: ignore[attr-defined]
    expect(agent.locator("dl.order.twin")).to_contain_text("#1064")  # type: ignore[attr-defined]
    agent.screenshot(path="/tmp/triage-web-duplicate.png", full_page=True)  # type: ignore[attr-defined]
    agent.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    agent.screenshot(path="/tmp/triage-web-duplicate-phone.png", full_page=True)  # type: ignore[attr-defined]
    for box in (agent.locator("dl.order.twin").bounding_box(), agent.locator("ol.messages").bounding_box()):  # type: ignore[attr-defined]
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
