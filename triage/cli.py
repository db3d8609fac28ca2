"""The command line: a thin click group over the library; errors become one line and an exit code."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from triage.config import Config, demo_config, find_config, load_config
from triage.errors import TemplateError, TriageError, UsageError

if TYPE_CHECKING:  # imported lazily at run time, so `redact` never loads the model and `queue` starts fast
    from triage.orders.csv_import import RowProblem
    from triage.run.pipeline import Pipeline
    from triage.store import Store
    from triage.understand.classify import IntentModel

log = logging.getLogger("triage")


class App:
    """What a command needs, built lazily so `redact` never loads the model and `queue` starts fast."""

    def __init__(self, config_path: str | None, now: str | None, cfg: Config | None = None) -> None:
        self.config_path = config_path
        self._now = now
        if cfg is not None:  # a config built in code (the demo): no file is looked up
            self.__dict__["cfg"] = cfg

    @cached_property
    def cfg(self) -> Config:
        return load_config(find_config(self.config_path))

    def now(self) -> datetime:
        pinned = self._now or self.cfg.shop.now
        if pinned:
            try:
                dt = datetime.fromisoformat(pinned)
            except ValueError as exc:
                raise UsageError(f"--now / [shop] now: not an ISO 8601 time: {pinned!r}") from exc
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        return datetime.now(UTC)

    @cached_property
    def store(self) -> Store:
        from triage.store import Store

        store = Store(self.cfg.resolve(self.cfg.store.path), clock=self.now)  # one clock for stored and computed times
        if store.needs_regroup():  # the first start after the upgrade: group the stored messages
            from triage.run.pipeline import OrderBook
            from triage.run.regroup import regroup

            orders = OrderBook.of(store.orders(), self.cfg.orders.duplicate_window_minutes)
            regroup(store, self.cfg.stage_settings(), orders, self.now())
        return store

    @cached_property
    def model(self) -> IntentModel:
        from triage.understand.classify import IntentModel

        return IntentModel.load(self.cfg.require_model())

    def pipeline(self, store: Store | None = None, cfg: Config | None = None, cls: type | None = None) -> Pipeline:
        """The pipeline over `store`'s orders and history; `cfg` is one mailbox's view (its shop identity)."""
        from triage.run.pipeline import OrderBook, Pipeline

        cls = cls or Pipeline
        window = self.cfg.orders.duplicate_window_minutes
        orders = OrderBook.of(store.orders(), window) if store is not None else OrderBook()
        pipeline: Pipeline = cls(cfg or self.cfg, self.model, orders, store, clock=self.now)
        return pipeline


pass_app = click.make_pass_decorator(App)


def _setup_logging(debug: bool, verbose: bool) -> None:
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("imapclient", "imaplib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="triage", prog_name="triage", message="%(prog)s %(version)s")
@click.option(
    "--config",
    "config_path",
    default=None,
    help="Path to inbox.toml (default: $TRIAGE_CONFIG, else ./inbox.toml, else ~/.config/triage/inbox.toml).",
)
@click.option("--now", default=None, help="Evaluate ages and deadlines as of this ISO 8601 time.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def cli(ctx: click.Context, config_path: str, now: str | None, debug: bool, verbose: bool) -> None:
    """Triage a shop's support inbox: classify, redact, rank by fulfillment stage, queue.

    Start with `triage demo` (the bundled demo inbox, no setup), then `triage init`
    and `triage check` for your own mailbox; `triage once` and `triage run` do the work.
    """
    _setup_logging(debug, verbose)
    ctx.obj = App(config_path, now)
    if ctx.invoked_subcommand is None:
        # Like git and gh: no command prints help and acts on nothing, so pointing triage at a real
        # mailbox never triages (or writes drafts) by surprise.
        click.echo(ctx.get_help())


def _import_orders(app: App, file: Path) -> tuple[int, int]:
    from triage.orders.csv_import import read_orders

    result = read_orders(file, app.cfg.stage_settings().orders)
    _print_row_problems(file, result.problems)
    return app.store.upsert_orders(result.orders), sum(p.skipped for p in result.problems)


def _print_row_problems(file: Path, problems: Sequence[RowProblem]) -> None:
    """One line per problem, FILE:LINE first (as compilers do), saying whether the row was loaded."""
    for problem in problems:
        click.echo(
            f"{file}:{problem.line}: {problem.message}" + (" (row skipped)" if problem.skipped else ""), err=True
        )


def _sync_drafts(app: App, cfg: Config | None = None, store: Store | None = None) -> None:
    """With an IMAP source, put new and changed drafts into the mailbox's Drafts folder.

    With several mailboxes, `cfg` is one mailbox's view: only its own messages' drafts go to its Drafts.
    """
    cfg = cfg or app.cfg
    if cfg.source.kind != "imap":
        return
    from triage.reply.draft_sync import sync_drafts
    from triage.sources import mailbox_name
    from triage.sources.imap import login

    only = mailbox_name(cfg) if app.cfg.mailbox else None
    sync_drafts(
        store or app.store, cfg.stage_settings().reply, cfg.imap.drafts_folder, lambda: login(cfg.imap), mailbox=only
    )


def _sync_every_mailbox(app: App, store: Store | None = None) -> None:
    """After an agent's edit: each mailbox's pending drafts to its own Drafts folder (the top-level [source]
    alone is not the mailbox when [[mailbox]] tables name them)."""
    from triage.run.mailboxes import mailbox_jobs

    for job in mailbox_jobs(app.cfg):
        _sync_drafts(app, job.cfg, store)


def _sync_orders_file(app: App) -> bool:
    """Re-import [orders] file when it changed since the last import, so the queue sees current stages."""
    if not app.cfg.orders_file:
        return False
    path = app.cfg.resolve(app.cfg.orders_file)
    try:
        stamp = f"{path.resolve()}:{path.stat().st_mtime_ns}:{path.stat().st_size}"
    except OSError as exc:
        raise UsageError(f"{app.cfg.file} [orders] file: cannot read {path}: {exc.strerror}") from exc
    if app.store.get_meta("orders_file") != stamp:
        count, skipped = _import_orders(app, path)
        app.store.set_meta("orders_file", stamp)
        log.info("imported %d order(s) from %s (%d row(s) skipped)", count, path, skipped)
        return True
    return False


@cli.command()
@pass_app
def once(app: App) -> None:
    """Fetch and triage whatever is new in every mailbox, each in turn, then exit (1 if one failed)."""
    from triage.run.mailboxes import once_all, require_sources

    require_sources(app.cfg)
    _sync_orders_file(app)
    results = once_all(
        app.cfg,
        app.store,
        lambda job: app.pipeline(app.store, job.cfg),
        after=lambda job: _sync_drafts(app, job.cfg),
    )
    for result in results:
        label = result.job.name
        if result.stats is None:  # one line per failed mailbox; a single mailbox's reads as any error does
            click.echo(
                f"{label}: failed: {result.error}" if app.cfg.mailbox else f"triage: error: {result.error}", err=True
            )
            continue
        stats = result.stats
        click.echo(
            f"triaged {stats.stored} new message(s) from {label}"
            + (f" ({stats.errors} could not be parsed; see the queue)" if stats.errors else ""),
            err=True,
        )
    if any(r.stats is None for r in results):
        sys.exit(1)


@cli.command()
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the demo's store in this file (default: a temporary one, removed afterwards).",
)
@click.pass_context
def demo(ctx: click.Context, store: Path | None) -> None:
    """Triage the bundled demo inbox (47 e-mails, a Shopify orders export) and print the queue.

    Needs no config file and no account: a first look at what triage does.
    """
    import tempfile

    outer: App = ctx.ensure_object(App)
    with tempfile.TemporaryDirectory(prefix="triage-demo-", ignore_cleanup_errors=True) as tmp:
        db = store if store is not None else Path(tmp) / "demo.db"
        app = App(None, outer._now, cfg=demo_config(db))
        ctx.obj = app
        ctx.invoke(once)
        ctx.invoke(queue)
        app.store.close()
    kept = f"the store is {db}" if store is not None else "nothing was kept (--store FILE keeps the store)"
    click.echo(f"This was the demo; {kept}. `triage init` writes your own inbox.toml.", err=True)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("inbox.toml"),
    show_default=True,
    help="Where to write it (never over an existing file).",
)
@click.option("--shop-name", help="The shop's name, as replies sign it.")
@click.option("--support-address", help="The support address customers write to.")
@click.option("--timezone", help="The shop's IANA time zone, e.g. Europe/Berlin.")
@click.option("--source", type=click.Choice(["imap", "maildir", "mbox", "eml_dir"]), help="Where the mail is.")
@click.option("--path", "source_path", help="For maildir/mbox/eml_dir: the folder or file.")
@click.option("--imap-host", help="For imap: the server's name.")
@click.option("--imap-username", help="For imap: the login.")
@click.option(
    "--password-env", default="TRIAGE_IMAP_PASSWORD", show_default=True, help="Variable holding the password."
)
@click.option("--orders-file", default="", help="A Shopify orders export to re-import when it changes.")
def init(
    output: Path,
    shop_name: str | None,
    support_address: str | None,
    timezone: str | None,
    source: str | None,
    source_path: str | None,
    imap_host: str | None,
    imap_username: str | None,
    password_env: str,
    orders_file: str,
) -> None:
    """Write a commented starter inbox.toml: the few values from flags, or asked for on a terminal."""
    from triage.config import config_from_dict, starter_config

    if output.exists():
        raise UsageError(f"{output} exists; triage init never overwrites a config (choose another --output)")
    asking = sys.stdin.isatty()

    def value(given: str | None, prompt: str, default: str, **kw: Any) -> str:
        if given is not None:
            return given
        return str(click.prompt(prompt, default=default, **kw)) if asking else default

    shop_name = value(shop_name, "Shop name", "Our shop")
    support_address = value(support_address, "Support address", "support@example.com")
    timezone = value(timezone, "Time zone (IANA)", "UTC", value_proc=_known_zone)  # asked again, not at the end
    source = value(source, "Mail source", "imap", type=click.Choice(["imap", "maildir", "mbox", "eml_dir"]))
    if source == "imap":
        imap_host = value(imap_host, "IMAP server", "imap.example.com")
        imap_username = value(imap_username, "IMAP login", support_address)
    else:
        source_path = value(source_path, "Path of the Maildir, mbox or .eml folder", "Maildir")
    text = starter_config(
        shop_name=shop_name,
        support_address=support_address,
        timezone=timezone,
        source=source,
        path=source_path or "",
        imap_host=imap_host or "",
        imap_username=imap_username or "",
        password_env=password_env,
        orders_file=orders_file,
    )
    import tomllib

    config_from_dict(tomllib.loads(text), name=str(output))  # a starter that fails its own check is a bug
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("x", encoding="utf-8") as fh:  # "x": refuse, even if the file appeared meanwhile
        fh.write(text)
    click.echo(f"wrote {output}; next: `triage --config {output} check`")


def _known_zone(text: str) -> str:
    """A time zone typed at `init`'s prompt, checked there: a typo found after the last question lost the answers."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(text)
    except Exception as exc:
        raise click.BadParameter(f"unknown zone {text!r} (use an IANA name, e.g. Europe/Berlin)") from exc
    return text


