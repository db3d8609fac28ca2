"""The web queue on real conversations (issue 17 on issue 15's threads), through Starlette's TestClient on a
Maildir store triaged by the real pipeline: the thread page, store-side search, filters and paging,
assignments by conversation id, and a follow-up that re-ranks the existing row instead of adding one."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.support.cli import TriageCli
from tests.support.web import (
    AGENT,
    ETHAN,
    MANAGER,
    NINA,
    PASSWORD,
    TOM,
    _mail,
    _t0,
    deliver,
    thread_config,
    thread_round,
)
from triage.config import load_config
from triage.store import QueueFilter, Store
from triage.web.app import create_app
from triage.web.data import Filters, queue_page


@pytest.fixture
def config(tmp_path: Path, triage_cli: TriageCli) -> Path:
    return thread_config(tmp_path, triage_cli)


def _store(config: Path) -> Store:
    cfg = load_config(config)
    return Store(cfg.resolve(cfg.store.path))


@pytest.fixture
def client(config: Path) -> Iterator[TestClient]:
    cfg = load_config(config)
    app = create_app(cfg, cfg.resolve(cfg.store.path), lambda: datetime.fromisoformat(cfg.shop.now))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


def login(client: TestClient, name: str = AGENT) -> str:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, r.text
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]


def conv_of(store: Store, customer: str) -> int:
    (found,) = [c.id for c in store.queue(include_done=True) if c.customer == customer]
    return found


def rows_of(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)]


def triage_again(config: Path, triage_cli: TriageCli) -> None:
    deliver(config.parent / "md", thread_round(2))
    result = triage_cli("--config", str(config), "once")
    assert result.returncode == 0, result.stderr


def test_a_withdrawn_intent_is_struck_through_in_the_thread(
    client: TestClient, config: Path, triage_cli: TriageCli
) -> None:
    login(client)
    triage_again(config, triage_cli)
    tom = conv_of(_store(config), TOM)
    page = client.get(f"/c/{tom}").text
    thread = page.split('<ol class="messages"')[1].split("</ol>")[0]
    # Three messages, oldest first: the request, the chaser, the retraction.
    assert thread.count('<li class="message"') == 3
    assert thread.index("far too big") < thread.index("Did you get my email") < thread.index("keep it")
    first = thread.split('<li class="message"')[1]
    assert '<del class="tag" title="withdrawn later">cancel</del>' in first
    assert 'kind-chaser"' in thread and 'kind-retraction"' in thread
    assert "Withdraws: <del" in thread.split('<li class="message"')[3]
    # Beside the thread: cancel no longer stands; it is listed withdrawn, by the third message.
    side = page.split('<aside class="side"')[1]
    withdrawn = r'<li class="withdrawn"><del class="tag">cancel</del> withdrawn by <a href="#m\d+">message 3</a>'
    assert re.search(withdrawn, side)
    newest = client.get(f"/c/{tom}?order=newest").text.split('<ol class="messages"')[1]
    assert newest.index("keep it") < newest.index("far too big")


def test_a_message_whose_date_is_off_is_marked(client: TestClient, config: Path) -> None:
    login(client)
    store = _store(config)
    assert 'title="the Date header is more than two days' in client.get(f"/c/{conv_of(store, NINA)}").text
    assert 'title="the Date header is more than two days' not in client.get(f"/c/{conv_of(store, TOM)}").text


def test_likely_duplicate_order_is_shown_beside_the_order(client: TestClient, config: Path) -> None:
    login(client)
    page = client.get(f"/c/{conv_of(_store(config), ETHAN)}").text
    assert "likely duplicate" in page and '<dl class="order twin"' in page
    assert "#1063" in page and "#1064" in page.split('<dl class="order twin"')[1]


def test_search_by_body_text_order_number_and_address(client: TestClient, config: Path) -> None:
    login(client)
    store = _store(config)
    assert store.search_kind() == "fts5"  # Debian's Python has FTS5: the index is there and used
    tom = conv_of(store, TOM)
    assert rows_of(client.get("/?q=too+big").text) == [tom]  # words of the first message's body
    assert rows_of(client.get("/?q=duv").text) == [tom]  # the last word as a prefix
    assert tom in rows_of(client.get("/?q=%231071").text)
    assert rows_of(client.get(f"/?q={TOM}").text) == [tom]
    assert rows_of(client.get("/?q=tracking+link").text) == [conv_of(store, ETHAN)]
    assert rows_of(client.get('/?q=nothing+"like*+this').text) == []  # FTS5 syntax is quoted away, no error
    # The LIKE fallback (a SQLite without FTS5) finds the same conversations.
    for q in ("too big", "wrong size", "tracking link", "1071"):
        fts = store.queue_slice(QueueFilter(search=q), 50)
        like = store.queue_slice(QueueFilter(search=q), 50, search_kind="like")
        assert [c.id for c in fts.conversations] == [c.id for c in like.conversations] != [], q


def test_assign_by_conversation_id(client: TestClient, config: Path) -> None:
    token = login(client)
    store = _store(config)
    tom = conv_of(store, TOM)
    r = client.post(f"/c/{tom}/assign", data={"csrf_token": token, "user": MANAGER})
    assert r.status_code == 303
    assert store.db.execute("SELECT conversation, user FROM assignments").fetchall() == [(tom, MANAGER)]
    audit = store.db.execute("SELECT conversation, detail FROM events WHERE action = 'assigned'").fetchall()
    assert audit == [(tom, MANAGER)]
    assert rows_of(client.get(f"/?assignee={MANAGER}").text) == [tom]
    assert tom not in rows_of(client.get("/?assignee=-").text)
    assert f"Assigned: {MANAGER}" in client.get(f"/c/{tom}").text
    client.post(f"/c/{tom}/assign", data={"csrf_token": token, "user": "-"})
    assert store.assignee(tom) is None and rows_of(client.get(f"/?assignee={MANAGER}").text) == []


def test_filtered_paging_covers_the_filtered_queue_once_in_order(config: Path) -> None:
    store = _store(config)
    everything = store.queue()
    for filters, wanted in (
        (Filters(intent="cancel"), [c.id for c in everything if "cancel" in c.intents]),
        (Filters(q="example.com"), [c.id for c in everything if "example.com" in c.customer]),
        (Filters(stage="unfulfilled"), [c.id for c in everything if c.stage == "unfulfilled"]),
    ):
        assert len(wanted) >= 3, filters
        seen: list[int] = []
        pages = queue_page(store, filters, per_page=2).pages
        assert pages == -(-len(wanted) // 2)
        for number in range(1, pages + 1):
            page = queue_page(store, dataclasses.replace(filters, page=number), per_page=2)
            assert page.total == len(wanted)
            seen += [c["id"] for c in page.conversations]
        assert seen == wanted, filters
    past = queue_page(store, Filters(intent="cancel", page=99), per_page=2)
    assert past.page == past.pages and past.conversations  # a link past the end shows the last page


def test_a_follow_up_reranks_the_existing_row_and_a_retraction_updates_its_intents(
    client: TestClient, config: Path, triage_cli: TriageCli
) -> None:
    login(client)
    store = _store(config)
    tom = conv_of(store, TOM)
    before = client.get("/rows").text
    row = before.split(f'<tr data-id="{tom}"')[1].split("</tr>")[0]
    assert '<span class="tag">cancel</span>' in row
    counter = store.change_counter()
    triage_again(config, triage_cli)
    assert store.change_counter() != counter  # what the event stream polls: the page is told to refresh
    after = client.get("/rows").text
    assert rows_of(after).count(tom) == 1 and len(rows_of(after)) == len(rows_of(before))  # no new row
    row = after.split(f'<tr data-id="{tom}"')[1].split("</tr>")[0]
    assert '<del class="tag" title="withdrawn">cancel</del>' in row and '<span class="tag">cancel</span>' not in row
    assert rows_of(after).index(tom) > rows_of(before).index(tom)  # withdrawn: it ranks lower now
    assert rows_of(client.get("/?intent=cancel").text).count(tom) == 0


def test_a_store_from_before_conversations_keeps_its_assignments(tmp_path: Path) -> None:
    """Schema 2 assignments named messages; after migration and regrouping they name the conversations."""
    import sqlite_utils

    from triage.store import schema

    con = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    db = sqlite_utils.Database(con)
    schema._migrate_1(db)
    schema._migrate_2(db)
    con.execute(
        "INSERT INTO messages (id, mailbox, uidvalidity, uid, fingerprint, received_at, from_addr, subject, text) "
        "VALUES (7, 'm', 1, '1', 'f', '2026-11-20T08:00:00+00:00', 'a@example.com', 'Hi', 'please cancel')"
    )
    con.execute("INSERT INTO users (name, password_hash, created_at, updated_at) VALUES ('zoe', 'h', 'x', 'x')")
    con.execute("INSERT INTO assignments (item, user, at) VALUES (7, 'zoe', 'x')")
    con.execute("PRAGMA user_version = 2")
    con.close()
    store = Store(tmp_path / "old.db")
    assert store.needs_regroup() and store.assignees() == {}
    from triage.config import config_from_dict
    from triage.run.pipeline import OrderBook
    from triage.run.regroup import regroup

    cfg = config_from_dict({})
    regroup(store, cfg.stage_settings(), OrderBook.of([]), datetime.fromisoformat("2026-11-20T12:00:00+00:00"))
    (conv,) = store.queue(include_done=True)
    assert store.assignees() == {conv.id: "zoe"}
    assert [c.id for c in store.queue_slice(QueueFilter(search="cancel", state="all"), 10).conversations] == [conv.id]


def test_a_customer_writing_after_the_agents_draft_is_shown_prominently(
    client: TestClient, config: Path, triage_cli: TriageCli
) -> None:
    token = login(client)
    tom = conv_of(_store(config), TOM)
    page = client.get(f"/c/{tom}").text
    assert '<p class="alert"' not in page
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    saved = client.post(f"/c/{tom}/draft", data={"csrf_token": token, "base": base, "body": "Hello Tom, done."})
    assert saved.status_code == 303
    triage_again(config, triage_cli)
    page = client.get(f"/c/{tom}").text
    alert = page.split('<p class="alert" role="alert">')[1].split("</p>")[0]
    assert "the customer wrote again after your draft: check it before sending" in alert
    assert ">Hello Tom, done.</textarea>" in page  # the agent's draft was kept
    row = client.get("/rows").text.split(f'<tr data-id="{tom}"')[1].split("</tr>")[0]
    assert 'class="flag flag-alert" title="the customer wrote again after your draft' in row


def test_the_sentence_behind_each_intent_is_shown(client: TestClient, config: Path) -> None:
    """Intent classification (issue 14) stores the clause behind each intent; the thread shows it beside the
    intent of its message, and the side panel beside each intent that stands."""
    login(client)
    store = _store(config)
    tom = conv_of(store, TOM)
    (first,) = store.db.execute("SELECT min(id) FROM messages WHERE conversation = ?", [tom]).fetchone()
    page = client.get(f"/c/{tom}").text
    message = page.split(f'<li class="message" id="m{first}">')[1].split("</li>\n  </ol>")[0]
    clause = re.search(r'<span class="tag">cancel</span> <q class="evidence">([^<]+)</q>', message)
    assert clause and "cancel order #1071" in clause.group(1)
    side = page.split('<aside class="side"')[1]
    assert f'<span class="tag">cancel</span> <q class="evidence">{clause.group(1)}</q>' in side


def test_a_schema_4_store_keeps_its_conversation_assignments(tmp_path: Path) -> None:
    """Since schema 4 the web wrote conversation ids into assignments.item: schema 6 keeps them as they are."""
    import sqlite_utils

    from triage.store import schema

    con = sqlite3.connect(tmp_path / "four.db", isolation_level=None)
    db = sqlite_utils.Database(con)
    for migration in schema._MIGRATIONS[:4]:
        migration(db)
    con.execute("INSERT INTO conversations (id, key, state, customer) VALUES (3, 'k', 'open', 'a@example.com')")
    con.execute("INSERT INTO users (name, password_hash, created_at, updated_at) VALUES ('zoe', 'h', 'x', 'x')")
    con.execute("INSERT INTO assignments (item, user, at) VALUES (3, 'zoe', 'x')")
    con.execute("PRAGMA user_version = 4")
    con.close()
    store = Store(tmp_path / "four.db")
    assert store.assignee(3) == "zoe" and not store.needs_regroup()
    assert [c.id for c in store.queue_slice(QueueFilter(assignee="zoe"), 10).conversations] == [3]


def test_a_conversation_closed_with_thanks_says_why_it_has_no_draft(
    client: TestClient, config: Path, triage_cli: TriageCli
) -> None:
    from datetime import timedelta

    t0 = _t0()
    who = "kim.thanks@example.com"
    ask = _mail("k1", who, "Where is #1047?", "Hi, where is my order #1047?", t0 + timedelta(hours=1))
    thanks = _mail(
        "k2", who, "Re: Where is #1047?", "It arrived this morning, all good. Thanks!", t0 + timedelta(hours=6), "k1"
    )
    deliver(config.parent / "md", [(ask, t0 + timedelta(hours=1)), (thanks, t0 + timedelta(hours=6))])
    assert triage_cli("--config", str(config), "once").returncode == 0
    login(client)
    page = client.get(f"/c/{conv_of(_store(config), who)}").text
    assert "the customer closed the conversation with thanks" in page
    assert "automated mail never gets one" not in page
