"""The web queue's routes: login, the queue, a conversation, its actions, the managers' summaries, live events.

Every route but /login and /static needs a session (`_session` is the first
thing each handler calls; tests walk the route table to keep it so), and every
POST checks the session's CSRF token (`_form`). Responses carry a strict
Content-Security-Policy: the pages load their script and style from /static
only, so nothing inline runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from triage.config import Config
from triage.errors import TriageError
from triage.resources import WEB_TEMPLATES, bundled
from triage.store import Session, Store
from triage.web import auth, data
from triage.web.presence import Presence

log = logging.getLogger("triage.web")
TEMPLATES_DIR = bundled(WEB_TEMPLATES)
STATIC_DIR = Path(__file__).resolve().parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The summary report is the e-mailed HTML, styled inline for mail clients: allowed styles, still no script.
SUMMARY_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
TICK = 0.25  # how often an event stream looks at the store's change counter (cheap: two max(id) lookups)


def _with_day_links(html: str, day: date) -> str:
    """The e-mailed report as a page of its own, with links back to the queue and to the days beside it:
    every day's figures stay reachable (the report is computed from the store for any date)."""
    prev, nxt = (day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()
    link = "color:#2b6cb0;margin-right:16px"
    nav = (
        '<nav aria-label="Days" style="font:14px sans-serif;padding:8px 12px;max-width:680px;margin:0 auto">'
        f'<a style="{link}" href="/">Queue</a>'
        f'<a style="{link}" href="/summary/{prev}" rel="prev">&larr; {prev}</a>'
        f'<a style="{link}" href="/summary/{nxt}" rel="next">{nxt} &rarr;</a></nav>'
    )
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + nav + html[end:]


@dataclass
class WebState:
    cfg: Config
    store_path: Path
    clock: Callable[[], datetime]
    sync: Callable[[Store], object] | None = None  # puts saved drafts into the Drafts folder (IMAP sources)
    presence: Presence = field(default_factory=Presence)
    _local: threading.local = field(default_factory=threading.local)
    stopping: bool = False

    def store(self) -> Store:
        """One connection per thread (sqlite3 connections stay in the thread that made them)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.store_path)
        return store


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["pretty"] = lambda s: str(s or "").replace("_", " ")
    return env


class SecurityHeaders:
    """Adds the security headers to every response (a route may set its own CSP first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"content-security-policy": CSP.encode(),
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"same-origin",
                    b"x-content-type-options": b"nosniff",
                    b"cache-control": b"no-store",
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    cfg: Config, store_path: Path, clock: Callable[[], datetime], sync: Callable[[Store], object] | None = None
) -> Starlette:
    """The web app over the store at `store_path`; `clock` gives "now" for ages (pinned in demos and tests)."""
    state = WebState(cfg, store_path, clock, sync)
    templates = _env()
    signer = auth.Signer(auth.signing_key(state.store()))

    def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
        sess: Session | None = getattr(request.state, "session", None)
        base = {
            "me": sess.user if sess else "",
            "manager": bool(sess and sess.manager),
            "csrf": sess.csrf if sess else "",
        }
        base["now"] = state.clock().isoformat(timespec="seconds")
        return HTMLResponse(templates.get_template(name).render({**base, **ctx}), status_code=status)

    def _session(request: Request, html: bool = True) -> Session:
        found = auth.session_for(state.store(), signer, request.cookies.get(auth.SESSION_COOKIE))
        if found is None:
            if html and request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                raise HTTPException(303, headers={"Location": "/login?" + urlencode({"next": target})})
            raise HTTPException(401, "log in first")
        request.state.session = found[1]
        request.state.token = found[0]
        return found[1]

    async def _form(request: Request, sess: Session) -> FormData:
        form = await request.form()
        given = form.get("csrf_token") or request.headers.get("x-csrf-token")
        if not auth.same_token(sess.csrf, str(given) if given else None):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page")
        return form

    def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, samesite="strict", secure=cfg.web.secure, path="/"
        )

    # -- login -----------------------------------------------------------------------------------------------

    def _login_page(request: Request, error: str = "", status: int = 200, name: str = "") -> Response:
        token = auth.new_token()
        nxt = request.query_params.get("next", "/")
        response = page(request, "login.html", {"error": error, "login_csrf": token, "next": nxt, "name": name}, status)
        _cookie(response, auth.LOGIN_CSRF_COOKIE, signer.sign(token), 3600)
        return response

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return _login_page(request)
        form = await request.form()
        expected = signer.unsign(request.cookies.get(auth.LOGIN_CSRF_COOKIE))
        if not auth.same_token(expected, str(form.get("csrf_token") or "")):
            return _login_page(request, "The form expired: please try again.", 403)
        name, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
        address = request.client.host if request.client else "?"
        store = state.store()
        if not auth.login_allowed(store, name, address):
            return _login_page(request, "Too many failed attempts: wait 15 minutes and try again.", 429, name)
        user = store.user(name)
        ok = await run_in_threadpool(auth.verify_password, user.password_hash if user else None, password)
        store.record_login(name, address, ok)
        if not ok:
            return _login_page(request, "Wrong user name or password.", 401, name)
        token = auth.new_token()
        store.start_session(name, token, auth.new_token())
        response = RedirectResponse(_local(form.get("next"), "/"), 303)
        _cookie(response, auth.SESSION_COOKIE, signer.sign(token), int(auth.SESSION_MAX_AGE.total_seconds()))
        response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/")
        return response

    async def logout(request: Request) -> Response:
        sess = _session(request, html=False)
        await _form(request, sess)
        state.store().end_session(request.state.token)
        response = RedirectResponse("/login", 303)
        response.delete_cookie(auth.SESSION_COOKIE, path="/")
        return response

    # -- the queue -------------------------------------------------------------------------------------------

    def _filters(request: Request) -> data.Filters:
        q = request.query_params
        try:
            number = int(q.get("page", "1"))
        except ValueError:
            number = 1
        state_ = q.get("state", "open")
        return data.Filters(
            intent=q.get("intent", ""),
            stage=q.get("stage", ""),
            state=state_ if state_ in ("open", "done", "all") else "open",
            assignee=q.get("assignee", ""),
            q=q.get("q", "")[:200],
            page=number,
        )

    def _queue_ctx(request: Request) -> dict[str, Any]:
        f = _filters(request)
        store = state.store()
        result = data.queue_page(store, f)
        params = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return {
            "f": f,
            "result": result,
            "query": urlencode(params),
            "users": store.user_names(),
            "presence": state.presence.snapshot(),
            "intents": ("cancel", "duplicate", "address_fix", "refund", "other"),
            "stages": (
                "pending_payment", "unfulfilled", "in_progress", "label_created", "shipped", "delivered",
                "canceled", "refunded", "returned", "unknown",
            ),
        }  # fmt: skip

    async def queue(request: Request) -> Response:
        _session(request)
        return page(request, "queue.html", _queue_ctx(request))

    async def rows(request: Request) -> Response:
        _session(request, html=False)
        return page(request, "rows.html", _queue_ctx(request))

    # -- a conversation --------------------------------------------------------------------------------------

    def _conversation(conv_id: int) -> dict[str, Any]:
        conv = data.conversation(state.store(), conv_id, cfg.orders.duplicate_window_minutes)
        if conv is None:
            raise HTTPException(404, f"no conversation {conv_id}")
        return conv

    def _conv_page(request: Request, conv_id: int, status: int = 200, **extra: Any) -> Response:
        conv = _conversation(conv_id)
        store = state.store()
        ctx = {
            "c": conv,
            "assignee": store.assignee(conv_id),
            "newest_first": request.query_params.get("order") == "newest",
            "users": store.user_names(),
            "presence": state.presence.snapshot().get(conv_id, []),
            "body": conv["draft"]["body"] if conv["draft"] else "",
            "base": conv["draft_updated_at"],
            "conflict": "",
            "error": "",
            "saved": request.query_params.get("saved", ""),
            "relabelled": request.query_params.get("relabelled", ""),
            "relabel_error": "",
            "choices": data.RELABEL_CHOICES,
            "correction": data.latest_correction(store, conv_id),
        }
        ctx.update(extra)
        return page(request, "conversation.html", ctx, status)

    async def conversation(request: Request) -> Response:
        _session(request)
        return _conv_page(request, request.path_params["conv_id"])

    async def save_draft(request: Request) -> Response:
        sess = _session(request, html=False)
        form = await _form(request, sess)
        conv_id = request.path_params["conv_id"]
        conv = _conversation(conv_id)
        body = str(form.get("body") or "").replace("\r\n", "\n")
        if conv["draft"] is None:
            raise HTTPException(409, "this conversation has no draft to save over (automated, or closed with thanks)")
        base = str(form.get("base") or "")
        editor = data.last_draft_editor(conv)
        if conv["draft_updated_at"] != base and editor and editor != sess.user and not form.get("confirm"):
            note = f"{editor} saved this draft at {conv['draft_updated_at']}, after you opened it."
            return _conv_page(request, conv_id, 409, body=body, base=conv["draft_updated_at"], conflict=note)
        from triage.reply.draft import assert_safe

        try:
            assert_safe(body)
        except TriageError as exc:
            return _conv_page(request, conv_id, 422, body=body, base=base, error=f"Not saved: {exc}")
        data.save_draft(state.store(), conv_id, body, sess.user)
        state.presence.editing(conv_id, sess.user, False)
        if state.sync is not None:
            sync = state.sync
            try:
                await run_in_threadpool(lambda: sync(state.store()))
            except TriageError as exc:  # saved in the store; the next sync (run's loop, or the next save) retries
                log.warning("draft %d saved, but not yet in the Drafts folder: %s", conv_id, exc)
        return RedirectResponse(f"/c/{conv_id}?saved=1", 303)

    async def set_state(request: Request) -> Response:
        sess = _session(request, html=False)
        form = await _form(request, sess)
        conv_id = request.path_params["conv_id"]
        _conversation(conv_id)
        if request.url.path.endswith("/done"):
            data.set_state(state.store(), conv_id, "done", sess.user)
            return RedirectResponse(_local(form.get("next"), "/"), 303)
        data.set_state(state.store(), conv_id, "open", sess.user)
        return RedirectResponse(f"/c/{conv_id}", 303)

    async def assign(request: Request) -> Response:
        sess = _session(request, html=False)
        form = await _form(request, sess)
        conv_id = request.path_params["conv_id"]
        _conversation(conv_id)
        who = str(form.get("user") or sess.user)
        state.store().assign(conv_id, None if who == "-" else who, sess.user)
        return RedirectResponse(_local(form.get("next"), f"/c/{conv_id}"), 303)

    async def relabel(request: Request) -> Response:
        """The relabel form: the ticked requests (none ticked: `other`) on the chosen message (default the latest
        customer message), recorded as a correction by the logged-in user, as `triage relabel` does."""
        sess = _session(request, html=False)
        form = await _form(request, sess)
        conv_id = request.path_params["conv_id"]
        _conversation(conv_id)
        ticked = [str(v) for v in form.getlist("intent")]
        which = str(form.get("message") or "").strip()
        if which and not which.isdigit():
            return _conv_page(request, conv_id, 422, relabel_error=f"Not relabelled: no message {which[:20]!r}.")
        try:
            data.relabel(state.store(), conv_id, ticked, sess.user, int(which) if which else None)
        except TriageError as exc:  # an unknown intent, `other` with a request, a message not the customer's
            return _conv_page(request, conv_id, 422, relabel_error=f"Not relabelled: {exc}")
        return RedirectResponse(f"/c/{conv_id}?relabelled=1#relabel", 303)

    async def undo_relabel(request: Request) -> Response:
        sess = _session(request, html=False)
        await _form(request, sess)
        conv_id = request.path_params["conv_id"]
        _conversation(conv_id)
        try:
            data.undo_relabel(state.store(), conv_id, sess.user)
        except TriageError as exc:  # nothing left to undo (someone else undid it first)
            return _conv_page(request, conv_id, 409, relabel_error=f"Not undone: {exc}")
        return RedirectResponse(f"/c/{conv_id}?relabelled=undone#relabel", 303)

    async def editing(request: Request) -> Response:
        sess = _session(request, html=False)
        form = await _form(request, sess)
        state.presence.editing(request.path_params["conv_id"], sess.user, form.get("editing") == "1")
        return JSONResponse({"ok": True})

    # -- managers --------------------------------------------------------------------------------------------

    async def summary(request: Request) -> Response:
        sess = _session(request)
        if not sess.manager:
            raise HTTPException(403, "the daily summaries are for managers")
        try:
            day = date.fromisoformat(request.path_params["day"])
        except ValueError as exc:
            raise HTTPException(404, "expected /summary/YYYY-MM-DD") from exc
        from triage.report.summary import collect
        from triage.report.summary_render import render

        html, _ = render(collect(state.store(), cfg, day, state.clock()))
        return HTMLResponse(_with_day_links(html, day), headers={"content-security-policy": SUMMARY_CSP})

    async def summary_today(request: Request) -> Response:
        _session(request)
        return RedirectResponse(f"/summary/{state.clock().date().isoformat()}", 303)

    # -- live events -----------------------------------------------------------------------------------------

    async def events(request: Request) -> Response:
        sess = _session(request, html=False)
        token = request.state.token
        try:
            watching = int(request.query_params.get("c", "0"))
        except ValueError:
            watching = 0

        async def stream() -> AsyncIterator[str]:
            store = state.store()
            presence = state.presence
            if watching:
                presence.open(watching, sess.user)
            # Read before the first byte goes out: the page refreshes its rows when the stream opens, so a
            # commit between the page's render and this read is in that refresh, and any later one is an event.
            seen_counter: tuple[int, ...] | None = store.change_counter()
            opened_version = store.conversation_version(watching) if watching else None
            seen_presence = -1
            ticks = 0
            try:
                yield "retry: 1000\n\n"
                while not state.stopping:
                    counter = store.change_counter()
                    if seen_counter is not None and counter != seen_counter:
                        yield f"event: change\ndata: {json.dumps(counter)}\n\n"
                        if watching and store.conversation_version(watching) != opened_version:
                            # the open conversation itself changed (a new message, a retraction): offer a reload
                            yield "event: conversation\ndata: {}\n\n"
                    seen_counter = counter
                    if watching:
                        presence.touch(watching, sess.user)
                    if presence.version != seen_presence or ticks % 20 == 0:
                        seen_presence = presence.version
                        snap = {str(k): v for k, v in presence.snapshot().items()}
                        yield f"event: presence\ndata: {json.dumps(snap)}\n\n"
                    ticks += 1
                    if ticks % 8 == 0 and store.session(token, auth.SESSION_MAX_AGE) is None:
                        yield "event: logout\ndata: {}\n\n"
                        return
                    if await request.is_disconnected():
                        return
                    await asyncio.sleep(TICK)
            finally:
                if watching:
                    presence.close(watching, sess.user)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"x-accel-buffering": "no"})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code in (301, 302, 303) and exc.headers:
            return Response(status_code=exc.status_code, headers=exc.headers)
        return page(request, "error.html", {"status": exc.status_code, "detail": exc.detail}, exc.status_code)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        state.stopping = True  # event streams end, so the server can stop

    routes = [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", queue),
        Route("/rows", rows),
        Route("/c/{conv_id:int}", conversation),
        Route("/c/{conv_id:int}/draft", save_draft, methods=["POST"]),
        Route("/c/{conv_id:int}/done", set_state, methods=["POST"]),
        Route("/c/{conv_id:int}/reopen", set_state, methods=["POST"]),
        Route("/c/{conv_id:int}/assign", assign, methods=["POST"]),
        Route("/c/{conv_id:int}/editing", editing, methods=["POST"]),
        Route("/c/{conv_id:int}/relabel", relabel, methods=["POST"]),
        Route("/c/{conv_id:int}/relabel/undo", undo_relabel, methods=["POST"]),
        Route("/summary", summary_today),
        Route("/summary/{day:str}", summary),
        Route("/events", events),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error}, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.state.web = state
    return app


def _local(target: object, default: str) -> str:
    """A redirect target from a form, kept on this site (never `//elsewhere` or `https://…`)."""
    text = str(target or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(ch) < 32 for ch in text):
        return default
    return text