@cli.command()
@pass_app
def check(app: App) -> None:
    """Test the config against the world: server, TLS, login, folders, SMTP, orders, model, templates."""
    from triage.run.check import render_checklist, run_checks

    path = find_config(app.config_path)
    click.echo(f"triage check: {path}")
    checks = run_checks(path, load_model=lambda cfg: app.model)
    click.echo(render_checklist(checks))
    if not all(c.passed for c in checks):
        sys.exit(1)


@cli.command()
@pass_app
def run(app: App) -> None:
    """The daemon: IDLE/poll every mailbox, triage and store until stopped (SIGTERM or Ctrl-C)."""
    import schedule

    from triage.report.summary_send import schedule_daily
    from triage.run.mailboxes import mailbox_jobs, require_sources

    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    cfg = app.cfg
    require_sources(cfg)
    jobs = mailbox_jobs(cfg)
    scheduler = schedule.Scheduler()
    schedule_daily(scheduler, app.store, cfg, app.now)
    web_server = None
    if cfg.web.enabled:  # the web queue beside the mail loop, in a thread of its own
        from triage.web.server import make_server, serve_in_thread

        web_server = make_server(cfg, cfg.resolve(cfg.store.path), app.now, _web_sync(app))
        serve_in_thread(web_server)
        log.info("web queue on http://%s:%d/", cfg.web.host, cfg.web.port)
    try:
        _serve_mailboxes(app, jobs, scheduler)
    finally:
        if web_server is not None:
            web_server.should_exit = True


