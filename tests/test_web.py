"""The web queue through Starlette's TestClient on a store seeded by the real pipeline: login, sessions, CSRF,
rate limits, permissions, the pages and their actions, and no card number anywhere in what is served."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from tests.support.cli import PASSWORD_ENV, TriageCli, write_config
from tests.support.dovecot import PASSWORD as IMAP_PASSWORD
from tests.support.dovecot import Dovecot, append
from tests.support.mailgen import customer_message
from tests.support.web import AGENT, CARD_DIGITS, MANAGER, PASSWORD, seeded_config
from triage.config import load_config
from triage.store import Store
from triage.web.app import create_app
from triage.web.auth import MAX_FAILED_PER_ACCOUNT


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, triage_cli: TriageCli) -> Path:
    return seeded_config(tmp_path_factory.mktemp("web"), triage_cli)


@pytest.fixture
def config(seeded: Path, tmp_path: Path) -> Path:
    """A copy of the seeded store per test, so logins, sessions and edits never leak between tests."""
    import sqlite3

    # SQLite's online backup: the copy includes what still sits in the WAL of a connection left open.
    with sqlite3.connect(seeded.parent / "triage.db") as src, sqlite3.connect(tmp_path / "triage.db") as dst:
        src.backup(dst)
    text = seeded.read_text().replace(str(seeded.parent / "triage.db"), str(tmp_path / "triage.db"))
    (tmp_path / "inbox.toml").write_text(text)
    return tmp_path / "inbox.toml"


def _client(config: Path) -> TestClient:
    cfg = load_config(config)
    app = create_app(cfg, cfg.resolve(cfg.store.path), lambda: datetime.fromisoformat(cfg.shop.now))
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


@pytest.fixture
def client(config: Path) -> Iterator[TestClient]:
    with _client(config) as c:
        yield c


def _login_token(client: TestClient) -> str:
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def login(client: TestClient, name: str = AGENT, password: str = PASSWORD) -> str:
    """Log in; returns the session's CSRF token (read from the queue page)."""
    r = client.post("/login", data={"username": name, "password": password, "csrf_token": _login_token(client)})
    assert r.status_code == 303, r.text
    page = client.get("/")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def _first_id(client: TestClient) -> int:
    return int(re.search(r'data-id="(\d+)"', client.get("/").text).group(1))  # type: ignore[union-attr]


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """Every registered route and method, with sample path parameters."""
    out = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        path = route.path.replace("{conv_id:int}", "1").replace("{day:str}", "2026-11-20")
        out += [(m, path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return out


def test_every_route_but_login_and_static_needs_a_session(client: TestClient) -> None:
    routes = _routes(client)
    assert ("POST", "/c/1/draft") in routes and ("GET", "/events") in routes
    for method, path in routes:
        if path == "/login":
            continue
        r = client.request(method, path)
        if method == "GET" and path not in ("/rows", "/events"):
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), (method, path)
        else:
            assert r.status_code == 401, (method, path, r.status_code)
    assert client.get("/static/htmx.min.js").status_code == 200


def test_every_post_refuses_a_missing_or_wrong_csrf_token(client: TestClient) -> None:
    login(client)
    posts = [path for method, path in _routes(client) if method == "POST" and path != "/login"]
    assert "/logout" in posts and "/c/1/done" in posts
    for path in posts:
        assert client.post(path, data={"body": "x", "user": AGENT}).status_code == 403, path
        assert client.post(path, data={"csrf_token": "wrong", "body": "x"}).status_code == 403, path
    assert client.get("/").status_code == 200  # still logged in: nothing above took effect


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"username": AGENT, "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403
    assert "triage_session" not in r.cookies


def test_login_cookie_flags_and_logout(client: TestClient) -> None:
    r = client.post("/login", data={"username": AGENT, "password": PASSWORD, "csrf_token": _login_token(client)})
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # plain http on loopback
    token = login(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303


def test_secure_cookie_behind_https(config: Path) -> None:
    config.write_text(config.read_text() + '[web]\npublic_url = "https://support.example.com"\n')
    with _client(config) as c:
        r = c.post("/login", data={"username": AGENT, "password": PASSWORD, "csrf_token": _login_token(c)})
        assert "Secure" in r.headers["set-cookie"]


def test_wrong_password_then_the_account_is_rate_limited(client: TestClient) -> None:
    for _ in range(MAX_FAILED_PER_ACCOUNT):
        r = client.post("/login", data={"username": AGENT, "password": "wrong!", "csrf_token": _login_token(client)})
        assert r.status_code == 401
    r = client.post("/login", data={"username": AGENT, "password": PASSWORD, "csrf_token": _login_token(client)})
    assert r.status_code == 429  # even the right password waits
    assert "Too many" in r.text
    # Another account from another address is not held up.
    other = client.post("/login", data={"username": MANAGER, "password": PASSWORD, "csrf_token": _login_token(client)})
    assert other.status_code == 303


def test_removing_a_user_ends_their_session(client: TestClient, config: Path) -> None:
    login(client)
    Store(load_config(config).resolve(load_config(config).store.path)).remove_user(AGENT)
    assert client.get("/").status_code == 303


def test_summary_is_for_managers(client: TestClient, config: Path) -> None:
    login(client, AGENT)
    assert client.get("/summary/2026-11-20").status_code == 403
    with _client(config) as manager:
        login(manager, MANAGER)
        r = manager.get("/summary/2026-11-20")
        assert r.status_code == 200 and "script-src" not in r.headers["content-security-policy"]


def test_security_headers(client: TestClient) -> None:
    r = client.get("/login")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in r.text  # no inline script: the CSP would block it anyway


def test_queue_is_most_urgent_first_and_filters(client: TestClient) -> None:
    login(client)
    page = client.get("/").text
    scores = [int(s) for s in re.findall(r'class="badge u\d+">(\d+)<', page)]
    assert len(scores) == 7 and scores == sorted(scores, reverse=True)
    cancels = client.get("/?intent=cancel").text
    assert "paula@example.com" in cancels
    assert "Do you ship" not in cancels
    assert "paula@example.com" in client.get("/?q=1042").text
    assert "paula@example.com" not in client.get("/?q=nobody-like-this").text


def test_no_card_number_is_served(client: TestClient) -> None:
    login(client)
    pages = [client.get("/").text]
    for conv_id in re.findall(r'data-id="(\d+)"', pages[0]):
        pages.append(client.get(f"/c/{conv_id}").text)
    assert any("paula@example.com" in p for p in pages[1:])
    for text in pages:
        assert CARD_DIGITS not in re.sub(r"[\s-]", "", text)


def test_save_draft_done_reopen_assign(client: TestClient) -> None:
    token = login(client)
    conv_id = _first_id(client)
    page = client.get(f"/c/{conv_id}").text
    base = re.search(r'name="base" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    r = client.post(f"/c/{conv_id}/draft", data={"csrf_token": token, "base": base, "body": "Hello,\nfixed.\n"})
    assert r.status_code == 303
    page = client.get(f"/c/{conv_id}").text
    assert "fixed." in page and "draft edited" in page
    assert client.post(f"/c/{conv_id}/assign", data={"csrf_token": token, "user": AGENT}).status_code == 303
    assert f'data-id="{conv_id}"' in client.get(f"/?assignee={AGENT}").text
    assert f'data-id="{conv_id}"' not in client.get("/?assignee=-").text
    assert client.post(f"/c/{conv_id}/done", data={"csrf_token": token}).status_code == 303
    assert f'data-id="{conv_id}"' not in client.get("/").text
    assert client.post(f"/c/{conv_id}/reopen", data={"csrf_token": token}).status_code == 303
    assert f'data-id="{conv_id}"' in client.get("/").text


def test_a_draft_with_a_card_number_is_refused_and_the_text_kept(client: TestClient) -> None:
    token = login(client)
    conv_id = _first_id(client)
    body = "Your card 4111111111111111 was charged."
    r = client.post(f"/c/{conv_id}/draft", data={"csrf_token": token, "base": "", "body": body})
    assert r.status_code == 422
    assert "Not saved" in r.text and body in r.text


def test_saving_over_someone_elses_newer_save_asks_first(client: TestClient, config: Path) -> None:
    token = login(client, AGENT)
    conv_id = _first_id(client)
    base = re.search(r'name="base" value="([^"]*)"', client.get(f"/c/{conv_id}").text).group(1)  # type: ignore[union-attr]
    with _client(config) as other:
        other_token = login(other, MANAGER)
        saved = other.post(f"/c/{conv_id}/draft", data={"csrf_token": other_token, "base": base, "body": "theirs"})
        assert saved.status_code == 303
    mine = {"csrf_token": token, "base": base, "body": "mine"}
    r = client.post(f"/c/{conv_id}/draft", data=mine)
    assert r.status_code == 409 and MANAGER in r.text and ">mine</textarea>" in r.text
    assert "theirs" in client.get(f"/c/{conv_id}").text.split("<textarea")[1]
    r = client.post(f"/c/{conv_id}/draft", data={**mine, "confirm": "1"})
    assert r.status_code == 303
    assert ">mine</textarea>" in client.get(f"/c/{conv_id}").text


def test_unknown_conversation_is_404(client: TestClient) -> None:
    login(client)
    assert client.get("/c/999999").status_code == 404


def test_a_store_from_before_accounts_gains_them(tmp_path: Path) -> None:
    """A schema-1 file (written before the web) is migrated in place: its messages stay, accounts work."""
    import sqlite3

    import sqlite_utils

    from triage.store import schema

    con = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    db = sqlite_utils.Database(con)
    schema._migrate_1(db)
    con.execute("INSERT INTO messages (mailbox, uidvalidity, uid, fingerprint) VALUES ('m', 1, '1', 'f')")
    con.execute("PRAGMA user_version = 1")
    con.close()
    store = Store(tmp_path / "old.db")
    store.add_user("zoe", "hash", manager=False)
    assert store.user("zoe") is not None and store.count_messages() == 1


def test_a_draft_saved_on_the_page_reaches_the_dovecot_drafts_folder(
    dovecot: Dovecot, imap_folder: str, tmp_path: Path, triage_cli: TriageCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import email

    from triage.cli import App, _web_sync

    append(dovecot, imap_folder, [customer_message(0, seed=31)])
    config = write_config(tmp_path, dovecot, imap_folder)
    assert triage_cli("--config", str(config), "once").returncode == 0
    added = triage_cli("--config", str(config), "user", "add", AGENT, "--password-stdin", input=PASSWORD)
    assert added.returncode == 0, added.stderr
    monkeypatch.setenv(PASSWORD_ENV, IMAP_PASSWORD)
    cfg = load_config(config)
    app = create_app(cfg, cfg.resolve(cfg.store.path), lambda: datetime.now(UTC), _web_sync(App(str(config), None)))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        token = login(client)
        conv_id = _first_id(client)
        body = "Edited on the web page, token 7f3a."
        r = client.post(f"/c/{conv_id}/draft", data={"csrf_token": token, "base": "", "body": body})
        assert r.status_code == 303
    c = dovecot.client()
    c.select_folder("Drafts", readonly=True)
    texts = [
        email.message_from_bytes(d[b"BODY[]"]).get_payload(decode=True).decode()  # type: ignore[union-attr]
        for d in c.fetch(c.search(["ALL"]), ["BODY.PEEK[]"]).values()
    ]
    c.logout()
    assert any(body in t for t in texts)


def test_user_commands(config: Path, triage_cli: TriageCli) -> None:
    cli = ("--config", str(config), "user")
    short = triage_cli(*cli, "add", "shorty", "--password-stdin", input="short\n")
    assert short.returncode == 2 and "at least" in short.stderr
    assert triage_cli(*cli, "add", AGENT, "--password-stdin", input=PASSWORD).returncode == 1  # exists
    assert triage_cli(*cli, "passwd", AGENT, "--password-stdin", input="another long password\n").returncode == 0
    store = Store(load_config(config).resolve(load_config(config).store.path))
    user = store.user(AGENT)
    assert user is not None and user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    assert triage_cli(*cli, "remove", AGENT).returncode == 0
    assert store.user(AGENT) is None
    assert triage_cli(*cli, "remove", AGENT).returncode == 3  # not found (README exit codes)


@pytest.mark.parametrize(
    ("web", "problem"),
    [
        ('host = "0.0.0.0"', "[web] host"),
        ("port = 0", "[web] port"),
        ('public_url = "support.example.com"', "[web] public_url"),
        ("colour = 1", "colour"),
    ],
)
def test_web_config_is_checked(tmp_path: Path, web: str, problem: str) -> None:
    import tomllib

    from triage.config import config_from_dict
    from triage.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape(problem)):
        config_from_dict(tomllib.loads("[web]\n" + web))
    ok = config_from_dict(tomllib.loads('[web]\nhost = "0.0.0.0"\npublic_url = "https://s.example.com"'))
    assert ok.web.secure and ok.web.port == 8025


def test_pages_of_the_queue_cover_it_once_in_urgency_order(config: Path) -> None:
    from triage.web.data import Filters, queue_page

    store = Store(load_config(config).resolve(load_config(config).store.path))
    everything = [r.id for r in store.queue()]
    for filters in (Filters(), Filters(q="example.com")):  # the unfiltered fast path and the filtered one
        seen: list[int] = []
        for number in range(1, 4):
            page = queue_page(store, dataclasses.replace(filters, page=number), per_page=3)
            seen += [c["id"] for c in page.conversations]
        assert seen == everything, filters
    first = queue_page(store, Filters(), per_page=3)
    assert first.total == 7 and first.pages == 3  # the window count: every page knows the total
    last = queue_page(store, Filters(page=3), per_page=3)
    assert last.total == 7 and last.pages == 3 and len(last.conversations) == 1


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\\\evil.example"])
def test_redirects_stay_on_this_site(client: TestClient, target: str) -> None:
    r = client.post(
        "/login",
        data={"username": AGENT, "password": PASSWORD, "csrf_token": _login_token(client), "next": target},
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    token = login(client)
    conv_id = _first_id(client)
    r = client.post(f"/c/{conv_id}/assign", data={"csrf_token": token, "user": AGENT, "next": target})
    assert r.headers["location"] == f"/c/{conv_id}"


def test_one_address_trying_many_accounts_is_rate_limited(client: TestClient) -> None:
    from triage.web.auth import MAX_FAILED_PER_ADDRESS

    for n in range(MAX_FAILED_PER_ADDRESS):
        data = {"username": f"guess{n}", "password": "wrong!", "csrf_token": _login_token(client)}
        assert client.post("/login", data=data).status_code == 401
    r = client.post("/login", data={"username": AGENT, "password": PASSWORD, "csrf_token": _login_token(client)})
    assert r.status_code == 429