def _serve_mailboxes(app: App, jobs: list[Any], scheduler: Any) -> None:
    """Every mailbox's loop: one on the main thread, or one thread each (the summary on the main one)."""
    from triage.run.daemon import run_daemon
    from triage.run.mailboxes import SharedModelPipeline, scrubber, serve_all
    from triage.run.pipeline import OrderBook

    cfg = app.cfg
    _sync_orders_file(app)
    if len(jobs) == 1:  # one mailbox: its loop on the main thread, the summary in the same scheduler
        (job,) = jobs
        pipeline = app.pipeline(app.store, job.cfg)

        def refresh_orders() -> None:
            if _sync_orders_file(app):
                pipeline.orders = OrderBook.of(app.store.orders(), cfg.orders.duplicate_window_minutes)

        run_daemon(
            lambda: _open(job.cfg),
            job.key,
            app.store,
            pipeline,
            poll_seconds=job.cfg.imap.poll_seconds,
            reconnect_max_seconds=job.cfg.imap.reconnect_max_seconds,
            scheduler=scheduler,
            before_poll=refresh_orders,
            after_poll=lambda: _sync_drafts(app, job.cfg),
            label=job.name,
            scrub=scrubber(cfg),
        )
        return
    from triage.store import Store

    # The orders file is re-imported on the main thread (its store connection); each mailbox thread
    # reloads its order book from its own connection when the import stamp changes.
    scheduler.every(cfg.imap.poll_seconds).seconds.do(lambda: _sync_orders_file(app))
    seen: dict[str, str | None] = {}
    pipelines: dict[str, Pipeline] = {}

    def pipeline_for(job: Any, store: Store) -> Pipeline:
        pipelines[job.name] = app.pipeline(store, job.cfg, cls=SharedModelPipeline)
        seen[job.name] = store.get_meta("orders_file")
        return pipelines[job.name]

    def before(job: Any, store: Store) -> None:
        stamp = store.get_meta("orders_file")
        if stamp != seen.get(job.name) and job.name in pipelines:
            pipelines[job.name].orders = OrderBook.of(store.orders(), cfg.orders.duplicate_window_minutes)
            seen[job.name] = stamp

    _ = app.model  # loaded once here: the threads share it (SharedModelPipeline takes turns on it)
    log.info("serving %d mailboxes: %s", len(jobs), ", ".join(j.name for j in jobs))
    serve_all(
        cfg,
        lambda: Store(cfg.resolve(cfg.store.path), clock=app.now),  # each thread's own connection, one clock
        pipeline_for,
        scheduler,
        before_poll=before,
        after_poll=lambda job, store: _sync_drafts(app, job.cfg, store),
    )


def _open(cfg: Config) -> Any:
    from triage.sources import open_mailbox

    return open_mailbox(cfg)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON array, one object per mailbox.")
@click.option(
    "--stale-after",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds without a heartbeat before a mailbox counts as stale (default: 3 x poll_seconds + 60).",
)
@pass_app
def status(app: App, as_json: bool, stale_after: float | None) -> None:
    """Each mailbox's heartbeat, backlog and last error; exit 1 when one is failing or stale."""
    from triage.report.status import mailbox_status, status_lines
    from triage.run.mailboxes import mailbox_jobs

    health = {h.mailbox: h for h in app.store.health()}
    now = app.now()  # the clock the heartbeats were stamped with (the command's: pinned only in demos)
    statuses = [
        mailbox_status(
            job.name,
            job.key,
            health.get(job.key),
            len(app.store.error_rows(job.key)),
            now,
            stale_after if stale_after is not None else 3 * job.cfg.imap.poll_seconds + 60,
        )
        for job in mailbox_jobs(app.cfg)
    ]
    if as_json:
        click.echo(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=1))
    else:
        click.echo(status_lines(statuses))
    if any(s.state != "ok" for s in statuses):
        sys.exit(1)


@cli.command()
@click.argument("item_ids", nargs=-1, type=int)
@click.option("--errors", "all_errors", is_flag=True, help="Every open error row.")
@click.option("--by", "actor", default="agent", help="Who asked for it (recorded in the audit log).")
@pass_app
def retriage(app: App, item_ids: tuple[int, ...], all_errors: bool, actor: str) -> None:
    """Re-run error rows through the pipeline from their original messages, after a fix.

    A row that fails again stays an error with the new reason; exit 1 then, 3 for an unknown ID.
    """
    from triage.errors import NotFoundError
    from triage.run.retriage import retriage as retriage_rows

    if bool(item_ids) == all_errors:
        raise UsageError("retriage takes item IDs or --errors (one of the two)")
    ids = app.store.error_rows() if all_errors else list(item_ids)
    if not ids:
        click.echo("no error rows to retriage", err=True)
        return
    results = retriage_rows(app.cfg, app.store, ids, lambda job: app.pipeline(app.store, job.cfg), actor)
    for r in results:
        click.echo(f"{r.id}: {r.outcome}" + (f": {r.detail}" if r.detail else ""))
    if any(r.outcome == "missing" for r in results):
        missing = ", ".join(str(r.id) for r in results if r.outcome == "missing")
        raise NotFoundError(
            f"no message with ID {missing}: retriage takes message numbers (an ERROR line in `triage queue`"
            " names them; `show` prints them as #N), or --errors"
        )
    if any(r.outcome == "failed" for r in results):
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.option("--all", "include_done", is_flag=True, help="Include closed conversations.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many conversations.")
@pass_app
def queue(app: App, as_json: bool, include_done: bool, limit: int | None) -> None:
    """Open conversations, most urgent first, with reasons and deadlines."""
    from triage.report.term_layout import Term, emit
    from triage.report.terminal import queue_table

    rows = app.store.queue(limit=limit, include_done=include_done)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
    else:
        term = Term.detect()
        emit(queue_table(rows, app.now(), app.store.health(), term), term)


def _conversation(app: App, conv_id: int) -> Any:
    from triage.errors import NotFoundError

    conv = app.store.conversation(conv_id)
    if conv is None:
        raise NotFoundError(f"no conversation with ID {conv_id} (see `triage queue`)")
    return conv


@cli.command()
@click.argument("conv_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: App, conv_id: int, as_json: bool) -> None:
    """One conversation in full: its messages, standing and withdrawn requests, order, urgency, draft, history."""
    from triage.report.terminal import conversation_text

    conv = _conversation(app, conv_id)
    from triage.report.term_layout import Term, emit

    if as_json:
        click.echo(json.dumps(conv.to_json(), ensure_ascii=False, indent=1))
    else:
        emit(conversation_text(conv, app.now()), Term.detect())


@cli.command()
@click.argument("conv_id", type=int)
@click.option("--by", "actor", default="agent", help="Who closes it (recorded in the audit log).")
@pass_app
def done(app: App, conv_id: int, actor: str) -> None:
    """Close a conversation."""
    if app.store.set_conversation_state(conv_id, "done", actor):
        click.echo(f"closed {conv_id}")
    else:
        click.echo(f"{conv_id} is already closed; nothing changed")


@cli.command()
@click.argument("conv_id", type=int)
@click.option("--by", "actor", default="agent", help="Who reopens it (recorded in the audit log).")
@pass_app
def reopen(app: App, conv_id: int, actor: str) -> None:
    """Reopen a closed conversation."""
    if app.store.set_conversation_state(conv_id, "open", actor):
        click.echo(f"reopened {conv_id}")
    else:
        click.echo(f"{conv_id} is already open; nothing changed")


@cli.command()
@click.argument("conv_id", type=int)
@click.argument("intents", nargs=-1)
@click.option("--undo", is_flag=True, help="Restore the labels from before the conversation's last correction.")
@click.option("--message", "message", type=int, default=None, help="Correct this message (default: the latest).")
@click.option("--by", "actor", default="agent", help="Who corrects it (recorded in the audit log).")
@pass_app
def relabel(app: App, conv_id: int, intents: tuple[str, ...], undo: bool, message: int | None, actor: str) -> None:
    """Correct a conversation's intents (e.g. `relabel 12 cancel refund`, or `other` for no request).

    The correction is audited, applies to the latest customer message (or --message) and keeps its redacted
    text and language, which `train --with-corrections` learns from. --undo restores the labels before.
    Exit 2 for an unknown intent, 3 for an unknown ID.
    """
    from triage.run.relabel import check_labels, undo_relabel
    from triage.run.relabel import relabel as relabel_conversation

    if undo:
        if intents or message is not None:
            raise UsageError("relabel --undo takes only the conversation ID")
        undone = undo_relabel(app.store, conv_id, actor)
        now = _conversation(app, conv_id).conversation.intents
        click.echo(f"{conv_id}: back to {', '.join(now) or 'no labels'} (was {', '.join(undone.labels)})")
        return
    labels = check_labels(intents)  # before the store opens: a typo never touches it
    msg = relabel_conversation(app.store, conv_id, labels, actor, message)
    conv = app.store.conversation(conv_id)
    note = ""
    if conv is not None and "draft_before_relabel" in conv.conversation.flags:
        note = "; its draft was written for the old intents: check it before sending"
    click.echo(f"{conv_id}: relabelled {', '.join(labels)} (message {msg}){note}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line (the default).")
@pass_app
def inspect(app: App, files: tuple[Path, ...], as_json: bool) -> None:
    """Triage .eml files without storing them (reads orders from the store)."""
    from triage.run.inspect import inspect_files

    store = app.store if app.cfg.resolve(app.cfg.store.path).exists() else None
    for obj in inspect_files(files, app.pipeline(store), app.cfg):
        click.echo(json.dumps(obj, ensure_ascii=False))


@cli.command()
@click.argument("conv_id", type=int)
@click.option("--edit", is_flag=True, help="Open the draft in $EDITOR and save it back (and to the Drafts folder).")
@click.option("--by", "actor", default="agent", help="Who edits it (recorded in the audit log).")
@pass_app
def draft(app: App, conv_id: int, edit: bool, actor: str) -> None:
    """Print a conversation's reply draft, or edit it (an edited draft is never replaced by triage)."""
    from triage.reply.draft import assert_safe

    detail = _conversation(app, conv_id)
    stored = detail.draft
    if stored is None:
        raise UsageError(f"conversation {conv_id} has no draft (auto-replies, bounces and lists never get one)")
    if detail.draft_in_folder:  # the store holds triage's text; the agent's is in the mailbox
        where = "you are editing" if edit else "below is"
        click.echo(
            f"conversation {conv_id}: an agent's version of this draft is kept in the Drafts folder; {where}"
            " triage's text, not what is there",
            err=True,
        )
    if not edit:
        click.echo(f"To: {stored.to}\nSubject: {stored.subject}\n\n{stored.body}")
        return
    body = click.edit(stored.body, extension=".txt")
    if body is None or body == stored.body:
        click.echo("draft unchanged", err=True)
        return
    try:
        assert_safe(body)
    except TemplateError as exc:
        kept = _keep_refused_edit(conv_id, body)
        raise TemplateError(f"draft for {conv_id} not saved: {exc}; your edited text is kept in {kept}") from exc
    app.store.update_conversation_draft(conv_id, body, actor)
    _sync_every_mailbox(app)
    if _conversation(app, conv_id).draft_in_folder:  # the sync found an agent's version there and kept it
        click.echo(
            f"draft for {conv_id} saved in triage; the Drafts folder keeps the agent's version edited there"
            " (open it in the mail client)"
        )
    else:
        click.echo(f"draft for {conv_id} saved")


def _keep_refused_edit(item_id: int, body: str) -> Path:
    """An agent's refused edit, saved so the work is not lost: card numbers and other secrets redacted
    first (the file must not become the copy of payment data the store refuses), readable by its owner only."""
    import os
    import tempfile

    from triage.redact import redact as redact_text

    fd, name = tempfile.mkstemp(prefix=f"triage-draft-{item_id}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(redact_text(body).text)
    return Path(name)


@cli.command("import-orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def import_orders(app: App, file: Path) -> None:
    """Load or update orders from a Shopify orders export or a mapped generic CSV."""
    from triage.orders.csv_import import read_orders

    result = read_orders(file, app.cfg.stage_settings().orders)
    _print_row_problems(file, result.problems)
    count = app.store.upsert_orders(result.orders)
    skipped = sum(p.skipped for p in result.problems)
    warned = len(result.problems) - skipped
    click.echo(
        f"imported {count} order(s) from {file}"
        + (f", {skipped} row(s) skipped" if skipped else "")
        + (f", {warned} warning(s)" if warned else "")
    )
    if not count and skipped:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_app
def backup(app: App, file: Path, force: bool) -> None:
    """A consistent copy of the store in FILE, safe while the daemon runs (SQLite online backup)."""
    from triage.store.backup import backup_store

    done = backup_store(app.cfg.resolve(app.cfg.store.path), file, force)
    click.echo(f"backed up {done.messages} message(s) to {done.path} ({done.size} bytes); integrity check ok")


@cli.command()
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The shop-local day to report (default: yesterday).",
)
@click.option("--send", is_flag=True, help="Also e-mail it to [summary] recipients.")
@pass_app
def summary(app: App, day: datetime | None, send: bool) -> None:
    """The managers' daily report: reports/YYYY-MM-DD.html and .txt; --send mails it."""
    from triage.report.summary_send import summary_command

    for path in summary_command(app.store, app.cfg, day.date() if day else None, send, app.now()):
        click.echo(str(path))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the redacted text and the findings as JSON.")
def redact(as_json: bool) -> None:
    """Redact stdin to stdout (card numbers, CVVs, expiry dates, IBANs, bank logins, passwords).

    Streams: stdin is read in bounded chunks and the output written as it is decided, so a 50 MB input
    takes as much memory as a small one; the output is the same as redacting the whole text at once.
    """
    from triage.redact.stream import redact_stream

    redact_stream(sys.stdin.read, sys.stdout.write, as_json=as_json)
    sys.stdout.flush()


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Training data folder (default: models/data).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: [model] path).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--epochs", type=int, default=None)
@click.option(
    "--with-corrections",
    is_flag=True,
    help="Also learn from the agents' corrections in the store (their redacted new text only; see README).",
)
@pass_app
def train(
    app: App, data_dir: Path | None, out_dir: Path | None, seed: int, epochs: int | None, with_corrections: bool
) -> None:
    """Rebuild the intent model from the training data in models/ (and, when asked, the shop's corrections)."""
    from triage.model.train import train as train_model

    data_dir = data_dir or app.cfg.resolve("models/data/mail")
    out_dir = out_dir or app.cfg.model_dir()
    if not with_corrections:
        report = train_model(data_dir, out_dir, seed=seed, epochs=epochs)
        click.echo(json.dumps(report, indent=1, default=str))
        return
    import shutil

    from triage.model.data import correction_rows, load_mail, split
    from triage.model.evaluate import before_after
    from triage.understand.classify import IntentModel

    rows = correction_rows(app.store.corrections())
    before_dir = _before_dir(out_dir)
    previous = None
    if (out_dir / "config.cfg").is_file():  # keep the model being replaced: `eval --corrections` compares with it
        if before_dir.exists():
            shutil.rmtree(before_dir)
        shutil.copytree(out_dir, before_dir)
        previous = IntentModel.load(before_dir)
    report = train_model(data_dir, out_dir, seed=seed, epochs=epochs, corrections=rows["train"])
    held = [r.labeled() for r in rows["held_out"]]
    test = [r.labeled() for r in split(load_mail(data_dir))["test"]]
    compared = before_after(IntentModel.load(out_dir), previous, held, test)
    report["corrections"] = {
        "trained": len(rows["train"]),
        "held_out": len(held),
        "before_model": str(before_dir) if previous is not None else None,
        "before_after": compared.to_dict(),
    }
    click.echo(json.dumps(report, indent=1, default=str))
    click.echo(compared.render(), err=True)


def _before_dir(model_dir: Path) -> Path:
    """Where `train --with-corrections` keeps the model it replaced."""
    return model_dir.with_name(model_dir.name + ".before")


@cli.command("eval")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Labeled JSONL or CSV, e.g. the realistic150 layout (default: the test split of models/data/mail).",
)
@click.option(
    "--label-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON mapping the file's labels onto ours (e.g. ../shared/eval/*/label_map.json).",
)
@click.option(
    "--corrections",
    "corrections",
    is_flag=True,
    help="Before/after: the held-out corrections in the store and the mail test split, this model vs --before.",
)
@click.option(
    "--before",
    "before",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --corrections: the earlier model (default: the one `train --with-corrections` replaced).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def eval_cmd(
    app: App, data: Path | None, label_map: Path | None, corrections: bool, before: Path | None, as_json: bool
) -> None:
    """Per-label precision/recall/F1 and macro-F1, with the keyword baseline side by side."""
    from triage.model.evaluate import evaluate

    if corrections:
        _eval_corrections(app, data, before, as_json)
        return
    report = evaluate(app.model, data, label_map)
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else report.render())


def _eval_corrections(app: App, mail_dir: Path | None, before: Path | None, as_json: bool) -> None:
    """`eval --corrections`: the configured model and the earlier one on the same held-out rows."""
    from triage.model.data import correction_rows, load_mail, split
    from triage.model.evaluate import before_after
    from triage.understand.classify import IntentModel

    if mail_dir is not None and not mail_dir.is_dir():
        raise UsageError("eval --corrections: --data names the training mail folder (its test split is scored)")
    mail_dir = mail_dir or app.cfg.resolve("models/data/mail")
    before = before or _before_dir(app.cfg.model_dir())
    previous = IntentModel.load(before) if (before / "config.cfg").is_file() else None
    held = [r.labeled() for r in correction_rows(app.store.corrections())["held_out"]]
    test = [r.labeled() for r in split(load_mail(mail_dir))["test"]]
    compared = before_after(app.model, previous, held, test)
    if as_json:
        click.echo(json.dumps(compared.to_dict(), indent=1))
        return
    click.echo(f"before: {before if previous is not None else '(no earlier model)'}; after: {app.cfg.model_dir()}")
    click.echo(compared.render())


def _web_sync(app: App) -> Any:
    """What the web calls after saving a draft: the same Drafts-folder sync as `draft --edit` (IMAP only)."""
    from triage.run.mailboxes import mailbox_jobs

    if all(job.cfg.source.kind != "imap" for job in mailbox_jobs(app.cfg)):
        return None
    return lambda store: _sync_every_mailbox(app, store)


@cli.command()
@click.option("--host", default=None, help="Listen here instead of [web] host.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Listen here instead of [web] port.")
@pass_app
def web(app: App, host: str | None, port: int | None) -> None:
    """The agents' web queue (default http://127.0.0.1:8025)."""
    from triage.config import LOOPBACK
    from triage.web.server import make_server

    host = host or app.cfg.web.host
    if host not in LOOPBACK and not app.cfg.web.public_url:
        raise UsageError(f"--host {host} is not loopback: set [web] public_url (the proxied address) first")
    app.store  # noqa: B018 - open (and migrate) the store before serving, so a bad path fails here
    server = make_server(app.cfg, app.cfg.resolve(app.cfg.store.path), app.now, _web_sync(app), host, port)
    click.echo(f"triage web on http://{host}:{server.config.port}/", err=True)
    server.run()


@cli.group()
def user() -> None:
    """Web accounts: add, passwd, remove."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@user.command("add")
@click.argument("name")
@click.option("--manager", is_flag=True, help="May read the daily summaries.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_app
def user_add(app: App, name: str, manager: bool, password_stdin: bool) -> None:
    """Add a web account."""
    from triage.web.auth import hash_password

    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise UsageError(f"user name {name!r}: use letters, digits, '.', '-' and '_'")
    app.store.add_user(name, hash_password(_read_password(password_stdin)), manager)
    click.echo(f"added {name}" + (" (manager)" if manager else ""))


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_app
def user_passwd(app: App, name: str, password_stdin: bool) -> None:
    """Set a web account's password (its sessions end)."""
    from triage.errors import NotFoundError
    from triage.web.auth import hash_password

    if app.store.user(name) is None:  # before asking for a password that has nowhere to go
        raise NotFoundError(f"no user {name!r} (add one with `triage user add {name}`)")
    app.store.set_password(name, hash_password(_read_password(password_stdin)))
    click.echo(f"password changed for {name}; their sessions ended")


@user.command("remove")
@click.argument("name")
@pass_app
def user_remove(app: App, name: str) -> None:
    """Remove a web account (its sessions end at once)."""
    app.store.remove_user(name)
    click.echo(f"removed {name}")


def main(argv: list[str] | None = None) -> None:
    """Entry point for `triage` and `run_triage.py`: one line per error, exit 0/1/2."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="triage", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("triage: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except TriageError as exc:
        if debug:
            raise
        click.echo(f"triage: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"triage: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)
